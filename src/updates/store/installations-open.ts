/** Opening the installation store the configuration names (see `installations.ts`). */
import type { InstallationStore, InstallationStoreOptions } from './installations.ts';
import { openPgInstallations } from './installations-pg.ts';
import { openSqliteInstallations } from './installations-sqlite.ts';

/**
 * Opens the installation store the configuration names: PostgreSQL when `databaseUrl` is set
 * (DATABASE_URL), otherwise SQLite at `dbPath` (DB_PATH).
 *
 * @example const installations = await openInstallationStore({ dbPath: 'var/threatdesk.db' });
 */
export async function openInstallationStore(
  where: { databaseUrl?: string; dbPath: string },
  options: InstallationStoreOptions = {},
): Promise<InstallationStore> {
  if (where.databaseUrl) return openPgInstallations(where.databaseUrl, options);
  return openSqliteInstallations(where.dbPath, options);
}
