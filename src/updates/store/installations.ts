/**
 * Slack installations for multi-workspace mode (Bolt's OAuth, see docs/slack.md): one row per
 * workspace the app was installed in (or per Enterprise Grid organisation, for an org-wide install),
 * holding the installation Bolt gives after `oauth.v2.access`, bot token included. Two
 * implementations on the same database as the shared store:
 *
 * - `openSqliteInstallations(file)` (`installations-sqlite.ts`): the SQLite file at DB_PATH;
 * - `openPgInstallations(url)` (`installations-pg.ts`): PostgreSQL at DATABASE_URL.
 *
 * `openInstallationStore` (`installations-open.ts`) picks one from the configuration. Either one
 * runs the store's migrations when opened, so it may be opened before or after the
 * shared store. `test/updates/store/installations.test.ts` is the contract both pass.
 *
 * Tokens are stored as given (not encrypted): protect the database as you would `.env`.
 */
import type { Installation } from '@slack/bolt';

/** Which installation: Bolt's InstallationQuery, as far as a store reads it. */
export interface InstallationKey {
  /** The workspace (`T…`). */
  teamId?: string;
  /** The Enterprise Grid organisation (`E…`), when there is one. */
  enterpriseId?: string;
  /** An org-wide install, found by `enterpriseId` alone. */
  isEnterpriseInstall?: boolean;
}

/** What an uninstall removed. */
export interface UninstallResult {
  /** Installations deleted (0 or 1). */
  installations: number;
  /** The workspace's Slack subscriptions deleted. */
  subscriptions: number;
  /** Outbox rows of those subscriptions that were still pending, deleted with them. */
  pendingDeliveries: number;
}

/** The installations of every workspace, asynchronous over SQLite or PostgreSQL. */
export interface InstallationStore {
  /** `sqlite` (DB_PATH) or `postgres` (DATABASE_URL). */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Saves an installation, replacing the one of the same workspace (or organisation). Throws when
   * it names neither a team nor, for an org-wide install, an enterprise.
   */
  save(installation: Installation): Promise<void>;
  /** The installation for `key`: org-wide by enterprise, otherwise by team; undefined when none. */
  fetch(key: InstallationKey): Promise<Installation | undefined>;
  /** The bot token of a workspace's own install (`xoxb-…`); undefined when it has none. */
  botToken(teamId: string): Promise<string | undefined>;
  /** Deletes the installation for `key` and nothing else; false when there was none. */
  delete(key: InstallationKey): Promise<boolean>;
  /**
   * The app was uninstalled (or its bot token revoked): deletes, in one transaction, the
   * installation for `key`, the Slack subscriptions of the workspace `key.teamId` and their outbox
   * rows.
   */
  uninstall(key: InstallationKey): Promise<UninstallResult>;
  /** How many installations are stored. */
  count(): Promise<number>;
  /** Closes the store's own connection(s). */
  close(): Promise<void>;
}

/** Options both implementations take. */
export interface InstallationStoreOptions {
  /** The clock, epoch ms, for `installed_at` (default Date.now). */
  now?: () => number;
  /** Where errors of idle PostgreSQL connections are reported (default: console.error). */
  log?: (message: string, error?: unknown) => void;
}

/**
 * The row key of an installation or a query: `E:<enterprise>` for an org-wide install, else
 * `T:<team>`; undefined when the key names neither.
 *
 * @example installKey({ teamId: 'T1', enterpriseId: 'E1' }) // 'T:T1'
 * @example installKey({ enterpriseId: 'E1', isEnterpriseInstall: true }) // 'E:E1'
 */
export function installKey(key: InstallationKey): string | undefined {
  if (key.isEnterpriseInstall && key.enterpriseId) return `E:${key.enterpriseId}`;
  return key.teamId ? `T:${key.teamId}` : undefined;
}

/** The key fields of an installation Bolt gives. */
export function keyOfInstallation(installation: Installation): InstallationKey {
  return {
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
  };
}

/** The columns both stores write for an installation; throws when it has no key. */
export function installationRow(installation: Installation) {
  const key = keyOfInstallation(installation);
  const id = installKey(key);
  if (!id) {
    throw new Error('installation store: an installation must name a team (or an enterprise for an org-wide install)');
  }
  return {
    installKey: id,
    enterpriseId: key.enterpriseId ?? null,
    teamId: key.teamId ?? null,
    isEnterpriseInstall: key.isEnterpriseInstall === true,
    botToken: installation.bot?.token ?? null,
    botUserId: installation.bot?.userId ?? null,
    json: JSON.stringify(installation),
  };
}
