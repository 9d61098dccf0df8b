/**
 * Slack installations in the SQLite file at DB_PATH, on a connection of their own (WAL mode lets
 * it work alongside the subscription store's). Opening creates and migrates the file with the
 * subscription store's migrations (`../subscriptions/schema.ts`), so the order in which the two
 * are opened does not matter. better-sqlite3 is synchronous; each method returns a Promise so that
 * both stores share one interface (`installations.ts`).
 */
import type { Installation } from '@slack/bolt';
import { openDatabase } from '../subscriptions/schema.ts';
import {
  type InstallationKey,
  type InstallationStore,
  type InstallationStoreOptions,
  installationRow,
  installKey,
  type UninstallResult,
} from './installations.ts';

/**
 * Opens the installations in the SQLite file `file`, creating and migrating it.
 *
 * @example
 * const installations = openSqliteInstallations('var/threatdesk.db');
 * await installations.botToken('T0123'); // 'xoxb-…' once that workspace installed the app
 */
export function openSqliteInstallations(file: string, options: InstallationStoreOptions = {}): InstallationStore {
  const now = options.now ?? Date.now;
  const db = openDatabase(file);
  const upsert = db.prepare(`
    INSERT INTO slack_installations
      (install_key, enterprise_id, team_id, is_enterprise_install, bot_token, bot_user_id, installation, installed_at)
    VALUES (@installKey, @enterpriseId, @teamId, @isEnterpriseInstall, @botToken, @botUserId, @json, @at)
    ON CONFLICT (install_key) DO UPDATE SET
      enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
      is_enterprise_install = excluded.is_enterprise_install, bot_token = excluded.bot_token,
      bot_user_id = excluded.bot_user_id, installation = excluded.installation,
      installed_at = excluded.installed_at`);
  const byKey = db.prepare('SELECT installation FROM slack_installations WHERE install_key = ?');
  const tokenOf = db.prepare('SELECT bot_token FROM slack_installations WHERE install_key = ?');
  const remove = db.prepare('DELETE FROM slack_installations WHERE install_key = ?');
  const total = db.prepare('SELECT COUNT(*) AS n FROM slack_installations');
  const workspaceSubscriptions = `SELECT id FROM subscriptions WHERE platform = 'slack' AND workspace = ?`;
  const pendingOf = db.prepare(
    `SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND subscription_id IN (${workspaceSubscriptions})`,
  );
  const deleteOutbox = db.prepare(`DELETE FROM outbox WHERE subscription_id IN (${workspaceSubscriptions})`);
  const deleteSubscriptions = db.prepare(`DELETE FROM subscriptions WHERE platform = 'slack' AND workspace = ?`);

  const uninstall = db.transaction((key: string | undefined, teamId: string | undefined): UninstallResult => {
    const installations = key ? remove.run(key).changes : 0;
    if (!teamId) return { installations, subscriptions: 0, pendingDeliveries: 0 };
    const pendingDeliveries = (pendingOf.get(teamId) as { n: number }).n;
    deleteOutbox.run(teamId);
    const subscriptions = deleteSubscriptions.run(teamId).changes;
    return { installations, subscriptions, pendingDeliveries };
  });
  let closed = false;

  return {
    kind: 'sqlite',
    async save(installation: Installation) {
      const row = installationRow(installation);
      upsert.run({ ...row, isEnterpriseInstall: row.isEnterpriseInstall ? 1 : 0, at: new Date(now()).toISOString() });
    },
    async fetch(key: InstallationKey) {
      const id = installKey(key);
      const row = id ? (byKey.get(id) as { installation: string } | undefined) : undefined;
      return row ? (JSON.parse(row.installation) as Installation) : undefined;
    },
    async botToken(teamId: string) {
      const row = tokenOf.get(`T:${teamId}`) as { bot_token: string | null } | undefined;
      return row?.bot_token ?? undefined;
    },
    async delete(key: InstallationKey) {
      const id = installKey(key);
      return id ? remove.run(id).changes > 0 : false;
    },
    async uninstall(key: InstallationKey) {
      // IMMEDIATE: take the write lock first, as the subscription store's writers do.
      return uninstall.immediate(installKey(key), key.teamId);
    },
    async count() {
      return (total.get() as { n: number }).n;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
