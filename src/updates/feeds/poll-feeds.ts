/**
 * One poll of the newsroom feeds: each feed is fetched with a conditional GET, parsed, and its new
 * items read one by one (`read-item.ts`). A feed that cannot be fetched or parsed counts a failure;
 * after `maxFailures` in a row it is paused until a poll that includes paused feeds (`npm run feeds
 * -- --once`) reads it again. The result of each feed is one line for a person.
 *
 * The feed's ETag and Last-Modified are saved only after all of its items are settled, so a crash
 * or an unread page means the feed is read whole again next time, never skipped with a 304.
 */
import { loadCorpus } from '../../core/corpus/load-corpus.ts';
import { countOf, linkKey } from '../ingest/ingest.ts';
import type { SharedFeedState } from '../store/shared-store.ts';
import type { FeedConfig } from './feeds-config.ts';
import { FetchError, type GetOptions, type HttpGetter } from './http-get.ts';
import { FeedFormatError, type FeedItem, parseFeed } from './parse-feed.ts';
import { isPrivateHost } from './private-host.ts';
import { type ItemContext, type ItemReport, readItem } from './read-item.ts';

/** What one poll needs. */
export interface PollOptions {
  feeds: readonly FeedConfig[];
  /** The data directory documents are added to (DATA_DIR). */
  dataDir: string;
  state: SharedFeedState;
  http: HttpGetter;
  /** Failed polls in a row before a feed is paused; also attempts at a page before an item is given up. */
  maxFailures: number;
  /** Poll paused feeds too (a manual `--once`); the interval loop leaves them out. */
  includePaused: boolean;
  /** Timeout, size cap and redirect limit for every request (the getter's defaults otherwise). */
  get?: Pick<GetOptions, 'timeoutMs' | 'maxBytes' | 'maxRedirects'>;
  /** Checked between items: true stops the poll early, leaving the rest for next time. */
  shouldStop?: () => boolean;
  /** Called with each feed's result as soon as it is known. */
  onResult?: (result: FeedResult) => void;
  /** The clock (default Date.now). */
  now?: () => number;
}

/** How one feed's poll went. */
export interface FeedResult {
  feed: FeedConfig;
  /** added: new documents; unchanged: a 304 or nothing new; failed: see reason; paused: not polled. */
  status: 'added' | 'unchanged' | 'failed' | 'paused';
  /** The documents added, in order. */
  documents: { id: string; title: string; link: string }[];
  /** Every new item and what happened to it (items settled by earlier polls are left out). */
  items: ItemReport[];
  /** Why the feed failed or is paused. */
  reason?: string;
  /** Failed polls in a row, after this one. */
  failures?: number;
  /** Whether the feed is paused after this poll. */
  paused?: boolean;
}

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

/**
 * Polls every feed in order, one after another.
 *
 * @example
 * const results = await pollFeeds({ feeds, dataDir: 'data', state, http: createHttpGetter(), maxFailures: 5, includePaused: true });
 * for (const r of results) console.log(describeFeedResult(r)); // 'FBI (https://…): 1 new document: 2025-…'
 */
export async function pollFeeds(options: PollOptions): Promise<FeedResult[]> {
  const corpusLinks = knownLinks(options.dataDir);
  const results: FeedResult[] = [];
  for (const feed of options.feeds) {
    if (options.shouldStop?.()) break;
    const result = await pollFeed(feed, options, corpusLinks);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** The links of the corpus's sources, to know an item's page before fetching it. Throws a DataError. */
function knownLinks(dataDir: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const s of loadCorpus(dataDir).sources.values()) if (s.url) links.set(linkKey(s.url), s.id);
  return links;
}

async function pollFeed(feed: FeedConfig, options: PollOptions, corpusLinks: Map<string, string>): Promise<FeedResult> {
  const { state } = options;
  const at = new Date((options.now ?? Date.now)()).toISOString();
  const before = await state.get(feed.url);
  const result: FeedResult = { feed, status: 'unchanged', documents: [], items: [] };
  if (before.pausedReason && !options.includePaused)
    return { ...result, status: 'paused', reason: before.pausedReason };
  await state.attempted(feed.url, at);
  const get: GetOptions = { ...options.get, allowPrivate: await isPrivateHost(new URL(feed.url).hostname) };
  let items: FeedItem[];
  let validators: { etag: string | null; lastModified: string | null };
  try {
    const answer = await options.http.get(feed.url, {
      ...get,
      accept: FEED_ACCEPT,
      etag: before.etag,
      lastModified: before.lastModified,
    });
    if (answer.status === 'not-modified') {
      await state.read(feed.url, at);
      return result;
    }
    items = parseFeed(answer.body.toString('utf8'), answer.contentType, answer.url);
    validators = { etag: answer.etag, lastModified: answer.lastModified };
  } catch (e) {
    if (!(e instanceof FetchError || e instanceof FeedFormatError)) throw e;
    const reason = e instanceof FeedFormatError ? `not a readable feed: ${e.message}` : e.message;
    const { failures, paused } = await state.failed(feed.url, reason, at, options.maxFailures);
    return { ...result, status: 'failed', reason, failures, paused };
  }
  const context: ItemContext = {
    feed,
    dataDir: options.dataDir,
    state,
    http: options.http,
    get,
    at,
    corpusLinks,
    maxFailures: options.maxFailures,
  };
  let complete = true;
  // Feeds list the newest first; adding the oldest first leaves the newest as "last added".
  for (const item of [...items].reverse()) {
    if (options.shouldStop?.()) {
      complete = false;
      break;
    }
    const report = await readItem(item, context);
    if (!report) continue;
    result.items.push(report);
    if (report.outcome === 'retry') complete = false;
    if (report.outcome === 'added' && report.document && report.link) {
      result.documents.push({ id: report.document, title: report.title, link: report.link });
    }
  }
  await state.read(feed.url, at, complete ? validators : undefined);
  return { ...result, status: result.documents.length > 0 ? 'added' : 'unchanged' };
}

/**
 * The one line printed for a feed: `<publisher> (<url>): ` then `N new documents: <ids>`,
 * `unchanged`, `failed: <reason>` (with the failures in a row, and whether it is now paused) or
 * `paused: <reason>`.
 *
 * @example describeFeedResult(result) // 'Federal Bureau of Investigation (https://www.fbi.gov/…): unchanged'
 */
export function describeFeedResult(r: FeedResult): string {
  const label = `${r.feed.publisher} (${r.feed.url})`;
  switch (r.status) {
    case 'added':
      return `${label}: ${countOf(r.documents.length, 'new document')}: ${r.documents.map((d) => d.id).join(', ')}`;
    case 'unchanged':
      return `${label}: unchanged`;
    case 'paused':
      return `${label}: paused: ${r.reason} (npm run feeds -- --once tries it again)`;
    case 'failed': {
      const inRow = (r.failures ?? 1) > 1 ? `; ${r.failures} failures in a row` : '';
      const paused = r.paused ? '; paused until npm run feeds -- --once reads it' : '';
      return `${label}: failed: ${r.reason}${inRow}${paused}`;
    }
  }
}

/**
 * Lines for the items worth a person's attention: skipped, refused, duplicate and retried ones
 * (filtered and added items are counted in the feed's line instead).
 *
 * @example describeItems(result) // ['FBI (https://…): skipped https://…/x.pdf: a PDF, not read']
 */
export function describeItems(r: FeedResult): string[] {
  const label = `${r.feed.publisher} (${r.feed.url})`;
  return r.items
    .filter((i) => i.outcome !== 'added' && i.outcome !== 'filtered')
    .map((i) => {
      const what = i.outcome === 'retry' ? 'will retry' : i.outcome;
      return `${label}: ${what} ${i.link ?? `"${i.title}"`}: ${i.detail}`;
    });
}
