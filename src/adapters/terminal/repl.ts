/**
 * The terminal adapter: a REPL on a TTY (prompt, history, a /help hint; quit, exit or Ctrl-D to
 * leave, Ctrl-C to stop), or, with piped input, one answer per line until end of input.
 *
 * While the prompt shows, anything else that has to be printed (an update notification, a log
 * line) goes through `print`, which puts it above the prompt and redraws the prompt with what the
 * user was typing, so neither is cut in half.
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
  /**
   * Names of the platform adapters running in the same process (e.g. `['Slack']`), for the hint:
   * leaving the terminal leaves them running, while Ctrl-C stops them too.
   */
  alongside?: readonly string[];
}

type TerminalContext = Omit<CommandContext<unknown>, 'options'>;

/**
 * How a session ended: `end` (end of input: Ctrl-D, the end of piped input, or output gone),
 * `quit` (a quit word), or `interrupt` (Ctrl-C, which should stop the whole bot).
 */
export type TerminalEnd = 'end' | 'quit' | 'interrupt';

export interface TerminalAdapter {
  /** Runs until input ends or the user leaves; resolves with how the session ended. */
  run(): Promise<TerminalEnd>;
  /**
   * Prints text (which should end with a newline) above the prompt, then redraws the prompt and
   * the user's unfinished line. Without a prompt on screen (piped input, before `run` or after
   * the session) it just writes the text. `stream` defaults to the output; logs pass stderr.
   *
   * @example terminal.print('threatdesk: data reloaded\n', process.stderr)
   */
  print(text: string, stream?: NodeJS.WritableStream): void;
}

export const PROMPT = 'threatdesk> ';

const QUIT_LINE = /^\/?(?:quit|exit)$/i;

/**
 * Whether a line asks to leave the terminal: `quit`, `exit`, `/quit` or `/exit`, in any case, with
 * spaces around. Such a line is never answered.
 *
 * @example isQuitLine(' /EXIT ') // true
 */
export function isQuitLine(line: string): boolean {
  return QUIT_LINE.test(line.trim());
}

/**
 * The line shown when the REPL starts: how to ask and how to leave. What it says about Ctrl-C is
 * what happens: it stops the whole process, including platform adapters running alongside.
 *
 * @example hintFor(['Slack']) // '… quit, exit or Ctrl-D closes the terminal and leaves Slack running; …'
 */
export function hintFor(alongside: readonly string[] = []): string {
  const ask = 'Ask a question in plain words (e.g. "What is Russia\'s preference?"), or type /help.';
  if (alongside.length === 0) return `${ask} Type quit or exit, or press Ctrl-D or Ctrl-C, to leave.`;
  const names = alongside.length === 1 ? alongside[0] : `${alongside.slice(0, -1).join(', ')} and ${alongside.at(-1)}`;
  return `${ask} quit, exit or Ctrl-D closes the terminal and leaves ${names} running; Ctrl-C stops the whole bot, ${names} included.`;
}

/** The hint when the terminal runs on its own. */
export const HINT = hintFor();

/**
 * Creates the terminal adapter. Lines are answered one at a time, in order. A line that fails
 * unexpectedly is answered with a short error and the loop goes on. A quit word or end of input
 * (Ctrl-D, or the end of piped input) ends the session after answering every line before it;
 * Ctrl-C ends it at once, without waiting for answers still pending.
 *
 * @example
 * const terminal = createTerminalAdapter({ input: process.stdin, output: process.stdout, context });
 * if ((await terminal.run()) === 'interrupt') process.exit(130);
 */
export function createTerminalAdapter(options: TerminalOptions): TerminalAdapter {
  const { input, output, context } = options;
  const interactive = options.interactive ?? Boolean(input.isTTY);
  const style = styleFor(output);
  // The text of one answer. respondToLine already turns command failures into replies; this also
  // catches whatever escapes it (or rendering), so one bad line never ends the session.
  const answer = async (line: string): Promise<string> => {
    try {
      const current = typeof context === 'function' ? context() : context;
      // The commands' examples are kept whole when wrapped, so /help never splits one.
      const keepWhole = current.commands.map((c) => c.example);
      return renderText(await respondToLine(line, current), { ...style, keepWhole });
    } catch (error) {
      const text = line.trim();
      const command = text.startsWith('/') ? (text.split(/\s/)[0] ?? '/').slice(1) : 'ask';
      return renderText(errorReply(command, error), style);
    }
  };

  // The interface of a running interactive session; undefined before `run` and after the session.
  let screen: readline.Interface | undefined;

  const print = (text: string, stream: NodeJS.WritableStream = output): void => {
    const rl = screen;
    if (!rl) {
      stream.write(text);
      return;
    }
    // Back to the first row of the prompt and the user's line, and clear them.
    const rows = rl.getCursorPos().rows;
    if (rows > 0) readline.moveCursor(output, 0, -rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
    // readline redraws starting from the row it last left the cursor on within the line
    // (`prevRows`, which stays behind when a paste runs over several rows): give it blank rows to
    // climb, so that it starts right below the text instead of over its end.
    const climb = (rl as unknown as { prevRows?: number }).prevRows ?? rows;
    if (climb > 0) output.write('\n'.repeat(climb));
    rl.prompt(true);
  };

  const run = () =>
    new Promise<TerminalEnd>((resolve) => {
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
      let pending = 0;
      let ended: TerminalEnd | undefined;
      // A function, so that the check after an await is not narrowed away by the one before it.
      const interrupted = () => ended === 'interrupt';
      let outputGone = false;
      // A reader that went away (`| head`) ends the session instead of crashing it. The listener
      // stays after such an error, so that late writes to the broken stream stay harmless too.
      const onOutputError = () => {
        ended = 'interrupt';
        outputGone = true;
        rl.close();
      };
      output.on('error', onOutputError);
      if (interactive) {
        screen = rl;
        output.write(`${hintFor(options.alongside)}\n`);
        rl.setPrompt(PROMPT);
        rl.prompt();
      }
      rl.on('line', (line) => {
        if (ended) return;
        if (isQuitLine(line)) {
          ended = 'quit';
          rl.close();
          return;
        }
        // Until its answer is printed there is no prompt; what the user types meanwhile is shown
        // bare, and carried over to the next prompt.
        if (screen) rl.setPrompt('');
        pending++;
        queue = queue.then(async () => {
          if (interrupted()) return;
          if (line.trim()) {
            const text = await answer(line);
            if (interrupted()) return;
            print(`${text}\n\n`);
          }
          pending--;
          if (screen && pending === 0) {
            rl.setPrompt(PROMPT);
            rl.prompt(true);
          }
        });
      });
      rl.on('SIGINT', () => {
        ended = 'interrupt';
        rl.close();
      });
      rl.on('close', () => {
        const how = ended ?? 'end';
        ended = how;
        const wasInteractive = screen !== undefined;
        screen = undefined;
        const finish = () => {
          if (outputGone) return resolve('end');
          output.removeListener('error', onOutputError);
          if (wasInteractive) output.write('\n');
          resolve(how);
        };
        // Ctrl-C does not wait for answers still pending; the other ways out answer every line first.
        if (how === 'interrupt') finish();
        else void queue.then(finish);
      });
    });

  return { run, print };
}
