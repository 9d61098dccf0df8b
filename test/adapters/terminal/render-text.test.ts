import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderText, styleFor, wrap } from '../../../src/adapters/terminal/render-text.ts';
import { allParagraphs } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { omittedNote, TERMINAL_LIMITS } from '../../../src/core/render/fit-reply.ts';
import { type Citation, citationOf, makeReply, type Reply } from '../../../src/core/reply.ts';

const corpus = loadCorpus(fileURLToPath(new URL('../../../data', import.meta.url)));
const paragraphs = allParagraphs(corpus);
const cited = paragraphs.slice(0, 3).map((p) => citationOf(corpus, p, `Why paragraph ${p.n} is cited.`));
const reply: Reply = makeReply({
  title: 'Preferences: Russia',
  text: 'Russia’s preferences are unchanged since 2020, an ODNI official says.',
  found: true,
  citations: cited,
  notes: ['Ask /denials russia for what Moscow said in response.'],
  highlight: ['elect'],
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for escape sequences.
const ESC = /\u001b/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test removes colour codes to measure.
const uncolored = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
/** Rendered text with wrapping, indents and quote marks undone, for comparing with a paragraph. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('styleFor', () => {
  it('gives no colour when the output is not a TTY', () => {
    expect(styleFor({ isTTY: false, columns: 80 }, {}).color).toBe(false);
    expect(styleFor({}, {}).color).toBe(false);
  });

  it('gives no colour on a TTY when NO_COLOR is set, or TERM is dumb', () => {
    expect(styleFor({ isTTY: true, columns: 80 }, { NO_COLOR: '1' }).color).toBe(false);
    expect(styleFor({ isTTY: true, columns: 80 }, { TERM: 'dumb' }).color).toBe(false);
  });

  it('gives colour on a TTY without NO_COLOR (an empty NO_COLOR counts as unset)', () => {
    expect(styleFor({ isTTY: true, columns: 80 }, {}).color).toBe(true);
    expect(styleFor({ isTTY: true, columns: 80 }, { NO_COLOR: '' }).color).toBe(true);
  });

  it('takes the width of the terminal within 40–120 columns, else 100 (also for a 0-column pty)', () => {
    expect(styleFor({ isTTY: true, columns: 80 }, {}).width).toBe(80);
    expect(styleFor({ isTTY: true, columns: 20 }, {}).width).toBe(40);
    expect(styleFor({ isTTY: true, columns: 300 }, {}).width).toBe(120);
    expect(styleFor({ isTTY: true, columns: 0 }, {}).width).toBe(100);
    expect(styleFor({}, {}).width).toBe(100);
  });
});

describe('renderText', () => {
  it('writes no ANSI codes without colour', () => {
    expect(renderText(reply, { color: false, width: 80 })).not.toMatch(ESC);
  });

  it('colours the title, source lines and highlighted words with colour', () => {
    const out = renderText(reply, { color: true, width: 80 });
    expect(out).toContain('\u001b[1mPreferences: Russia\u001b[22m');
    expect(out).toContain('\u001b[36m[1] ');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the highlight colour.
    expect(out).toMatch(/\u001b\[33m[Ee]lection\u001b\[39m/);
  });

  it('marks highlighted words with *asterisks* without colour', () => {
    const out = renderText(reply, { color: false, width: 80 });
    expect(out).toMatch(/\*[Ee]lection\*/);
  });

  it('shows every citation whole, with its source, date, paragraph number and link', () => {
    const out = renderText({ ...reply, highlight: [] }, { color: false, width: 80 });
    cited.forEach((c, i) => {
      expect(flat(out)).toContain(flat(`“${c.text}”`));
      expect(flat(out)).toContain(`[${i + 1}] ${c.title} — ${c.publisher}, ${c.date}, paragraph ${c.paragraph}`);
      expect(out).toContain(c.url ?? '(no link published)');
    });
    expect(out).toContain(reply.notes[0]);
  });

  it.each([40, 60, 80, 120])('wraps to %i columns: no line is longer unless it is one unbreakable word', (width) => {
    for (const color of [false, true]) {
      const out = renderText(reply, { color, width });
      for (const line of uncolored(out).split('\n')) {
        if (line.length <= width) continue;
        expect(line.trim(), `line over ${width}: ${line}`).not.toMatch(/\s/);
      }
    }
  });

  it('strips ANSI sequences and control characters that corpus text carries', () => {
    const hostile: Citation = {
      ...(cited[0] as Citation),
      title: 'Title\u001b]0;pwned\u0007',
      text: `\u001b[2J\u001b[31mRed\u001b[0m text\rover\u0007 and \u001b]8;;http://evil\u001b\\a link\u001b]8;;\u001b\\.`,
      url: 'https://example.org/\u001b[5mblink',
    };
    const hostileReply = makeReply({ title: 'T\u001b[8m', text: 'Lead\u0000.', citations: [hostile], found: true });
    const plain = renderText(hostileReply, { color: false, width: 80 });
    expect(plain).not.toMatch(ESC);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
    expect(plain).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(plain).toContain('“Red textover and a link.”');
    const colored = renderText(hostileReply, { color: true, width: 80 });
    for (const injected of ['\u001b[2J', '\u001b[31m', '\u001b[5m', '\u001b[8m', '\u001b]']) {
      expect(colored).not.toContain(injected);
    }
  });

  it('shows at most the terminal limit of citations, whole, and says how many more there are', () => {
    const many = Array.from({ length: TERMINAL_LIMITS.maxCitations + 2 }, (_, i) =>
      citationOf(corpus, paragraphs[i % paragraphs.length] as (typeof paragraphs)[number]),
    );
    const out = renderText(makeReply({ text: 'Many.', citations: many, found: true }), { color: false, width: 100 });
    expect(out).toContain(`[${TERMINAL_LIMITS.maxCitations}] `);
    expect(out).not.toContain(`[${TERMINAL_LIMITS.maxCitations + 1}] `);
    expect(flat(out)).toContain(omittedNote(2));
  });
});

describe('wrap', () => {
  it('breaks at spaces, keeps a long word whole and indents every line', () => {
    expect(wrap('one two three', 9)).toBe('one two\nthree');
    expect(wrap('a https://example.org/a/very/long/path b', 10, '  ')).toBe(
      '  a\n  https://example.org/a/very/long/path\n  b',
    );
  });

  it('keeps a keep-whole span on one line, moving it whole to the next', () => {
    const text = 'List them, e.g. /denials actor:russia, then ask.';
    expect(wrap(text, 30)).toBe('List them, e.g. /denials\nactor:russia, then ask.');
    expect(wrap(text, 30, '', ['/denials actor:russia'])).toBe('List them, e.g.\n/denials actor:russia, then\nask.');
  });

  it('gives a keep-whole span longer than the width a line of its own', () => {
    const example = "/ask question:What is Russia's preference?";
    expect(wrap(`For example: ${example} works.`, 20, '', [example])).toBe(`For example:\n${example}\nworks.`);
  });

  it('keeps brackets and quotes stuck to either end of a span with it', () => {
    expect(wrap('try it ("/help denials").', 12, '', ['/help denials'])).toBe('try it\n("/help denials").');
  });

  it('keeps an inline-code span in backticks whole, like an example', () => {
    expect(wrap('`question` needs a value, e.g. `/ask question:Who is Moscow backing?`.', 30)).toBe(
      '`question` needs a value, e.g.\n`/ask question:Who is Moscow backing?`.',
    );
  });

  it('prefers the longest span where two start at the same word', () => {
    const spans = ['/search words', '/search words:ballot video'];
    expect(wrap('e.g. /search words:ballot video', 20, '', spans)).toBe('e.g.\n/search words:ballot video');
  });

  it("keeps a line's own leading spaces on it and on its continuation lines", () => {
    expect(wrap('Options:\n  actor: only denials by this actor', 20)).toBe(
      'Options:\n  actor: only\n  denials by this\n  actor',
    );
  });
});

describe('renderText with keepWhole', () => {
  it('never breaks a listed example in the text or the notes', () => {
    const example = '/unsubscribe actor:russia';
    const r = makeReply({
      text: `To stop these updates in this channel, e.g. ${example}`,
      notes: [`Or run ${example} later.`],
    });
    for (let width = 40; width <= 60; width++) {
      const out = renderText(r, { color: false, width, keepWhole: [example] });
      expect(
        out.split('\n').filter((l) => l.includes(example)),
        `at ${width} columns`,
      ).toHaveLength(2);
    }
  });
});
