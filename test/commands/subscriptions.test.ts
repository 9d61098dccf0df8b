import { describe, expect, it } from 'vitest';
import type { Origin } from '../../src/core/commands/define-command.ts';
import { sourceUpdate } from '../updates/store/store-suite.ts';
import { line, makeContext, openTestStore, origin } from './setup.ts';

/** A context whose subscriptions are the real shared store on a fresh SQLite file. */
async function setup() {
  const { subscriptions } = await openTestStore();
  return { subscriptions, ctx: makeContext({ subscriptions }) };
}

describe('/subscribe', () => {
  it('subscribes the channel to every update', async () => {
    const { subscriptions, ctx } = await setup();
    const reply = await line('/subscribe', ctx);
    expect(reply.found).toBe(true);
    expect(reply.text).toContain('now subscribed to every new assessment');
    expect(await subscriptions.list(origin)).toMatchObject([{ channel: 'c1', actor: null, createdBy: 'tester' }]);
  });

  it('stores the resolved actor id, whatever name was typed (actor:Kremlin)', async () => {
    const { subscriptions, ctx } = await setup();
    const reply = await line('/subscribe actor:Kremlin', ctx);
    expect(reply.text).toContain('new assessments about Russia');
    expect((await subscriptions.list(origin)).map((s) => s.actor)).toEqual(['russia']);
  });

  it('is idempotent: subscribing twice says already and changes nothing', async () => {
    const { subscriptions, ctx } = await setup();
    await line('/subscribe actor:russia', ctx);
    const again = await line('/subscribe actor:moscow', ctx);
    expect(again.text).toContain('already subscribed');
    expect(again.text).toContain('nothing changed');
    expect(await subscriptions.list(origin)).toHaveLength(1);
  });

  it('keeps an actor subscription apart from the all-updates one', async () => {
    const { subscriptions, ctx } = await setup();
    await line('/subscribe', ctx);
    const reply = await line('/subscribe actor:iran', ctx);
    expect(reply.text).toContain('now subscribed');
    expect((await subscriptions.list(origin)).map((s) => s.actor)).toEqual([null, 'iran']);
  });

  it('answers an unknown actor with an ephemeral error listing known actors, subscribing nothing', async () => {
    const { subscriptions, ctx } = await setup();
    const reply = await line('/subscribe actor:Atlantis', ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('I don\'t know the actor "Atlantis"');
    expect(reply.text).toContain('Known actors: russia, iran, china');
    expect(await subscriptions.list(origin)).toEqual([]);
  });
});

describe('/unsubscribe', () => {
  it('removes the subscription it names', async () => {
    const { subscriptions, ctx } = await setup();
    await line('/subscribe actor:russia', ctx);
    const reply = await line('/unsubscribe actor:Russian', ctx);
    expect(reply.found).toBe(true);
    expect(reply.text).toContain('no longer gets updates about Russia');
    expect(await subscriptions.list(origin)).toEqual([]);
  });

  it('says so when the channel was not subscribed', async () => {
    const { ctx } = await setup();
    const reply = await line('/unsubscribe actor:iran', ctx);
    expect(reply.found).toBe(false);
    expect(reply.text).toContain('was not subscribed to updates about Iran');
    expect(reply.text).toContain('nothing changed');
  });

  it('without an actor removes only the all-updates subscription', async () => {
    const { subscriptions, ctx } = await setup();
    await line('/subscribe', ctx);
    await line('/subscribe actor:china', ctx);
    const reply = await line('/unsubscribe', ctx);
    expect(reply.text).toContain('no longer gets all updates');
    expect((await subscriptions.list(origin)).map((s) => s.actor)).toEqual(['china']);
  });
});

describe('/subscriptions', () => {
  it('says the channel has none, pointing to /subscribe', async () => {
    const { ctx } = await setup();
    const reply = await line('/subscriptions', ctx);
    expect(reply.found).toBe(false);
    expect(reply.text).toContain('no subscriptions');
    expect(reply.text).toContain('/subscribe');
  });

  it('lists the channel’s subscriptions with who made them, when, and their state', async () => {
    const { subscriptions, ctx } = await setup();
    await line('/subscribe', ctx);
    await line('/subscribe actor:russia', ctx);
    // Pause the Russia subscription the way delivery does: a permanent failure at the limit.
    await subscriptions.recordUpdates([sourceUpdate('s1', ['russia'])], { at: 0, dueAt: 0 });
    const russia = (await subscriptions.claim(10, 60_000, 'test')).filter((r) => r.actor === 'russia');
    await subscriptions.countPermanentFailure(
      russia.map((r) => r.subscriptionId),
      'missing permission to post',
      1,
    );
    const reply = await line('/subscriptions', ctx);
    expect(reply.found).toBe(true);
    expect(reply.text.split('\n')).toEqual([
      'all updates (since 2025-01-02, by tester; active)',
      'updates about Russia (since 2025-01-02, by tester; paused: missing permission to post)',
    ]);
  });

  it('lists only this channel’s subscriptions', async () => {
    const { subscriptions, ctx } = await setup();
    const elsewhere: Origin = { ...origin, channel: 'c2' };
    await subscriptions.subscribe(elsewhere, 'iran');
    await line('/subscribe actor:russia', ctx);
    const reply = await line('/subscriptions', ctx);
    expect(reply.text).not.toContain('Iran');
    expect(reply.text).toContain('Russia');
  });
});

describe('without a subscription store', () => {
  it.each(['/subscribe', '/subscribe actor:russia', '/unsubscribe', '/subscriptions'])(
    '%s answers with a clear ephemeral message instead of throwing',
    async (text) => {
      const reply = await line(text, makeContext());
      expect(reply.ephemeral).toBe(true);
      expect(reply.found).toBe(false);
      expect(reply.title).toBe('Cannot do that');
      expect(reply.text).toContain('Subscriptions are not available here');
    },
  );
});
