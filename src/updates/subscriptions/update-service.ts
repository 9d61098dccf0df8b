/**
 * The update service: records what is new in the corpus, fans it out to the outbox, and delivers
 * the outbox through each platform's sender. Retries, backoff, rate limits and pausing live here;
 * senders only send and classify failures.
 *
 * Several instances may run it on one shared store (PostgreSQL). Each round claims, under this
 * instance's id, the rows of the platforms it has senders for: a claimed row is leased to it, so no
 * other instance sends it meanwhile, and the lease is renewed while a long round runs. Every
 * instance notices a data change and records it; the store keeps one copy of each update, so it is
 * announced once.
 *
 * Delivery is at least once: a row is marked sent only after `send` resolved, so a crash between
 * the two sends that one message again (on restart, or from the instance that takes the row over
 * once its lease runs out), and nothing else is ever lost or repeated. Each send carries an
 * idempotency key, the same on every attempt, and says when an earlier attempt may have reached
 * the platform (`maybeSent`), so that a sender that can ask the platform avoids that repeat too.
 */
import type { AnswerEngine } from '../../core/answer/engine.ts';
import type { Corpus } from '../../core/corpus/corpus.ts';
import { type CorpusUpdate, diffCorpus, EMPTY_CORPUS } from '../../core/corpus/diff-corpus.ts';
import { newInstanceId } from '../store/open-shared-store.ts';
import { type ClaimedDelivery, messageKey, type SharedSubscriptionStore } from '../store/shared-store.ts';
import {
  type BackoffOptions,
  backoffDelay,
  type ChannelBatch,
  DEFAULT_BACKOFF,
  planDeliveries,
} from './delivery-plan.ts';
import { notificationReply, pausedReply } from './notification.ts';
import { holdLease, type Lease } from './outbox-lease.ts';
import { DeliveryError, type DeliveryFailure, type PlatformSender } from './sender.ts';
import type { RecordResult } from './store.ts';

export interface UpdateServiceOptions {
  /** The shared store's subscriptions and outbox (`openSharedStore(config).subscriptions`). */
  store: SharedSubscriptionStore;
  /** This process's name among the instances sharing the store (default `newInstanceId()`). */
  instanceId?: string;
  /**
   * How long claimed rows stay this instance's, in ms (default 60 000). Another instance takes them
   * over only after it runs out, so it bounds the delay after a crash; a round renews it every third
   * of it while it runs.
   */
  leaseMs?: number;
  /** Rows claimed at most per round (default 10 000); more go out in the following rounds. */
  claimLimit?: number;
  /** One sender per platform that is running; rows for other platforms wait. */
  senders: readonly PlatformSender[];
  /** The engine in service: notifications cite from its corpus. */
  engine: () => AnswerEngine;
  /** Where failures and pauses are reported (default: console.error). */
  log?: (message: string, error?: unknown) => void;
  /** The clock, epoch ms (injected in tests). */
  now?: () => number;
  /** Random numbers in [0, 1) for backoff jitter. */
  random?: () => number;
  /** How long updates for one channel are gathered into one message, in ms (default 2000). */
  batchWindowMs?: number;
  /** Longest sleep of the loop started by `start`, in ms (default 1000). */
  pollMs?: number;
  /** Consecutive permanent failures before a subscription is paused (default 3). */
  maxPermanentFailures?: number;
  /** Attempts before a row that keeps failing transiently is given up (default 50: 4 to 7 hours of retrying). */
  maxAttempts?: number;
  /**
   * Attempts at rows whose updates are not in this instance's data before they are given up as
   * withdrawn (default 6: about five minutes). Another instance may have recorded them from a data
   * change this one has not loaded yet; retried with backoff, any instance may deliver them.
   */
  withdrawnAttempts?: number;
  backoff?: Partial<BackoffOptions>;
  /** Channels sent to at once (default 8). */
  concurrency?: number;
}

/** What one delivery round did. */
export interface DeliveryReport {
  /** Messages the platforms confirmed. */
  messages: number;
  /** Outbox rows marked sent. */
  delivered: number;
  /** Sends that failed (each to be retried, or given up). */
  failures: number;
  /** Subscriptions paused in this round. */
  paused: number;
  /** When something next becomes due, epoch ms; null when nothing is pending. */
  nextAt: number | null;
}

export interface UpdateService {
  /** This instance's id, as its leases name it. */
  readonly instanceId: string;
  /**
   * Records updates (from `diffCorpus`) and fans them out; sent by the next round after the batch
   * window. An update the store already holds (another instance recorded the same change) counts
   * for nothing and writes no rows.
   */
  record(updates: readonly CorpusUpdate[]): Promise<RecordResult>;
  /**
   * At start: records the corpus's sources and claims never recorded before (added while the bot
   * was stopped) and fans them out. On a store that has recorded nothing yet, everything is only
   * remembered as known, so the first start announces nothing. Instances starting together may
   * all catch up: the store records each update once.
   */
  catchUp(corpus: Corpus): Promise<RecordResult>;
  /** Claims the outbox and delivers every channel that is due now; rounds never overlap. */
  runOnce(): Promise<DeliveryReport>;
  /** Runs rounds on a timer until `stop`. */
  start(): void;
  /**
   * Stops the timer, waits for a round in progress, then releases the rows this instance still
   * holds (waiting out a backoff or the batch window), so that other instances take them at once.
   */
  stop(): Promise<void>;
}

function failureOf(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryError) return error.failure;
  return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Creates the service. Nothing runs until `start` or `runOnce`.
 *
 * @example
 * const shared = await openSharedStore(config);
 * const updates = createUpdateService({ store: shared.subscriptions, senders: [terminalSender], engine: runtime.engine });
 * await updates.catchUp(runtime.engine().corpus);
 * updates.start();
 */
export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { store, engine } = options;
  const instanceId = options.instanceId ?? newInstanceId();
  const leaseMs = options.leaseMs ?? 60_000;
  const claimLimit = options.claimLimit ?? 10_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const batchWindowMs = options.batchWindowMs ?? 2_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxPermanent = options.maxPermanentFailures ?? 3;
  const maxAttempts = options.maxAttempts ?? 50;
  const withdrawnAttempts = Math.max(1, options.withdrawnAttempts ?? 6);
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const senders = new Map(options.senders.map((s) => [s.platform, s]));
  const lastSent = new Map<string, number>();
  /** Rows due before this service existed may have been in flight when an earlier process died. */
  const createdAt = now();
  const missing = new Set<string>();

  const record = async (updates: readonly CorpusUpdate[]): Promise<RecordResult> => {
    if (updates.length === 0) return { updates: 0, rows: 0 };
    const at = now();
    // The store skips what it already holds, however many instances record the same change.
    const result = await store.recordUpdates(updates, { at, dueAt: at + batchWindowMs });
    if (result.rows > 0) wake(at + batchWindowMs);
    return result;
  };

  const catchUp = async (corpus: Corpus): Promise<RecordResult> => {
    const known = await store.recordedKeys();
    const all = diffCorpus(EMPTY_CORPUS, corpus);
    if (known.size === 0) return store.recordUpdates(all, { at: now(), dueAt: now(), fanOut: false });
    // By key, not content: an edit made while the bot was stopped is a correction, not news.
    return record(all.filter((u) => !known.has(`${u.kind}:${u.key}`)));
  };

  type Batch = ChannelBatch<ClaimedDelivery>;
  /** The attempt a batch's next try is: one more than its most-tried row's. */
  const attemptOf = (batch: Batch) => Math.max(...batch.rows.map((r) => r.attempts)) + 1;
  /** Counts the attempt and schedules the next one after a backoff that grows with `attempt`. */
  const retryLater = (ids: readonly number[], attempt: number, message: string) =>
    store.reschedule(ids, now() + backoffDelay(attempt, backoff, random), message);

  const fail = async (batch: Batch, sender: PlatformSender, error: unknown, report: DeliveryReport) => {
    report.failures++;
    const failure = failureOf(error);
    const ids = batch.rows.map((r) => r.rowId);
    const attempt = attemptOf(batch);
    if (failure.kind === 'rate_limited') {
      await store.reschedule(ids, now() + Math.max(0, failure.retryAfterMs), failure.message);
      return;
    }
    if (failure.kind === 'transient') {
      if (attempt >= maxAttempts) {
        log(`updates: giving up on ${batch.id} after ${attempt} attempts: ${failure.message}`);
        await store.markFailed(ids, failure.message);
      } else await retryLater(ids, attempt, failure.message);
      return;
    }
    const subscriptions = [...new Set(batch.rows.map((r) => r.subscriptionId))];
    const reason = `${failure.message} (${maxPermanent} deliveries failed)`;
    const paused = await store.countPermanentFailure(subscriptions, reason, maxPermanent);
    // Rows of paused subscriptions were given up by the store; the others wait for the next try.
    await retryLater(ids, attempt, failure.message);
    if (paused.length === 0) return;
    report.paused += paused.length;
    log(`updates: paused ${paused.length} subscription(s) of ${batch.id}: ${reason}`);
    try {
      await sender.send(batch.target, pausedReply(reason));
    } catch {
      // Telling the channel is best effort: it usually fails for the very reason it was paused.
    }
  };

  const deliver = async (batch: Batch, corpus: Corpus, report: DeliveryReport, lease: Lease) => {
    const sender = senders.get(batch.target.platform);
    if (!sender) return;
    const ids = batch.rows.map((r) => r.rowId);
    // Another instance took these rows over (this round outlived the lease): they are its to send.
    if (ids.some((id) => lease.lost.has(id))) return;
    const reply = notificationReply(
      batch.rows,
      corpus,
      batch.rows.map((r) => r.actor),
    );
    if (!reply) {
      lease.done(ids);
      const attempt = attemptOf(batch);
      if (attempt >= withdrawnAttempts) await store.markFailed(ids, 'withdrawn from the data before delivery');
      else await retryLater(ids, attempt, 'not in this instance’s data (yet)');
      return;
    }
    const idempotencyKey = messageKey(batch.rows.map((r) => r.idempotencyKey));
    // A failed attempt may have failed after the platform posted (a timeout); a row taken over from
    // a dead instance may have been posted by it; without leases (SQLite), so may a row that was
    // already due when this process started, if the one before it crashed mid-send.
    const maybeSent = batch.rows.some(
      (r) => r.attempts > 0 || r.takenOver || (r.leasedUntil === null && r.nextAttemptAt < createdAt),
    );
    try {
      await sender.send(batch.target, reply, { idempotencyKey, maybeSent });
    } catch (error) {
      // No longer renewed from here: the store writes below release the rows.
      lease.done(ids);
      await fail(batch, sender, error, report);
      return;
    }
    lease.done(ids);
    const t = now();
    lastSent.set(batch.id, t);
    await store.markSent(ids, t);
    await store.resetFailures([...new Set(batch.rows.map((r) => r.subscriptionId))]);
    report.messages++;
    report.delivered += ids.length;
  };

  /** Says once per platform that rows wait for a sender this instance does not run (looked at once a minute). */
  let lookedAt = Number.NEGATIVE_INFINITY;
  const noteMissing = async (t: number) => {
    if (t - lookedAt < 60_000) return;
    lookedAt = t;
    for (const platform of await store.pendingPlatforms()) {
      if (senders.has(platform) || missing.has(platform)) continue;
      missing.add(platform);
      log(`updates: no ${platform} sender is running here; its deliveries wait`);
    }
  };

  const round = async (): Promise<DeliveryReport> => {
    const t = now();
    await noteMissing(t);
    const claimed =
      senders.size === 0 ? [] : await store.claim(claimLimit, leaseMs, instanceId, { platforms: [...senders.keys()] });
    const takenOver = claimed.filter((r) => r.takenOver).length;
    if (takenOver > 0) {
      log(`updates: took over ${takenOver} deliveries whose lease another instance let expire (it stopped or hung)`);
    }
    const plan = planDeliveries(claimed, t, (b) => {
      const last = lastSent.get(b.id);
      return last === undefined ? 0 : last + (senders.get(b.target.platform)?.minIntervalMs ?? 0);
    });
    const report: DeliveryReport = { messages: 0, delivered: 0, failures: 0, paused: 0, nextAt: plan.nextAt };
    const corpus = engine().corpus;
    const queue = [...plan.due];
    const lease = holdLease(
      { store, leaseMs, instanceId, log },
      queue.flatMap((b) => b.rows.map((r) => r.rowId)),
    );
    const worker = async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        try {
          await deliver(b, corpus, report, lease);
        } catch (error) {
          // A store error must not stop the other channels; the rows stay pending for the next round.
          log(`updates: delivery to ${b.id} failed unexpectedly`, error);
        } finally {
          lease.done(b.rows.map((r) => r.rowId));
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    } finally {
      await lease.end();
    }
    // What just failed or was sent may be due again sooner than the plan knew.
    if (report.failures > 0 || report.messages > 0) report.nextAt = Math.min(report.nextAt ?? t + pollMs, t + pollMs);
    return report;
  };

  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<DeliveryReport> => {
    const run = chain.then(round);
    chain = run.catch(() => undefined);
    return run;
  };

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  function wake(at: number): void {
    if (!running || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(tick, Math.max(10, at - now()));
    timer.unref();
  }
  function tick(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    runOnce().then(
      (r) => wake(Math.min(r.nextAt ?? Number.POSITIVE_INFINITY, now() + pollMs)),
      (error: unknown) => {
        log('updates: delivery round failed', error);
        wake(now() + pollMs);
      },
    );
  }

  return {
    instanceId,
    record,
    catchUp,
    runOnce,
    start() {
      running = true;
      wake(now());
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      await chain;
      // Nothing is in flight now: what this instance held was not sent, and others may claim it.
      await store
        .releaseLeases(instanceId)
        .catch((error: unknown) => log('updates: releasing the outbox lease failed', error));
    },
  };
}
