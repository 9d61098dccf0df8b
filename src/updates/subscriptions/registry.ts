/**
 * Subscriptions as commands see them. The interface is added to the commands' services from here
 * (declaration merging), so that `src/core/` never imports the updates pipeline.
 */
import type { Origin } from '../../core/commands/define-command.ts';

/** A subscription of one channel, optionally to one actor. */
export interface Subscription {
  platform: Origin['platform'];
  workspace: string;
  channel: string;
  /** Actor id, or null for every update. */
  actor: string | null;
  createdBy: string;
  createdAt: string;
  /** Why delivery is paused, or null while active. */
  pausedReason: string | null;
}

/** The subscription store as commands see it: the shared store's (`../store/shared-store.ts`). */
export interface SubscriptionRegistry {
  /** Adds a subscription, or resumes a paused one; false when it already existed and was active. */
  subscribe(origin: Origin, actor: string | null): Promise<boolean>;
  /** Removes a subscription (and its outbox rows); false when there was none. */
  unsubscribe(origin: Origin, actor: string | null): Promise<boolean>;
  /** The channel's subscriptions, oldest first. */
  list(origin: Pick<Origin, 'platform' | 'workspace' | 'channel'>): Promise<Subscription[]>;
}

declare module '../../core/commands/define-command.ts' {
  interface CommandServices {
    /** Absent where the running bot has no subscription store. */
    subscriptions: SubscriptionRegistry;
  }
}
