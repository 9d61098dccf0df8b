import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine, paragraphKey } from '../../../src/core/answer/engine.ts';
import { allParagraphs } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { ParagraphIndex, type QueryTerm } from '../../../src/core/search/paragraph-index.ts';
import { termsOf, tokenize } from '../../../src/core/text/tokenize.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const corpus = loadCorpus(shippedDataDir);
const engine = createAnswerEngine(corpus);
const { index } = engine;
const paragraphs = allParagraphs(corpus);
/** Stems that occur in paragraph text, most of them in several paragraphs. */
const vocabulary = [...new Set(paragraphs.flatMap((p) => termsOf(p.text)))].sort();

const term = (stem: string, boost = 1): QueryTerm => ({
  word: stem,
  alternatives: [{ stems: [stem], weight: 1 }],
  focus: true,
  boost,
});
const queries = fc.array(fc.record({ stem: fc.constantFrom(...vocabulary), boost: fc.constantFrom(0.5, 1) }), {
  minLength: 1,
  maxLength: 5,
});

describe('ParagraphIndex.search', () => {
  it('returns the best `limit` hits: a shorter list is a prefix of a longer one', () => {
    fc.assert(
      fc.property(queries, fc.integer({ min: 1, max: 12 }), (q, limit) => {
        const terms = q.map((t) => term(t.stem, t.boost));
        const keys = (hits: ReturnType<typeof index.search>) => hits.map((h) => [paragraphKey(h.paragraph), h.score]);
        expect(keys(index.search(terms, limit))).toEqual(keys(index.search(terms, 200)).slice(0, limit));
      }),
    );
  });

  it('orders hits by score, then source id from last to first', () => {
    fc.assert(
      fc.property(queries, (q) => {
        const hits = index.search(
          q.map((t) => term(t.stem, t.boost)),
          200,
        );
        for (let i = 1; i < hits.length; i++) {
          const [a, b] = [hits[i - 1], hits[i]] as [(typeof hits)[0], (typeof hits)[0]];
          expect(
            a.score > b.score || (a.score === b.score && a.paragraph.source.localeCompare(b.paragraph.source) >= 0),
          ).toBe(true);
        }
      }),
    );
  });

  it('returns only paragraphs that hold a query word, with coverage between 0 and 1', () => {
    fc.assert(
      fc.property(queries, (q) => {
        for (const h of index.search(
          q.map((t) => term(t.stem)),
          200,
        )) {
          expect(h.matched.size).toBeGreaterThan(0);
          expect(h.coverage).toBeGreaterThan(0);
          expect(h.coverage).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it('finds a phrase alternative only where every one of its stems is', () => {
    const [a, b] = ['cyber', 'actor'];
    const phrase: QueryTerm = {
      word: 'hackers',
      alternatives: [{ stems: [a, b], weight: 0.85 }],
      focus: true,
      boost: 1,
    };
    const hits = index.search([phrase], 200);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(index.lookup([a, b])).toContain(paragraphs.indexOf(h.paragraph));
  });
});

describe('ParagraphIndex.lookup', () => {
  it('finds the paragraphs holding every stem of a phrase from its postings as flexsearch does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { minLength: 2, maxLength: 3 }), (stems) => {
        const sorted = (docs: number[]) => [...docs].sort((a, b) => a - b);
        expect(sorted(index.holdingEvery(stems))).toEqual(sorted(index.lookup(stems)));
      }),
    );
    expect(index.holdingEvery(['russia', 'no-such-stem'])).toEqual([]);
  });

  it('finds exactly the paragraphs whose text, claim summaries or header hold a stem', () => {
    const summaries = (p: (typeof paragraphs)[0]) =>
      corpus.claims.filter((c) => c.source === p.source && c.paragraph === p.n).flatMap((c) => termsOf(c.summary));
    const header = (p: (typeof paragraphs)[0]) => {
      const s = corpus.sources.get(p.source);
      return termsOf(`${s?.title} ${s?.publisher}`);
    };
    fc.assert(
      fc.property(fc.constantFrom(...vocabulary), (stem) => {
        const expected = paragraphs
          .map((p, d) => [p, d] as const)
          .filter(([p]) => [...termsOf(p.text), ...summaries(p), ...header(p)].includes(stem))
          .map(([, d]) => d);
        expect(index.lookup([stem]).sort((x, y) => x - y)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe('ParagraphIndex.eachWithStem', () => {
  it('visits every stem’s paragraphs in lookup order, in a built and in a restored index', () => {
    const restored = ParagraphIndex.fromSnapshot(corpus, index.toSnapshot());
    const { vocab } = index.extraTermTable();
    // Stems in many paragraphs fill several of flexsearch's position buckets, so their order is not by number.
    expect(vocab.some((stem) => index.lookup([stem]).some((d, i, docs) => i > 0 && d < (docs[i - 1] as number)))).toBe(
      true,
    );
    for (const each of [index, restored]) {
      for (const stem of [...vocab, 'no-such-stem']) {
        const visited: number[] = [];
        each.eachWithStem(stem, (d) => visited.push(d));
        expect(visited, stem).toEqual(index.lookup([stem]));
      }
    }
  });
});

describe('ParagraphIndex.extraTermsOf', () => {
  it('gives back the actor terms the engine indexed each paragraph with: names in its text and its claims’ subjects', () => {
    for (const p of paragraphs) {
      const named = engine.names
        .find(tokenize(p.text))
        .flatMap((m) => (m.target.kind === 'actor' ? [m.target.id] : []));
      const ofClaims = corpus.claims
        .filter((c) => paragraphKey(c) === paragraphKey(p))
        .flatMap((c) => [c.actor, ...(c.favours ?? []), ...(c.opposes ?? [])]);
      const terms = index.extraTermsOf(p);
      expect(terms, paragraphKey(p)).toEqual([...new Set([...named, ...ofClaims])].map((id) => `@${id}`));
      expect(index.extraTermsOf(index.docOf(p) as number)).toEqual(terms);
    }
  });
});

describe('ParagraphIndex.docOf and paragraphAt', () => {
  it('number paragraphs in corpus order, and refuse paragraphs that are not there', () => {
    paragraphs.forEach((p, d) => {
      expect(index.docOf(p)).toBe(d);
      expect(index.paragraphAt(d)).toBe(p);
    });
    const first = paragraphs[0] as (typeof paragraphs)[number];
    expect(index.docOf({ source: first.source, n: 0 })).toBeUndefined();
    expect(index.docOf({ source: first.source, n: 10_000 })).toBeUndefined();
    expect(index.docOf({ source: 'no-such-source', n: 1 })).toBeUndefined();
    expect(index.paragraphAt(paragraphs.length)).toBeUndefined();
  });
});
