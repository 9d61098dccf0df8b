import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import {
  addAssessment,
  copyData,
  originFor,
  RecordingSender,
  repoRoot,
  shippedDataDir,
  tempDbPath,
} from './fixtures.ts';

const NEW = '2025-02-03-test-new';
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

function nextDataDir(): string {
  const dir = copyData();
  addAssessment(dir, NEW, ['russia']);
  return dir;
}

/** A service on a reopened store whose clock is past any batch window. */
async function restart(file: string, dataDir: string, sender: RecordingSender) {
  const shared = await openSqliteSharedStore(file);
  const store = shared.subscriptions;
  const engine = createAnswerEngine(loadCorpus(dataDir));
  const service = createUpdateService({
    store,
    senders: [sender],
    engine: () => engine,
    now: () => Date.now() + 3_600_000,
    log: () => {},
  });
  return { shared, store, service };
}

describe('crash safety of the outbox', () => {
  it('rows written before a stop are delivered after a restart, exactly once', async () => {
    const file = tempDbPath();
    const dataDir = nextDataDir();
    const first = await openSqliteSharedStore(file);
    for (const ch of ['a', 'b', 'c']) await first.subscriptions.subscribe(originFor('slack', ch), null);
    const engine = createAnswerEngine(loadCorpus(dataDir));
    const before = createUpdateService({ store: first.subscriptions, senders: [], engine: () => engine });
    expect(await before.record(diffCorpus(loadCorpus(shippedDataDir), engine.corpus))).toEqual({
      updates: 2,
      rows: 6,
    });
    await first.close();

    const sender = new RecordingSender('slack');
    const second = await restart(file, dataDir, sender);
    expect((await second.service.runOnce()).messages).toBe(3);
    expect((await second.service.runOnce()).messages).toBe(0);
    await second.shared.close();

    const third = await restart(file, dataDir, sender);
    expect((await third.service.runOnce()).messages).toBe(0);
    expect(await third.store.outboxCounts()).toEqual({ pending: 0, sent: 6, failed: 0 });
    await third.shared.close();
    expect(sender.delivered.map((d) => d.target.channel).sort()).toEqual(['a', 'b', 'c']);
    // Due before the restart: the process before may have been sending them when it stopped, so
    // the sender is told to look before it posts (Slack checks the channel's history).
    expect(sender.delivered.map((d) => d.options.maybeSent)).toEqual([true, true, true]);
  });

  it('a process killed between the outbox insert and delivery loses and repeats nothing', async () => {
    const file = tempDbPath();
    const dataDir = nextDataDir();
    const setup = await openSqliteSharedStore(file);
    await setup.subscriptions.subscribe(originFor('discord', 'all-1'), null);
    await setup.subscriptions.subscribe(originFor('discord', 'all-2'), null);
    await setup.subscriptions.subscribe(originFor('discord', 'ru'), 'russia');
    await setup.subscriptions.subscribe(originFor('discord', 'cn'), 'china');
    await setup.close();

    const run = spawnSync(process.execPath, ['--import', 'tsx', child, file, shippedDataDir, dataDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ updates: 2, rows: 6 });

    const sender = new RecordingSender('discord');
    const after = await restart(file, dataDir, sender);
    expect(await after.store.outboxCounts()).toEqual({ pending: 6, sent: 0, failed: 0 });
    const report = await after.service.runOnce();
    expect(report).toMatchObject({ messages: 3, delivered: 6 });
    expect((await after.service.runOnce()).messages).toBe(0);
    expect(await after.store.outboxCounts()).toEqual({ pending: 0, sent: 6, failed: 0 });
    await after.shared.close();
    const byChannel = new Map<string, number>();
    for (const d of sender.delivered) byChannel.set(d.target.channel, (byChannel.get(d.target.channel) ?? 0) + 1);
    expect(Object.fromEntries(byChannel)).toEqual({ 'all-1': 1, 'all-2': 1, ru: 1 });
    for (const d of sender.delivered) {
      expect(d.reply.citations.map((c) => `${c.source}#${c.paragraph}`)).toEqual([`${NEW}#1`]);
    }
  });
});
