import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { DeliveryError } from '../../../src/updates/subscriptions/sender.ts';
import { originFor, RecordingSender } from './fixtures.ts';
import { about, backends, setup, shipped, twoSources } from './service-setup.ts';

const stores = backends();

describe.each(stores)('$name: failures, rate limits and pausing', (backend) => {
  it('a channel that answers 404 is retried with backoff, then paused with the reason, and told once', async () => {
    const sender = new RecordingSender('discord', () => {
      throw new DeliveryError({ kind: 'permanent', message: 'Unknown Channel (404)' });
    });
    const { clock, store, service, next } = await setup(backend, sender);
    const gone = originFor('discord', 'gone');
    await store.subscribe(gone, null);
    await store.subscribe(gone, 'russia');
    await service.record(diffCorpus(shipped, next));
    clock.advance(1_000);
    const reports = [];
    for (let i = 0; i < 3; i++) {
      reports.push(await service.runOnce());
      clock.advance(30 * 60_000);
    }
    expect(reports.map((r) => [r.failures, r.paused])).toEqual([
      [1, 0],
      [1, 0],
      [1, 2],
    ]);
    // Three deliveries and one notice that the channel was paused, which also failed.
    expect(sender.attempts.map((a) => a.reply.title)).toEqual([
      'New assessments',
      'New assessments',
      'New assessments',
      'Updates paused',
    ]);
    expect(sender.attempts[3]?.reply.text).toContain('Unknown Channel (404)');
    expect((await store.list(gone)).map((s) => s.pausedReason)).toEqual([
      'Unknown Channel (404) (3 deliveries failed)',
      'Unknown Channel (404) (3 deliveries failed)',
    ]);
    clock.advance(60 * 60_000);
    await service.runOnce();
    expect(sender.attempts).toHaveLength(4);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 0, failed: 5 });

    const engine = createAnswerEngine(next);
    const listed = await respondToLine('/subscriptions', { engine, origin: gone, commands, subscriptions: store });
    expect(listed.text).toContain('all updates (since 2025-03-01, by tester; paused: Unknown Channel (404)');
  });

  it('a paused subscription gets no new rows until it is resumed by subscribing again', async () => {
    const sender = new RecordingSender('slack', () => {
      throw new DeliveryError({ kind: 'permanent', message: 'Missing Access (403)' });
    });
    const { clock, store, service, next } = await setup(backend, sender, { maxPermanentFailures: 1 }, twoSources());
    const ch = originFor('slack', 'C9');
    await store.subscribe(ch, null);
    const updates = diffCorpus(shipped, next);
    await service.record(updates.filter((u) => about(u, 'one')));
    clock.advance(1_000);
    expect((await service.runOnce()).paused).toBe(1);
    expect(await service.record(updates.filter((u) => about(u, 'two')))).toEqual({ updates: 2, rows: 0 });
    expect(await store.subscribe(ch, null)).toBe(true);
    expect((await store.list(ch))[0]?.pausedReason).toBeNull();
  });

  it('a 429 waits exactly Retry-After before the next attempt, then delivers once', async () => {
    const sender = new RecordingSender('discord', (_t, attempt) => {
      if (attempt === 1) throw new DeliveryError({ kind: 'rate_limited', message: '429', retryAfterMs: 7_500 });
    });
    const { clock, store, service, next } = await setup(backend, sender);
    await store.subscribe(originFor('discord', 'busy'), null);
    await service.record(diffCorpus(shipped, next));
    clock.advance(1_000);
    expect((await service.runOnce()).failures).toBe(1);
    clock.advance(7_499);
    await service.runOnce();
    expect(sender.attempts).toHaveLength(1);
    clock.advance(1);
    expect((await service.runOnce()).messages).toBe(1);
    expect(sender.delivered).toHaveLength(1);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('retries transient failures with growing backoff, and gives up after maxAttempts', async () => {
    const sender = new RecordingSender('slack', () => {
      throw new Error('socket hang up');
    });
    const { clock, store, service, next, logged } = await setup(backend, sender, { maxAttempts: 4 });
    await store.subscribe(originFor('slack', 'flaky'), null);
    await service.record(diffCorpus(shipped, next));
    clock.advance(1_000);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = sender.attempts.length;
      let waited = 0;
      while (sender.attempts.length === before && waited < 3_600_000) {
        await service.runOnce();
        if (sender.attempts.length === before) {
          clock.advance(500);
          waited += 500;
        }
      }
      waits.push(waited);
    }
    // random() is 0.5, so each delay is 3/4 of 5 s, 10 s, 20 s (rounded up to the 500 ms step).
    expect(waits).toEqual([0, 4_000, 7_500, 15_000]);
    expect(await store.outboxCounts()).toEqual({ pending: 0, sent: 0, failed: 3 });
    expect(logged.some((m) => m.includes('giving up') && m.includes('socket hang up'))).toBe(true);
  });

  it('a retry carries the same idempotency key as the first attempt, and says it may have been sent', async () => {
    const sender = new RecordingSender('discord', (_t, attempt) => {
      if (attempt === 1) throw new Error('timeout: the platform did not answer in time');
    });
    const { clock, store, service, next } = await setup(backend, sender);
    await store.subscribe(originFor('discord', 'one'), 'iran');
    await service.record(diffCorpus(shipped, next).filter((u) => u.kind === 'claim'));
    clock.advance(1_000);
    expect((await service.runOnce()).failures).toBe(1);
    clock.advance(10_000);
    expect((await service.runOnce()).messages).toBe(1);
    const [first, second] = sender.attempts.map((a) => a.options);
    // One row (the Iran claim) in the message: its key is the row's own.
    expect(first?.idempotencyKey).toMatch(/^o[0-9a-z]+-[0-9a-f]{16}$/);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect([first?.maybeSent, second?.maybeSent]).toEqual([false, true]);
  });

  it('a message of several rows has a key of its own, changed when rows join it between attempts', async () => {
    const sender = new RecordingSender('slack', (_t, attempt) => {
      if (attempt === 1) throw new Error('socket hang up');
    });
    const { clock, store, service, next } = await setup(backend, sender, {}, twoSources());
    await store.subscribe(originFor('slack', 'all'), null);
    const updates = diffCorpus(shipped, next);
    await service.record(updates.filter((u) => about(u, 'one')));
    clock.advance(1_000);
    await service.runOnce();
    await service.record(updates.filter((u) => about(u, 'two')));
    clock.advance(60_000);
    expect((await service.runOnce()).messages).toBe(1);
    const [first, second] = sender.attempts.map((a) => a.options.idempotencyKey ?? '');
    expect(first).toMatch(/^m-[0-9a-f]{22}$/);
    expect(second).toMatch(/^m-[0-9a-f]{22}$/);
    // The retry carries two more rows: the platform must post it, not answer with the first one.
    expect(second).not.toBe(first);
    expect(sender.delivered[0]?.reply.text).toMatch(/^2 new sources and 2 new claims/);
    expect([first?.length, second?.length]).toEqual([24, 24]);
  });

  it('keeps the platform’s minimum spacing between two messages to one channel', async () => {
    const sender = new RecordingSender('slack');
    sender.minIntervalMs = 1_000;
    const { clock, store, service, next } = await setup(backend, sender, { batchWindowMs: 0 }, twoSources());
    await store.subscribe(originFor('slack', 'C1'), null);
    const updates = diffCorpus(shipped, next);
    await service.record(updates.filter((u) => about(u, 'one')));
    clock.advance(1_000);
    await service.runOnce();
    await service.record(updates.filter((u) => about(u, 'two')));
    clock.advance(999);
    const report = await service.runOnce();
    expect(report.messages).toBe(0);
    expect(report.nextAt).toBe(clock.t + 1);
    clock.advance(1);
    expect((await service.runOnce()).messages).toBe(1);
    expect(sender.delivered).toHaveLength(2);
  });
});
