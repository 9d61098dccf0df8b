/**
 * Run by crash.test.ts in a child process: records the updates between two data directories into
 * the store (outbox rows written), then dies with exit code 1 before anything is delivered.
 *
 * Usage: node --import tsx crash-child.ts DB_PATH PREVIOUS_DATA_DIR NEXT_DATA_DIR
 */
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';

const [dbPath, previousDir, nextDir] = process.argv.slice(2);
if (!dbPath || !previousDir || !nextDir) throw new Error('crash-child: DB_PATH PREVIOUS_DATA_DIR NEXT_DATA_DIR');
const next = loadCorpus(nextDir);
const engine = createAnswerEngine(next);
const shared = await openSqliteSharedStore(dbPath);
const service = createUpdateService({
  store: shared.subscriptions,
  senders: [],
  engine: () => engine,
  batchWindowMs: 0,
});
service.start();
const result = await service.record(diffCorpus(loadCorpus(previousDir), next));
process.stdout.write(`${JSON.stringify(result)}\n`);
// No close, no stop: the process dies as a crash would, right after the outbox insert.
process.exit(1);
