/**
 * What the answer engine knows about each paragraph besides its words: the claims drawn from it,
 * the actors it names or its claims are about, and its source's date. Paragraphs are numbered as
 * the search index numbers them (`ParagraphIndex.docOf`), and each fact is a slice of a flat array,
 * so a 100k-paragraph corpus costs a few megabytes here instead of a Map and a Set per paragraph.
 */
import type { Corpus, DatedClaim } from '../corpus/corpus.ts';
import type { ParagraphIndex } from '../search/paragraph-index.ts';
import { actorOfTerm } from '../understand/parse-question.ts';

export class ParagraphFacts {
  /** Claims of paragraph `d` are `claims[claimStart[d]]` to `claims[claimStart[d + 1] - 1]`, in corpus order. */
  readonly claimStart: Int32Array;
  readonly claims: readonly DatedClaim[];
  /** Actors of paragraph `d`, as numbers into `actorIds`, are `actorList[actorStart[d]…]`. */
  readonly actorStart: Int32Array;
  readonly actorList: Int32Array;
  readonly actorIds: readonly string[];
  /** The paragraph each claim of `corpus.claims` is drawn from, by position in that list. */
  readonly claimDoc: Int32Array;
  /** Source date of each paragraph, epoch ms. */
  readonly time: Float64Array;
  /** Oldest and newest source dates, epoch ms (both 0 for an empty corpus). */
  readonly dateRange: { min: number; max: number };
  /** Paragraphs with a claim of each type, and with a claim about each actor: newest source first. */
  readonly byType: ReadonlyMap<string, Int32Array>;
  readonly byActor: ReadonlyMap<string, Int32Array>;
  private readonly actorNumber = new Map<string, number>();

  /**
   * @param index an index built by `createAnswerEngine`: its `@actor` extra terms say which actors
   *   each paragraph names, so they are not looked for again.
   */
  constructor(corpus: Corpus, index: ParagraphIndex) {
    const n = index.size;
    const docs = Int32Array.from(corpus.claims, (c) => index.docOf({ source: c.source, n: c.paragraph }) ?? -1);
    this.claimDoc = docs;
    // Claims grouped by paragraph, each group in corpus order (a counting sort).
    this.claimStart = new Int32Array(n + 1);
    for (const d of docs) if (d >= 0) this.claimStart[d + 1] = (this.claimStart[d + 1] as number) + 1;
    for (let d = 0; d < n; d++)
      this.claimStart[d + 1] = (this.claimStart[d + 1] as number) + (this.claimStart[d] as number);
    const fill = this.claimStart.slice(0, n);
    const claims = new Array<DatedClaim>(this.claimStart[n] as number);
    corpus.claims.forEach((c, i) => {
      const d = docs[i] as number;
      if (d < 0) return;
      claims[fill[d] as number] = c;
      fill[d] = (fill[d] as number) + 1;
    });
    this.claims = claims;

    // Actors from the index's `@actor` terms, numbered in order of first appearance.
    const table = index.extraTermTable();
    const actorOfTerm = new Int32Array(table.vocab.length).fill(-1); // -1: not seen yet
    const ids: string[] = [];
    const list: number[] = [];
    this.actorStart = new Int32Array(n + 1);
    for (let d = 0; d < n; d++) {
      for (let i = table.start[d] as number; i < (table.start[d + 1] as number); i++) {
        const term = table.term[i] as number;
        if (actorOfTerm[term] === -1) actorOfTerm[term] = this.numberActor(table.vocab[term] as string, ids);
        // (-2: an extra term that is not an actor.)
        if ((actorOfTerm[term] as number) >= 0) list.push(actorOfTerm[term] as number);
      }
      this.actorStart[d + 1] = list.length;
    }
    this.actorList = Int32Array.from(list);
    this.actorIds = ids;
    this.time = new Float64Array(n);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const source of corpus.sources.values()) {
      const first = source.paragraphs[0] && index.docOf(source.paragraphs[0]);
      const t = Date.parse(source.date);
      if (first !== undefined) this.time.fill(t, first, first + source.paragraphs.length);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    this.dateRange = corpus.sources.size ? { min, max } : { min: 0, max: 0 };

    const byType = new Map<string, number[]>();
    const byActor = new Map<string, number[]>();
    for (let d = 0; d < n; d++) {
      for (let i = this.claimStart[d] as number; i < (this.claimStart[d + 1] as number); i++) {
        const c = claims[i] as DatedClaim;
        for (const [map, key] of [
          [byType, c.type],
          [byActor, c.actor],
        ] as const) {
          const docsOf = map.get(key) ?? [];
          if (docsOf[docsOf.length - 1] !== d) docsOf.push(d);
          map.set(key, docsOf);
        }
      }
    }
    const newestFirst = (docsOf: number[]) =>
      Int32Array.from(docsOf.sort((a, b) => (this.time[b] as number) - (this.time[a] as number) || a - b));
    this.byType = new Map([...byType].map(([k, v]) => [k, newestFirst(v)]));
    this.byActor = new Map([...byActor].map(([k, v]) => [k, newestFirst(v)]));
  }

  /** The number of the actor an `@actor` term stands for (numbering it if new), or -2 for another term. */
  private numberActor(term: string, ids: string[]): number {
    const id = actorOfTerm(term);
    if (id === undefined) return -2;
    let k = this.actorNumber.get(id);
    if (k === undefined) {
      k = ids.push(id) - 1;
      this.actorNumber.set(id, k);
    }
    return k;
  }

  /** The claims drawn from paragraph `doc`, in corpus order. */
  claimsOf(doc: number): DatedClaim[] {
    return this.claims.slice(this.claimStart[doc], this.claimStart[doc + 1]);
  }

  /** The actors paragraph `doc` names or its claims are about (their candidates included). */
  actorsOf(doc: number): string[] {
    const out: string[] = [];
    for (let i = this.actorStart[doc] as number; i < (this.actorStart[doc + 1] as number); i++)
      out.push(this.actorIds[this.actorList[i] as number] as string);
    return out;
  }

  /** Whether paragraph `doc` names (or has a claim about) any of these actors. */
  namesAny(doc: number, actors: readonly string[]): boolean {
    for (const a of actors) {
      const k = this.actorNumber.get(a);
      if (k === undefined) continue;
      for (let i = this.actorStart[doc] as number; i < (this.actorStart[doc + 1] as number); i++)
        if (this.actorList[i] === k) return true;
    }
    return false;
  }
}
