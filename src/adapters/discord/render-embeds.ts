/**
 * A Reply as Discord embeds: a header embed (title and lead text), one embed per citation (the
 * paragraph quoted verbatim, what it is cited for, source title, link, publisher, date and
 * paragraph number), and a notes embed. Everything stays within Discord's limits: 256 characters a
 * title, 4,096 a description, 2,048 a footer, 6,000 across a message's embeds, 10 embeds. A reply
 * over those limits loses whole citations, never part of one, with a note saying how many
 * (`fitReply`). Text shown as markdown goes through `escapeDiscordMarkdown`, so corpus or user text
 * cannot ping anyone, form links or change formatting; callers also send `allowed_mentions` with
 * `parse: []`.
 */
import type { APIEmbed } from 'discord.js';
import { escapeDiscordMarkdown } from '../../core/render/escape.ts';
import { cutText, fitReply } from '../../core/render/fit-reply.ts';
import { answerLine, type Citation, type Reply } from '../../core/reply.ts';
import { stem } from '../../core/text/tokenize.ts';

/** Discord's message and embed limits, in characters. */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  /** Titles, descriptions, field names and values, footers and author names of all embeds together. */
  total: 6000,
  embeds: 10,
});

/** Citations shown at most: 10 embeds less the header and the notes. */
export const MAX_CITATIONS = DISCORD_LIMITS.embeds - 2;
/** The notes embed is kept short so that the header and notes always fit without citations. */
const NOTES_LIMIT = 1024;
const COLOR_FOUND = 0x3b82f6;
const COLOR_NOT_FOUND = 0x9ca3af;

/** No pings from anything a message contains (discord.js option form). */
export const NO_MENTIONS = Object.freeze({ parse: [] as never[] });

/**
 * The characters of an embed that count towards the 6,000 limit of a message.
 *
 * @example embedLength({ title: 'ab', description: 'cde' }) // 5
 */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * `text` escaped for Discord markdown, shortened first (with "…") when the escaped form would be
 * over `limit`. Cutting happens before escaping, so no escape is ever split.
 *
 * @example escapeWithin('**a** b', 100) // '\\*\\*a\\*\\* b'
 */
export function escapeWithin(text: string, limit: number): string {
  let escaped = escapeDiscordMarkdown(text);
  let room = limit;
  for (let attempt = 0; escaped.length > limit && attempt < 4; attempt++) {
    room = Math.floor((room * limit) / escaped.length);
    escaped = escapeDiscordMarkdown(cutText(text, room));
  }
  // Escaping at most doubles a text, so half the limit always fits.
  return escaped.length > limit ? escapeDiscordMarkdown(cutText(text, Math.floor(limit / 2))) : escaped;
}

/** An http(s) link Discord accepts as an embed URL, or undefined. */
function linkOf(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Bold for words whose stem is highlighted (search hits); the words themselves are unchanged. */
function markHighlights(escaped: string, highlight: ReadonlySet<string>): string {
  if (highlight.size === 0) return escaped;
  return escaped.replace(/[\p{L}\p{N}'’]+/gu, (w) => (highlight.has(stem(w.toLowerCase())) ? `**${w}**` : w));
}

/**
 * The embed for one citation, numbered from 1: the source title (linked when the source has an
 * http(s) link), what the paragraph is cited for when that differs from the reply's lead text, the
 * paragraph quoted whole, then publisher, date and paragraph number. The footer holds only the
 * paragraph's id (`<source>#<n>`), since footers show text as it is, without markdown escapes.
 */
export function citationEmbed(c: Citation, index: number, highlight: ReadonlySet<string>, lead: string): APIEmbed {
  const quote = markHighlights(escapeDiscordMarkdown(c.text), highlight)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const summary = c.summary && !lead.split('\n').includes(c.summary) ? `**${escapeDiscordMarkdown(c.summary)}**\n` : '';
  const origin = escapeDiscordMarkdown(`${c.publisher} · ${c.date} · paragraph ${c.paragraph}`);
  const link = linkOf(c.url);
  return {
    title: escapeWithin(`${index + 1}. ${c.title}`, DISCORD_LIMITS.title),
    ...(link ? { url: link } : {}),
    description: `${summary}${quote}\n*${origin}*`,
    footer: { text: `${c.source}#${c.paragraph}${link ? '' : ' · no link published'}` },
    color: COLOR_FOUND,
  };
}

/** The lead text, escaped; the answering sentence, when there is one, as a block quote on its own line. */
function descriptionOf(reply: Reply): string {
  const lead = answerLine(reply);
  if (!lead) return escapeWithin(reply.text, DISCORD_LIMITS.description);
  const quoted = `> ${escapeWithin(lead.line, DISCORD_LIMITS.description - 2)}`;
  const { rest } = lead;
  const room = DISCORD_LIMITS.description - quoted.length - 1;
  return rest && room > 0 ? `${quoted}\n${escapeWithin(rest, room)}` : quoted;
}

function buildEmbeds(reply: Reply): APIEmbed[] {
  const color = reply.found ? COLOR_FOUND : COLOR_NOT_FOUND;
  const highlight = new Set(reply.highlight);
  const embeds: APIEmbed[] = [];
  // Discord refuses an embed whose text is empty or blank, so blank parts are left out.
  const title = reply.title.trim() ? escapeWithin(reply.title, DISCORD_LIMITS.title) : '';
  const description = reply.text.trim() ? descriptionOf(reply) : '';
  if (title || description) {
    embeds.push({ ...(title ? { title } : {}), ...(description ? { description } : {}), color });
  }
  reply.citations.forEach((c, i) => {
    embeds.push(citationEmbed(c, i, highlight, reply.text));
  });
  const notes = reply.notes.filter((n) => n.trim());
  if (notes.length > 0) embeds.push({ description: escapeWithin(notes.join('\n'), NOTES_LIMIT), color });
  if (embeds.length === 0) embeds.push({ description: 'No answer.', color });
  return embeds;
}

const totalLength = (embeds: APIEmbed[]) => embeds.reduce((n, e) => n + embedLength(e), 0);

/**
 * The embeds for a reply, within Discord's limits. A citation whose paragraph alone is over the
 * description limit is named in a note with its link instead; others are kept whole, in order,
 * while they fit.
 *
 * @example await interaction.editReply({ embeds: renderEmbeds(reply), allowedMentions: NO_MENTIONS })
 */
export function renderEmbeds(reply: Reply): APIEmbed[] {
  const highlight = new Set(reply.highlight);
  // Measured with the number of the last citation that can be shown, the widest.
  const render = (c: Citation) => citationEmbed(c, MAX_CITATIONS - 1, highlight, reply.text);
  const tooLong = reply.citations.filter((c) => (render(c).description?.length ?? 0) > DISCORD_LIMITS.description);
  const base: Reply = {
    ...reply,
    title: cutText(reply.title, DISCORD_LIMITS.title),
    citations: reply.citations.filter((c) => !tooLong.includes(c)),
    notes: [
      ...reply.notes,
      ...tooLong.map(
        (c) => `${c.source}#${c.paragraph} is too long to show in Discord${c.url ? `; read it at ${c.url}` : ''}.`,
      ),
    ],
  };
  const measure = (c: Citation) => embedLength(render(c));
  let maxChars: number = DISCORD_LIMITS.total;
  // Escaping and decoration make the rendered reply longer than fitReply counts; shrink and refit.
  for (let attempt = 0; attempt < 6 && maxChars > 0; attempt++) {
    const embeds = buildEmbeds(fitReply(base, { maxChars, maxCitations: MAX_CITATIONS, measure }));
    const total = totalLength(embeds);
    if (total <= DISCORD_LIMITS.total) return embeds;
    maxChars -= total - DISCORD_LIMITS.total;
  }
  // Header (≤ 256 + 4,096) and notes (≤ 1,024) always fit once no citation is left.
  return buildEmbeds(fitReply(base, { maxChars: DISCORD_LIMITS.total, maxCitations: 0, measure }));
}
