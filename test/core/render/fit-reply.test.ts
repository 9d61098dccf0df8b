import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allParagraphs, paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { citationSize, cutText, fitReply, omittedNote, TERMINAL_LIMITS } from '../../../src/core/render/fit-reply.ts';
import { type Citation, citationOf, makeReply, type Reply } from '../../../src/core/reply.ts';

const corpus = loadCorpus(fileURLToPath(new URL('../../../data', import.meta.url)));
const paragraphs = allParagraphs(corpus);
/** Real citations from the shipped corpus, the longest first so that a few fill a budget. */
const citations: Citation[] = [...paragraphs]
  .sort((a, b) => b.text.length - a.text.length)
  .slice(0, 12)
  .map((p, i) => citationOf(corpus, p, i % 2 === 0 ? `Summary of paragraph ${p.n} of ${p.source}.` : undefined));

const lead = 'Russia’s preferences are unchanged since 2020, an ODNI official says.';
const replyWith = (cs: Citation[], extra: Partial<Reply> = {}): Reply =>
  makeReply({ title: 'Preferences: Russia', text: lead, found: true, citations: cs, ...extra });

/** The size fitReply counts: title, text, citations and notes. */
const sizeOf = (r: Reply) =>
  r.title.length + r.text.length + r.citations.reduce((n, c) => n + citationSize(c), 0) + r.notes.join('').length;

function expectVerbatim(c: Citation): void {
  expect(c.text).toBe(paragraphOf(corpus, c.source, c.paragraph)?.text);
}

describe('fitReply', () => {
  it('cuts a reply over the limit at a citation boundary, keeping whole citations in order and a note', () => {
    const reply = replyWith(citations.slice(0, 6));
    const maxChars = sizeOf(replyWith(citations.slice(0, 3))) + omittedNote(6).length;
    const fitted = fitReply(reply, { maxChars, maxCitations: 25 });
    expect(fitted.citations).toEqual(citations.slice(0, 3));
    fitted.citations.forEach(expectVerbatim);
    expect(fitted.notes).toEqual([
      '3 more citations not shown (limit of this output); ask a narrower question or use /search.',
    ]);
    expect(fitted.title).toBe(reply.title);
    expect(fitted.text).toBe(lead);
    expect(fitted.found).toBe(true);
    expect(sizeOf(fitted)).toBeLessThanOrEqual(maxChars);
  });

  it('stops at the first citation that does not fit rather than skipping to a smaller, lower-ranked one', () => {
    const small = citationOf(
      corpus,
      paragraphs.reduce((a, b) => (a.text.length <= b.text.length ? a : b)),
    );
    const big = citations[0] as Citation;
    const reply = replyWith([big, big, small]);
    const maxChars = sizeOf(replyWith([big, small])) + omittedNote(3).length;
    const fitted = fitReply(reply, { maxChars, maxCitations: 25 });
    expect(fitted.citations).toEqual([big]);
    expect(fitted.notes.at(-1)).toMatch(/^2 more citations not shown/);
  });

  it('returns a reply within the limit unchanged, as a copy', () => {
    const reply = replyWith(citations.slice(0, 4), { notes: ['A hint.'], highlight: ['ballot'] });
    const before = structuredClone(reply);
    const fitted = fitReply(reply, TERMINAL_LIMITS);
    expect(fitted).toEqual(reply);
    expect(fitted).not.toBe(reply);
    expect(fitted.citations).not.toBe(reply.citations);
    fitted.notes.push('changed');
    expect(reply).toEqual(before);
  });

  it('respects maxCitations and says how many were left out (singular for one)', () => {
    const fitted = fitReply(replyWith(citations.slice(0, 4)), { maxChars: 100_000, maxCitations: 3 });
    expect(fitted.citations).toEqual(citations.slice(0, 3));
    expect(fitted.notes).toEqual([
      '1 more citation not shown (limit of this output); ask a narrower question or use /search.',
    ]);
  });

  it('keeps no citation with maxCitations 0, and keeps existing notes before its own', () => {
    const fitted = fitReply(replyWith(citations.slice(0, 2), { notes: ['Earlier note.'] }), {
      maxChars: 100_000,
      maxCitations: 0,
    });
    expect(fitted.citations).toEqual([]);
    expect(fitted.notes).toEqual(['Earlier note.', omittedNote(2)]);
  });

  it('cuts a lead text that alone is over budget at a sentence boundary, with an ellipsis, and drops the citations', () => {
    const text = `${lead} ${'It also says more about the same subject at length. '.repeat(20)}`.trim();
    const reply = replyWith(citations.slice(0, 2), { text });
    const maxChars = reply.title.length + omittedNote(2).length + 400;
    const fitted = fitReply(reply, { maxChars, maxCitations: 25 });
    expect(fitted.text.endsWith('. …')).toBe(true);
    expect(text.startsWith(fitted.text.slice(0, -2))).toBe(true);
    expect(fitted.text.length).toBeLessThanOrEqual(400);
    expect(fitted.text.length).toBeGreaterThan(200);
    expect(fitted.citations).toEqual([]);
    expect(fitted.notes).toEqual([omittedNote(2)]);
    expect(sizeOf(fitted)).toBeLessThanOrEqual(maxChars);
  });

  it('uses a supplied measure, e.g. one that counts what the renderer adds', () => {
    const reply = replyWith(citations.slice(0, 5));
    const fitted = fitReply(reply, { maxChars: 1000, maxCitations: 25, measure: () => 300 });
    // 1000 − title − lead − note leaves room for two citations of 300.
    expect(fitted.citations).toEqual(citations.slice(0, 2));
    expect(fitted.notes).toEqual([omittedNote(3)]);
  });

  it('rejects a budget that is not a positive whole number, naming the option', () => {
    expect(() => fitReply(replyWith([]), { maxChars: 0, maxCitations: 1 })).toThrow(/fit-reply: maxChars/);
    expect(() => fitReply(replyWith([]), { maxChars: 10, maxCitations: -1 })).toThrow(/fit-reply: maxCitations/);
    expect(() => fitReply(replyWith([]), { maxChars: Number.NaN, maxCitations: 1 })).toThrow(/maxChars/);
  });
});

describe('cutText', () => {
  it('returns text within the limit as it is', () => {
    expect(cutText('Short.', 6)).toBe('Short.');
  });

  it('cuts at the last sentence end that fits when that keeps at least half', () => {
    expect(cutText('One two three. Four five six seven.', 20)).toBe('One two three. …');
  });

  it('cuts at a word boundary when no sentence end is near enough', () => {
    expect(cutText('One two. Three four five six.', 20)).toBe('One two. Three four…');
  });

  it('cuts between characters inside one long word, never splitting an emoji', () => {
    expect(cutText('abcdefghijklmnop', 5)).toBe('abcd…');
    expect(cutText('abc🗳️def', 5)).toBe('abc…');
  });

  it('never returns more than the limit', () => {
    const text = paragraphs[0]?.text ?? '';
    for (const limit of [1, 2, 3, 10, 57, 100, 333]) expect(cutText(text, limit).length).toBeLessThanOrEqual(limit);
  });
});
