/**
 * What is new in a corpus compared with the one it replaces: each new source and each new claim is
 * one update, the unit a subscribed channel is told about. Identity is the id; the content hash is
 * computed over whitespace-normalised content, so that a source deleted and re-added unchanged (or
 * re-added with only its spacing changed) can be recognised as already announced by whoever keeps
 * the history (the subscription store does).
 *
 * Goals: deterministic, pure, no false news. Non-goals: announcing edits or deletions — an edit
 * to an existing source or claim is a correction, not a new assessment, and a deletion is silent.
 */
import { createHash } from 'node:crypto';
import type { Corpus, DatedClaim, Source } from './corpus.ts';

/** What a source update carries, enough to describe it after a restart. */
export interface SourceUpdatePayload {
  title: string;
  publisher: string;
  date: string;
  url: string | null;
  paragraphs: number;
}

/** What a claim update carries; the cited paragraph is looked up when the notification is built. */
export interface ClaimUpdatePayload {
  source: string;
  paragraph: number;
  actor: string;
  type: DatedClaim['type'];
  summary: string;
  date: string;
}

/** One new source or claim. */
export type CorpusUpdate =
  | { kind: 'source'; key: string; hash: string; actors: string[]; payload: SourceUpdatePayload }
  | { kind: 'claim'; key: string; hash: string; actors: string[]; payload: ClaimUpdatePayload };

/** A corpus with nothing in it, to diff a whole corpus against. */
export const EMPTY_CORPUS: Corpus = Object.freeze({
  sources: new Map(),
  actors: new Map(),
  claims: [],
  gazetteer: [],
  thesaurus: new Map(),
});

/** Collapses runs of whitespace and trims, so spacing-only edits hash the same. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function hashOf(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? normalise(v) : v));
  return createHash('sha256').update(json).digest('hex').slice(0, 32);
}

/**
 * The content hash of a source: its header fields and paragraphs, whitespace-normalised.
 *
 * @example sourceHash(corpus.sources.get('2024-08-19-iran-un-mission-response')!) // '3f…' (32 hex digits)
 */
export function sourceHash(s: Source): string {
  return hashOf([s.title, s.publisher, s.date, s.url, s.kind, s.via, s.paragraphs.map((p) => p.text)]);
}

/**
 * The content hash of a claim: every field, keys sorted, strings whitespace-normalised.
 *
 * @example claimHash(corpus.claims[0]!) // '9a…' (32 hex digits)
 */
export function claimHash(c: DatedClaim): string {
  const sorted = Object.fromEntries(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)));
  return hashOf(sorted);
}

/** Every actor a claim is about or names: its actor, the candidates it favours or opposes, mentions. */
export function claimActors(c: DatedClaim): string[] {
  return [...new Set([c.actor, ...(c.favours ?? []), ...(c.opposes ?? []), ...(c.mentions ?? [])])];
}

/**
 * The updates that turn `previous` into `next`: one per source and one per claim whose id
 * `previous` lacks, sources first (newest first), then claims (newest first). A source's actors are
 * those of its claims in `next`; a source with no claims yet has none, so only unfiltered
 * subscriptions hear of it. Edits and deletions produce nothing.
 *
 * @example diffCorpus(loadCorpus('data'), loadCorpus('data')) // []
 */
export function diffCorpus(previous: Corpus, next: Corpus): CorpusUpdate[] {
  const actorsBySource = new Map<string, Set<string>>();
  for (const c of next.claims) {
    const set = actorsBySource.get(c.source) ?? new Set<string>();
    for (const a of claimActors(c)) set.add(a);
    actorsBySource.set(c.source, set);
  }
  const updates: CorpusUpdate[] = [];
  for (const s of next.sources.values()) {
    if (previous.sources.has(s.id)) continue;
    updates.push({
      kind: 'source',
      key: s.id,
      hash: sourceHash(s),
      actors: [...(actorsBySource.get(s.id) ?? [])].sort(),
      payload: { title: s.title, publisher: s.publisher, date: s.date, url: s.url, paragraphs: s.paragraphs.length },
    });
  }
  const known = new Set(previous.claims.map((c) => c.id));
  for (const c of next.claims) {
    if (known.has(c.id)) continue;
    updates.push({
      kind: 'claim',
      key: c.id,
      hash: claimHash(c),
      actors: claimActors(c).sort(),
      payload: {
        source: c.source,
        paragraph: c.paragraph,
        actor: c.actor,
        type: c.type,
        summary: c.summary,
        date: c.date,
      },
    });
  }
  return updates;
}
