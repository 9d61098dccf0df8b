/**
 * The PlatformSender for Discord: update notifications are posted with REST
 * (`POST /channels/{id}/messages`), rendered as embeds that ping no one. Failures are classified
 * for the delivery loop, which owns retries and backoff: this sender never waits out a rate limit
 * or retries a 5xx itself. The delivery's idempotency key goes as the message `nonce` with
 * `enforce_nonce`, so Discord itself drops a repeat (its nonce is at most 25 characters, which the
 * keys keep to); `maybeSent` needs nothing more here.
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Reply } from '../../core/reply.ts';
import {
  DeliveryError,
  type DeliveryFailure,
  type PlatformSender,
  type SendOptions,
} from '../../updates/subscriptions/sender.ts';
import { explainDiscordError } from './explain-error.ts';
import { renderEmbeds } from './render-embeds.ts';
import { type DiscordRestTuning, restOptions } from './rest-options.ts';

/** Discord allows about 5 messages per 5 seconds in a channel; one a second stays clear of it. */
const MIN_INTERVAL_MS = 1000;
/** When Discord names no delay for a 429. */
const DEFAULT_RETRY_AFTER_MS = 1000;

const PERMANENT_CODES = new Set<number | string>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

/**
 * What the delivery loop should do about a failed send: 429 → `rate_limited` with the delay
 * Discord asked for; 403, 404 and codes 50001, 50013, 10003 (and any other 4xx, which a retry
 * cannot fix) → `permanent`; 5xx, timeouts and network errors → `transient`.
 *
 * @example classifyDiscordError(error).kind // 'permanent'
 */
export function classifyDiscordError(error: unknown, action = 'sending a message'): DeliveryFailure {
  const message = explainDiscordError(error, action);
  if (error instanceof RateLimitError) {
    const retryAfterMs = Math.max(error.retryAfter, error.timeToReset, 0) || DEFAULT_RETRY_AFTER_MS;
    return { kind: 'rate_limited', message, retryAfterMs: Math.ceil(retryAfterMs) };
  }
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) {
      const seconds = (error.rawError as { retry_after?: unknown }).retry_after;
      const retryAfterMs = typeof seconds === 'number' ? Math.ceil(seconds * 1000) : DEFAULT_RETRY_AFTER_MS;
      return { kind: 'rate_limited', message, retryAfterMs };
    }
    if (PERMANENT_CODES.has(error.code) || (error.status >= 400 && error.status < 500 && error.status !== 408)) {
      return { kind: 'permanent', message };
    }
    return { kind: 'transient', message };
  }
  if (error instanceof HTTPError && error.status >= 400 && error.status < 500 && error.status !== 408) {
    return { kind: 'permanent', message };
  }
  return { kind: 'transient', message };
}

/** How the sender reaches Discord. */
export interface DiscordSenderOptions {
  token: string;
  /** REST base without the version (DISCORD_API_URL). */
  apiUrl?: string;
  /** Only `timeout` applies: retries always stay with the delivery loop. */
  rest?: DiscordRestTuning;
}

/**
 * A sender posting replies as embeds to Discord channels (text channels, threads, DMs by channel
 * id). Resolves once Discord answered 2xx (for a repeated nonce, with the message it created
 * before); throws a DeliveryError otherwise.
 *
 * @example await createDiscordSender({ token }).send({ platform: 'discord', workspace: guild, channel }, reply)
 */
export function createDiscordSender(options: DiscordSenderOptions): PlatformSender {
  const rest = new REST({
    ...restOptions(options.apiUrl, { ...options.rest, retries: 0 }),
    // Report every rate limit (a 429 or a bucket known to be empty) instead of sleeping on it.
    rejectOnRateLimit: () => true,
  }).setToken(options.token);
  return {
    platform: 'discord',
    minIntervalMs: MIN_INTERVAL_MS,
    async send(target, reply: Reply, sendOptions: SendOptions = {}) {
      if (target.platform !== 'discord') {
        throw new DeliveryError({ kind: 'permanent', message: `discord: cannot send to a ${target.platform} channel` });
      }
      try {
        await rest.post(Routes.channelMessages(target.channel), {
          body: {
            embeds: renderEmbeds(reply),
            allowed_mentions: { parse: [] },
            // With enforce_nonce, Discord answers a repeat of this nonce (within a few minutes) with
            // the message it already created instead of posting it again: a retry after a timeout,
            // or another instance taking the delivery over, does not post twice.
            ...(sendOptions.idempotencyKey ? { nonce: sendOptions.idempotencyKey, enforce_nonce: true } : {}),
          },
        });
      } catch (error) {
        throw new DeliveryError(classifyDiscordError(error, `sending to channel ${target.channel}`));
      }
    },
  };
}
