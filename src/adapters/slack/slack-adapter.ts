/**
 * The Slack adapter on @slack/bolt: HTTP mode (Bolt's HTTPReceiver on `POST /slack/events`, every
 * request's signature checked) or Socket Mode when an app-level token is given. Start-up never waits
 * for the Slack API: the bot token is checked in the background (see auth-monitor.ts), and a Socket
 * Mode connection that cannot be opened is retried with backoff.
 *
 * Two ways to hold tokens: one bot token for one workspace (SLACK_BOT_TOKEN), or multi-workspace
 * mode (`oauth`, see oauth.ts), where the app is installed through Bolt's OAuth flow and every
 * event, answer and notification uses the token of its own workspace from the installation store.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Runtime } from '../../core/runtime.ts';
import type { PlatformSender } from '../../updates/subscriptions/sender.ts';
import { formatDelay, monitorAuth } from './auth-monitor.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { registerListeners, type SlackLog } from './listeners.ts';
import { INSTALL_PATH, oauthReceiverOptions, registerUninstallListeners, type SlackOAuthConfig } from './oauth.ts';
import { RecentEvents, type SharedSeenEvents, seenAcrossInstances } from './recent-events.ts';
import { describeSlackError, slackErrorCode } from './slack-errors.ts';
import { createSlackSender } from './slack-sender.ts';

export type { SlackLog } from './listeners.ts';
export type { SlackOAuthConfig } from './oauth.ts';

/** The adapter's settings, from SLACK_* variables (see docs/design.md and the README). */
export interface SlackAdapterConfig {
  /** Bot token, `xoxb-…` (SLACK_BOT_TOKEN): one workspace. Give this or `oauth`. */
  botToken?: string;
  /** Multi-workspace mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET); HTTP mode only. */
  oauth?: SlackOAuthConfig;
  /** Signing secret (SLACK_SIGNING_SECRET); required in HTTP mode. */
  signingSecret?: string;
  /** App-level token, `xapp-…` (SLACK_APP_TOKEN): Socket Mode instead of HTTP. */
  appToken?: string;
  /** HTTP mode port (SLACK_PORT); 0 picks a free one. */
  port: number;
  /** HTTP mode address to listen on; every interface when unset. */
  host?: string;
  /** Web API base URL (SLACK_API_URL), e.g. `https://slack-gov.com/api/`; Slack's by default. */
  apiUrl?: string;
  /** Event keys shared with other instances (with DATABASE_URL), so a retried event is answered once. */
  seenEvents?: SharedSeenEvents;
}

export interface SlackAdapterOptions {
  runtime: Runtime;
  config: SlackAdapterConfig;
  /** Where problems and state changes are reported; stderr by default. Never given a secret. */
  log?: SlackLog;
  /** Backoff for the background token check and Socket Mode connection (ms; defaults 1,000 and 300,000). */
  retry?: { minDelayMs?: number; maxDelayMs?: number };
}

export interface SlackAdapter {
  /** Starts receiving; resolves with the HTTP port in HTTP mode, without waiting for the Slack API. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
  /** Posts update notifications to Slack channels. */
  sender: PlatformSender;
}

/** Web API calls made while answering (chat.postMessage) give up after this long. */
const API_TIMEOUT_MS = 10_000;

/**
 * Builds the Slack adapter. Throws at once when the configuration cannot work (no signing secret in
 * HTTP mode, neither or both of a bot token and OAuth, OAuth with Socket Mode).
 *
 * @example
 * const slack = createSlackAdapter({ runtime, config: { botToken, signingSecret, port: 3000 } });
 * const { port } = await slack.start();
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { runtime, config } = options;
  const log = options.log ?? defaultLog;
  const logLine = (message: string) => log(message);
  const { botToken, oauth } = config;
  if (Boolean(botToken) === Boolean(oauth)) {
    throw new Error(
      'slack: give either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (multi-workspace), not both',
    );
  }
  if (oauth && config.appToken) {
    throw new Error(
      'slack: multi-workspace mode (SLACK_CLIENT_ID…) runs over HTTP, where Slack redirects installs; unset SLACK_APP_TOKEN',
    );
  }
  if (!config.appToken && !config.signingSecret) {
    throw new Error(
      oauth
        ? 'slack: SLACK_SIGNING_SECRET is required in multi-workspace mode (Basic Information → App Credentials)'
        : 'slack: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode instead)',
    );
  }
  const slackApiUrl = apiBase(config.apiUrl);
  const retry = { minDelayMs: options.retry?.minDelayMs ?? 1_000, maxDelayMs: options.retry?.maxDelayMs ?? 300_000 };
  // Calls that should fail fast and be retried by their caller (token check, notifications, Socket
  // Mode connection): no retries inside the client, 429 reported instead of waited out.
  const direct = { slackApiUrl, timeout: API_TIMEOUT_MS, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  // In multi-workspace mode every call names its workspace's token.
  const directClient = new webApi.WebClient(botToken, { ...direct, logger: createBoltLogger(logLine) });
  let auth: ReturnType<typeof monitorAuth> | undefined;
  const identity = () => auth?.identity() ?? {};

  const receiver = config.appToken
    ? new SocketModeReceiver({
        appToken: config.appToken,
        logger: createBoltLogger(logLine),
        logLevel: LogLevel.WARN,
        // The Socket Mode client shares the receiver's logger.
        installerOptions: { clientOptions: direct },
      })
    : new HTTPReceiver({
        signingSecret: config.signingSecret as string,
        endpoints: '/slack/events',
        logger: createBoltLogger(logLine),
        logLevel: LogLevel.WARN,
        ...(oauth ? oauthReceiverOptions(oauth, { apiUrl: slackApiUrl, timeoutMs: API_TIMEOUT_MS, log }) : {}),
      });
  const app = new App({
    receiver,
    logger: createBoltLogger(logLine),
    // No `token`: Bolt would call auth.test while constructing and fail without the API. This
    // authorize never throws and never calls Slack; the identity fills in once the check succeeds.
    // In multi-workspace mode the receiver's installer authorises each event from the store.
    ...(botToken
      ? {
          authorize: async () => {
            const id = identity();
            return { botToken, botUserId: id.userId, botId: id.botId, teamId: id.teamId };
          },
        }
      : {}),
    // A few quick retries for answers; a reply that still cannot be posted is logged.
    clientOptions: { slackApiUrl, timeout: API_TIMEOUT_MS, retryConfig: { retries: 2, factor: 2, minTimeout: 500 } },
  });
  registerListeners(app, { runtime, log, recent: seenAcrossInstances(new RecentEvents(), config.seenEvents, log) });
  if (oauth) registerUninstallListeners(app, oauth.installations, log);

  let started = false;
  let socketTimer: NodeJS.Timeout | undefined;
  let stopping = false;

  const connectSocket = async (attempt: number): Promise<void> => {
    socketTimer = undefined;
    if (stopping) return;
    try {
      await app.start();
      log(`slack: connected to Slack in Socket Mode${attempt > 1 ? ` after ${attempt} attempts` : ''}.`);
    } catch (error) {
      if (stopping) return;
      const code = slackErrorCode(error);
      if (code && /invalid_auth|not_authed|not_allowed_token_type|account_inactive|token_revoked/.test(code)) {
        log(
          `slack: Slack rejected SLACK_APP_TOKEN (${code}); set an app-level token (xapp-…) with connections:write and restart.`,
        );
        return;
      }
      // Only a failed apps.connections.open is ours to retry; a dropped socket reconnects by itself.
      if (!String((error as { code?: unknown } | undefined)?.code ?? '').startsWith('slack_webapi')) {
        log(`slack: the Socket Mode connection failed (${describeSlackError(error)}); reconnecting.`);
        return;
      }
      const delay = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.min(attempt - 1, 30));
      if ((attempt & (attempt - 1)) === 0) {
        log(
          `slack: cannot open a Socket Mode connection (${describeSlackError(error)}); attempt ${attempt}, retrying in ${formatDelay(delay)}.`,
        );
      }
      // Not unref'd: in Socket Mode nothing else may keep the process alive while Slack is away.
      socketTimer = setTimeout(() => void connectSocket(attempt + 1), delay);
    }
  };

  return {
    sender: createSlackSender(directClient, botToken ?? ((workspace) => oauth?.installations.botToken(workspace))),
    async start() {
      if (started) throw new Error('slack: the adapter is already started');
      started = true;
      stopping = false;
      const meanwhile = config.appToken ? undefined : 'Slash commands are still answered.';
      // Multi-workspace mode has no one token to check: a bad one fails its own workspace's calls.
      if (botToken) auth = monitorAuth({ client: directClient, token: botToken, log: logLine, meanwhile, ...retry });
      if (config.appToken) {
        void connectSocket(1);
        return {};
      }
      let server: Server;
      try {
        server = await (receiver as HTTPReceiver).start({ port: config.port, host: config.host });
      } catch (error) {
        auth?.stop();
        started = false;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`slack: cannot listen on SLACK_PORT ${config.port} (${reason}); choose a free port`);
      }
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      if (oauth) {
        const installed = await oauth.installations.count().catch(() => undefined);
        log(
          `slack: listening for Slack on port ${port} (POST /slack/events), multi-workspace: install at GET ${INSTALL_PATH}` +
            `${installed === undefined ? '' : `, ${installed} ${installed === 1 ? 'installation' : 'installations'} stored`}.`,
        );
      } else {
        log(`slack: listening for Slack on port ${port} (POST /slack/events).`);
      }
      return { port };
    },
    async stop() {
      if (!started) return;
      started = false;
      stopping = true;
      auth?.stop();
      if (socketTimer) clearTimeout(socketTimer);
      await app.stop().catch((error: unknown) => log(`slack: error while stopping: ${describeSlackError(error)}`));
    },
  };
}

/** The Web API base with the trailing slash the client expects. */
function apiBase(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

function defaultLog(message: string, error?: unknown): void {
  if (error === undefined) console.error(message);
  else console.error(message, error instanceof Error ? (error.stack ?? error.message) : String(error));
}
