import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createTerminalSender } from '../../../src/adapters/terminal/terminal-sender.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import { addAssessment, Clock, copyData, originFor, shippedDataDir, tempDbPath } from './fixtures.ts';

const NEW = '2025-02-03-test-new';

describe('terminal subscriptions', () => {
  it('/subscribe in the REPL makes the next update print into its output, cited like an answer', async () => {
    const dir = copyData();
    addAssessment(dir, NEW, ['russia']);
    const next = loadCorpus(dir);
    const engine = createAnswerEngine(next);
    const clock = new Clock();
    const shared = await openSqliteSharedStore(tempDbPath(), { now: clock.now });
    const store = shared.subscriptions;
    const origin = originFor('terminal', 'terminal', 'ana');
    const subscribed = await respondToLine('/subscribe actor:russia', {
      engine,
      origin,
      commands,
      subscriptions: store,
    });
    expect(subscribed.text).toContain('now subscribed to new assessments about Russia');

    const written: string[] = [];
    const sender = createTerminalSender({ write: (s) => written.push(s), style: { color: false, width: 200 } });
    const service = createUpdateService({ store, senders: [sender], engine: () => engine, now: clock.now });
    await service.record(diffCorpus(loadCorpus(shippedDataDir), next));
    clock.advance(5_000);
    expect((await service.runOnce()).messages).toBe(1);
    await shared.close();

    expect(written).toHaveLength(1);
    const out = written[0] as string;
    expect(out.startsWith('\nNew assessments\n')).toBe(true);
    expect(out).toContain(`New source: Test assessment ${NEW} (ODNI, 2025-02-03).`);
    expect(out).toContain('The assessment says proxies are used to spread election disinformation.');
    expect(out).toContain(
      `[1] Test assessment ${NEW} — Office of the Director of National Intelligence (ODNI), 2025-02-03, paragraph 1`,
    );
    expect(out).toContain('“Moscow continues to use proxies to spread election disinformation in the United States.”');
    expect(out).toContain('https://example.org/test-assessment');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting no colour codes without a TTY.
    expect(out).not.toMatch(/\u001b\[/);
  });
});
