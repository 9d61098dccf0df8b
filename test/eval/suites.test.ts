/**
 * Preparing suites: the unseen documents go in through the real ingest, the leave-one-source-out
 * corpora lack their source and its claims and get it back as a new document, and the data
 * directory and the temp directory are left as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer/answer.ts';
import { scoreSuites } from '../../src/eval/score-suites.ts';
import { prepareSuites, withIndexOptions } from '../../src/eval/suites.ts';
import { MARS, makeData, makeSets, removeTempDirs, snapshot, tempDir, VENUS } from './eval-data.ts';

afterAll(removeTempDirs);

describe('prepareSuites', () => {
  const dataDir = makeData();
  const before = snapshot(dataDir);
  const tmp = tempDir();
  const prepared = prepareSuites({ dataDir, setsDir: makeSets({ unseen: true }), tmpDir: tmp });
  const suite = (name: string) => prepared.suites.find((s) => s.name === name);

  it('reads the data and writes only to temp directories it then removes', () => {
    expect(snapshot(dataDir)).toEqual(before);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('pairs the shipped corpus with the shipped sets, naming the answering source of each case', () => {
    const shipped = suite('shipped');
    expect(shipped?.cases.map((c) => [c.set, c.line, c.expectedSource])).toEqual([
      ['dev', 1, MARS],
      ['dev', 2, VENUS],
      ['dev', 3, undefined],
      ['dev', 4, MARS],
    ]);
    expect(prepared.sets).toEqual(['dev', 'unseen/questions']);
  });

  it('ingests unseen/sources into a copy of the data and maps each doc to the id ingest gave it', () => {
    const unseen = suite('unseen');
    const id = unseen?.cases[0]?.expectedSource ?? '';
    expect(id).toMatch(/^2025-03-01-.*ganymede/);
    expect(unseen?.engine.corpus.sources.get(id)?.paragraphs[1]?.text).toBe(
      'The envelopes carried a watermark of a lighthouse.',
    );
    expect(unseen?.engine.corpus.sources.has(MARS)).toBe(true);
    expect(unseen?.paragraphs.get(id)).toHaveLength(2);
  });

  it('asks the shipped questions again of the corpus with the unseen documents ingested beside', () => {
    const after = suite('after-ingest');
    expect(after?.kind).toBe('after-ingest');
    expect(after?.engine).toBe(suite('unseen')?.engine);
    expect(after?.cases.map((c) => [c.set, c.line, c.expectedSource])).toEqual(
      suite('shipped')?.cases.map((c) => [c.set, c.line, c.expectedSource]),
    );
  });

  it('leaves each answering source out, claims and all, and ingests it again as a new document', () => {
    expect(prepared.suites.map((s) => s.name)).toEqual([
      'shipped',
      'unseen',
      'after-ingest',
      `cold:${VENUS}`,
      `cold:${MARS}`,
    ]);
    const cold = suite(`cold:${MARS}`);
    const corpus = cold?.engine.corpus;
    const newId = cold?.cases[0]?.expectedSource ?? '';
    expect(corpus?.sources.has(MARS)).toBe(false);
    expect(newId).not.toBe(MARS);
    expect(corpus?.sources.get(newId)?.paragraphs.map((p) => p.text)).toEqual(
      suite('shipped')
        ?.engine.corpus.sources.get(MARS)
        ?.paragraphs.map((p) => p.text),
    );
    expect(corpus?.claims.some((c) => c.id === 'mars-bulletins')).toBe(false);
    expect(corpus?.claims.filter((c) => c.source === newId).every((c) => c.draft)).toBe(true);
    expect(corpus?.sources.has(VENUS)).toBe(true);
    expect(cold?.cases.map((c) => c.q)).toEqual([
      'Who made counterfeit weather bulletins?',
      'What did the radio towers carry?',
    ]);
  });

  it('scores the unseen and cold suites with the real answer function', () => {
    const report = scoreSuites(prepared);
    expect(report.rows.map((r) => r.label)).toEqual(['dev', 'unseen/questions', 'after-ingest', 'cold']);
    expect(report.groups.map((r) => r.label)).toEqual(['shipped', 'unseen', 'after-ingest', 'cold']);
    expect(report.cases.every((c) => c.broken === 0)).toBe(true);
    const cold = report.rows.find((r) => r.label === 'cold');
    expect(cold?.halves.all.bot.n).toBe(3);
    expect(cold?.halves.all.bm25.n).toBe(3);
  });

  it('rebuilds the engines over the same corpora with other index options', () => {
    const rebuilt = withIndexOptions(prepared, { b: 0.6 });
    expect(rebuilt.suites.map((s) => s.engine.corpus)).toEqual(prepared.suites.map((s) => s.engine.corpus));
    expect(rebuilt.suites[0]?.engine).not.toBe(prepared.suites[0]?.engine);
    const q = 'Where were the stolen emails leaked?';
    expect(answer(rebuilt.suites[0]!.engine, q)).toEqual(answer(prepared.suites[0]!.engine, q));
  });
});

describe('prepareSuites refuses', () => {
  it('a sets directory that does not exist, naming it', () => {
    expect(() => prepareSuites({ dataDir: makeData(), setsDir: '/nonexistent/sets' })).toThrow(
      /eval: sets directory \/nonexistent\/sets does not exist/,
    );
  });

  it('a set line that does not parse, naming the file and line', () => {
    const sets = tempDir();
    fs.writeFileSync(path.join(sets, 'dev.jsonl'), '{"q": "fine?", "found": false}\n{"q": "no phrases"}\n');
    expect(() => prepareSuites({ dataDir: makeData(), setsDir: sets })).toThrow(/dev\.jsonl:2: needs "any", "all"/);
  });

  it('an unseen document that ingest refuses, and removes its temp copy', () => {
    const sets = makeSets({ unseen: true });
    fs.writeFileSync(path.join(sets, 'unseen', 'sources', 'broken.txt'), 'no header here\n');
    const tmp = tempDir();
    expect(() => prepareSuites({ dataDir: makeData(), setsDir: sets, tmpDir: tmp })).toThrow(/broken\.txt/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describe('prepareSuites with the repository’s own sets', () => {
  /** A directory laid out like a sets directory, with one shipped and one unseen question. */
  function extraSets(): string {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'unseen'));
    fs.writeFileSync(path.join(dir, 'more.jsonl'), `${JSON.stringify({ q: 'Who rules Saturn?', found: false })}\n`);
    fs.writeFileSync(
      path.join(dir, 'unseen', 'questions.jsonl'),
      `${JSON.stringify({ q: 'What was on the envelopes?', any: ['watermark of a lighthouse'], doc: 'ganymede' })}\n`,
    );
    return dir;
  }

  it('adds them to the shipped and unseen suites under names starting extra/', () => {
    const prepared = prepareSuites({
      dataDir: makeData(),
      setsDir: makeSets({ unseen: true }),
      extraSetsDir: extraSets(),
      tmpDir: tempDir(),
      cold: false,
    });
    expect(prepared.sets).toEqual(['dev', 'extra/more', 'unseen/questions', 'extra/unseen/questions']);
    const unseen = prepared.suites.find((s) => s.name === 'unseen');
    const extra = unseen?.cases.find((c) => c.set === 'extra/unseen/questions');
    expect(extra?.expectedSource).toMatch(/^2025-03-01-.*ganymede/);
    expect(prepared.notes).toEqual([]);
  });

  it('leaves out their unseen questions, saying so, when the sets directory has no unseen documents', () => {
    const prepared = prepareSuites({
      dataDir: makeData(),
      setsDir: makeSets(),
      extraSetsDir: extraSets(),
      tmpDir: tempDir(),
      cold: false,
    });
    expect(prepared.sets).toEqual(['dev', 'extra/more']);
    expect(prepared.notes.join('\n')).toMatch(/unseen: left out, .*sources does not exist/);
  });
});
