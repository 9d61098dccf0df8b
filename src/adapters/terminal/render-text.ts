/**
 * Renders a Reply for a terminal: ANSI colour when the output is a TTY and NO_COLOR is unset,
 * wrapped to the terminal width. The reply is first fitted to the terminal's budget (whole
 * citations only), and corpus text is stripped of control characters so it cannot move the cursor
 * or change colours.
 */

import { stripTerminalControls } from '../../core/render/escape.ts';
import { fitReply, TERMINAL_LIMITS } from '../../core/render/fit-reply.ts';
import { answerLine, type Reply } from '../../core/reply.ts';
import { stem } from '../../core/text/tokenize.ts';

export interface TextStyle {
  color: boolean;
  /** Wrap width in columns. */
  width: number;
  /**
   * Spans never broken across lines, such as the commands' examples (`/denials actor:russia`), so
   * that what the reader copies is a whole command. A span longer than the width gets a line of its
   * own, like a long word.
   */
  keepWhole?: readonly string[];
}

/** The style for a stream: colour only on a TTY without NO_COLOR; its width (40–120), else 100. */
export function styleFor(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
): TextStyle {
  const color = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  return { color, width: Math.max(40, Math.min(stream.columns || 100, 120)) };
}

/**
 * Greedy word wrap, each line prefixed with `indent`; colour codes do not count towards the width,
 * and a word longer than the width gets a line of its own. A line's own leading spaces are kept
 * and repeated on its continuation lines (the indented option lines of `/help denials`). Each span
 * of `keepWhole`, and each inline-code span in backticks, is wrapped as one word, with any
 * punctuation stuck to either end.
 *
 * @example wrap('one two three', 9) // 'one two\nthree'
 * @example wrap('e.g. /denials actor:russia', 20, '', ['/denials actor:russia']) // 'e.g.\n/denials actor:russia'
 */
export function wrap(text: string, width: number, indent = '', keepWhole: readonly string[] = []): string {
  const words = wordPattern(keepWhole);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = indent + (/^[ \t]*/.exec(para)?.[0] ?? '');
    let line = '';
    for (const [word] of para.matchAll(words)) {
      if (line && visibleLength(`${lead}${line} ${word}`) > width) {
        out.push(lead + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line ? lead + line : indent);
  }
  return out.join('\n');
}

/**
 * A word: an inline-code span in backticks, a keep-whole span (longest first), each with the
 * punctuation stuck to either end, or else a run of non-spaces.
 */
function wordPattern(keepWhole: readonly string[]): RegExp {
  const spans = [...new Set(keepWhole)]
    .filter((s) => /\s/.test(s.trim()))
    .sort((a, b) => b.length - a.length)
    .map((s) =>
      s
        .trim()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\s+/g, '\\s+'),
    );
  const whole = ['`[^`\\n]+`', ...spans].join('|');
  return new RegExp(`[(\\[“‘"']*(?:${whole})\\S*|\\S+`, 'g');
}

function visibleLength(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: measuring text without its colour codes.
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  cyan: [36, 39],
  yellow: [33, 39],
  red: [31, 39],
  green: [32, 39],
} as const;
type Paint = (kind: keyof typeof codes, s: string) => string;

/**
 * The reply as terminal text: title, lead text, each citation (summary, source line, the paragraph
 * in quotes with highlighted words, link), then notes. Replies over `TERMINAL_LIMITS` lose whole
 * citations, with a note saying how many.
 *
 * @example renderText(reply, { color: false, width: 80 })
 */
export function renderText(reply: Reply, style: TextStyle): string {
  const fitted = fitReply(reply, TERMINAL_LIMITS);
  const paint: Paint = (kind, s) => (style.color ? `\u001b[${codes[kind][0]}m${s}\u001b[${codes[kind][1]}m` : s);
  const highlight = new Set(fitted.highlight);
  // Marked before wrapping, so that the `*word*` of plain output counts towards the width.
  const mark = (text: string) =>
    highlight.size === 0
      ? text
      : text.replace(/[\p{L}\p{N}'’-]+/gu, (w) =>
          highlight.has(stem(w.toLowerCase())) ? (style.color ? paint('yellow', w) : `*${w}*`) : w,
        );
  const clean = stripTerminalControls;
  const keep = style.keepWhole ?? [];
  const parts: string[] = [];
  if (fitted.title) parts.push(paint('bold', clean(fitted.title)));
  const lead = answerLine(fitted);
  if (lead) {
    // The answering sentence in bold, then what the paragraph is cited for.
    const { rest } = lead;
    parts.push(
      [
        paint('bold', wrap(clean(lead.line), style.width)),
        ...(rest ? [wrap(clean(rest), style.width, '', keep)] : []),
      ].join('\n'),
    );
  } else if (fitted.text) parts.push(wrap(clean(fitted.text), style.width, '', keep));
  fitted.citations.forEach((c, i) => {
    const head = `[${i + 1}] ${c.title} — ${c.publisher}, ${c.date}, paragraph ${c.paragraph}`;
    const summary =
      c.summary && !fitted.text.split('\n').includes(c.summary)
        ? [paint('bold', wrap(clean(c.summary), style.width, '', keep))]
        : [];
    parts.push(
      [
        ...summary,
        paint('cyan', wrap(clean(head), style.width)),
        wrap(mark(clean(`“${c.text}”`)), style.width, '    '),
        c.url ? paint('dim', `    ${clean(c.url)}`) : paint('dim', '    (no link published)'),
      ].join('\n'),
    );
  });
  for (const n of fitted.notes) parts.push(paint('dim', wrap(clean(n), style.width, '', keep)));
  return parts.join('\n\n');
}
