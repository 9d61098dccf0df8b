/**
 * What a failed Slack Web API call means for us: retry soon, wait for the rate limit, or stop (the
 * channel is gone, the bot was removed, the token is bad). Also a one-line description for logs
 * that never includes the request (web-api errors carry the request, and with it the token).
 */
import type { DeliveryFailure } from '../../updates/subscriptions/sender.ts';

/** Slack error codes after which sending to that channel again cannot succeed until someone acts. */
export const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_access_not_granted',
  'ekm_access_denied',
  'org_login_required',
  'invalid_blocks',
  'msg_too_long',
  'msg_blocks_too_long',
  'too_many_attachments',
]);

/** Slack's Retry-After is in seconds; without one, wait this long (ms). */
export const DEFAULT_RETRY_AFTER_MS = 30_000;

interface WebApiErrorShape {
  code?: unknown;
  message?: unknown;
  data?: { error?: unknown; needed?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
}

/** The Slack error code of a platform error (`channel_not_found`), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as WebApiErrorShape | null;
  return e && e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

/**
 * Classifies a `@slack/web-api` error: 429 (or `ratelimited`) → rate_limited with Slack's delay;
 * channel, membership, archive, account, auth and scope errors (`PERMANENT_ERRORS`) → permanent;
 * network errors, timeouts, 5xx and any other platform error → transient.
 *
 * @example classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'not_in_channel' } }).kind // 'permanent'
 */
export function classifySlackError(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as WebApiErrorShape;
  const message = describeSlackError(error);
  if (e.code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : undefined;
    return {
      kind: 'rate_limited',
      message,
      retryAfterMs: seconds === undefined ? DEFAULT_RETRY_AFTER_MS : seconds * 1000,
    };
  }
  // web-api rejects a 429 without a usable Retry-After with a plain Error saying so.
  if (typeof e.message === 'string' && /Retry header did not contain a valid timeout/.test(e.message)) {
    return { kind: 'rate_limited', message, retryAfterMs: DEFAULT_RETRY_AFTER_MS };
  }
  const code = slackErrorCode(error);
  if (code === 'ratelimited') return { kind: 'rate_limited', message, retryAfterMs: DEFAULT_RETRY_AFTER_MS };
  if (code && PERMANENT_ERRORS.has(code)) return { kind: 'permanent', message };
  return { kind: 'transient', message };
}

/**
 * A safe one-line description of a Slack API error: the Slack error code (and missing scope), the
 * HTTP status, or the network error's message. Never the request, headers or token.
 *
 * @example describeSlackError({ code: 'slack_webapi_platform_error', data: { error: 'missing_scope', needed: 'chat:write' } })
 * // 'Slack API error missing_scope (needs chat:write)'
 */
export function describeSlackError(error: unknown): string {
  const e = (error ?? {}) as WebApiErrorShape;
  const code = slackErrorCode(error);
  if (code) return `Slack API error ${code}${typeof e.data?.needed === 'string' ? ` (needs ${e.data.needed})` : ''}`;
  if (e.code === 'slack_webapi_http_error') return `Slack API answered HTTP ${String(e.statusCode)}`;
  if (e.code === 'slack_webapi_rate_limited_error')
    return `Slack API rate limit (retry after ${String(e.retryAfter)} s)`;
  const text = (typeof e.message === 'string' ? e.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);
  // A request error's message is the network error's ("connect ECONNREFUSED 127.0.0.1:9").
  if (e.code === 'slack_webapi_request_error') return `Slack API unreachable: ${text}`;
  return error instanceof Error ? `${error.name}: ${text}` : text;
}
