/**
 * Which shared store a running bot uses, and who it is among several instances:
 *
 * - `openSharedStore(config)`: PostgreSQL when DATABASE_URL is set (several instances may share
 *   it), else the SQLite file at DB_PATH exactly as before (one process). Either way the schema is
 *   created or migrated before it returns.
 * - `newInstanceId()`: the name an instance leases outbox rows under.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Config, ConfigError } from '../../core/config.ts';
import { MigrationError } from './pg-migrations.ts';
import { openPgStore } from './pg-store.ts';
import type { SharedStore, SharedStoreOptions } from './shared-store.ts';
import { openSqliteSharedStore } from './sqlite-shared-store.ts';

/** How long opening a PostgreSQL connection may take before the start (or a query) gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Options of `openSharedStore`: the clock, and where the PostgreSQL pool reports idle errors. */
export interface OpenSharedStoreOptions extends SharedStoreOptions {
  log?: (message: string, error?: unknown) => void;
}

/**
 * Opens the store the configuration names: PostgreSQL at DATABASE_URL when it is set, else SQLite
 * at DB_PATH (created with its directory on first use). A PostgreSQL server that cannot be reached
 * or refuses the login is a ConfigError naming DATABASE_URL without its password.
 *
 * @example
 * const shared = await openSharedStore(readConfig());
 * shared.kind; // 'sqlite' unless DATABASE_URL is set
 * await shared.close();
 */
export async function openSharedStore(
  config: Pick<Config, 'DB_PATH' | 'DATABASE_URL'>,
  options: OpenSharedStoreOptions = {},
): Promise<SharedStore> {
  const url = config.DATABASE_URL;
  if (url === undefined) return openSqliteSharedStore(config.DB_PATH, options);
  try {
    // A server that accepts the connection and never answers must not hang the start.
    return await openPgStore(url, { ...options, pool: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS } });
  } catch (error) {
    // A migration that failed is the store's own message; a connection problem is the setting's.
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `config: DATABASE_URL ${redactUrl(url)} cannot be used (${reason}); check the host, port, database, user and password, or unset DATABASE_URL to use the SQLite file at DB_PATH`,
    );
  }
}

/**
 * A URL without its password, for messages.
 *
 * @example redactUrl('postgres://bot:s3cret@db:5432/threatdesk') // 'postgres://bot:***@db:5432/threatdesk'
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * A name for this process among the instances sharing a store: host name, process id and 6 random
 * hex digits, so that a restarted process (same host, maybe the same pid in a container) is a new
 * instance and takes over its predecessor's leases as another instance's.
 *
 * @example newInstanceId() // 'web-1-4127-9f3a0c'
 */
export function newInstanceId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
