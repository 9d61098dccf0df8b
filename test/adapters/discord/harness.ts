/**
 * A running Discord adapter against the loopback stand-in: the real corpus plus one fixture source
 * full of markup and mentions, the real commands, an in-memory subscription store, and a log that
 * records what the adapter said. Also builders for interaction payloads and helpers to read back
 * what Discord received.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIEmbed } from 'discord.js';
import { commands } from '../../../commands/index.ts';
import {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordLog,
} from '../../../src/adapters/discord/discord-adapter.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import type { AnyCommand } from '../../../src/core/commands/define-command.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { ZERO_WIDTH_SPACE } from '../../../src/core/render/escape.ts';
import { createRuntime, type Runtime } from '../../../src/core/runtime.ts';
import { dataDir, MemorySubscriptions } from '../../commands/setup.ts';
import { DiscordStandIn, fixture, type StandInGuild, type StandInOptions, TOKEN } from './discord-stand-in.ts';

const extraData = fileURLToPath(new URL('../../fixtures/discord/data-extra', import.meta.url));

/** The shipped data plus test/fixtures/discord/data-extra, in a temp dir; returns it and its cleanup. */
export function corpusWithHostileSource(): { dir: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-discord-'));
  const dir = path.join(root, 'data');
  fs.cpSync(dataDir, dir, { recursive: true });
  fs.cpSync(extraData, dir, { recursive: true });
  return { dir, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A DiscordLog that keeps every line. */
export function recordingLog(): DiscordLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}

export interface Harness {
  standIn: DiscordStandIn;
  adapter: DiscordAdapter;
  runtime: Runtime;
  log: ReturnType<typeof recordingLog>;
  close(): Promise<void>;
}

/** Starts the stand-in and an adapter logged in to it. */
export async function startHarness(
  options: { extraCommands?: AnyCommand[]; messageContent?: boolean; standIn?: StandInOptions; token?: string } = {},
): Promise<Harness> {
  const data = corpusWithHostileSource();
  const runtime = createRuntime(
    createAnswerEngine(loadCorpus(data.dir)),
    [...commands, ...(options.extraCommands ?? [])],
    { subscriptions: new MemorySubscriptions() },
  );
  const standIn = await DiscordStandIn.start(options.standIn);
  const log = recordingLog();
  const adapter = createDiscordAdapter({
    runtime,
    config: {
      token: options.token ?? TOKEN,
      apiUrl: standIn.apiUrl,
      messageContent: options.messageContent,
      rest: { retries: 1, timeout: 3000 },
    },
    log,
  });
  try {
    await adapter.start();
  } catch (error) {
    await standIn.close();
    data.remove();
    throw error;
  }
  return {
    standIn,
    adapter,
    runtime,
    log,
    close: async () => {
      await adapter.stop();
      await standIn.close();
      data.remove();
    },
  };
}

let counter = 0;

/** An INTERACTION_CREATE payload for `/name options…` (type 2), or its autocomplete (type 4). */
export function interactionPayload(
  name: string,
  options: { name: string; value: string; focused?: boolean }[],
  kind: 'command' | 'autocomplete' = 'command',
): Record<string, unknown> & { id: string; token: string } {
  counter += 1;
  const base = fixture(kind === 'command' ? 'interaction-command.json' : 'interaction-autocomplete.json');
  const id = `15000000000000${String(10000 + counter).padStart(5, '0')}`;
  return {
    ...base,
    id,
    token: `stand-in-token-${id}`,
    data: {
      ...(base.data as Record<string, unknown>),
      name,
      options: options.map((o) => ({ type: 3, ...o })),
    },
  };
}

/**
 * An INTERACTION_CREATE or MESSAGE_CREATE payload moved to another guild and its channel, so that
 * the stand-in routes it to that guild's shard.
 *
 * @example standIn.dispatch('INTERACTION_CREATE', inGuild(interactionPayload('ask', options), { id: GUILD_ID_2, channelId: CHANNEL_ID_2 }))
 */
export function inGuild<T extends Record<string, unknown>>(payload: T, guild: StandInGuild): T {
  const moved: Record<string, unknown> = { ...payload, guild_id: guild.id, channel_id: guild.channelId };
  if (payload.guild) moved.guild = { ...(payload.guild as object), id: guild.id };
  if (payload.channel) moved.channel = { ...(payload.channel as object), id: guild.channelId, guild_id: guild.id };
  if (payload.authorizing_integration_owners) moved.authorizing_integration_owners = { 0: guild.id };
  return moved as T;
}

/** Everything visible in a set of embeds, as one string. */
export function embedText(embeds: APIEmbed[]): string {
  return embeds
    .flatMap((e) => [
      e.title,
      e.description,
      e.footer?.text,
      e.author?.name,
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ])
    .filter(Boolean)
    .join('\n');
}

/** Undoes escapeDiscordMarkdown (backslash escapes, zero-width spaces), to compare with corpus text. */
export function unescapeDiscord(s: string): string {
  return s.replace(/\\([\\*_~`|[\]()>#+\-.])/g, '$1').replaceAll(ZERO_WIDTH_SPACE, '');
}

/** The quoted paragraph of a citation embed, without quote marks and escapes. */
export function quotedParagraph(embed: APIEmbed): string {
  const lines = (embed.description ?? '').split('\n').filter((l) => l.startsWith('> '));
  // Highlight marks (`**word**`, unescaped) go first; escaped stars are corpus text.
  return unescapeDiscord(lines.map((l) => l.slice(2).replace(/(?<!\\)\*\*/g, '')).join('\n'));
}
