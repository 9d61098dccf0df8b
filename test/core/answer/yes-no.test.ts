import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { FEATURE_NAMES } from '../../../src/core/answer/features.ts';
import { rank } from '../../../src/core/answer/rank.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const DECIDES = FEATURE_NAMES.indexOf('decides');

describe('a yes/no question', () => {
  it('cites the paragraph that settles it before one that only shares the topic', () => {
    const question = 'Are Gaza protesters foreign agents?';
    // Both kinds are among the best: one that shares the topic, one that settles the question.
    const ranked = rank(engine, parseQuestion(question, engine)).slice(0, 3);
    expect(ranked.map((r) => r.features[DECIDES])).toEqual(expect.arrayContaining([1, -1]));
    const r = answer(engine, question);
    expect(r.found).toBe(true);
    expect(r.answer).toMatch(/does not indicate otherwise/);
    expect(r.citations[0]?.text).toContain(r.answer as string);
  });

  it('keeps the order when the best already settles it', () => {
    const question = 'Did any foreign actor change vote tallies in 2020?';
    const best = rank(engine, parseQuestion(question, engine))[0];
    const r = answer(engine, question);
    expect(best?.features[DECIDES]).toBe(1);
    expect(r.citations[0]?.paragraph).toBe(best?.paragraph.n);
  });
});
