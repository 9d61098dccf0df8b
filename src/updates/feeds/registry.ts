/**
 * The newsroom feeds as commands see them (`/feeds`): read-only. The interface is added to the
 * commands' services from here (declaration merging), so that `src/core/` never imports the
 * updates pipeline.
 */
import type { FeedConfig } from './feeds-config.ts';

/** One feed and how its polling goes. */
export interface FeedStatus {
  url: string;
  publisher: string;
  /** ISO time of the last poll that read the feed (a 304 counts), or null if none has. */
  lastReadAt: string | null;
  /** The last document the feed added, or null. */
  lastAdded: { id: string; title: string; at: string } | null;
  /** active: the last poll went through; failing: it failed, `reason` says why; paused: see `reason`. */
  state: 'active' | 'failing' | 'paused';
  /** Why it is failing or paused; null while active. */
  reason: string | null;
  /** Failed polls in a row. */
  failures: number;
}

/** The feeds a running bot polls, with their state. */
export interface FeedRegistry {
  /** Every configured feed, in the feeds file's order. */
  list(): Promise<FeedStatus[]>;
}

/**
 * The read-only registry `/feeds` uses: the configured feeds with their state in the shared store.
 *
 * @example createRuntime(engine, commands, { subscriptions: shared.subscriptions, feeds: feedRegistry(feeds, shared.feeds) })
 */
export function feedRegistry(
  feeds: readonly FeedConfig[],
  state: { statuses(feeds: readonly FeedConfig[]): Promise<FeedStatus[]> },
): FeedRegistry {
  return { list: () => state.statuses(feeds) };
}

declare module '../../core/commands/define-command.ts' {
  interface CommandServices {
    /** Absent where the running bot polls no feeds. */
    feeds: FeedRegistry;
  }
}
