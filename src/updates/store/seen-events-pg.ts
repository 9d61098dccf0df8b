/**
 * Slack events seen by any instance, kept in PostgreSQL (DATABASE_URL). Slack resends an event it
 * did not see acknowledged within 3 seconds, and behind a load balancer the retry may reach
 * another instance than the first try: with this ledger only the instance whose insert of the
 * event's keys went in answers it. One process alone (SQLite) needs no more than the in-memory
 * `RecentEvents` of the Slack adapter.
 */
import { openMigratedPool } from './pg-migrations.ts';

/** Remembers event keys across instances. */
export interface SeenEventsLedger {
  /**
   * Records every key and says whether none of them had been recorded before (by any instance).
   *
   * @example await ledger.firstTime('event:Ev1'); // true, then false everywhere
   */
  firstTime(...keys: string[]): Promise<boolean>;
  close(): Promise<void>;
}

export interface SeenEventsOptions {
  /** The clock, epoch ms (injected in tests). */
  now?: () => number;
  /** How long a key is kept, in ms (default one hour; Slack retries within minutes). */
  keepMs?: number;
  /** Old keys are deleted once every this many calls (default 500). */
  pruneEvery?: number;
  log?: (message: string) => void;
}

/**
 * Opens the ledger in the PostgreSQL database at `url`, migrating it first (the shared store's
 * migrations, under their advisory lock, so any opening order works).
 *
 * @example const seen = await openPgSeenEvents(process.env.DATABASE_URL);
 */
export async function openPgSeenEvents(url: string, options: SeenEventsOptions = {}): Promise<SeenEventsLedger> {
  const now = options.now ?? Date.now;
  const keepMs = options.keepMs ?? 3_600_000;
  const pruneEvery = Math.max(1, options.pruneEvery ?? 500);
  const log = options.log ?? ((message: string) => console.error(message));
  const pool = await openMigratedPool(url, { max: 2, name: 'seen events', log });
  let calls = 0;
  return {
    async firstTime(...keys) {
      if (keys.length === 0) return true;
      const at = new Date(now());
      const inserted = await pool.query(
        `INSERT INTO slack_seen_events (event_key, seen_at)
         SELECT DISTINCT k, $2::timestamptz FROM unnest($1::text[]) AS k
         ON CONFLICT (event_key) DO NOTHING`,
        [keys, at],
      );
      if (++calls % pruneEvery === 0) {
        // One indexed delete every so many events; a failure only leaves old keys for next time.
        await pool
          .query('DELETE FROM slack_seen_events WHERE seen_at < $1', [new Date(at.getTime() - keepMs)])
          .catch((error: Error) => log(`seen events: could not delete old keys (${error.message})`));
      }
      return inserted.rowCount === new Set(keys).size;
    },
    async close() {
      await pool.end();
    },
  };
}
