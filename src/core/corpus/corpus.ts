/**
 * The in-memory corpus: sources with numbered paragraphs, actors, claims, the gazetteer and the
 * thesaurus. Built once by `loadCorpus`, then frozen; answering never mutates it.
 */
import type { Actor, Claim, ClaimType, Place } from './schema.ts';

/** One numbered paragraph of a source. `<source>#<n>` names it. */
export interface Paragraph {
  source: string;
  /** 1-based position among the source's paragraphs (gap markers are not counted). */
  n: number;
  /** The paragraph exactly as published. */
  text: string;
}

/** One document, verbatim. */
export interface Source {
  id: string;
  title: string;
  publisher: string;
  /** `YYYY-MM-DD` */
  date: string;
  /** The link to cite: the header `url`, else the first `via`, else null. */
  url: string | null;
  via: string[];
  kind: 'official' | 'news' | 'response' | 'analysis';
  excerpt: boolean;
  paragraphs: Paragraph[];
}

/** A claim with its source's date attached. */
export interface DatedClaim extends Claim {
  date: string;
}

/** Word → words it may also be found as (one way: asking "fake" also finds "manufactured"). */
export type Thesaurus = ReadonlyMap<string, readonly string[]>;

export interface Corpus {
  /** Sources by id, newest first when iterated. */
  sources: ReadonlyMap<string, Source>;
  actors: ReadonlyMap<string, Actor>;
  /** Claims, newest first (then by source and paragraph). */
  claims: readonly DatedClaim[];
  gazetteer: readonly Place[];
  thesaurus: Thesaurus;
  /**
   * SHA-256 of the data directory's files as `loadCorpus` read them (names and bytes): equal
   * fingerprints, equal corpora. Absent for a corpus built in memory.
   */
  fingerprint?: string;
}

/** The paragraph `<source>#<n>`, or undefined. */
export function paragraphOf(corpus: Corpus, source: string, n: number): Paragraph | undefined {
  return corpus.sources.get(source)?.paragraphs[n - 1];
}

/** Whether an actor is a country or a group (Hizballah): a subject of claims, not a candidate or an agency. */
export function isCountryOrGroup(actor: Actor | undefined): actor is Actor {
  return actor?.kind === 'country' || actor?.kind === 'group';
}

/** Every paragraph of the corpus, newest source first. */
export function allParagraphs(corpus: Corpus): Paragraph[] {
  return [...corpus.sources.values()].flatMap((s) => s.paragraphs);
}

/** Claim order everywhere: newest first, then by source, paragraph and id. */
export function compareClaims(a: DatedClaim, b: DatedClaim): number {
  return (
    b.date.localeCompare(a.date) ||
    a.source.localeCompare(b.source) ||
    a.paragraph - b.paragraph ||
    a.id.localeCompare(b.id)
  );
}

/** Counts of claims by type, every type present. */
export function claimCounts(claims: readonly Claim[]): Record<ClaimType, number> {
  const counts = {} as Record<ClaimType, number>;
  for (const c of claims) counts[c.type] = (counts[c.type] ?? 0) + 1;
  return counts;
}
