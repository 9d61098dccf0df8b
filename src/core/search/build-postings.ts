/**
 * Building an index: every paragraph's text, its claims' summaries and its source's header turned
 * into weighted term frequencies, stored as flat typed arrays (see `IndexSnapshot`), with the
 * position bucket flexsearch gives each posting (see `flex-buckets.ts`).
 *
 * Memory: postings are collected paragraph by paragraph and then turned term-major, so both
 * layouts exist for a moment. They are typed arrays grown a chunk at a time (no doubling copies,
 * little spare room) and read in place, and the paragraph-major ones are let go before the other
 * lists are copied to their final size.
 */
import type { Corpus, Paragraph } from '../corpus/corpus.ts';
import { STOP_WORDS, type Token, termsOf, tokenize } from '../text/tokenize.ts';
import { flexBucket } from './flex-buckets.ts';
import type { IndexOptions, IndexSnapshot } from './paragraph-index.ts';

/**
 * Pseudo-terms to index with a paragraph at full weight (such as `@russia` for the actors it names),
 * given the paragraph's tokens so the caller need not tokenize its text again.
 */
export type ExtraTerms = (p: Paragraph, tokens: readonly Token[]) => string[];

/** A code holds a frequency's place in the table and the in-text flag; the bucket takes 4 bits beside it. */
const BUCKET_BITS = 4;

/** The index's arrays for a corpus, in corpus order. */
export function buildPostings(corpus: Corpus, options: IndexOptions, extraTerms?: ExtraTerms): IndexSnapshot {
  const walked = walkParagraphs(corpus, options, extraTerms);
  const postings = termMajor(walked);
  // The paragraph-major lists are garbage from here on, before the copies below are allocated.
  walked.tf = undefined;
  const { vocab, tfTable, seq, extra } = walked;
  return {
    options,
    vocab,
    ...postings,
    tfTable: Float64Array.from(tfTable),
    seqStart: seq.start.done(),
    seqTerm: seq.term.done(),
    extraStart: extra.start.done(),
    extraTerm: extra.term.done(),
  };
}

/** Postings in paragraph order: paragraph `d` owns `start[d]` to `start[d + 1] - 1` of `term` and `code`. */
interface Walked {
  vocab: string[];
  tfTable: number[];
  /** Released once the postings are term-major. */
  tf: { start: IntList; term: IntList; code: IntList } | undefined;
  seq: { start: IntList; term: IntList };
  extra: { start: IntList; term: IntList };
  paragraphs: number;
}

/** Tokenizes every paragraph once, numbering stems as they first appear. */
function walkParagraphs(corpus: Corpus, options: IndexOptions, extraTerms?: ExtraTerms): Walked {
  const summaries = summariesByParagraph(corpus);
  const { summaryWeight, headerWeight } = options;
  const vocab: string[] = [];
  const idOf = new Map<string, number>();
  const tf = { start: new IntList(), term: new IntList(), code: new IntList() };
  const tfTable: number[] = [];
  const tfIndex = new Map<number, number>();
  const seq = { start: new IntList(), term: new IntList() };
  const extra = { start: new IntList(), term: new IntList() };
  for (const list of [tf.start, seq.start, extra.start]) list.push(0);
  // Per-paragraph accumulators indexed by term id; `mark` says which paragraph last touched one.
  const acc: number[] = [];
  const own: number[] = [];
  const mark: number[] = [];
  const touched: number[] = [];
  let d = 0;
  const add = (terms: readonly string[], w: number, inText: boolean, into?: IntList) => {
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
  for (const source of corpus.sources.values()) {
    const header = termsOf(`${source.title} ${source.publisher}`);
    for (const p of source.paragraphs) {
      touched.length = 0;
      const tokens = tokenize(p.text);
      add(
        tokens.filter((t) => !STOP_WORDS.has(t.word)).map((t) => t.stem),
        1,
        true,
        seq.term,
      );
      add(extraTerms ? extraTerms(p, tokens) : [], 1, true, extra.term);
      const claimed = summaries.get(d);
      if (claimed) for (const s of claimed) add(termsOf(s), summaryWeight, false);
      add(header, headerWeight, false);
      // flexsearch buckets a paragraph's stems by their place in first-appearance order.
      for (let i = 0; i < touched.length; i++) {
        const id = touched[i] as number;
        const value = acc[id] as number;
        let at = tfIndex.get(value);
        if (at === undefined) {
          at = tfTable.push(value) - 1;
          tfIndex.set(value, at);
        }
        tf.term.push(id);
        tf.code.push(((at * 2 + (own[id] as number)) << BUCKET_BITS) | flexBucket(i, touched.length));
      }
      if (tfTable.length >= 2 ** (31 - BUCKET_BITS - 1))
        throw new Error('build-postings: too many distinct frequencies');
      tf.start.push(tf.term.length);
      seq.start.push(seq.term.length);
      extra.start.push(extra.term.length);
      d++;
    }
  }
  return { vocab, tfTable, tf, seq, extra, paragraphs: d };
}

/**
 * The summaries of the claims drawn from each paragraph, by paragraph number, in corpus order.
 * Claims naming a paragraph the corpus does not have are left out.
 */
function summariesByParagraph(corpus: Corpus): Map<number, string[]> {
  const firstOf = new Map<string, number>();
  let d = 0;
  for (const source of corpus.sources.values()) {
    firstOf.set(source.id, d);
    d += source.paragraphs.length;
  }
  const out = new Map<number, string[]>();
  for (const c of corpus.claims) {
    const first = firstOf.get(c.source);
    const count = corpus.sources.get(c.source)?.paragraphs.length ?? 0;
    if (first === undefined || !(c.paragraph >= 1 && c.paragraph <= count)) continue;
    const doc = first + c.paragraph - 1;
    const list = out.get(doc);
    if (list) list.push(c.summary);
    else out.set(doc, [c.summary]);
  }
  return out;
}

/** Paragraph-major to term-major: each term's postings come out sorted by paragraph. */
function termMajor(walked: Walked): Pick<IndexSnapshot, 'postStart' | 'postDoc' | 'postCode' | 'postBucket'> {
  const { vocab, tf, paragraphs } = walked;
  if (!tf) throw new Error('build-postings: the postings were already made term-major');
  const starts = tf.start.done();
  const termChunks = tf.term.chunks();
  const codeChunks = tf.code.chunks();
  const postStart = new Int32Array(vocab.length + 1);
  for (const terms of termChunks) {
    for (let k = 0; k < terms.length; k++) {
      const next = (terms[k] as number) + 1;
      postStart[next] = (postStart[next] as number) + 1;
    }
  }
  for (let t = 0; t < vocab.length; t++) postStart[t + 1] = (postStart[t + 1] as number) + (postStart[t] as number);
  const fill = postStart.slice(0, vocab.length);
  const total = tf.term.length;
  const postDoc = new Int32Array(total);
  // Codes are under twice the number of distinct frequencies: a few hundred in practice.
  const postCode = walked.tfTable.length * 2 <= 0xffff ? new Uint16Array(total) : new Uint32Array(total);
  const postBucket = new Uint8Array(total);
  const bucketMask = (1 << BUCKET_BITS) - 1;
  let doc = 0;
  let i = 0;
  termChunks.forEach((terms, c) => {
    const codes = codeChunks[c] as Int32Array;
    for (let k = 0; k < terms.length; k++, i++) {
      while (doc < paragraphs && i >= (starts[doc + 1] as number)) doc++;
      const term = terms[k] as number;
      const at = fill[term] as number;
      fill[term] = at + 1;
      const code = codes[k] as number;
      postDoc[at] = doc;
      postCode[at] = code >>> BUCKET_BITS;
      postBucket[at] = code & bucketMask;
    }
  });
  return { postStart, postDoc, postCode, postBucket };
}

/** Entries per chunk of a long `IntList` (4 MB). */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A list of int32 that grows by doubling up to a chunk of `CHUNK` entries, then a chunk at a time:
 * no JS number per entry, at most one chunk unused, and no copy of a long list as it grows.
 */
class IntList {
  private readonly full: Int32Array[] = [];
  private last = new Int32Array(1024);
  private fill = 0;
  length = 0;

  push(value: number): void {
    if (this.fill === this.last.length) this.grow();
    this.last[this.fill++] = value;
    this.length++;
  }

  private grow(): void {
    if (this.last.length < CHUNK) {
      const bigger = new Int32Array(this.last.length * 2);
      bigger.set(this.last);
      this.last = bigger;
    } else {
      this.full.push(this.last);
      this.last = new Int32Array(CHUNK);
      this.fill = 0;
    }
  }

  /** The values in place, a chunk at a time: valid until the next push. */
  chunks(): Int32Array[] {
    return [...this.full, this.last.subarray(0, this.fill)];
  }

  /** The values, in an array of exactly their length. */
  done(): Int32Array {
    const out = new Int32Array(this.length);
    let at = 0;
    for (const chunk of this.chunks()) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
