/**
 * Starts the Slack and Discord adapters whose credentials are configured. A platform that fails to
 * start is reported and skipped; the others (and the terminal) keep running.
 *
 * Slack runs in one of two modes: one workspace with SLACK_BOT_TOKEN, or many with SLACK_CLIENT_ID,
 * SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (Bolt's OAuth; installations kept in the store at
 * DATABASE_URL, else DB_PATH). When all three are set, multi-workspace mode wins.
 */
import { createDiscordAdapter, parseShardIds } from './adapters/discord/discord-adapter.ts';
import { createDiscordSender } from './adapters/discord/discord-sender.ts';
import { createSlackAdapter, type SlackAdapterConfig } from './adapters/slack/slack-adapter.ts';
import type { Config } from './core/config.ts';
import type { Runtime } from './core/runtime.ts';
import type { InstallationStore } from './updates/store/installations.ts';
import { openInstallationStore } from './updates/store/installations-open.ts';
import { openPgSeenEvents, type SeenEventsLedger } from './updates/store/seen-events-pg.ts';
import type { PlatformSender } from './updates/subscriptions/sender.ts';

/** A started platform adapter. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}

/**
 * @example const { adapters, senders } = await startPlatformAdapters(runtime, readConfig(), console.error);
 */
export async function startPlatformAdapters(
  runtime: Runtime,
  config: Config,
  log: (message: string) => void,
): Promise<{ adapters: RunningAdapter[]; senders: PlatformSender[] }> {
  const adapters: RunningAdapter[] = [];
  const senders: PlatformSender[] = [];

  const slack = await startSlack(runtime, config, log);
  if (slack) {
    adapters.push(slack.adapter);
    senders.push(slack.sender);
  }

  if (config.DISCORD_TOKEN && config.DISCORD_SHARD_IDS === 'none') {
    // Another process holds the gateway; this one still delivers the notifications it claims.
    senders.push(createDiscordSender({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL }));
    log('Discord: no gateway connection in this process (DISCORD_SHARD_IDS=none); notifications go out through REST');
  } else if (config.DISCORD_TOKEN) {
    let discord: ReturnType<typeof createDiscordAdapter>;
    try {
      discord = createDiscordAdapter({
        runtime,
        config: {
          token: config.DISCORD_TOKEN,
          applicationId: config.DISCORD_APPLICATION_ID,
          apiUrl: config.DISCORD_API_URL,
          shards: config.DISCORD_SHARDS,
          ...(config.DISCORD_SHARD_IDS ? { shardIds: parseShardIds(config.DISCORD_SHARD_IDS) } : {}),
        },
        log: { info: log, warn: log, error: (message) => log(message) },
      });
    } catch (error) {
      log(`Discord did not start: ${(error as Error).message}`);
      return { adapters, senders };
    }
    // The gateway may take long to answer while Discord is unreachable: do not hold up the others.
    // A failed login (already logged with what to do) is retried with backoff, so the bot comes up
    // once the network or the token is fixed, without a restart.
    let retry: NodeJS.Timeout | undefined;
    let stopped = false;
    const connect = (attempt: number): void => {
      discord.start().then(
        () => log('Discord: connected'),
        () => {
          if (stopped) return;
          const delay = Math.min(300_000, 5_000 * 2 ** attempt);
          log(`Discord: retrying in ${Math.round(delay / 1000)} s`);
          retry = setTimeout(() => connect(attempt + 1), delay);
        },
      );
    };
    connect(0);
    adapters.push({
      name: 'Discord',
      stop: async () => {
        stopped = true;
        clearTimeout(retry);
        await discord.stop();
      },
    });
    senders.push(discord.sender);
  }
  return { adapters, senders };
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

type StartedSlack = { adapter: RunningAdapter; sender: PlatformSender };

/**
 * Starts Slack in the mode the configuration asks for; undefined (with a line saying why) when it
 * asks for none or cannot start. With DATABASE_URL (several instances), the events seen are shared
 * through the database, so that a retried event reaching another instance is answered once.
 */
async function startSlack(
  runtime: Runtime,
  config: Config,
  log: (message: string) => void,
): Promise<StartedSlack | undefined> {
  const wanted = [config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, ...OAUTH_VARIABLES.map((n) => config[n])].some(
    Boolean,
  );
  let seenEvents: SeenEventsLedger | undefined;
  if (wanted && config.DATABASE_URL) {
    try {
      seenEvents = await openPgSeenEvents(config.DATABASE_URL, { log });
    } catch (error) {
      log(
        `Slack: cannot share seen events through DATABASE_URL (${(error as Error).message}); each instance remembers its own`,
      );
    }
  }
  const started = await startSlackMode(runtime, config, log, seenEvents);
  const ledger = seenEvents;
  return ledger ? closingWith(started, () => ledger.close()) : started;
}

/** `started`, calling `close` once it has stopped, or at once when it did not start. */
async function closingWith(
  started: StartedSlack | undefined,
  close: () => Promise<void>,
): Promise<StartedSlack | undefined> {
  if (!started) {
    await close();
    return undefined;
  }
  return {
    sender: started.sender,
    adapter: {
      name: started.adapter.name,
      stop: async () => {
        await started.adapter.stop();
        await close();
      },
    },
  };
}

async function startSlackMode(
  runtime: Runtime,
  config: Config,
  log: (message: string) => void,
  seenEvents: SeenEventsLedger | undefined,
): Promise<StartedSlack | undefined> {
  const missing = OAUTH_VARIABLES.filter((name) => !config[name]);
  const common = {
    ...(seenEvents ? { seenEvents } : {}),
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    port: config.SLACK_PORT,
    apiUrl: config.SLACK_API_URL,
  };
  if (missing.length === 0) {
    if (config.SLACK_BOT_TOKEN) log('Slack: multi-workspace mode (SLACK_CLIENT_ID…); SLACK_BOT_TOKEN is not used');
    let installations: InstallationStore;
    try {
      installations = await openInstallationStore({ databaseUrl: config.DATABASE_URL, dbPath: config.DB_PATH });
    } catch (error) {
      log(`Slack did not start: cannot open the installation store (${(error as Error).message})`);
      return undefined;
    }
    const oauth = {
      clientId: config.SLACK_CLIENT_ID as string,
      clientSecret: config.SLACK_CLIENT_SECRET as string,
      stateSecret: config.SLACK_STATE_SECRET as string,
      installations,
    };
    return closingWith(await startSlackAdapter(runtime, { ...common, oauth }, log), () => installations.close());
  }
  if (missing.length < OAUTH_VARIABLES.length) {
    const fallback = config.SLACK_BOT_TOKEN ? 'using SLACK_BOT_TOKEN for one workspace instead' : 'Slack not started';
    log(
      `Slack multi-workspace mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set (${fallback})`,
    );
  }
  if (config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) {
    return startSlackAdapter(runtime, { ...common, botToken: config.SLACK_BOT_TOKEN }, log);
  }
  if (config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN) {
    log(
      'Slack needs SLACK_BOT_TOKEN plus SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode); not started',
    );
  }
  return undefined;
}

/** Builds and starts the adapter; undefined, with the reason logged, when it cannot. */
async function startSlackAdapter(
  runtime: Runtime,
  config: SlackAdapterConfig,
  log: (message: string) => void,
): Promise<StartedSlack | undefined> {
  try {
    const slack = createSlackAdapter({ runtime, config, log });
    await slack.start();
    return { sender: slack.sender, adapter: { name: 'Slack', stop: () => slack.stop() } };
  } catch (error) {
    log(`Slack did not start: ${(error as Error).message}`);
    return undefined;
  }
}
