/**
 * The port through which update notifications reach a platform. Each adapter (terminal, Slack,
 * Discord) provides one; the delivery loop owns retries, backoff, rate limits and pausing.
 */
import type { Origin } from '../../core/commands/define-command.ts';
import type { Reply } from '../../core/reply.ts';

/** Where a notification goes. */
export interface ChannelRef {
  platform: Origin['platform'];
  workspace: string;
  channel: string;
}

/** Why a send failed, so the delivery loop knows what to do next. */
export type DeliveryFailure =
  /** Network error, 5xx, timeout: retry with backoff. */
  | { kind: 'transient'; message: string }
  /** 429: retry after the platform's delay. */
  | { kind: 'rate_limited'; message: string; retryAfterMs: number }
  /** Channel gone, bot removed, missing permission: pause the subscription. */
  | { kind: 'permanent'; message: string };

/** Thrown by a sender; `failure` classifies it. */
export class DeliveryError extends Error {
  readonly failure: DeliveryFailure;
  constructor(failure: DeliveryFailure) {
    super(failure.message);
    this.name = 'DeliveryError';
    this.failure = failure;
  }
}

/** What the delivery loop passes along with a send. */
export interface SendOptions {
  /**
   * Names this delivery, the same on every attempt (see `idempotencyKey` in
   * `../store/shared-store.ts`), so that a retry after a timeout does not post twice where the
   * platform lets a sender say so (Discord: the message nonce; Slack: message metadata).
   */
  idempotencyKey?: string;
  /**
   * True when an earlier attempt at this delivery may already have reached the platform: a row of
   * it failed before (a timeout may come after the post), or it was taken over from an instance
   * whose lease ran out mid-send. A sender that can look (Slack: the channel's recent messages,
   * by the key in their metadata) checks before posting again; Discord's nonce needs no look.
   */
  maybeSent?: boolean;
}

export interface PlatformSender {
  platform: Origin['platform'];
  /**
   * Sends a reply to a channel. Resolves only once the platform confirmed the message; throws a
   * DeliveryError (anything else counts as transient).
   */
  send(target: ChannelRef, reply: Reply, options?: SendOptions): Promise<void>;
  /** Minimum spacing between two messages to one channel, in ms (Slack: about 1 per second). */
  minIntervalMs?: number;
}
