/**
 * Subscriptions end to end on Discord: the real discord.js client logged in to the loopback gateway
 * and REST stand-in, subscribing through INTERACTION_CREATE dispatches, a real SQLite file and a
 * watched temporary DATA_DIR, wired as src/main.ts wires them. Notifications go out through the
 * adapter's sender (`POST /channels/{id}/messages`). The steps run in order and share one bot.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.ts';
import {
  CHANNEL_ID,
  DiscordStandIn,
  GUILD_ID,
  type RecordedRequest,
  TOKEN,
} from '../adapters/discord/discord-stand-in.ts';
import {
  embedText,
  interactionPayload,
  quotedParagraph,
  recordingLog,
  unescapeDiscord,
} from '../adapters/discord/harness.ts';
import {
  type Bot,
  Clock,
  deliverUntil,
  dropAssessment,
  paragraphText,
  pendingRows,
  RUSSIA_NEWS_SITES,
  RUSSIA_SANCTIONS,
  startBot,
  tempWorkspace,
  waitForClaim,
} from './helpers.ts';

/** #election-threats (in the guild fixture) subscribes to Russia; a second channel to Iran. */
const RUSSIA_CHANNEL = CHANNEL_ID;
const IRAN_CHANNEL = '1300000000000000002';
const clock = new Clock();
const workspace = tempWorkspace();
const adapterLog = recordingLog();
let standIn: DiscordStandIn;
let bot: Bot;

async function start(): Promise<Bot> {
  return startBot({
    dataDir: workspace.dataDir,
    dbPath: workspace.dbPath,
    now: clock.now,
    platform: async (runtime) => {
      const adapter = createDiscordAdapter({
        runtime,
        config: { token: TOKEN, apiUrl: standIn.apiUrl, rest: { retries: 1, timeout: 3000 } },
        log: adapterLog,
      });
      await adapter.start();
      return adapter;
    },
  });
}

beforeAll(async () => {
  standIn = await DiscordStandIn.start();
  bot = await start();
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  workspace.remove();
});

/** Dispatches `/name options…` from `channel` and returns the embeds of the answer edited in. */
async function slash(name: string, options: { name: string; value: string }[], channel: string): Promise<APIEmbed[]> {
  const base = interactionPayload(name, options);
  const payload = { ...base, channel_id: channel, channel: { ...(base.channel as object), id: channel } };
  standIn.dispatch('INTERACTION_CREATE', payload);
  const [edit] = await standIn.waitFor((r) => r.method === 'PATCH' && r.path.includes(`/${payload.token}/`));
  return (edit?.body.embeds ?? []) as APIEmbed[];
}

const posts = (channel: string): RecordedRequest[] =>
  standIn.find((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`);
const shown = (r: RecordedRequest | undefined): string =>
  unescapeDiscord(embedText((r?.body.embeds ?? []) as APIEmbed[]));
const channelKey = (channel: string) => ({ platform: 'discord' as const, workspace: GUILD_ID, channel });
const russiaChannelPost = new RegExp(`^/channels/${RUSSIA_CHANNEL}/messages$`);

describe('Discord subscriptions, end to end', () => {
  it('/subscribe actor:… dispatched over the gateway subscribes each channel to its actor', async () => {
    const russia = unescapeDiscord(
      embedText(await slash('subscribe', [{ name: 'actor', value: 'russia' }], RUSSIA_CHANNEL)),
    );
    expect(russia).toMatch(/Subscribed/);
    expect(russia).toMatch(/now subscribed to new assessments about Russia/);
    const iran = unescapeDiscord(embedText(await slash('subscribe', [{ name: 'actor', value: 'iran' }], IRAN_CHANNEL)));
    expect(iran).toMatch(/now subscribed to new assessments about Iran/);
    expect((await bot.store.list(channelKey(RUSSIA_CHANNEL))).map((s) => [s.actor, s.createdBy])).toEqual([
      ['russia', '1400000000000000001'],
    ]);
    expect((await bot.store.list(channelKey(IRAN_CHANNEL))).map((s) => s.actor)).toEqual(['iran']);
  });

  it('a new Russia source dropped into DATA_DIR is queued for the Russia channel only, and the queue survives a restart', async () => {
    dropAssessment(workspace.dataDir, RUSSIA_NEWS_SITES);
    await waitForClaim(bot, 'joint0110-russia-intent');
    const queued = async () => (await pendingRows(bot)).map((r) => `${r.channel} ${r.kind}:${r.key}`);
    const before = await queued();
    expect(before).toHaveLength(3);
    expect(before.every((row) => row.startsWith(`${RUSSIA_CHANNEL} `))).toBe(true);
    // Stopped between writing the outbox rows and delivering them.
    await bot.stop();
    bot = await start();
    expect(await queued()).toEqual(before);
    expect(posts(RUSSIA_CHANNEL)).toHaveLength(0);
  });

  it('a 429 with Retry-After is waited out on the injected clock; then exactly one message lands, citing the paragraph and pinging no one', async () => {
    standIn.respondOnce('POST', russiaChannelPost, {
      status: 429,
      headers: { 'retry-after': '2', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 2, global: false },
    });
    clock.advance(2_000);
    expect(await bot.service.runOnce()).toMatchObject({ messages: 0, failures: 1, paused: 0 });
    expect(posts(RUSSIA_CHANNEL)).toHaveLength(1);
    const retryAt = Math.min(...(await pendingRows(bot)).map((r) => r.nextAttemptAt));
    // Retry-After: 2 s, plus @discordjs/rest's 50 ms safety offset.
    expect(retryAt - clock.t).toBeGreaterThanOrEqual(2_000);
    expect(retryAt - clock.t).toBeLessThanOrEqual(2_100);

    clock.t = retryAt - 1;
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts(RUSSIA_CHANNEL)).toHaveLength(1);
    clock.t = retryAt;
    expect(await bot.service.runOnce()).toMatchObject({ messages: 1, delivered: 3, failures: 0 });

    const [refused, landed] = posts(RUSSIA_CHANNEL);
    expect(posts(RUSSIA_CHANNEL)).toHaveLength(2);
    expect(landed?.body).toEqual(refused?.body);
    expect(landed?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(landed?.body.allowed_mentions).toEqual({ parse: [] });
    const embeds = landed?.body.embeds as APIEmbed[];
    expect(embeds[0]?.title).toBe('New assessments');
    const corpus = bot.runtime.engine().corpus;
    const cited = embeds.find((e) => e.footer?.text.startsWith(`${RUSSIA_NEWS_SITES.id}#1`));
    expect(cited && quotedParagraph(cited)).toBe(paragraphText(corpus, RUSSIA_NEWS_SITES, 1));
    expect(shown(landed)).toMatch(/1 new source and 2 new claims/);
    expect(posts(IRAN_CHANNEL)).toHaveLength(0);

    clock.advance(3_600_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts(RUSSIA_CHANNEL)).toHaveLength(2);
    expect(await bot.store.outboxCounts()).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('403 Missing Permissions (code 50013) on every delivery pauses the subscription; /subscriptions shows it paused and why', async () => {
    const missing = { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    // Three deliveries and the notice of the pause, all refused.
    for (let i = 0; i < 4; i++) standIn.respondOnce('POST', russiaChannelPost, missing);
    const before = posts(RUSSIA_CHANNEL).length;
    dropAssessment(workspace.dataDir, RUSSIA_SANCTIONS);
    await waitForClaim(bot, 'treasury0124-russia-sanction');
    clock.advance(2_000);

    const paused = async () => (await bot.store.list(channelKey(RUSSIA_CHANNEL)))[0]?.pausedReason;
    await deliverUntil(bot, clock, async () => Boolean(await paused()));
    expect(await paused()).toMatch(
      /^discord: sending to channel \d+: Missing Permissions \(403, code 50013\).*\(3 deliveries failed\)$/,
    );
    const attempts = posts(RUSSIA_CHANNEL).slice(before);
    expect(attempts).toHaveLength(4);
    expect(shown(attempts[0])).toContain('Treasury Sanctions Operators of a Russian Fake Local News Network');
    expect(shown(attempts[3])).toMatch(/Updates paused/);
    expect(attempts.every((r) => r.body.allowed_mentions?.parse?.length === 0)).toBe(true);

    clock.advance(3_600_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(posts(RUSSIA_CHANNEL).slice(before)).toHaveLength(4);
    expect((await bot.store.outboxCounts()).pending).toBe(0);

    const list = unescapeDiscord(embedText(await slash('subscriptions', [], RUSSIA_CHANNEL)));
    expect(list).toMatch(
      /updates about Russia \(since .*; paused: discord: sending to channel \d+: Missing Permissions \(403, code 50013\)/,
    );
    expect(posts(IRAN_CHANNEL)).toHaveLength(0);
  });
});
