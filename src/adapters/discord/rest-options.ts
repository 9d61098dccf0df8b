/**
 * Options for discord.js's REST client (@discordjs/rest), shared by the gateway client, the
 * notification sender and `npm run register`, so all three talk to the same API base.
 */
import type { RESTOptions } from 'discord.js';

/** REST tuning that callers may override (tests make retries and timeouts small). */
export interface DiscordRestTuning {
  /** Retries of a 5xx, timeout or reset connection (discord.js default 3). */
  retries?: number;
  /** Milliseconds before a request is aborted (discord.js default 15,000). */
  timeout?: number;
}

/**
 * A REST base without a trailing slash or a version: `DISCORD_API_URL` is documented as the base
 * without the version, but `…/api/v10` and `…/api/` are accepted too, since both are easy to write.
 *
 * @example normalizeApiUrl('http://127.0.0.1:8080/api/v10/') // 'http://127.0.0.1:8080/api'
 */
export function normalizeApiUrl(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

/**
 * REST options for API version 10, pointed at `apiUrl` when given (a REST proxy, or a loopback
 * stand-in in tests).
 *
 * @example new REST(restOptions('http://127.0.0.1:8080/api', { retries: 1 }))
 */
export function restOptions(apiUrl: string | undefined, tuning: DiscordRestTuning = {}): Partial<RESTOptions> {
  return { version: '10', ...(apiUrl ? { api: normalizeApiUrl(apiUrl) } : {}), ...tuning };
}
