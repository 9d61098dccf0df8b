/**
 * The slash-command registration payload, generated from `commands/`, and its deployment with
 * `npm run register` (guild-scoped when a guild id is given: instant, for development; global
 * otherwise). Also the invite URL with the scopes and permissions the bot needs.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import { z } from 'zod';
import type { AnyCommand } from '../../core/commands/define-command.ts';
import { optionDescription, optionNames, optionRequired } from '../../core/commands/run-command.ts';
import { cutText } from '../../core/render/fit-reply.ts';
import { type DiscordRestTuning, restOptions } from './rest-options.ts';

/** Discord's limits for command metadata. */
const MAX_DESCRIPTION = 100;
const MAX_OPTIONS = 25;

/** One slash command as Discord registers it. */
export type CommandRegistration = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** What the bot may do in a channel: View Channel, Send Messages, Embed Links, Read Message History, Send Messages in Threads. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.SendMessagesInThreads;

/**
 * The OAuth2 URL that adds the bot to a server, with scopes `bot` and `applications.commands`.
 *
 * @example inviteUrl('1234567890123456789') // 'https://discord.com/oauth2/authorize?client_id=…&scope=bot+applications.commands&permissions=274877991936'
 */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}

/** The zod type under optional/default wrappers. */
function innerType(field: z.ZodType): z.ZodType {
  let t = field;
  for (let depth = 0; depth < 5 && (t instanceof z.ZodOptional || t instanceof z.ZodDefault); depth++) {
    t = t.unwrap() as z.ZodType;
  }
  return t;
}

function optionPayload(command: AnyCommand, name: string): APIApplicationCommandBasicOption {
  const field = (command.options as z.ZodObject).shape[name] as z.ZodType;
  const type = innerType(field);
  const common = {
    name,
    description: cutText(optionDescription(command, name) || name, MAX_DESCRIPTION),
    required: optionRequired(command, name),
  };
  if (type instanceof z.ZodBoolean) return { ...common, type: ApplicationCommandOptionType.Boolean };
  if (type instanceof z.ZodNumber) {
    const bounds = {
      ...(Number.isFinite(type.minValue) ? { min_value: type.minValue as number } : {}),
      ...(Number.isFinite(type.maxValue) ? { max_value: type.maxValue as number } : {}),
    };
    return type.format === 'safeint' || type.format === 'int32'
      ? { ...common, ...bounds, type: ApplicationCommandOptionType.Integer }
      : { ...common, ...bounds, type: ApplicationCommandOptionType.Number };
  }
  if (type instanceof z.ZodEnum) {
    const choices: APIApplicationCommandOptionChoice<string>[] = type.options.map((v) => ({
      name: String(v),
      value: String(v),
    }));
    return { ...common, type: ApplicationCommandOptionType.String, choices };
  }
  const str = type instanceof z.ZodString ? type : undefined;
  return {
    ...common,
    type: ApplicationCommandOptionType.String,
    ...(command.actorOptions?.includes(name) ? { autocomplete: true } : {}),
    ...(str?.minLength ? { min_length: Math.min(str.minLength, 6000) } : {}),
    ...(str?.maxLength !== undefined && str.maxLength !== null ? { max_length: Math.min(str.maxLength, 6000) } : {}),
  };
}

/**
 * The registration of one command: typed options with descriptions (from the zod `.describe()`),
 * required ones first (Discord's rule), autocomplete on actor options, choices for enum options.
 * Commands that manage the channel (`managesChannel`) need Manage Channels by default and are not
 * offered in DMs; the others work in servers and in DMs with the bot.
 *
 * @example commandRegistration(denials).options?.[0] // { name: 'actor', type: 3, autocomplete: true, required: false, … }
 */
export function commandRegistration(command: AnyCommand): CommandRegistration {
  const names = optionNames(command);
  if (names.length > MAX_OPTIONS) throw new Error(`registration: /${command.name} has more than 25 options`);
  const options = names.map((n) => optionPayload(command, n));
  // Stable: declaration order within required and within optional options.
  options.sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
  const guildOnly = command.managesChannel === true;
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: cutText(command.description, MAX_DESCRIPTION),
    options,
    default_member_permissions: guildOnly ? PermissionFlagsBits.ManageChannels.toString() : null,
    // `contexts` replaces the deprecated `dm_permission`; both are sent, Discord reads `contexts`.
    dm_permission: !guildOnly,
    contexts: guildOnly ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/**
 * The payload `PUT …/commands` takes: every command, in the order of `commands/index.ts`.
 *
 * @example registrationPayload(commands).map((c) => c.name) // ['ask', 'denials', …]
 */
export function registrationPayload(commands: readonly AnyCommand[]): CommandRegistration[] {
  return commands.map(commandRegistration);
}

/** Where and how to register. */
export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Register in this guild only (instant); global when absent. */
  guildId?: string;
  /** REST base without the version (DISCORD_API_URL). */
  apiUrl?: string;
  commands: readonly AnyCommand[];
  rest?: DiscordRestTuning;
}

/** What was registered. */
export interface RegisterResult {
  scope: 'guild' | 'global';
  /** Command names as Discord now holds them. */
  names: string[];
}

/**
 * Replaces the application's slash commands with those generated from `commands` (one PUT, so
 * removed commands disappear too). Throws discord.js's errors; see `explainDiscordError`.
 *
 * @example await registerCommands({ token, applicationId, guildId, commands })
 */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const rest = new REST(restOptions(options.apiUrl, options.rest)).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const saved = (await rest.put(route, { body: registrationPayload(options.commands) })) as { name: string }[];
  return { scope: options.guildId ? 'guild' : 'global', names: saved.map((c) => c.name) };
}
