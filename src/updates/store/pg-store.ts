/**
 * The shared store on PostgreSQL (DATABASE_URL), for several instances of the bot at once. What
 * makes sharing safe:
 *
 * - Recording updates is one statement per call, `INSERT … ON CONFLICT DO NOTHING` on the
 *   `updates` table's (kind, key, hash) uniqueness, with the fan-out in the same statement: when
 *   every instance notices the same data change, only the one whose insert wins writes outbox rows.
 * - Claiming outbox rows leases them (`leased_until`, `leased_by`) to one instance. Rows are picked
 *   with `FOR UPDATE SKIP LOCKED`, and claims take a transaction-scoped advisory lock first, so
 *   each claim sees every claim committed before it and a channel is never split between two
 *   instances. A lease that expires (its instance was killed) makes the rows claimable again; the
 *   instance that claims them then learns they were taken over (`takenOver`), since the one that
 *   held them may have sent them already. Release (sent, rescheduled, failed) clears `leased_by`,
 *   so only a lease that ran out while held counts as taken over.
 * - Migrations run at open under an advisory lock (`pg-migrations.ts`).
 *
 * Lease times use the store's clock (`now`, epoch ms), like `next_attempt_at`: instances' clocks
 * must agree to well within a lease (NTP does). Delivery stays at least once; a row whose lease
 * ran out while its send was still in flight may be sent again by another instance, which is why
 * each claimed row carries an idempotency key for the platform.
 */
import pg from 'pg';
import type { Origin } from '../../core/commands/define-command.ts';
import type { CorpusUpdate } from '../../core/corpus/diff-corpus.ts';
import { type FeedRow, feedStateOf, type ItemOutcome, statusOf } from '../feeds/feed-state.ts';
import type { Subscription } from '../subscriptions/registry.ts';
import type { ChannelKey, RecordResult } from '../subscriptions/store.ts';
import { migratePg, PG_MIGRATIONS, type PgMigration } from './pg-migrations.ts';
import {
  type ClaimedDelivery,
  idempotencyKey,
  type SharedFeedState,
  type SharedStore,
  type SharedStoreOptions,
  type SharedSubscriptionStore,
} from './shared-store.ts';

/** Options of `openPgStore`. */
export interface PgStoreOptions extends SharedStoreOptions {
  /** Connection pool settings beyond the URL (default: at most 10 connections). */
  pool?: Omit<pg.PoolConfig, 'connectionString'>;
  /** The migrations to apply (default PG_MIGRATIONS; tests add their own). */
  migrations?: readonly PgMigration[];
  /** Where errors of idle connections are reported (default: console.error). */
  log?: (message: string, error?: unknown) => void;
}

interface SubscriptionRow {
  id: string;
  platform: Origin['platform'];
  workspace: string;
  channel: string;
  actor: string | null;
  created_by: string;
  created_at: Date;
  paused_reason: string | null;
}

function toSubscription(r: SubscriptionRow): Subscription {
  return {
    platform: r.platform,
    workspace: r.workspace,
    channel: r.channel,
    actor: r.actor,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    pausedReason: r.paused_reason,
  };
}

/** Deadlocks and serialization failures are worth one more go; anything else is not. */
const RETRYABLE = new Set(['40P01', '40001']);

/** Runs `fn` in a transaction on one connection, retrying it a few times on a deadlock. */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    // A connection that cannot even roll back is broken: the pool must drop it, not reuse it.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || code === undefined || !RETRYABLE.has(code)) throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** The advisory lock claims take, so that they see each other ('claims' in ASCII). */
const CLAIM_LOCK = '126875579803763';

const SAME = "platform = $1 AND workspace = $2 AND channel = $3 AND COALESCE(actor, '') = $4";

function subscriptionStore(pool: pg.Pool, now: () => number): SharedSubscriptionStore {
  const same = (o: ChannelKey, actor: string | null) => [o.platform, o.workspace, o.channel, actor ?? ''];
  const ids = (list: readonly number[]) => list.map(String);

  return {
    async subscribe(o, actor) {
      const at = new Date(now()).toISOString();
      const inserted = await pool.query(
        `INSERT INTO subscriptions (platform, workspace, channel, actor, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [o.platform, o.workspace, o.channel, actor, o.user, at],
      );
      if (inserted.rowCount) return true;
      // Subscribing again resumes a paused subscription: the usual fix after the cause is repaired.
      const resumed = await pool.query(
        `UPDATE subscriptions SET paused_reason = NULL, failures = 0, created_by = $5, created_at = $6
         WHERE ${SAME} AND paused_reason IS NOT NULL`,
        [...same(o, actor), o.user, at],
      );
      return (resumed.rowCount ?? 0) > 0;
    },

    async unsubscribe(o, actor) {
      const deleted = await pool.query(`DELETE FROM subscriptions WHERE ${SAME}`, same(o, actor));
      return (deleted.rowCount ?? 0) > 0;
    },

    async list(o) {
      const { rows } = await pool.query<SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE platform = $1 AND workspace = $2 AND channel = $3 ORDER BY id',
        [o.platform, o.workspace, o.channel],
      );
      return rows.map(toSubscription);
    },

    async recordUpdates(updates: readonly CorpusUpdate[], options): Promise<RecordResult> {
      if (updates.length === 0) return { updates: 0, rows: 0 };
      const input = updates.map((u) => ({
        kind: u.kind,
        key: u.key,
        actors: u.actors,
        hash: u.hash,
        payload: JSON.stringify(u.payload),
      }));
      // One statement: the updates not seen before, and their outbox rows, in the updates' order.
      const { rows } = await pool.query<{ updates: number; rows: number }>(
        `WITH input AS (
           SELECT x.*, i.ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i (item, ord),
             jsonb_to_record(i.item) AS x (kind TEXT, key TEXT, actors JSONB, hash TEXT, payload TEXT)
         ),
         new AS (
           INSERT INTO updates (kind, key, actors, hash, payload, created_at)
           SELECT kind, key, ARRAY(SELECT jsonb_array_elements_text(actors)), hash, payload, $2::timestamptz
           FROM input ORDER BY ord
           ON CONFLICT (kind, key, hash) DO NOTHING
           RETURNING id, actors
         ),
         fanned AS (
           INSERT INTO outbox (subscription_id, update_id, next_attempt_at)
           SELECT s.id, n.id, $3 FROM new n
           JOIN subscriptions s ON s.paused_reason IS NULL AND (s.actor IS NULL OR s.actor = ANY (n.actors))
           WHERE $4
           ORDER BY n.id, s.id
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
         SELECT (SELECT COUNT(*) FROM new)::int AS updates, (SELECT COUNT(*) FROM fanned)::int AS rows`,
        [JSON.stringify(input), new Date(options.at).toISOString(), options.dueAt, options.fanOut !== false],
      );
      return { updates: rows[0]?.updates ?? 0, rows: rows[0]?.rows ?? 0 };
    },

    async pendingPlatforms() {
      const { rows } = await pool.query<{ platform: Origin['platform'] }>(
        `SELECT DISTINCT s.platform FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
         WHERE o.status = 'pending' AND s.paused_reason IS NULL ORDER BY s.platform`,
      );
      return rows.map((r) => r.platform);
    },

    async recordedKeys() {
      const { rows } = await pool.query<{ k: string }>(`SELECT DISTINCT kind || ':' || key AS k FROM updates`);
      return new Set(rows.map((r) => r.k));
    },

    async claim(limit, leaseMs, instanceId, options = {}) {
      const t = now();
      const rows = await inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
        const result = await client.query<{
          rowId: string;
          subscriptionId: string;
          actor: string | null;
          platform: Origin['platform'];
          workspace: string;
          channel: string;
          attempts: number;
          nextAttemptAt: string;
          updateId: string;
          kind: CorpusUpdate['kind'];
          key: string;
          payload: string;
          hash: string;
          leasedUntil: string;
          takenOver: boolean;
        }>(
          // NOT IN over the held channels, not NOT EXISTS: PostgreSQL runs it as one hashed subplan
          // whatever the statistics say. NOT EXISTS became a nested-loop anti-join while the
          // statistics still described an empty outbox (right after a large fan-out), and a claim
          // beside 8,000 rows held by another instance took 4.6 s instead of 23 ms.
          `WITH held AS (
             SELECT DISTINCT s.platform, s.workspace, s.channel
             FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
             WHERE o.status = 'pending' AND o.leased_until > $1 AND o.leased_by <> $2
           ),
           picked AS (
             SELECT o.id, o.leased_by AS previous FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
             WHERE o.status = 'pending' AND s.paused_reason IS NULL
               AND ($5::text[] IS NULL OR s.platform = ANY ($5::text[]))
               AND (s.platform, s.workspace, s.channel) NOT IN (SELECT platform, workspace, channel FROM held)
             ORDER BY o.id
             LIMIT $3
             FOR UPDATE OF o SKIP LOCKED
           )
           UPDATE outbox o SET leased_until = $4, leased_by = $2
           FROM picked p, subscriptions s, updates u
           WHERE o.id = p.id AND s.id = o.subscription_id AND u.id = o.update_id
           RETURNING o.id AS "rowId", o.subscription_id AS "subscriptionId", s.actor, s.platform, s.workspace,
             s.channel, o.attempts, o.next_attempt_at AS "nextAttemptAt", u.id AS "updateId", u.kind, u.key,
             u.payload, u.hash, o.leased_until AS "leasedUntil",
             (p.previous IS NOT NULL AND p.previous <> $2) AS "takenOver"`,
          [t, instanceId, Math.max(0, Math.floor(limit)), t + leaseMs, options.platforms ?? null],
        );
        return result.rows;
      });
      return rows
        .map(
          (r): ClaimedDelivery => ({
            rowId: Number(r.rowId),
            subscriptionId: Number(r.subscriptionId),
            actor: r.actor,
            platform: r.platform,
            workspace: r.workspace,
            channel: r.channel,
            attempts: r.attempts,
            nextAttemptAt: Number(r.nextAttemptAt),
            updateId: Number(r.updateId),
            kind: r.kind,
            key: r.key,
            payload: r.payload,
            idempotencyKey: idempotencyKey(Number(r.rowId), r.hash),
            leasedUntil: Number(r.leasedUntil),
            takenOver: r.takenOver,
          }),
        )
        .sort((a, b) => a.rowId - b.rowId);
    },

    async renewLeases(rowIds, leaseMs, instanceId) {
      const { rows } = await pool.query<{ id: string }>(
        `UPDATE outbox SET leased_until = $2
         WHERE id = ANY ($1::bigint[]) AND status = 'pending' AND leased_by = $3
         RETURNING id`,
        [ids(rowIds), now() + leaseMs, instanceId],
      );
      return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    },

    async releaseLeases(instanceId) {
      const released = await pool.query(
        `UPDATE outbox SET leased_until = NULL, leased_by = NULL WHERE leased_by = $1 AND status = 'pending'`,
        [instanceId],
      );
      return released.rowCount ?? 0;
    },

    async markSent(rowIds, at) {
      await pool.query(
        `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL,
           leased_until = NULL, leased_by = NULL
         WHERE id = ANY ($1::bigint[]) AND status = 'pending'`,
        [ids(rowIds), at],
      );
    },

    async reschedule(rowIds, nextAttemptAt, error) {
      await pool.query(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
           leased_until = NULL, leased_by = NULL
         WHERE id = ANY ($1::bigint[]) AND status = 'pending'`,
        [ids(rowIds), nextAttemptAt, error],
      );
    },

    async markFailed(rowIds, error) {
      await pool.query(
        `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2,
           leased_until = NULL, leased_by = NULL
         WHERE id = ANY ($1::bigint[]) AND status = 'pending'`,
        [ids(rowIds), error],
      );
    },

    async resetFailures(subscriptionIds) {
      await pool.query('UPDATE subscriptions SET failures = 0 WHERE id = ANY ($1::bigint[])', [ids(subscriptionIds)]);
    },

    countPermanentFailure(subscriptionIds, reason, limit) {
      return inTransaction(pool, async (client) => {
        const paused: Subscription[] = [];
        for (const id of subscriptionIds) {
          const counted = await client.query<{ failures: number }>(
            'UPDATE subscriptions SET failures = failures + 1 WHERE id = $1 AND paused_reason IS NULL RETURNING failures',
            [id],
          );
          const failures = counted.rows[0]?.failures;
          if (failures === undefined || failures < limit) continue;
          const { rows } = await client.query<SubscriptionRow>(
            'UPDATE subscriptions SET paused_reason = $1 WHERE id = $2 RETURNING *',
            [reason, id],
          );
          paused.push(...rows.map(toSubscription));
          await client.query(
            `UPDATE outbox SET status = 'failed', last_error = $1, leased_until = NULL, leased_by = NULL
             WHERE subscription_id = $2 AND status = 'pending'`,
            [`subscription paused: ${reason}`, id],
          );
        }
        return paused;
      });
    },

    async outboxCounts() {
      const counts = { pending: 0, sent: 0, failed: 0 };
      const { rows } = await pool.query<{ status: keyof typeof counts; n: number }>(
        'SELECT status, COUNT(*)::int AS n FROM outbox GROUP BY status',
      );
      for (const r of rows) counts[r.status] = r.n;
      return counts;
    },
  };
}

function feedState(pool: pg.Pool): SharedFeedState {
  const ensure = (url: string) => pool.query('INSERT INTO feeds (url) VALUES ($1) ON CONFLICT (url) DO NOTHING', [url]);
  const row = async (url: string) => (await pool.query<FeedRow>('SELECT * FROM feeds WHERE url = $1', [url])).rows[0];

  return {
    get: async (url) => feedStateOf(url, await row(url)),

    async isSettled(feedUrl, key) {
      const { rowCount } = await pool.query(
        "SELECT 1 FROM feed_items WHERE feed_url = $1 AND key = $2 AND outcome <> 'retry'",
        [feedUrl, key],
      );
      return (rowCount ?? 0) > 0;
    },

    async byLink(link) {
      const { rows } = await pool.query<{ outcome: ItemOutcome; document: string | null }>(
        `SELECT outcome, document FROM feed_items WHERE link = $1 AND outcome <> 'retry'
         ORDER BY outcome = 'added' DESC LIMIT 1`,
        [link],
      );
      return rows[0];
    },

    async settle(feedUrl, item, at) {
      await pool.query(
        `INSERT INTO feed_items (feed_url, key, link, outcome, detail, document, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (feed_url, key) DO UPDATE SET
           link = excluded.link, outcome = excluded.outcome, detail = excluded.detail,
           document = excluded.document, seen_at = excluded.seen_at`,
        [feedUrl, item.key, item.link, item.outcome, item.detail ?? null, item.document ?? null, at],
      );
    },

    async countRetry(feedUrl, key, link, detail, at) {
      const { rows } = await pool.query<{ attempts: number }>(
        `INSERT INTO feed_items (feed_url, key, link, outcome, detail, seen_at)
         VALUES ($1, $2, $3, 'retry', $4, $5)
         ON CONFLICT (feed_url, key) DO UPDATE SET
           attempts = feed_items.attempts + 1, detail = excluded.detail, seen_at = excluded.seen_at
         RETURNING attempts`,
        [feedUrl, key, link, detail, at],
      );
      return rows[0]?.attempts ?? 1;
    },

    async attempted(url, at) {
      await pool.query(
        `INSERT INTO feeds (url, last_attempt_at) VALUES ($1, $2)
         ON CONFLICT (url) DO UPDATE SET last_attempt_at = excluded.last_attempt_at`,
        [url, at],
      );
    },

    async read(url, at, validators) {
      await ensure(url);
      await pool.query(
        `UPDATE feeds SET last_read_at = $2, failures = 0, last_error = NULL, paused_reason = NULL,
           etag = CASE WHEN $3 THEN $4 ELSE etag END,
           last_modified = CASE WHEN $3 THEN $5 ELSE last_modified END
         WHERE url = $1`,
        [url, at, validators !== undefined, validators?.etag ?? null, validators?.lastModified ?? null],
      );
    },

    async added(url, doc, at) {
      await pool.query(
        `INSERT INTO feeds (url, last_added_id, last_added_title, last_added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (url) DO UPDATE SET last_added_id = excluded.last_added_id,
           last_added_title = excluded.last_added_title, last_added_at = excluded.last_added_at`,
        [url, doc.id, doc.title, at],
      );
    },

    async failed(url, reason, _at, maxFailures) {
      await ensure(url);
      const { rows } = await pool.query<{ failures: number; paused_reason: string | null }>(
        `UPDATE feeds SET
           failures = failures + 1,
           last_error = $2,
           paused_reason = CASE
             WHEN paused_reason IS NOT NULL OR failures + 1 >= $3
             THEN $2 || ' (' || (failures + 1) || ' polls failed in a row)'
             ELSE NULL END
         WHERE url = $1
         RETURNING failures, paused_reason`,
        [url, reason, maxFailures],
      );
      // A failure stores no time, as in the SQLite store: `attempted` recorded it.
      const r = rows[0];
      return { failures: r?.failures ?? 0, paused: (r?.paused_reason ?? null) !== null };
    },

    async statuses(feeds) {
      const { rows } = await pool.query<FeedRow>('SELECT * FROM feeds WHERE url = ANY ($1::text[])', [
        feeds.map((f) => f.url),
      ]);
      const byUrl = new Map(rows.map((r) => [r.url, r]));
      return feeds.map((f) => statusOf(f, feedStateOf(f.url, byUrl.get(f.url))));
    },
  };
}

/**
 * Opens the shared store at a PostgreSQL URL, applying the migrations it has not had yet.
 *
 * @example
 * const shared = await openPgStore(process.env.DATABASE_URL!);
 * await shared.subscriptions.subscribe({ platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1' }, null);
 * const rows = await shared.subscriptions.claim(10_000, 60_000, 'instance-a');
 * await shared.close();
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<SharedStore> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const pool = new pg.Pool({ max: 10, application_name: 'threatdesk', ...options.pool, connectionString: url });
  // An idle connection the server closes (a restart, a failover) must not crash the bot: the pool
  // drops it and opens another on the next query.
  pool.on('error', (error) => log('pg store: an idle connection failed', error));
  const store = storeOn(pool, now);
  try {
    await migratePg(pool, options.migrations ?? PG_MIGRATIONS);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The store over an open pool; closing it ends the pool. */
function storeOn(pool: pg.Pool, now: () => number): SharedStore {
  // pool.end() resolves once every connection is asked to close; close() also waits until each
  // one has closed, so that nothing of the store is left talking to the server afterwards.
  let connections = 0;
  let drained: (() => void) | undefined;
  pool.on('connect', () => connections++);
  pool.on('remove', () => {
    if (--connections === 0) drained?.();
  });
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    subscriptions: subscriptionStore(pool, now),
    feeds: feedState(pool),
    close: () => {
      closed ??= pool.end().then(() => {
        if (connections === 0) return;
        return new Promise<void>((resolve) => {
          drained = resolve;
        });
      });
      return closed;
    },
  };
}
