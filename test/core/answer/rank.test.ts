import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus, writeDataDir } from '../../../bench/generate-corpus.ts';
import { benchQuestions } from '../../../bench/questions.ts';
import { type AnswerOptions, DEFAULT_ANSWER_OPTIONS } from '../../../src/core/answer/answer.ts';
import { type AnswerEngine, createAnswerEngine, paragraphKey } from '../../../src/core/answer/engine.ts';
import { type Ranked, rank } from '../../../src/core/answer/rank.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const shipped = loadCorpus(shippedDataDir);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-rank-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
writeDataDir(tmp, generateCorpus(shipped, 1500), shippedDataDir);
const engines: [string, AnswerEngine][] = [
  ['shipped', createAnswerEngine(shipped)],
  ['generated 1,500 paragraphs', createAnswerEngine(loadCorpus(tmp))],
];
const questions = benchQuestions(12).map((q) => q.text);

/** Without its cut-offs, `rank` scores every candidate: the full ranking to check the pruned one against. */
const exhaustive: AnswerOptions = { ...DEFAULT_ANSWER_OPTIONS, maxCitations: 1_000_000, followerRatio: 0 };
const key = (r: Ranked) => `${paragraphKey(r.paragraph)} ${r.score}`;

describe.each(engines)('rank on the %s corpus', (_, engine) => {
  const opts = DEFAULT_ANSWER_OPTIONS;
  const within = (list: Ranked[]) => list.filter((r) => r.score >= (list[0]?.score ?? 0) * opts.followerRatio);

  it('keeps exactly what could be cited from the full ranking: the best few, and the best few answering through a claim', () => {
    let pruned = 0;
    for (const text of questions) {
      const q = parseQuestion(text, engine);
      const keep = (r: Ranked) => r.yearFits && (r.claimAnswers || (r.hit?.coverage ?? 0) > 0.3);
      const selection = { keep, withoutText: true };
      const all = rank(engine, q, exhaustive, selection);
      const got = rank(engine, q, opts, selection);
      const best = [...all.slice(0, opts.maxCitations)];
      for (const r of all.filter((x) => x.claimAnswers).slice(0, opts.maxCitations))
        if (!best.includes(r)) best.push(r);
      const expected = best.sort((a, b) => all.indexOf(a) - all.indexOf(b));
      expect(within(got).map(key), text).toEqual(within(expected).map(key));
      expect(got.every(keep), text).toBe(true);
      if (all.length > got.length) pruned++;
    }
    // The cut-offs did something: many questions have more candidates than can be cited.
    expect(pruned).toBeGreaterThan(questions.length / 4);
  });

  it('considers only what the text search found when asked to', () => {
    for (const text of questions) {
      const q = parseQuestion(text, engine);
      const found = new Set(engine.index.search(q.terms, 200).map((h) => h.doc));
      for (const r of rank(engine, q, exhaustive, { keep: () => true, withoutText: false })) {
        expect(r.hit, text).toBeDefined();
        expect(found.has(r.hit?.doc as number), text).toBe(true);
      }
    }
  });
});
