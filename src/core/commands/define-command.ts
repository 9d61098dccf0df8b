/**
 * Platform-neutral slash commands: a name, a description, options as a zod object schema (each
 * option with a description), and `run(context) → Reply`. Adapters parse their platform's event into
 * options, call `runCommand`, and render the Reply; they never hold command logic.
 */
import type { z } from 'zod';
import type { AnswerEngine } from '../answer/engine.ts';
import type { Reply } from '../reply.ts';

/** Where a command was invoked from. */
export interface Origin {
  platform: 'terminal' | 'slack' | 'discord';
  /** Slack workspace (team) id or Discord guild id; `local` in the terminal. */
  workspace: string;
  channel: string;
  user: string;
}

/**
 * Services a running bot may offer commands beyond answering, such as the subscription store. The
 * core declares none: `src/updates/` adds its own with declaration merging (`declare module`), so
 * the core never imports it, and a bot without a service simply leaves that field out.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging from src/updates/.
export interface CommandServices {}

/** What a command's `run` receives. */
export interface CommandContext<O> extends Partial<CommandServices> {
  options: O;
  engine: AnswerEngine;
  origin: Origin;
  /** Every command, for help. */
  commands: readonly AnyCommand[];
}

/** One option's shape as adapters need it (Discord metadata, Slack manifest, help). */
export interface CommandDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  /** Options as a zod object; every field has `.describe()`. The first is the free-text one. */
  options: S;
  /** One example invocation for help, e.g. `/denials actor:russia`. */
  example: string;
  /** Longer help for `/help NAME`. */
  details?: string;
  /** Option names whose values are actor names (autocomplete). */
  actorOptions?: string[];
  /** Changes channel state (subscribe): adapters may require a permission. */
  managesChannel?: boolean;
  run(context: CommandContext<z.infer<S>>): Reply | Promise<Reply>;
}

/** A command of any option shape. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of commands needs an open option type.
export type AnyCommand = CommandDefinition<any>;

/**
 * Declares a command; the identity function, for typing.
 *
 * @example defineCommand({ name: 'actors', description: 'List actors', options: z.object({}), example: '/actors', run: () => reply })
 */
export function defineCommand<S extends z.ZodObject>(definition: CommandDefinition<S>): CommandDefinition<S> {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(definition.name)) {
    throw new Error(`commands: invalid command name "${definition.name}" (lowercase, up to 32 characters)`);
  }
  return definition;
}
