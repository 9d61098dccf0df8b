import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import type { Hit } from '../../../src/core/search/paragraph-index.ts';
import { ParagraphIndex } from '../../../src/core/search/paragraph-index.ts';
import {
  loadIndex,
  loadOrBuildEngine,
  readSnapshot,
  SnapshotError,
  saveIndex,
} from '../../../src/core/search/persist-index.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { parseEvalSet } from '../../../src/eval/score-set.ts';
import { copyShippedData, editText, shippedDataDir } from '../corpus/temp-data.ts';

const corpus = loadCorpus(shippedDataDir);
const engine = createAnswerEngine(corpus);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-index-'));
const file = path.join(tmp, 'index.bin');
saveIndex(file, engine.index, corpus);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const evalQuestions = parseEvalSet(
  fs.readFileSync(path.join(shippedDataDir, '..', 'eval', 'dev.jsonl'), 'utf8'),
  'dev.jsonl',
).map((c) => c.q);
/** Eval questions, every paragraph's opening words, and some typos and thesaurus words. */
const questions = [
  ...evalQuestions,
  ...[...corpus.sources.values()].flatMap((s) => s.paragraphs.map((p) => p.text.split(' ').slice(0, 6).join(' '))),
  'assasination plot',
  'fake hackers',
  'Rusia preferense',
  'down-ballot candidates in Pennsylvania',
];

/** A hit as comparable plain data: which paragraph, its exact score and coverage, what matched. */
const plain = (hits: Hit[]) =>
  hits.map((h) => [`${h.paragraph.source}#${h.paragraph.n}`, h.score, h.coverage, [...h.matched].sort()]);

describe('a persisted index', () => {
  const restored = loadIndex(file, corpus);

  it('loads for the corpus it was built from', () => {
    expect(restored.problem).toBeUndefined();
    expect(restored.index?.size).toBe(engine.index.size);
  });

  it('gives exactly the search results of a fresh build, scores and ties included', () => {
    const index = restored.index as ParagraphIndex;
    for (const q of questions) {
      const { terms } = parseQuestion(q, engine);
      for (const limit of [3, 200]) {
        expect(plain(index.search(terms, limit)), `${q} (limit ${limit})`).toEqual(
          plain(engine.index.search(terms, limit)),
        );
      }
    }
  });

  it('knows the same stems, idf and typo corrections', () => {
    const index = restored.index as ParagraphIndex;
    for (const q of questions) {
      for (const t of parseQuestion(q, engine).terms) {
        const stem = t.alternatives[0]?.stems[0] ?? '';
        expect([index.has(stem), index.idf(stem), index.nearStems(stem)], stem).toEqual([
          engine.index.has(stem),
          engine.index.idf(stem),
          engine.index.nearStems(stem),
        ]);
      }
    }
  });

  it('restores an engine that answers every question as the freshly built one does', () => {
    const again = createAnswerEngine(corpus, {}, restored.index as ParagraphIndex);
    expect(again.facts).toEqual(engine.facts);
    for (const q of [...evalQuestions, 'denials', '/help']) expect(answer(again, q), q).toEqual(answer(engine, q));
  });

  it('survives a second round trip unchanged', () => {
    const second = path.join(tmp, 'again.bin');
    saveIndex(second, restored.index as ParagraphIndex, corpus);
    expect(fs.readFileSync(second)).toEqual(fs.readFileSync(file));
  });
});

describe('a snapshot that does not fit is refused', () => {
  it('when it was built from a different corpus, naming the hash mismatch', () => {
    const dir = copyShippedData();
    const source = fs.readdirSync(path.join(dir, 'sources'))[0] as string;
    editText(dir, `sources/${source}`, (t) => `${t.trimEnd()}\n\nA paragraph the snapshot has never seen.\n`);
    const other = loadCorpus(dir);
    expect(() => readSnapshot(file, other)).toThrow(SnapshotError);
    expect(() => readSnapshot(file, other)).toThrow(/built from a different corpus \(hash [0-9a-f]{12}…/);
    expect(loadIndex(file, other)).toEqual({ problem: expect.stringMatching(/^persist-index: .*rebuild it$/) });
  });

  it('when built from a corpus held in memory (no file fingerprint) that differs in one paragraph', () => {
    const inMemory = { ...corpus, fingerprint: undefined };
    const memoryFile = path.join(tmp, 'memory.bin');
    saveIndex(memoryFile, engine.index, inMemory);
    expect(() => readSnapshot(memoryFile, inMemory)).not.toThrow();
    const [first, ...rest] = [...corpus.sources.values()];
    const changed = {
      ...first,
      paragraphs: first?.paragraphs.map((p, i) => (i === 0 ? { ...p, text: `${p.text} Changed.` } : p)),
    } as (typeof rest)[number];
    const sources = new Map([changed, ...rest].map((s) => [s.id, s]));
    expect(() => readSnapshot(memoryFile, { ...inMemory, sources })).toThrow(/built from a different corpus/);
  });

  it('when the file is not a snapshot or is missing', () => {
    const junk = path.join(tmp, 'junk.bin');
    fs.writeFileSync(junk, 'not an index at all');
    expect(() => readSnapshot(junk, corpus)).toThrow(/is not an index snapshot/);
    expect(() => readSnapshot(path.join(tmp, 'missing.bin'), corpus)).toThrow(/cannot read/);
  });

  it('when its header is damaged past the format check, and is then rebuilt and rewritten', () => {
    const damaged = path.join(tmp, 'damaged.bin');
    const bytes = fs.readFileSync(file);
    bytes.write('}}}}', 12, 'latin1'); // the JSON header starts after magic, version and length
    fs.writeFileSync(damaged, bytes);
    expect(loadIndex(damaged, corpus)).toEqual({
      problem: expect.stringMatching(/^persist-index: .*damaged\.bin cannot be restored \(.*\); rebuild it$/),
    });
    const rebuilt = loadOrBuildEngine(corpus, damaged);
    expect(rebuilt.restored).toBe(false);
    expect(rebuilt.note).toMatch(/cannot be restored.*saved to/);
    expect(loadOrBuildEngine(corpus, damaged).restored).toBe(true);
  });

  it('when asked for options other than those its frequencies were built with', () => {
    const snapshot = readSnapshot(file, corpus);
    expect(() => ParagraphIndex.fromSnapshot(corpus, snapshot, { summaryWeight: 0.9 })).toThrow(
      /built with summaryWeight 0\.35, not 0\.9/,
    );
  });
});
