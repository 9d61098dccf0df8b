/**
 * Fitting a Reply into an output's size budget before rendering. Citations are kept or dropped
 * whole and in order (best first), never cut: a citation is the paragraph exactly as published, and
 * a shortened one would misquote its source. What is dropped is counted in a note. Only the lead
 * text, which is ours, may be shortened, and only when it alone is over budget.
 *
 * Sizes are counted in UTF-16 code units (`string.length`), which is never less than the characters
 * Slack or Discord count. Renderers add their own decoration (headings, quote marks, labels), so a
 * platform's budget should leave room for it, or pass a `measure` that counts it.
 */
import type { Citation, Reply } from '../reply.ts';

/** A budget for one output. */
export interface FitOptions {
  /** Most characters for title, lead text, citations and notes together (a positive integer). */
  maxChars: number;
  /** Most citations shown (0 or more). */
  maxCitations: number;
  /** Size of one citation as the output renders it; defaults to `citationSize`. */
  measure?: (citation: Citation) => number;
}

/** The terminal has no practical limit; this only stops a runaway reply from flooding the screen. */
export const TERMINAL_LIMITS: Readonly<FitOptions> = Object.freeze({ maxChars: 20_000, maxCitations: 25 });

const ELLIPSIS = '\u2026';

/**
 * The default size of a citation: its paragraph, summary, title, publisher, date and link.
 *
 * @example citationSize({ source: 's', paragraph: 1, text: 'abc', title: 'T', publisher: 'P', date: '2024-01-02', url: null }) // 15
 */
export function citationSize(c: Citation): number {
  return (
    c.text.length +
    (c.summary?.length ?? 0) +
    c.title.length +
    c.publisher.length +
    c.date.length +
    (c.url?.length ?? 0)
  );
}

/**
 * The note appended when citations are left out.
 *
 * @example omittedNote(2) // '2 more citations not shown (limit of this output); ask a narrower question or use /search.'
 */
export function omittedNote(count: number): string {
  const what = count === 1 ? 'citation' : 'citations';
  return `${count} more ${what} not shown (limit of this output); ask a narrower question or use /search.`;
}

/**
 * Shortens text to at most `limit` characters, ending with "…": at the last sentence end when that
 * keeps at least half, else at the last space, else (one long word) between characters. Text within
 * the limit is returned as is.
 *
 * @example cutText('One two three. Four five six seven.', 20) // 'One two three. …'
 */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  if (limit < 1) return '';
  let sentenceEnd = -1;
  for (const m of text.matchAll(/[.!?…]["'”’)\]]*(?=\s)/g)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end + 2 > limit) break;
    sentenceEnd = end;
  }
  if (sentenceEnd >= limit / 2) return `${text.slice(0, sentenceEnd)} ${ELLIPSIS}`;
  const room = limit - ELLIPSIS.length;
  const space = text.slice(0, room + 1).search(/\s\S*$/);
  const byWord = space > 0 ? text.slice(0, space).trimEnd() : '';
  if (byWord) return byWord + ELLIPSIS;
  // Do not split a surrogate pair (an emoji or a rare CJK character).
  const code = text.charCodeAt(room - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * A copy of `reply` that fits the budget: the title, the lead text, then whole citations in order
 * while both the size and the count stay within budget, and the notes, plus a note saying how many
 * citations were left out. When the lead text alone is over budget it is cut (see `cutText`) and
 * no citation is kept. Title and existing notes are kept as they are; they are short by design.
 * A reply that fits is returned unchanged (as a copy). Pure: `reply` is not modified.
 *
 * @example
 * const fitted = fitReply(reply, { maxChars: 5500, maxCitations: 9 });
 * fitted.citations.length <= 9 // true; fitted.notes ends with '2 more citations not shown …' if any were dropped
 */
export function fitReply(reply: Reply, options: FitOptions): Reply {
  const { maxChars, maxCitations } = options;
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new Error(`fit-reply: maxChars must be a positive integer, got ${maxChars}`);
  }
  if (!Number.isInteger(maxCitations) || maxCitations < 0) {
    throw new Error(`fit-reply: maxCitations must be an integer of 0 or more, got ${maxCitations}`);
  }
  const measure = options.measure ?? citationSize;
  const copy = (text: string, citations: Citation[], notes: string[]): Reply => ({
    ...reply,
    text,
    citations,
    notes,
    highlight: [...reply.highlight],
  });
  const fixed = reply.title.length + reply.notes.reduce((n, note) => n + note.length, 0);
  const sizes = reply.citations.map(measure);
  const total = fixed + reply.text.length + sizes.reduce((n, s) => n + s, 0);
  if (total <= maxChars && reply.citations.length <= maxCitations) {
    return copy(reply.text, [...reply.citations], [...reply.notes]);
  }
  // Something will be dropped, so room is kept for the note in its longest form.
  const noteRoom = reply.citations.length > 0 ? omittedNote(reply.citations.length).length : 0;
  let budget = maxChars - fixed - noteRoom;
  const text = cutText(reply.text, Math.max(0, budget));
  budget -= text.length;
  const kept: Citation[] = [];
  for (const [i, citation] of reply.citations.entries()) {
    const size = sizes[i] as number;
    if (kept.length >= maxCitations || size > budget) break;
    kept.push(citation);
    budget -= size;
  }
  const dropped = reply.citations.length - kept.length;
  return copy(text, kept, dropped > 0 ? [...reply.notes, omittedNote(dropped)] : [...reply.notes]);
}
