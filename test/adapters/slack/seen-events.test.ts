/**
 * Several instances behind one load balancer: Slack's retry of an event may reach another instance
 * than the first try. Two real Bolt adapters share the seen-events ledger in a real PostgreSQL
 * (started by the test), against one loopback Slack; the retry is answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../bench/throwaway-postgres.ts';
import { commands } from '../../../commands/index.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { openPgSeenEvents, type SeenEventsLedger } from '../../../src/updates/store/seen-events-pg.ts';
import { engine } from '../../commands/setup.ts';
import { BOT_TOKEN, type FakeSlack, fixture, postEvent, SIGNING_SECRET, startFakeSlack, waitFor } from './harness.ts';

let server: ThrowawayPostgres;
let fake: FakeSlack;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startThrowawayPostgres();
  fake = await startFakeSlack();
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await fake?.close();
  await server?.stop();
});

async function ledger(url: string, options: Parameters<typeof openPgSeenEvents>[1] = {}): Promise<SeenEventsLedger> {
  const seen = await openPgSeenEvents(url, { log: () => {}, ...options });
  closers.push(() => seen.close());
  return seen;
}

async function instance(url: string): Promise<{ adapter: SlackAdapter; port: number }> {
  const adapter = createSlackAdapter({
    runtime: createRuntime(engine, commands),
    config: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: fake.apiUrl,
      seenEvents: await ledger(url),
    },
    log: () => {},
  });
  closers.push(() => adapter.stop());
  return { adapter, port: (await adapter.start()).port as number };
}

function mention(ts: string, eventId: string) {
  const payload = fixture<{ event: Record<string, unknown>; event_id: string }>('event-app-mention.json');
  return { ...payload, event_id: eventId, event: { ...payload.event, ts } };
}

const answersTo = (ts: string) =>
  fake.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ELECT24' && c.args.thread_ts === ts,
  );

describe('Slack events seen across instances (DATABASE_URL)', () => {
  it('records keys once across ledgers: a key any instance recorded is not new to another', async () => {
    const url = await server.createSchema();
    const a = await ledger(url);
    const b = await ledger(url);
    expect(await a.firstTime('event:Ev1', 'message:C1:1.0')).toBe(true);
    expect(await b.firstTime('event:Ev1', 'message:C1:1.0')).toBe(false);
    // The same message under another event id (a DM that mentions the bot arrives twice).
    expect(await b.firstTime('event:Ev2', 'message:C1:1.0')).toBe(false);
    expect(await a.firstTime('event:Ev3', 'message:C1:2.0')).toBe(true);
  });

  it('forgets keys older than it keeps, so the table does not grow without end', async () => {
    const url = await server.createSchema();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const seen = await ledger(url, { now: () => now, keepMs: 60_000, pruneEvery: 1 });
    expect(await seen.firstTime('event:Old')).toBe(true);
    now += 120_000;
    expect(await seen.firstTime('event:New')).toBe(true);
    // That call also deleted the keys older than a minute: the old key is new again.
    expect(await seen.firstTime('event:Old')).toBe(true);
    expect(await seen.firstTime('event:New')).toBe(false);
  });

  it('a retry that reaches another instance is not answered again', async () => {
    const url = await server.createSchema();
    const first = await instance(url);
    const second = await instance(url);
    const payload = mention('1730400300.000111', 'Ev0ACROSS1');
    expect((await postEvent(first.port, payload)).status).toBe(200);
    await waitFor('the first answer', () => answersTo('1730400300.000111')[0]);
    const retry = { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    expect((await postEvent(second.port, payload, retry)).status).toBe(200);
    // A later mention to the second instance, answered after the retry was handled, marks the end.
    const marker = mention('1730400300.000222', 'Ev0ACROSS2');
    expect((await postEvent(second.port, marker)).status).toBe(200);
    await waitFor('the marker answer', () => answersTo('1730400300.000222')[0]);
    expect(answersTo('1730400300.000111')).toHaveLength(1);
  });
});
