/**
 * The Slack sender's idempotency: every notification carries its delivery's key as message
 * metadata, and a retry that may follow a delivered attempt reads the channel first. Real
 * @slack/web-api clients against the loopback stand-in, which keeps what was posted even when its
 * answer never reached the client.
 */
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBoltLogger } from '../../../src/adapters/slack/bolt-logger.ts';
import { createSlackSender } from '../../../src/adapters/slack/slack-sender.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { DeliveryError, type DeliveryFailure, type SendOptions } from '../../../src/updates/subscriptions/sender.ts';
import { BOT_TOKEN, type FakeSlack, startFakeSlack } from './harness.ts';

const target = { platform: 'slack' as const, workspace: 'T0THREAT1', channel: 'C0ELECT24' };
const update = makeReply({ title: 'New assessment', text: 'A new joint statement on Russia.', found: true });
const KEY = 'o1b-3f9a0c2e4d5b6a71';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterEach(() => {
  fake.answer = () => undefined;
  fake.calls.length = 0;
  fake.messages.clear();
});
afterAll(() => fake?.close());

/** A sender whose client gives up after `timeoutMs`, without retries, as the adapter builds it. */
function sender(timeoutMs = 2_000) {
  const client = new webApi.WebClient(undefined, {
    slackApiUrl: fake.apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: createBoltLogger(() => {}),
  });
  return createSlackSender(client, BOT_TOKEN);
}

/** The options of a retry the delivery loop thinks may follow a delivered attempt. */
function retryOf(idempotencyKey: string): SendOptions {
  return { idempotencyKey, maybeSent: true } as SendOptions;
}

const posted = () => fake.messages.get(target.channel) ?? [];
const calls = (method: string) => fake.calls.filter((c) => c.method === method);

async function failureOf(promise: Promise<void>): Promise<DeliveryFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error.failure;
    throw error;
  }
  throw new Error('expected the send to fail');
}

describe('Slack sender idempotency', () => {
  it('posts with metadata naming the delivery, and reads no history on a first attempt', async () => {
    await sender().send(target, update, { idempotencyKey: KEY });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.metadata).toEqual({ event_type: 'threatdesk_update', event_payload: { idempotency_key: KEY } });
    expect(calls('conversations.history')).toHaveLength(0);
  });

  it('a retry with maybeSent after a timed-out post does not post twice', async () => {
    // Slack takes the post but its answer arrives after the client gave up.
    let slow = true;
    fake.answer = (call) => {
      if (call.method !== 'chat.postMessage' || !slow) return undefined;
      slow = false;
      return { delayMs: 800 };
    };
    const timedOut = await failureOf(sender(150).send(target, update, { idempotencyKey: KEY }));
    expect(timedOut.kind).toBe('transient');
    expect(posted()).toHaveLength(1);

    await sender().send(target, update, retryOf(KEY));
    expect(posted()).toHaveLength(1);
    expect(calls('chat.postMessage')).toHaveLength(1);
    const [history] = calls('conversations.history');
    expect(history?.args).toMatchObject({ channel: target.channel, limit: '50', include_all_metadata: 'true' });
    expect(history?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('a retry with maybeSent posts once when the earlier attempt never reached Slack', async () => {
    await sender().send(target, makeReply({ title: 'Older', text: 'Another delivery.' }), { idempotencyKey: 'o1a-0' });
    fake.answer = (call) => (call.method === 'chat.postMessage' ? { status: 503, body: { ok: false } } : undefined);
    expect((await failureOf(sender().send(target, update, { idempotencyKey: KEY }))).kind).toBe('transient');
    fake.answer = () => undefined;

    await sender().send(target, update, retryOf(KEY));
    await sender().send(target, update, retryOf(KEY));
    expect(posted().map((m) => m.metadata?.event_payload?.idempotency_key)).toEqual(['o1a-0', KEY]);
  });

  it('without the scope to read the channel, a maybeSent retry still posts (at least once, as before)', async () => {
    fake.answer = (call) =>
      call.method === 'conversations.history'
        ? { body: { ok: false, error: 'missing_scope', needed: 'channels:history' } }
        : undefined;
    await sender().send(target, update, retryOf(KEY));
    expect(posted()).toHaveLength(1);
  });

  it('a channel that cannot be read for another reason fails the send as that error, posting nothing', async () => {
    fake.answer = (call) =>
      call.method === 'conversations.history' ? { body: { ok: false, error: 'channel_not_found' } } : undefined;
    const failure = await failureOf(sender().send(target, update, retryOf(KEY)));
    expect(failure).toMatchObject({ kind: 'permanent', message: expect.stringContaining('channel_not_found') });
    expect(posted()).toHaveLength(0);
  });

  it('without a key it posts plainly, with no metadata', async () => {
    await sender().send(target, update);
    expect(posted()[0]?.metadata).toBeUndefined();
  });
});
