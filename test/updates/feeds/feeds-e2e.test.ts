/**
 * Feeds end to end: a statement appears in the loopback newsroom's feed; the bot, wired as
 * src/main.ts wires it (subscription store, the real Slack and Discord adapters against their
 * loopback stand-ins, the update service, the data watcher and the feed watcher), polls it. A Slack
 * channel and a Discord channel subscribed through the adapters each get exactly one notification
 * citing the new document, and a question about it is answered from its paragraph. The steps run in
 * order and share one bot.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { createSlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import type { Corpus } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { escapeSlackText } from '../../../src/core/render/escape.ts';
import { contextFor, createRuntime } from '../../../src/core/runtime.ts';
import { type FeedWatcher, startFeedWatcher } from '../../../src/updates/feeds/feed-watcher.ts';
import { type FeedConfig, parseFeeds } from '../../../src/updates/feeds/feeds-config.ts';
import { createHttpGetter } from '../../../src/updates/feeds/http-get.ts';
import { feedRegistry } from '../../../src/updates/feeds/registry.ts';
import { serveLiveData } from '../../../src/updates/serve-live-data.ts';
import type { SharedStore, SharedSubscriptionStore } from '../../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService, type UpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import { CHANNEL_ID, DiscordStandIn, GUILD_ID, TOKEN } from '../../adapters/discord/discord-stand-in.ts';
import {
  embedText,
  interactionPayload,
  quotedParagraph,
  recordingLog,
  unescapeDiscord,
} from '../../adapters/discord/harness.ts';
import {
  BOT_TOKEN,
  type FakeSlack,
  fixture,
  postCommand,
  quotedText,
  SIGNING_SECRET,
  startFakeSlack,
  waitFor,
} from '../../adapters/slack/harness.ts';
import { Clock, tempWorkspace } from '../../e2e/helpers.ts';
import { type FeedServer, startFeedServer } from './feed-server.ts';
import { FEED, IRAN, NEVADA, NEVADA_ID, PUBLISHER } from './poll-helpers.ts';

const TEAM = 'T0THREAT1';
const SLACK_CHANNEL = 'C0FEEDS01';
const clock = new Clock();
const workspace = tempWorkspace();
const loaded: Corpus[] = [];
const logs: string[] = [];
let newsroom: FeedServer;
let fake: FakeSlack;
let standIn: DiscordStandIn;
let port: number;
let bot: {
  runtime: ReturnType<typeof createRuntime>;
  store: SharedSubscriptionStore;
  service: UpdateService;
  feeds: FeedWatcher;
  stop(): Promise<void>;
};

/** Starts the bot as src/main.ts does, with the feed watcher polled by hand (its timer is far off). */
async function startBot(feeds: FeedConfig[], shared: SharedStore): Promise<typeof bot> {
  const store = shared.subscriptions;
  const state = shared.feeds;
  const runtime = createRuntime(createAnswerEngine(loadCorpus(workspace.dataDir)), commands, {
    subscriptions: store,
    feeds: feedRegistry(feeds, state),
  });
  const slack = createSlackAdapter({
    runtime,
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl },
    log: (m) => logs.push(m),
  });
  port = (await slack.start()).port as number;
  const discord = createDiscordAdapter({
    runtime,
    config: { token: TOKEN, apiUrl: standIn.apiUrl, rest: { retries: 1, timeout: 3000 } },
    log: recordingLog(),
  });
  await discord.start();
  const service = createUpdateService({
    store,
    senders: [slack.sender, discord.sender],
    engine: runtime.engine,
    now: clock.now,
    random: () => 0.5,
    log: (m) => logs.push(m),
  });
  await service.catchUp(runtime.engine().corpus);
  const watch = serveLiveData({
    dir: workspace.dataDir,
    runtime,
    updates: service,
    onReload: (next) => loaded.push(next),
    onError: (error) => logs.push(error.message),
  });
  const watcher = startFeedWatcher({
    feeds,
    state,
    http: createHttpGetter(),
    dataDir: workspace.dataDir,
    maxFailures: 3,
    intervalMs: 3_600_000,
    startDelayMs: 3_600_000,
    log: (line) => logs.push(line),
  });
  return {
    runtime,
    store,
    service,
    feeds: watcher,
    async stop() {
      await watcher.stop();
      watch.stop();
      await service.stop();
      await Promise.allSettled([slack.stop(), discord.stop()]);
    },
  };
}

let shared: SharedStore;

beforeAll(async () => {
  newsroom = await startFeedServer();
  newsroom.fixture(FEED, 'poll/newsroom.xml');
  newsroom.fixture(NEVADA, 'poll/statement-nevada-video.html');
  newsroom.fixture(IRAN, 'poll/statement-iran-spoofed-sites.html');
  fake = await startFakeSlack();
  standIn = await DiscordStandIn.start();
  shared = await openSqliteSharedStore(workspace.dbPath, { now: clock.now });
  const feeds = parseFeeds([{ url: newsroom.url(FEED), publisher: PUBLISHER }], 'test feeds');
  bot = await startBot(feeds, shared);
});

afterAll(async () => {
  await bot?.stop();
  await shared?.close();
  await standIn?.close();
  await fake?.close();
  await newsroom?.close();
  workspace.remove();
});

let nextId = 0;
async function slackSlash(name: string, text: string): Promise<Record<string, unknown>> {
  const id = `feeds-e2e-${++nextId}`;
  const fields: Record<string, string> = {
    ...fixture<Record<string, string>>('slash-command-ask.json'),
    command: `/${name}`,
    text,
    team_id: TEAM,
    channel_id: SLACK_CHANNEL,
    response_url: fake.responseUrl(id),
  };
  expect((await postCommand(port, fields)).status).toBe(200);
  return waitFor(`the answer to /${name}`, () => fake.responses.find((r) => r.id === id)?.body);
}

async function discordSlash(name: string): Promise<string> {
  const payload = interactionPayload(name, []);
  standIn.dispatch('INTERACTION_CREATE', payload);
  const [edit] = await standIn.waitFor((r) => r.method === 'PATCH' && r.path.includes(`/${payload.token}/`));
  return unescapeDiscord(embedText((edit?.body.embeds ?? []) as APIEmbed[]));
}

const slackPosts = () => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === SLACK_CHANNEL);
const discordPosts = () => standIn.find((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);

describe('a statement from a newsroom feed, end to end', () => {
  it('a Slack channel and a Discord channel subscribe through their adapters', async () => {
    expect(String((await slackSlash('subscribe', '')).text)).toMatch(/now subscribed to every new assessment/);
    expect(await discordSlash('subscribe')).toMatch(/now subscribed to every new assessment/);
    expect(await bot.store.list({ platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID })).toHaveLength(1);
  });

  it('a poll adds the statement, and each channel gets exactly one notification citing it', async () => {
    const [result] = await bot.feeds.pollNow();
    expect(result?.documents.map((d) => d.id)).toEqual([NEVADA_ID]);
    const corpus = await waitFor('the reload with the statement and its claims', () => {
      const last = loaded.at(-1);
      return last?.claims.some((c) => c.source === NEVADA_ID) ? last : undefined;
    });
    clock.advance(2_000);
    expect(await bot.service.runOnce()).toMatchObject({ messages: 2, failures: 0 });

    const paragraph = corpus.sources.get(NEVADA_ID)?.paragraphs[0]?.text as string;
    expect(slackPosts()).toHaveLength(1);
    expect(quotedText(slackPosts()[0]?.args.blocks)).toContain(escapeSlackText(paragraph).replace(/\s+/g, ' '));
    expect(discordPosts()).toHaveLength(1);
    const embeds = discordPosts()[0]?.body.embeds as APIEmbed[];
    const cited = embeds.find((e) => e.footer?.text.startsWith(`${NEVADA_ID}#1`));
    expect(cited && quotedParagraph(cited)).toBe(paragraph);
  });

  it('the next poll finds nothing new, and nobody is told again', async () => {
    const [result] = await bot.feeds.pollNow();
    expect(result?.status).toBe('unchanged');
    clock.advance(60_000);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(slackPosts()).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
    expect(newsroom.requestsTo(NEVADA)).toHaveLength(1);
  });

  it('a question about the statement is answered from its paragraph, and /feeds shows what it added', async () => {
    const context = contextFor(bot.runtime, { platform: 'terminal', workspace: 'local', channel: 't', user: 'me' });
    const reply = await respondToLine('Who made the fake video of ballots being shredded in Nevada?', context);
    expect(reply.found).toBe(true);
    expect(reply.citations[0]).toMatchObject({ source: NEVADA_ID, paragraph: 1, url: newsroom.url(NEVADA) });
    const feeds = await respondToLine('/feeds', context);
    expect(feeds.text).toContain(`last added ${NEVADA_ID}`);
    expect(feeds.text).toMatch(/; active$/);
  });
});
