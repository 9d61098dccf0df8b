/**
 * The subscription store on SQLite, synchronous: channel subscriptions, every update announced, and the outbox of deliveries, one row per (subscription, update). Rows are
 * written in the same transaction as their update, before anything is sent, and marked sent only
 * after the platform confirmed, so a crash at any point loses nothing and repeats at most the
 * message that was in flight. The running bot reaches it through the asynchronous shared-store
 * interface (`openSqliteSharedStore` in `../store/sqlite-shared-store.ts`), never directly.
 */
import type Database from 'better-sqlite3';
import type { Origin } from '../../core/commands/define-command.ts';
import type { CorpusUpdate } from '../../core/corpus/diff-corpus.ts';
import type { Subscription } from './registry.ts';
import { openDatabase } from './schema.ts';

/** A channel, as the outbox groups deliveries. */
export type ChannelKey = Pick<Origin, 'platform' | 'workspace' | 'channel'>;

/** One pending outbox row with what is needed to deliver it. */
export interface PendingDelivery {
  rowId: number;
  subscriptionId: number;
  /** The subscription's actor filter, null for every update. */
  actor: string | null;
  platform: Origin['platform'];
  workspace: string;
  channel: string;
  attempts: number;
  /** Epoch ms before which the row is not sent. */
  nextAttemptAt: number;
  updateId: number;
  kind: CorpusUpdate['kind'];
  key: string;
  /** The update's payload (JSON). */
  payload: string;
}

/** What recording updates did. */
export interface RecordResult {
  /** Updates not seen before (same kind, key and content hash). */
  updates: number;
  /** Outbox rows written, one per matching active subscription and new update. */
  rows: number;
}

/**
 * The synchronous SQLite store under `openSqliteSharedStore` (`../store/sqlite-shared-store.ts`),
 * which is what the bot uses: the registry commands see, plus what the delivery loop needs.
 */
export interface SubscriptionStore {
  /** Adds a subscription, or resumes a paused one; false when it already existed and was active. */
  subscribe(origin: Origin, actor: string | null): boolean;
  /** Removes a subscription (and its outbox rows); false when there was none. */
  unsubscribe(origin: Origin, actor: string | null): boolean;
  /** The channel's subscriptions, oldest first. */
  list(origin: ChannelKey): Subscription[];
  /**
   * Records updates in one transaction. An update already recorded with the same content is
   * skipped; for the others, unless `fanOut` is false, one outbox row goes to every active
   * subscription whose filter matches (no filter, or one of the update's actors), due at `dueAt`.
   */
  recordUpdates(
    updates: readonly CorpusUpdate[],
    options: { at: number; dueAt: number; fanOut?: boolean },
  ): RecordResult;
  /** `kind:key` of every update ever recorded. */
  recordedKeys(): Set<string>;
  /**
   * Pending rows of active subscriptions, oldest first (at most `limit`), of `platforms` only when
   * given, each with its update's content hash (for the idempotency key).
   */
  pending(limit?: number, platforms?: readonly Origin['platform'][]): (PendingDelivery & { hash: string })[];
  /** Of `rowIds`, those still pending, in order. */
  stillPending(rowIds: readonly number[]): number[];
  /** The platforms with pending rows of active subscriptions, in order. */
  pendingPlatforms(): Origin['platform'][];
  /** Marks rows delivered. */
  markSent(rowIds: readonly number[], at: number): void;
  /** Counts an attempt on rows and schedules the next one. */
  reschedule(rowIds: readonly number[], nextAttemptAt: number, error: string): void;
  /** Gives rows up (counted as an attempt). */
  markFailed(rowIds: readonly number[], error: string): void;
  /** Clears the consecutive-failure count of subscriptions after a delivery went through. */
  resetFailures(subscriptionIds: readonly number[]): void;
  /**
   * Counts one permanent failure against each subscription; those reaching `limit` are paused with
   * `reason`, their pending rows given up. Returns the subscriptions paused now.
   */
  countPermanentFailure(subscriptionIds: readonly number[], reason: string, limit: number): Subscription[];
  /** Outbox rows by status. */
  outboxCounts(): { pending: number; sent: number; failed: number };
  close(): void;
}

interface SubscriptionRow {
  id: number;
  platform: Origin['platform'];
  workspace: string;
  channel: string;
  actor: string | null;
  created_by: string;
  created_at: string;
  paused_reason: string | null;
}

function toSubscription(r: SubscriptionRow): Subscription {
  return {
    platform: r.platform,
    workspace: r.workspace,
    channel: r.channel,
    actor: r.actor,
    createdBy: r.created_by,
    createdAt: r.created_at,
    pausedReason: r.paused_reason,
  };
}

const SAME = `platform = @platform AND workspace = @workspace AND channel = @channel AND COALESCE(actor, '') = @actorKey`;

/**
 * Opens the store at `file` (DB_PATH), creating it and its directory, migrating its schema.
 *
 * @example
 * const store = openSubscriptionStore('var/threatdesk.db');
 * store.subscribe({ platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1' }, 'russia'); // true
 * store.close();
 */
export function openSubscriptionStore(file: string, options: { now?: () => number } = {}): SubscriptionStore {
  const now = options.now ?? Date.now;
  const db: Database.Database = openDatabase(file);
  const key = (o: ChannelKey, actor: string | null) => ({
    platform: o.platform,
    workspace: o.workspace,
    channel: o.channel,
    actorKey: actor ?? '',
  });
  const q = {
    insertSub: db.prepare(
      `INSERT OR IGNORE INTO subscriptions (platform, workspace, channel, actor, created_by, created_at)
       VALUES (@platform, @workspace, @channel, @actor, @user, @at)`,
    ),
    resumeSub: db.prepare(
      `UPDATE subscriptions SET paused_reason = NULL, failures = 0, created_by = @user, created_at = @at
       WHERE ${SAME} AND paused_reason IS NOT NULL`,
    ),
    deleteSub: db.prepare(`DELETE FROM subscriptions WHERE ${SAME}`),
    listSubs: db.prepare(
      `SELECT * FROM subscriptions WHERE platform = @platform AND workspace = @workspace AND channel = @channel ORDER BY id`,
    ),
    insertUpdate: db.prepare(
      `INSERT OR IGNORE INTO updates (kind, key, actors, hash, payload, created_at)
       VALUES (@kind, @key, @actors, @hash, @payload, @at)`,
    ),
    fanOut: db.prepare(
      `INSERT OR IGNORE INTO outbox (subscription_id, update_id, next_attempt_at)
       SELECT s.id, @update, @due FROM subscriptions s
       WHERE s.paused_reason IS NULL AND (s.actor IS NULL OR s.actor IN (SELECT value FROM json_each(@actors)))`,
    ),
    keys: db.prepare(`SELECT DISTINCT kind || ':' || key AS k FROM updates`).pluck(),
    pending: db.prepare(
      `SELECT o.id AS rowId, o.subscription_id AS subscriptionId, s.actor, s.platform, s.workspace, s.channel,
              o.attempts, o.next_attempt_at AS nextAttemptAt, u.id AS updateId, u.kind, u.key, u.payload, u.hash
       FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id JOIN updates u ON u.id = o.update_id
       WHERE o.status = 'pending' AND s.paused_reason IS NULL
         AND (@platforms IS NULL OR s.platform IN (SELECT value FROM json_each(@platforms)))
       ORDER BY o.id LIMIT @limit`,
    ),
    stillPending: db
      .prepare("SELECT id FROM outbox WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?)) ORDER BY id")
      .pluck(),
    platforms: db
      .prepare(
        `SELECT DISTINCT s.platform FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
         WHERE o.status = 'pending' AND s.paused_reason IS NULL ORDER BY s.platform`,
      )
      .pluck(),
    sent: db.prepare(
      `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL
       WHERE id = ? AND status = 'pending'`,
    ),
    retry: db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
    ),
    failed: db.prepare(
      `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'`,
    ),
    reset: db.prepare('UPDATE subscriptions SET failures = 0 WHERE id = ?'),
    fail: db.prepare(
      'UPDATE subscriptions SET failures = failures + 1 WHERE id = ? AND paused_reason IS NULL RETURNING failures',
    ),
    pause: db.prepare('UPDATE subscriptions SET paused_reason = ? WHERE id = ? RETURNING *'),
    dropPending: db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = ? WHERE subscription_id = ? AND status = 'pending'`,
    ),
    counts: db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'),
  };
  const eachRow = (stmt: Database.Statement, first: (id: number) => unknown[]) =>
    db.transaction((ids: readonly number[]) => {
      for (const id of ids) stmt.run(...first(id));
    });

  const subscribe = db.transaction((o: Origin, actor: string | null): boolean => {
    const params = { ...key(o, actor), actor, user: o.user, at: new Date(now()).toISOString() };
    if (q.insertSub.run(params).changes > 0) return true;
    // Subscribing again resumes a paused subscription: the usual fix after the cause is repaired.
    return q.resumeSub.run(params).changes > 0;
  });

  const recordUpdates = db.transaction(
    (updates: readonly CorpusUpdate[], o: { at: number; dueAt: number; fanOut?: boolean }): RecordResult => {
      const result: RecordResult = { updates: 0, rows: 0 };
      const at = new Date(o.at).toISOString();
      for (const u of updates) {
        const actors = JSON.stringify(u.actors);
        const inserted = q.insertUpdate.run({
          kind: u.kind,
          key: u.key,
          actors,
          hash: u.hash,
          payload: JSON.stringify(u.payload),
          at,
        });
        if (inserted.changes === 0) continue;
        result.updates++;
        if (o.fanOut === false) continue;
        result.rows += q.fanOut.run({ update: inserted.lastInsertRowid, due: o.dueAt, actors }).changes;
      }
      return result;
    },
  );

  const countPermanentFailure = db.transaction((ids: readonly number[], reason: string, limit: number) => {
    const paused: Subscription[] = [];
    for (const id of ids) {
      const row = q.fail.get(id) as { failures: number } | undefined;
      if (!row || row.failures < limit) continue;
      paused.push(toSubscription(q.pause.get(reason, id) as SubscriptionRow));
      q.dropPending.run(`subscription paused: ${reason}`, id);
    }
    return paused;
  });

  return {
    subscribe,
    unsubscribe: (o, actor) => q.deleteSub.run(key(o, actor)).changes > 0,
    list: (o) =>
      (q.listSubs.all({ platform: o.platform, workspace: o.workspace, channel: o.channel }) as SubscriptionRow[]).map(
        toSubscription,
      ),
    recordUpdates,
    recordedKeys: () => new Set(q.keys.all() as string[]),
    pending: (limit = 10_000, platforms) =>
      q.pending.all({ limit, platforms: platforms ? JSON.stringify(platforms) : null }) as (PendingDelivery & {
        hash: string;
      })[],
    stillPending: (ids) => q.stillPending.all(JSON.stringify(ids)) as number[],
    pendingPlatforms: () => q.platforms.all() as Origin['platform'][],
    markSent: (ids, at) => eachRow(q.sent, (id) => [at, id])(ids),
    reschedule: (ids, nextAt, error) => eachRow(q.retry, (id) => [nextAt, error, id])(ids),
    markFailed: (ids, error) => eachRow(q.failed, (id) => [error, id])(ids),
    resetFailures: (ids) => eachRow(q.reset, (id) => [id])(ids),
    countPermanentFailure,
    outboxCounts: () => {
      const counts = { pending: 0, sent: 0, failed: 0 };
      for (const r of q.counts.all() as { status: keyof typeof counts; n: number }[]) counts[r.status] = r.n;
      return counts;
    },
    close: () => db.close(),
  };
}
