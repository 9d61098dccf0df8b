/**
 * Full-text index over the corpus's paragraphs. flexsearch holds the inverted index (which
 * paragraphs contain a stem); ranking is BM25 computed here over three weighted fields of each
 * paragraph: its own text, the summaries of claims drawn from it, and its source's title and
 * publisher. Built once per corpus, or restored from a snapshot (see `persist-index.ts`); searching
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
import { editDistance, termsOf, typoBudget } from '../text/tokenize.ts';

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
}

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
  score: number;
  /** Words of the query (QueryTerm.word) found in the paragraph. */
  matched: Set<string>;
  /** Share of the focus terms' idf mass found, 0–1. */
  coverage: number;
}

/**
 * An index as flat arrays plus flexsearch's own export: what `persist-index.ts` stores. Term `t`
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
   * occur, so a code takes 4 bytes where a frequency and a flag took 9.)
   */
  postCode: Uint32Array;
  tfTable: Float64Array;
  /** The paragraph's non-stop stems in text order: its length, and adjacency. */
  seqStart: Int32Array;
  seqTerm: Int32Array;
  extraStart: Int32Array;
  extraTerm: Int32Array;
  /** flexsearch `export` chunks, as `[key, data]`. */
  flex: [string, string][];
}

/** Options baked into stored term frequencies: a snapshot can only be used with its own. */
const BAKED_OPTIONS = ['summaryWeight', 'headerWeight'] as const;

/** flexsearch settings; a snapshot's flexsearch export is only valid for these. */
const FLEX_OPTIONS = { tokenize: 'strict', encode: (s: string) => s.split(' ').filter(Boolean) } as const;

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
  private readonly flex: Index;
  private vocabByLength: Map<number, string[]> | undefined;
  /** Per-search scratch: which search last saw a paragraph, and its candidate position. */
  private readonly seen: Int32Array;
  private readonly slot: Int32Array;
  private searchCount = 0;
  private readonly inSequence: Uint8Array;

  /**
   * @param extraTerms pseudo-terms to index with a paragraph at full weight, such as `@russia` for
   *   the actors it names, so a query can ask for an actor however the paragraph spells it.
   * @param snapshot restore from this instead of building (see `ParagraphIndex.fromSnapshot`).
   */
  constructor(
    corpus: Corpus,
    options: Partial<IndexOptions> = {},
    extraTerms?: (p: Paragraph) => string[],
    snapshot?: IndexSnapshot,
  ) {
    this.paragraphs = [];
    for (const source of corpus.sources.values()) {
      this.firstOfSource.set(source.id, this.paragraphs.length);
      for (const p of source.paragraphs) this.paragraphs.push(p);
    }
    this.flex = new Index(FLEX_OPTIONS);
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
      this.options = { ...snapshot.options, ...options };
      this.data = snapshot;
      for (const [key, chunk] of snapshot.flex) this.flex.import(key, chunk);
    } else {
      this.options = { ...DEFAULT_INDEX_OPTIONS, ...options };
      this.data = this.build(corpus, extraTerms);
    }
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
    this.inSequence = new Uint8Array(vocab.length);
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

  /** Everything the index is made of, as flat arrays and flexsearch's own export. */
  toSnapshot(): IndexSnapshot {
    const flex: [string, string][] = [];
    this.flex.export((key: string, data: string) => {
      flex.push([key, data]);
    });
    return { ...this.data, options: { ...this.options }, flex };
  }

  private build(corpus: Corpus, extraTerms?: (p: Paragraph) => string[]): IndexSnapshot {
    const summaries = new Map<string, string[]>();
    for (const c of corpus.claims) {
      const key = `${c.source}#${c.paragraph}`;
      summaries.set(key, [...(summaries.get(key) ?? []), c.summary]);
    }
    const { summaryWeight, headerWeight } = this.options;
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
        add(termsOf(p.text), 1, true, seq.term);
        add(extraTerms ? extraTerms(p) : [], 1, true, extra.term);
        add((summaries.get(`${p.source}#${p.n}`) ?? []).flatMap(termsOf), summaryWeight, false);
        add(header, headerWeight, false);
        // First-appearance order, as flexsearch has always been given it (its result order follows).
        this.flex.add(d, touched.map((id) => vocab[id]).join(' '));
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
      options: this.options,
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

  /** Number of paragraphs indexed. */
  get size(): number {
    return this.paragraphs.length;
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

  /** The highest idf any stem can have here: what an unknown word is worth in coverage. */
  maxIdf(): number {
    const n = this.paragraphs.length;
    return Math.log(1 + (n - 0.5) / 1.5);
  }

  /** The extra terms (see the constructor) a paragraph was indexed with, in the order given. */
  extraTermsOf(p: Paragraph): string[] {
    const first = this.firstOfSource.get(p.source);
    if (first === undefined) return [];
    const { extraStart, extraTerm, vocab } = this.data;
    const d = first + p.n - 1;
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
   */
  lookup(stems: string[], limit = this.paragraphs.length): number[] {
    return this.flex.search(stems.join(' '), { limit: limit || 1 }) as number[];
  }

  /**
   * Ranks paragraphs for a query. Only paragraphs matching at least one term are returned, best
   * first (ties: source id descending, then lookup order), at most `limit`.
   */
  search(terms: QueryTerm[], limit = 20): Hit[] {
    const stamp = ++this.searchCount;
    const candidates: number[] = [];
    const scoring: ScoringTerm[] = terms.map((t) => ({
      boost: t.boost,
      focus: t.focus,
      idf: this.termIdf(t),
      alternatives: t.alternatives.map((a) => {
        const ids = a.stems.map((s) => this.termIds.get(s) ?? -1);
        // flexsearch finds nothing for a stem it lacks, so such an alternative is not looked up.
        const docs = ids.length > 0 && !ids.includes(-1) ? this.lookup(a.stems) : [];
        for (const d of docs) {
          if (this.seen[d] === stamp) continue;
          this.seen[d] = stamp;
          this.slot[d] = candidates.length;
          candidates.push(d);
        }
        return { ids, weight: a.weight, docs };
      }),
    }));
    const { data, idfs, norm, options, slot, seen, inSequence } = this;
    const { scores, covered, chosen } = scoreCandidates(
      { data, idfs, norm, options, slot, seen, stamp, inSequence },
      scoring,
      candidates,
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
    return bestOf(candidates.length, limit, better).map((i) => ({
      paragraph: this.paragraphs[candidates[i] as number] as Paragraph,
      score: scores[i] as number,
      matched: new Set(terms.filter((_, ti) => (chosen[i * terms.length + ti] as number) >= 0).map((t) => t.word)),
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

/** A query term ready for scoring: stem ids (-1 when not in the corpus) and the paragraphs each alternative is in. */
interface ScoringTerm {
  boost: number;
  focus: boolean;
  /** The term's worth in coverage (`termIdf`). */
  idf: number;
  alternatives: { ids: number[]; weight: number; docs: number[] }[];
}

interface ScoringContext {
  data: IndexSnapshot;
  idfs: Float64Array;
  norm: Float64Array;
  options: IndexOptions;
  /** Paragraph → its position among the candidates, valid where `seen` is this search's `stamp`. */
  slot: Int32Array;
  seen: Int32Array;
  stamp: number;
  /** 1 for stems that occur in some paragraph's text (pseudo-terms never do). */
  inSequence: Uint8Array;
}

/** Position of paragraph `d` in the postings of term `id` (binary search), or -1. */
function findPosting(data: IndexSnapshot, id: number, d: number): number {
  let lo = data.postStart[id] as number;
  let hi = (data.postStart[id + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = data.postDoc[mid] as number;
    if (at === d) return mid;
    if (at < d) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * BM25 over the fields, term at a time: a one-stem alternative walks its postings, a phrase walks
 * flexsearch's intersection. Per candidate: `scores`, the focus idf mass `covered`, and in
 * `chosen[c * terms + t]` the alternative that matched term t (-1: none). Each paragraph's
 * floating-point operations run in the order they always have (term by term, alternatives in
 * order, then adjacency), so scores and their ties are bit-for-bit what earlier versions gave.
 */
function scoreCandidates(ctx: ScoringContext, terms: ScoringTerm[], candidates: number[]) {
  const { data, idfs, norm, slot, seen, stamp, inSequence } = ctx;
  const { postStart, postDoc, postCode, tfTable } = data;
  const { k1, adjacencyBonus, indirectWeight } = ctx.options;
  const m = candidates.length;
  const width = terms.length;
  const scores = new Float64Array(m);
  const covered = new Float64Array(m);
  const chosen = new Int32Array(m * width).fill(-1);
  const best = new Float64Array(m);
  const inText = new Uint8Array(m);
  // The candidates this term reached, each listed once (`mark` holds the term that listed it).
  const touched = new Int32Array(m);
  const mark = new Int32Array(m);
  terms.forEach((term, ti) => {
    let reached = 0;
    // An alternative without stems "matches" everywhere: it never scores, but counts as in the text.
    const emptyAlt = term.alternatives.some((a) => a.ids.length === 0);
    term.alternatives.forEach(({ ids, weight, docs }, k) => {
      const n = ids.length;
      if (n === 0 || ids.includes(-1)) return;
      const at = new Int32Array(n);
      const first = postStart[ids[0] as number] as number;
      const count = n === 1 ? (postStart[(ids[0] as number) + 1] as number) - first : docs.length;
      for (let x = 0; x < count; x++) {
        let d: number;
        if (n === 1) {
          at[0] = first + x;
          d = postDoc[first + x] as number;
        } else {
          d = docs[x] as number;
          let j = 0;
          for (; j < n; j++) {
            at[j] = findPosting(data, ids[j] as number, d);
            if ((at[j] as number) < 0) break;
          }
          if (j < n) continue;
        }
        if (seen[d] !== stamp) continue;
        const c = slot[d] as number;
        if (mark[c] !== ti + 1) {
          mark[c] = ti + 1;
          best[c] = 0;
          inText[c] = 0;
          touched[reached++] = c;
        }
        let allOwn = true;
        for (let j = 0; j < n; j++) if (!((postCode[at[j] as number] as number) & 1)) allOwn = false;
        if (allOwn) inText[c] = 1;
        let s = 0;
        for (let j = 0; j < n; j++) {
          const tf = tfTable[(postCode[at[j] as number] as number) >>> 1] as number;
          s += ((idfs[ids[j] as number] as number) * (tf * (k1 + 1))) / (tf + (norm[d] as number));
        }
        s = (s / n) * weight;
        if (!allOwn) s *= indirectWeight;
        if (s > (best[c] as number)) {
          best[c] = s;
          chosen[c * width + ti] = k;
        }
      }
    });
    for (let r = 0; r < reached; r++) {
      const c = touched[r] as number;
      if ((chosen[c * width + ti] as number) < 0) continue;
      scores[c] = (scores[c] as number) + (best[c] as number) * term.boost;
      // Found only in a claim summary or the source header: weaker evidence than the text.
      if (term.focus) covered[c] = (covered[c] as number) + term.idf * (inText[c] || emptyAlt ? 1 : indirectWeight);
    }
  });
  // Reward query words that stand side by side in the paragraph ("down-ballot candidates"). Being
  // adjacent in the text, both are the paragraph's own words.
  for (let c = 0; c < m && width > 1; c++) {
    for (let i = 0; i + 1 < width; i++) {
      const ka = chosen[c * width + i] as number;
      const kb = chosen[c * width + i + 1] as number;
      // (A negative array index is a slow property lookup in V8: test before indexing.)
      if (ka < 0 || kb < 0) continue;
      const a = terms[i]?.alternatives[ka]?.ids as number[];
      const left = a[a.length - 1] as number;
      const right = terms[i + 1]?.alternatives[kb]?.ids[0] as number;
      if (!inSequence[left] || !inSequence[right]) continue;
      if (adjacent(data, candidates[c] as number, left, right)) {
        scores[c] = (scores[c] as number) + adjacencyBonus * Math.min(idfs[left] as number, idfs[right] as number);
      }
    }
  }
  return { scores, covered, chosen };
}

function adjacent(data: IndexSnapshot, d: number, a: number, b: number): boolean {
  const end = data.seqStart[d + 1] as number;
  for (let i = data.seqStart[d] as number; i + 1 < end; i++) {
    if (data.seqTerm[i] === a && data.seqTerm[i + 1] === b) return true;
  }
  return false;
}

/** Indices 0..n-1 of the `limit` best by `better`, best first (a bounded heap: O(n log limit)). */
function bestOf(n: number, limit: number, better: (i: number, j: number) => boolean): number[] {
  const k = Math.max(0, Math.min(limit, n));
  // heap[0] is the worst kept so far.
  const heap: number[] = [];
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < heap.length && better(heap[worst] as number, heap[l] as number)) worst = l;
      if (r < heap.length && better(heap[worst] as number, heap[r] as number)) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst] as number, heap[at] as number];
      at = worst;
    }
  };
  for (let i = 0; i < n && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent] as number, heap[at] as number)) break;
        [heap[at], heap[parent]] = [heap[parent] as number, heap[at] as number];
        at = parent;
      }
    } else if (better(i, heap[0] as number)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((i, j) => (better(i, j) ? -1 : 1));
}
