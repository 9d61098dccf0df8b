import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/core/make-directory.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-mkdir-'));
  dirs.push(dir);
  return dir;
};

describe('makeDirectory', () => {
  it('makes a directory and its missing parents, and accepts one that exists', () => {
    const dir = path.join(tempDir(), 'a', 'b', 'c');
    makeDirectory(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(() => makeDirectory(dir)).not.toThrow();
  });

  it('fails at once under a file', () => {
    const file = path.join(tempDir(), 'file');
    fs.writeFileSync(file, '');
    expect(() => makeDirectory(path.join(file, 'x', 'y'))).toThrow(/ENOTDIR/);
    expect(() => makeDirectory(file)).toThrow(/ENOTDIR/);
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc, where recursive mkdir spins', () => {
    // A spin, as recursive mkdir does here, would hang this test until vitest's timeout fails it.
    expect(() => makeDirectory('/proc/threatdesk-x/y')).toThrow(/ENOENT/);
  });
});
