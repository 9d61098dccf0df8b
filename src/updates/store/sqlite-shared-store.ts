/**
 * The shared-store interface over today's SQLite stores (`openSubscriptionStore` and
 * `openFeedState` on the one file at DB_PATH), unchanged: each call runs the synchronous store and
 * returns its result as a Promise, so a thrown error becomes a rejection.
 *
 * SQLite serves one process, so there are no leases: `claim` returns every pending row, as
 * `pending()` does (of the platforms asked for), and ignores `leaseMs` and `instanceId`
 * (`leasedUntil` is null, `takenOver` false) and `renewLeases` only says which rows are still
 * pending.
 */
import { openFeedState } from '../feeds/feed-state.ts';
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
  let feeds: ReturnType<typeof openFeedState>;
  try {
    feeds = openFeedState(file);
  } catch (error) {
    store.close();
    throw error;
  }
  let closed = false;

  return {
    kind: 'sqlite',
    subscriptions: {
      subscribe: async (origin, actor) => store.subscribe(origin, actor),
      unsubscribe: async (origin, actor) => store.unsubscribe(origin, actor),
      list: async (origin) => store.list(origin),
      recordUpdates: async (updates, o) => store.recordUpdates(updates, o),
      recordedKeys: async () => store.recordedKeys(),
      pendingPlatforms: async () => store.pendingPlatforms(),
      async claim(limit, _leaseMs, _instanceId, options = {}) {
        return store.pending(limit, options.platforms).map(
          ({ hash, ...r }): ClaimedDelivery => ({
            ...r,
            idempotencyKey: idempotencyKey(r.rowId, hash),
            leasedUntil: null,
            takenOver: false,
          }),
        );
      },
      renewLeases: async (ids) => store.stillPending(ids),
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
      feeds.close();
      store.close();
    },
  };
}
