/**
 * The scripts as a person runs them: a mistake on the command line or in the environment is one
 * line on stderr with exit code 2, never a stack trace; `ask` exits 2 when a line's command was used wrongly.
 * Each runs in an empty temporary directory (no .env, nothing written there).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type NodeRun, spawnNode } from '../spawn-node.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-cli-'));
  dirs.push(dir);
  return dir;
};

interface Run extends NodeRun {
  cwd: string;
}

/** Runs `src/<script>` through tsx in a fresh empty directory, with `env` over a clean config. */
async function run(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<Run> {
  const cwd = tempDir();
  const env = {
    NO_COLOR: '1',
    DATA_DIR: path.join(root, 'data'),
    DB_PATH: path.join(cwd, 'var', 'threatdesk.db'),
    SLACK_PORT: '',
    ...options.env,
  };
  const r = await spawnNode(['--import', tsx, path.join(root, 'src', script), ...args], {
    cwd,
    env,
    input: options.input ?? '',
    timeout: 20_000,
  });
  return { ...r, cwd };
}

/** Exit code 2, nothing on stdout, and exactly `line` on stderr. */
function expectOneLine(r: Run, line: string | RegExp): void {
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
  expect(r.status).toBe(2);
}

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('command-line mistakes', () => {
  it('ask refuses an unknown option instead of folding it into the question', async () => {
    const r = await run('cli/ask.ts', ['--bogus', 'Who does Russia prefer?']);
    expectOneLine(r, exact('ask: unknown option --bogus (options: --json, --data DIR, --help)'));
  });

  it('ask refuses an empty question', async () => {
    expectOneLine(
      await run('cli/ask.ts', ['  ']),
      exact('ask: the question is empty: ask e.g. "Who does Russia prefer?"'),
    );
  });

  it('ask refuses --data without a directory', async () => {
    expectOneLine(await run('cli/ask.ts', ['--data']), exact('ask: --data needs a value: give it as --data DIR'));
  });

  it('check-data refuses an unknown option and --data without a directory', async () => {
    const [bogus, data] = await Promise.all([
      run('cli/check-data.ts', ['--bogus']),
      run('cli/check-data.ts', ['--data']),
    ]);
    expectOneLine(bogus, exact('check-data: unknown option --bogus (options: --data DIR, --help)'));
    expectOneLine(data, exact('check-data: --data needs a value: give it as --data DIR'));
  });

  it('slack-manifest refuses an unknown option the same way', async () => {
    expectOneLine(
      await run('cli/slack-manifest.ts', ['--bogus']),
      exact(
        'slack-manifest: unknown option --bogus (options: --request-url URL, --prefix P, --name NAME, --out FILE, --socket-mode, --help)',
      ),
    );
  });

  it('ask reads a question starting with dashes after --', async () => {
    const r = await run('cli/ask.ts', ['--json', '--', '--bogus', 'Who does Russia prefer?']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty('error');
  });
});

describe('ask exit codes and --json errors', () => {
  it('exits 0 when every line is answered, "not found" included', async () => {
    const r = await run('cli/ask.ts', ['--json'], { input: 'Who does Russia prefer?\nWhat does Peru want?\n' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const replies = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(replies.map((x) => x.found)).toEqual([true, false]);
    for (const reply of replies) expect(reply).not.toHaveProperty('error');
  });

  it('answers every line in order, gives a failed command an "error", and exits 2', async () => {
    const r = await run('cli/ask.ts', ['--json'], {
      input: '/denials colour:red\nWho does Russia prefer?\n/denials actor:\n',
    });
    expect(r.status).toBe(2);
    const [colour, russia, empty] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(colour).toMatchObject({
      found: false,
      citations: [],
      text: '`colour` is not an option of /denials. Options: `actor`.',
      error: '`colour` is not an option of /denials. Options: `actor`.',
    });
    expect(russia.found).toBe(true);
    expect(russia).not.toHaveProperty('error');
    expect(empty.error).toBe('`actor` needs a value, e.g. `/denials actor:russia`');
  });
});

describe('bad configuration at start', () => {
  it('names SLACK_PORT and the value in plain words', async () => {
    const r = await run('cli/ask.ts', ['Who does Russia prefer?'], { env: { SLACK_PORT: 'abc' } });
    expectOneLine(r, /^config: SLACK_PORT must be a port number \(1–65535\), got "abc"\. Fix it in \.env/);
  });

  it('refuses a DB_PATH that is a directory and writes no index.bin anywhere', async () => {
    const r = await run('cli/ask.ts', ['Who does Russia prefer?'], { env: { DB_PATH: '.' } });
    expectOneLine(r, /^config: DB_PATH "\." is a directory; set DB_PATH to a file in it/);
    expect(fs.readdirSync(r.cwd)).toEqual([]);
  });

  it('refuses a DB_PATH that is not a SQLite file', async () => {
    const file = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(file, 'not a database');
    const r = await run('cli/ask.ts', ['Who does Russia prefer?'], { env: { DB_PATH: file } });
    expectOneLine(r, /^config: DB_PATH ".*notes\.txt" is not a SQLite database; /);
  });

  it.runIf(process.platform === 'linux')('refuses DB_PATH=/proc/x/y.db at once instead of spinning', async () => {
    // Before, it never ended: the child is killed after 20 s and then prints nothing, which fails.
    const r = await run('cli/ask.ts', ['Who does Russia prefer?'], { env: { DB_PATH: '/proc/x/y.db' } });
    expectOneLine(r, /^config: DB_PATH "\/proc\/x\/y\.db" cannot be created: its directory \/proc\/x cannot be made/);
  });
});
