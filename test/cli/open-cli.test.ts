/**
 * openCli starts from the persisted index when it can, and still starts when the snapshot cannot
 * be written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDbPath, indexSnapshotPath, openCli } from '../../src/cli/open-cli.ts';
import { respondToLine } from '../../src/core/commands/respond.ts';
import { ConfigError } from '../../src/core/config.ts';

const savedDbPath = process.env.DB_PATH;
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-open-cli-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  if (savedDbPath === undefined) delete process.env.DB_PATH;
  else process.env.DB_PATH = savedDbPath;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('indexSnapshotPath', () => {
  it('puts the snapshot beside the SQLite file, and nowhere for an in-memory database', () => {
    expect(indexSnapshotPath({ DB_PATH: path.join('var', 'threatdesk.db') })).toBe(path.join('var', 'index.bin'));
    expect(indexSnapshotPath({ DB_PATH: ':memory:' })).toBeUndefined();
  });
});

describe('openCli', () => {
  it('builds and saves the index on the first start and restores it on the next, with the same answers', async () => {
    const dir = tempDir();
    process.env.DB_PATH = path.join(dir, 'threatdesk.db');
    const first = await openCli('data');
    expect(first?.index.restored).toBe(false);
    expect(fs.existsSync(path.join(dir, 'index.bin'))).toBe(true);
    const second = await openCli('data');
    expect(second?.index).toEqual({ restored: true, note: `index restored from ${path.join(dir, 'index.bin')}` });
    if (!first || !second) throw new Error('openCli failed');
    for (const line of ['Who is Moscow backing?', '/denials actor:iran', '/search words:hack']) {
      expect(await respondToLine(line, second)).toEqual(await respondToLine(line, first));
    }
  });

  it('still starts when the snapshot cannot be written', async () => {
    const dir = tempDir();
    // A directory where the snapshot file should go: the rename onto it fails.
    fs.mkdirSync(path.join(dir, 'index.bin', 'x'), { recursive: true });
    process.env.DB_PATH = path.join(dir, 'threatdesk.db');
    const cli = await openCli('data');
    expect(cli?.index.restored).toBe(false);
    expect(cli?.index.note).toContain('not saved');
    if (!cli) throw new Error('openCli failed');
    expect((await respondToLine('Who is Moscow backing?', cli)).found).toBe(true);
  });
});

describe('checkDbPath', () => {
  /** The ConfigError message for DB_PATH=`value`. */
  function refusal(value: string): string {
    try {
      checkDbPath(value);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`DB_PATH ${JSON.stringify(value)}`);
      return message;
    }
    throw new Error(`test: expected DB_PATH=${value} to be refused`);
  }

  it('accepts a new file (creating its directories), an empty file, a SQLite file and :memory:', () => {
    const dir = tempDir();
    expect(() => checkDbPath(path.join(dir, 'a', 'b', 'threatdesk.db'))).not.toThrow();
    expect(fs.statSync(path.join(dir, 'a', 'b')).isDirectory()).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'a', 'b'))).toEqual([]);
    fs.writeFileSync(path.join(dir, 'empty.db'), '');
    expect(() => checkDbPath(path.join(dir, 'empty.db'))).not.toThrow();
    fs.writeFileSync(path.join(dir, 'real.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84)]));
    expect(() => checkDbPath(path.join(dir, 'real.db'))).not.toThrow();
    expect(() => checkDbPath(':memory:')).not.toThrow();
  });

  it('refuses a directory, suggesting a file in it', () => {
    const dir = tempDir();
    expect(refusal(dir)).toContain(
      `is a directory; set DB_PATH to a file in it, e.g. DB_PATH=${path.join(dir, 'threatdesk.db')}`,
    );
    expect(refusal(`${path.join(dir, 'new')}/`)).toContain('is a directory');
  });

  it('refuses a device, so nothing is written beside it', () => {
    if (process.platform !== 'linux') return;
    expect(refusal('/dev/null')).toContain('is not a regular file');
  });

  it('refuses a file that is not SQLite', () => {
    const file = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(file, 'these are my notes, not a database');
    expect(refusal(file)).toContain('is not a SQLite database');
    expect(fs.readFileSync(file, 'utf8')).toBe('these are my notes, not a database');
  });

  it('refuses a place where no file can be made, quickly', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(refusal(path.join(dir, 'file', 'threatdesk.db'))).toContain('cannot be created');
    if (process.platform === 'linux') {
      // Node 20's recursive mkdir spun forever here; the test's own timeout catches a return of that.
      expect(refusal('/proc/x/y.db')).toContain('its directory /proc/x cannot be made');
    }
  });
});

describe('openCli with a bad DB_PATH', () => {
  it('prints one line naming DB_PATH and writes no snapshot anywhere', async () => {
    const dir = tempDir();
    process.env.DB_PATH = dir;
    const printed: string[] = [];
    const original = console.error;
    console.error = (line: string) => printed.push(line);
    try {
      expect(await openCli('data')).toBeUndefined();
    } finally {
      console.error = original;
    }
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^config: DB_PATH ".*" is a directory/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
