import { describe, expect, it } from 'vitest';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { originFor, tempDbPath } from '../subscriptions/fixtures.ts';
import { openFor, type StoreTarget, sharedStoreSuite, sourceUpdate } from './store-suite.ts';

/** A fresh SQLite file in a temp directory, removed when the test ends. */
async function freshSqlite(): Promise<StoreTarget> {
  const file = tempDbPath();
  return { open: (options) => openSqliteSharedStore(file, options) };
}

sharedStoreSuite('SQLite', freshSqlite);

describe('SQLite shared store: one process, no leases', () => {
  it('claim returns every pending row to any caller, with no lease, as pending() did', async () => {
    const { subscriptions: s, kind } = await openFor(await freshSqlite());
    expect(kind).toBe('sqlite');
    await s.subscribe(originFor('slack', 'C1'), null);
    await s.recordUpdates([sourceUpdate('s1')], { at: 0, dueAt: 0 });
    const a = await s.claim(10, 60_000, 'a');
    const b = await s.claim(10, 60_000, 'b');
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    expect(a[0]?.leasedUntil).toBeNull();
    expect(a[0]?.idempotencyKey).toMatch(/^o1-h-s1$/);
    expect(a[0]?.takenOver).toBe(false);
    expect(await s.releaseLeases('a')).toBe(0);
    expect(await s.renewLeases([a[0]!.rowId, 999], 60_000, 'a')).toEqual([a[0]!.rowId]);
  });
});
