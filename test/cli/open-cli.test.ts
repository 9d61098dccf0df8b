/**
 * openCli starts from the persisted index when it can, and still starts when the snapshot cannot
 * be written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexSnapshotPath, openCli } from '../../src/cli/open-cli.ts';
import { respondToLine } from '../../src/core/commands/respond.ts';

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
    const notADirectory = path.join(dir, 'file');
    fs.writeFileSync(notADirectory, '');
    process.env.DB_PATH = path.join(notADirectory, 'threatdesk.db');
    const cli = await openCli('data');
    expect(cli?.index.restored).toBe(false);
    expect(cli?.index.note).toContain('not saved');
    if (!cli) throw new Error('openCli failed');
    expect((await respondToLine('Who is Moscow backing?', cli)).found).toBe(true);
  });
});
