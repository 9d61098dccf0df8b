/**
 * Turning text into a command invocation, validating options, and running it so that the user always
 * gets a Reply: a UserError becomes an ephemeral answer with its message; anything unexpected is
 * logged with the command name and answered with a short generic message.
 */
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { explainIssue, valueAt } from '../explain-issues.ts';
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
 * the first option (`/ask what is…`, `/denials russia`). Leading `word:value` with no space after the
 * colon, or a near miss of an option name (`actr: russia`), is an option the command does not have:
 * a UserError naming it and the options there are. `Russia: what does it want?` stays free text.
 *
 * @example parseOptionText(ask, 'question:who is Moscow backing?') // { question: 'who is Moscow backing?' }
 * @example parseOptionText(denials, 'colour:red') // throws UserError: `colour` is not an option of /denials. Options: `actor`.
 */
export function parseOptionText(command: AnyCommand, text: string): Record<string, string> {
  const names = optionNames(command);
  const out: Record<string, string> = {};
  const trimmed = text.trim();
  if (!trimmed) return out;
  // `(?!//)`: a leading link (https://…) is free text, not an option called "https".
  const lead = /^([A-Za-z][\w-]*):(?!\/\/)(\S?)/.exec(trimmed);
  const leadName = (lead?.[1] ?? '').toLowerCase();
  // "actr:russia" and "colour:red" are options that do not exist; "Russia: what does it want?" is free text.
  const nearOption = names.some((n) => editDistance(leadName, n, 2) <= 2);
  if (lead && !names.includes(leadName) && (nearOption || names.length === 0 || lead[2])) {
    const hint = names.length ? `. Options: ${names.map((n) => `\`${n}\``).join(', ')}.` : ', which takes no options.';
    throw new UserError(`\`${lead[1]}\` is not an option of /${command.name}${hint}`);
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

/** Turns a failure into the Reply the user sees, with `error` set to the same words. */
export function errorReply(command: string, error: unknown, log: ErrorLogger = defaultLogger): Reply {
  if (error instanceof UserError) {
    return makeReply({ title: 'Cannot do that', text: error.message, ephemeral: true, error: error.message });
  }
  log(`command /${command} failed:`, error);
  const text = `Sorry, /${command} failed on my side. The error was logged; please try again later.`;
  return makeReply({ title: 'Something went wrong', text, ephemeral: true, error: text });
}

/** A valid use of one option: the command's example when it shows the option, else a template. */
function exampleFor(command: AnyCommand, option: string): string {
  const shown = command.example.includes(`${option}:`);
  // The first option can go without its name (`/help denials`), so the example shows it too.
  const implied = optionNames(command)[0] === option && /^\/\S+\s+\S/.test(command.example);
  return `\`${shown || implied ? command.example : `/${command.name} ${option}:…`}\``;
}

/**
 * Why the options failed the command's schema, in the user's words (through `explainIssue`; zod's
 * own wording never reaches the user): "`actor` needs a value, e.g. `/denials actor:russia`".
 */
export function explainOptions(command: AnyCommand, error: z.ZodError, rawOptions: Record<string, unknown>): string {
  const issue = error.issues[0];
  if (!issue) return `/${command.name}: the options are not valid. Example: \`${command.example}\``;
  const option = String(issue.path[0] ?? '');
  if (!option) return `/${command.name}: the options are not valid. Example: \`${command.example}\``;
  const value = valueAt(rawOptions, issue);
  const example = exampleFor(command, option);
  const explained = explainIssue(issue, { name: `\`${option}\``, value, example });
  return explained.includes(example) ? explained : `${explained}. Example: ${example}`;
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
    if (!parsed.success) throw new UserError(explainOptions(command, parsed.error, rawOptions));
    return await command.run({ ...context, options: parsed.data });
  } catch (error) {
    return errorReply(command.name, error, log);
  }
}
