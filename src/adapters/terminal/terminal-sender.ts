/**
 * The terminal's PlatformSender: update notifications for terminal subscriptions are printed into
 * the REPL's output, rendered like any answer. The terminal has one channel per workspace, so the
 * target only matters for the heading line.
 */
import type { PlatformSender } from '../../updates/subscriptions/sender.ts';
import { renderText, type TextStyle } from './render-text.ts';

export interface TerminalSenderOptions {
  /**
   * Writes text to the terminal. While the REPL runs, pass its `print`, which puts the text above
   * the prompt and redraws what the user was typing; otherwise e.g. `(s) => process.stdout.write(s)`.
   */
  write(text: string): void;
  /** How to render: see `styleFor(process.stdout)`. */
  style: TextStyle;
}

/**
 * A sender that prints each notification, preceded by a blank line that sets it apart from the
 * answer above it. It cannot fail permanently.
 *
 * @example createTerminalSender({ write: (s) => terminal.print(s), style: styleFor(process.stdout) })
 */
export function createTerminalSender(options: TerminalSenderOptions): PlatformSender {
  const { write, style } = options;
  return {
    platform: 'terminal',
    async send(_target, reply) {
      write(`\n${renderText(reply, style)}\n\n`);
    },
  };
}
