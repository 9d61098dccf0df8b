/**
 * The shared-store interface over today's SQLite stores (`openSubscriptionStore` and
 * `openFeedState` on the one file at DB_PATH), unchanged: each call runs the synchronous store and
 * returns its result as a Promise, so a thrown error becomes a rejection.
 *
 * SQLite serves one process, so there are no leases: `claim` returns every pending row, as
 * `pending()` does (of the platforms asked for), and ignores `leaseMs` and `instanceId`
 * (`leasedUntil` is null, `takenOver` false) and `renewLeases` only says which rows are still
 * pending. The idempotency
 * key needs the update's content hash, which `pending()` does not return, so it is read through a
 * third connection to the same file (WAL mode lets it read alongside the others).
 */
import type Database from 'better-sqlite3';
import type { Origin } from '../../core/commands/define-command.ts';
import { openFeedState } from '../feeds/feed-state.ts';
import { openDatabase } from '../subscriptions/schema.ts';
import { openSubscriptionStore } from '../subscriptions/store.ts';
import { type ClaimedDelivery, idempotencyKey, type SharedStore, type SharedStoreOptions } from './shared-store.ts';

/**
 * Opens the shared store on the SQLite file `file` (DB_PATH), creating and migrating it.
 *
 * @example
 * const shared = await openSqliteSharedStore('var/threatdesk.db');
 * await shared.subscriptions.subscribe({ platform: 'terminal', workspace: 'terminal', channel: 'terminal', user: 'ana' }, null);
 * await shared.close();
 */
export async function openSqliteSharedStore(file: string, options: SharedStoreOptions = {}): Promise<SharedStore> {
  const store = openSubscriptionStore(file, options.now ? { now: options.now } : {});
  let state: ReturnType<typeof openFeedState> | undefined;
  let db: Database.Database | undefined;
  try {
    state = openFeedState(file);
    db = openDatabase(file);
  } catch (error) {
    state?.close();
    store.close();
    throw error;
  }
  const feeds = state;
  const hashes = db.prepare('SELECT id, hash FROM updates WHERE id IN (SELECT value FROM json_each(?))');
  const platforms = db
    .prepare(
      `SELECT DISTINCT s.platform FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
       WHERE o.status = 'pending' AND s.paused_reason IS NULL ORDER BY s.platform`,
    )
    .pluck();
  const stillPending = db
    .prepare("SELECT id FROM outbox WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?)) ORDER BY id")
    .pluck();
  let closed = false;

  return {
    kind: 'sqlite',
    subscriptions: {
      subscribe: async (origin, actor) => store.subscribe(origin, actor),
      unsubscribe: async (origin, actor) => store.unsubscribe(origin, actor),
      list: async (origin) => store.list(origin),
      recordUpdates: async (updates, o) => store.recordUpdates(updates, o),
      recordedKeys: async () => store.recordedKeys(),
      pendingPlatforms: async () => platforms.all() as Origin['platform'][],
      async claim(limit, _leaseMs, _instanceId, options = {}) {
        const platforms = options.platforms;
        const rows = store.pending(limit).filter((r) => !platforms || platforms.includes(r.platform));
        if (rows.length === 0) return [];
        const ids = JSON.stringify([...new Set(rows.map((r) => r.updateId))]);
        const hashOf = new Map((hashes.all(ids) as { id: number; hash: string }[]).map((r) => [r.id, r.hash]));
        return rows.map(
          (r): ClaimedDelivery => ({
            ...r,
            idempotencyKey: idempotencyKey(r.rowId, hashOf.get(r.updateId) ?? ''),
            leasedUntil: null,
            takenOver: false,
          }),
        );
      },
      renewLeases: async (ids) => stillPending.all(JSON.stringify(ids)) as number[],
      releaseLeases: async () => 0,
      markSent: async (ids, at) => store.markSent(ids, at),
      reschedule: async (ids, next, error) => store.reschedule(ids, next, error),
      markFailed: async (ids, error) => store.markFailed(ids, error),
      resetFailures: async (ids) => store.resetFailures(ids),
      countPermanentFailure: async (ids, reason, limit) => store.countPermanentFailure(ids, reason, limit),
      outboxCounts: async () => store.outboxCounts(),
    },
    feeds: {
      get: async (url) => feeds.get(url),
      isSettled: async (feedUrl, key) => feeds.isSettled(feedUrl, key),
      byLink: async (link) => feeds.byLink(link),
      settle: async (feedUrl, item, at) => feeds.settle(feedUrl, item, at),
      countRetry: async (feedUrl, key, link, detail, at) => feeds.countRetry(feedUrl, key, link, detail, at),
      attempted: async (url, at) => feeds.attempted(url, at),
      read: async (url, at, validators) => feeds.read(url, at, validators),
      added: async (url, doc, at) => feeds.added(url, doc, at),
      failed: async (url, reason, at, maxFailures) => feeds.failed(url, reason, at, maxFailures),
      statuses: async (list) => feeds.statuses(list),
    },
    async close() {
      if (closed) return;
      closed = true;
      db?.close();
      feeds.close();
      store.close();
    },
  };
}
