/**
 * One feed item, from its entry in the feed to a document in the data directory: the topic filter,
 * the link checks (http(s), allowed host, already known), the page fetched and its statement
 * extracted, then the same ingest as `npm run ingest`. Every outcome but a page that could not be
 * read is remembered, and only after the document is written; a page that cannot be read is tried
 * again on the next polls, up to the failure limit.
 */
import { createHash } from 'node:crypto';
import { type IngestResult, ingestTexts, linkKey } from '../ingest/ingest.ts';
import type { SharedFeedState } from '../store/shared-store.ts';
import { extractPage, isPdf } from './extract-page.ts';
import type { ItemOutcome } from './feed-state.ts';
import { type FeedConfig, matcherFor } from './feeds-config.ts';
import { FetchError, type GetOptions, type HttpGetter } from './http-get.ts';
import type { FeedItem } from './parse-feed.ts';

/** What happened to one new item. */
export interface ItemReport {
  /** The item's link (absolute), or null when it had none. */
  link: string | null;
  title: string;
  /** `retry`: its page could not be read this time; it is tried again next poll. */
  outcome: ItemOutcome | 'retry';
  /** Why, in a few words (what it duplicates, why it was skipped or refused). */
  detail: string;
  /** The source id added, or the one it duplicates. */
  document?: string;
}

/** What reading items of one feed needs. */
export interface ItemContext {
  feed: FeedConfig;
  dataDir: string;
  state: SharedFeedState;
  http: HttpGetter;
  /** Options for page requests (timeouts, caps, allowPrivate). */
  get: GetOptions;
  /** Failed attempts at a page before the item is given up (recorded as skipped). */
  maxFailures: number;
  /** Links of the sources in the corpus (linkKey → source id); kept up to date as documents are added. */
  corpusLinks: Map<string, string>;
  /** ISO time of this poll. */
  at: string;
}

const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';

/**
 * The item's key in the feed state: its guid, else its link, else a hash of its title and date.
 *
 * @example itemKey({ guid: null, link: 'https://x.gov/a#top', title: 'T', summary: '', published: null }, 'https://x.gov/rss') // 'https://x.gov/a'
 */
export function itemKey(item: FeedItem, feedUrl: string): string {
  if (item.guid?.trim()) return item.guid.trim();
  const link = absoluteLink(item.link, feedUrl);
  if (link) return linkKey(link);
  return `untitled:${createHash('sha256')
    .update(`${item.title}\n${item.published ?? ''}`)
    .digest('hex')
    .slice(0, 32)}`;
}

/**
 * Reads one item, or returns undefined when it was already settled by an earlier poll.
 *
 * @example await readItem(item, context) // { outcome: 'added', document: '2025-…', … }
 */
export async function readItem(item: FeedItem, ctx: ItemContext): Promise<ItemReport | undefined> {
  const { feed, state } = ctx;
  const key = itemKey(item, feed.url);
  if (await state.isSettled(feed.url, key)) return undefined;
  const title = oneLine(item.title);
  const link = absoluteLink(item.link, feed.url);
  const settle = async (outcome: ItemOutcome, detail: string, document?: string): Promise<ItemReport> => {
    await state.settle(feed.url, { key, link: link ? linkKey(link) : null, outcome, detail, document }, ctx.at);
    return { link, title, outcome, detail, ...(document ? { document } : {}) };
  };
  if (!matcherFor(feed.match)(`${item.title}\n${item.summary}`)) return settle('filtered', 'no match word');
  if (!link) return settle('skipped', 'the item has no link');
  const url = new URL(link);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return settle('refused', 'not an http(s) link');
  if (!hostAllowed(url, feed)) return settle('refused', hostRefusal(url, feed));
  const known = await state.byLink(linkKey(link));
  if (known) return settle('duplicate', `already seen (${known.outcome})`, known.document ?? undefined);
  const inCorpus = ctx.corpusLinks.get(linkKey(link));
  if (inCorpus) return settle('duplicate', `already in the corpus as ${inCorpus}`, inCorpus);
  if (isPdf(null, link)) return settle('skipped', 'a PDF, not read');
  return fetchAndIngest(item, link, key, ctx, settle);
}

type Settle = (outcome: ItemOutcome, detail: string, document?: string) => Promise<ItemReport>;

async function fetchAndIngest(
  item: FeedItem,
  link: string,
  key: string,
  ctx: ItemContext,
  settle: Settle,
): Promise<ItemReport> {
  const { feed } = ctx;
  let page: Awaited<ReturnType<HttpGetter['get']>>;
  try {
    page = await ctx.http.get(link, { ...ctx.get, accept: PAGE_ACCEPT });
    if (page.status !== 'ok') throw new FetchError('answered 304 Not Modified to a plain request', link);
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    const attempts = await ctx.state.countRetry(feed.url, key, linkKey(link), e.message, ctx.at);
    if (attempts >= ctx.maxFailures) return settle('skipped', `gave up after ${attempts} attempts: ${e.message}`);
    return { link, title: oneLine(item.title), outcome: 'retry', detail: e.message };
  }
  const final = new URL(page.url);
  if (!hostAllowed(final, feed)) return settle('refused', `redirected: ${hostRefusal(final, feed)}`);
  if (isPdf(page.contentType, page.url)) return settle('skipped', 'a PDF, not read');
  const extracted = extractPage(decodeBody(page.body, page.contentType), page.url);
  const title = oneLine(item.title) || oneLine(extracted.title ?? '');
  const date = isoDate(item.published) ?? isoDate(extracted.published);
  const paragraphs = extracted.paragraphs.map((p) => p.trim()).filter(Boolean);
  if (!title) return settle('skipped', 'neither the item nor its page has a title');
  if (!date) return settle('skipped', 'neither the item nor its page gives a publication date');
  if (paragraphs.length === 0) return settle('skipped', 'no statement text found on the page');
  const text = statementText({ feed, link, title, date, paragraphs });
  return settleIngest(ingestTexts([{ name: link, text }], { dataDir: ctx.dataDir })[0], link, title, ctx, settle);
}

async function settleIngest(
  result: IngestResult | undefined,
  link: string,
  title: string,
  ctx: ItemContext,
  settle: Settle,
): Promise<ItemReport> {
  if (!result) throw new Error('read-item: ingest returned no result');
  if (result.ok) {
    ctx.corpusLinks.set(linkKey(link), result.id);
    await ctx.state.added(ctx.feed.url, { id: result.id, title }, ctx.at);
    return settle('added', `added ${result.id}`, result.id);
  }
  const detail = result.error.replace(/^ingest: .*?: /, '');
  if (!detail.startsWith('already present')) return settle('refused', detail);
  return settle('duplicate', detail, /\bsource (?:with id )?([\w-]+)/.exec(detail)?.[1]);
}

/**
 * The document in the corpus format: header (title, publisher, date, url, kind), a blank line, the
 * paragraphs as extracted, each separated by a blank line.
 *
 * @example statementText({ feed, link: 'https://www.dni.gov/…', title: 'T', date: '2025-01-02', paragraphs: ['P.'] })
 */
export function statementText(doc: {
  feed: Pick<FeedConfig, 'publisher' | 'kind'>;
  link: string;
  title: string;
  date: string;
  paragraphs: readonly string[];
}): string {
  const header = [
    `title: ${oneLine(doc.title)}`,
    `publisher: ${oneLine(doc.feed.publisher)}`,
    `date: ${doc.date}`,
    `url: ${doc.link}`,
    `kind: ${doc.feed.kind}`,
  ];
  return `${header.join('\n')}\n\n${doc.paragraphs.join('\n\n')}\n`;
}

/**
 * The calendar date (YYYY-MM-DD) of an ISO or RFC date, as written when it has one (the
 * publisher's own day), else null.
 *
 * @example isoDate('2025-03-14T09:00:00-04:00') // '2025-03-14'
 */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const written = /^\s*(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
  if (written) return written;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

function absoluteLink(link: string | null, base: string): string | null {
  if (!link?.trim()) return null;
  try {
    return new URL(link.trim(), base).href;
  } catch {
    return null;
  }
}

function hostAllowed(url: URL, feed: FeedConfig): boolean {
  return feed.allowHosts.includes(url.hostname.toLowerCase());
}

function hostRefusal(url: URL, feed: FeedConfig): string {
  return `link to ${url.hostname}, which is not in allowHosts (${feed.allowHosts.join(', ')})`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The page as text, in the charset its Content-Type names (UTF-8 when none or unknown). */
function decodeBody(body: Buffer, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
