/**
 * The lease a delivery round keeps on the outbox rows it is sending. Claiming leases rows to this
 * instance for `leaseMs`; a round whose sends take longer (slow platforms, many channels) renews
 * the lease of the rows not yet finished every third of `leaseMs`, so that no other instance takes
 * them over while they are in flight. A row the store no longer lets this instance renew was taken
 * over by another instance after its lease ran out: the round leaves it to that instance.
 */
import type { SharedSubscriptionStore } from '../store/shared-store.ts';

/** The lease a round holds on the rows it is sending. */
export interface Lease {
  /** Rows another instance took over: not to be sent. */
  lost: Set<number>;
  /**
   * Rows whose send is over: no longer renewed. Called before the store write that releases them,
   * so that a renewal racing with the write does not take them for lost.
   */
  done(rowIds: readonly number[]): void;
  /** Stops renewing; waits for a renewal in flight. */
  end(): Promise<void>;
}

/** What renewing needs. */
export interface LeaseOptions {
  store: Pick<SharedSubscriptionStore, 'renewLeases'>;
  leaseMs: number;
  instanceId: string;
  log: (message: string, error?: unknown) => void;
}

/**
 * Starts renewing the lease on `rowIds` until `end()`.
 *
 * @example
 * const lease = holdLease({ store, leaseMs: 60_000, instanceId, log }, rows.map((r) => r.rowId));
 * try { … lease.done(ids) after each send … } finally { await lease.end(); }
 */
export function holdLease(options: LeaseOptions, rowIds: readonly number[]): Lease {
  const { store, leaseMs, instanceId, log } = options;
  const held = new Set(rowIds);
  const lost = new Set<number>();
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    const ids = [...held];
    if (ids.length === 0) return;
    try {
      const kept = new Set(await store.renewLeases(ids, leaseMs, instanceId));
      const gone = ids.filter((id) => !kept.has(id) && held.has(id));
      for (const id of gone) lost.add(id);
      if (gone.length > 0) log(`updates: ${gone.length} claimed row(s) were taken over by another instance`);
    } catch (error) {
      // The store may be back by the next renewal; until the lease runs out the rows stay ours.
      log('updates: renewing the outbox lease failed', error);
    }
  };
  const timer = setInterval(
    () => {
      renewing = renewing.then(renew);
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    lost,
    done: (ids) => {
      for (const id of ids) held.delete(id);
    },
    end: async () => {
      clearInterval(timer);
      await renewing;
    },
  };
}
