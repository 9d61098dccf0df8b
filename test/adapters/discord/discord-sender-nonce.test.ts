/**
 * The delivery's idempotency key on the wire to Discord: the Discord sender (real @discordjs/rest)
 * posts it as the message nonce with enforce_nonce, and the update service passes the claimed
 * row's key, the same on a retry after a failure, to the loopback stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../../src/adapters/discord/discord-sender.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import { Clock } from '../../updates/subscriptions/fixtures.ts';
import { freshSqlite, grown, openFor, shipped } from '../../updates/subscriptions/service-setup.ts';
import { CHANNEL_ID, DiscordStandIn, GUILD_ID, TOKEN } from './discord-stand-in.ts';

let s: DiscordStandIn;
beforeAll(async () => {
  s = await DiscordStandIn.start();
});
afterAll(async () => {
  await s?.close();
});

const target = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };
const posts = () => s.find((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);

describe('Discord sender: idempotency', () => {
  it('sends the idempotency key as the nonce, enforced, and no nonce without one', async () => {
    const sender = createDiscordSender({ token: TOKEN, apiUrl: s.apiUrl });
    const before = posts().length;
    await sender.send(target, makeReply({ title: 'T', text: 'keyed' }), { idempotencyKey: 'o1f-3f9a0c2e4d5b6a71' });
    await sender.send(target, makeReply({ title: 'T', text: 'plain' }));
    const [keyed, plain] = posts().slice(before);
    expect(keyed?.body.nonce).toBe('o1f-3f9a0c2e4d5b6a71');
    expect(keyed?.body.enforce_nonce).toBe(true);
    expect(plain?.body).not.toHaveProperty('nonce');
    expect(plain?.body).not.toHaveProperty('enforce_nonce');
  });

  it('a delivery retried after a 503 reaches Discord with the same nonce: the claimed row’s key', async () => {
    const clock = new Clock();
    const shared = await openFor(await freshSqlite(), { now: clock.now });
    const next = grown({ '2025-02-03-nonce': ['iran'] });
    const engine = createAnswerEngine(next);
    const service = createUpdateService({
      store: shared.subscriptions,
      senders: [createDiscordSender({ token: TOKEN, apiUrl: s.apiUrl, rest: { timeout: 3000 } })],
      engine: () => engine,
      now: clock.now,
      random: () => 0.5,
      batchWindowMs: 0,
      log: () => {},
    });
    await shared.subscriptions.subscribe({ ...target, user: 'tester' }, 'iran');
    // The claim alone: one row, so the message's key is the row's own.
    const claims = diffCorpus(shipped, next).filter((u) => u.kind === 'claim');
    expect(await service.record(claims)).toEqual({ updates: 1, rows: 1 });
    const [row] = await shared.subscriptions.claim(10, 60_000, 'test');

    const before = posts().length;
    s.respondOnce('POST', /^\/channels\/\d+\/messages$/, { status: 503, body: { message: 'Service Unavailable' } });
    expect((await service.runOnce()).failures).toBe(1);
    clock.advance(10_000);
    expect((await service.runOnce()).messages).toBe(1);
    const tries = posts().slice(before);
    expect(tries.map((r) => r.body.nonce)).toEqual([row?.idempotencyKey, row?.idempotencyKey]);
    expect(tries.map((r) => r.body.enforce_nonce)).toEqual([true, true]);
    expect(String(row?.idempotencyKey).length).toBeLessThanOrEqual(25);
  });
});
