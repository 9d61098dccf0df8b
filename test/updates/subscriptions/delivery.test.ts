import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src/updates/subscriptions/delivery-plan.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import { originFor, RecordingSender } from './fixtures.ts';
import { about, backends, grown, NEW, openFor, setup, shipped, twoSources } from './service-setup.ts';

const stores = backends();

describe.each(stores)('$name: fan-out and batching', (backend) => {
  it('sends each channel one message for a batch, citing the new claims it subscribed to', async () => {
    const sender = new RecordingSender('slack');
    const { clock, store, service, next } = await setup(backend, sender);
    await store.subscribe(originFor('slack', 'all'), null);
    await store.subscribe(originFor('slack', 'ru'), 'russia');
    await store.subscribe(originFor('slack', 'cn'), 'china');
    expect(await service.record(diffCorpus(shipped, next))).toEqual({ updates: 3, rows: 5 });

    expect((await service.runOnce()).messages).toBe(0);
    clock.advance(1_000);
    const report = await service.runOnce();
    expect(report).toMatchObject({ messages: 2, delivered: 5, failures: 0, paused: 0 });
    expect(sender.to('cn')).toEqual([]);

    const [all] = sender.to('all');
    expect(sender.to('all')).toHaveLength(1);
    expect(all?.title).toBe('New assessments');
    expect(all?.text).toContain(`1 new source and 2 new claims`);
    expect(all?.text).toContain(`New source: Test assessment ${NEW} (ODNI, 2025-02-03).`);
    expect(all?.citations.map((c) => [c.source, c.paragraph, c.summary])).toEqual([
      [NEW, 1, 'The assessment says proxies are used to spread election disinformation.'],
      [NEW, 1, 'The assessment says proxies are used to spread election disinformation.'],
    ]);
    expect(all?.citations[0]?.text).toBe(next.sources.get(NEW)?.paragraphs[0]?.text);

    const [ru] = sender.to('ru');
    expect(sender.to('ru')).toHaveLength(1);
    expect(ru?.citations).toHaveLength(1);
    expect(ru?.notes.join(' ')).toContain('new assessments about Russia');
    expect((await service.runOnce()).messages).toBe(0);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 5, failed: 0 });
  });

  it('gathers updates recorded at different times into one message per channel', async () => {
    const sender = new RecordingSender('slack');
    const { clock, store, service, next } = await setup(backend, sender, {}, twoSources());
    await store.subscribe(originFor('slack', 'all'), null);
    const updates = diffCorpus(shipped, next);
    await service.record(updates.filter((u) => about(u, 'one')));
    clock.advance(600);
    await service.record(updates.filter((u) => about(u, 'two')));
    clock.advance(600);
    await service.runOnce();
    expect(sender.delivered).toHaveLength(1);
    expect(sender.delivered[0]?.reply.text).toMatch(/^2 new sources and 2 new claims/);
  });

  it('does not replay history: a channel subscribed after an update is not sent it', async () => {
    const sender = new RecordingSender('slack');
    const { clock, store, service, next } = await setup(backend, sender);
    await store.subscribe(originFor('slack', 'early'), null);
    await service.record(diffCorpus(shipped, next));
    await store.subscribe(originFor('slack', 'late'), null);
    clock.advance(1_000);
    await service.runOnce();
    expect(sender.delivered.map((d) => d.target.channel)).toEqual(['early']);
  });

  it('drops an update withdrawn from the data before delivery, without sending anything, after a few tries', async () => {
    const sender = new RecordingSender('slack');
    const engine = createAnswerEngine(shipped);
    const { clock, store, service } = await setup(backend, sender, { engine: () => engine, withdrawnAttempts: 3 });
    await store.subscribe(originFor('slack', 'all'), null);
    await service.record(diffCorpus(shipped, grown({ [NEW]: ['russia'] })));
    for (let round = 1; round <= 3; round++) {
      // Until the last try the rows wait: another instance may not have loaded the change yet.
      expect(await store.outboxCounts(), `round ${round}`).toEqual({ pending: 2, sent: 0, failed: 0 });
      clock.advance(60_000);
      await service.runOnce();
    }
    expect(sender.attempts).toEqual([]);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 0, failed: 2 });
  });

  it('delivers an update recorded by another instance once this one has loaded the change', async () => {
    const sender = new RecordingSender('slack');
    const next = grown({ [NEW]: ['russia'] });
    // This instance still serves the data from before the change another instance recorded.
    let engine = createAnswerEngine(shipped);
    const { clock, store, service } = await setup(backend, sender, { engine: () => engine });
    await store.subscribe(originFor('slack', 'all'), null);
    await service.record(diffCorpus(shipped, next));
    clock.advance(1_000);
    await service.runOnce();
    expect(sender.attempts).toEqual([]);
    engine = createAnswerEngine(next);
    clock.advance(60_000);
    await service.runOnce();
    expect(sender.to('all')).toHaveLength(1);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 2, failed: 0 });
  });

  it('leaves rows for a platform whose sender is not running pending, and says so once', async () => {
    const sender = new RecordingSender('slack');
    const { clock, store, service, next, logged } = await setup(backend, sender);
    await store.subscribe(originFor('discord', 'd1'), null);
    await service.record(diffCorpus(shipped, next));
    clock.advance(1_000);
    await service.runOnce();
    await service.runOnce();
    expect((await store.outboxCounts()).pending).toBe(3);
    expect(logged.filter((m) => m.includes('no discord sender'))).toHaveLength(1);
  });

  it('1,000 subscribed channels each receive exactly one notification, with no duplicates', async () => {
    const sender = new RecordingSender('discord');
    const { clock, store, service, next } = await setup(backend, sender, { concurrency: 16 });
    for (let i = 0; i < 1_000; i++) await store.subscribe(originFor('discord', `ch${i}`), i % 2 ? null : 'russia');
    expect((await service.record(diffCorpus(shipped, next))).rows).toBe(500 * 3 + 500 * 2);
    clock.advance(1_000);
    const report = await service.runOnce();
    expect(report.messages).toBe(1_000);
    const channels = sender.delivered.map((d) => d.target.channel);
    expect(new Set(channels).size).toBe(1_000);
    expect(channels).toHaveLength(1_000);
    expect((await service.runOnce()).messages).toBe(0);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 2_500, failed: 0 });
  });
});

describe.each(stores)('$name: catching up at start, and the delivery loop', (backend) => {
  it('the first start only remembers the corpus; a later start announces what was added while stopped', async () => {
    const sender = new RecordingSender('slack');
    const { store, service, next } = await setup(backend, sender);
    await store.subscribe(originFor('slack', 'all'), null);
    expect(await service.catchUp(shipped)).toEqual({ updates: shipped.sources.size + shipped.claims.length, rows: 0 });
    expect(await service.catchUp(shipped)).toEqual({ updates: 0, rows: 0 });
    expect(await service.catchUp(next)).toEqual({ updates: 3, rows: 3 });
    expect(await service.catchUp(next)).toEqual({ updates: 0, rows: 0 });
  });

  it('start() delivers on its own once the batch window has passed, and stop() ends the loop', async () => {
    const sender = new RecordingSender('slack');
    const { subscriptions: store } = await openFor(await backend.fresh());
    const corpus = twoSources();
    const engine = createAnswerEngine(corpus);
    const service = createUpdateService({
      store,
      senders: [sender],
      engine: () => engine,
      batchWindowMs: 20,
      pollMs: 50,
    });
    await store.subscribe(originFor('slack', 'C1'), null);
    const updates = diffCorpus(shipped, corpus);
    service.start();
    await service.record(updates.filter((u) => about(u, 'one')));
    for (let i = 0; i < 400 && sender.delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(sender.delivered).toHaveLength(1);
    await service.stop();
    await service.record(updates.filter((u) => about(u, 'two')));
    await new Promise((r) => setTimeout(r, 300));
    expect(sender.delivered).toHaveLength(1);
    expect(await store.outboxCounts()).toEqual({ pending: 2, sent: 2, failed: 0 });
  });
});

describe('backoffDelay', () => {
  it('starts at 5 s, doubles, stays within 10 min, and jitters by at most half', () => {
    const lows = [1, 2, 3, 10, 40, 1_000].map((n) => backoffDelay(n, DEFAULT_BACKOFF, () => 0));
    const highs = [1, 2, 3, 10, 40, 1_000].map((n) => backoffDelay(n, DEFAULT_BACKOFF, () => 1));
    expect(highs).toEqual([5_000, 10_000, 20_000, 600_000, 600_000, 600_000]);
    expect(lows).toEqual([2_500, 5_000, 10_000, 300_000, 300_000, 300_000]);
  });
});
