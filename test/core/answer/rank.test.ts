import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { FEATURE_NAMES } from '../../../src/core/answer/features.ts';
import {
  type Abstention,
  FITTED_WEIGHTS,
  isHeading,
  type RankWeights,
  rank,
  recall,
  sureEnough,
} from '../../../src/core/answer/rank.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const only = (name: string, value = 1): RankWeights => ({
  features: Object.fromEntries(FEATURE_NAMES.map((n) => [n, n === name ? value : 0])) as RankWeights['features'],
  abstain: FITTED_WEIGHTS.abstain,
});

describe('rank', () => {
  it('recalls the paragraphs the text search finds and those with a claim of the asked type', () => {
    const q = parseQuestion('What does Russia prefer?', engine);
    const { candidates } = recall(engine, q);
    // Every hit but a heading (capitals only), which answers nothing.
    const found = engine.index
      .search(q.terms, 300)
      .filter((h) => !isHeading(h.paragraph.text))
      .map((h) => h.doc);
    const docs = new Set(candidates.map((c) => c.doc));
    for (const d of found) expect(docs.has(d)).toBe(true);
    const preferenceDocs = engine.facts.byType.get('preference') ?? new Int32Array();
    for (const d of preferenceDocs.slice(0, 20)) expect(docs.has(d)).toBe(true);
  });

  it('orders candidates by the weighted sum of their features, best first', () => {
    const q = parseQuestion('Who hacked the Trump campaign?', engine);
    const ranked = rank(engine, q, FITTED_WEIGHTS);
    for (let i = 1; i < ranked.length; i++)
      expect((ranked[i - 1]?.score as number) >= (ranked[i]?.score as number)).toBe(true);
  });

  it('a claim is a feature, not a gate: with claim weights at zero, a paragraph without claims can win', () => {
    const q = parseQuestion('What does Russia prefer?', engine);
    const byText = rank(engine, q, only('exact'));
    expect(byText[0]?.features[FEATURE_NAMES.indexOf('exact')]).toBeGreaterThan(0);
    const byClaim = rank(engine, q, only('claimType'));
    expect(byClaim[0]?.claim?.type).toBe('preference');
  });

  it('each weight moves the ranking the way its feature says', () => {
    const q = parseQuestion('What did Treasury say on September 27 about Iran?', engine);
    const byDate = rank(engine, q, only('sourceDate'));
    expect(engine.corpus.sources.get(byDate[0]?.paragraph.source as string)?.date).toBe('2024-09-27');
    const byRecency = rank(engine, q, only('recency'));
    const newest = [...engine.corpus.sources.values()]
      .map((s) => s.date)
      .sort()
      .at(-1);
    expect(engine.corpus.sources.get(byRecency[0]?.paragraph.source as string)?.date).toBe(newest);
  });
});

describe('sureEnough: cite when the expected gain is positive', () => {
  // Rules that give the same probability whatever the candidate: only their bias is set.
  const constant = (p: number): Abstention => ({
    bias: Math.log(p / (1 - p)),
    score: 0,
    lead: 0,
    missing: 0,
    answerType: 0,
    year: 0,
    named: 0,
    unknown: 0,
  });
  const cites = (right: number, answerable: number) =>
    sureEnough(new Float64Array(FEATURE_NAMES.length), 1, 0, {
      features: FITTED_WEIGHTS.features,
      abstain: constant(right),
      domain: constant(answerable),
    });

  it.each([
    // right, answerable: gain = right − 0.25 × (answerable − right) − (1 − answerable)
    [0.9, 0.95, true],
    [0.3, 0.9, true], // 0.3 − 0.15 − 0.1 = 0.05
    [0.2, 0.9, false], // 0.2 − 0.175 − 0.1 < 0
    [0.6, 0.5, true], // 0.6 − 0 − 0.5 = 0.1
    [0.4, 0.5, false], // 0.4 − 0.025 − 0.5 < 0
  ])('right %f, answerable %f: cites %s', (right, answerable, expected) => {
    expect(cites(right, answerable)).toBe(expected);
  });
});
