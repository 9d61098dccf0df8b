import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contextLine,
  renderBlocks,
  SLACK_LIMITS,
  type SlackBlock,
  safeLinkUrl,
  splitText,
} from '../../../src/adapters/slack/render-blocks.ts';
import { escapeSlackText } from '../../../src/core/render/escape.ts';
import { type Citation, makeReply, type Reply } from '../../../src/core/reply.ts';
import { stem } from '../../../src/core/text/tokenize.ts';
import { blockTexts, quotedText } from './harness.ts';

function citation(n: number, text: string, extra: Partial<Citation> = {}): Citation {
  return {
    source: `2024-10-25-source-${n}`,
    paragraph: n,
    text,
    title: `Joint statement ${n}`,
    publisher: 'Office of the Director of National Intelligence (ODNI)',
    date: '2024-10-25',
    url: `https://www.dni.gov/statement-${n}`,
    summary: `Summary of paragraph ${n}.`,
    ...extra,
  };
}

const reply = (citations: Citation[], extra: Partial<Reply> = {}) =>
  makeReply({ title: 'Preferences: Russia', text: 'Russia favours a candidate.', found: true, citations, ...extra });

const texts = (blocks: SlackBlock[]) => blockTexts(blocks);

/** Every `<` left in rendered text must open one of our own http(s) links. */
function expectNoSlackTokens(message: { text: string; blocks: SlackBlock[] }): void {
  for (const t of [message.text, ...texts(message.blocks)]) {
    const withoutLinks = t.replace(/<https?:\/\/[^\s<>|]+\|[^<>]*>/g, '').replace(/^>/gm, '');
    expect(withoutLinks).not.toMatch(/[<>]/);
  }
}

describe('Block Kit rendering', () => {
  it('renders the lead, then per citation its summary, the paragraph as a quote, and a context line', () => {
    const message = renderBlocks(reply([citation(3, 'The ODNI official said so.')]));
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'divider', 'section', 'context']);
    expect(texts(message.blocks)[0]).toBe('*Preferences: Russia*\nRussia favours a candidate.');
    expect(texts(message.blocks)[1]).toBe('Summary of paragraph 3.\n>The ODNI official said so.');
    expect(texts(message.blocks)[2]).toBe(
      '<https://www.dni.gov/statement-3|Joint statement 3> · Office of the Director of National Intelligence (ODNI) · 2024-10-25 · ¶ 3',
    );
    expect(message.text).toBe('Preferences: Russia: Russia favours a candidate. (1 cited paragraph)');
  });

  it('neutralises <!channel>, <!here>, user mentions and links in corpus text, titles and publishers', () => {
    const hostile =
      'Alert <!channel> and <!here> <!everyone> <@U0ATTACK> <#C0GENERAL> <https://evil.test|click> @channel';
    const message = renderBlocks(
      reply([citation(1, hostile, { title: `Title ${hostile}`, publisher: `Pub ${hostile}`, summary: hostile })], {
        text: hostile,
        title: hostile,
        notes: [hostile],
      }),
    );
    expectNoSlackTokens(message);
    expect(quotedText(message.blocks)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(message)).not.toMatch(/@channel|@here|@everyone/);
  });

  it('links only http(s) URLs, with |, <, > and & made safe', () => {
    expect(safeLinkUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeLinkUrl('slack://channel?id=C1')).toBeUndefined();
    expect(safeLinkUrl('not a url')).toBeUndefined();
    expect(safeLinkUrl('https://x.test/a|b?c=1&d=<2>')).toBe('https://x.test/a%7Cb?c=1&amp;d=%3C2%3E');
    expect(contextLine(citation(2, 'p', { url: 'javascript:alert(1)' }))).not.toContain('<');
    expect(contextLine(citation(2, 'p', { url: null }))).toMatch(/^Joint statement 2 · /);
  });

  it('keeps a long reply within 50 blocks and 3,000 characters a text, dropping whole citations with a note', () => {
    const long = (n: number) => `Paragraph ${n} says ${'a great deal about influence operations. '.repeat(60)}`;
    const citations = Array.from({ length: 40 }, (_, i) => citation(i + 1, long(i + 1)));
    const message = renderBlocks(reply(citations));
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const t of texts(message.blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
    const shown = message.blocks.filter((b) => b.type === 'context').length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(40);
    const quoted = quotedText(message.blocks);
    for (const c of citations.slice(0, shown)) expect(quoted).toContain(c.text.trim());
    expect(JSON.stringify(message.blocks)).toContain(`${40 - shown} more citations not shown`);
  });

  it('splits a paragraph longer than one text object across sections without losing a word', () => {
    const words = Array.from({ length: 1400 }, (_, i) => `w${i}&x`).join(' ');
    const message = renderBlocks(reply([citation(1, words)]));
    const sections = message.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(3);
    for (const t of texts(message.blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
    expect(quotedText(message.blocks)).toBe(escapeSlackText(words));
  });

  it('emphasises highlighted words inside the quote without changing them', () => {
    const message = renderBlocks(
      reply([citation(1, 'Cyber actors & hackers targeted voters.')], { highlight: [stem('hackers')] }),
    );
    expect(quotedText(message.blocks)).toBe('Cyber actors &amp; *hackers* targeted voters.');
  });

  it('splitText never exceeds the limit and keeps every word in order', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 12, max: 60 }), (text, max) => {
        const pieces = splitText(text, max, 1);
        for (const p of pieces) for (const line of p.split('\n')) expect(line.length + 1).toBeLessThanOrEqual(max);
        const words = (s: string) => s.split(/\s+/).filter(Boolean).join('');
        expect(words(pieces.join(' '))).toBe(words(text));
      }),
    );
  });

  it('no corpus text, whatever it holds, can form a Slack token', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (text, title, publisher) => {
        expectNoSlackTokens(renderBlocks(reply([citation(1, text || 'x', { title, publisher })], { text: title })));
      }),
    );
  });
});
