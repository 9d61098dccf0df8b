/**
 * Subscriptions end to end on Slack: the real Slack adapter (real Bolt over HTTP on 127.0.0.1, every
 * request signed) against the loopback Web API, a real SQLite file, and a watched temporary
 * DATA_DIR, wired as src/main.ts wires them. The steps run in order and share one bot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.ts';
import { escapeSlackText, ZERO_WIDTH_SPACE } from '../../src/core/render/escape.ts';
import {
  type ApiCall,
  BOT_TOKEN,
  blockTexts,
  type FakeSlack,
  fixture,
  postCommand,
  quotedText,
  SIGNING_SECRET,
  startFakeSlack,
  waitFor,
} from '../adapters/slack/harness.ts';
import {
  type Bot,
  Clock,
  deliverUntil,
  dropAssessment,
  IRAN_SPOOFED_SITES,
  paragraphText,
  pendingRows,
  RUSSIA_NEWS_SITES,
  RUSSIA_SANCTIONS,
  startBot,
  tempWorkspace,
  waitForClaim,
  waitForReloads,
  writeData,
} from './helpers.ts';

const TEAM = 'T0THREAT1';
const clock = new Clock();
const workspace = tempWorkspace();
let fake: FakeSlack;
let bot: Bot;
let port: number;
const adapterLogs: string[] = [];

async function start(): Promise<Bot> {
  return startBot({
    dataDir: workspace.dataDir,
    dbPath: workspace.dbPath,
    now: clock.now,
    platform: async (runtime) => {
      const adapter = createSlackAdapter({
        runtime,
        config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl },
        log: (m) => adapterLogs.push(m),
      });
      port = (await adapter.start()).port as number;
      return adapter;
    },
  });
}

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  workspace.remove();
});

let nextId = 0;
/** Sends a signed `/name text` from `channel` and returns what arrived at its response_url. */
async function slash(name: string, text: string, channel: string): Promise<Record<string, unknown>> {
  const id = `e2e-${++nextId}`;
  const fields: Record<string, string> = {
    ...fixture<Record<string, string>>('slash-command-ask.json'),
    command: `/${name}`,
    text,
    team_id: TEAM,
    channel_id: channel,
    response_url: fake.responseUrl(id),
  };
  const res = await postCommand(port, fields);
  expect(res.status).toBe(200);
  return waitFor(`the answer to /${name} in ${channel}`, () => fake.responses.find((r) => r.id === id)?.body);
}

const posts = (channel: string): ApiCall[] =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** What Slack shows of a message: its mrkdwn texts, whitespace collapsed, escaping marks removed. */
const shown = (call: ApiCall | undefined): string => readable(blockTexts(call?.args.blocks).join('\n'));
const readable = (mrkdwn: string): string => mrkdwn.replaceAll(ZERO_WIDTH_SPACE, '').replace(/\s+/g, ' ');
const escaped = (text: string): string => escapeSlackText(text).replace(/\s+/g, ' ');

describe('Slack subscriptions, end to end', () => {
  it('/subscribe confirms in each channel: russia from C1, iran from C2, everything from C3', async () => {
    const c1 = await slash('subscribe', 'russia', 'C1');
    expect(c1.response_type).toBe('in_channel');
    expect(c1.text).toMatch(/now subscribed to new assessments about Russia/);
    expect((await slash('subscribe', 'iran', 'C2')).text).toMatch(/now subscribed to new assessments about Iran/);
    expect((await slash('subscribe', '', 'C3')).text).toMatch(/now subscribed to every new assessment/);
    expect((await slash('subscribe', 'Kremlin', 'C1')).text).toMatch(/already subscribed to .*Russia; nothing changed/);
    const list = (channel: string) => bot.store.list({ platform: 'slack', workspace: TEAM, channel });
    expect((await list('C1')).map((s) => s.actor)).toEqual(['russia']);
    expect((await list('C2')).map((s) => s.actor)).toEqual(['iran']);
    expect((await list('C3')).map((s) => [s.actor, s.createdBy])).toEqual([[null, 'U0REPORTR']]);
  });

  it('a new Russia source and claims file dropped into DATA_DIR reach C1 and C3 exactly once, and never C2', async () => {
    dropAssessment(workspace.dataDir, RUSSIA_NEWS_SITES);
    const corpus = await waitForClaim(bot, 'joint0110-russia-intent');
    expect(bot.errors).toEqual([]);
    expect(bot.runtime.engine().corpus).toBe(corpus);
    expect(await bot.store.outboxCounts()).toEqual({ pending: 6, sent: 0, failed: 0 });

    // Nothing goes out before the 2 s batch window has passed.
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts('C1')).toHaveLength(0);
    clock.advance(2_000);
    const report = await bot.service.runOnce();
    expect(report).toMatchObject({ messages: 2, delivered: 6, failures: 0, paused: 0 });

    expect(posts('C1')).toHaveLength(1);
    expect(posts('C3')).toHaveLength(1);
    expect(posts('C2')).toHaveLength(0);
    for (const call of [...posts('C1'), ...posts('C3')]) {
      expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
      // Form-encoded by the SDK, so the stand-in sees strings.
      expect(call.args.unfurl_links).toBe('false');
      const quoted = quotedText(call.args.blocks);
      expect(quoted).toContain(escaped(paragraphText(corpus, RUSSIA_NEWS_SITES, 1)));
      expect(quoted).toContain(escaped(paragraphText(corpus, RUSSIA_NEWS_SITES, 2)));
      // The corpus's `&` and `<and>` arrive as entities, never as markup.
      expect(quoted).toContain('outlets &amp; used them');
      expect(quoted).toContain('&lt;and&gt;');
      expect(shown(call)).toMatch(/New assessments/);
      expect(shown(call)).toContain('Joint ODNI, FBI, and CISA Statement on Russian Fake Local News Sites');
      expect(shown(call)).toContain('2025-01-10');
      expect(String(call.args.text)).toMatch(/1 new source and 2 new claims/);
    }
    expect(shown(posts('C1')[0])).toMatch(/subscribed to new assessments about Russia/);
    expect(shown(posts('C3')[0])).toMatch(/subscribed to every new assessment/);
  });

  it('a second delivery round sends nothing more', async () => {
    const before = fake.calls.length;
    clock.advance(60_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(fake.calls.length).toBe(before);
    expect(await bot.store.outboxCounts()).toEqual({ pending: 0, sent: 6, failed: 0 });
  });

  it('after a restart on the same database file nothing is sent again', async () => {
    await bot.stop();
    bot = await start();
    const before = posts('C1').length + posts('C3').length;
    clock.advance(60_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts('C1').length + posts('C3').length).toBe(before);
    expect(await bot.store.outboxCounts()).toEqual({ pending: 0, sent: 6, failed: 0 });
    expect(await bot.store.list({ platform: 'slack', workspace: TEAM, channel: 'C1' })).toHaveLength(1);
  });

  it('an invalid claims file records no update, sends nothing, and /ask still answers from the last good corpus', async () => {
    const good = bot.runtime.engine().corpus;
    const keys = await bot.store.recordedKeys();
    const postsBefore = fake.calls.filter((c) => c.method === 'chat.postMessage').length;
    const bad = [
      { ...RUSSIA_NEWS_SITES.claims[0], id: 'joint0110-russia-misquoted', quote: 'Russia hacked voting machines' },
    ];
    writeData(workspace.dataDir, path.join('claims', 'misquoted.json'), JSON.stringify(bad));
    await waitFor('the refused reload', () => (bot.errors.length > 0 ? true : undefined));
    expect(bot.errors[0]?.message).toMatch(
      /claims\/misquoted\.json: claim joint0110-russia-misquoted: quote: not found verbatim/,
    );
    expect(bot.runtime.engine().corpus).toBe(good);
    expect(await bot.store.recordedKeys()).toEqual(keys);
    clock.advance(60_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(await bot.store.outboxCounts()).toEqual({ pending: 0, sent: 6, failed: 0 });

    const answer = await slash('ask', 'who accused Arizona election officials of destroying mail-in ballots', 'C2');
    expect(answer.response_type).toBe('in_channel');
    expect(quotedText(answer.blocks)).toContain(escaped(paragraphText(good, RUSSIA_NEWS_SITES, 1)));
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(postsBefore);

    // Once the bad file is gone, the next reload goes through and announces nothing.
    const seen = bot.loaded.length + bot.errors.length;
    fs.rmSync(path.join(workspace.dataDir, 'claims', 'misquoted.json'));
    await waitForReloads(bot, seen);
    expect(bot.loaded).toHaveLength(1);
    expect(await bot.store.recordedKeys()).toEqual(keys);
    expect((await bot.store.outboxCounts()).pending).toBe(0);
  });

  it('a channel that answers channel_not_found is paused after 3 failed deliveries; /subscriptions there says why', async () => {
    fake.answer = (call) =>
      call.method === 'chat.postMessage' && call.args.channel === 'C3'
        ? { body: { ok: false, error: 'channel_not_found' } }
        : undefined;
    const c1Before = posts('C1').length;
    const c3Before = posts('C3').length;
    dropAssessment(workspace.dataDir, RUSSIA_SANCTIONS);
    await waitForClaim(bot, 'treasury0124-russia-sanction');
    clock.advance(2_000);

    const paused = async () =>
      (await bot.store.list({ platform: 'slack', workspace: TEAM, channel: 'C3' }))[0]?.pausedReason;
    await deliverUntil(bot, clock, async () => Boolean(await paused()));
    expect(await paused()).toBe('Slack API error channel_not_found (3 deliveries failed)');
    // Three deliveries, then one best-effort notice of the pause; all refused.
    const attempts = posts('C3').slice(c3Before);
    expect(attempts).toHaveLength(4);
    expect(shown(attempts[0])).toContain('Treasury Sanctions Operators of a Russian Fake Local News Network');
    expect(shown(attempts[3])).toMatch(/Updates paused.*channel_not_found/);
    // The Russia channel got the update once, unaffected.
    expect(posts('C1').slice(c1Before)).toHaveLength(1);
    expect(bot.logs.some((m) => /paused 1 subscription\(s\) of slack\/T0THREAT1\/C3/.test(m))).toBe(true);

    clock.advance(3_600_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts('C3').slice(c3Before)).toHaveLength(4);
    expect((await bot.store.outboxCounts()).pending).toBe(0);

    fake.answer = () => undefined;
    const list = await slash('subscriptions', '', 'C3');
    expect(readable(String(list.text))).toMatch(
      /all updates \(since \d{4}-\d{2}-\d{2}, by U0REPORTR; paused: Slack API error channel_not_found \(3 deliveries failed\)\)/,
    );
  });

  it('/subscribe again in C3 resumes it without replaying what it missed; a 429 in C2 waits exactly its Retry-After', async () => {
    expect((await slash('subscribe', '', 'C3')).text).toMatch(/now subscribed to every new assessment/);
    expect(readable(String((await slash('subscriptions', '', 'C3')).text))).toMatch(/all updates \(.*; active\)/);
    const c3Before = posts('C3').length;
    clock.advance(60_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts('C3')).toHaveLength(c3Before);

    let limited = false;
    fake.answer = (call) => {
      if (call.method !== 'chat.postMessage' || call.args.channel !== 'C2' || limited) return undefined;
      limited = true;
      return { status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } };
    };
    const c1Before = posts('C1').length;
    const c2Before = posts('C2').length;
    dropAssessment(workspace.dataDir, IRAN_SPOOFED_SITES);
    const corpus = await waitForClaim(bot, 'joint0131-iran-spoofed-sites');
    clock.advance(2_000);
    expect(await bot.service.runOnce()).toMatchObject({ messages: 1, failures: 1, paused: 0 });
    expect(posts('C3').slice(c3Before)).toHaveLength(1);
    const [retryAt] = (await pendingRows(bot)).map((r) => r.nextAttemptAt);
    expect(retryAt).toBe(clock.t + 3_000);

    clock.t = (retryAt as number) - 1;
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts('C2').slice(c2Before)).toHaveLength(1);
    clock.t = retryAt as number;
    expect((await bot.service.runOnce()).messages).toBe(1);
    const [refused, landed] = posts('C2').slice(c2Before);
    expect(landed?.args).toEqual(refused?.args);
    expect(quotedText(landed?.args.blocks)).toContain(escaped(paragraphText(corpus, IRAN_SPOOFED_SITES, 1)));
    expect(posts('C2').slice(c2Before)).toHaveLength(2);
    expect(posts('C1')).toHaveLength(c1Before);
    expect((await bot.store.outboxCounts()).pending).toBe(0);
  });
});
