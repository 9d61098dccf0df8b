import { describe, expect, it } from 'vitest';
import { createAnswerEngine, paragraphKey } from '../../../src/core/answer/engine.ts';
import { allParagraphs } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const corpus = loadCorpus(shippedDataDir);
const { facts, index } = createAnswerEngine(corpus);
const paragraphs = allParagraphs(corpus);

describe('ParagraphFacts', () => {
  it('holds each paragraph’s claims in corpus order, and every claim once', () => {
    let total = 0;
    paragraphs.forEach((p, d) => {
      const expected = corpus.claims.filter((c) => paragraphKey(c) === paragraphKey(p));
      expect(facts.claimsOf(d), paragraphKey(p)).toEqual(expected);
      total += expected.length;
    });
    expect(total).toBe(corpus.claims.length);
  });

  it('holds the actors the paragraph was indexed with, and answers namesAny from them', () => {
    const ids = [...corpus.actors.keys()];
    paragraphs.forEach((p, d) => {
      const actors = facts.actorsOf(d);
      expect(actors.map((id) => `@${id}`)).toEqual(index.extraTermsOf(p));
      for (const id of ids) expect(facts.namesAny(d, [id]), `${paragraphKey(p)} ${id}`).toBe(actors.includes(id));
    });
    expect(facts.namesAny(0, ['no-such-actor'])).toBe(false);
  });

  it('lists the paragraphs with a claim of each type and about each actor, newest source first', () => {
    for (const [field, lists] of [
      ['type', facts.byType],
      ['actor', facts.byActor],
    ] as const) {
      const values = new Set(corpus.claims.map((c) => c[field]));
      expect(new Set(lists.keys())).toEqual(values);
      for (const value of values) {
        const docs = [...(lists.get(value) ?? [])];
        const expected = paragraphs
          .map((p, d) => [p, d] as const)
          .filter(([p]) => corpus.claims.some((c) => c[field] === value && paragraphKey(c) === paragraphKey(p)))
          .map(([, d]) => d);
        expect([...docs].sort((a, b) => a - b)).toEqual(expected);
        const times = docs.map((d) => facts.time[d] as number);
        expect(times).toEqual([...times].sort((a, b) => b - a));
      }
    }
  });

  it('dates each paragraph by its source, and spans the corpus’s dates', () => {
    paragraphs.forEach((p, d) => {
      expect(facts.time[d]).toBe(Date.parse(corpus.sources.get(p.source)?.date ?? ''));
    });
    const dates = [...corpus.sources.values()].map((s) => Date.parse(s.date));
    expect(facts.dateRange).toEqual({ min: Math.min(...dates), max: Math.max(...dates) });
  });
});
