/**
 * Shared by the ingest tests: the fixture documents, a temporary copy of the shipped data (with
 * the joint statement ingested, for the answering tests), and a listing of what a data directory holds (to show that a refused document left nothing behind).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { type AnswerEngine, createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { type IngestResult, ingestFiles } from '../../../src/updates/ingest/ingest.ts';
import { copyShippedData } from '../../core/corpus/temp-data.ts';

export { copyShippedData };

/** Path of a file under test/fixtures/ingest/. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/ingest/${name}`, import.meta.url));
}

/** The written-for-the-test 2025 joint statement (corpus format). */
export const jointStatement = fixture('joint-statement-2026-midterms.txt');
/** Its id: date and title slug. */
export const jointId = '2025-03-14-joint-odni-fbi-cisa-statement-foreign-threats-2026-midterm';

/** An engine over the shipped data with the joint statement ingested (in a temp copy, removed when the test ends). */
export function engineWithJointStatement(): AnswerEngine {
  const dataDir = copyShippedData();
  ingestFiles([jointStatement], { dataDir });
  return createAnswerEngine(loadCorpus(dataDir));
}

/** A fresh temp directory for input files, removed when the test ends. */
export function tempInputs(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-ingest-in-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `content` to `<dir>/<name>` and returns the path. */
export function writeInput(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Every file under `sources/` and `claims/`, dot files included, sorted. */
export function listData(dataDir: string): string[] {
  return ['sources', 'claims'].flatMap((sub) =>
    fs
      .readdirSync(path.join(dataDir, sub))
      .map((f) => `${sub}/${f}`)
      .sort(),
  );
}

/** The one result, which must be a success. */
export function added(results: IngestResult[], i = 0): Extract<IngestResult, { ok: true }> {
  const r = results[i];
  expect(r, 'no result').toBeDefined();
  if (!r?.ok) throw new Error(`expected ${r?.file} to be added, got: ${r?.error}`);
  return r;
}

/** The one result, which must be a refusal; returns its message. */
export function refused(results: IngestResult[], i = 0): string {
  const r = results[i];
  expect(r, 'no result').toBeDefined();
  if (!r || r.ok) throw new Error(`expected ${r?.file} to be refused, but it was added as ${r?.ok ? r.id : ''}`);
  return r.error;
}
