/**
 * Errors from Discord (REST, gateway, discord.js) turned into one log line that says what happened
 * and what to do about it. Used by the adapter, the notification sender and `npm run register`.
 */
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';

/** The permissions the bot needs in a channel, as named in Discord's settings. */
export const NEEDED_PERMISSIONS =
  'View Channel, Send Messages, Embed Links, Read Message History, Send Messages in Threads';

const TOKEN_ADVICE =
  'Discord rejected the bot token. Reset it on the Bot page of the Developer Portal and set DISCORD_TOKEN to the new value.';

/**
 * A one-line explanation of a Discord failure, prefixed with what was being done.
 *
 * @example explainDiscordError(error, 'sending to channel 123') // 'discord: sending to channel 123: the bot lacks a permission …'
 */
export function explainDiscordError(error: unknown, action: string): string {
  return `discord: ${action}: ${describe(error)}`;
}

/** Whether an error came from Discord's API (its explanation says it all; a stack adds nothing). */
export function isDiscordError(error: unknown): boolean {
  return error instanceof DiscordAPIError || error instanceof HTTPError || error instanceof RateLimitError;
}

function describe(error: unknown): string {
  if (error instanceof RateLimitError) {
    const ms = Math.max(error.retryAfter, error.timeToReset);
    return `rate limited by Discord on ${error.method.toUpperCase()} ${error.route} (429, ${error.global ? 'global' : 'per route'}); retry after ${ms} ms. Frequent 429s mean too many messages: fewer subscriptions per channel, or a larger interval.`;
  }
  if (error instanceof DiscordAPIError) return describeApiError(error);
  if (error instanceof HTTPError) {
    return `Discord answered ${error.status} ${error.message} after retries; this is on Discord's side and usually temporary (see https://discordstatus.com). Nothing to fix here.`;
  }
  if (!(error instanceof Error)) return `unexpected failure: ${String(error)}`;
  const code = (error as Error & { code?: unknown }).code;
  if (code === 'TokenInvalid' || error.message === 'Authentication failed') return TOKEN_ADVICE;
  if (error.message === 'Used disallowed intents') {
    return 'Discord refused the privileged Message Content intent (gateway close 4014). Turn it on under Bot → Privileged Gateway Intents in the Developer Portal, or start without it: mentions, DMs and slash commands work without it.';
  }
  if (error.message === 'Sharding is required') {
    return 'Discord requires sharding (gateway close 4011): the bot is in too many servers for one gateway connection (Discord allows 2,500 a connection). Set DISCORD_SHARDS=auto.';
  }
  if (error.message === 'Invalid shard') {
    return 'Discord refused the shard (gateway close 4010). Set DISCORD_SHARDS=auto, or to a whole number of shards.';
  }
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return 'no answer from Discord before the timeout. Check the network, a proxy, or DISCORD_API_URL if it is set.';
  }
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  const net = typeof cause?.code === 'string' ? cause.code : typeof code === 'string' ? code : '';
  if (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR)/.test(net) ||
    error.message === 'fetch failed'
  ) {
    return `cannot reach Discord (${net || error.message}). Check the network, a proxy, or DISCORD_API_URL if it is set.`;
  }
  return `unexpected failure: ${error.message}`;
}

function describeApiError(error: DiscordAPIError): string {
  const what = `${error.message} (${error.status}${typeof error.code === 'number' && error.code > 0 ? `, code ${error.code}` : ''})`;
  switch (error.code) {
    case RESTJSONErrorCodes.MissingPermissions:
      return `${what}: the bot lacks a permission in this channel. Give its role ${NEEDED_PERMISSIONS} there (channel settings → Permissions).`;
    case RESTJSONErrorCodes.MissingAccess:
      return `${what}: the bot cannot see this channel or server. Add it to the channel (View Channel), or invite it to the server with the URL printed by npm run register.`;
    case RESTJSONErrorCodes.UnknownChannel:
      return `${what}: the channel no longer exists or the bot was removed from it.`;
    case RESTJSONErrorCodes.UnknownInteraction:
      return `${what}: the interaction expired before the bot acknowledged it (Discord allows 3 seconds). Check the machine's load and its latency to Discord.`;
    case RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged:
      return `${what}: another process answered first. Run only one bot per token.`;
    case RESTJSONErrorCodes.CannotSendMessagesToThisUser:
      return `${what}: the user does not accept direct messages from the bot.`;
    case RESTJSONErrorCodes.InvalidFormBodyOrContentType:
      return `${what}: Discord rejected the request body, which is a bug in threatdesk; please report it with this line: ${JSON.stringify(error.rawError).slice(0, 600)}`;
  }
  if (error.status === 401) return `${what}: ${TOKEN_ADVICE}`;
  if (error.status === 403) return `${what}: the bot is not allowed to do this here. It needs ${NEEDED_PERMISSIONS}.`;
  if (error.status === 404) return `${what}: Discord does not know this channel, message or application any more.`;
  if (error.status === 429) return `${what}: rate limited; discord.js waits and retries by itself.`;
  return `${what}.`;
}
