import { spawn, spawnSync } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createTerminalAdapter, HINT, PROMPT } from '../../../src/adapters/terminal/repl.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import type { CommandContext } from '../../../src/core/commands/define-command.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = loadCorpus(fileURLToPath(new URL('../../../data', import.meta.url)));
const context: Omit<CommandContext<unknown>, 'options'> = {
  engine: createAnswerEngine(corpus),
  origin: { platform: 'terminal', workspace: 'local', channel: 'terminal', user: 'tester' },
  commands,
};

/** An output stream that keeps what is written, like a pipe (not a TTY). */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Output with wrapping, indents and quote marks undone, for comparing with a paragraph. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`test: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs the adapter on piped input (not interactive) and returns everything it wrote. */
async function pipe(lines: string[], ctx = context): Promise<string> {
  const input = new PassThrough();
  const output = new Capture();
  const done = createTerminalAdapter({ input, output, context: ctx }).run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return output.text;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('terminal adapter with piped input', () => {
  it('answers a question with the source paragraph verbatim', async () => {
    const out = await pipe(["What is Russia's preference?"]);
    const reply = await respondToLine("What is Russia's preference?", context);
    expect(reply.found).toBe(true);
    expect(reply.citations.length).toBeGreaterThan(0);
    for (const c of reply.citations) {
      expect(c.text).toBe(paragraphOf(corpus, c.source, c.paragraph)?.text);
      expect(flat(out)).toContain(flat(`“${c.text}”`));
    }
    expect(out).not.toContain(PROMPT);
    expect(out).not.toContain(HINT);
  });

  it('suggests /denials for a mistyped /denail', async () => {
    expect(await pipe(['/denail'])).toContain('Did you mean /denials?');
  });

  it('answers every line in order', async () => {
    const out = await pipe(['/denail', 'what is the capital of France?', '/help', '/actors']);
    const positions = [
      'Did you mean /denials?',
      'I hold nothing on France',
      'threatdesk help',
      'Actors in the assessments',
    ].map((s) => out.indexOf(s));
    for (const p of positions) expect(p).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('skips blank lines', async () => {
    expect(await pipe(['', '/denail', '   ', '\t', '/actors', ''])).toBe(await pipe(['/denail', '/actors']));
  });

  it('resolves run() only at the end of input, after answering lines that came slowly', async () => {
    const input = new PassThrough();
    const output = new Capture();
    let finished = false;
    const done = createTerminalAdapter({ input, output, context })
      .run()
      .then(() => {
        finished = true;
      });
    input.write('/denail\n');
    await until(() => output.text.includes('Did you mean /denials?'), 'the first answer');
    input.write('what is the capital of ');
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(false);
    input.end('France?\n');
    await done;
    expect(output.text).toContain('I hold nothing on France');
  });

  it('answers the last line even without a final newline', async () => {
    const input = new PassThrough();
    const output = new Capture();
    const done = createTerminalAdapter({ input, output, context }).run();
    input.end('/denail');
    await done;
    expect(output.text).toContain('Did you mean /denials?');
  });

  it('answers a line that fails unexpectedly with a short error, and keeps going', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Without /ask, respondToLine throws for a question: an error no command turned into a reply.
    const out = await pipe(['who is Moscow backing?', '/denail'], {
      ...context,
      commands: commands.filter((c) => c.name !== 'ask'),
    });
    expect(out).toContain('Something went wrong');
    expect(out).toContain('Did you mean /denials?');
    expect(logged).toHaveBeenCalled();
  });
});

describe('terminal adapter, interactive', () => {
  function session() {
    const input = new PassThrough();
    const output = new Capture();
    let finished = false;
    const done = createTerminalAdapter({ input, output, context, interactive: true })
      .run()
      .then(() => {
        finished = true;
      });
    return { input, output, done, finished: () => finished };
  }

  it('shows the /help hint and the prompt, answers, prompts again, and quits on Ctrl-D', async () => {
    const s = session();
    await until(() => s.output.text.includes(PROMPT), 'the prompt');
    expect(s.output.text).toContain(HINT);
    expect(s.output.text.indexOf(HINT)).toBeLessThan(s.output.text.indexOf(PROMPT));
    s.input.write('/denail\r');
    await until(() => s.output.text.includes('Did you mean /denials?'), 'the answer');
    await until(() => s.output.text.lastIndexOf(PROMPT) > s.output.text.indexOf('Did you mean'), 'a new prompt');
    expect(s.finished()).toBe(false);
    s.input.write('\u0004');
    await s.done;
  });

  it('quits on Ctrl-C', async () => {
    const s = session();
    await until(() => s.output.text.includes(PROMPT), 'the prompt');
    s.input.write('\u0003');
    await s.done;
    expect(s.finished()).toBe(true);
  });

  it('quits cleanly when input ends', async () => {
    const s = session();
    s.input.end();
    await s.done;
    expect(s.output.text).toContain(HINT);
  });

  it('keeps a history: the up arrow brings back the previous line', async () => {
    const s = session();
    s.input.write('/denail\r');
    await until(() => s.output.text.split('Did you mean /denials?').length === 2, 'the first answer');
    s.input.write('\u001b[A\r');
    await until(() => s.output.text.split('Did you mean /denials?').length === 3, 'the answer to the recalled line');
    s.input.write('\u0004');
    await s.done;
  });
});

describe('npm start (src/main.ts) without platform credentials', () => {
  const env = {
    ...process.env,
    NO_COLOR: '1',
    DISCORD_TOKEN: '',
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    SLACK_APP_TOKEN: '',
  };

  it('answers piped lines in the terminal and exits 0 at the end of input', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      input: 'what is the capital of France?\n/help\n',
      cwd: repoRoot,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.status).toBe(0);
    const out = flat(result.stdout);
    expect(out).toContain('Not in the assessments I hold');
    expect(out).toContain('I hold nothing on France.');
    expect(out).toContain('threatdesk help');
    for (const c of commands) expect(out).toContain(`/${c.name} — ${flat(c.description)}`);
    expect(result.stdout).not.toContain(PROMPT);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NO_COLOR and a pipe mean no escape codes.
    expect(result.stdout).not.toMatch(/\u001b/);
  }, 60_000);

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

  it.skipIf(!hasScript)(
    'on a pseudo-terminal shows the hint and the prompt, answers, and quits on Ctrl-D',
    async () => {
      // Keys are typed only once the prompt shows, as a person would: before that the terminal is
      // still in line mode and would treat Ctrl-D differently.
      const child = spawn('script', ['-qec', `"${process.execPath}" --import tsx src/main.ts`, '/dev/null'], {
        cwd: repoRoot,
        env,
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await until(() => out.includes(PROMPT), 'the prompt', 50_000);
        expect(out).toContain(HINT);
        child.stdin.write('/help\r');
        await until(() => flat(out).includes('threatdesk help'), 'the help', 20_000);
        child.stdin.write('\u0004');
        expect(await exited).toBe(0);
      } finally {
        child.stdin.end();
        if (child.exitCode === null) child.kill();
      }
    },
    90_000,
  );
});
