/**
 * flexsearch's lists, made from our own postings. flexsearch keeps, for each stem, the paragraphs
 * that hold it in lists by position bucket: a paragraph goes into the bucket of the stem's place
 * among its distinct stems (first ones first), and each list is in the order the paragraphs were
 * added. The build records that bucket for every posting (one byte), so the index can walk a
 * stem's paragraphs in flexsearch's order without flexsearch, and gives flexsearch a stem's lists,
 * made at their final size, only when a lookup of several stems needs its intersection. Adding
 * every paragraph to flexsearch held all of them again as JavaScript arrays (about 47 MB at 100k
 * paragraphs), grown by copying; a snapshot stored them again as flexsearch's JSON export (34 MB).
 *
 * This reproduces flexsearch 0.8's `add` for an index with `tokenize: 'strict'`, no context and
 * the resolution below; `test/core/search/flex-buckets.test.ts` checks the lists against ones
 * flexsearch built itself.
 */
import { Index } from 'flexsearch';

/** flexsearch's number of position buckets per stem (its default). */
export const FLEX_RESOLUTION = 9;

/** flexsearch settings: each paragraph is given as its distinct stems, joined by spaces. */
export const FLEX_OPTIONS = {
  tokenize: 'strict',
  resolution: FLEX_RESOLUTION,
  encode: (s: string) => s.split(' ').filter(Boolean),
} as const;

/**
 * The bucket flexsearch gives the `i`-th (from 0) of a paragraph's `count` distinct stems: its
 * `get_score` for a whole word, written as it computes it so the rounding is the same.
 *
 * @example flexBucket(3, 100) // 1
 */
export function flexBucket(i: number, count: number): number {
  if (i === 0) return 0;
  return count <= FLEX_RESOLUTION ? i : (((FLEX_RESOLUTION - 1) / count) * i + 1) | 0;
}

/** The postings a flexsearch index is made from: term `t` owns `postStart[t]` to `postStart[t + 1] - 1`. */
export interface BucketedPostings {
  vocab: readonly string[];
  postStart: Int32Array;
  postDoc: Int32Array;
  postBucket: Uint8Array;
}

/**
 * Term `t`'s lists as flexsearch would hold them after adding paragraphs `0`, `1`, … in order,
 * each as its distinct stems: by bucket, each in paragraph order, holes where no paragraph fell.
 */
export function flexListsOf(data: BucketedPostings, t: number): number[][] {
  const { vocab, postStart, postDoc, postBucket } = data;
  const stem = vocab[t] as string;
  // flexsearch would split such a stem into other words: the lists below would not be its own.
  if (stem === '' || stem.includes(' ')) throw new Error(`flex-buckets: cannot index the stem "${stem}"`);
  const from = postStart[t] as number;
  const to = postStart[t + 1] as number;
  const counts = new Int32Array(FLEX_RESOLUTION);
  for (let at = from; at < to; at++) {
    const b = postBucket[at] as number;
    counts[b] = (counts[b] as number) + 1;
  }
  const lists: number[][] = [];
  for (let b = 0; b < FLEX_RESOLUTION; b++) {
    // `new Array(n)` filled in order takes exactly n slots; pushing would leave spare capacity.
    if (counts[b]) lists[b] = new Array<number>(counts[b] as number);
  }
  counts.fill(0);
  for (let at = from; at < to; at++) {
    const b = postBucket[at] as number;
    (lists[b] as number[])[counts[b] as number] = postDoc[at] as number;
    counts[b] = (counts[b] as number) + 1;
  }
  return lists;
}

/**
 * Gives flexsearch the lists of these terms (see `flexListsOf`), through its `import`, which takes
 * its export parsed as well as the JSON text and keeps these arrays as they are.
 */
export function giveFlexLists(flex: Index, data: BucketedPostings, terms: readonly number[]): void {
  const entries = terms.map((t): [string, number[][]] => [data.vocab[t] as string, flexListsOf(data, t)]);
  (flex.import.bind(flex) as (key: string, data: unknown) => void)('map', entries);
}

/**
 * A flexsearch index holding exactly what adding paragraphs `0` to `paragraphs - 1` in order would
 * have given it: every stem's lists and the register of paragraphs (those with at least one stem).
 */
export function flexFromPostings(data: BucketedPostings, paragraphs: number): Index {
  const flex = new Index(FLEX_OPTIONS);
  const present = new Uint8Array(paragraphs);
  for (let at = 0; at < data.postDoc.length; at++) present[data.postDoc[at] as number] = 1;
  const register: number[] = [];
  for (let d = 0; d < paragraphs; d++) if (present[d]) register.push(d);
  (flex.import.bind(flex) as (key: string, data: unknown) => void)('reg', register);
  const terms: number[] = [];
  for (let t = 0; t < data.vocab.length; t++)
    if ((data.postStart[t + 1] as number) > (data.postStart[t] as number)) terms.push(t);
  giveFlexLists(flex, data, terms);
  return flex;
}
