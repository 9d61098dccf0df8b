/**
 * Temporary copies of the shipped data directory for tests that break one thing and check how
 * `loadCorpus` reports it. Each copy lives in its own temp dir, removed when the test ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { DataError, type DataIssue, loadCorpus } from '../../../src/core/corpus/load-corpus.ts';

/** The data directory shipped with the repo. */
export const shippedDataDir = fileURLToPath(new URL('../../../data', import.meta.url));

/** Copies the shipped data to `<fresh temp dir>/data` and returns that path. */
export function copyShippedData(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-corpus-'));
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'data');
  fs.cpSync(shippedDataDir, dir, { recursive: true });
  return dir;
}

/** Rewrites the text file `rel` (relative to `dir`); fails the test if the edit changes nothing. */
export function editText(dir: string, rel: string, edit: (text: string) => string): void {
  const file = path.join(dir, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after, `edit of ${rel} changed nothing`).not.toBe(before);
  fs.writeFileSync(file, after);
}

/** Rewrites the JSON file `rel` (relative to `dir`) after `edit` has changed its value in place. */
export function editJson<T>(dir: string, rel: string, edit: (value: T) => void): void {
  editText(dir, rel, (text) => {
    const value = JSON.parse(text) as T;
    const before = JSON.stringify(value);
    edit(value);
    expect(JSON.stringify(value), `edit of ${rel} changed nothing`).not.toBe(before);
    return JSON.stringify(value, null, 2);
  });
}

/** Loads `dir`, which must fail with a DataError, and returns the error. */
export function loadError(dir: string): DataError {
  let thrown: unknown;
  try {
    loadCorpus(dir);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'loadCorpus should have thrown').toBeInstanceOf(DataError);
  return thrown as DataError;
}

/** The issues of `error` whose file ends with `name` (e.g. `claims/x.json`). */
export function issuesIn(error: DataError, name: string): DataIssue[] {
  const suffix = path.normalize(name);
  return error.issues.filter((i) => i.file.endsWith(suffix));
}
