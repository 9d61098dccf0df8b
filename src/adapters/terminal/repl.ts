/**
 * The terminal adapter: a REPL on a TTY (prompt, history, a /help hint, Ctrl-C or Ctrl-D to quit),
 * or, with piped input, one answer per line until end of input.
 */
import readline from 'node:readline';
import type { CommandContext } from '../../core/commands/define-command.ts';
import { respondToLine } from '../../core/commands/respond.ts';
import { errorReply } from '../../core/commands/run-command.ts';
import { renderText, styleFor } from './render-text.ts';

export interface TerminalOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /**
   * The command context, or a function giving the current one for each line (so a data reload or a
   * new subscription store is seen by the next line).
   */
  context: TerminalContext | (() => TerminalContext);
  /** Defaults to whether input is a TTY. */
  interactive?: boolean;
}

type TerminalContext = Omit<CommandContext<unknown>, 'options'>;

export const PROMPT = 'threatdesk> ';
export const HINT =
  'Ask a question in plain words (e.g. "What is Russia\'s preference?"), or type /help. Ctrl-D or Ctrl-C quits.';

/**
 * Runs the terminal adapter until input ends or the user quits. Lines are answered one at a time, in
 * order. A line that fails unexpectedly is answered with a short error and the loop goes on. Ctrl-C
 * quits without answering lines still waiting; end of input (Ctrl-D, or the end of piped input)
 * quits after answering every line.
 *
 * @example await createTerminalAdapter({ input: process.stdin, output: process.stdout, context }).run()
 */
export function createTerminalAdapter(options: TerminalOptions): { run(): Promise<void> } {
  const { input, output, context } = options;
  const interactive = options.interactive ?? Boolean(input.isTTY);
  const style = styleFor(output);
  // The text of one answer. respondToLine already turns command failures into replies; this also
  // catches whatever escapes it (or rendering), so one bad line never ends the session.
  const answer = async (line: string): Promise<string> => {
    try {
      const current = typeof context === 'function' ? context() : context;
      return renderText(await respondToLine(line, current), style);
    } catch (error) {
      const text = line.trim();
      const command = text.startsWith('/') ? (text.split(/\s/)[0] ?? '/').slice(1) : 'ask';
      return renderText(errorReply(command, error), style);
    }
  };
  return {
    run: () =>
      new Promise<void>((resolve) => {
        const rl = readline.createInterface({
          input,
          output: interactive ? output : undefined,
          terminal: interactive,
          historySize: 200,
          removeHistoryDuplicates: true,
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        // Lines are answered one at a time, in order, even when pasted or piped in quickly.
        let queue = Promise.resolve();
        let closed = false;
        let interrupted = false;
        let outputGone = false;
        // A reader that went away (`| head`) ends the session instead of crashing it. The listener
        // stays after such an error, so that late writes to the broken stream stay harmless too.
        const onOutputError = () => {
          interrupted = true;
          outputGone = true;
          rl.close();
        };
        output.on('error', onOutputError);
        if (interactive) {
          output.write(`${HINT}\n`);
          rl.setPrompt(PROMPT);
          rl.prompt();
        }
        rl.on('line', (line) => {
          queue = queue.then(async () => {
            if (interrupted) return;
            if (line.trim()) {
              const text = await answer(line);
              if (interrupted) return;
              output.write(`${text}\n\n`);
            }
            if (interactive && !closed) rl.prompt();
          });
        });
        rl.on('SIGINT', () => {
          interrupted = true;
          rl.close();
        });
        rl.on('close', () => {
          closed = true;
          void queue.then(() => {
            if (outputGone) return resolve();
            output.removeListener('error', onOutputError);
            if (interactive) output.write('\n');
            resolve();
          });
        });
      }),
  };
}
