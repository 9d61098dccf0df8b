/**
 * The PlatformSender for Slack: update notifications go out with `chat.postMessage` to the
 * subscribed channel, rendered as Block Kit. Failures are classified for the delivery loop, which
 * owns retries, so the client given here should not retry on its own.
 *
 * Each post carries message metadata naming the delivery (`threatdesk_update`, with the
 * idempotency key the delivery loop gives, the same on every attempt). When the loop says an
 * earlier attempt may have gone through (`maybeSent`: it timed out, or its instance died), the
 * channel's latest messages are read first (`conversations.history` with `include_all_metadata`),
 * and a message with that key means the delivery is done: nothing is posted twice.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.ts';
import {
  type ChannelRef,
  DeliveryError,
  type PlatformSender,
  type SendOptions,
} from '../../updates/subscriptions/sender.ts';
import { renderBlocks } from './render-blocks.ts';
import { classifySlackError, slackErrorCode } from './slack-errors.ts';

/** Slack allows about one message per second per channel; a little over, to stay clear of 429s. */
export const SLACK_MIN_INTERVAL_MS = 1100;

/** The metadata event type of update notifications. */
export const UPDATE_EVENT_TYPE = 'threatdesk_update';

/** How many of a channel's latest messages are searched for an earlier attempt. */
export const HISTORY_LIMIT = 50;

/** The bot token for a workspace (team id); undefined when the app is not installed there. */
export type TokenForWorkspace = (workspace: string) => string | undefined | Promise<string | undefined>;

/**
 * A sender posting with `client` (built with `retryConfig: { retries: 0 }` and
 * `rejectRateLimitedCalls: true`, so that every failure reaches the delivery loop), with one bot
 * token (single-workspace mode) or the token `token(workspace)` gives (multi-workspace mode; a
 * workspace without one is a permanent failure).
 *
 * @example
 * const sender = createSlackSender(new webApi.WebClient(undefined, { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }), token);
 * await sender.send({ platform: 'slack', workspace: 'T1', channel: 'C1' }, reply, { idempotencyKey: 'o1-3f9a' });
 */
export function createSlackSender(client: webApi.WebClient, token: string | TokenForWorkspace): PlatformSender {
  const tokenFor: TokenForWorkspace = typeof token === 'string' ? () => token : token;
  return {
    platform: 'slack',
    minIntervalMs: SLACK_MIN_INTERVAL_MS,
    async send(target: ChannelRef, reply: Reply, options: SendOptions = {}): Promise<void> {
      if (target.platform !== 'slack') {
        throw new DeliveryError({ kind: 'permanent', message: `slack: cannot send to a ${target.platform} channel` });
      }
      let botToken: string | undefined;
      try {
        botToken = await tokenFor(target.workspace);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DeliveryError({
          kind: 'transient',
          message: `slack: cannot read the installation store (${reason})`,
        });
      }
      if (!botToken) {
        throw new DeliveryError({
          kind: 'permanent',
          message: `slack: the app is not installed in workspace ${target.workspace} (install it again at /slack/install)`,
        });
      }
      const key = options.idempotencyKey;
      if (key && options.maybeSent && (await alreadyPosted(client, botToken, target.channel, key))) return;
      const { text, blocks } = renderBlocks(reply);
      try {
        // web-api resolves only on `ok: true` and rejects every other answer.
        await client.chat.postMessage({
          token: botToken,
          channel: target.channel,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(key ? { metadata: { event_type: UPDATE_EVENT_TYPE, event_payload: { idempotency_key: key } } } : {}),
        });
      } catch (error) {
        throw new DeliveryError(classifySlackError(error));
      }
    },
  };
}

/**
 * Whether one of the channel's latest messages carries the delivery's key. Without the scope to
 * read the channel (`missing_scope`: an install from before the history scopes were asked for),
 * the answer is no, and the delivery stays at least once; any other failure is the send's failure.
 */
async function alreadyPosted(client: webApi.WebClient, token: string, channel: string, key: string): Promise<boolean> {
  try {
    const history = await client.conversations.history({
      token,
      channel,
      limit: HISTORY_LIMIT,
      include_all_metadata: true,
    });
    return (history.messages ?? []).some((m) => {
      const payload = m.metadata?.event_payload as { idempotency_key?: unknown } | undefined;
      return m.metadata?.event_type === UPDATE_EVENT_TYPE && payload?.idempotency_key === key;
    });
  } catch (error) {
    if (slackErrorCode(error) === 'missing_scope') return false;
    throw new DeliveryError(classifySlackError(error));
  }
}
