import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { MIGRATIONS, openDatabase, schemaVersion } from '../../../src/updates/subscriptions/schema.ts';
import { openSubscriptionStore } from '../../../src/updates/subscriptions/store.ts';
import { Clock, originFor, shippedDataDir, tempDbPath } from './fixtures.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const here = originFor('slack', 'C1', 'U1');

describe('subscription store schema', () => {
  it('creates the file, its directory and the latest schema, in WAL mode with foreign keys on', () => {
    const file = tempDbPath();
    const store = openSubscriptionStore(file);
    store.close();
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    // Later migrations add tables of their own (Slack installations); these are the store's.
    expect(tables).toEqual(expect.arrayContaining(['feed_items', 'feeds', 'outbox', 'subscriptions', 'updates']));
    db.close();
    const reopened = openDatabase(file);
    expect(reopened.pragma('foreign_keys', { simple: true })).toBe(1);
    reopened.close();
  });

  it('migrates idempotently: reopening keeps the version and the data', () => {
    const file = tempDbPath();
    const first = openSubscriptionStore(file);
    expect(first.subscribe(here, 'russia')).toBe(true);
    first.close();
    for (let i = 0; i < 3; i++) {
      const again = openSubscriptionStore(file);
      expect(again.list(here).map((s) => s.actor)).toEqual(['russia']);
      again.close();
    }
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('applies only the migrations a database has not had, in order', () => {
    const file = tempDbPath();
    openDatabase(file).close();
    const extra = [...MIGRATIONS, { description: 'test column', up: 'ALTER TABLE updates ADD COLUMN note TEXT' }];
    const db = openDatabase(file, extra);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length + 1);
    expect(db.prepare('SELECT note FROM updates').all()).toEqual([]);
    db.close();
    // Reopening with the same list must not run the ALTER again (it would fail on a duplicate column).
    openDatabase(file, extra).close();
  });

  it('refuses a database whose schema is newer than this code, naming the fix', () => {
    const file = tempDbPath();
    openDatabase(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openSubscriptionStore(file)).toThrow(/schema version \d+ is newer .* DB_PATH/);
  });
});

describe('subscription registry', () => {
  it('subscribing twice is idempotent, also for the all-updates (NULL actor) subscription', () => {
    const store = openSubscriptionStore(tempDbPath());
    expect(store.subscribe(here, null)).toBe(true);
    expect(store.subscribe(here, null)).toBe(false);
    expect(store.subscribe({ ...here, user: 'U2' }, null)).toBe(false);
    expect(store.subscribe(here, 'iran')).toBe(true);
    expect(store.subscribe(here, 'iran')).toBe(false);
    expect(store.list(here).map((s) => [s.actor, s.createdBy])).toEqual([
      [null, 'U1'],
      ['iran', 'U1'],
    ]);
    store.close();
  });

  it('unsubscribing says false when there was nothing to remove, and removes only what it names', () => {
    const store = openSubscriptionStore(tempDbPath());
    expect(store.unsubscribe(here, null)).toBe(false);
    store.subscribe(here, null);
    store.subscribe(here, 'china');
    expect(store.unsubscribe(here, 'iran')).toBe(false);
    expect(store.unsubscribe(here, null)).toBe(true);
    expect(store.unsubscribe(here, null)).toBe(false);
    expect(store.list(here).map((s) => s.actor)).toEqual(['china']);
    store.close();
  });

  it('keeps channels, workspaces and platforms apart', () => {
    const store = openSubscriptionStore(tempDbPath());
    store.subscribe(here, null);
    expect(store.subscribe({ ...here, channel: 'C2' }, null)).toBe(true);
    expect(store.subscribe({ ...here, workspace: 'W2' }, null)).toBe(true);
    expect(store.subscribe({ ...here, platform: 'discord' }, null)).toBe(true);
    expect(store.list(here)).toHaveLength(1);
    store.close();
  });

  it('records who subscribed and when, from its clock', () => {
    const clock = new Clock();
    const store = openSubscriptionStore(tempDbPath(), { now: clock.now });
    store.subscribe(here, 'russia');
    expect(store.list(here)).toEqual([
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
    store.close();
  });

  it('lists a paused subscription with its reason, and subscribing again resumes it', () => {
    const file = tempDbPath();
    const store = openSubscriptionStore(file);
    store.subscribe(here, 'russia');
    const db = new Database(file);
    const id = db.prepare('SELECT id FROM subscriptions').pluck().get() as number;
    db.close();
    expect(store.countPermanentFailure([id], 'Missing Access (403)', 2)).toEqual([]);
    const paused = store.countPermanentFailure([id], 'Missing Access (403)', 2);
    expect(paused.map((s) => s.pausedReason)).toEqual(['Missing Access (403)']);
    expect(store.list(here)[0]?.pausedReason).toBe('Missing Access (403)');
    expect(store.subscribe(here, 'russia')).toBe(true);
    expect(store.list(here)[0]?.pausedReason).toBeNull();
    store.close();
  });
});

describe('the subscription commands on the SQLite store', () => {
  it('/subscribe, /subscriptions and /unsubscribe work end to end and survive a reopen', async () => {
    const file = tempDbPath();
    const origin = originFor('terminal', 'terminal', 'ana');
    let store = await openSqliteSharedStore(file);
    const ctx = () => ({ engine, origin, commands, subscriptions: store.subscriptions });
    expect((await respondToLine('/subscribe actor:Kremlin', ctx())).text).toContain('now subscribed');
    expect((await respondToLine('/subscribe russia', ctx())).text).toContain('already subscribed');
    await store.close();
    store = await openSqliteSharedStore(file);
    const listed = await respondToLine('/subscriptions', ctx());
    expect(listed.text).toMatch(/^updates about Russia \(since \d{4}-\d{2}-\d{2}, by ana; active\)$/);
    expect((await respondToLine('/unsubscribe actor:iran', ctx())).text).toContain('was not subscribed');
    expect((await respondToLine('/unsubscribe actor:russia', ctx())).text).toContain('no longer gets');
    expect((await respondToLine('/subscriptions', ctx())).text).toContain('no subscriptions');
    await store.close();
  });
});
