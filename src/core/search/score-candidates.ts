/**
 * Scoring a query's candidates: BM25 over each paragraph's weighted fields, term at a time, over the
 * flat arrays of an `IndexSnapshot`, without allocating per candidate; and picking the best few.
 */
import type { IndexOptions, IndexSnapshot } from './paragraph-index.ts';

/** A query term ready for scoring: stem ids (-1 when not in the corpus) and the paragraphs each alternative is in. */
export interface ScoringTerm {
  boost: number;
  focus: boolean;
  /** The term's worth in coverage (`termIdf`). */
  idf: number;
  alternatives: { ids: number[]; weight: number; docs: number[] }[];
}

export interface ScoringContext {
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
  scratch: Scratch;
}

/**
 * Working arrays kept from one search to the next and grown when a search needs more, so a search
 * over tens of thousands of candidates leaves no large arrays behind for the collector. What
 * `take` returns is valid until the next `take`.
 */
export class Scratch {
  /** How many candidates the per-candidate arrays hold. */
  private room = 0;
  private scores = new Float64Array(0);
  private covered = new Float64Array(0);
  private best = new Float64Array(0);
  private touched = new Int32Array(0);
  private mark = new Int32Array(0);
  private inText = new Uint8Array(0);
  /** Per candidate and term, so sized separately. */
  private chosen = new Int32Array(0);

  /** Arrays for `m` candidates and `width` terms: scores, coverage and marks zeroed, choices -1. */
  take(m: number, width: number) {
    if (this.room < m) {
      this.room = Math.max(m, 2 * this.room);
      this.scores = new Float64Array(this.room);
      this.covered = new Float64Array(this.room);
      this.best = new Float64Array(this.room);
      this.touched = new Int32Array(this.room);
      this.mark = new Int32Array(this.room);
      this.inText = new Uint8Array(this.room);
    }
    if (this.chosen.length < m * width) this.chosen = new Int32Array(Math.max(m * width, 2 * this.chosen.length));
    return {
      scores: this.scores.subarray(0, m).fill(0),
      covered: this.covered.subarray(0, m).fill(0),
      mark: this.mark.subarray(0, m).fill(0),
      chosen: this.chosen.subarray(0, m * width).fill(-1),
      // Set on a candidate's first touch by each term, so not cleared here.
      best: this.best.subarray(0, m),
      touched: this.touched.subarray(0, m),
      inText: this.inText.subarray(0, m),
    };
  }
}

/** Position of paragraph `d` in the postings of term `id` (binary search), or -1. */
export function findPosting(data: IndexSnapshot, id: number, d: number): number {
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
 * order, then adjacency), so scores and their ties are bit-for-bit what earlier versions gave,
 * for every paragraph that can be among the `limit` best (the others may lack adjacency bonuses).
 */
export function scoreCandidates(ctx: ScoringContext, terms: ScoringTerm[], candidates: Int32Array, limit: number) {
  const { data, idfs, norm, slot, seen, stamp, inSequence } = ctx;
  const { postStart, postDoc, postCode, tfTable } = data;
  const { k1, adjacencyBonus, indirectWeight } = ctx.options;
  const m = candidates.length;
  const width = terms.length;
  // The candidates a term reached are listed once each in `touched` (`mark` holds the term that listed it).
  const { scores, covered, chosen, best, inText, touched, mark } = ctx.scratch.take(m, width);
  terms.forEach((term, ti) => {
    let reached = 0;
    // An alternative without stems "matches" everywhere: it never scores, but counts as in the text.
    const emptyAlt = term.alternatives.some((a) => a.ids.length === 0);
    // Alternative k of this term matched candidate c with score s (`own`: all its stems in the text).
    const offer = (c: number, k: number, own: boolean, s: number) => {
      if (mark[c] !== ti + 1) {
        mark[c] = ti + 1;
        best[c] = 0;
        inText[c] = 0;
        touched[reached++] = c;
      }
      if (own) inText[c] = 1;
      const weighted = own ? s : s * indirectWeight;
      if (weighted > (best[c] as number)) {
        best[c] = weighted;
        chosen[c * width + ti] = k;
      }
    };
    term.alternatives.forEach(({ ids, weight, docs }, k) => {
      const n = ids.length;
      if (n === 0 || ids.includes(-1)) return;
      if (n === 1) {
        // One stem: walk its postings (the common case, kept free of the phrase bookkeeping).
        const id = ids[0] as number;
        const idf = idfs[id] as number;
        for (let at = postStart[id] as number, end = postStart[id + 1] as number; at < end; at++) {
          const d = postDoc[at] as number;
          if (seen[d] !== stamp) continue;
          const code = postCode[at] as number;
          const tf = tfTable[code >>> 1] as number;
          const s = (idf * (tf * (k1 + 1))) / (tf + (norm[d] as number));
          offer(slot[d] as number, k, (code & 1) === 1, (s / 1) * weight);
        }
        return;
      }
      const at = new Int32Array(n);
      for (const d of docs) {
        let j = 0;
        for (; j < n; j++) {
          at[j] = findPosting(data, ids[j] as number, d);
          if ((at[j] as number) < 0) break;
        }
        if (j < n) continue;
        if (seen[d] !== stamp) continue;
        let allOwn = true;
        for (let j = 0; j < n; j++) if (!((postCode[at[j] as number] as number) & 1)) allOwn = false;
        let s = 0;
        for (let j = 0; j < n; j++) {
          const tf = tfTable[(postCode[at[j] as number] as number) >>> 1] as number;
          s += ((idfs[ids[j] as number] as number) * (tf * (k1 + 1))) / (tf + (norm[d] as number));
        }
        offer(slot[d] as number, k, allOwn, (s / n) * weight);
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
  // adjacent in the text, both are the paragraph's own words. Reading a paragraph's sequence is the
  // costly part, so it is skipped for a paragraph that could not reach the `limit` best even with
  // every bonus it might get: at least `limit` others already score more without any.
  // The `limit`-th highest score: the lowest of the `limit` best.
  let cutoff = Number.NEGATIVE_INFINITY;
  if (m > limit) {
    cutoff = Number.POSITIVE_INFINITY;
    for (const c of bestOf(m, limit, (i, j) => (scores[i] as number) > (scores[j] as number), scores))
      cutoff = Math.min(cutoff, scores[c] as number);
  }
  // The stems at each alternative's ends, by term (-1 where one is not in any paragraph's text).
  const lastOf = terms.map((t) =>
    t.alternatives.map((a) => (inSequence[a.ids[a.ids.length - 1] ?? -1] ? (a.ids[a.ids.length - 1] as number) : -1)),
  );
  const firstOf = terms.map((t) => t.alternatives.map((a) => (inSequence[a.ids[0] ?? -1] ? (a.ids[0] as number) : -1)));
  const bonusOf = (i: number, ka: number, kb: number): number => {
    const left = lastOf[i]?.[ka] as number;
    const right = firstOf[i + 1]?.[kb] as number;
    return left < 0 || right < 0 ? 0 : adjacencyBonus * Math.min(idfs[left] as number, idfs[right] as number);
  };
  for (let c = 0; c < m && width > 1; c++) {
    let most = 0;
    for (let i = 0; i + 1 < width; i++) {
      const ka = chosen[c * width + i] as number;
      const kb = chosen[c * width + i + 1] as number;
      // (A negative array index is a slow property lookup in V8: test before indexing.)
      if (ka >= 0 && kb >= 0) most += bonusOf(i, ka, kb);
    }
    if (most === 0 || (scores[c] as number) + most < cutoff) continue;
    for (let i = 0; i + 1 < width; i++) {
      const ka = chosen[c * width + i] as number;
      const kb = chosen[c * width + i + 1] as number;
      if (ka < 0 || kb < 0) continue;
      const bonus = bonusOf(i, ka, kb);
      if (bonus === 0) continue;
      if (adjacent(data, candidates[c] as number, lastOf[i]?.[ka] as number, firstOf[i + 1]?.[kb] as number)) {
        scores[c] = (scores[c] as number) + bonus;
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

/**
 * Indices 0..n-1 of the `limit` best by `better`, best first (a bounded heap: O(n log limit)). With
 * `score`, which `better` must order by first, most candidates are turned away on their score alone.
 */
export function bestOf(
  n: number,
  limit: number,
  better: (i: number, j: number) => boolean,
  score?: ArrayLike<number>,
): number[] {
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
      const held = heap[at] as number;
      heap[at] = heap[worst] as number;
      heap[worst] = held;
      at = worst;
    }
  };
  for (let i = 0; i < n && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent] as number, heap[at] as number)) break;
        const held = heap[at] as number;
        heap[at] = heap[parent] as number;
        heap[parent] = held;
        at = parent;
      }
    } else if (
      (score === undefined || (score[i] as number) >= (score[heap[0] as number] as number)) &&
      better(i, heap[0] as number)
    ) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((i, j) => (better(i, j) ? -1 : 1));
}
