/**
 * Renders a Reply for a terminal: ANSI colour when the output is a TTY and NO_COLOR is unset,
 * wrapped to the terminal width. Corpus text is stripped of control characters so it cannot move
 * the cursor or change colours.
 */
import type { Reply } from '../../core/reply.ts';
import { stem } from '../../core/text/tokenize.ts';

export interface TextStyle {
  color: boolean;
  /** Wrap width in columns. */
  width: number;
}

/** The style for a stream: colour only on a TTY without NO_COLOR; its width, else 100. */
export function styleFor(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
): TextStyle {
  const color = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  return { color, width: Math.max(40, Math.min(stream.columns ?? 100, 120)) };
}

/** Removes terminal control sequences and characters (keeps newlines and tabs). */
export function escapeTerminal(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** Greedy word wrap of one paragraph, each line prefixed with `indent`. */
export function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && visibleLength(indent + line + ' ' + word) > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
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
 * @example renderText(reply, { color: false, width: 80 })
 */
export function renderText(reply: Reply, style: TextStyle): string {
  const paint: Paint = (kind, s) => (style.color ? `\u001b[${codes[kind][0]}m${s}\u001b[${codes[kind][1]}m` : s);
  const highlight = new Set(reply.highlight);
  const mark = (text: string) =>
    highlight.size === 0
      ? text
      : text.replace(/[\p{L}\p{N}'’-]+/gu, (w) =>
          highlight.has(stem(w.toLowerCase())) ? (style.color ? paint('yellow', w) : `*${w}*`) : w,
        );
  const parts: string[] = [];
  if (reply.title) parts.push(paint('bold', escapeTerminal(reply.title)));
  if (reply.text) parts.push(wrap(escapeTerminal(reply.text), style.width));
  reply.citations.forEach((c, i) => {
    const head = `[${i + 1}] ${c.title} — ${c.publisher}, ${c.date}, paragraph ${c.paragraph}`;
    const summary =
      c.summary && c.summary !== reply.text ? [paint('bold', wrap(escapeTerminal(c.summary), style.width))] : [];
    parts.push(
      [
        ...summary,
        paint('cyan', wrap(escapeTerminal(head), style.width)),
        mark(wrap(escapeTerminal(`“${c.text}”`), style.width, '    ')),
        c.url ? paint('dim', `    ${escapeTerminal(c.url)}`) : paint('dim', '    (no link published)'),
      ].join('\n'),
    );
  });
  for (const n of reply.notes) parts.push(paint('dim', wrap(escapeTerminal(n), style.width)));
  return parts.join('\n\n');
}
