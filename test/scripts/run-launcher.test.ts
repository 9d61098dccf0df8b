/**
 * scripts/run.mjs, run for real in a temporary copy of the repository (its own .cache/ and var/,
 * node_modules linked), so touching a source file here never disturbs the working tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeRun, spawnNode } from '../spawn-node.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const QUESTION = 'Who is Moscow backing?';
const STDIN = `${QUESTION}\n/denials actor:iran\n`;

/** Runs node with `args` in `cwd`, as a script run by npm would be (no colour, default paths). */
function node(cwd: string, args: string[], input = ''): Promise<NodeRun> {
  return spawnNode(args, {
    cwd,
    env: { NO_COLOR: '1', DATA_DIR: 'data', DB_PATH: path.join('var', 'threatdesk.db') },
    input,
  });
}

/** A copy of what the launcher and `ask` read: scripts, code, data, and the package files. */
function copyRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-run-'));
  for (const name of ['scripts', 'src', 'commands', 'data', 'package.json', 'tsconfig.json']) {
    fs.cpSync(path.join(root, name), path.join(dir, name), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('scripts/run.mjs', () => {
  let dir = '';
  let bundle = '';
  // What `tsx src/cli/ask.ts --json` printed for the two lines of STDIN, one answer a line.
  let viaTsx: string[] = [];
  const launch = (args: string[], input?: string) => node(dir, ['scripts/run.mjs', 'src/cli/ask.ts', ...args], input);
  const bundleStat = () => fs.statSync(bundle, { bigint: true });

  beforeAll(async () => {
    dir = copyRepository();
    bundle = path.join(dir, '.cache', 'threatdesk', 'src', 'cli', 'ask.mjs');
    const r = await node(dir, ['--import', 'tsx', 'src/cli/ask.ts', '--json'], STDIN);
    expect(r.status).toBe(0);
    viaTsx = r.stdout.split('\n');
    expect(viaTsx).toHaveLength(3);
  }, 30_000);

  // The link to node_modules goes, not what it points to.
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds the bundle on the first run and prints exactly what tsx printed', async () => {
    expect(fs.existsSync(bundle)).toBe(false);
    const r = await launch(['--json', QUESTION]);
    expect(r).toEqual({ status: 0, stdout: `${viaTsx[0]}\n`, stderr: '' });
    expect(fs.existsSync(bundle)).toBe(true);
    expect(fs.existsSync(`${bundle}.map`)).toBe(true);
  });

  it('reuses the bundle when nothing changed, and gives the entry the same argv and stdin', async () => {
    const before = bundleStat();
    const r = await launch(['--json'], STDIN);
    expect(r).toEqual({ status: 0, stdout: viaTsx.join('\n'), stderr: '' });
    const after = bundleStat();
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });

  it('rebuilds when a source file it was built from changes, even to an older time', async () => {
    const before = bundleStat();
    const source = path.join(dir, 'src', 'core', 'reply.ts');
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(source, past, past);
    const r = await launch(['--json', QUESTION]);
    expect(r.stdout).toBe(`${viaTsx[0]}\n`);
    expect(bundleStat().ino).not.toBe(before.ino);
  });

  it('refuses an entry that is not a file in the repository', async () => {
    const r = await node(dir, ['scripts/run.mjs', 'src/cli/nope.ts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('src/cli/nope.ts is not a file in');
  });
});
