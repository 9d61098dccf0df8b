/**
 * Shared setup for the feed watcher's tests: the loopback newsroom (feed-server.ts) serving the
 * fixtures under `fixtures/poll/`, a temporary copy of the shipped data, the feed state in the
 * shared store on a real SQLite file in a temp directory, and a poll wired as `npm run feeds -- --once` wires it. Everything
 * is removed when the test ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { type FeedConfig, parseFeeds } from '../../../src/updates/feeds/feeds-config.ts';
import { createHttpGetter, type HttpGetter } from '../../../src/updates/feeds/http-get.ts';
import { type FeedResult, type PollOptions, pollFeeds } from '../../../src/updates/feeds/poll-feeds.ts';
import type { SharedFeedState } from '../../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { type FeedServer, startFeedServer } from './feed-server.ts';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shippedDataDir = path.join(repoRoot, 'data');

/** Paths of the newsroom fixture, as the server serves them. */
export const FEED = '/news/rss.xml';
export const NEVADA = '/news/2025/02/04/statement-nevada-video';
export const IRAN = '/news/2025/02/06/statement-iran-spoofed-sites';
export const UNRELATED = '/news/2025/02/03/regional-office-denver';
export const PDF = '/files/2025/foreign-influence-report.pdf';
export const NEVADA_ID = '2025-02-04-joint-statement-russian-video-falsely-depicting-ballot';
export const IRAN_ID = '2025-02-06-joint-statement-iranian-websites-spoofing-county-election';
export const PUBLISHER = 'Test Bureau of Investigation (TBI)';

/** A fresh temp directory, removed when the test ends. */
export function tempDir(prefix = 'threatdesk-feeds-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A newsroom and a bot's files to poll it into. */
export interface Newsroom {
  server: FeedServer;
  root: string;
  dataDir: string;
  dbPath: string;
  state: SharedFeedState;
  http: HttpGetter;
  /** The feed at `path` on the server, as the feeds file would give it. */
  feed(path?: string, extra?: Record<string, unknown>): FeedConfig;
  /** One poll of `feeds` (paused ones included unless said otherwise). */
  poll(feeds: FeedConfig[], options?: Partial<PollOptions>): Promise<FeedResult[]>;
  /** Ids of the sources in the data directory that are not in the shipped data. */
  newSources(): string[];
}

/**
 * Starts a newsroom serving the usual fixture: the feed at FEED, the Nevada and Iran statement
 * pages; nothing else (the unrelated release and the PDF answer 404 if ever asked for).
 */
export async function startNewsroom(feedFixture = 'poll/newsroom.xml'): Promise<Newsroom> {
  const server = await startFeedServer();
  onTestFinished(() => server.close());
  server.fixture(FEED, feedFixture);
  server.fixture(NEVADA, 'poll/statement-nevada-video.html');
  server.fixture(IRAN, 'poll/statement-iran-spoofed-sites.html');
  const root = tempDir();
  const dataDir = path.join(root, 'data');
  fs.cpSync(shippedDataDir, dataDir, { recursive: true });
  const dbPath = path.join(root, 'var', 'threatdesk.db');
  const shared = await openSqliteSharedStore(dbPath);
  onTestFinished(() => shared.close());
  const state = shared.feeds;
  const http = createHttpGetter();
  const shipped = new Set(fs.readdirSync(path.join(shippedDataDir, 'sources')));
  return {
    server,
    root,
    dataDir,
    dbPath,
    state,
    http,
    feed: (feedPath = FEED, extra = {}) =>
      parseFeeds([{ url: server.url(feedPath), publisher: PUBLISHER, ...extra }], 'test feeds')[0] as FeedConfig,
    poll: (feeds, options = {}) =>
      pollFeeds({ feeds, dataDir, state, http, maxFailures: 3, includePaused: true, ...options }),
    newSources: () => [...loadCorpus(dataDir).sources.keys()].filter((id) => !shipped.has(`${id}.txt`)).sort(),
  };
}

/** One item of a feed written by a test. */
export interface TestItem {
  title: string;
  link?: string;
  guid?: string;
  /** RFC 822 date (pubDate). */
  date?: string;
  summary?: string;
}

/** An RSS 2.0 feed with these items, for cases the fixtures do not cover. */
export function rss(items: readonly TestItem[]): string {
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const entries = items.map((i) =>
    [
      '<item>',
      `<title>${xml(i.title)}</title>`,
      i.link ? `<link>${xml(i.link)}</link>` : '',
      `<description>${xml(i.summary ?? '')}</description>`,
      `<pubDate>${i.date ?? 'Tue, 04 Feb 2025 15:00:00 GMT'}</pubDate>`,
      i.guid ? `<guid isPermaLink="false">${xml(i.guid)}</guid>` : '',
      '</item>',
    ].join(''),
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title>${entries.join('')}</channel></rss>`;
}

/** Serves `body` at `path` as an RSS feed. */
export function serveRss(server: FeedServer, path: string, items: readonly TestItem[]): void {
  server.route(path, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: rss(items) });
}

/** The result of the feed at `url` among `results` (fails the test when missing). */
export function resultFor(results: readonly FeedResult[], url: string): FeedResult {
  const found = results.find((r) => r.feed.url === url);
  if (!found) throw new Error(`test: no result for ${url}`);
  return found;
}
