/**
 * The messages the delivery loop sends: one "New assessments" Reply for a channel's batch of
 * updates, and the notice that a channel's subscription was paused. Like any answer, every line is
 * a template filled from source or claim fields, and each claim is cited with its whole paragraph,
 * taken from the corpus in service at delivery time.
 */
import { type Corpus, compareClaims, type DatedClaim } from '../../core/corpus/corpus.ts';
import type { ClaimUpdatePayload, CorpusUpdate, SourceUpdatePayload } from '../../core/corpus/diff-corpus.ts';
import { type Citation, citationOf, claimCitation, makeReply, type Reply, shortPublisher } from '../../core/reply.ts';

/** One update to announce, as the outbox stores it. */
export interface NotificationItem {
  kind: CorpusUpdate['kind'];
  key: string;
  /** The update's payload as stored (JSON). */
  payload: string;
}

const claimsById = new WeakMap<Corpus, ReadonlyMap<string, DatedClaim>>();
function claimById(corpus: Corpus, id: string): DatedClaim | undefined {
  let map = claimsById.get(corpus);
  if (!map) {
    map = new Map(corpus.claims.map((c) => [c.id, c]));
    claimsById.set(corpus, map);
  }
  return map.get(id);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Who the channel subscribed to, for the closing note. */
function filterNote(corpus: Corpus, filters: readonly (string | null)[]): string {
  const what = filters.includes(null)
    ? 'every new assessment'
    : `new assessments about ${[...new Set(filters)].map((a) => corpus.actors.get(a as string)?.name ?? a).join(', ')}`;
  return `This channel is subscribed to ${what}. /subscriptions lists its subscriptions; /unsubscribe stops them.`;
}

/**
 * The notification for a batch of updates, or undefined when every one of them has been withdrawn
 * from `corpus` since it was recorded (a deletion is never announced). New sources are listed with
 * title, publisher and date; new claims are cited, newest first, with their summary. A new source
 * none of whose claims is in the batch is cited by its first paragraph.
 *
 * @example notificationReply([{ kind: 'claim', key: 'ica2020-russia-preference', payload }], engine.corpus, [null])
 */
export function notificationReply(
  items: readonly NotificationItem[],
  corpus: Corpus,
  filters: readonly (string | null)[],
): Reply | undefined {
  const seen = new Set<string>();
  const sources: (SourceUpdatePayload & { id: string })[] = [];
  const claims: DatedClaim[] = [];
  for (const item of items) {
    if (seen.has(`${item.kind}:${item.key}`)) continue;
    seen.add(`${item.kind}:${item.key}`);
    if (item.kind === 'source') {
      if (corpus.sources.has(item.key))
        sources.push({ ...(JSON.parse(item.payload) as SourceUpdatePayload), id: item.key });
    } else {
      const claim = claimById(corpus, item.key);
      const recorded = JSON.parse(item.payload) as ClaimUpdatePayload;
      // The claim must still point at the paragraph it was announced for.
      if (claim && claim.source === recorded.source && claim.paragraph === recorded.paragraph) claims.push(claim);
    }
  }
  if (sources.length === 0 && claims.length === 0) return undefined;
  sources.sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
  claims.sort(compareClaims);
  const citations: Citation[] = claims.map((c) => claimCitation(corpus, c, c.summary));
  const cited = new Set(claims.map((c) => c.source));
  for (const s of sources) {
    const first = corpus.sources.get(s.id)?.paragraphs[0];
    if (!cited.has(s.id) && first) citations.push(citationOf(corpus, first));
  }
  const lines = sources.map((s) => `New source: ${s.title} (${shortPublisher(s.publisher)}, ${s.date}).`);
  const counts = [
    sources.length ? plural(sources.length, 'new source', 'new sources') : '',
    claims.length ? plural(claims.length, 'new claim', 'new claims') : '',
  ].filter(Boolean);
  return makeReply({
    title: 'New assessments',
    text: [`${counts.join(' and ')}${claims.length ? ', each claim cited below' : ''}.`, ...lines].join('\n'),
    found: true,
    citations,
    notes: [filterNote(corpus, filters)],
  });
}

/**
 * The notice sent (once, best effort) to a channel whose subscription was paused.
 *
 * @example pausedReply('Missing Permissions (403)').title // 'Updates paused'
 */
export function pausedReply(reason: string): Reply {
  return makeReply({
    title: 'Updates paused',
    text: `threatdesk stopped sending new assessments to this channel after repeated delivery failures: ${reason}. Once the cause is fixed, /subscribe again to resume.`,
    found: true,
    notes: ['/subscriptions shows the paused subscription and why.'],
  });
}
