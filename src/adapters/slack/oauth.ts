/**
 * Multi-workspace mode: Bolt's built-in OAuth on the HTTP receiver. `GET /slack/install` sets the
 * state cookie and sends the browser to Slack's authorize page; Slack sends it back to
 * `GET /slack/oauth_redirect`, where Bolt exchanges the code (`oauth.v2.access`) and hands us the
 * installation to keep. Each event is then authorised by looking its workspace up in the store, so
 * it is answered with that workspace's bot token (`context.botToken`). An uninstall
 * (`app_uninstalled`, or `tokens_revoked` naming the bot) deletes the workspace's token and
 * subscriptions.
 */
import type { App, HTTPReceiverOptions, Installation, InstallationQuery } from '@slack/bolt';
import type { InstallationKey, InstallationStore } from '../../updates/store/installations.ts';
import type { SlackLog } from './listeners.ts';
import { BOT_SCOPES, OAUTH_REDIRECT_PATH } from './manifest.ts';
import { describeSlackError } from './slack-errors.ts';

/** Where the install flow starts. */
export const INSTALL_PATH = '/slack/install';
/** Where Slack sends the browser back after the user approved the install (the manifest's redirect URL). */
export const REDIRECT_PATH = OAUTH_REDIRECT_PATH;

/** Multi-workspace settings: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and the store. */
export interface SlackOAuthConfig {
  /** The app's client id (Basic Information → App Credentials). */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
  /** Any long random string; signs the `state` parameter so a forged redirect is refused. */
  stateSecret: string;
  /** Where installations are kept (`openInstallationStore`). */
  installations: InstallationStore;
}

/**
 * The OAuth part of the HTTP receiver's options: credentials, the manifest's bot scopes, the store,
 * and the install and redirect paths. `/slack/install` redirects straight to Slack (no landing page).
 * The code exchange goes to `apiUrl` like every other Web API call, and, when it is set, the
 * authorize page is the one on the same host (`https://slack-gov.com/oauth/v2/authorize` for
 * GovSlack).
 *
 * @example new HTTPReceiver({ signingSecret, ...oauthReceiverOptions(oauth, { apiUrl, log }) })
 */
export function oauthReceiverOptions(
  config: SlackOAuthConfig,
  options: { apiUrl?: string; timeoutMs: number; log: SlackLog },
): Partial<HTTPReceiverOptions> {
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    stateSecret: config.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: boltInstallationStore(config.installations, options.log),
    installerOptions: {
      directInstall: true,
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      clientOptions: {
        timeout: options.timeoutMs,
        retryConfig: { retries: 1 },
        ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      },
      ...(options.apiUrl ? { authorizationUrl: authorizationUrl(options.apiUrl) } : {}),
    },
  };
}

/**
 * The OAuth authorize page on the host of a Web API base URL.
 *
 * @example authorizationUrl('https://slack-gov.com/api/') // 'https://slack-gov.com/oauth/v2/authorize'
 */
export function authorizationUrl(apiUrl: string): string {
  return new URL('/oauth/v2/authorize', apiUrl).toString();
}

/**
 * Our store as Bolt's InstallationStore. A workspace with no installation is an error, which Bolt
 * turns into "authorization failed, no listeners called" for that event.
 */
export function boltInstallationStore(store: InstallationStore, log: SlackLog) {
  return {
    async storeInstallation(installation: Installation): Promise<void> {
      await store.save(installation);
      log(`slack: installed in ${describeInstall(installation)}.`);
    },
    async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
      const found = await store.fetch(query);
      if (!found) throw new Error(`no installation for ${describeKey(query)}; install the app at ${INSTALL_PATH}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
      await store.delete(query);
    },
  };
}

/**
 * Listens for the events that end an install: `app_uninstalled`, and `tokens_revoked` when it
 * names a bot token (user tokens are never asked for). Either deletes the workspace's installation,
 * its subscriptions and their pending notifications. Bolt delivers both without authorising them,
 * since the token is already gone.
 *
 * @example registerUninstallListeners(app, installations, console.error)
 */
export function registerUninstallListeners(app: App, store: InstallationStore, log: SlackLog): void {
  const uninstall = async (why: string, key: InstallationKey) => {
    try {
      const removed = await store.uninstall(key);
      log(
        `slack: ${why} in ${describeKey(key)}: deleted ${removed.installations === 1 ? 'its token' : 'no token (none was stored)'}, ` +
          `${removed.subscriptions} ${removed.subscriptions === 1 ? 'subscription' : 'subscriptions'} and ` +
          `${removed.pendingDeliveries} pending ${removed.pendingDeliveries === 1 ? 'notification' : 'notifications'}.`,
      );
    } catch (error) {
      // Its notifications then fail with Slack's token errors and pause, as for a removed bot.
      log(`slack: ${why} in ${describeKey(key)}, but its data could not be deleted: ${describeSlackError(error)}`);
    }
  };
  const keyOf = (context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => ({
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  });

  app.event('app_uninstalled', async ({ context }) => {
    await uninstall('the app was uninstalled', keyOf(context));
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await uninstall('the bot token was revoked', keyOf(context));
  });
}

function describeInstall(installation: Installation): string {
  if (installation.isEnterpriseInstall && installation.enterprise) {
    return `organisation ${installation.enterprise.id}${installation.enterprise.name ? ` (${installation.enterprise.name})` : ''}`;
  }
  const team = installation.team;
  return `workspace ${team?.id ?? '?'}${team?.name ? ` (${team.name})` : ''}`;
}

function describeKey(key: InstallationKey): string {
  if (key.isEnterpriseInstall && key.enterpriseId) return `organisation ${key.enterpriseId}`;
  return `workspace ${key.teamId ?? '?'}`;
}
