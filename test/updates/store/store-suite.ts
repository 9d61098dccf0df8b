/**
 * The contract every shared store passes (SQLite and PostgreSQL): the behaviour of today's SQLite
 * `SubscriptionStore` and `FeedStateStore`, through the asynchronous `SharedStore` interface.
 * `sharedStoreSuite` registers the tests; a test file calls it with a way to get a fresh, empty
 * database that can be opened more than once (a reopen, or a second instance).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CorpusUpdate } from '../../../src/core/corpus/diff-corpus.ts';
import { parseFeeds } from '../../../src/updates/feeds/feeds-config.ts';
import type { SharedStore, SharedStoreOptions } from '../../../src/updates/store/shared-store.ts';
import { Clock, originFor } from '../subscriptions/fixtures.ts';

/** One fresh, empty database; `open` may be called several times, as restarts or instances would. */
export interface StoreTarget {
  open(options?: SharedStoreOptions): Promise<SharedStore>;
}

/** A store opened for one test, closed when the test ends. */
export async function openFor(target: StoreTarget, options: SharedStoreOptions = {}): Promise<SharedStore> {
  const store = await target.open(options);
  onTestFinished(() => store.close());
  return store;
}

/** A source update, as `diffCorpus` makes them. */
export function sourceUpdate(key: string, actors: string[] = [], hash = `h-${key}`): CorpusUpdate {
  return {
    kind: 'source',
    key,
    hash,
    actors,
    payload: { title: `Title ${key}`, publisher: 'ODNI', date: '2025-02-03', url: null, paragraphs: 2 },
  };
}

/** A claim update about `actor`. */
export function claimUpdate(key: string, actor: string, hash = `h-${key}`): CorpusUpdate {
  return {
    kind: 'claim',
    key,
    hash,
    actors: [actor],
    payload: {
      source: 'src',
      paragraph: 1,
      actor,
      type: 'tactic',
      summary: `Summary “${key}”, with ‘quotes’ and é.`,
      date: '2025-02-03',
    },
  };
}

const here = originFor('slack', 'C1', 'U1');
const at = { at: Date.parse('2025-03-01T00:00:00Z'), dueAt: Date.parse('2025-03-01T00:00:02Z') };
const LEASE = 60_000;
const ids = (rows: readonly { rowId: number }[]) => rows.map((r) => r.rowId);

/**
 * Registers the shared-store contract tests.
 *
 * @example sharedStoreSuite('SQLite', async () => ({ open: (o) => openSqliteSharedStore(tempDbPath(), o) }));
 */
export function sharedStoreSuite(name: string, fresh: () => Promise<StoreTarget>): void {
  const open = async (options: SharedStoreOptions = {}) => openFor(await fresh(), options);

  describe(`${name} shared store: subscriptions`, () => {
    it('subscribing twice is idempotent, also for the all-updates (NULL actor) subscription', async () => {
      const { subscriptions: s } = await open();
      expect(await s.subscribe(here, null)).toBe(true);
      expect(await s.subscribe(here, null)).toBe(false);
      expect(await s.subscribe({ ...here, user: 'U2' }, null)).toBe(false);
      expect(await s.subscribe(here, 'iran')).toBe(true);
      expect(await s.subscribe(here, 'iran')).toBe(false);
      expect((await s.list(here)).map((x) => [x.actor, x.createdBy])).toEqual([
        [null, 'U1'],
        ['iran', 'U1'],
      ]);
    });

    it('unsubscribing says false when there was nothing to remove, and removes only what it names', async () => {
      const { subscriptions: s } = await open();
      expect(await s.unsubscribe(here, null)).toBe(false);
      await s.subscribe(here, null);
      await s.subscribe(here, 'china');
      expect(await s.unsubscribe(here, 'iran')).toBe(false);
      expect(await s.unsubscribe(here, null)).toBe(true);
      expect(await s.unsubscribe(here, null)).toBe(false);
      expect((await s.list(here)).map((x) => x.actor)).toEqual(['china']);
    });

    it('keeps channels, workspaces and platforms apart', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      expect(await s.subscribe({ ...here, channel: 'C2' }, null)).toBe(true);
      expect(await s.subscribe({ ...here, workspace: 'W2' }, null)).toBe(true);
      expect(await s.subscribe({ ...here, platform: 'discord' }, null)).toBe(true);
      expect(await s.list(here)).toHaveLength(1);
      expect(await s.unsubscribe({ ...here, channel: 'C2' }, 'russia')).toBe(false);
    });

    it('records who subscribed and when, from its clock', async () => {
      const clock = new Clock();
      const { subscriptions: s } = await open({ now: clock.now });
      await s.subscribe(here, 'russia');
      expect(await s.list(here)).toEqual([
        {
          platform: 'slack',
          workspace: 'W1',
          channel: 'C1',
          actor: 'russia',
          createdBy: 'U1',
          createdAt: '2025-03-01T00:00:00.000Z',
          pausedReason: null,
        },
      ]);
    });

    it('keeps subscriptions and announced updates across a reopen', async () => {
      const target = await fresh();
      const first = await target.open();
      await first.subscriptions.subscribe(here, 'russia');
      await first.subscriptions.recordUpdates([claimUpdate('c1', 'russia')], at);
      await first.close();
      const again = await openFor(target);
      expect((await again.subscriptions.list(here)).map((x) => x.actor)).toEqual(['russia']);
      expect(await again.subscriptions.recordedKeys()).toEqual(new Set(['claim:c1']));
      expect(await again.subscriptions.outboxCounts()).toEqual({ pending: 1, sent: 0, failed: 0 });
    });
  });

  describe(`${name} shared store: updates and the outbox`, () => {
    it('fans a new update out to every active subscription whose filter matches, once', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('slack', 'all'), null);
      await s.subscribe(originFor('slack', 'ru'), 'russia');
      await s.subscribe(originFor('slack', 'cn'), 'china');
      const updates = [sourceUpdate('s1', ['russia']), claimUpdate('c1', 'russia'), claimUpdate('c2', 'iran')];
      expect(await s.recordUpdates(updates, at)).toEqual({ updates: 3, rows: 5 });
      expect(await s.recordUpdates(updates, at)).toEqual({ updates: 0, rows: 0 });
      expect(await s.recordUpdates([], at)).toEqual({ updates: 0, rows: 0 });
      const rows = await s.claim(10_000, LEASE, 'a');
      expect(rows.map((r) => [r.channel, r.kind, r.key])).toEqual([
        ['all', 'source', 's1'],
        ['ru', 'source', 's1'],
        ['all', 'claim', 'c1'],
        ['ru', 'claim', 'c1'],
        ['all', 'claim', 'c2'],
      ]);
    });

    it('records the same key with new content as a new update, and counts a key once in recordedKeys', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      expect(await s.recordUpdates([sourceUpdate('s1', [], 'v1')], at)).toEqual({ updates: 1, rows: 1 });
      expect(await s.recordUpdates([sourceUpdate('s1', [], 'v2')], at)).toEqual({ updates: 1, rows: 1 });
      expect(await s.recordedKeys()).toEqual(new Set(['source:s1']));
    });

    it('with fanOut false only remembers updates, writing no rows', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      const result = await s.recordUpdates([sourceUpdate('s1'), claimUpdate('c1', 'russia')], {
        ...at,
        fanOut: false,
      });
      expect(result).toEqual({ updates: 2, rows: 0 });
      expect(await s.recordedKeys()).toEqual(new Set(['source:s1', 'claim:c1']));
      expect(await s.claim(10, LEASE, 'a')).toEqual([]);
      expect(await s.recordUpdates([sourceUpdate('s1')], at)).toEqual({ updates: 0, rows: 0 });
    });

    it('does not replay history: a channel subscribed after an update gets no row for it', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('slack', 'early'), null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      await s.subscribe(originFor('slack', 'late'), null);
      expect((await s.claim(10, LEASE, 'a')).map((r) => r.channel)).toEqual(['early']);
    });

    it('claims rows with all a delivery needs, the payload read back exactly, oldest first, at most limit', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('discord', 'D1'), 'russia');
      const update = claimUpdate('c1', 'russia');
      await s.recordUpdates([update, claimUpdate('c2', 'russia'), claimUpdate('c3', 'russia')], at);
      const [row] = await s.claim(1, LEASE, 'a');
      expect(row).toMatchObject({
        actor: 'russia',
        platform: 'discord',
        workspace: 'W1',
        channel: 'D1',
        attempts: 0,
        nextAttemptAt: at.dueAt,
        kind: 'claim',
        key: 'c1',
        payload: JSON.stringify(update.payload),
      });
      expect(typeof row?.rowId).toBe('number');
      expect(typeof row?.subscriptionId).toBe('number');
      expect(typeof row?.updateId).toBe('number');
      expect((await s.claim(10_000, LEASE, 'a')).map((r) => r.key)).toEqual(['c1', 'c2', 'c3']);
    });

    it('claims only the platforms asked for, leaving the others pending', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('slack', 'S1'), null);
      await s.subscribe(originFor('discord', 'D1'), null);
      await s.subscribe(originFor('terminal', 'terminal'), null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      const rows = await s.claim(10, LEASE, 'a', { platforms: ['discord', 'terminal'] });
      expect(rows.map((r) => r.platform)).toEqual(['discord', 'terminal']);
      expect((await s.claim(10, LEASE, 'b', { platforms: ['slack'] })).map((r) => r.channel)).toEqual(['S1']);
    });

    it('applies the platforms before the limit: older rows of other platforms do not crowd them out', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('slack', 'S1'), null);
      await s.subscribe(originFor('discord', 'D1'), null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      expect((await s.claim(1, LEASE, 'a', { platforms: ['discord'] })).map((r) => r.channel)).toEqual(['D1']);
    });

    it('gives each row an idempotency key of at most 25 characters, distinct per row and kept across retries', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(originFor('slack', 'a'), null);
      await s.subscribe(originFor('slack', 'b'), null);
      await s.recordUpdates([sourceUpdate('s1'), sourceUpdate('s2')], at);
      const first = await s.claim(10, LEASE, 'a');
      const keys = first.map((r) => r.idempotencyKey);
      expect(new Set(keys).size).toBe(4);
      for (const key of keys) expect(key.length).toBeLessThanOrEqual(25);
      await s.reschedule(
        first.map((r) => r.rowId),
        at.dueAt + 5_000,
        'socket hang up',
      );
      const again = await s.claim(10, LEASE, 'a');
      expect(again.map((r) => r.idempotencyKey)).toEqual(keys);
      expect(again.map((r) => [r.attempts, r.nextAttemptAt])).toEqual(first.map(() => [1, at.dueAt + 5_000]));
    });

    it('marks rows sent or failed once, and no longer claims them', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      await s.recordUpdates([sourceUpdate('s1'), sourceUpdate('s2'), sourceUpdate('s3')], at);
      const [one, two] = await s.claim(10, LEASE, 'a');
      await s.markSent([one!.rowId], at.dueAt);
      await s.markFailed([two!.rowId], 'withdrawn from the data before delivery');
      expect(await s.outboxCounts()).toEqual({ pending: 1, sent: 1, failed: 1 });
      // Rows already settled stay as they are.
      await s.markFailed([one!.rowId], 'late');
      await s.markSent([two!.rowId], at.dueAt);
      await s.reschedule([one!.rowId, two!.rowId], at.dueAt, 'late');
      expect(await s.outboxCounts()).toEqual({ pending: 1, sent: 1, failed: 1 });
      expect((await s.claim(10, LEASE, 'a')).map((r) => r.key)).toEqual(['s3']);
    });

    it('a fresh claim is not a take-over, and renewing keeps the rows still pending', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      await s.recordUpdates([sourceUpdate('s1'), sourceUpdate('s2')], at);
      const rows = await s.claim(10, LEASE, 'a');
      expect(rows.map((r) => r.takenOver)).toEqual([false, false]);
      await s.markSent([rows[0]!.rowId], at.dueAt);
      expect(await s.renewLeases(ids(rows), LEASE, 'a')).toEqual([rows[1]!.rowId]);
      expect(await s.renewLeases([], LEASE, 'a')).toEqual([]);
    });

    it('names the platforms with pending rows of active subscriptions', async () => {
      const { subscriptions: s } = await open();
      expect(await s.pendingPlatforms()).toEqual([]);
      await s.subscribe(originFor('slack', 'S1'), null);
      await s.subscribe(originFor('discord', 'D1'), 'russia');
      await s.subscribe(originFor('terminal', 'terminal'), null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      expect(await s.pendingPlatforms()).toEqual(['slack', 'terminal']);
      await s.countPermanentFailure(
        (await s.claim(10, LEASE, 'a', { platforms: ['terminal'] })).map((r) => r.subscriptionId),
        'gone',
        1,
      );
      expect(await s.pendingPlatforms()).toEqual(['slack']);
    });

    it('unsubscribing drops the subscription’s rows', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      await s.subscribe(originFor('slack', 'C2'), null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      await s.unsubscribe(here, null);
      expect(await s.outboxCounts()).toEqual({ pending: 1, sent: 0, failed: 0 });
      expect((await s.claim(10, LEASE, 'a')).map((r) => r.channel)).toEqual(['C2']);
    });
  });

  describe(`${name} shared store: permanent failures and pausing`, () => {
    it('pauses a subscription at the limit, gives its rows up, lists the reason; subscribing resumes it', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, 'russia');
      await s.subscribe(originFor('slack', 'other'), null);
      await s.recordUpdates([claimUpdate('c1', 'russia')], at);
      const mine = (await s.claim(10, LEASE, 'a')).find((r) => r.channel === 'C1')!;
      expect(await s.countPermanentFailure([mine.subscriptionId], 'Missing Access (403)', 2)).toEqual([]);
      const paused = await s.countPermanentFailure([mine.subscriptionId], 'Missing Access (403)', 2);
      expect(paused).toEqual([
        {
          platform: 'slack',
          workspace: 'W1',
          channel: 'C1',
          actor: 'russia',
          createdBy: 'U1',
          createdAt: expect.any(String),
          pausedReason: 'Missing Access (403)',
        },
      ]);
      expect(await s.outboxCounts()).toEqual({ pending: 1, sent: 0, failed: 1 });
      expect((await s.list(here))[0]?.pausedReason).toBe('Missing Access (403)');
      // A paused subscription is not counted again, gets no new rows and has nothing claimed.
      expect(await s.countPermanentFailure([mine.subscriptionId], 'again', 2)).toEqual([]);
      expect(await s.recordUpdates([claimUpdate('c2', 'russia')], at)).toEqual({ updates: 1, rows: 1 });
      expect((await s.claim(10, LEASE, 'a')).map((r) => r.channel)).toEqual(['other', 'other']);

      expect(await s.subscribe(here, 'russia')).toBe(true);
      expect((await s.list(here))[0]?.pausedReason).toBeNull();
      // Resuming starts the count afresh.
      expect(await s.countPermanentFailure([mine.subscriptionId], 'Missing Access (403)', 2)).toEqual([]);
    });

    it('a delivery that went through resets the consecutive-failure count', async () => {
      const { subscriptions: s } = await open();
      await s.subscribe(here, null);
      await s.recordUpdates([sourceUpdate('s1')], at);
      const [row] = await s.claim(10, LEASE, 'a');
      const id = row!.subscriptionId;
      await s.countPermanentFailure([id], '404', 3);
      await s.countPermanentFailure([id], '404', 3);
      await s.resetFailures([id]);
      await s.countPermanentFailure([id], '404', 3);
      expect(await s.countPermanentFailure([id], '404', 3)).toEqual([]);
      expect((await s.countPermanentFailure([id], '404', 3)).map((x) => x.pausedReason)).toEqual(['404']);
    });
  });

  describe(`${name} shared store: feed state`, () => {
    const odni = 'https://www.dni.gov/index.php/newsroom/press-releases?format=feed&type=rss';
    const fbi = 'https://www.fbi.gov/feeds/national-press-releases/rss.xml';
    const t1 = '2025-02-04T15:00:09.000Z';
    const t2 = '2025-02-04T15:16:00.000Z';

    it('a feed never polled has a blank state', async () => {
      const { feeds } = await open();
      expect(await feeds.get(odni)).toEqual({
        url: odni,
        etag: null,
        lastModified: null,
        lastAttemptAt: null,
        lastReadAt: null,
        lastAdded: null,
        failures: 0,
        lastError: null,
        pausedReason: null,
      });
    });

    it('remembers attempts, reads, validators only when given, and the last document added', async () => {
      const { feeds } = await open();
      await feeds.attempted(odni, t1);
      await feeds.added(odni, { id: 'doc-1', title: 'Joint Statement' }, t1);
      await feeds.read(odni, t1, { etag: '"a"', lastModified: 'Tue, 04 Feb 2025 15:00:00 GMT' });
      await feeds.attempted(odni, t2);
      await feeds.read(odni, t2);
      expect(await feeds.get(odni)).toEqual({
        url: odni,
        etag: '"a"',
        lastModified: 'Tue, 04 Feb 2025 15:00:00 GMT',
        lastAttemptAt: t2,
        lastReadAt: t2,
        lastAdded: { id: 'doc-1', title: 'Joint Statement', at: t1 },
        failures: 0,
        lastError: null,
        pausedReason: null,
      });
      await feeds.read(odni, t2, { etag: null, lastModified: null });
      expect(await feeds.get(odni)).toMatchObject({ etag: null, lastModified: null });
    });

    it('counts failed polls in a row, pauses at the limit with the reason, and a read lifts the pause', async () => {
      const { feeds } = await open();
      expect(await feeds.failed(fbi, 'HTTP 503 Service Unavailable', t1, 2)).toEqual({ failures: 1, paused: false });
      expect(await feeds.get(fbi)).toMatchObject({
        failures: 1,
        lastError: 'HTTP 503 Service Unavailable',
        pausedReason: null,
      });
      expect(await feeds.failed(fbi, 'HTTP 503 Service Unavailable', t2, 2)).toEqual({ failures: 2, paused: true });
      expect((await feeds.get(fbi)).pausedReason).toBe('HTTP 503 Service Unavailable (2 polls failed in a row)');
      expect(await feeds.failed(fbi, 'timeout', t2, 5)).toEqual({ failures: 3, paused: true });
      expect((await feeds.get(fbi)).pausedReason).toBe('timeout (3 polls failed in a row)');
      await feeds.read(fbi, t2);
      expect(await feeds.get(fbi)).toMatchObject({ failures: 0, lastError: null, pausedReason: null, lastReadAt: t2 });
    });

    it('settles items, counts retries of unsettled ones, and finds settled items by link, an added one first', async () => {
      const { feeds } = await open();
      expect(await feeds.countRetry(odni, 'item-1', 'https://www.dni.gov/a', 'HTTP 500', t1)).toBe(1);
      expect(await feeds.countRetry(odni, 'item-1', 'https://www.dni.gov/a', 'HTTP 502', t2)).toBe(2);
      expect(await feeds.isSettled(odni, 'item-1')).toBe(false);
      expect(await feeds.byLink('https://www.dni.gov/a')).toBeUndefined();
      await feeds.settle(
        odni,
        { key: 'item-1', link: 'https://www.dni.gov/a', outcome: 'duplicate', document: 'd0' },
        t2,
      );
      expect(await feeds.isSettled(odni, 'item-1')).toBe(true);
      expect(await feeds.isSettled(fbi, 'item-1')).toBe(false);
      expect(await feeds.byLink('https://www.dni.gov/a')).toEqual({ outcome: 'duplicate', document: 'd0' });
      await feeds.settle(fbi, { key: 'x', link: 'https://www.dni.gov/a', outcome: 'added', document: 'd1' }, t2);
      expect(await feeds.byLink('https://www.dni.gov/a')).toEqual({ outcome: 'added', document: 'd1' });
      await feeds.settle(fbi, { key: 'y', link: null, outcome: 'filtered', detail: 'off topic' }, t2);
      expect(await feeds.isSettled(fbi, 'y')).toBe(true);
    });

    it('gives each configured feed’s status, in the feeds file’s order', async () => {
      const { feeds } = await open();
      const config = parseFeeds(
        [
          { url: odni, publisher: 'ODNI' },
          { url: fbi, publisher: 'FBI' },
          { url: 'https://www.cisa.gov/news.xml', publisher: 'CISA' },
        ],
        'feeds.json',
      );
      await feeds.read(odni, t1);
      await feeds.failed(fbi, 'HTTP 503 Service Unavailable', t1, 1);
      await feeds.failed('https://www.cisa.gov/news.xml', 'timeout', t1, 3);
      expect((await feeds.statuses(config)).map((f) => [f.publisher, f.state, f.reason, f.failures])).toEqual([
        ['ODNI', 'active', null, 0],
        ['FBI', 'paused', 'HTTP 503 Service Unavailable (1 polls failed in a row)', 1],
        ['CISA', 'failing', 'timeout', 1],
      ]);
    });
  });
}
