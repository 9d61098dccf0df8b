import fc from 'fast-check';
import { Index } from 'flexsearch';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { FLEX_OPTIONS, flexBucket, flexFromPostings } from '../../../src/core/search/flex-buckets.ts';
import { termsOf } from '../../../src/core/text/tokenize.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

/** flexsearch's whole state as its export gives it: its lists by stem and bucket, and its register. */
function exported(flex: Index): string[] {
  const out: string[] = [];
  flex.export((key: string, data: string) => {
    out.push(`${key} ${data}`);
  });
  return out;
}

/** flexsearch fed one paragraph at a time, as the index used to feed it: each paragraph's distinct stems. */
function addedOneByOne(paragraphs: readonly (readonly string[])[]): Index {
  const flex = new Index(FLEX_OPTIONS);
  paragraphs.forEach((stems, d) => {
    flex.add(d, [...new Set(stems)].join(' '));
  });
  return flex;
}

/** Postings with their buckets, term-major and by paragraph, from each paragraph's stems. */
function postingsOf(paragraphs: readonly (readonly string[])[]) {
  const vocab: string[] = [];
  const byTerm = new Map<string, [number, number][]>();
  paragraphs.forEach((stems, d) => {
    const distinct = [...new Set(stems)];
    distinct.forEach((stem, i) => {
      let list = byTerm.get(stem);
      if (!list) {
        vocab.push(stem);
        list = [];
        byTerm.set(stem, list);
      }
      list.push([d, flexBucket(i, distinct.length)]);
    });
  });
  const all = vocab.flatMap((t) => byTerm.get(t) ?? []);
  const postStart = new Int32Array(vocab.length + 1);
  vocab.forEach((t, id) => {
    postStart[id + 1] = (postStart[id] as number) + (byTerm.get(t)?.length ?? 0);
  });
  return {
    vocab,
    postStart,
    postDoc: Int32Array.from(all, ([d]) => d),
    postBucket: Uint8Array.from(all, ([, b]) => b),
  };
}

describe('flexFromPostings', () => {
  it('gives flexsearch exactly the lists adding each paragraph would, for paragraphs of any length', () => {
    const word = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `w${c}`));
    const paragraphs = fc.array(fc.array(word, { minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(paragraphs, (docs) => {
        const made = flexFromPostings(postingsOf(docs), docs.length);
        expect(exported(made)).toEqual(exported(addedOneByOne(docs)));
      }),
    );
  });

  it('makes the lists of the shipped corpus’s index as flexsearch built them from its paragraphs', () => {
    const corpus = loadCorpus(shippedDataDir);
    const { index } = createAnswerEngine(corpus);
    // What the index gives each paragraph, in order: its text, its extra terms, its claims' summaries, its header.
    const stems = [...corpus.sources.values()].flatMap((s) =>
      s.paragraphs.map((p) => [
        ...termsOf(p.text),
        ...index.extraTermsOf(p),
        ...corpus.claims.filter((c) => c.source === p.source && c.paragraph === p.n).flatMap((c) => termsOf(c.summary)),
        ...termsOf(`${s.title} ${s.publisher}`),
      ]),
    );
    const snapshot = index.toSnapshot();
    expect(exported(flexFromPostings(snapshot, index.size))).toEqual(exported(addedOneByOne(stems)));
    // Several stems fall in a bucket other than the first, so the buckets were really compared.
    expect(new Set(snapshot.postBucket).size).toBeGreaterThan(3);
  });
});

describe('flexBucket', () => {
  it('puts the first stem first and spreads long paragraphs over every bucket', () => {
    expect(flexBucket(0, 50)).toBe(0);
    expect(flexBucket(5, 9)).toBe(5);
    expect(flexBucket(49, 50)).toBe(8);
  });
});
