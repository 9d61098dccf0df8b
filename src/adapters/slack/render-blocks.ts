/**
 * Renders a Reply as a Slack Block Kit message: the title and lead text, then per citation its
 * summary and the whole paragraph as a quote, with title, publisher, date, paragraph number and link
 * in a context block; notes last. Every piece of text goes through `escapeSlackText`, so corpus text
 * cannot form links, mentions or `<!channel>`. Slack's limits (3,000 characters a text object, 50
 * blocks) are met by fitting whole citations first and then splitting a long text across several
 * sections, so a paragraph is never shortened.
 */
import { escapeSlackText } from '../../core/render/escape.ts';
import { cutText, fitReply } from '../../core/render/fit-reply.ts';
import { answerLine, type Citation, type Reply } from '../../core/reply.ts';
import { stem } from '../../core/text/tokenize.ts';

/** The block shapes this renderer produces (a subset of Block Kit). */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

/** A message ready for `chat.postMessage` or `respond()`. */
export interface SlackMessage {
  /** Plain fallback for notifications and clients without Block Kit (escaped mrkdwn). */
  text: string;
  blocks: SlackBlock[];
}

/**
 * Slack's hard limits, and the budget this renderer keeps under them. `messageChars` and
 * `citations` are ours: a message of ten quoted paragraphs is already long to read in a channel, and
 * it keeps the block count well under 50 (each citation takes a divider, one section per 3,000
 * characters and a context block). Only when the best citation alone is longer than `messageChars`
 * is it shown by itself, up to `longestMessageChars`.
 */
export const SLACK_LIMITS = Object.freeze({
  textChars: 3_000,
  blocks: 50,
  messageChars: 12_000,
  citations: 10,
  /** Slack's cap on a message's text; a single paragraph longer than `messageChars` may use it. */
  longestMessageChars: 40_000,
});

const SEPARATOR = ' \u00b7 ';

/**
 * The Block Kit message for a reply, within Slack's limits.
 *
 * @example
 * const { text, blocks } = renderBlocks(reply);
 * await client.chat.postMessage({ channel, text, blocks });
 */
export function renderBlocks(reply: Reply): SlackMessage {
  let maxCitations: number = SLACK_LIMITS.citations;
  let maxChars: number = SLACK_LIMITS.messageChars;
  // The best citation is shown even when it alone is over our budget, up to Slack's 40,000.
  const best = reply.citations[0];
  if (best && citationChars(best) + reply.text.length > maxChars) {
    maxCitations = 1;
    maxChars = SLACK_LIMITS.longestMessageChars;
  }
  for (;;) {
    const fitted = fitReply(reply, { maxChars, maxCitations, measure: citationChars });
    const blocks = blocksOf(fitted);
    // Only very long single paragraphs (many sections each) can get here; drop one more citation.
    if (blocks.length <= SLACK_LIMITS.blocks || fitted.citations.length === 0) {
      return { text: fallbackText(fitted), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
    }
    maxCitations = fitted.citations.length - 1;
  }
}

function blocksOf(reply: Reply): SlackBlock[] {
  const answer = answerLine(reply);
  // The answering sentence as a quote block, then what the paragraph is cited for.
  const text = answer
    ? [`>${escapeSlackText(answer.line)}`, escapeSlackText(answer.rest)].filter(Boolean).join('\n')
    : escapeSlackText(reply.text);
  const lead = [reply.title ? `*${escapeSlackText(reply.title)}*` : '', text].filter(Boolean).join('\n');
  const blocks: SlackBlock[] = splitText(lead || '\u2026', SLACK_LIMITS.textChars).map(section);
  const highlight = new Set(reply.highlight);
  for (const citation of reply.citations) blocks.push({ type: 'divider' }, ...citationBlocks(citation, highlight));
  const notes = reply.notes.slice(0, 10).map((n) => mrkdwn(escapeSlackText(cutText(n, 2_000))));
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes });
  return blocks;
}

/**
 * One citation: sections holding its summary and the paragraph as a `>` quote (split across sections
 * only when longer than a text object allows), then its context line.
 */
export function citationBlocks(citation: Citation, highlight: ReadonlySet<string> = new Set()): SlackBlock[] {
  const summary = citation.summary ? cutText(escapeSlackText(citation.summary), 500) : '';
  const quote = emphasise(escapeSlackText(citation.text), highlight);
  const room = SLACK_LIMITS.textChars - (summary ? summary.length + 1 : 0);
  const pieces = splitText(quote, room, 1);
  const sections = pieces.map((piece, i) => {
    const quoted = piece
      .split('\n')
      .map((line) => `>${line}`)
      .join('\n');
    return section(i === 0 && summary ? `${summary}\n${quoted}` : quoted);
  });
  return [...sections, { type: 'context', elements: [mrkdwn(contextLine(citation))] }];
}

/**
 * `<url|title> · publisher · date · ¶ n`, every part escaped; the link only for an http(s) URL.
 *
 * @example contextLine({ ..., title: 'A <b>', url: 'https://x.test/a?b=1&c=2', paragraph: 3 })
 * // '<https://x.test/a?b=1&amp;c=2|A &lt;b&gt;> · publisher · 2024-10-25 · ¶ 3'
 */
export function contextLine(citation: Citation): string {
  const title = escapeSlackText(cutText(citation.title, 300));
  const url = citation.url ? safeLinkUrl(citation.url) : undefined;
  const parts = [
    url ? `<${url}|${title}>` : title,
    escapeSlackText(cutText(citation.publisher, 300)),
    escapeSlackText(citation.date),
    `\u00b6 ${citation.paragraph}`,
  ];
  return parts.join(SEPARATOR);
}

/**
 * The URL as it can stand inside Slack's `<url|label>`: only http(s), normalised by the URL parser
 * (which percent-encodes spaces, `<` and `>`), with `|` encoded and `&` as `&amp;`. Undefined for
 * anything else (`javascript:`, `slack://`, unparsable text).
 *
 * @example safeLinkUrl('https://x.test/a|b?c=1&d=<2>') // 'https://x.test/a%7Cb?c=1&amp;d=%3C2%3E'
 */
export function safeLinkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/\|/g, '%7C').replace(/&/g, '&amp;');
}

/** Size of a citation as rendered: what `fitReply` budgets with. */
function citationChars(citation: Citation): number {
  return citationBlocks(citation).reduce(
    (n, b) => n + (b.type === 'section' ? b.text.text.length : b.type === 'context' ? b.elements[0]!.text.length : 0),
    0,
  );
}

/** Bold the words whose stems are highlighted, in already-escaped text (entities are left alone). */
function emphasise(escaped: string, highlight: ReadonlySet<string>): string {
  if (highlight.size === 0) return escaped;
  return escaped.replace(/(?<![&\p{L}\p{N}])[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu, (word) =>
    highlight.has(stem(word.toLowerCase())) ? `*${word}*` : word,
  );
}

/**
 * The notification text: title, lead text (both cut short) and how many paragraphs are cited.
 * Slack shows it in notifications and where blocks cannot be shown.
 */
function fallbackText(reply: Reply): string {
  const n = reply.citations.length;
  const cited = n > 0 ? ` (${n} cited ${n === 1 ? 'paragraph' : 'paragraphs'})` : '';
  const head = reply.title ? `${reply.title}: ` : '';
  return escapeSlackText(cutText(`${head}${reply.text}`, 600) + cited);
}

/**
 * Splits text into pieces of at most `max` characters (counting `perLine` extra characters for each
 * line, e.g. a quote mark): at line breaks, else at the last space, else between characters (never
 * inside an `&…;` entity or a surrogate pair). Joined back with line breaks, the pieces hold every
 * word of the text in order.
 */
export function splitText(text: string, max: number, perLine = 0): string[] {
  const pieces: string[] = [];
  let current = '';
  const cost = (s: string) => s.length + perLine * (s.split('\n').length || 1);
  const push = (line: string) => {
    const joined = current ? `${current}\n${line}` : line;
    if (cost(joined) <= max) {
      current = joined;
      return;
    }
    if (current) pieces.push(current);
    current = '';
    let rest = line;
    while (cost(rest) > max) {
      const cut = cutPoint(rest, max - perLine);
      pieces.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  };
  for (const line of text.split('\n')) push(line);
  if (current || pieces.length === 0) pieces.push(current);
  return pieces;
}

function cutPoint(line: string, max: number): number {
  const space = line.lastIndexOf(' ', max);
  if (space > max / 2) return space;
  let cut = max;
  const amp = line.lastIndexOf('&', cut);
  if (amp > cut - 8 && line.indexOf(';', amp) >= cut) cut = amp;
  const code = line.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(1, cut);
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}
