/**
 * The interval loop `npm start` runs: one poll of every active feed (paused ones are left out) each
 * FEED_INTERVAL, never two at once. New documents reach subscribers the ordinary way: the poll
 * writes them into DATA_DIR, where the data watcher reloads, diffs and fills the outbox.
 *
 * The first poll waits `startDelayMs` after start, so that start-up is not slowed, and, on a
 * restart, until a whole interval has passed since the last poll: restarting the bot does not
 * make it fetch every feed again. The same holds before every poll: with several instances on one
 * store, an instance that finds another polled less than an interval ago waits out the rest, so
 * the feeds are polled about once per interval, not once per instance. (Two instances whose
 * timers fire together may still both poll; the items' settled state and the ingest's check by
 * link and content keep a statement from being added twice in the usual case.)
 */
import { DataError } from '../../core/corpus/load-corpus.ts';
import type { SharedFeedState } from '../store/shared-store.ts';
import type { FeedConfig } from './feeds-config.ts';
import { describeFeedResult, describeItems, type FeedResult, type PollOptions, pollFeeds } from './poll-feeds.ts';

/** What the watcher needs; the poll options without those it sets itself. */
export interface WatcherOptions extends Omit<PollOptions, 'includePaused' | 'shouldStop' | 'onResult'> {
  feeds: readonly FeedConfig[];
  state: SharedFeedState;
  /** Time between polls, in ms (FEED_INTERVAL). */
  intervalMs: number;
  /** Least wait before the first poll, in ms (default 30 000). */
  startDelayMs?: number;
  /** How long `stop` waits for a poll in progress to reach a safe point, in ms (default 5 000). */
  stopGraceMs?: number;
  /** Log lines: documents added, items skipped, failures, pauses. */
  log: (line: string) => void;
  /** Called after each poll with every feed's result. */
  onPoll?: (results: FeedResult[]) => void;
}

/** A running watcher. */
export interface FeedWatcher {
  /** Polls now (after any poll in progress) and resolves with its results. */
  pollNow(): Promise<FeedResult[]>;
  /** Stops the loop; waits (at most the grace time) for a poll in progress to stop between items. */
  stop(): Promise<void>;
}

/**
 * Starts the loop. Nothing is fetched before the first poll is due.
 *
 * @example
 * const watcher = startFeedWatcher({ feeds, state, http, dataDir, maxFailures: 5, intervalMs: 15 * 60_000, log });
 * await watcher.stop();
 */
export function startFeedWatcher(options: WatcherOptions): FeedWatcher {
  const now = options.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<FeedResult[]> = Promise.resolve([]);

  const pollOnce = async (): Promise<FeedResult[]> => {
    try {
      const results = await pollFeeds({ ...options, includePaused: false, shouldStop: () => stopped });
      for (const r of results) logResult(r, options.log);
      options.onPoll?.(results);
      return results;
    } catch (error) {
      if (stopped) return [];
      // A data directory that does not load (or a store gone away) is reported; the loop goes on.
      options.log(`feeds: poll stopped: ${error instanceof DataError ? error.message : String(error)}`);
      return [];
    }
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(tick, Math.max(0, delayMs));
    timer.unref();
  };
  const tick = () => {
    running = running
      .then(async () => {
        // Several instances share the feed state: when another polled less than an interval ago,
        // this one waits for the rest of the interval instead of polling the same feeds again.
        const wait = await firstPollDelay({ ...options, startDelayMs: 0 }, now()).catch(() => 0);
        if (wait > 0 && !stopped) return { results: [], next: wait };
        return { results: await pollOnce(), next: options.intervalMs };
      })
      .then((r) => {
        schedule(r.next);
        return r.results;
      });
  };

  firstPollDelay(options, now()).then(schedule, (error: unknown) => {
    // The store could not say when the last poll was: wait a whole interval rather than poll twice.
    options.log(`feeds: reading the last poll time failed: ${String(error)}`);
    schedule(options.intervalMs);
  });
  return {
    pollNow() {
      running = running.then(pollOnce);
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, options.stopGraceMs ?? 5_000).unref());
      await Promise.race([running.then(() => undefined), grace]);
    },
  };
}

/**
 * The wait before the first poll, in ms: the start delay, or longer when the last poll of any
 * feed was less than an interval ago (a restart, or another instance that polled).
 *
 * @example await firstPollDelay({ feeds, state, intervalMs: 900_000, startDelayMs: 30_000 }, Date.now()) // 30000 on a first start
 */
export async function firstPollDelay(
  options: Pick<WatcherOptions, 'feeds' | 'state' | 'intervalMs' | 'startDelayMs'>,
  now: number,
): Promise<number> {
  const states = await Promise.all(options.feeds.map((f) => options.state.get(f.url)));
  const last = Math.max(0, ...states.map((s) => Date.parse(s.lastAttemptAt ?? '') || 0));
  return Math.max(options.startDelayMs ?? 30_000, last + options.intervalMs - now);
}

/** Logs what a person should hear about: added documents, item problems, failures, pauses. */
function logResult(r: FeedResult, log: (line: string) => void): void {
  if (r.status === 'added' || r.status === 'failed') log(`feeds: ${describeFeedResult(r)}`);
  for (const line of describeItems(r)) log(`feeds: ${line}`);
}
