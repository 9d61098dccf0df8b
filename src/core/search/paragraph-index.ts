/**
 * Full-text index over the corpus's paragraphs. Paragraphs are recalled as flexsearch recalls them
 * (in its order, kept beside our postings as each posting's bucket, and through its own
 * intersection for phrases; see `flex-buckets.ts`), and ranked by BM25 computed here over three
 * weighted fields of each paragraph: its own text, the summaries of claims drawn from it, and its
 * source's title and publisher. Built once per corpus, or restored from a snapshot (see `persist-index.ts`); searching
 * does no I/O.
 *
 * Design goals: every hit is a whole, verbatim paragraph; scores are explainable (which query terms
 * matched, through which alternative); coverage of the question's terms is reported so the caller
 * can say "not found" instead of citing a paragraph that shares one common word.
 *
 * Storage: stems are numbered once; each paragraph's weighted term frequencies and its stem sequence
 * are slices of flat typed arrays, not a Map and a Set per paragraph. That keeps a 100k-paragraph
 * index in tens of megabytes, makes a snapshot a handful of arrays, and lets `search` score
 * thousands of candidates without allocating; only the `limit` best become `Hit` objects.
 */
import { Index } from 'flexsearch';
import type { Corpus, Paragraph } from '../corpus/corpus.ts';
import { editDistance, typoBudget } from '../text/tokenize.ts';
import { buildPostings, type ExtraTerms } from './build-postings.ts';
import { FLEX_OPTIONS, FLEX_RESOLUTION, giveFlexLists } from './flex-buckets.ts';
import { bestOf, findPosting, type ScoringTerm, Scratch, scoreCandidates } from './score-candidates.ts';

/** Ranking parameters, merged over `DEFAULT_INDEX_OPTIONS`. */
export interface IndexOptions {
  /** BM25 term-frequency saturation, 0.5–2: higher lets repeated words count more. */
  k1: number;
  /** BM25 length normalisation, 0–1: 1 fully penalises long paragraphs. */
  b: number;
  /** Weight of a word in a claim summary drawn from the paragraph (paragraph text is 1). */
  summaryWeight: number;
  /** Weight of a word in the paragraph's source title and publisher. */
  headerWeight: number;
  /** Credit, 0–1, for a word found only in a claim summary or the header, not the paragraph itself (score and coverage). */
  indirectWeight: number;
  /** Bonus, as a share of the smaller idf, when two query words stand side by side in the text. */
  adjacencyBonus: number;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = {
  k1: 1.2,
  b: 0.6,
  summaryWeight: 0.35,
  headerWeight: 0.15,
  adjacencyBonus: 0.6,
  indirectWeight: 0.5,
};

/** One way a query word may be found: its own stem, a thesaurus phrase, a typo correction. */
export interface TermAlternative {
  /** Every stem must be in the paragraph for this alternative to match. */
  stems: string[];
  /** 0–1: how much a match through this alternative counts. */
  weight: number;
  /** How the alternative relates to the word asked (unset: the word's own stem). */
  kind?: MatchKind;
}

/**
 * How a paragraph's word can match a question's word: its own stem, a domain thesaurus phrase, a
 * WordNet synonym, derivationally related form, broader or narrower word, a typo correction, or
 * the actor a name stands for.
 */
export type MatchKind = 'exact' | 'thesaurus' | 'synonym' | 'derived' | 'hypernym' | 'hyponym' | 'typo' | 'actor';

/** One word of the query with the ways it may be found. */
export interface QueryTerm {
  /** The word as asked. */
  word: string;
  alternatives: TermAlternative[];
  /** Counts towards coverage (false for cue words like "deny" that only steer ranking). */
  focus: boolean;
  /** Multiplies the term's score: cue words steer less than topic words. */
  boost: number;
}

/** A paragraph with its score and what matched. */
export interface Hit {
  paragraph: Paragraph;
  /** The paragraph's number in corpus order (see `ParagraphIndex.docOf`). */
  doc: number;
  score: number;
  /** Words of the query (QueryTerm.word) found in the paragraph, its claims' summaries or its header. */
  matched: Set<string>;
  /** Share of the focus terms' idf mass found, 0–1. */
  coverage: number;
}

/**
 * An index as flat arrays: what `persist-index.ts` stores. Term `t`
 * owns postings `postStart[t]` to `postStart[t + 1] - 1`, by paragraph number (corpus order);
 * paragraph `d` owns `seqStart[d]` to `seqStart[d + 1] - 1` of its stem sequence, and likewise of
 * its extra terms.
 */
export interface IndexSnapshot {
  options: IndexOptions;
  /** Stems by term id, in order of first appearance. */
  vocab: string[];
  postStart: Int32Array;
  postDoc: Int32Array;
  /**
   * `tfTable[code >>> 1]` is the weighted term frequency over all fields; `code & 1` is 1 when the
   * stem is in the paragraph text itself or among its extra terms. (Few distinct frequencies
   * occur, so a code takes 2 bytes, or 4 past 32,767 of them, where a frequency and a flag took 9.)
   */
  postCode: Uint16Array | Uint32Array;
  tfTable: Float64Array;
  /** The paragraph's non-stop stems in text order: its length, and adjacency. */
  seqStart: Int32Array;
  seqTerm: Int32Array;
  extraStart: Int32Array;
  extraTerm: Int32Array;
  /** The bucket of each posting in flexsearch's lists (see `flex-buckets.ts`). */
  postBucket: Uint8Array;
}

/** Options baked into stored term frequencies: a snapshot can only be used with its own. */
const BAKED_OPTIONS = ['summaryWeight', 'headerWeight'] as const;

/**
 * @example
 * const index = new ParagraphIndex(corpus);
 * index.search([{ word: 'ballot', alternatives: [{ stems: ['ballot'], weight: 1 }], focus: true, boost: 1 }]);
 */
export class ParagraphIndex {
  readonly options: IndexOptions;
  private readonly paragraphs: Paragraph[];
  private readonly firstOfSource = new Map<string, number>();
  private readonly data: IndexSnapshot;
  private readonly termIds = new Map<string, number>();
  private readonly idfs: Float64Array;
  /** BM25 length normalisation per paragraph: `k1 * (1 - b + b * length / avgLength)`. */
  private readonly norm: Float64Array;
  /** Rank of each paragraph's source id in `localeCompare` order (equal ids, equal rank). */
  private readonly sourceRank: Int32Array;
  /** Holds the lists of the stems `flexGiven` marks: those a lookup of several stems has asked for. */
  private readonly flex = new Index(FLEX_OPTIONS);
  private readonly flexGiven: Uint8Array;
  /** `eachWithStem`'s scratch: a stem's paragraphs in flexsearch's order. */
  private readonly flexOrder: Int32Array;
  /** Where each bucket of term `t` starts among its postings put in bucket order: `[t * FLEX_RESOLUTION + b]`. */
  private readonly bucketStarts: Int32Array;
  private vocabByLength: Map<number, string[]> | undefined;
  /** Per-search scratch: which search last saw a paragraph, and its candidate position. */
  private readonly seen: Int32Array;
  private readonly slot: Int32Array;
  private searchCount = 0;
  private readonly scratch = new Scratch();
  private readonly candidateBuffer: Int32Array;
  private readonly inSequence: Uint8Array;

  /**
   * @param extraTerms pseudo-terms to index with a paragraph at full weight, such as `@russia` for
   *   the actors it names, so a query can ask for an actor however the paragraph spells it.
   * @param snapshot restore from this instead of building (see `ParagraphIndex.fromSnapshot`).
   */
  constructor(corpus: Corpus, options: Partial<IndexOptions> = {}, extraTerms?: ExtraTerms, snapshot?: IndexSnapshot) {
    this.paragraphs = [];
    for (const source of corpus.sources.values()) {
      this.firstOfSource.set(source.id, this.paragraphs.length);
      for (const p of source.paragraphs) this.paragraphs.push(p);
    }
    let data: IndexSnapshot;
    if (snapshot) {
      for (const key of BAKED_OPTIONS) {
        if (options[key] !== undefined && options[key] !== snapshot.options[key]) {
          throw new Error(
            `paragraph-index: the snapshot was built with ${key} ${snapshot.options[key]}, not ${options[key]}`,
          );
        }
      }
      if (snapshot.seqStart.length !== this.paragraphs.length + 1) {
        throw new Error(
          `paragraph-index: the snapshot has ${snapshot.seqStart.length - 1} paragraphs, the corpus ${this.paragraphs.length}`,
        );
      }
      if (snapshot.postBucket.length !== snapshot.postDoc.length || !bucketsFit(snapshot.postBucket)) {
        throw new Error(
          `paragraph-index: the snapshot's ${snapshot.postBucket.length} buckets do not fit its ${snapshot.postDoc.length} postings`,
        );
      }
      this.options = { ...snapshot.options, ...options };
      data = snapshot;
    } else {
      this.options = { ...DEFAULT_INDEX_OPTIONS, ...options };
      data = buildPostings(corpus, this.options, extraTerms);
    }
    this.data = data;
    const { vocab, postStart, seqStart } = this.data;
    vocab.forEach((t, id) => {
      this.termIds.set(t, id);
    });
    const n = this.paragraphs.length;
    this.idfs = Float64Array.from(vocab, (_, id) => {
      const df = (postStart[id + 1] as number) - (postStart[id] as number);
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    });
    const avgLength = n ? (seqStart[n] as number) / n : 1;
    const { k1, b } = this.options;
    this.norm = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const length = (seqStart[d + 1] as number) - (seqStart[d] as number);
      this.norm[d] = k1 * (1 - b + (b * length) / avgLength);
    }
    const ids = [...this.firstOfSource.keys()].sort((x, y) => x.localeCompare(y));
    const rankOf = new Map<string, number>();
    let rank = 0;
    ids.forEach((id, i) => {
      // Ids that localeCompare calls equal share a rank, so ties fall back to lookup order.
      if (i > 0 && id.localeCompare(ids[i - 1] as string) !== 0) rank = i;
      rankOf.set(id, rank);
    });
    this.sourceRank = Int32Array.from(this.paragraphs, (p) => rankOf.get(p.source) as number);
    this.seen = new Int32Array(n);
    this.slot = new Int32Array(n);
    this.candidateBuffer = new Int32Array(n);
    this.inSequence = new Uint8Array(vocab.length);
    this.flexGiven = new Uint8Array(vocab.length);
    this.flexOrder = new Int32Array(n);
    this.bucketStarts = bucketStartsOf(this.data);
    for (const id of this.data.seqTerm) this.inSequence[id] = 1;
  }

  /**
   * Restores an index from `toSnapshot()` output without re-reading any text. The corpus must be
   * the one the snapshot was made from (`persist-index.ts` checks that by hash).
   *
   * @example const again = ParagraphIndex.fromSnapshot(corpus, index.toSnapshot());
   */
  static fromSnapshot(corpus: Corpus, snapshot: IndexSnapshot, options: Partial<IndexOptions> = {}): ParagraphIndex {
    return new ParagraphIndex(corpus, options, undefined, snapshot);
  }

  /** Everything the index is made of, as flat arrays. */
  toSnapshot(): IndexSnapshot {
    return { ...this.data, options: { ...this.options } };
  }

  /** Number of paragraphs indexed. */
  get size(): number {
    return this.paragraphs.length;
  }

  /** A stem's number in this index, or -1 when it occurs nowhere. */
  termId(stem: string): number {
    return this.termIds.get(stem) ?? -1;
  }

  /**
   * The stems of paragraph `doc`'s own text (stop words left out), in order, as term numbers, then
   * its extra terms: a view into the index's arrays, valid as long as the index.
   */
  termsOf(doc: number): { text: Int32Array; extra: Int32Array } {
    const { seqStart, seqTerm, extraStart, extraTerm } = this.data;
    return {
      text: seqTerm.subarray(seqStart[doc] as number, seqStart[doc + 1] as number),
      extra: extraTerm.subarray(extraStart[doc] as number, extraStart[doc + 1] as number),
    };
  }

  /**
   * Whether term `id` is in the text of some paragraph numbered `from` to `to - 1` (a source's
   * paragraphs are numbered consecutively): a binary search in its postings, nothing stored.
   */
  inTextBetween(id: number, from: number, to: number): boolean {
    const { postStart, postDoc, postCode } = this.data;
    let lo = postStart[id] as number;
    let hi = (postStart[id + 1] as number) - 1;
    // The first posting at or after `from`.
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((postDoc[mid] as number) < from) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let at = lo; at < (postStart[id + 1] as number) && (postDoc[at] as number) < to; at++) {
      if ((postCode[at] as number) & 1) return true;
    }
    return false;
  }

  /** Whether a stem occurs anywhere in the corpus (text, summaries or headers). */
  has(stem: string): boolean {
    return this.termIds.has(stem);
  }

  /** Inverse document frequency of a stem (0 when absent). */
  idf(stem: string): number {
    const id = this.termIds.get(stem);
    return id === undefined ? 0 : (this.idfs[id] as number);
  }

  /**
   * The idf of a stem found in this share (0–1) of the paragraphs: below it, a stem is common.
   *
   * @example index.idfAtShare(0.05) // a stem in one paragraph in twenty
   */
  idfAtShare(share: number): number {
    const n = this.paragraphs.length;
    const df = Math.max(1, share * n);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The highest idf any stem can have here: what an unknown word is worth in coverage. */
  maxIdf(): number {
    const n = this.paragraphs.length;
    return Math.log(1 + (n - 0.5) / 1.5);
  }

  /**
   * A paragraph's number: its position in corpus order (sources in corpus order, then paragraph
   * order), how the index, its hits and its snapshot refer to it. Undefined when not indexed.
   */
  docOf(p: { source: string; n: number }): number | undefined {
    const first = this.firstOfSource.get(p.source);
    const d = first === undefined ? -1 : first + p.n - 1;
    return this.paragraphs[d]?.source === p.source && this.paragraphs[d]?.n === p.n ? d : undefined;
  }

  /** The paragraph numbered `doc` (see `docOf`). */
  paragraphAt(doc: number): Paragraph | undefined {
    return this.paragraphs[doc];
  }

  /**
   * Every paragraph's extra terms at once, as stored: paragraph `d`'s are the stems
   * `vocab[term[i]]` for `i` from `start[d]` to `start[d + 1] - 1`.
   */
  extraTermTable(): { start: Int32Array; term: Int32Array; vocab: readonly string[] } {
    return { start: this.data.extraStart, term: this.data.extraTerm, vocab: this.data.vocab };
  }

  /** The extra terms (see the constructor) a paragraph was indexed with, in the order given. */
  extraTermsOf(p: Paragraph | number): string[] {
    const d = typeof p === 'number' ? p : this.docOf(p);
    if (d === undefined || d < 0 || d >= this.paragraphs.length) return [];
    const { extraStart, extraTerm, vocab } = this.data;
    const out: string[] = [];
    for (let i = extraStart[d] as number; i < (extraStart[d + 1] as number); i++)
      out.push(vocab[extraTerm[i] as number] as string);
    return out;
  }

  /**
   * Corpus stems within the typo budget of a stem (not itself), closest first, then most common.
   *
   * @example index.nearStems('assasin') // ['assassin']
   */
  nearStems(word: string, max = typoBudget(word)): string[] {
    if (max === 0) return [];
    if (!this.vocabByLength) {
      this.vocabByLength = new Map();
      for (const t of this.data.vocab) {
        const list = this.vocabByLength.get(t.length) ?? [];
        list.push(t);
        this.vocabByLength.set(t.length, list);
      }
    }
    const found: [string, number, number][] = [];
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const t of this.vocabByLength.get(len) ?? []) {
        const d = editDistance(word, t, max);
        if (d <= max && t !== word && !t.startsWith('@')) found.push([t, d, this.idf(t)]);
      }
    }
    // Lower idf is more common.
    return found.sort((a, b) => a[1] - b[1] || a[2] - b[2]).map(([t]) => t);
  }

  /**
   * Paragraph numbers (corpus order) of the paragraphs containing every stem, in flexsearch's
   * order, at most `limit` (default: all): one raw flexsearch query, the floor `search` builds on.
   * flexsearch is given each stem's lists the first time a lookup names it.
   */
  lookup(stems: string[], limit = this.paragraphs.length): number[] {
    const missing: number[] = [];
    for (const stem of stems) {
      const id = this.termIds.get(stem);
      if (id !== undefined && !this.flexGiven[id] && !missing.includes(id)) missing.push(id);
    }
    if (missing.length) {
      giveFlexLists(this.flex, this.data, missing);
      for (const id of missing) this.flexGiven[id] = 1;
    }
    return this.flex.search(stems.join(' '), { limit: limit || 1 }) as number[];
  }

  /**
   * The paragraphs `lookup(stems)` finds, read from our postings instead of flexsearch: the rarest
   * stem's paragraphs in its lookup order, kept when every other stem's postings hold them too.
   * Quicker than flexsearch's intersection when a stem is in tens of thousands of paragraphs.
   *
   * @example new Set(index.holdingEvery(['foreign', 'polici'])) // equals new Set(index.lookup(['foreign', 'polici']))
   */
  holdingEvery(stems: readonly string[]): number[] {
    const ids = stems.map((s) => this.termIds.get(s) ?? -1);
    if (ids.length === 0 || ids.includes(-1)) return [];
    let rarest = 0;
    for (let j = 1; j < ids.length; j++)
      if (this.postingCount(ids[j] as number) < this.postingCount(ids[rarest] as number)) rarest = j;
    const others = ids.filter((_, j) => j !== rarest);
    const out: number[] = [];
    this.eachWithStem(stems[rarest] as string, (d) => {
      for (const id of others) if (findPosting(this.data, id, d) < 0) return;
      out.push(d);
    });
    return out;
  }

  /** How many paragraphs hold the stem with this id. */
  private postingCount(id: number): number {
    const { postStart } = this.data;
    return (postStart[id + 1] as number) - (postStart[id] as number);
  }

  /**
   * Calls `visit` with each paragraph containing `stem`, in the order `lookup([stem])` returns
   * them: flexsearch's lists by bucket, each in paragraph order (see `flex-buckets.ts`), read from
   * the postings and their buckets without flexsearch or a result array. `visit` must not walk
   * this index's stems itself.
   *
   * @example
   * const docs: number[] = [];
   * index.eachWithStem('ballot', (d) => docs.push(d)); // docs equals index.lookup(['ballot'])
   */
  eachWithStem(stem: string, visit: (doc: number) => void): void {
    const id = this.termIds.get(stem);
    if (id === undefined) return;
    const { postStart, postDoc, postBucket } = this.data;
    const from = postStart[id] as number;
    const to = postStart[id + 1] as number;
    // A stable counting sort by bucket, so each bucket stays in paragraph order.
    const starts = BUCKET_STARTS;
    starts.set(this.bucketStarts.subarray(id * FLEX_RESOLUTION, (id + 1) * FLEX_RESOLUTION));
    const order = this.flexOrder;
    for (let at = from; at < to; at++) {
      const b = postBucket[at] as number;
      const k = starts[b] as number;
      order[k] = postDoc[at] as number;
      starts[b] = k + 1;
    }
    for (let k = 0; k < to - from; k++) visit(order[k] as number);
  }

  /**
   * Ranks paragraphs for a query. Only paragraphs matching at least one term are returned, best
   * first (ties: source id descending, then lookup order), at most `limit`.
   */
  search(terms: QueryTerm[], limit = 20): Hit[] {
    const stamp = ++this.searchCount;
    // Candidate paragraphs in lookup order, in a buffer kept between searches (at most every paragraph).
    const all = this.candidateBuffer;
    let count = 0;
    const { seen, slot } = this;
    const add = (d: number) => {
      if (seen[d] === stamp) return;
      seen[d] = stamp;
      slot[d] = count;
      all[count++] = d;
    };
    const scoring: ScoringTerm[] = terms.map((t) => ({
      boost: t.boost,
      focus: t.focus,
      idf: this.termIdf(t),
      alternatives: t.alternatives.map((a) => {
        const ids = a.stems.map((s) => this.termIds.get(s) ?? -1);
        // flexsearch finds nothing for a stem it lacks, so such an alternative is not looked up.
        if (ids.length === 0 || ids.includes(-1)) return { ids, weight: a.weight, docs: NO_DOCS };
        if (ids.length === 1) {
          // Scoring walks our own postings for one stem: only flexsearch's order is needed here.
          this.eachWithStem(a.stems[0] as string, add);
          return { ids, weight: a.weight, docs: NO_DOCS };
        }
        // flexsearch intersects two long lists slowly (about 10 ms for 60,000 and 4,000 paragraphs):
        // then the rarest stem's paragraphs are checked against the others' postings instead.
        const longest = Math.max(...ids.map((id) => this.postingCount(id)));
        const docs = longest > COMMON_POSTINGS ? this.holdingEvery(a.stems) : this.lookup(a.stems);
        for (let x = 0; x < docs.length; x++) add(docs[x] as number);
        return { ids, weight: a.weight, docs };
      }),
    }));
    const candidates = all.subarray(0, count);
    const { data, idfs, norm, options, inSequence } = this;
    const { scores, covered, chosen } = scoreCandidates(
      { data, idfs, norm, options, slot, seen, stamp, inSequence, scratch: this.scratch },
      scoring,
      candidates,
      limit,
    );
    const focusMass = scoring.reduce((sum, t) => (t.focus ? sum + t.idf : sum), 0);
    const rank = this.sourceRank;
    // Best first; ties by source id descending, then by lookup order (as a stable sort would).
    const better = (i: number, j: number) =>
      scores[i] !== scores[j]
        ? (scores[i] as number) > (scores[j] as number)
        : rank[candidates[i] as number] !== rank[candidates[j] as number]
          ? (rank[candidates[i] as number] as number) > (rank[candidates[j] as number] as number)
          : i < j;
    const width = terms.length;
    return bestOf(candidates.length, limit, better, scores).map((i) => ({
      paragraph: this.paragraphs[candidates[i] as number] as Paragraph,
      doc: candidates[i] as number,
      score: scores[i] as number,
      matched: matchedWords(terms, chosen, i * width),
      coverage: focusMass > 0 ? (covered[i] as number) / focusMass : 0,
    }));
  }

  /** A term's worth in coverage: its best alternative's idf, or the maximum when unknown. */
  termIdf(term: QueryTerm): number {
    let best = 0;
    for (const alt of term.alternatives) {
      const idf = Math.min(...alt.stems.map((s) => this.idf(s)));
      if (idf > best) best = idf;
    }
    return best > 0 ? best : this.maxIdf();
  }
}

/** `eachWithStem`'s bucket offsets, used before it visits anything. */
const BUCKET_STARTS = new Int32Array(FLEX_RESOLUTION);

/** Whether every bucket is one flexsearch has. */
function bucketsFit(buckets: Uint8Array): boolean {
  for (let at = 0; at < buckets.length; at++) if ((buckets[at] as number) >= FLEX_RESOLUTION) return false;
  return true;
}

/** For every term, where each of its buckets starts when its postings are put in bucket order. */
function bucketStartsOf({ vocab, postStart, postBucket }: IndexSnapshot): Int32Array {
  const starts = new Int32Array(vocab.length * FLEX_RESOLUTION);
  for (let t = 0; t < vocab.length; t++) {
    const row = t * FLEX_RESOLUTION;
    for (let at = postStart[t] as number; at < (postStart[t + 1] as number); at++) {
      const next = row + (postBucket[at] as number) + 1;
      if (next < row + FLEX_RESOLUTION) starts[next] = (starts[next] as number) + 1;
    }
    for (let b = 1; b < FLEX_RESOLUTION; b++)
      starts[row + b] = (starts[row + b] as number) + (starts[row + b - 1] as number);
  }
  return starts;
}

/**
 * Postings beyond which a phrase's paragraphs are found by `holdingEvery`, not flexsearch. No
 * corpus of a few thousand paragraphs has such a stem: there the order of equal scores stays
 * flexsearch's.
 */
const COMMON_POSTINGS = 5000;

/** What a one-stem or unknown alternative carries as its docs: scoring never reads them. */
const NO_DOCS: number[] = [];

/** The words of `terms` whose entry in `chosen`, from `row` on, names an alternative that matched. */
function matchedWords(terms: readonly QueryTerm[], chosen: Int32Array, row: number): Set<string> {
  const words = new Set<string>();
  for (let t = 0; t < terms.length; t++) if ((chosen[row + t] as number) >= 0) words.add((terms[t] as QueryTerm).word);
  return words;
}
