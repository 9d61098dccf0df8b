/**
 * Starts the Slack and Discord adapters whose credentials are configured. A platform that fails to
 * start is reported and skipped; the others (and the terminal) keep running.
 */
import { createDiscordAdapter } from './adapters/discord/discord-adapter.ts';
import { createSlackAdapter } from './adapters/slack/slack-adapter.ts';
import type { Config } from './core/config.ts';
import type { Runtime } from './core/runtime.ts';
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

  if (config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) {
    try {
      const slack = createSlackAdapter({
        runtime,
        config: {
          botToken: config.SLACK_BOT_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET,
          appToken: config.SLACK_APP_TOKEN,
          port: config.SLACK_PORT,
          apiUrl: config.SLACK_API_URL,
        },
        log,
      });
      await slack.start();
      adapters.push({ name: 'Slack', stop: () => slack.stop() });
      senders.push(slack.sender);
    } catch (error) {
      log(`Slack did not start: ${(error as Error).message}`);
    }
  } else if (config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN) {
    log(
      'Slack needs SLACK_BOT_TOKEN plus SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode); not started',
    );
  }

  if (config.DISCORD_TOKEN) {
    const discord = createDiscordAdapter({
      runtime,
      config: {
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        apiUrl: config.DISCORD_API_URL,
        shards: config.DISCORD_SHARDS,
      },
      log: { info: log, warn: log, error: (message) => log(message) },
    });
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
