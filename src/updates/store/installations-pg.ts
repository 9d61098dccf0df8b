/**
 * Slack installations in PostgreSQL (DATABASE_URL), on a small pool of their own. Opening applies
 * the shared store's migrations (`pg-migrations.ts`, under its advisory lock), so this store and
 * the shared store may be opened in either order, by any number of instances at once.
 */
import type { Installation } from '@slack/bolt';
import {
  type InstallationKey,
  type InstallationStore,
  type InstallationStoreOptions,
  installationRow,
  installKey,
} from './installations.ts';
import { openMigratedPool } from './pg-migrations.ts';

/**
 * Opens the installations in the PostgreSQL database at `url`, migrating it first.
 *
 * @example
 * const installations = await openPgInstallations('postgres://bot@db/threatdesk');
 * await installations.count(); // 0
 */
export async function openPgInstallations(
  url: string,
  options: InstallationStoreOptions = {},
): Promise<InstallationStore> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message, error) => console.error(message, error));
  // Installs and uninstalls are rare and tokens are read once per notification batch: two
  // connections are plenty, and leave the shared store's pool its share of the server.
  const pool = await openMigratedPool(url, { max: 2, name: 'installation store', log });
  let closed = false;

  return {
    kind: 'postgres',
    async save(installation: Installation) {
      const r = installationRow(installation);
      await pool.query(
        `INSERT INTO slack_installations
           (install_key, enterprise_id, team_id, is_enterprise_install, bot_token, bot_user_id, installation, installed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (install_key) DO UPDATE SET
           enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
           is_enterprise_install = excluded.is_enterprise_install, bot_token = excluded.bot_token,
           bot_user_id = excluded.bot_user_id, installation = excluded.installation,
           installed_at = excluded.installed_at`,
        [
          r.installKey,
          r.enterpriseId,
          r.teamId,
          r.isEnterpriseInstall,
          r.botToken,
          r.botUserId,
          r.json,
          new Date(now()),
        ],
      );
    },
    async fetch(key: InstallationKey) {
      const id = installKey(key);
      if (!id) return undefined;
      const { rows } = await pool.query<{ installation: string }>(
        'SELECT installation FROM slack_installations WHERE install_key = $1',
        [id],
      );
      return rows[0] ? (JSON.parse(rows[0].installation) as Installation) : undefined;
    },
    async botToken(teamId: string) {
      const { rows } = await pool.query<{ bot_token: string | null }>(
        'SELECT bot_token FROM slack_installations WHERE install_key = $1',
        [`T:${teamId}`],
      );
      return rows[0]?.bot_token ?? undefined;
    },
    async delete(key: InstallationKey) {
      const id = installKey(key);
      if (!id) return false;
      const result = await pool.query('DELETE FROM slack_installations WHERE install_key = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },
    async uninstall(key: InstallationKey) {
      const id = installKey(key);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const removed = id ? await client.query('DELETE FROM slack_installations WHERE install_key = $1', [id]) : null;
        let subscriptions = 0;
        let pendingDeliveries = 0;
        if (key.teamId) {
          // Outbox rows first (the foreign key would cascade; deleting them here counts them), then
          // the subscriptions. Rows leased by another instance go too: its markSent then finds none.
          const outbox = await client.query<{ pending: number }>(
            `DELETE FROM outbox WHERE subscription_id IN
               (SELECT id FROM subscriptions WHERE platform = 'slack' AND workspace = $1)
             RETURNING (status = 'pending')::int AS pending`,
            [key.teamId],
          );
          pendingDeliveries = outbox.rows.reduce((n, r) => n + r.pending, 0);
          const subs = await client.query(`DELETE FROM subscriptions WHERE platform = 'slack' AND workspace = $1`, [
            key.teamId,
          ]);
          subscriptions = subs.rowCount ?? 0;
        }
        await client.query('COMMIT');
        return { installations: removed?.rowCount ?? 0, subscriptions, pendingDeliveries };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async count() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM slack_installations');
      return rows[0]?.n ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
