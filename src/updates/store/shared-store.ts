/**
 * The shared store: everything the updates pipeline keeps between runs (channel subscriptions,
 * announced updates, the delivery outbox, newsroom feed state), behind one asynchronous interface
 * with two implementations:
 *
 * - `openSqliteSharedStore(file)` (`sqlite-shared-store.ts`): today's SQLite file at DB_PATH, for
 *   one process;
 * - `openPgStore(url)` (`pg-store.ts`): PostgreSQL at DATABASE_URL, shared by several instances.
 *
 * `openSharedStore(config)` (`open-shared-store.ts`) picks one; `docs/store.md` describes both.
 *
 * The methods keep the names and meaning of the synchronous SQLite stores they stand for
 * (`SubscriptionStore` in `../subscriptions/store.ts`, `FeedStateStore` in
 * `../feeds/feed-state.ts`), each returning a Promise, so that moving a caller over is mechanical:
 * `store.x(…)` becomes `await shared.subscriptions.x(…)`, `state.x(…)` becomes
 * `await shared.feeds.x(…)`. One change of meaning: `pending()` is replaced by `claim()`, which
 * leases the rows it returns to one instance, so that several instances never deliver the same row.
 * `test/updates/store/store-suite.ts` is the contract both implementations pass.
 */
import { createHash } from 'node:crypto';
import type { Origin } from '../../core/commands/define-command.ts';
import type { CorpusUpdate } from '../../core/corpus/diff-corpus.ts';
import type { FeedState, ItemOutcome, SettledItem } from '../feeds/feed-state.ts';
import type { FeedConfig } from '../feeds/feeds-config.ts';
import type { FeedStatus } from '../feeds/registry.ts';
import type { Subscription, SubscriptionRegistry } from '../subscriptions/registry.ts';
import type { PendingDelivery, RecordResult } from '../subscriptions/store.ts';

/** A pending outbox row leased to the instance that claimed it. */
export interface ClaimedDelivery extends PendingDelivery {
  /**
   * Names this delivery to the platform, so that a retry after a timeout does not post twice: built
   * from the outbox row id and the update's content hash, the same on every attempt, at most 25
   * characters (Discord's `nonce` limit). Example: `o1b-3f9a0c2e4d5b6a71`.
   */
  idempotencyKey: string;
  /** Epoch ms until which no other instance claims the row; null where there are no leases (SQLite). */
  leasedUntil: number | null;
  /**
   * True when the row was taken over from another instance whose lease had run out: that instance
   * may have sent it before it died or hung, so the platform may already show the message. Always
   * false on SQLite (no leases).
   */
  takenOver: boolean;
}

/** Subscriptions, updates and the outbox: `SubscriptionStore`, asynchronous, with leases. */
export interface SharedSubscriptionStore extends SubscriptionRegistry {
  /**
   * Records updates in one transaction. An update already recorded with the same kind, key and
   * content hash is skipped (also when another instance records it at the same moment: only one
   * of them counts it and fans it out); for the others, unless `fanOut` is false, one outbox row
   * goes to every active subscription whose filter matches (no filter, or one of the update's
   * actors), due at `dueAt`.
   */
  recordUpdates(
    updates: readonly CorpusUpdate[],
    options: { at: number; dueAt: number; fanOut?: boolean },
  ): Promise<RecordResult>;
  /** `kind:key` of every update ever recorded. */
  recordedKeys(): Promise<Set<string>>;
  /** The platforms with pending rows of active subscriptions (to say which wait for a sender). */
  pendingPlatforms(): Promise<Origin['platform'][]>;
  /**
   * Leases pending rows of active subscriptions to `instanceId` for `leaseMs` and returns them,
   * oldest first, at most `limit`: rows no instance holds, rows whose lease has expired (their
   * holder died or hung), and rows `instanceId` already holds (claiming renews its lease). Rows
   * are returned whether or not they are due yet; the delivery plan decides what to send now.
   * A channel held by another instance is left to it whole, so one channel's rows go out as one
   * message from one instance. On SQLite (one process) leases are not kept: every pending row is
   * returned, as `pending()` did.
   *
   * `options.platforms` limits the claim to the platforms this instance has a sender for, so that
   * it does not hold rows another instance could deliver (default: every platform).
   */
  claim(
    limit: number,
    leaseMs: number,
    instanceId: string,
    options?: { platforms?: readonly Origin['platform'][] },
  ): Promise<ClaimedDelivery[]>;
  /**
   * Extends the lease of rows `instanceId` still holds to `leaseMs` from now, so that a delivery
   * round that runs long (slow platforms, many channels) keeps them. Returns the ids still held;
   * a row missing from it was taken over by another instance (its lease had run out) or is no
   * longer pending. On SQLite every pending row given is returned.
   */
  renewLeases(rowIds: readonly number[], leaseMs: number, instanceId: string): Promise<number[]>;
  /**
   * Releases every row `instanceId` holds, so that other instances may claim them at once (an
   * instance stopping cleanly, with no send in flight). Returns how many were released; always 0
   * on SQLite.
   */
  releaseLeases(instanceId: string): Promise<number>;
  /** Marks rows delivered (and releases them). */
  markSent(rowIds: readonly number[], at: number): Promise<void>;
  /** Counts an attempt on rows, schedules the next one and releases them. */
  reschedule(rowIds: readonly number[], nextAttemptAt: number, error: string): Promise<void>;
  /** Gives rows up (counted as an attempt). */
  markFailed(rowIds: readonly number[], error: string): Promise<void>;
  /** Clears the consecutive-failure count of subscriptions after a delivery went through. */
  resetFailures(subscriptionIds: readonly number[]): Promise<void>;
  /**
   * Counts one permanent failure against each subscription; those reaching `limit` are paused with
   * `reason`, their pending rows given up. Returns the subscriptions paused now.
   */
  countPermanentFailure(subscriptionIds: readonly number[], reason: string, limit: number): Promise<Subscription[]>;
  /** Outbox rows by status. */
  outboxCounts(): Promise<{ pending: number; sent: number; failed: number }>;
}

/** Newsroom feed state: `FeedStateStore`, asynchronous. Times are ISO strings, kept as given. */
export interface SharedFeedState {
  /** A feed's state (blank for a feed never polled). */
  get(url: string): Promise<FeedState>;
  /** Whether the feed's item with this key is settled. */
  isSettled(feedUrl: string, key: string): Promise<boolean>;
  /** The settled item (of any feed) with this link: its outcome and document; undefined when none. */
  byLink(link: string): Promise<{ outcome: ItemOutcome; document: string | null } | undefined>;
  /** Remembers a settled item (replacing a retry row). */
  settle(feedUrl: string, item: SettledItem, at: string): Promise<void>;
  /** Counts one failed attempt at an item's page; returns the attempts so far. */
  countRetry(feedUrl: string, key: string, link: string | null, detail: string, at: string): Promise<number>;
  /** A poll began. */
  attempted(url: string, at: string): Promise<void>;
  /** A poll read the feed: failures cleared, pause lifted, validators saved only when given. */
  read(url: string, at: string, validators?: { etag: string | null; lastModified: string | null }): Promise<void>;
  /** A document was added from the feed. */
  added(url: string, doc: { id: string; title: string }, at: string): Promise<void>;
  /** A poll failed: counted, and at `maxFailures` in a row the feed is paused with the reason. */
  failed(url: string, reason: string, at: string, maxFailures: number): Promise<{ failures: number; paused: boolean }>;
  /** The status of each configured feed, for `/feeds`. */
  statuses(feeds: readonly FeedConfig[]): Promise<FeedStatus[]>;
}

/** The whole shared state of a running bot. */
export interface SharedStore {
  /** `sqlite` (one process, DB_PATH) or `postgres` (shared, DATABASE_URL). */
  readonly kind: 'sqlite' | 'postgres';
  subscriptions: SharedSubscriptionStore;
  feeds: SharedFeedState;
  /** Closes the connection(s); the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Options both implementations take. */
export interface SharedStoreOptions {
  /** The clock, epoch ms: subscription times and lease expiry (default Date.now; injected in tests). */
  now?: () => number;
}

/**
 * The idempotency key of an outbox row: its id and the first 16 hex digits of the update's content
 * hash, at most 25 characters (a row id below 36^7, about 78 billion, keeps it within Discord's
 * `nonce` limit). A database rebuilt from scratch that reuses a row id for other content still
 * gets a different key.
 *
 * @example idempotencyKey(75, '3f9a0c2e4d5b6a718293a4b5c6d7e8f9') // 'o23-3f9a0c2e4d5b6a71'
 */
export function idempotencyKey(rowId: number, hash: string): string {
  return `o${rowId.toString(36)}-${hash.slice(0, 16)}`;
}

/**
 * The idempotency key of one message carrying several outbox rows: the row's own key when there
 * is one row, else `m-` and 22 hex digits of a SHA-256 over the rows' keys (24 characters). It is
 * the same on every attempt with the same rows; when rows join a channel's message between two
 * attempts the key changes, so the platform posts the larger message rather than answer with the
 * earlier one and lose the rows that joined (a repeat is better than a loss).
 *
 * @example messageKey(['o1-3f9a0c2e4d5b6a71']) // 'o1-3f9a0c2e4d5b6a71'
 */
export function messageKey(rowKeys: readonly string[]): string {
  if (rowKeys.length === 1) return rowKeys[0]!;
  const keys = [...rowKeys].sort();
  return `m-${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 22)}`;
}
