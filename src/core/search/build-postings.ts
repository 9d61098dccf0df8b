/**
 * Building an index: every paragraph's text, its claims' summaries and its source's header turned
 * into weighted term frequencies, stored as flat typed arrays (see `IndexSnapshot`), with each
 * paragraph's stems also given to flexsearch.
 */
import type { Index } from 'flexsearch';
import type { Corpus, Paragraph } from '../corpus/corpus.ts';
import { STOP_WORDS, type Token, termsOf, tokenize } from '../text/tokenize.ts';
import type { IndexOptions, IndexSnapshot } from './paragraph-index.ts';

/**
 * Pseudo-terms to index with a paragraph at full weight (such as `@russia` for the actors it names),
 * given the paragraph's tokens so the caller need not tokenize its text again.
 */
export type ExtraTerms = (p: Paragraph, tokens: readonly Token[]) => string[];

/** The index's arrays for a corpus, in corpus order; flexsearch gets each paragraph's stems as they go. */
export function buildPostings(
  corpus: Corpus,
  options: IndexOptions,
  flex: Index,
  extraTerms?: ExtraTerms,
): IndexSnapshot {
  const summaries = new Map<string, string[]>();
  for (const c of corpus.claims) {
    const key = `${c.source}#${c.paragraph}`;
    summaries.set(key, [...(summaries.get(key) ?? []), c.summary]);
  }
  const { summaryWeight, headerWeight } = options;
  const vocab: string[] = [];
  const idOf = new Map<string, number>();
  const tf = { start: [0], term: new IntList(), code: new IntList() };
  const tfTable: number[] = [];
  const tfIndex = new Map<number, number>();
  const seq = { start: [0], term: new IntList() };
  const extra = { start: [0], term: new IntList() };
  // Per-paragraph accumulators indexed by term id; `mark` says which paragraph last touched one.
  const acc: number[] = [];
  const own: number[] = [];
  const mark: number[] = [];
  let d = 0;
  for (const source of corpus.sources.values()) {
    const header = termsOf(`${source.title} ${source.publisher}`);
    for (const p of source.paragraphs) {
      const touched: number[] = [];
      const add = (terms: string[], w: number, inText: boolean, into?: IntList) => {
        for (const t of terms) {
          let id = idOf.get(t);
          if (id === undefined) {
            id = vocab.push(t) - 1;
            idOf.set(t, id);
          }
          if (mark[id] !== d + 1) {
            mark[id] = d + 1;
            acc[id] = 0;
            own[id] = 0;
            touched.push(id);
          }
          acc[id] = (acc[id] as number) + w;
          if (inText) own[id] = 1;
          into?.push(id);
        }
      };
      const tokens = tokenize(p.text);
      add(
        tokens.filter((t) => !STOP_WORDS.has(t.word)).map((t) => t.stem),
        1,
        true,
        seq.term,
      );
      add(extraTerms ? extraTerms(p, tokens) : [], 1, true, extra.term);
      add((summaries.get(`${p.source}#${p.n}`) ?? []).flatMap(termsOf), summaryWeight, false);
      add(header, headerWeight, false);
      // First-appearance order, as flexsearch has always been given it (its result order follows).
      flex.add(d, touched.map((id) => vocab[id]).join(' '));
      for (const id of touched) {
        const value = acc[id] as number;
        let at = tfIndex.get(value);
        if (at === undefined) {
          at = tfTable.push(value) - 1;
          tfIndex.set(value, at);
        }
        tf.term.push(id);
        tf.code.push(at * 2 + (own[id] as number));
      }
      tf.start.push(tf.term.length);
      seq.start.push(seq.term.length);
      extra.start.push(extra.term.length);
      d++;
    }
  }
  // Paragraph-major to term-major: postings come out sorted by paragraph.
  const terms = tf.term.done();
  const codes = tf.code.done();
  const postStart = new Int32Array(vocab.length + 1);
  for (const id of terms) postStart[id + 1] = (postStart[id + 1] as number) + 1;
  for (let t = 0; t < vocab.length; t++) postStart[t + 1] = (postStart[t + 1] as number) + (postStart[t] as number);
  const fill = postStart.slice(0, vocab.length);
  const postDoc = new Int32Array(terms.length);
  const postCode = new Uint32Array(terms.length);
  for (let doc = 0; doc < d; doc++) {
    for (let i = tf.start[doc] as number; i < (tf.start[doc + 1] as number); i++) {
      const at = fill[terms[i] as number] as number;
      fill[terms[i] as number] = at + 1;
      postDoc[at] = doc;
      postCode[at] = codes[i] as number;
    }
  }
  return {
    options,
    vocab,
    postStart,
    postDoc,
    postCode,
    tfTable: Float64Array.from(tfTable),
    seqStart: Int32Array.from(seq.start),
    seqTerm: seq.term.done(),
    extraStart: Int32Array.from(extra.start),
    extraTerm: extra.term.done(),
    flex: [],
  };
}

/** A list of int32 that grows by doubling: building postings without a JS number per entry. */
class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values, in an array of exactly their length. */
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
