/**
 * Remembers which Slack events were already handled, so a retried delivery (Slack resends an event
 * with `X-Slack-Retry-Num` when it did not see our 200 in time) or the same message arriving as both
 * `app_mention` and `message.im` is answered once. Bounded: the oldest keys are forgotten first.
 */

/** A bounded set of recently seen keys, oldest evicted first. */
export class RecentEvents {
  private readonly seen = new Set<string>();

  /** @param capacity how many keys to remember (a positive integer; Slack retries within minutes). */
  constructor(readonly capacity = 2_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`recent-events: capacity must be a positive integer, got ${capacity}`);
    }
  }

  /**
   * Records every key and says whether any of them had been seen before.
   *
   * @example const recent = new RecentEvents(); recent.firstTime('Ev1'); // true, then false
   */
  firstTime(...keys: string[]): boolean {
    const repeated = keys.some((k) => this.seen.has(k));
    for (const key of keys) {
      this.seen.delete(key);
      this.seen.add(key);
    }
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return !repeated;
  }
}

/** Event keys remembered across instances (PostgreSQL's `slack_seen_events`; see seen-events-pg.ts). */
export interface SharedSeenEvents {
  firstTime(...keys: string[]): Promise<boolean>;
}

/** What the listeners ask: whether an event is seen for the first time. */
export interface SeenEvents {
  firstTime(...keys: string[]): boolean | Promise<boolean>;
}

/**
 * This process's memory first, then, when several instances share a database, theirs: an event
 * is answered by the one instance that records it first. When the shared ledger cannot be reached
 * the event is answered (a rare double answer beats none), and that is logged.
 *
 * @example const seen = seenAcrossInstances(new RecentEvents(), ledger, console.error);
 */
export function seenAcrossInstances(
  local: RecentEvents,
  shared: SharedSeenEvents | undefined,
  log: (message: string) => void,
): SeenEvents {
  if (!shared) return local;
  return {
    async firstTime(...keys) {
      if (!local.firstTime(...keys)) return false;
      try {
        return await shared.firstTime(...keys);
      } catch (error) {
        log(`slack: could not check the shared list of seen events (${(error as Error).message}); answering`);
        return true;
      }
    },
  };
}
