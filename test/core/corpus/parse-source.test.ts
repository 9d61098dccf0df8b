import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GAP_MARKER, normalizeSourceText, ownCopy, parseSource } from '../../../src/core/corpus/parse-source.ts';

describe('normalizeSourceText', () => {
  it('drops a leading BOM', () => {
    expect(normalizeSourceText('\uFEFFtitle: x\n')).toBe('title: x\n');
  });

  it('keeps a BOM that is not at the start', () => {
    expect(normalizeSourceText('a\uFEFFb')).toBe('a\uFEFFb');
  });

  it('turns CRLF and lone CR line endings into LF', () => {
    expect(normalizeSourceText('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });

  it('drops trailing spaces and tabs on every line but keeps leading ones', () => {
    expect(normalizeSourceText('a \t\n  b\t\n\t\nc  ')).toBe('a\n  b\n\nc');
  });
});

describe('parseSource', () => {
  it('reads header keys, lower-cased, with values trimmed', () => {
    const { header, problems } = parseSource('Title:  A title  \nkind: official\ndate:2024-01-02\n\nBody.');
    expect(header).toEqual({ title: ['A title'], kind: ['official'], date: ['2024-01-02'] });
    expect(problems).toEqual([]);
  });

  it('keeps every value of a repeated key, in order', () => {
    const { header } = parseSource('title: T\nvia: https://a.example/1\nvia: https://b.example/2\n\nBody.');
    expect(header.via).toEqual(['https://a.example/1', 'https://b.example/2']);
  });

  it('keeps a colon inside a header value', () => {
    expect(parseSource('url: https://x.example/a:b\n\nBody.').header.url).toEqual(['https://x.example/a:b']);
  });

  it('reports a header line that is not "key: value", with its line number', () => {
    const { header, problems } = parseSource('title: T\nnot a header line\n\nBody.');
    expect(header).toEqual({ title: ['T'] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 2: header line is not "key: value": "not a header line"$/);
  });

  it('splits the body into trimmed paragraphs at blank lines, keeping line breaks inside one', () => {
    const { paragraphs } = parseSource('title: T\n\n  First line\nsecond line  \n\n\n\nSecond.\n \nThird.\n');
    expect(paragraphs).toEqual(['First line\nsecond line', 'Second.', 'Third.']);
  });

  it('skips [...] gap markers without counting them as paragraphs', () => {
    const raw = `title: T\n\n${GAP_MARKER}\n\nFirst.\n\n${GAP_MARKER}\n\n${GAP_MARKER}\n\nSecond.\n\n${GAP_MARKER}\n`;
    expect(parseSource(raw).paragraphs).toEqual(['First.', 'Second.']);
  });

  it('keeps a paragraph that merely contains [...]', () => {
    expect(parseSource('title: T\n\nBefore [...] after.').paragraphs).toEqual(['Before [...] after.']);
  });

  it('returns no paragraphs for a header with no body', () => {
    expect(parseSource('title: T\nkind: official\n').paragraphs).toEqual([]);
    expect(parseSource('title: T\nkind: official\n\n').paragraphs).toEqual([]);
    expect(parseSource(`title: T\n\n${GAP_MARKER}\n`).paragraphs).toEqual([]);
  });

  it('reads the same header and paragraphs from CRLF, BOM and trailing-space files', () => {
    const lf = 'title: T\nvia: https://a.example/\n\nOne.\n\n[...]\n\nTwo\nlines.\n';
    const messy = `\uFEFF${lf.replace(/\n/g, ' \t\r\n')}`;
    expect(parseSource(messy)).toEqual(parseSource(lf));
  });
});

/** One line of paragraph text: never blank, no trailing whitespace, no line-break characters. */
const line = fc
  .string({
    unit: fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.constantFrom(' ', '\t', '\u00A0', '.', '[', ']', ':', '-'),
    ),
    minLength: 1,
    maxLength: 40,
  })
  // U+2028/2029 are excluded because the loader's `$` (with /m) treats them as line ends: see the report.
  .map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ').trimEnd())
  .filter((s) => s.trim() !== '');

/** A paragraph: 1–3 lines, trimmed, never a gap marker. */
const paragraph = fc
  .array(line, { minLength: 1, maxLength: 3 })
  .map((lines) => lines.join('\n').trim())
  .filter((p) => p !== GAP_MARKER);

/** Ways a curator's editor may save the same document. */
const saving = fc.record({
  crlf: fc.boolean(),
  bom: fc.boolean(),
  trailing: fc.constantFrom('', ' ', '\t', ' \t  '),
  gap: fc.constantFrom('\n\n', '\n\n\n', '\n\n\n\n', '\n \n\t\n'),
});

describe('parseSource (property)', () => {
  it('gives back the paragraphs it was given, however the file was saved', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 8 }), saving, (paras, how) => {
        let text = `title: T\nkind: official${how.gap}${paras.join(how.gap)}\n`;
        if (how.trailing) text = text.replace(/\n/g, `${how.trailing}\n`);
        if (how.crlf) text = text.replace(/\n/g, '\r\n');
        if (how.bom) text = `\uFEFF${text}`;
        const parsed = parseSource(text);
        expect(parsed.paragraphs).toEqual(paras);
        expect(parsed.header).toEqual({ title: ['T'], kind: ['official'] });
        expect(parsed.problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gap markers and line separators', () => {
  it('treats [...], […] and [ ... ] as gaps, not paragraphs', () => {
    const parsed = parseSource('title: T\n\nOne.\n\n[…]\n\nTwo.\n\n[ ... ]\n\nThree.');
    expect(parsed.paragraphs).toEqual(['One.', 'Two.', 'Three.']);
  });

  it('keeps spaces before a Unicode line separator inside a paragraph', () => {
    expect(normalizeSourceText('a \u2028b')).toBe('a \u2028b');
  });
});

describe('ownCopy', () => {
  it('gives back an equal string, whatever its characters, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(ownCopy(text)).toBe(text);
      }),
    );
    for (const text of ['\uD800', 'a\uDC00b', '“curly” quotes’', '"\\\n\t\u0000']) expect(ownCopy(text)).toBe(text);
  });
});
