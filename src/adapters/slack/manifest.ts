/**
 * The Slack app manifest, generated from `commands/` so the slash commands Slack shows are exactly
 * the ones the adapter answers. Written as YAML by a small serialiser (the manifest is plain maps,
 * lists, strings, numbers and booleans; no dependency is needed for that).
 *
 * Bot scopes, and why each is needed (nothing else is requested):
 * - `commands`: the slash commands.
 * - `chat:write`: answers to mentions and DMs (`chat.postMessage`, `chat.postEphemeral`) and update
 *   notifications in channels the bot was invited to.
 * - `app_mentions:read`: the `app_mention` event.
 * - `im:history`: the `message.im` event (direct messages to the bot).
 * - `channels:history`, `groups:history`: before retrying a notification whose first attempt may
 *   have been posted (it timed out), the sender reads the channel's latest messages for it
 *   (`conversations.history`), so that it is not posted twice. No channel message events are
 *   subscribed to: the bot is never sent channel chatter.
 * Not requested: `im:read` (the event already says it is a DM), `chat:write.public` (notifications
 * go only to channels the bot was invited to).
 *
 * Events: `app_mention`, `message.im`, and `app_uninstalled` and `tokens_revoked`, on which
 * multi-workspace mode forgets the workspace (its token and subscriptions; see oauth.ts). The
 * OAuth redirect URL is the request URL's host with `/slack/oauth_redirect`.
 */
import type { AnyCommand } from '../../core/commands/define-command.ts';
import { optionDescription, optionNames, optionRequired } from '../../core/commands/run-command.ts';

/** The request URL placeholder: replace YOUR-HOST with where the bot is reachable over https. */
export const PLACEHOLDER_REQUEST_URL = 'https://YOUR-HOST/slack/events';

export const BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'chat:write',
  'commands',
  'groups:history',
  'im:history',
] as const;
export const BOT_EVENTS = ['app_mention', 'message.im', 'app_uninstalled', 'tokens_revoked'] as const;
/** Where Slack sends the browser back after an install (multi-workspace mode), on the request URL's host. */
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

export interface ManifestOptions {
  /** App and bot name (default `threatdesk`): at most 35 characters; a-z, 0-9, `-`, `_`, `.`. */
  name?: string;
  /** Where Slack sends commands and events in HTTP mode (default `PLACEHOLDER_REQUEST_URL`). */
  requestUrl?: string;
  /** Socket Mode: no request URLs, `socket_mode_enabled: true`. */
  socketMode?: boolean;
  /**
   * Prefix for every slash command (`td` gives `/td-ask`), for workspaces where a name is taken by
   * Slack or another app; the adapter maps `/td-ask` back to `ask`. Lowercase letters and digits.
   */
  prefix?: string;
}

/** A value the serialiser can write. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/**
 * The manifest for `commands`.
 *
 * @example buildManifest(commands, { socketMode: true }).settings
 */
export function buildManifest(commands: readonly AnyCommand[], options: ManifestOptions = {}) {
  const name = options.name ?? 'threatdesk';
  if (!/^[a-z0-9._-]{1,35}$/.test(name)) {
    throw new Error(`slack-manifest: invalid app name "${name}" (1–35 characters: a-z, 0-9, -, _, .)`);
  }
  if (commands.length > 50) throw new Error(`slack-manifest: Slack allows 50 slash commands, got ${commands.length}`);
  const url = options.socketMode ? undefined : (options.requestUrl ?? PLACEHOLDER_REQUEST_URL);
  if (url !== undefined && !/^https:\/\/\S+$/.test(url)) {
    throw new Error(`slack-manifest: the request URL must be an https URL, got "${url}"`);
  }
  const prefix = options.prefix ? `${options.prefix.replace(/-$/, '')}-` : '';
  if (prefix && !/^[a-z0-9]{1,10}-$/.test(prefix)) {
    throw new Error(`slack-manifest: invalid prefix "${options.prefix}" (1–10 lowercase letters or digits)`);
  }
  const withUrl = (o: { [key: string]: YamlValue }) => (url ? { ...o, request_url: url } : o);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Answers questions about foreign influence on US elections, quoting the source paragraph.',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: commands.map((c) => slashCommand(c, url, prefix)),
    },
    oauth_config: {
      ...(url ? { redirect_urls: [redirectUrl(url)] } : {}),
      scopes: { bot: [...BOT_SCOPES] },
    },
    settings: {
      event_subscriptions: withUrl({ bot_events: [...BOT_EVENTS] }),
      interactivity: { is_enabled: false },
      org_deploy_enabled: false,
      socket_mode_enabled: Boolean(options.socketMode),
      token_rotation_enabled: false,
    },
  } satisfies { [key: string]: YamlValue };
}

/**
 * The OAuth redirect URL beside a request URL: `…/slack/events` becomes `…/slack/oauth_redirect`
 * (a path prefix a reverse proxy strips is kept); any other URL gets the path on its host.
 *
 * @example redirectUrl('https://bot.example.org/slack/events') // 'https://bot.example.org/slack/oauth_redirect'
 */
export function redirectUrl(requestUrl: string): string {
  const events = '/slack/events';
  if (requestUrl.endsWith(events)) return `${requestUrl.slice(0, -events.length)}${OAUTH_REDIRECT_PATH}`;
  return new URL(OAUTH_REDIRECT_PATH, requestUrl).toString();
}

function slashCommand(command: AnyCommand, url: string | undefined, prefix: string): { [key: string]: YamlValue } {
  const name = `/${prefix}${command.name}`;
  if (name.length > 32) throw new Error(`slack-manifest: ${name} is longer than Slack's 32 characters`);
  const entry: { [key: string]: YamlValue } = { command: name };
  if (url) entry.url = url;
  entry.description = command.description.slice(0, 2000);
  const hint = usageHint(command);
  if (hint) entry.usage_hint = hint;
  // Unescaped text reaches the adapter as typed; it decodes what Slack still encodes.
  entry.should_escape = false;
  return entry;
}

/**
 * What Slack shows after the command name while typing: the options (the first without its name,
 * the others as `name:…`) and the first option's description.
 *
 * @example usageHint(denials) // '[actor] — Only denials by this actor (e.g. russia, iran)'
 */
export function usageHint(command: AnyCommand): string {
  const names = optionNames(command);
  if (names.length === 0) return '';
  const parts = names.map((n, i) => {
    const label = i === 0 ? n : `${n}:…`;
    return optionRequired(command, n) ? `<${label}>` : `[${label}]`;
  });
  const first = optionDescription(command, names[0] as string);
  return `${parts.join(' ')}${first ? ` — ${first}` : ''}`.slice(0, 1000);
}

const PLAIN = /^[A-Za-z/_][\w./:@-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

/**
 * YAML for maps, lists and scalars, two-space indented. Strings stay plain when YAML cannot read
 * them as anything else, and are quoted otherwise: double-quoted as JSON strings (a JSON string is a
 * valid YAML one), or single-quoted when the text holds a double quote and no escape.
 *
 * @example toYaml({ a: [1, 'b c'], d: { e: true } }) // 'a:\n  - 1\n  - "b c"\nd:\n  e: true\n'
 */
export function toYaml(value: YamlValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function lines(value: YamlValue, depth: number): string[] {
  const pad = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isScalar(item)) return [`${pad}- ${scalar(item)}`];
      const [first = '', ...rest] = lines(item, depth + 1);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const k = scalar(key);
      if (isScalar(item)) return [`${pad}${k}: ${scalar(item)}`];
      if (Array.isArray(item) && item.length === 0) return [`${pad}${k}: []`];
      if (!Array.isArray(item) && Object.keys(item).length === 0) return [`${pad}${k}: {}`];
      return [`${pad}${k}:`, ...lines(item, depth + 1)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isScalar(v: YamlValue): v is string | number | boolean {
  return typeof v !== 'object';
}

function scalar(v: string | number | boolean): string {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`slack-manifest: cannot write the number ${v}`);
    return String(v);
  }
  if (PLAIN.test(v) && !RESERVED.test(v)) return v;
  // Single quotes when the text has a double quote and nothing that needs a backslash escape, as
  // Biome's YAML formatter writes it (so that `biome check` accepts the generated file).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters need double quotes' escapes.
  if (v.includes('"') && !/[\\\u0000-\u001f\u007f\u2028\u2029]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return JSON.stringify(v);
}
