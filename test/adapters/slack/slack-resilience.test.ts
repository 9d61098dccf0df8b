import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { monitorAuth } from '../../../src/adapters/slack/auth-monitor.ts';
import {
  createSlackAdapter,
  type SlackAdapter,
  type SlackAdapterConfig,
} from '../../../src/adapters/slack/slack-adapter.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { DeliveryError, type DeliveryFailure } from '../../../src/updates/subscriptions/sender.ts';
import { engine } from '../../commands/setup.ts';
import {
  BOT_TOKEN,
  closedPort,
  type FakeSlack,
  fixture,
  postCommand,
  SIGNING_SECRET,
  startFakeSlack,
  waitFor,
} from './harness.ts';

const APP_TOKEN = 'xapp-1-A0THREATD-0000000000000-testapptokenvalue';
const runtime = createRuntime(engine, commands);
const target = { platform: 'slack' as const, workspace: 'T0THREAT1', channel: 'C0ELECT24' };
const update = makeReply({ title: 'New assessment', text: 'A new joint statement on Russia.', found: true });

let fake: FakeSlack;
const started: SlackAdapter[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  for (const a of started.splice(0)) await a.stop();
  fake.answer = () => undefined;
  fake.calls.length = 0;
});

afterAll(async () => {
  await fake?.close();
});

function adapter(config: Partial<SlackAdapterConfig>, logs: string[] = []): SlackAdapter {
  const a = createSlackAdapter({
    runtime,
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', ...config },
    log: (m) => logs.push(m),
    retry: { minDelayMs: 5, maxDelayMs: 20 },
  });
  started.push(a);
  return a;
}

async function failureOf(promise: Promise<void>): Promise<DeliveryFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error.failure;
    throw error;
  }
  throw new Error('expected the send to fail');
}

describe('Slack sender (update notifications)', () => {
  it('posts the rendered reply to the channel and resolves once Slack confirmed', async () => {
    const { sender } = adapter({ apiUrl: fake.apiUrl });
    expect(sender.platform).toBe('slack');
    expect(sender.minIntervalMs).toBe(1100);
    await sender.send(target, update);
    const post = fake.calls.find((c) => c.method === 'chat.postMessage');
    expect(post?.args.channel).toBe('C0ELECT24');
    expect(post?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(JSON.stringify(post?.args.blocks)).toContain('A new joint statement on Russia.');
    expect(post?.args.text).toContain('New assessment');
  });

  it('classifies failures: gone channel → permanent, 429 → rate_limited with Retry-After, 5xx → transient', async () => {
    const { sender } = adapter({ apiUrl: fake.apiUrl });
    for (const error of ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'missing_scope']) {
      fake.answer = () => ({ body: { ok: false, error } });
      expect(await failureOf(sender.send(target, update))).toMatchObject({ kind: 'permanent' });
    }
    fake.answer = () => ({ status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    expect(await failureOf(sender.send(target, update))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    fake.answer = () => ({ status: 503, body: { ok: false } });
    expect(await failureOf(sender.send(target, update))).toMatchObject({ kind: 'transient' });
    fake.answer = () => ({ body: { ok: false, error: 'internal_error' } });
    expect(await failureOf(sender.send(target, update))).toMatchObject({ kind: 'transient' });
  });

  it('an unreachable API is a transient failure', async () => {
    const { sender } = adapter({ apiUrl: `http://127.0.0.1:${await closedPort()}/api/` });
    expect(await failureOf(sender.send(target, update))).toMatchObject({ kind: 'transient' });
  });
});

describe('Slack adapter start-up without the Slack API', () => {
  it('starts while the API is unreachable, says so, and still answers slash commands', async () => {
    const logs: string[] = [];
    const a = adapter({ apiUrl: `http://127.0.0.1:${await closedPort()}/api/` }, logs);
    const { port } = await a.start();
    expect(port).toBeGreaterThan(0);
    await waitFor('the unreachable report', () => logs.find((l) => l.includes('cannot reach the Slack API')));
    const fields: Record<string, string> = {
      ...fixture<Record<string, string>>('slash-command-ask.json'),
      response_url: fake.responseUrl('down'),
    };
    expect((await postCommand(port as number, fields)).status).toBe(200);
    await waitFor('the answer', () => fake.responses.find((r) => r.id === 'down'));
    expect(logs.join('\n')).not.toContain(BOT_TOKEN);
  });

  it('retries auth.test with backoff, logging only the 1st, 2nd and 4th failure, until it succeeds', async () => {
    let failures = 0;
    fake.answer = (call) => (call.method === 'auth.test' && ++failures <= 5 ? { status: 503, body: {} } : undefined);
    const logs: string[] = [];
    await adapter({ apiUrl: fake.apiUrl }, logs).start();
    await waitFor('sign-in', () => logs.find((l) => l.includes('signed in') && l.includes('after 5 failed attempts')));
    expect(logs.filter((l) => l.includes('cannot reach the Slack API'))).toHaveLength(3);
    expect(fake.calls.filter((c) => c.method === 'auth.test')).toHaveLength(6);
  });

  it('reports a rejected bot token once and stops checking it', async () => {
    fake.answer = (call) => (call.method === 'auth.test' ? { body: { ok: false, error: 'invalid_auth' } } : undefined);
    const logs: string[] = [];
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const auth = monitorAuth({ client, token: BOT_TOKEN, log: (m) => logs.push(m), minDelayMs: 5 });
    await auth.settled;
    auth.stop();
    expect(logs).toEqual([expect.stringContaining('Slack rejected SLACK_BOT_TOKEN (invalid_auth)')]);
    expect(auth.identity()).toEqual({});
    expect(fake.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
  });

  it('a port in use fails start with the port named, and a later start can succeed', async () => {
    const first = adapter({ apiUrl: fake.apiUrl });
    const { port } = await first.start();
    const second = adapter({ apiUrl: fake.apiUrl, port });
    await expect(second.start()).rejects.toThrow(new RegExp(`SLACK_PORT ${port}`));
  });

  it('refuses HTTP mode without a signing secret, naming the variable', () => {
    expect(() => createSlackAdapter({ runtime, config: { botToken: BOT_TOKEN, port: 0 } })).toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });
});

describe('Slack adapter in Socket Mode', () => {
  it('opens the connection through SLACK_API_URL and reports a rejected app token without crashing', async () => {
    fake.answer = (call) =>
      call.method === 'apps.connections.open' ? { body: { ok: false, error: 'invalid_auth' } } : undefined;
    const logs: string[] = [];
    const started = await adapter({ appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl }, logs).start();
    expect(started).toEqual({});
    await waitFor('the report', () => logs.find((l) => l.includes('Slack rejected SLACK_APP_TOKEN (invalid_auth)')));
    const open = fake.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.authorization).toBe(`Bearer ${APP_TOKEN}`);
  });

  it('keeps retrying the connection while the API is unreachable, and stops cleanly', async () => {
    const logs: string[] = [];
    const a = adapter({ appToken: APP_TOKEN, apiUrl: `http://127.0.0.1:${await closedPort()}/api/` }, logs);
    await a.start();
    await waitFor('a second attempt', () =>
      logs.find((l) => l.includes('cannot open a Socket Mode connection') && l.includes('attempt 2')),
    );
    await a.stop();
  });
});
