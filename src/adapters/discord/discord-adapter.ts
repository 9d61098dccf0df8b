/**
 * The Discord adapter: discord.js 14 over the gateway. It answers slash commands and their
 * autocomplete, and questions asked by mentioning the bot or in a DM; it provides the sender for
 * update notifications. Nothing Discord does crashes the process: a bad token or a refused intent
 * fails `start()` with a message saying what to do, and every later failure is logged the same way.
 */
import { Client, type ClientOptions, GatewayIntentBits, Partials } from 'discord.js';
import type { Runtime } from '../../core/runtime.ts';
import type { PlatformSender } from '../../updates/subscriptions/sender.ts';
import { createDiscordSender } from './discord-sender.ts';
import { explainDiscordError, isDiscordError } from './explain-error.ts';
import { type DiscordLog, handleInteraction } from './handle-interaction.ts';
import { handleMessage } from './handle-message.ts';
import { inviteUrl } from './registration.ts';
import { NO_MENTIONS } from './render-embeds.ts';
import { type DiscordRestTuning, restOptions } from './rest-options.ts';

export type { DiscordLog } from './handle-interaction.ts';

/** Discord settings, from DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL and DISCORD_SHARDS. */
export interface DiscordAdapterConfig {
  token: string;
  /** When set, checked against the application the token belongs to. */
  applicationId?: string;
  /** REST base without the version (a REST proxy; tests use a loopback server). */
  apiUrl?: string;
  /**
   * Ask for the privileged Message Content intent (enable it in the Developer Portal first). Only
   * needed to answer replies to the bot that do not ping it; mentions and DMs work without it.
   */
  messageContent?: boolean;
  /** REST retries and timeout (tests make them small). */
  rest?: DiscordRestTuning;
  /**
   * Gateway shards, all in this process (discord.js's internal sharding): `'auto'` opens as many as
   * Discord recommends (GET /gateway/bot), a number N opens shards 0 to N-1. Unset: one connection,
   * discord.js's default. Discord requires sharding from 2,500 servers. See docs/scaling.md.
   */
  shards?: 'auto' | number;
  /**
   * The shards this process opens, of `shards` (which must then be a number, the same in every
   * process): several processes share one bot's gateway traffic. Unset: all of them.
   */
  shardIds?: readonly number[];
}

export interface DiscordAdapterOptions {
  runtime: Runtime;
  config: DiscordAdapterConfig;
  log?: DiscordLog;
}

export interface DiscordAdapter {
  /** Connects to the gateway; resolves once Discord accepted the session. Rejects (after logging why) on a bad token or a refused intent. */
  start(): Promise<void>;
  /** Disconnects. */
  stop(): Promise<void>;
  /** Posts update notifications; works without `start()`. */
  sender: PlatformSender;
}

/** Logs to stderr (stdout may be the terminal REPL); unexpected errors also get their stack. */
const consoleLog: DiscordLog = {
  info: (m) => console.error(m),
  warn: (m) => console.error(m),
  error: (m, e) => (e instanceof Error && !isDiscordError(e) ? console.error(m, e) : console.error(m)),
};

/**
 * discord.js Client options for `shards` (and `shardIds`, a part of them): none when unset, so
 * that discord.js's default applies.
 *
 * @example shardOptions(2) // { shards: [0, 1], shardCount: 2 }
 * @example shardOptions(4, [2, 3]) // { shards: [2, 3], shardCount: 4 }
 */
export function shardOptions(
  shards: 'auto' | number | undefined,
  shardIds?: readonly number[],
): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (shardIds !== undefined) {
    if (typeof shards !== 'number') {
      throw new Error(
        'discord: DISCORD_SHARD_IDS needs DISCORD_SHARDS set to the number of shards, the same in every process',
      );
    }
    const outside = shardIds.filter((id) => !Number.isInteger(id) || id < 0 || id >= shards);
    if (shardIds.length === 0 || outside.length > 0) {
      throw new Error(
        `discord: DISCORD_SHARD_IDS must name shards from 0 to ${shards - 1} (DISCORD_SHARDS=${shards}), got ${shardIds.join(',') || 'none'}`,
      );
    }
    return { shards: [...new Set(shardIds)].sort((a, b) => a - b), shardCount: shards };
  }
  if (shards === undefined) return {};
  if (shards === 'auto') return { shards: 'auto' };
  if (!Number.isInteger(shards) || shards < 1) {
    throw new Error(`discord: shards must be 'auto' or a whole number of at least 1, got ${String(shards)}`);
  }
  return { shards: Array.from({ length: shards }, (_, i) => i), shardCount: shards };
}

/**
 * The shard ids DISCORD_SHARD_IDS names: ranges and single ids, comma-separated.
 *
 * @example parseShardIds('0-2,5') // [0, 1, 2, 5]
 */
export function parseShardIds(spec: string): number[] {
  const ids: number[] = [];
  for (const part of spec.split(',')) {
    const [from, to = from] = part.split('-').map((n) => Number.parseInt(n, 10)) as [number, number?];
    if (to < from) throw new Error(`discord: DISCORD_SHARD_IDS range ${part} runs backwards`);
    for (let id = from; id <= to; id++) ids.push(id);
  }
  return ids;
}

/** After this long without a session, say what is going on (discord.js keeps trying). */
const SLOW_LOGIN_MS = 20_000;

/**
 * @example
 * const discord = createDiscordAdapter({ runtime, config: { token: config.DISCORD_TOKEN } });
 * await discord.start();
 */
export function createDiscordAdapter({ runtime, config, log = consoleLog }: DiscordAdapterOptions): DiscordAdapter {
  const messageContent = config.messageContent === true;
  const sharding = shardOptions(config.shards, config.shardIds);
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
    ...(messageContent ? [GatewayIntentBits.MessageContent] : []),
  ];
  let client: Client | undefined;

  function wire(c: Client): void {
    const deps = { runtime, log, messageContent };
    c.on('interactionCreate', (interaction) => void handleInteraction(interaction, deps));
    c.on('messageCreate', (message) => void handleMessage(message, deps));
    c.on('clientReady', (ready) => {
      const app = ready.application.id;
      const over =
        config.shards === undefined
          ? ''
          : ` over ${ready.ws.shards.size} shards (DISCORD_SHARDS=${config.shards}${config.shardIds ? `, DISCORD_SHARD_IDS=${config.shardIds.join(',')}` : ''})`;
      log.info(`discord: connected as ${ready.user.tag}${over}; invite it with ${inviteUrl(app)}`);
      if (config.applicationId && config.applicationId !== app) {
        log.warn(
          `discord: DISCORD_APPLICATION_ID is ${config.applicationId} but the token belongs to application ${app}; npm run register would register the commands for another application. Set DISCORD_APPLICATION_ID=${app}.`,
        );
      }
    });
    c.on('error', (error) => log.error(explainDiscordError(error, 'gateway'), error));
    c.on('warn', (message) => log.warn(`discord: ${message}`));
    c.on('shardError', (error, shard) => log.warn(explainDiscordError(error, `gateway connection ${shard}`)));
    c.on('shardDisconnect', (event, shard) =>
      log.error(
        `discord: gateway connection ${shard} closed with code ${event.code} and will not reconnect; restart the bot once the cause is fixed (4004: bad DISCORD_TOKEN; 4011: sharding required, set DISCORD_SHARDS=auto; 4014: privileged intent not enabled in the Developer Portal).`,
      ),
    );
    c.on('shardReconnecting', (shard) => log.info(`discord: gateway connection ${shard} lost; reconnecting.`));
    c.rest.on('rateLimited', (info) =>
      log.warn(
        `discord: rate limited on ${info.method.toUpperCase()} ${info.route} for ${info.timeToReset} ms (${info.global ? 'global' : 'per route'}); discord.js waits and retries. Frequent warnings mean the bot sends too much.`,
      ),
    );
    c.rest.on('response', (request, response) => {
      if (response.status === 429) {
        const wait = response.headers.get('retry-after');
        log.warn(
          `discord: 429 rate limited on ${request.method.toUpperCase()} ${request.route}${wait ? `; Retry-After ${wait} s` : ''}. discord.js waits and retries; frequent 429s mean the bot sends too much.`,
        );
      } else if (response.status >= 500) {
        log.warn(
          `discord: Discord answered ${response.status} on ${request.method.toUpperCase()} ${request.route} (attempt ${request.retries + 1}); discord.js retries. If it persists, see https://discordstatus.com.`,
        );
      }
    });
    c.rest.on('invalidRequestWarning', (info) =>
      log.warn(
        `discord: ${info.count} refused requests (401/403/429) in the last 10 minutes; Discord bans an IP for a while at 10,000. Check the bot's permissions in its channels.`,
      ),
    );
  }

  return {
    sender: createDiscordSender({ token: config.token, apiUrl: config.apiUrl, rest: config.rest }),
    async start() {
      if (client) throw new Error('discord: start() called twice');
      const c = new Client({
        intents,
        // DMs arrive for channels discord.js has not cached; without this it drops them.
        partials: [Partials.Channel],
        // Every 500 refused requests, a warning (below): Discord bans an IP that reaches 10,000.
        rest: { ...restOptions(config.apiUrl, config.rest), invalidRequestWarningInterval: 500 },
        allowedMentions: NO_MENTIONS,
        ...sharding,
      });
      client = c;
      wire(c);
      const slow = setTimeout(
        () => log.warn('discord: still connecting to the gateway; check the network (discord.js keeps trying).'),
        SLOW_LOGIN_MS,
      );
      slow.unref();
      try {
        await c.login(config.token);
      } catch (error) {
        client = undefined;
        void c.destroy();
        const message = explainDiscordError(error, 'logging in');
        log.error(message);
        throw new Error(message, { cause: error });
      } finally {
        clearTimeout(slow);
      }
    },
    async stop() {
      const c = client;
      client = undefined;
      await c?.destroy();
    },
  };
}
