/**
 * Which channels the delivery loop sends to now, and when to look again. Pending outbox rows are
 * grouped by channel: one message carries every row of a channel. A channel is due once its oldest
 * row's batch window has passed, unless a failed attempt put it in backoff (or a 429 told it to
 * wait), or the platform's minimum spacing between two messages to one channel has not passed.
 */
import type { ChannelRef } from './sender.ts';
import type { PendingDelivery } from './store.ts';

/** Delay before retry number `attempt` (1-based) after a transient failure. */
export interface BackoffOptions {
  /** First delay, in ms (default 5 s). */
  baseMs: number;
  /** Longest delay, in ms (default 10 min). */
  maxMs: number;
}

/** 5 s, doubling, up to 10 min. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ baseMs: 5_000, maxMs: 600_000 });

/**
 * Exponential backoff with jitter: the delay doubles with each attempt up to `maxMs`, and a random
 * part of up to half of it spreads out retries that failed together.
 *
 * @example backoffDelay(1, DEFAULT_BACKOFF, () => 1) // 5000
 * @example backoffDelay(20, DEFAULT_BACKOFF, () => 0) // 300000
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const full = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(full / 2 + (full / 2) * random());
}

/** One channel's pending rows. */
export interface ChannelBatch<R extends PendingDelivery = PendingDelivery> {
  /** `platform/workspace/channel`, for maps and logs. */
  id: string;
  target: ChannelRef;
  rows: R[];
}

/** The channels to send to now, and the earliest time another may become due (null: none pending). */
export interface DeliveryPlan<R extends PendingDelivery = PendingDelivery> {
  due: ChannelBatch<R>[];
  nextAt: number | null;
}

/**
 * Groups pending rows by channel and picks those due at `now`.
 *
 * @example planDeliveries(await store.claim(10_000, 60_000, id), Date.now(), (b) => (lastSent.get(b.id) ?? 0) + minIntervalMs)
 */
export function planDeliveries<R extends PendingDelivery>(
  rows: readonly R[],
  now: number,
  notBefore: (batch: ChannelBatch<R>) => number,
): DeliveryPlan<R> {
  const batches = new Map<string, ChannelBatch<R>>();
  for (const r of rows) {
    const id = `${r.platform}/${r.workspace}/${r.channel}`;
    let batch = batches.get(id);
    if (!batch) {
      batch = { id, target: { platform: r.platform, workspace: r.workspace, channel: r.channel }, rows: [] };
      batches.set(id, batch);
    }
    batch.rows.push(r);
  }
  const due: ChannelBatch<R>[] = [];
  let nextAt: number | null = null;
  for (const batch of batches.values()) {
    let oldest = Number.POSITIVE_INFINITY;
    let gate = notBefore(batch);
    for (const r of batch.rows) {
      oldest = Math.min(oldest, r.nextAttemptAt);
      // A row that has failed holds the whole channel until its retry time.
      if (r.attempts > 0) gate = Math.max(gate, r.nextAttemptAt);
    }
    const at = Math.max(oldest, gate);
    if (at <= now) due.push(batch);
    else nextAt = nextAt === null ? at : Math.min(nextAt, at);
  }
  return { due, nextAt };
}
