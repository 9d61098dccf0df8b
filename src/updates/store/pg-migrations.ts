/**
 * The PostgreSQL schema of the shared store and its migrations. Applied versions are rows of
 * `schema_migrations`. Opening a store applies, in order and each in its own transaction, the
 * migrations the database has not had yet, holding a session advisory lock meanwhile, so that
 * instances starting together migrate once: the others wait for the lock, then find nothing to do.
 * Append new migrations at the end; never edit a released one.
 *
 * The tables mirror the SQLite schema (`../subscriptions/schema.ts`) with PostgreSQL types, plus
 * the outbox lease (`leased_until`, `leased_by`) that lets several instances share one outbox.
 * Times the store takes from its clock are epoch ms (BIGINT), as in SQLite; feed times stay the ISO
 * strings the feed watcher passes.
 */
import pg from 'pg';

/** A step from version `index` to `index + 1`. */
export interface PgMigration {
  description: string;
  up: string;
}

/** Every migration, in order. The schema version is the number applied. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    description: 'subscriptions, updates and the delivery outbox, with leases',
    up: `
      CREATE TABLE subscriptions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL CHECK (platform IN ('terminal', 'slack', 'discord')),
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        actor TEXT, -- NULL: every update
        created_by TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        paused_reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0
      );
      -- NULLs are distinct in a UNIQUE constraint, so the all-updates subscription is keyed as ''.
      CREATE UNIQUE INDEX subscriptions_unique
        ON subscriptions (platform, workspace, channel, COALESCE(actor, ''));

      -- Every source and claim ever announced: also the "seen" list. Its uniqueness is what makes a
      -- data change noticed by every instance turn into updates once (INSERT … ON CONFLICT DO NOTHING).
      CREATE TABLE updates (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('source', 'claim')),
        key TEXT NOT NULL,
        actors TEXT[] NOT NULL,
        hash TEXT NOT NULL,
        payload TEXT NOT NULL, -- JSON, kept as text so it reads back byte for byte
        created_at TIMESTAMPTZ NOT NULL,
        UNIQUE (kind, key, hash)
      );

      CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        update_id BIGINT NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL, -- epoch ms
        last_error TEXT,
        sent_at BIGINT, -- epoch ms
        leased_until BIGINT, -- epoch ms; NULL or past: any instance may claim the row
        leased_by TEXT, -- the instance holding the lease
        UNIQUE (subscription_id, update_id)
      );
      CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
      CREATE INDEX outbox_subscription ON outbox (subscription_id) WHERE status = 'pending';
      CREATE INDEX outbox_update ON outbox (update_id);
    `,
  },
  {
    description: 'newsroom feeds: the state of each feed and the items already seen (src/updates/feeds/)',
    up: `
      CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_attempt_at TEXT, -- ISO, any outcome
        last_read_at TEXT, -- ISO, the last poll that read the feed (a 304 included)
        last_added_id TEXT,
        last_added_title TEXT,
        last_added_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0, -- in a row
        last_error TEXT,
        paused_reason TEXT
      );

      CREATE TABLE feed_items (
        feed_url TEXT NOT NULL,
        key TEXT NOT NULL, -- the item's guid, else its link, else a hash of its title and date
        link TEXT, -- as compared (linkKey)
        outcome TEXT NOT NULL CHECK (outcome IN ('added', 'duplicate', 'filtered', 'refused', 'skipped', 'retry')),
        detail TEXT,
        document TEXT, -- the source id added, or the one it duplicates
        attempts INTEGER NOT NULL DEFAULT 1,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_url, key)
      );
      CREATE INDEX feed_items_link ON feed_items (link);
    `,
  },
  {
    description: 'Slack installations, one per workspace (or organisation), for multi-workspace mode',
    up: `
      -- One row per install (installations-pg.ts): install_key is 'T:<team id>' for a workspace
      -- install and 'E:<enterprise id>' for an org-wide one. The whole installation Bolt gives is
      -- kept as JSON text; the bot token is also a column so that senders read it alone.
      CREATE TABLE slack_installations (
        install_key TEXT PRIMARY KEY,
        enterprise_id TEXT,
        team_id TEXT,
        is_enterprise_install BOOLEAN NOT NULL,
        bot_token TEXT,
        bot_user_id TEXT,
        installation TEXT NOT NULL,
        installed_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    description: 'Slack events seen by any instance, so that a retried event is answered once',
    up: `
      -- seen-events-pg.ts: one row per event key (event id, or channel and message ts) for an
      -- hour; an instance answers an event only if its insert of every key went in.
      CREATE TABLE slack_seen_events (
        event_key TEXT PRIMARY KEY,
        seen_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX slack_seen_events_seen_at ON slack_seen_events (seen_at);
    `,
  },
];

/** The database's schema cannot be brought up to date: newer than this code, or a migration failed. */
export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** The advisory lock key migrations hold (any constant; 'threatdesk' in ASCII). */
const MIGRATION_LOCK = 0x7468726561746465n;

/**
 * Applies the migrations the database has not had yet, under an advisory lock; refuses a database
 * newer than this code. Returns the schema version.
 *
 * @example await migratePg(pool); // 2
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          description TEXT NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )`);
      const { rows } = await client.query<{ v: number }>(
        'SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations',
      );
      const version = rows[0]?.v ?? 0;
      if (version > migrations.length) {
        throw new MigrationError(
          `pg store: database schema version ${version} is newer than this threatdesk knows (${migrations.length}); upgrade threatdesk or use another DATABASE_URL`,
        );
      }
      for (let i = version; i < migrations.length; i++) {
        const m = migrations[i]!;
        await client.query('BEGIN');
        try {
          await client.query(m.up);
          await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
            i + 1,
            m.description,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new MigrationError(`pg store: migration ${i + 1} (${m.description}) failed`, { cause: error });
        }
      }
      return Math.max(version, migrations.length);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/** The schema version of a database (0 before any migration). */
export async function pgSchemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ v: number | null }>(
    `SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0
       ELSE (SELECT COALESCE(MAX(version), 0)::int FROM schema_migrations) END AS v`,
  );
  return rows[0]?.v ?? 0;
}

/**
 * A small pool of its own on `url`, for a store beside the shared one (Slack installations, seen
 * events), with the database migrated first, so that either may be opened first. An idle
 * connection the server drops is logged, not thrown: the pool opens another on the next query.
 *
 * @example const pool = await openMigratedPool(url, { max: 2, name: 'seen events', log: console.error });
 */
export async function openMigratedPool(
  url: string,
  options: { max: number; name: string; log: (message: string) => void },
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max });
  pool.on('error', (error) => options.log(`${options.name}: idle PostgreSQL connection failed (${error.message})`));
  try {
    await migratePg(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
