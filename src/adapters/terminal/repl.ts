/**
 * The terminal adapter: a REPL on a TTY (prompt, history, a /help hint, Ctrl-C or Ctrl-D to quit),
 * or, with piped input, one answer per line until end of input.
 */
import readline from 'node:readline';
import type { CommandContext } from '../../core/commands/define-command.ts';
import { respondToLine } from '../../core/commands/respond.ts';
import { renderText, styleFor } from './render-text.ts';

export interface TerminalOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  context: Omit<CommandContext<unknown>, 'options'>;
  /** Defaults to whether input is a TTY. */
  interactive?: boolean;
}

export const PROMPT = 'threatdesk> ';
export const HINT =
  'Ask a question in plain words (e.g. "What is Russia\'s preference?"), or type /help. Ctrl-D or Ctrl-C quits.';

/**
 * Runs the terminal adapter until input ends or the user quits.
 *
 * @example await createTerminalAdapter({ input: process.stdin, output: process.stdout, context }).run()
 */
export function createTerminalAdapter(options: TerminalOptions): { run(): Promise<void> } {
  const { input, output, context } = options;
  const interactive = options.interactive ?? Boolean(input.isTTY);
  const style = styleFor(output);
  return {
    run: () =>
      new Promise<void>((resolve) => {
        const rl = readline.createInterface({
          input,
          output: interactive ? output : undefined,
          terminal: interactive,
          historySize: 200,
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        // Lines are answered one at a time, in order, even when pasted or piped in quickly.
        let queue = Promise.resolve();
        let closed = false;
        if (interactive) {
          output.write(`${HINT}\n`);
          rl.setPrompt(PROMPT);
          rl.prompt();
        }
        rl.on('line', (line) => {
          queue = queue.then(async () => {
            if (line.trim()) {
              const reply = await respondToLine(line, context);
              output.write(`${renderText(reply, style)}\n\n`);
            }
            if (interactive && !closed) rl.prompt();
          });
        });
        rl.on('SIGINT', () => rl.close());
        rl.on('close', () => {
          closed = true;
          void queue.then(() => {
            if (interactive) output.write('\n');
            resolve();
          });
        });
      }),
  };
}
