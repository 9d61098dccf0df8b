/**
 * The SQLite schema of the subscription store and its migrations. The schema version is SQLite's
 * `PRAGMA user_version`; opening a database applies, in order and each in its own transaction, the
 * migrations it has not had yet. Append new migrations at the end; never edit a released one.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeDirectory } from '../../core/make-directory.ts';

/** A step from version `index` to `index + 1`. */
export interface Migration {
  description: string;
  up: string;
}

/** Every migration, in order. The schema version is the number applied. */
export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'subscriptions, updates and the delivery outbox',
    up: `
      CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL CHECK (platform IN ('terminal', 'slack', 'discord')),
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        actor TEXT, -- NULL: every update
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        paused_reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0
      );
      -- NULLs are distinct in a UNIQUE constraint, so the all-updates subscription is keyed as ''.
      CREATE UNIQUE INDEX subscriptions_unique
        ON subscriptions (platform, workspace, channel, COALESCE(actor, ''));

      -- Every source and claim ever announced (or known at the first start): also the "seen" list,
      -- so a source deleted and re-added with the same content is not announced twice.
      CREATE TABLE updates (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('source', 'claim')),
        key TEXT NOT NULL,
        actors TEXT NOT NULL, -- JSON array of actor ids
        hash TEXT NOT NULL,
        payload TEXT NOT NULL, -- JSON
        created_at TEXT NOT NULL,
        UNIQUE (kind, key, hash)
      );

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        update_id INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL, -- epoch ms
        last_error TEXT,
        sent_at INTEGER, -- epoch ms
        UNIQUE (subscription_id, update_id)
      );
      CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
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

      -- An item is written here only once it is settled (its document written, or refused, filtered
      -- or skipped for good); 'retry' rows count the attempts of an item whose page could not be read.
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
      -- One row per install (../store/installations-sqlite.ts): install_key is 'T:<team id>' for a
      -- workspace install and 'E:<enterprise id>' for an org-wide one. The whole installation Bolt
      -- gives is kept as JSON; the bot token is also a column so that senders read it alone.
      CREATE TABLE slack_installations (
        install_key TEXT PRIMARY KEY,
        enterprise_id TEXT,
        team_id TEXT,
        is_enterprise_install INTEGER NOT NULL, -- 0 or 1
        bot_token TEXT,
        bot_user_id TEXT,
        installation TEXT NOT NULL, -- JSON
        installed_at TEXT NOT NULL -- ISO
      );
    `,
  },
];

/**
 * Opens (creating the file and its parent directory) a SQLite database in WAL mode with foreign
 * keys on and a busy timeout, and migrates it to the latest schema.
 *
 * @example const db = openDatabase('var/threatdesk.db');
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  if (file !== ':memory:') makeDirectory(path.dirname(path.resolve(file)));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The schema version of an open database. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations `db` has not had yet; a database newer than this code is refused rather
 * than written to.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  // IMMEDIATE takes the write lock first, so two processes opening one file do not both migrate.
  const step = db.transaction((i: number, m: Migration) => {
    if (schemaVersion(db) !== i) return;
    db.exec(m.up);
    db.pragma(`user_version = ${i + 1}`);
  });
  const version = schemaVersion(db);
  if (version > migrations.length) {
    throw new Error(
      `subscription store: database schema version ${version} is newer than this threatdesk knows (${migrations.length}); upgrade threatdesk or use another DB_PATH`,
    );
  }
  migrations.forEach((m, i) => {
    if (i >= version) step.immediate(i, m);
  });
}
