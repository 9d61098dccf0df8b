/**
 * The PlatformSender for Slack: update notifications go out with `chat.postMessage` to the
 * subscribed channel, rendered as Block Kit. Failures are classified for the delivery loop, which
 * owns retries, so the client given here should not retry on its own.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.ts';
import { type ChannelRef, DeliveryError, type PlatformSender } from '../../updates/subscriptions/sender.ts';
import { renderBlocks } from './render-blocks.ts';
import { classifySlackError } from './slack-errors.ts';

/** Slack allows about one message per second per channel; a little over, to stay clear of 429s. */
export const SLACK_MIN_INTERVAL_MS = 1100;

/**
 * A sender posting with `client` (built with `retryConfig: { retries: 0 }` and
 * `rejectRateLimitedCalls: true`, so that every failure reaches the delivery loop).
 *
 * @example
 * const sender = createSlackSender(new webApi.WebClient(token, { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }), token);
 * await sender.send({ platform: 'slack', workspace: 'T1', channel: 'C1' }, reply);
 */
export function createSlackSender(client: webApi.WebClient, token: string): PlatformSender {
  return {
    platform: 'slack',
    minIntervalMs: SLACK_MIN_INTERVAL_MS,
    async send(target: ChannelRef, reply: Reply): Promise<void> {
      if (target.platform !== 'slack') {
        throw new DeliveryError({ kind: 'permanent', message: `slack: cannot send to a ${target.platform} channel` });
      }
      const { text, blocks } = renderBlocks(reply);
      try {
        // web-api resolves only on `ok: true` and rejects every other answer.
        await client.chat.postMessage({
          token,
          channel: target.channel,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        throw new DeliveryError(classifySlackError(error));
      }
    },
  };
}
