/**
 * Turning text into a command invocation, validating options, and running it so that the user always
 * gets a Reply: a UserError becomes an ephemeral answer with its message; anything unexpected is
 * logged with the command name and answered with a short generic message.
 */
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { makeReply, type Reply } from '../reply.ts';
import { editDistance } from '../text/tokenize.ts';
import type { AnyCommand, CommandContext } from './define-command.ts';

/** Option names of a command, in declaration order. */
export function optionNames(command: AnyCommand): string[] {
  return Object.keys((command.options as z.ZodObject).shape);
}

/** An option's description, for help and platform metadata. */
export function optionDescription(command: AnyCommand, name: string): string {
  const field = (command.options as z.ZodObject).shape[name] as z.ZodType | undefined;
  return field?.description ?? '';
}

/** Whether an option must be given. */
export function optionRequired(command: AnyCommand, name: string): boolean {
  const field = (command.options as z.ZodObject).shape[name] as z.ZodType | undefined;
  return field ? !field.safeParse(undefined).success : false;
}

/**
 * Finds the command nearest to a mistyped name, if any is close.
 *
 * @example suggestCommand('denail', commands)?.name // 'denials'
 */
export function suggestCommand(name: string, commands: readonly AnyCommand[]): AnyCommand | undefined {
  let best: AnyCommand | undefined;
  let bestD = 3;
  for (const c of commands) {
    const d = c.name.startsWith(name) && name.length >= 2 ? 1 : editDistance(name, c.name, 2);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * Splits the text after a command name into options: `name:value` pairs, and leading free text for
 * the first option (`/ask what is…`, `/denials russia`).
 *
 * @example parseOptionText(ask, 'question:who is Moscow backing?') // { question: 'who is Moscow backing?' }
 */
export function parseOptionText(command: AnyCommand, text: string): Record<string, string> {
  const names = optionNames(command);
  const out: Record<string, string> = {};
  const trimmed = text.trim();
  if (!trimmed) return out;
  const lead = /^([A-Za-z][\w-]*):/.exec(trimmed);
  const leadName = (lead?.[1] ?? '').toLowerCase();
  // "actr:russia" is a mistyped option; "Russia: what does it want?" is free text.
  const nearOption = names.some((n) => editDistance(leadName, n, 2) <= 2);
  if (lead && !names.includes(leadName) && (nearOption || names.length === 0)) {
    const allowed = names.length ? `its options are ${names.map((n) => `${n}:`).join(', ')}` : 'it takes no options';
    throw new UserError(`/${command.name} has no option "${lead[1]}"; ${allowed}.`);
  }
  const marker = names.length ? new RegExp(`(?:^|\\s)(${names.join('|')}):`, 'gi') : null;
  const all = marker ? [...trimmed.matchAll(marker)] : [];
  // Each option is set once: a later "question:" inside a question is part of its text.
  const seen = new Set<string>();
  if ((all[0]?.index ?? trimmed.length) > 0 && names[0]) seen.add(names[0]);
  const found = all.filter((m) => {
    const name = (m[1] as string).toLowerCase();
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
  const head = trimmed.slice(0, found[0]?.index ?? trimmed.length).trim();
  if (head) {
    if (!names[0]) throw new UserError(`/${command.name} takes no options, but got "${head.slice(0, 40)}".`);
    out[names[0]] = head;
  }
  found.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = found[i + 1]?.index ?? trimmed.length;
    out[(m[1] as string).toLowerCase()] = trimmed.slice(start, end).trim();
  });
  return out;
}

/** A parsed `/name options…` line. */
export interface CommandLine {
  command: AnyCommand;
  options: Record<string, string>;
}

/**
 * Parses `/name option:value …`. Unknown commands throw a UserError suggesting the nearest one.
 *
 * @example parseCommandLine('/denials actor:iran', commands).options // { actor: 'iran' }
 */
export function parseCommandLine(line: string, commands: readonly AnyCommand[]): CommandLine {
  const m = /^\/?(\S*)\s*([\s\S]*)$/.exec(line.trim()) as RegExpExecArray;
  const name = (m[1] as string).toLowerCase();
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const near = suggestCommand(name, commands);
    const hint = near ? ` Did you mean /${near.name}?` : '';
    throw new UserError(`There is no command /${name}.${hint} Try /help for the list.`);
  }
  return { command, options: parseOptionText(command, m[2] as string) };
}

/** Logs unexpected command failures; replaced in tests or by adapters. */
export type ErrorLogger = (message: string, error: unknown) => void;
const defaultLogger: ErrorLogger = (message, error) => console.error(message, error);

/** Turns a failure into the Reply the user sees. */
export function errorReply(command: string, error: unknown, log: ErrorLogger = defaultLogger): Reply {
  if (error instanceof UserError) return makeReply({ title: 'Cannot do that', text: error.message, ephemeral: true });
  log(`command /${command} failed:`, error);
  return makeReply({
    title: 'Something went wrong',
    text: `Sorry, /${command} failed on my side. The error was logged; please try again later.`,
    ephemeral: true,
  });
}

/**
 * Validates raw options with the command's schema and runs it. Always resolves to a Reply.
 *
 * @example await runCommand(ask, { question: 'denials' }, { engine, origin, commands })
 */
export async function runCommand(
  command: AnyCommand,
  rawOptions: Record<string, unknown>,
  context: Omit<CommandContext<unknown>, 'options'>,
  log?: ErrorLogger,
): Promise<Reply> {
  try {
    const parsed = (command.options as z.ZodObject).safeParse(rawOptions);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const opt = String(issue?.path[0] ?? '');
      const desc = opt ? optionDescription(command, opt) : '';
      throw new UserError(
        `/${command.name}: option ${opt || '?'} ${issue?.message ?? 'is invalid'}${desc ? ` (${desc})` : ''}. Example: ${command.example}`,
      );
    }
    return await command.run({ ...context, options: parsed.data });
  } catch (error) {
    return errorReply(command.name, error, log);
  }
}
