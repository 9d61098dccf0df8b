/**
 * DISCORD_SHARDS end to end: the configuration is read with `readConfig`, the adapters are started
 * by `startPlatformAdapters` as `npm start` does, and the real discord.js client connects to the
 * loopback stand-in, which routes each guild's events to its shard as Discord does. The tests
 * assert on what Discord saw: which shards identified, and the answers sent over REST.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createDiscordAdapter, parseShardIds } from '../../../src/adapters/discord/discord-adapter.ts';
import { ConfigError, readConfig } from '../../../src/core/config.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { startPlatformAdapters } from '../../../src/start-adapters.ts';
import type { PlatformSender } from '../../../src/updates/subscriptions/sender.ts';
import { engine } from '../../commands/setup.ts';
import {
  CHANNEL_ID,
  CHANNEL_ID_2,
  DiscordStandIn,
  fixture,
  GUILD_ID,
  GUILD_ID_2,
  type RecordedRequest,
  type StandInOptions,
  shardOf,
  TOKEN,
} from './discord-stand-in.ts';
import { embedText, inGuild, interactionPayload, recordingLog, unescapeDiscord } from './harness.ts';

const runtime = createRuntime(engine, commands);
const guild1 = { id: GUILD_ID, channelId: CHANNEL_ID };
const guild2 = { id: GUILD_ID_2, channelId: CHANNEL_ID_2 };
/** Two guilds on different shards of 2, and enough identify concurrency to connect both at once. */
const twoGuilds: StandInOptions = { guilds: [guild1, guild2], maxConcurrency: 2 };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Bot {
  standIn: DiscordStandIn;
  lines: string[];
  /** Resolves once a log line matches `pattern`. */
  logged(pattern: RegExp): Promise<string>;
}

/** The stand-in, and the bot started from `env` as `npm start` starts it (Discord only). */
async function startBot(
  env: Record<string, string>,
  options: StandInOptions = twoGuilds,
  shared?: DiscordStandIn,
): Promise<Bot & { senders: PlatformSender[] }> {
  const standIn = shared ?? (await DiscordStandIn.start(options));
  if (!shared) cleanups.push(() => standIn.close());
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const log = (message: string) => {
    lines.push(message);
    for (const check of [...waiters]) check();
  };
  const config = readConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: standIn.apiUrl, ...env });
  const { adapters, senders } = await startPlatformAdapters(runtime, config, log);
  cleanups.push(async () => {
    for (const adapter of adapters) await adapter.stop();
  });
  const logged = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`test: no log line matching ${pattern}; got:\n  ${lines.join('\n  ')}`));
      }, 15_000);
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(line);
      };
      waiters.add(check);
      check();
    });
  return { standIn, lines, logged, senders };
}

/** Dispatches `/ask` from `guild` as Discord would (to the guild's shard); returns what Discord received for it. */
async function ask(standIn: DiscordStandIn, guild: { id: string; channelId: string }, question: string) {
  const payload = inGuild(interactionPayload('ask', [{ name: 'question', value: question }]), guild);
  standIn.dispatch('INTERACTION_CREATE', payload);
  const mine = (r: RecordedRequest) => r.path.includes(`/${payload.token}`);
  await standIn.waitFor((r) => mine(r) && r.method === 'PATCH');
  return { payload, requests: standIn.find(mine) };
}

/** The shards the connections identified as, `[id, count]`, sorted. */
const identifiedShards = (standIn: DiscordStandIn) =>
  standIn.sessions.map((s) => s.shard).sort((a, b) => (a?.[0] ?? 0) - (b?.[0] ?? 0));

/** The dispatch types each open shard's connection received, by shard id. */
const receivedOn = (standIn: DiscordStandIn, shard: number, t: string) =>
  standIn.sessions.filter((s) => s.shard?.[0] === shard).flatMap((s) => s.dispatched.filter((d) => d.t === t));

describe('Discord sharding (DISCORD_SHARDS)', () => {
  it('the stand-in routes the two test guilds to different shards of 2, as Discord does', () => {
    expect(shardOf(GUILD_ID_2, 2)).toBe(0);
    expect(shardOf(GUILD_ID, 2)).toBe(1);
  });

  describe('DISCORD_SHARDS=2', () => {
    let bot: Bot;
    it('opens two gateway connections, identified as shards [0, 2] and [1, 2], each given only its own guild', async () => {
      bot = await startBot({ DISCORD_SHARDS: '2' });
      await bot.logged(/^Discord: connected$/);
      expect(await bot.logged(/connected as/)).toMatch(/over 2 shards \(DISCORD_SHARDS=2\)/);
      expect(identifiedShards(bot.standIn)).toEqual([
        [0, 2],
        [1, 2],
      ]);
      const guildCreates = (shard: number) => receivedOn(bot.standIn, shard, 'GUILD_CREATE').map((d) => d.d);
      expect(guildCreates(0)).toEqual([expect.objectContaining({ id: GUILD_ID_2 })]);
      expect(guildCreates(1)).toEqual([expect.objectContaining({ id: GUILD_ID })]);
    });

    it("answers /ask from a guild on shard 0 and from one on shard 1, each through Discord's interaction callback", async () => {
      for (const [guild, shard] of [
        [guild2, 0],
        [guild1, 1],
      ] as const) {
        const { payload, requests } = await ask(bot.standIn, guild, "what is Russia's preference");
        // The interaction reached only the connection of its guild's shard.
        expect(receivedOn(bot.standIn, shard, 'INTERACTION_CREATE').map((d) => d.d)).toContainEqual(payload);
        expect(receivedOn(bot.standIn, 1 - shard, 'INTERACTION_CREATE').map((d) => d.d)).not.toContainEqual(payload);
        expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
          `POST /interactions/${payload.id}/${payload.token}/callback`,
          `PATCH /webhooks/${payload.application_id}/${payload.token}/messages/@original`,
        ]);
        expect(requests[0]?.body).toEqual({ type: 5, data: { flags: 0 } });
        expect(unescapeDiscord(embedText(requests[1]?.body.embeds as APIEmbed[]))).toMatch(/Russia/);
      }
    });

    it('answers a mention in the guild on shard 1 and a DM, which Discord sends to shard 0', async () => {
      type Message = Record<string, unknown> & { channel_id: string };
      const mention = { ...fixture<Message>('message-mention.json'), id: '1700000000000000901' };
      const dm = { ...fixture<Message>('message-dm.json'), id: '1700000000000000902' };
      bot.standIn.dispatch('MESSAGE_CREATE', mention);
      bot.standIn.dispatch('MESSAGE_CREATE', dm);
      expect(receivedOn(bot.standIn, 1, 'MESSAGE_CREATE').map((d) => d.d)).toEqual([mention]);
      expect(receivedOn(bot.standIn, 0, 'MESSAGE_CREATE').map((d) => d.d)).toEqual([dm]);
      for (const m of [mention, dm]) {
        const [reply] = await bot.standIn.waitFor(
          (r) => r.method === 'POST' && r.body?.message_reference?.message_id === m.id,
        );
        expect(reply?.path).toBe(`/channels/${m.channel_id}/messages`);
        expect(reply?.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      }
    });
  });

  it('DISCORD_SHARDS=auto opens the count Discord recommends in GET /gateway/bot (2), and answers on both', async () => {
    // A bot Discord requires to shard: one connection for all its guilds would be closed with 4011.
    const bot = await startBot({ DISCORD_SHARDS: 'auto' }, { ...twoGuilds, recommendedShards: 2, minShards: 2 });
    expect(await bot.logged(/connected as/)).toMatch(/over 2 shards \(DISCORD_SHARDS=auto\)/);
    expect(bot.standIn.find((r) => r.method === 'GET' && r.path === '/gateway/bot').length).toBeGreaterThan(0);
    expect(identifiedShards(bot.standIn)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const guild of [guild2, guild1]) {
      const { requests } = await ask(bot.standIn, guild, 'who does Iran oppose');
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    }
  });

  it('DISCORD_SHARDS unset: one connection, identified as shard [0, 1] (discord.js always sends a shard array)', async () => {
    const bot = await startBot({}, { guilds: [guild1, guild2] });
    await bot.logged(/^Discord: connected$/);
    const line = await bot.logged(/connected as/);
    expect(line).not.toMatch(/shards/);
    expect(bot.standIn.sessions).toHaveLength(1);
    expect(bot.standIn.identifies.map((d) => d.shard)).toEqual([[0, 1]]);
    expect(receivedOn(bot.standIn, 0, 'GUILD_CREATE').map((d) => (d.d as { id: string }).id)).toEqual([
      GUILD_ID,
      GUILD_ID_2,
    ]);
    for (const guild of [guild2, guild1]) {
      const { requests } = await ask(bot.standIn, guild, "what is Russia's preference");
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    }
  });

  it('unset, when Discord requires sharding (close 4011), the log says to set DISCORD_SHARDS=auto', async () => {
    const bot = await startBot({}, { ...twoGuilds, recommendedShards: 2, minShards: 2 });
    await bot.logged(/^Discord: retrying in/);
    expect(bot.lines).toContainEqual(
      expect.stringMatching(/Discord requires sharding \(gateway close 4011\).*Set DISCORD_SHARDS=auto/),
    );
    expect(bot.standIn.identifies.map((d) => d.shard)).toEqual([[0, 1]]);
  });
});

describe('Discord shards over several processes (DISCORD_SHARD_IDS)', () => {
  it('two processes each open their own shard of 2, and each answers the guild on its shard', async () => {
    const standIn = await DiscordStandIn.start(twoGuilds);
    cleanups.push(() => standIn.close());
    const first = await startBot({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '0' }, twoGuilds, standIn);
    await first.logged(/^Discord: connected$/);
    const second = await startBot({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '1' }, twoGuilds, standIn);
    await second.logged(/^Discord: connected$/);
    expect(await second.logged(/connected as/)).toMatch(/over 1 shards \(DISCORD_SHARDS=2, DISCORD_SHARD_IDS=1\)/);
    expect(identifiedShards(standIn)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const guild of [guild2, guild1]) {
      const { requests } = await ask(standIn, guild, "what is Russia's preference");
      // One acknowledgement and one answer: only the process holding the guild's shard answered.
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    }
  });

  it('DISCORD_SHARD_IDS=none opens no gateway connection, and its sender still posts notifications', async () => {
    const bot = await startBot({ DISCORD_SHARD_IDS: 'none' });
    expect(bot.lines).toContain(
      'Discord: no gateway connection in this process (DISCORD_SHARD_IDS=none); notifications go out through REST',
    );
    expect(bot.standIn.sessions).toEqual([]);
    const [sender] = bot.senders;
    expect(sender?.platform).toBe('discord');
    await sender?.send(
      { platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID },
      makeReply({ title: 'New assessments', text: 'A notification.', found: true }),
      { idempotencyKey: 'o1-0123456789abcdef' },
    );
    const [posted] = await bot.standIn.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`,
    );
    expect(posted?.body.nonce).toBe('o1-0123456789abcdef');
    expect(bot.standIn.sessions).toEqual([]);
  });

  it('DISCORD_SHARD_IDS without a number of shards, or naming a shard beyond them, is refused with what to set', async () => {
    const noCount = await startBot({ DISCORD_SHARD_IDS: '1' });
    expect(noCount.lines).toContain(
      'Discord did not start: discord: DISCORD_SHARD_IDS needs DISCORD_SHARDS set to the number of shards, the same in every process',
    );
    const beyond = await startBot({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '1-2' });
    expect(beyond.lines).toContain(
      'Discord did not start: discord: DISCORD_SHARD_IDS must name shards from 0 to 1 (DISCORD_SHARDS=2), got 1,2',
    );
    expect([...noCount.standIn.sessions, ...beyond.standIn.sessions]).toEqual([]);
  });

  it('reads ranges and single ids, and refuses anything else in the configuration', () => {
    expect(parseShardIds('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(readConfig({ DISCORD_SHARD_IDS: 'none' }).DISCORD_SHARD_IDS).toBe('none');
    for (const value of ['all', '1-', 'a,b', '-1']) {
      expect(() => readConfig({ DISCORD_SHARD_IDS: value }), value).toThrow(/DISCORD_SHARD_IDS/);
    }
  });
});

describe('DISCORD_SHARDS configuration', () => {
  it('DISCORD_SHARDS=abc is a configuration error naming the variable and what a good value is', () => {
    for (const value of ['abc', '0', '2.5', '-1', '5000']) {
      let error: unknown;
      try {
        readConfig({ DISCORD_SHARDS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        `config: DISCORD_SHARDS must be auto, or a whole number of gateway shards from 1 to 1024, got "${value}". Fix it in .env or the environment (see .env.example).`,
      );
    }
  });

  it('DISCORD_SHARDS accepts auto and a whole number, and is unset when empty', () => {
    expect(readConfig({ DISCORD_SHARDS: 'auto' }).DISCORD_SHARDS).toBe('auto');
    expect(readConfig({ DISCORD_SHARDS: '16' }).DISCORD_SHARDS).toBe(16);
    expect(readConfig({ DISCORD_SHARDS: '' }).DISCORD_SHARDS).toBeUndefined();
  });

  it('the adapter refuses a shard count that is not a whole number of at least 1, before connecting', () => {
    for (const shards of [0, 1.5, -2]) {
      expect(() => createDiscordAdapter({ runtime, config: { token: TOKEN, shards }, log: recordingLog() })).toThrow(
        `discord: shards must be 'auto' or a whole number of at least 1, got ${shards}`,
      );
    }
  });
});
