/**
 * Rendering a Reply as Discord embeds: Discord's limits always hold, citations are shown whole or
 * not at all (with a note), and no text can ping or format.
 */
import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DISCORD_LIMITS,
  embedLength,
  escapeWithin,
  MAX_CITATIONS,
  renderEmbeds,
} from '../../../src/adapters/discord/render-embeds.ts';
import type { Citation, Reply } from '../../../src/core/reply.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { quotedParagraph, unescapeDiscord } from './harness.ts';

function citation(n: number, text: string, extra: Partial<Citation> = {}): Citation {
  return {
    source: `2024-01-01-source-${n}`,
    paragraph: n,
    text,
    title: `Source ${n}`,
    publisher: 'Office of the Director of National Intelligence (ODNI)',
    date: '2024-01-01',
    url: `https://example.gov/${n}`,
    ...extra,
  };
}

/** Every limit Discord enforces on a message's embeds. */
function expectWithinLimits(embeds: APIEmbed[]): void {
  expect(embeds.length).toBeGreaterThan(0);
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  expect(embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(e.title || e.description).toBeTruthy();
  }
}

const cited = (embeds: APIEmbed[]) => embeds.filter((e) => e.footer);
const omitted = (embeds: APIEmbed[]) => Number(/(\d+) more citations? not shown/.exec(embedsText(embeds))?.[1] ?? 0);
const embedsText = (embeds: APIEmbed[]) => embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');

describe('Discord embed rendering', () => {
  it('renders title and lead text, then each citation with its source, link, publisher, date and paragraph', () => {
    const c = citation(3, 'Russia prefers a candidate.', { summary: 'Russia favours Trump (ODNI, 2024-01-01)' });
    const [head, body] = renderEmbeds(
      makeReply({ title: 'Preferences: Russia', text: 'Lead.', found: true, citations: [c] }),
    );
    expect(head).toMatchObject({ title: 'Preferences: Russia', description: 'Lead.' });
    expect(body?.title).toBe('1\\. Source 3');
    expect(body?.url).toBe('https://example.gov/3');
    expect(body?.description).toContain('**Russia favours Trump \\(ODNI, 2024-01-01\\)**');
    expect(body?.description).toContain('> Russia prefers a candidate.');
    expect(unescapeDiscord(body?.description ?? '')).toContain(
      'Office of the Director of National Intelligence (ODNI) · 2024-01-01 · paragraph 3',
    );
    expect(body?.footer?.text).toBe('2024-01-01-source-3#3');
  });

  it('a reply over the limits keeps whole citations, best first, and says how many were left out', () => {
    const citations = Array.from({ length: 30 }, (_, i) => citation(i + 1, `${'Paragraph text. '.repeat(90)}${i}`));
    const embeds = renderEmbeds(makeReply({ title: 'Many', text: 'Lead.', found: true, citations }));
    expectWithinLimits(embeds);
    const shown = cited(embeds);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.map(quotedParagraph)).toEqual(citations.slice(0, shown.length).map((c) => c.text));
    expect(omitted(embeds)).toBe(30 - shown.length);
  });

  it(`shows at most ${MAX_CITATIONS} citations, leaving room for the header and notes`, () => {
    const citations = Array.from({ length: 12 }, (_, i) => citation(i + 1, `Short ${i}.`));
    const embeds = renderEmbeds(
      makeReply({ title: 'Short', text: 'Lead.', found: true, citations, notes: ['A note.'] }),
    );
    expect(cited(embeds)).toHaveLength(MAX_CITATIONS);
    expect(omitted(embeds)).toBe(12 - MAX_CITATIONS);
    expect(embeds.at(-1)?.description).toContain('A note.');
  });

  it('a paragraph too long for one embed is named with its link in a note, never cut', () => {
    const long = citation(1, 'x '.repeat(2100));
    const embeds = renderEmbeds(
      makeReply({ title: 'Long', text: 'Lead.', found: true, citations: [long, citation(2, 'Short.')] }),
    );
    expectWithinLimits(embeds);
    expect(cited(embeds).map(quotedParagraph)).toEqual(['Short.']);
    expect(embedsText(embeds)).toContain(
      '2024-01-01-source-1#1 is too long to show in Discord; read it at https://example.gov/1',
    );
  });

  it('corpus text cannot ping, link or format, and still reads verbatim', () => {
    const text =
      '@everyone @here <@123456789012345678> <@&223456789012345678> <#323456789012345678> [x](https://evil.example) **b** ||s||\n> q\n# h';
    const embeds = renderEmbeds(
      makeReply({
        title: '@here **t**',
        text: '<@!123456789012345678> lead',
        found: true,
        citations: [citation(1, text, { title: '@everyone' })],
      }),
    );
    const all = embedsText(embeds);
    expect(all).not.toMatch(/@(everyone|here)/);
    expect(all).not.toMatch(/<[@#][!&]?\d+>/);
    expect(all).not.toMatch(/(?<!\\)\[x(?<!\\)\]/);
    expect(all).not.toMatch(/(?<!\\)\*\*b/);
    expect(quotedParagraph(cited(embeds)[0] as APIEmbed)).toBe(text);
  });

  it('links only to http(s) URLs, and says when a source has none', () => {
    for (const url of ['javascript:alert(1)', 'not a url', null]) {
      const [, body] = renderEmbeds(makeReply({ text: 'Lead.', found: true, citations: [citation(1, 'P.', { url })] }));
      expect(body?.url).toBeUndefined();
      expect(body?.footer?.text).toContain('no link published');
    }
  });

  it('search hits are bold inside the quote; the paragraph is otherwise unchanged', () => {
    const c = citation(1, 'Ballots and a fake video about ballots.');
    const [, body] = renderEmbeds(makeReply({ text: 'Hits.', found: true, citations: [c], highlight: ['ballot'] }));
    expect(body?.description).toContain('> **Ballots** and a fake video about **ballots**.');
    expect(quotedParagraph(body as APIEmbed)).toBe(c.text);
  });

  it('a lead text over 4,096 characters is shortened with an ellipsis', () => {
    const [head] = renderEmbeds(makeReply({ title: 'Sources', text: 'A line (with parentheses). '.repeat(300) }));
    expect(head?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(head?.description).toMatch(/…$/);
  });

  it('an empty reply still renders one embed, since Discord refuses an empty message', () => {
    expect(renderEmbeds(makeReply({ text: '' }))).toEqual([{ description: 'No answer.', color: expect.any(Number) }]);
  });

  it('escapeWithin never splits an escape and stays within its limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '*', '\\', '<', '@', '\n', '-', '.') }),
        fc.integer({ min: 2, max: 300 }),
        (text, limit) => {
          const out = escapeWithin(text, limit);
          expect(out.length).toBeLessThanOrEqual(limit);
          expect(out).not.toMatch(/(?<!\\)(\\\\)*\\$/);
        },
      ),
    );
  });
});

const chunk = fc.constantFrom(
  'word ',
  'Election ',
  '@everyone ',
  '@here ',
  '<@123456789012345678> ',
  '<@&223456789012345678> ',
  '**bold** ',
  '[link](https://evil.example) ',
  '\n',
  '# ',
  '> ',
  '- ',
  '1. ',
  '\\ ',
  '`code` ',
  'été ',
  '😀 ',
);
const text = (max: number) => fc.array(chunk, { maxLength: max }).map((a) => a.join(''));
const arbitraryCitation = fc.record({
  source: fc.constantFrom('a', '2024-10-25-joint-statement'),
  paragraph: fc.integer({ min: 1, max: 40 }),
  text: text(600),
  title: text(40),
  publisher: text(10),
  date: fc.constant('2024-10-25'),
  url: fc.option(fc.constantFrom('https://www.dni.gov/x', 'javascript:x'), { nil: null }),
  summary: fc.option(text(20), { nil: undefined }),
});
const arbitraryReply: fc.Arbitrary<Reply> = fc.record({
  title: text(60),
  text: text(700),
  found: fc.boolean(),
  citations: fc.array(arbitraryCitation, { maxLength: 30 }),
  ephemeral: fc.boolean(),
  notes: fc.array(text(20), { maxLength: 3 }),
  highlight: fc.constant([]),
});

describe('Discord embed rendering, for any reply', () => {
  it('stays within every Discord limit and shows citations whole, in order, with the rest counted', () => {
    fc.assert(
      fc.property(arbitraryReply, (reply) => {
        const embeds = renderEmbeds(reply);
        expectWithinLimits(embeds);
        const shown = cited(embeds).map(quotedParagraph);
        const fits = reply.citations.filter(
          (c) => !embedsText(embeds).includes(`${c.source}#${c.paragraph} is too long`),
        );
        expect(shown).toEqual(fits.slice(0, shown.length).map((c) => c.text));
        expect(omitted(embeds)).toBe(fits.length - shown.length);
        expect(embedsText(embeds)).not.toMatch(/@(everyone|here)|<[@#][!&]?\d+>/);
      }),
      { numRuns: 150 },
    );
  });
});
