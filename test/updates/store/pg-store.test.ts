import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../bench/throwaway-postgres.ts';
import { PG_MIGRATIONS } from '../../../src/updates/store/pg-migrations.ts';
import { openPgStore } from '../../../src/updates/store/pg-store.ts';
import type { ClaimedDelivery } from '../../../src/updates/store/shared-store.ts';
import { Clock, originFor } from '../subscriptions/fixtures.ts';
import { claimUpdate, openFor, type StoreTarget, sharedStoreSuite, sourceUpdate } from './store-suite.ts';

// One server for this file, a fresh schema (an empty store) for each test.
let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
}, 120_000);
afterAll(() => server?.stop());

async function freshPg(): Promise<StoreTarget & { url: string }> {
  const url = await server.createSchema();
  return { url, open: (options) => openPgStore(url, options) };
}

/** Runs one query on `url` with a client of its own. */
async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const at = { at: Date.parse('2025-03-01T00:00:00Z'), dueAt: Date.parse('2025-03-01T00:00:02Z') };
const ids = (rows: readonly ClaimedDelivery[]) => rows.map((r) => r.rowId);

/** Two instances on one fresh database and one clock; `channels` subscribed, update s1 recorded. */
async function twoInstancesWithUpdate(channels = ['C1']) {
  const clock = new Clock();
  const target = await freshPg();
  const a = await openFor(target, { now: clock.now });
  const b = await openFor(target, { now: clock.now });
  for (const channel of channels) await a.subscriptions.subscribe(originFor('slack', channel), null);
  await a.subscriptions.recordUpdates([sourceUpdate('s1')], at);
  return { clock, a, b };
}

sharedStoreSuite('PostgreSQL', freshPg);

describe('PostgreSQL shared store: several instances on one database', () => {
  it('two instances racing to claim one outbox get each row exactly once, and never the same channel at once', async () => {
    const target = await freshPg();
    const a = await openFor(target);
    const b = await openFor(target);
    const channels = Array.from({ length: 40 }, (_, i) => originFor(i % 2 ? 'slack' : 'discord', `C${i}`));
    for (const c of channels) await a.subscriptions.subscribe(c, null);
    const updates = Array.from({ length: 5 }, (_, i) => sourceUpdate(`s${i}`));
    expect(await a.subscriptions.recordUpdates(updates, at)).toEqual({ updates: 5, rows: 200 });

    const fromA: ClaimedDelivery[] = [];
    const fromB: ClaimedDelivery[] = [];
    const channelsOf = (rows: readonly ClaimedDelivery[]) => new Set(rows.map((r) => `${r.platform}/${r.channel}`));
    // Small claims, many rounds, both instances at once; what each holds is sent before the next round.
    for (let round = 0; round < 12; round++) {
      const [heldByA, heldByB] = await Promise.all([
        a.subscriptions.claim(25, 60_000, 'a'),
        b.subscriptions.claim(25, 60_000, 'b'),
      ]);
      // While one instance holds rows of a channel, the other gets none of that channel's rows.
      const channelsOfB = channelsOf(heldByB);
      expect([...channelsOf(heldByA)].filter((c) => channelsOfB.has(c))).toEqual([]);
      fromA.push(...heldByA);
      fromB.push(...heldByB);
      await Promise.all([
        a.subscriptions.markSent(ids(heldByA), at.dueAt),
        b.subscriptions.markSent(ids(heldByB), at.dueAt),
      ]);
    }
    const all = [...fromA, ...fromB];
    expect(all).toHaveLength(200);
    expect(new Set(ids(all)).size).toBe(200);
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    expect(await a.subscriptions.outboxCounts()).toEqual({ pending: 0, sent: 200, failed: 0 });
  });

  it('rows held by an instance that died are claimed by another once the lease expires, with the same key', async () => {
    const clock = new Clock();
    const target = await freshPg();
    const a = await target.open({ now: clock.now });
    const b = await openFor(target, { now: clock.now });
    await b.subscriptions.subscribe(originFor('slack', 'C1'), null);
    await b.subscriptions.recordUpdates([sourceUpdate('s1'), sourceUpdate('s2')], at);

    const held = await a.subscriptions.claim(100, 1_000, 'a');
    expect(held.map((r) => r.leasedUntil)).toEqual([clock.t + 1_000, clock.t + 1_000]);
    await a.close(); // killed before it could mark anything sent
    expect(await b.subscriptions.claim(100, 1_000, 'b')).toEqual([]);
    clock.advance(999);
    expect(await b.subscriptions.claim(100, 1_000, 'b')).toEqual([]);
    clock.advance(1);
    const taken = await b.subscriptions.claim(100, 1_000, 'b');
    expect(ids(taken)).toEqual(ids(held));
    expect(taken.map((r) => r.idempotencyKey)).toEqual(held.map((r) => r.idempotencyKey));
    // The dead instance may have sent them: the new holder is told so.
    expect(held.map((r) => r.takenOver)).toEqual([false, false]);
    expect(taken.map((r) => r.takenOver)).toEqual([true, true]);
    // Claiming its own rows again is no take-over.
    expect((await b.subscriptions.claim(100, 1_000, 'b')).map((r) => r.takenOver)).toEqual([false, false]);
    await b.subscriptions.markSent(ids(taken), clock.t);
    expect(await b.subscriptions.outboxCounts()).toEqual({ pending: 0, sent: 2, failed: 0 });
  });

  it('an instance renews its own lease by claiming again, and keeps a channel whose rows it holds', async () => {
    const { clock, a, b } = await twoInstancesWithUpdate();
    const first = await a.subscriptions.claim(100, 1_000, 'a');
    // A new row for the same channel goes to the instance that holds the channel.
    await a.subscriptions.recordUpdates([sourceUpdate('s2')], at);
    expect(await b.subscriptions.claim(100, 1_000, 'b')).toEqual([]);
    clock.advance(800);
    const renewed = await a.subscriptions.claim(100, 1_000, 'a');
    expect(renewed.map((r) => r.key)).toEqual(['s1', 's2']);
    expect(renewed[0]?.rowId).toBe(first[0]?.rowId);
    clock.advance(800); // past the first lease, within the renewed one
    expect(await b.subscriptions.claim(100, 1_000, 'b')).toEqual([]);
    // A failed attempt releases the rows; the next claim may be anyone's.
    await a.subscriptions.reschedule(ids(renewed), clock.t + 5_000, 'socket hang up');
    expect((await b.subscriptions.claim(100, 1_000, 'b')).map((r) => [r.key, r.attempts])).toEqual([
      ['s1', 1],
      ['s2', 1],
    ]);
  });

  it('renewing a lease keeps the rows past their first expiry; a lease lost to another instance is not renewed', async () => {
    const { clock, a, b } = await twoInstancesWithUpdate();
    const held = ids(await a.subscriptions.claim(100, 1_000, 'a'));
    clock.advance(900);
    expect(await a.subscriptions.renewLeases(held, 1_000, 'a')).toEqual(held);
    // Another instance cannot renew what it does not hold.
    expect(await b.subscriptions.renewLeases(held, 1_000, 'b')).toEqual([]);
    clock.advance(900); // past the first lease, within the renewed one
    expect(await b.subscriptions.claim(100, 1_000, 'b')).toEqual([]);
    clock.advance(101);
    expect(ids(await b.subscriptions.claim(100, 1_000, 'b'))).toEqual(held);
    expect(await a.subscriptions.renewLeases(held, 1_000, 'a')).toEqual([]);
  });

  it('an instance that stops releases its rows: another claims them at once, and not as a take-over', async () => {
    const { a, b } = await twoInstancesWithUpdate(['C1', 'C2']);
    const held = ids(await a.subscriptions.claim(100, 60_000, 'a'));
    expect(await b.subscriptions.claim(100, 60_000, 'b')).toEqual([]);
    expect(await b.subscriptions.releaseLeases('b')).toBe(0);
    expect(await a.subscriptions.releaseLeases('a')).toBe(2);
    const taken = await b.subscriptions.claim(100, 60_000, 'b');
    expect(ids(taken)).toEqual(held);
    expect(taken.map((r) => r.takenOver)).toEqual([false, false]);
  });

  it('a data change recorded by every instance at once becomes updates and rows only once', async () => {
    const target = await freshPg();
    const stores = await Promise.all([openFor(target), openFor(target), openFor(target)]);
    await stores[0]!.subscriptions.subscribe(originFor('slack', 'all'), null);
    await stores[0]!.subscriptions.subscribe(originFor('slack', 'ru'), 'russia');
    const updates = [sourceUpdate('s1', ['russia']), claimUpdate('c1', 'russia'), claimUpdate('c2', 'china')];
    const results = await Promise.all(stores.map((s) => s.subscriptions.recordUpdates(updates, at)));
    expect(results.reduce((n, r) => n + r.updates, 0)).toBe(3);
    expect(results.reduce((n, r) => n + r.rows, 0)).toBe(5);
    expect(await stores[1]!.subscriptions.outboxCounts()).toEqual({ pending: 5, sent: 0, failed: 0 });
  });
});

describe('PostgreSQL migrations', () => {
  it('two instances opening a fresh store together apply each migration once', async () => {
    const target = await freshPg();
    await Promise.all([openFor(target), openFor(target), openFor(target)]);
    const rows = await query<{ version: number }>(target.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    const tables = await query<{ tablename: string }>(
      target.url,
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    );
    // Later migrations add tables of their own (Slack installations); these are the store's.
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(['feed_items', 'feeds', 'outbox', 'schema_migrations', 'subscriptions', 'updates']),
    );
  });

  it('applies only the migrations a database has not had, in order, and keeps its data', async () => {
    const target = await freshPg();
    const first = await target.open();
    await first.subscriptions.subscribe(originFor('slack', 'C1'), 'russia');
    await first.close();
    const extra = [...PG_MIGRATIONS, { description: 'test column', up: 'ALTER TABLE updates ADD COLUMN note TEXT' }];
    // Reopening with the same list must not run the ALTER again (it would fail on a duplicate column).
    for (let i = 0; i < 2; i++) await (await openPgStore(target.url, { migrations: extra })).close();
    const versions = await query<{ version: number }>(target.url, 'SELECT version FROM schema_migrations');
    expect(versions).toHaveLength(PG_MIGRATIONS.length + 1);
    expect(await query(target.url, 'SELECT note FROM updates')).toEqual([]);
    const again = await openFor({ open: (o) => openPgStore(target.url, { ...o, migrations: extra }) });
    expect((await again.subscriptions.list(originFor('slack', 'C1'))).map((s) => s.actor)).toEqual(['russia']);
  });

  it('refuses a database whose schema is newer than this code, naming the fix', async () => {
    const target = await freshPg();
    await (await target.open()).close();
    await query(
      target.url,
      `INSERT INTO schema_migrations (version, description) VALUES (${PG_MIGRATIONS.length + 5}, 'future')`,
    );
    await expect(target.open()).rejects.toThrow(/schema version \d+ is newer .* DATABASE_URL/);
  });
});
