/**
 * A delivery service on a real SQLite file with a hand-moved clock, over the shipped corpus grown by
 * new test sources, for the delivery and failure tests.
 */
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import type { CorpusUpdate } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSubscriptionStore } from '../../../src/updates/subscriptions/store.ts';
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

/** A service with one sender, a 1 s batch window, jitter fixed at 0.5 and a log kept in memory. */
export function setup(sender: RecordingSender, extra: Partial<UpdateServiceOptions> = {}, next = grown()) {
  const clock = new Clock();
  const file = tempDbPath();
  const store = openSubscriptionStore(file, { now: clock.now });
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
  return { clock, file, store, service, next, logged };
}
