/**
 * Logging in over the loopback gateway: what Discord refuses at start (a bad token, a privileged
 * intent not enabled) fails `start()` with what to do and crashes nothing; with the optional
 * Message Content intent, replies to the bot are answered without a ping.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/discord-adapter.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { engine } from '../../commands/setup.ts';
import { DiscordStandIn, fixture, type RecordedRequest, type StandInOptions, TOKEN } from './discord-stand-in.ts';
import { embedText, type Harness, recordingLog, startHarness } from './harness.ts';

const runtime = createRuntime(engine, commands);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function standIn(options: StandInOptions = {}) {
  const s = await DiscordStandIn.start(options);
  cleanups.push(() => s.close());
  return s;
}

describe('Discord login', () => {
  it('a token Discord rejects (401) fails start with how to fix DISCORD_TOKEN, and logs it', async () => {
    const s = await standIn();
    const log = recordingLog();
    const adapter = createDiscordAdapter({
      runtime,
      config: { token: 'not-the-token', apiUrl: s.apiUrl, rest: { retries: 0, timeout: 3000 } },
      log,
    });
    await expect(adapter.start()).rejects.toThrow(/Discord rejected the bot token.*DISCORD_TOKEN/);
    expect(s.find((r) => r.path === '/gateway/bot')[0]?.headers.authorization).toBe('Bot not-the-token');
    expect(log.lines).toContainEqual({ level: 'error', message: expect.stringMatching(/logging in: .*Reset it/) });
    await adapter.stop();
  });

  it('the Message Content intent refused by Discord (close 4014) fails start with where to enable it', async () => {
    const s = await standIn({ closeOnIdentify: 4014 });
    const log = recordingLog();
    const adapter = createDiscordAdapter({
      runtime,
      config: { token: TOKEN, apiUrl: s.apiUrl, messageContent: true, rest: { retries: 0, timeout: 3000 } },
      log,
    });
    await expect(adapter.start()).rejects.toThrow(/Message Content intent.*Developer Portal/);
    expect(Number(s.identifies[0]?.intents) & 32768).toBe(32768);
    expect(log.lines.some((l) => l.level === 'error' && /4014/.test(l.message))).toBe(true);
    await adapter.stop();
  });

  it('the REST base may be given with a trailing slash or version, as DISCORD_API_URL often is', async () => {
    const s = await standIn();
    const adapter = createDiscordAdapter({
      runtime,
      config: { token: TOKEN, apiUrl: `${s.apiUrl}/v10/`, rest: { retries: 0, timeout: 3000 } },
      log: recordingLog(),
    });
    cleanups.push(() => adapter.stop());
    await adapter.start();
    expect(s.find((r) => r.path === '/gateway/bot')).toHaveLength(1);
  });
});

describe('Discord with the Message Content intent', () => {
  let h: Harness;
  it('identifies with Message Content, and answers a reply to the bot that does not ping it', async () => {
    h = await startHarness({ messageContent: true });
    cleanups.push(() => h.close());
    expect(Number(h.standIn.identifies[0]?.intents) & 32768).toBe(32768);
    const mention = fixture<Record<string, unknown>>('message-mention.json');
    const botMessage = { ...mention, id: '1700000000000000500', author: fixture<{ user: unknown }>('ready.json').user };
    const reply = {
      ...mention,
      id: '1700000000000000501',
      type: 19,
      content: 'and what about Iran?',
      mentions: [],
      message_reference: {
        type: 0,
        message_id: botMessage.id,
        channel_id: mention.channel_id,
        guild_id: mention.guild_id,
      },
      referenced_message: { ...botMessage, mentions: [] },
    };
    h.standIn.dispatch('MESSAGE_CREATE', reply);
    const answered = (r: RecordedRequest) => r.body?.message_reference?.message_id === reply.id;
    const [r] = await h.standIn.waitFor(answered);
    expect(r?.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(embedText(r?.body.embeds as APIEmbed[])).toMatch(/Iran/);
  });
});
