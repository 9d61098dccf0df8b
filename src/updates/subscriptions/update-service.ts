/**
 * The update service: records what is new in the corpus, fans it out to the outbox, and delivers
 * the outbox through each platform's sender. Retries, backoff, rate limits and pausing live here;
 * senders only send and classify failures.
 *
 * Delivery is at least once: a row is marked sent only after `send` resolved, so a crash between
 * the two sends that one message again on restart, and nothing else is ever lost or repeated.
 */
import type { AnswerEngine } from '../../core/answer/engine.ts';
import type { Corpus } from '../../core/corpus/corpus.ts';
import { type CorpusUpdate, diffCorpus, EMPTY_CORPUS } from '../../core/corpus/diff-corpus.ts';
import {
  type BackoffOptions,
  backoffDelay,
  type ChannelBatch,
  DEFAULT_BACKOFF,
  planDeliveries,
} from './delivery-plan.ts';
import { notificationReply, pausedReply } from './notification.ts';
import { DeliveryError, type DeliveryFailure, type PlatformSender } from './sender.ts';
import type { RecordResult, SubscriptionStore } from './store.ts';

export interface UpdateServiceOptions {
  store: SubscriptionStore;
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
  /** Records updates (from `diffCorpus`) and fans them out; sent by the next round after the batch window. */
  record(updates: readonly CorpusUpdate[]): RecordResult;
  /**
   * At start: records the corpus's sources and claims never recorded before (added while the bot
   * was stopped) and fans them out. On a store that has recorded nothing yet, everything is only
   * remembered as known, so the first start announces nothing.
   */
  catchUp(corpus: Corpus): RecordResult;
  /** Delivers every channel that is due now; rounds never overlap. */
  runOnce(): Promise<DeliveryReport>;
  /** Runs rounds on a timer until `stop`. */
  start(): void;
  /** Stops the timer and waits for a round in progress. */
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
 * const updates = createUpdateService({ store, senders: [terminalSender], engine: runtime.engine });
 * updates.catchUp(runtime.engine().corpus);
 * updates.start();
 */
export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { store, engine } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const batchWindowMs = options.batchWindowMs ?? 2_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxPermanent = options.maxPermanentFailures ?? 3;
  const maxAttempts = options.maxAttempts ?? 50;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const senders = new Map(options.senders.map((s) => [s.platform, s]));
  const lastSent = new Map<string, number>();
  const missing = new Set<string>();

  const record = (updates: readonly CorpusUpdate[]): RecordResult => {
    const at = now();
    const result = store.recordUpdates(updates, { at, dueAt: at + batchWindowMs });
    if (result.rows > 0) wake(at + batchWindowMs);
    return result;
  };

  const catchUp = (corpus: Corpus): RecordResult => {
    const known = store.recordedKeys();
    const all = diffCorpus(EMPTY_CORPUS, corpus);
    if (known.size === 0) return store.recordUpdates(all, { at: now(), dueAt: now(), fanOut: false });
    return record(all.filter((u) => !known.has(`${u.kind}:${u.key}`)));
  };

  const fail = async (batch: ChannelBatch, sender: PlatformSender, error: unknown, report: DeliveryReport) => {
    report.failures++;
    const failure = failureOf(error);
    const ids = batch.rows.map((r) => r.rowId);
    const attempt = Math.max(...batch.rows.map((r) => r.attempts)) + 1;
    const t = now();
    if (failure.kind === 'rate_limited') {
      store.reschedule(ids, t + Math.max(0, failure.retryAfterMs), failure.message);
      return;
    }
    if (failure.kind === 'transient') {
      if (attempt >= maxAttempts) {
        log(`updates: giving up on ${batch.id} after ${attempt} attempts: ${failure.message}`);
        store.markFailed(ids, failure.message);
      } else store.reschedule(ids, t + backoffDelay(attempt, backoff, random), failure.message);
      return;
    }
    const subscriptions = [...new Set(batch.rows.map((r) => r.subscriptionId))];
    const reason = `${failure.message} (${maxPermanent} deliveries failed)`;
    const paused = store.countPermanentFailure(subscriptions, reason, maxPermanent);
    // Rows of paused subscriptions were given up by the store; the others wait for the next try.
    store.reschedule(ids, t + backoffDelay(attempt, backoff, random), failure.message);
    if (paused.length === 0) return;
    report.paused += paused.length;
    log(`updates: paused ${paused.length} subscription(s) of ${batch.id}: ${reason}`);
    try {
      await sender.send(batch.target, pausedReply(reason));
    } catch {
      // Telling the channel is best effort: it usually fails for the very reason it was paused.
    }
  };

  const deliver = async (batch: ChannelBatch, corpus: Corpus, report: DeliveryReport) => {
    const sender = senders.get(batch.target.platform);
    if (!sender) return;
    const ids = batch.rows.map((r) => r.rowId);
    const reply = notificationReply(
      batch.rows,
      corpus,
      batch.rows.map((r) => r.actor),
    );
    if (!reply) {
      store.markFailed(ids, 'withdrawn from the data before delivery');
      return;
    }
    try {
      await sender.send(batch.target, reply);
    } catch (error) {
      await fail(batch, sender, error, report);
      return;
    }
    const t = now();
    lastSent.set(batch.id, t);
    store.markSent(ids, t);
    store.resetFailures([...new Set(batch.rows.map((r) => r.subscriptionId))]);
    report.messages++;
    report.delivered += ids.length;
  };

  const round = async (): Promise<DeliveryReport> => {
    const t = now();
    const pending = store.pending().filter((r) => {
      if (senders.has(r.platform)) return true;
      if (!missing.has(r.platform)) log(`updates: no ${r.platform} sender is running; its deliveries wait`);
      missing.add(r.platform);
      return false;
    });
    const plan = planDeliveries(pending, t, (b) => {
      const last = lastSent.get(b.id);
      return last === undefined ? 0 : last + (senders.get(b.target.platform)?.minIntervalMs ?? 0);
    });
    const report: DeliveryReport = { messages: 0, delivered: 0, failures: 0, paused: 0, nextAt: plan.nextAt };
    const corpus = engine().corpus;
    const queue = [...plan.due];
    const worker = async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        try {
          await deliver(b, corpus, report);
        } catch (error) {
          // A store error must not stop the other channels; the rows stay pending for the next round.
          log(`updates: delivery to ${b.id} failed unexpectedly`, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
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
    },
  };
}
