/**
 * Slash commands and autocomplete. A command is acknowledged with a deferred response well inside
 * Discord's 3 seconds and the answer is then edited in, so a slow answer never expires the
 * interaction. Answers are public; help and errors are ephemeral (`Reply.ephemeral`).
 */
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import type { Origin } from '../../core/commands/define-command.ts';
import { type ErrorLogger, runCommand } from '../../core/commands/run-command.ts';
import { makeReply, type Reply } from '../../core/reply.ts';
import { contextFor, type Runtime } from '../../core/runtime.ts';
import { actorChoices } from './actor-choices.ts';
import { explainDiscordError } from './explain-error.ts';
import { NO_MENTIONS, renderEmbeds } from './render-embeds.ts';

/** Where the adapter logs. `error` gets the original error for its stack when there is one. */
export interface DiscordLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** What the handlers need from the adapter. */
export interface HandlerDeps {
  runtime: Runtime;
  log: DiscordLog;
}

/**
 * How long to wait for an answer before acknowledging. Most answers take milliseconds, and knowing
 * the answer first lets the acknowledgement be ephemeral exactly when the answer is.
 */
const ANSWER_WAIT_MS = 300;

/** Whose command it was, in the platform-neutral form. DMs have no guild: `@me`, as in Discord's URLs. */
export function originOf(interaction: Interaction): Origin {
  return {
    platform: 'discord',
    workspace: interaction.guildId ?? '@me',
    channel: interaction.channelId ?? '',
    user: interaction.user.id,
  };
}

/**
 * Handles one interaction; never throws (failures are logged with what to do).
 *
 * @example client.on('interactionCreate', (i) => void handleInteraction(i, { runtime, log }))
 */
export async function handleInteraction(interaction: Interaction, deps: HandlerDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
    else if (interaction.isChatInputCommand()) await answerCommand(interaction, deps);
  } catch (error) {
    const what = interaction.isCommand() ? `answering /${interaction.commandName}` : 'answering an interaction';
    deps.log.error(explainDiscordError(error, what), error);
  }
}

async function answerAutocomplete(interaction: AutocompleteInteraction, { runtime }: HandlerDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const command = runtime.commands.find((c) => c.name === interaction.commandName);
  const isActor = command?.actorOptions?.includes(focused.name) ?? false;
  await interaction.respond(isActor ? actorChoices(runtime.engine().corpus, String(focused.value)) : []);
}

/** The options as typed values by name, as `runCommand` takes them. */
function optionsOf(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of interaction.options.data) if (o.value !== undefined) out[o.name] = o.value;
  return out;
}

/** Resolves with the promise's value, or undefined once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function answerCommand(interaction: ChatInputCommandInteraction, { runtime, log }: HandlerDeps): Promise<void> {
  const command = runtime.commands.find((c) => c.name === interaction.commandName);
  const logger: ErrorLogger = (message, error) => log.error(`discord: ${message}`, error);
  const pending: Promise<Reply> = command
    ? runCommand(command, optionsOf(interaction), contextFor(runtime, originOf(interaction)), logger)
    : Promise.resolve(
        makeReply({
          title: 'Unknown command',
          text: `/${interaction.commandName} is not a threatdesk command any more. An admin should run npm run register to update the command list.`,
          ephemeral: true,
        }),
      );
  const early = await within(pending, ANSWER_WAIT_MS);
  // Unknown yet: most answers are public, so the acknowledgement is too.
  const deferredEphemeral = early?.ephemeral ?? false;
  await interaction.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {});
  const reply = early ?? (await pending);
  const message = { embeds: renderEmbeds(reply), allowedMentions: NO_MENTIONS };
  try {
    if (reply.ephemeral === deferredEphemeral) {
      await interaction.editReply(message);
    } else {
      // A deferred response cannot change visibility: replace it with an ephemeral follow-up.
      await interaction.deleteReply();
      await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
    }
  } catch (error) {
    log.error(explainDiscordError(error, `answering /${interaction.commandName}`), error);
    // The user always gets an answer: a plain one when the rendered answer was refused. Were this
    // to fail too, it would be for the reason just logged.
    await interaction
      .editReply({ content: 'Sorry, I could not show this answer here. The problem was logged.', embeds: [] })
      .catch(() => undefined);
  }
}
