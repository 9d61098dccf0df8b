/**
 * One line of user input → Reply, the same for the terminal, `npm run ask` and chat messages: a line
 * starting with `/` runs that command (`/denials actor:iran`); anything else is a question for /ask.
 */
import type { Reply } from '../reply.ts';
import type { CommandContext } from './define-command.ts';
import { type ErrorLogger, errorReply, parseCommandLine, runCommand } from './run-command.ts';

/**
 * @example await respondToLine('/denials russia', context)
 */
export async function respondToLine(
  line: string,
  context: Omit<CommandContext<unknown>, 'options'>,
  log?: ErrorLogger,
): Promise<Reply> {
  const text = line.trim();
  if (text.startsWith('/')) {
    try {
      const { command, options } = parseCommandLine(text, context.commands);
      return await runCommand(command, options, context, log);
    } catch (error) {
      return errorReply(text.split(/\s/)[0]?.slice(1) ?? '', error, log);
    }
  }
  const ask = context.commands.find((c) => c.name === 'ask');
  if (!ask) throw new Error('respond: no /ask command registered');
  return runCommand(ask, { question: text }, context, log);
}
