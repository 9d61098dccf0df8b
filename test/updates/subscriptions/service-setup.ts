/**
 * A delivery service on a real shared store with a hand-moved clock, over the shipped corpus grown
 * by new test sources, for the delivery and failure tests. `backends()` gives both stores: a
 * SQLite file in a temp directory, and a fresh schema on a throwaway PostgreSQL server started
 * once for the test file that calls it.
 */
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../bench/throwaway-postgres.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import type { CorpusUpdate } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openPgStore } from '../../../src/updates/store/pg-store.ts';
import type { SharedStore, SharedStoreOptions } from '../../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService, type UpdateServiceOptions } from '../../../src/updates/subscriptions/update-service.ts';
import { addAssessment, Clock, copyData, type RecordingSender, shippedDataDir, tempDbPath } from './fixtures.ts';

export const shipped = loadCorpus(shippedDataDir);
export const NEW = '2025-02-03-test-new';

/** The shipped corpus plus new sources, each with claims about its actors. */
export function grown(added: Record<string, readonly string[]> = { [NEW]: ['russia', 'iran'] }) {
  const dir = copyData();
  for (const [id, actors] of Object.entries(added)) addAssessment(dir, id, actors);
  return loadCorpus(dir);
}

/** Two new sources, `one` (Russia) and `two` (Iran). */
export const twoSources = () => grown({ '2025-02-03-one': ['russia'], '2025-02-04-two': ['iran'] });
/** Whether an update is about the test source whose id contains `name` (the source or one of its claims). */
export const about = (u: CorpusUpdate, name: string) =>
  u.key.includes(name) || (u.kind === 'claim' && u.payload.source.includes(name));

/** One empty database, which may be opened several times (restarts, instances). */
export interface StoreTarget {
  /** `sqlite:<file>` or the PostgreSQL URL. */
  where: string;
  open(options?: SharedStoreOptions): Promise<SharedStore>;
}

/** A kind of store the service tests run on. */
export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty database. */
  fresh(): Promise<StoreTarget>;
}

/** A fresh SQLite file in a temp directory. */
export async function freshSqlite(): Promise<StoreTarget> {
  const file = tempDbPath();
  return { where: `sqlite:${file}`, open: (options) => openSqliteSharedStore(file, options) };
}

/**
 * A backend on a throwaway PostgreSQL server, started before the calling file's tests and stopped
 * after them; each `fresh()` is a new schema on it. Call at the top level of a test file.
 */
export function postgresBackend(): Backend {
  let server: ThrowawayPostgres | undefined;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  }, 120_000);
  afterAll(() => server?.stop());
  return {
    name: 'PostgreSQL',
    async fresh() {
      if (!server) throw new Error('test: the throwaway PostgreSQL server did not start');
      const url = await server.createSchema();
      return { where: url, open: (options) => openPgStore(url, options) };
    },
  };
}

/** Both stores; call at the top level of a test file. */
export function backends(): Backend[] {
  return [{ name: 'SQLite', fresh: freshSqlite }, postgresBackend()];
}

/** Opens a store on `target`, closed when the test ends. */
export async function openFor(target: StoreTarget, options: SharedStoreOptions = {}): Promise<SharedStore> {
  const store = await target.open(options);
  onTestFinished(() => store.close());
  return store;
}

/**
 * A service with one sender, a 1 s batch window, jitter fixed at 0.5 and a log kept in memory, on a
 * fresh store of `backend` (closed when the test ends).
 */
export async function setup(
  backend: Backend,
  sender: RecordingSender,
  extra: Partial<UpdateServiceOptions> = {},
  next = grown(),
) {
  const clock = new Clock();
  const target = await backend.fresh();
  const shared = await openFor(target, { now: clock.now });
  const store = shared.subscriptions;
  const engine = createAnswerEngine(next);
  const logged: string[] = [];
  const service = createUpdateService({
    store,
    senders: [sender],
    engine: () => engine,
    now: clock.now,
    random: () => 0.5,
    batchWindowMs: 1_000,
    log: (m) => logged.push(m),
    ...extra,
  });
  onTestFinished(() => service.stop());
  return { clock, target, shared, store, service, next, logged };
}
