import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.ts';
import { createTerminalAdapter, HINT, hintFor, isQuitLine, PROMPT } from '../../../src/adapters/terminal/repl.ts';
import { createTerminalSender } from '../../../src/adapters/terminal/terminal-sender.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { type CommandContext, defineCommand } from '../../../src/core/commands/define-command.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { BOT_TOKEN, closedPort, SIGNING_SECRET, startFakeSlack } from '../slack/harness.ts';
import { VirtualScreen } from './virtual-screen.ts';

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

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test removes terminal escape codes.
const withoutEscapes = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/** Runs the adapter on piped input (not interactive) and returns everything it wrote. */
async function pipe(lines: string[], ctx = context, columns?: number): Promise<string> {
  const input = new PassThrough();
  const output = Object.assign(new Capture(), { columns });
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

  it('quits on Ctrl-C while an answer is pending, without waiting for it or printing it', async () => {
    let release = () => {};
    const slow = defineCommand({
      name: 'slow',
      description: 'Answers once the test lets it.',
      options: z.object({}),
      example: '/slow',
      run: () => new Promise((resolve) => (release = () => resolve(makeReply({ text: 'slow answer' })))),
    });
    const input = new PassThrough();
    const output = new Capture();
    const ctx = { ...context, commands: [...commands, slow] };
    const done = createTerminalAdapter({ input, output, context: ctx, interactive: true }).run();
    input.write('/slow\r');
    await new Promise((r) => setTimeout(r, 50));
    input.write('\u0003');
    expect(await done).toBe('interrupt');
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(output.text).not.toContain('slow answer');
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

describe('leaving the terminal', () => {
  const words = ['quit', 'exit', '/quit', '/exit', 'QUIT', ' Exit ', '  /EXIT\t', '/Quit'];

  it.each(words)('%j is a quit line; questions about quitting are not', (word) => {
    expect(isQuitLine(word)).toBe(true);
    for (const other of ['quit russia', 'exit polls', '/quitting', 'q', 'why did Russia quit?', '']) {
      expect(isQuitLine(other)).toBe(false);
    }
  });

  it.each(words)('typing %j ends the REPL, like Ctrl-D, without answering it', async (word) => {
    const input = new PassThrough();
    const output = new Capture();
    const done = createTerminalAdapter({ input, output, context, interactive: true }).run();
    await until(() => output.text.includes(PROMPT), 'the prompt');
    input.write(`${word}\r`);
    expect(await done).toBe('quit');
    // All that is on screen is the hint, the prompt and the echo of what was typed.
    const seen = withoutEscapes(output.text).replace(HINT, '').replace(PROMPT, '').replace(word, '');
    expect(seen.trim()).toBe('');
  });

  it('with piped input, answers the lines before a quit word and none after it', async () => {
    const input = new PassThrough();
    const output = new Capture();
    const done = createTerminalAdapter({ input, output, context }).run();
    input.end('/denail\nexit\n/actors\n');
    expect(await done).toBe('quit');
    expect(output.text).toContain('Did you mean /denials?');
    expect(output.text).not.toContain('Actors in the assessments');
    expect(output.text).not.toMatch(/exit/i);
  });

  it('ends with "end" on Ctrl-D and at the end of piped input', async () => {
    const input = new PassThrough();
    const done = createTerminalAdapter({ input, output: new Capture(), context }).run();
    input.end('/denail\n');
    expect(await done).toBe('end');
  });

  it('says in the hint that Ctrl-C stops the platforms running alongside, and quit or exit does not', () => {
    expect(HINT).toMatch(/quit or exit/);
    expect(HINT).toContain('Ctrl-C');
    const hint = hintFor(['Slack', 'Discord']);
    expect(hint).toContain('quit, exit or Ctrl-D closes the terminal and leaves Slack and Discord running');
    expect(hint).toContain('Ctrl-C stops the whole bot, Slack and Discord included');
  });

  it('shows the hint for the platforms it was given', async () => {
    const input = new PassThrough();
    const output = new Capture();
    const done = createTerminalAdapter({ input, output, context, interactive: true, alongside: ['Slack'] }).run();
    input.end();
    await done;
    expect(output.text).toContain(hintFor(['Slack']));
  });
});

describe('output printed while the prompt shows', () => {
  function screenSession(columns: number) {
    const input = new PassThrough();
    const screen = new VirtualScreen(columns);
    const terminal = createTerminalAdapter({ input, output: screen, context, interactive: true });
    const done = terminal.run();
    return { input, screen, terminal, done };
  }

  it('puts a notification above the prompt and redraws what the user was typing', async () => {
    const s = screenSession(100);
    await until(() => s.screen.raw.includes(PROMPT), 'the prompt');
    s.input.write('who is Mos');
    await until(() => s.screen.cursorLine() === `${PROMPT}who is Mos`, 'the typing');
    const sender = createTerminalSender({
      write: (text) => s.terminal.print(text),
      style: { color: false, width: 100 },
    });
    await sender.send(
      { platform: 'terminal', workspace: 'local', channel: 'terminal' },
      makeReply({ title: 'New assessments', text: 'New source: a test assessment.', found: true }),
    );
    const lines = s.screen.lines();
    expect(lines.at(-1)).toBe(`${PROMPT}who is Mos`);
    expect(lines.indexOf('New assessments')).toBeGreaterThan(lines.indexOf(HINT));
    expect(lines).toContain('New source: a test assessment.');
    expect(lines.filter((l) => l.includes('who is Mos'))).toHaveLength(1);
    // The partial line is still what readline holds: finishing it asks the whole question.
    s.input.write('cow backing?\r');
    await until(() => s.screen.lines().some((l) => l.startsWith('[1] ')), 'the answer');
    expect(s.screen.raw).not.toContain('Not in the assessments I hold');
    s.input.write('\u0004');
    await s.done;
  });

  it('keeps a partial line that wraps over several rows whole, with the text above it', async () => {
    const s = screenSession(40);
    await until(() => s.screen.raw.includes(PROMPT), 'the prompt');
    const typed = 'which tactics did Iran use against the Trump campaign';
    s.input.write(typed);
    await until(() => s.screen.lines().join('').endsWith(typed), 'the typing');
    s.terminal.print('threatdesk: data reloaded: 12 sources, 80 claims\n');
    s.terminal.print('threatdesk: a second line\n');
    const lines = s.screen.lines();
    // The terminal itself wraps the long log line at 40 columns.
    const first = lines.indexOf('threatdesk: data reloaded: 12 sources, 8');
    expect(first, lines.join('\n')).toBeGreaterThan(0);
    expect(lines.slice(first)).toEqual([
      'threatdesk: data reloaded: 12 sources, 8',
      '0 claims',
      'threatdesk: a second line',
      ...(`${PROMPT}${typed}`.match(/.{1,40}/g) as string[]),
    ]);
    // Ctrl-D on an unfinished line deletes; Ctrl-C leaves.
    s.input.write('\u0003');
    expect(await s.done).toBe('interrupt');
  });

  it('writes text as it is when no session runs', () => {
    const output = new Capture();
    const terminal = createTerminalAdapter({ input: new PassThrough(), output, context, interactive: true });
    terminal.print('before the session\n');
    expect(output.text).toBe('before the session\n');
  });
});

describe('/help in the terminal', () => {
  it('keeps every example command whole on one line at 40 columns', async () => {
    const out = await pipe(['/help'], context, 40);
    const lines = out.split('\n');
    for (const c of commands) {
      expect(
        lines.some((l) => l.includes(c.example)),
        `${c.example} on one line`,
      ).toBe(true);
    }
    // Every other line still fits.
    for (const l of lines) if (!commands.some((c) => l.includes(c.example))) expect(l.length).toBeLessThanOrEqual(40);
  });

  it('keeps the example of /help denials whole and its option lines indented', async () => {
    const out = await pipe(['/help denials'], context, 40);
    expect(out).toContain('Example: /denials actor:russia');
    expect(out).toMatch(/\n {2}actor: \(optional\)/);
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
    // The shipped feeds.json lists real agency feeds: a test never polls them.
    FEEDS_FILE: fileURLToPath(new URL('../../fixtures/no-feeds.json', import.meta.url)),
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

  /** `npm start` on a pseudo-terminal (through util-linux `script`), with what it printed so far. */
  function onPty(extraEnv: Record<string, string> = {}) {
    const child = spawn('script', ['-qec', `"${process.execPath}" --import tsx src/main.ts`, '/dev/null'], {
      cwd: repoRoot,
      env: { ...env, ...extraEnv },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    return {
      child,
      exited,
      out: () => out,
      cleanup: () => {
        child.stdin.end();
        if (child.exitCode === null) child.kill();
      },
    };
  }

  it.skipIf(!hasScript)(
    'on a pseudo-terminal, typing quit leaves and the bot exits 0',
    async () => {
      const bot = onPty();
      try {
        await until(() => bot.out().includes(PROMPT), 'the prompt', 50_000);
        bot.child.stdin.write('quit\r');
        expect(await bot.exited).toBe(0);
        expect(bot.out()).not.toContain('Nothing to answer');
      } finally {
        bot.cleanup();
      }
    },
    90_000,
  );

  it.skipIf(!hasScript)(
    'with Slack alongside, the hint says so, and Ctrl-C stops the whole bot',
    async () => {
      const slack = await startFakeSlack();
      const bot = onPty({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_PORT: String(await closedPort()),
        DB_PATH: `${fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-repl-'))}/t.db`,
      });
      try {
        await until(() => bot.out().includes(PROMPT), 'the prompt', 50_000);
        expect(flat(bot.out())).toContain(flat(hintFor(['Slack'])));
        bot.child.stdin.write('\u0003');
        // The Slack HTTP server would keep the process alive if only the terminal had closed.
        expect(await bot.exited).toBe(0);
        expect(bot.out()).not.toContain('platform adapters keep running');
      } finally {
        bot.cleanup();
        await slack.close();
      }
    },
    90_000,
  );

  it.skipIf(!hasScript)(
    'on a pseudo-terminal shows the hint and the prompt, answers, and quits on Ctrl-D',
    async () => {
      // Keys are typed only once the prompt shows, as a person would: before that the terminal is
      // still in line mode and would treat Ctrl-D differently.
      const bot = onPty();
      try {
        await until(() => bot.out().includes(PROMPT), 'the prompt', 50_000);
        expect(bot.out()).toContain(HINT);
        bot.child.stdin.write('/help\r');
        await until(() => flat(bot.out()).includes('threatdesk help'), 'the help', 20_000);
        bot.child.stdin.write('\u0004');
        expect(await bot.exited).toBe(0);
      } finally {
        bot.cleanup();
      }
    },
    90_000,
  );
});
