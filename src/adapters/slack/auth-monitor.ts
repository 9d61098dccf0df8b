/**
 * Learning who the bot is (`auth.test`) without making start-up depend on the Slack API: the check
 * runs in the background and is retried with exponential backoff while the API is unreachable, with
 * a log line on the 1st, 2nd, 4th, 8th… failure only. A rejected token is reported once and not
 * retried. Until the check succeeds, slash commands still work (they answer through `response_url`);
 * the bot's user id is then taken from each event's `authorizations`.
 */
import type { webApi } from '@slack/bolt';
import { describeSlackError, slackErrorCode } from './slack-errors.ts';

/** What `auth.test` says about the bot; empty until it succeeded. */
export interface BotIdentity {
  userId?: string;
  botId?: string;
  teamId?: string;
}

export interface AuthMonitorOptions {
  client: webApi.WebClient;
  token: string;
  log: (message: string) => void;
  /** First retry delay in ms (default 1,000); doubles after each failure. */
  minDelayMs?: number;
  /** Longest delay between attempts in ms (default 300,000: five minutes). */
  maxDelayMs?: number;
  /** Added to the unreachable report: what still works meanwhile. */
  meanwhile?: string;
}

export interface AuthMonitor {
  identity(): BotIdentity;
  /** Resolves once `auth.test` succeeded or the token was rejected (it may never, while Slack is unreachable). */
  settled: Promise<void>;
  /** Stops retrying. */
  stop(): void;
}

/** Errors that retrying cannot fix: the token itself is bad. */
const TOKEN_REJECTED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/**
 * Starts checking the bot token in the background.
 *
 * @example const auth = monitorAuth({ client, token, log: console.error }); auth.identity().userId
 */
export function monitorAuth(options: AuthMonitorOptions): AuthMonitor {
  const { client, token, log, minDelayMs = 1_000, maxDelayMs = 300_000, meanwhile } = options;
  let identity: BotIdentity = {};
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const attempt = async (): Promise<void> => {
    timer = undefined;
    if (stopped) return;
    try {
      const result = await client.auth.test({ token });
      if (stopped) return;
      identity = { userId: result.user_id, botId: result.bot_id, teamId: result.team_id };
      const again = failures > 0 ? ` after ${failures} failed ${failures === 1 ? 'attempt' : 'attempts'}` : '';
      log(
        `slack: signed in to the Slack API as bot user ${result.user_id ?? '?'} (team ${result.team_id ?? '?'})${again}.`,
      );
      settle();
    } catch (error) {
      if (stopped) return;
      const code = slackErrorCode(error);
      if (code && TOKEN_REJECTED.has(code)) {
        log(
          `slack: Slack rejected SLACK_BOT_TOKEN (${code}). Set the bot token (xoxb-…) from your app's OAuth & Permissions page and restart; mentions, DMs and notifications cannot be sent until then.`,
        );
        settle();
        return;
      }
      failures += 1;
      const delay = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(failures - 1, 30));
      if ((failures & (failures - 1)) === 0) {
        log(
          `slack: cannot reach the Slack API (${describeSlackError(error)}); attempt ${failures}, retrying in ${formatDelay(delay)}.${meanwhile ? ` ${meanwhile}` : ''}`,
        );
      }
      timer = setTimeout(attempt, delay);
      timer.unref();
    }
  };
  void attempt();

  return {
    identity: () => identity,
    settled,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** A delay for people: `250 ms`, `4 s`, `5 min`. */
export function formatDelay(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
