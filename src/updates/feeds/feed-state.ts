/**
 * What the feed watcher remembers, in the SQLite file at DB_PATH (tables `feeds` and `feed_items`,
 * created by the migrations in `../subscriptions/schema.ts`), reached through the shared store
 * (`openSqliteSharedStore`; `../store/pg-store.ts` keeps the same in PostgreSQL): each feed's ETag and Last-Modified,
 * when it was last read, what it last added, its failures in a row and why it is paused; and every
 * item already settled, by key and by link. An item is settled only after its document is written,
 * so a crash in between leaves it to be looked at again (and found by its link in the corpus).
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../subscriptions/schema.ts';
import type { FeedConfig } from './feeds-config.ts';
import type { FeedStatus } from './registry.ts';

/** One feed's remembered state. */
export interface FeedState {
  url: string;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: string | null;
  lastReadAt: string | null;
  lastAdded: { id: string; title: string; at: string } | null;
  failures: number;
  lastError: string | null;
  pausedReason: string | null;
}

/** How an item was settled. `retry` is not settled: its page could not be read yet. */
export type ItemOutcome = 'added' | 'duplicate' | 'filtered' | 'refused' | 'skipped';

/** An item to remember. */
export interface SettledItem {
  key: string;
  /** The item's link as compared (`linkKey`), when it has one. */
  link: string | null;
  outcome: ItemOutcome;
  /** Why it was refused or skipped, or what it duplicates. */
  detail?: string | null;
  /** The source id it added, or the one it duplicates. */
  document?: string | null;
}

/** The store of feed state. Times are ISO strings. */
export interface FeedStateStore {
  /** A feed's state (blank for a feed never polled). */
  get(url: string): FeedState;
  /** Whether the feed's item with this key is settled. */
  isSettled(feedUrl: string, key: string): boolean;
  /** The settled item (of any feed) with this link: its outcome and document; undefined when none. */
  byLink(link: string): { outcome: ItemOutcome; document: string | null } | undefined;
  /** Remembers a settled item (replacing a retry row). */
  settle(feedUrl: string, item: SettledItem, at: string): void;
  /** Counts one failed attempt at an item's page; returns the attempts so far. */
  countRetry(feedUrl: string, key: string, link: string | null, detail: string, at: string): number;
  /** A poll began. */
  attempted(url: string, at: string): void;
  /**
   * A poll read the feed (200 or 304): failures cleared, pause lifted. The validators are saved
   * only when given (a poll that left items to retry keeps the old ones, so the feed is read whole
   * again next time).
   */
  read(url: string, at: string, validators?: { etag: string | null; lastModified: string | null }): void;
  /** A document was added from the feed. */
  added(url: string, doc: { id: string; title: string }, at: string): void;
  /**
   * A poll failed. Counts it; at `maxFailures` in a row the feed is paused with the reason.
   * Returns the failures in a row and whether it is paused now.
   */
  failed(url: string, reason: string, at: string, maxFailures: number): { failures: number; paused: boolean };
  /** The status of each configured feed, for `/feeds`. */
  statuses(feeds: readonly FeedConfig[]): FeedStatus[];
  close(): void;
}

/** A row of the `feeds` table, as both stores read it (times are ISO strings, kept as given). */
export interface FeedRow {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string | null;
  last_read_at: string | null;
  last_added_id: string | null;
  last_added_title: string | null;
  last_added_at: string | null;
  failures: number;
  last_error: string | null;
  paused_reason: string | null;
}

/** A feed's state from its row; blank for a feed never polled. */
export function feedStateOf(url: string, r: FeedRow | undefined): FeedState {
  return {
    url,
    etag: r?.etag ?? null,
    lastModified: r?.last_modified ?? null,
    lastAttemptAt: r?.last_attempt_at ?? null,
    lastReadAt: r?.last_read_at ?? null,
    lastAdded:
      r?.last_added_id && r.last_added_at
        ? { id: r.last_added_id, title: r.last_added_title ?? '', at: r.last_added_at }
        : null,
    failures: r?.failures ?? 0,
    lastError: r?.last_error ?? null,
    pausedReason: r?.paused_reason ?? null,
  };
}

/**
 * The status `/feeds` shows for a feed's state.
 *
 * @example statusOf(feed, state).state // 'failing' after one failed poll
 */
export function statusOf(feed: Pick<FeedConfig, 'url' | 'publisher'>, s: FeedState): FeedStatus {
  const state = s.pausedReason ? 'paused' : s.failures > 0 ? 'failing' : 'active';
  return {
    url: feed.url,
    publisher: feed.publisher,
    lastReadAt: s.lastReadAt,
    lastAdded: s.lastAdded,
    state,
    reason: s.pausedReason ?? (s.failures > 0 ? s.lastError : null),
    failures: s.failures,
  };
}

/**
 * Opens the feed state in the SQLite file `file` (DB_PATH), creating and migrating it as the
 * subscription store does.
 *
 * @example
 * const state = openFeedState('var/threatdesk.db');
 * state.get('https://www.dni.gov/…').etag; // null before the first poll
 * state.close();
 */
export function openFeedState(file: string): FeedStateStore {
  const db: Database.Database = openDatabase(file);
  const q = statements(db);
  const ensure = (url: string) => q.ensure.run(url);
  return {
    get: (url) => feedStateOf(url, q.get.get(url) as FeedRow | undefined),
    isSettled: (feedUrl, key) => q.settled.get(feedUrl, key) !== undefined,
    byLink: (link) => q.byLink.get(link) as { outcome: ItemOutcome; document: string | null } | undefined,
    settle: (feedUrl, item, at) =>
      void q.settle.run({
        feed: feedUrl,
        key: item.key,
        link: item.link,
        outcome: item.outcome,
        detail: item.detail ?? null,
        document: item.document ?? null,
        at,
      }),
    countRetry: (feedUrl, key, link, detail, at) =>
      (q.retry.get({ feed: feedUrl, key, link, detail, at }) as { attempts: number }).attempts,
    attempted: (url, at) => {
      ensure(url);
      q.attempted.run(at, url);
    },
    read: (url, at, validators) => {
      ensure(url);
      q.read.run(at, url);
      if (validators) q.validators.run(validators.etag, validators.lastModified, url);
    },
    added: (url, doc, at) => {
      ensure(url);
      q.added.run(doc.id, doc.title, at, url);
    },
    failed: (url, reason, at, maxFailures) => {
      ensure(url);
      const row = q.failed.get({ url, reason, at, max: maxFailures }) as { failures: number; paused_reason: string };
      return { failures: row.failures, paused: row.paused_reason !== null };
    },
    statuses: (feeds) => feeds.map((f) => statusOf(f, feedStateOf(f.url, q.get.get(f.url) as FeedRow | undefined))),
    close: () => db.close(),
  };
}

function statements(db: Database.Database) {
  return {
    ensure: db.prepare('INSERT INTO feeds (url) VALUES (?) ON CONFLICT (url) DO NOTHING'),
    get: db.prepare('SELECT * FROM feeds WHERE url = ?'),
    settled: db.prepare("SELECT 1 FROM feed_items WHERE feed_url = ? AND key = ? AND outcome <> 'retry'"),
    byLink: db.prepare(
      "SELECT outcome, document FROM feed_items WHERE link = ? AND outcome <> 'retry' ORDER BY outcome = 'added' DESC LIMIT 1",
    ),
    settle: db.prepare(`
      INSERT INTO feed_items (feed_url, key, link, outcome, detail, document, seen_at)
      VALUES (@feed, @key, @link, @outcome, @detail, @document, @at)
      ON CONFLICT (feed_url, key) DO UPDATE SET
        link = excluded.link, outcome = excluded.outcome, detail = excluded.detail,
        document = excluded.document, seen_at = excluded.seen_at`),
    retry: db.prepare(`
      INSERT INTO feed_items (feed_url, key, link, outcome, detail, seen_at)
      VALUES (@feed, @key, @link, 'retry', @detail, @at)
      ON CONFLICT (feed_url, key) DO UPDATE SET attempts = attempts + 1, detail = excluded.detail, seen_at = excluded.seen_at
      RETURNING attempts`),
    attempted: db.prepare('UPDATE feeds SET last_attempt_at = ? WHERE url = ?'),
    read: db.prepare(
      'UPDATE feeds SET last_read_at = ?, failures = 0, last_error = NULL, paused_reason = NULL WHERE url = ?',
    ),
    validators: db.prepare('UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?'),
    added: db.prepare('UPDATE feeds SET last_added_id = ?, last_added_title = ?, last_added_at = ? WHERE url = ?'),
    failed: db.prepare(`
      UPDATE feeds SET
        failures = failures + 1,
        last_error = @reason,
        paused_reason = CASE
          WHEN paused_reason IS NOT NULL OR failures + 1 >= @max
          THEN @reason || ' (' || (failures + 1) || ' polls failed in a row)'
          ELSE NULL END
      WHERE url = @url
      RETURNING failures, paused_reason`),
  };
}
