/**
 * Run by instances.test.ts in a child process: one instance of the update service on a PostgreSQL
 * store, whose Discord sender writes a line for each send it starts and never finishes it, as if
 * the platform hung. The parent kills the process with SIGKILL while the rows are leased to it.
 *
 * Prints `{"ready": "<instance id>"}`, then `{"sending": …}` per send (channel, key, maybeSent).
 *
 * Usage: node --import tsx lease-child.ts DATABASE_URL DATA_DIR LEASE_MS
 */
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openPgStore } from '../../../src/updates/store/pg-store.ts';
import type { PlatformSender } from '../../../src/updates/subscriptions/sender.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';

const [url, dataDir, lease] = process.argv.slice(2);
if (!url || !dataDir || !lease) throw new Error('lease-child: DATABASE_URL DATA_DIR LEASE_MS');
const engine = createAnswerEngine(loadCorpus(dataDir));
const shared = await openPgStore(url);
const hanging: PlatformSender = {
  platform: 'discord',
  send: (target, _reply, options = {}) => {
    const line = { sending: target.channel, key: options.idempotencyKey, maybeSent: options.maybeSent };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return new Promise<void>(() => {});
  },
};
const service = createUpdateService({
  store: shared.subscriptions,
  senders: [hanging],
  engine: () => engine,
  leaseMs: Number(lease),
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: service.instanceId })}\n`);
// The round never ends: its sends hang until the parent kills this process.
await service.runOnce();
