import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../src/core/corpus/parse-source.ts';
import { decodeText, normalizeText } from '../../../src/updates/ingest/decode-text.ts';
import { contentHash, readDocument, slugOf } from '../../../src/updates/ingest/read-document.ts';

const header = 'title: T\npublisher: P\ndate: 2025-01-02\nkind: official\n';

describe('normalizeText', () => {
  it('changes line endings, trailing spaces and blank-line runs, never words', () => {
    const raw =
      '\uFEFFtitle: T  \r\npublisher: P\r\n\r\n\r\n\r\nFirst line \t\r\nsecond line\r\n   \r\n\r\nNext.\r\n\r\n';
    expect(normalizeText(raw)).toBe('title: T\npublisher: P\n\nFirst line\nsecond line\n\nNext.\n');
  });

  it('composes accents (NFC) so a decomposed é reads as one letter', () => {
    expect(normalizeText('Communique\u0301\n')).toBe('Communiqu\u00e9\n');
  });

  it('turns form feeds into paragraph breaks', () => {
    expect(normalizeText('Page one.\fPage two.\n')).toBe('Page one.\n\nPage two.\n');
  });

  it('keeps every word of any text, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const words = (s: string) => s.normalize('NFC').split(/\s+/).filter(Boolean);
        expect(words(normalizeText(text))).toEqual(words(text.replace(/^\uFEFF/, '')));
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeText', () => {
  it('drops a UTF-8 byte-order mark and keeps the rest', () => {
    expect(decodeText(Buffer.from('\uFEFFtitle: é\n', 'utf8'))).toBe('title: é\n');
  });
});

describe('readDocument', () => {
  it('numbers the same paragraphs the loader will, gap markers left out', () => {
    const doc = readDocument(normalizeText(`${header}\nOne.\n\n[...]\n\nTwo,\nstill two.\n`));
    expect(doc.paragraphs).toEqual(['One.', 'Two,\nstill two.']);
    expect(parseSource(doc.text).paragraphs).toEqual(doc.paragraphs);
    expect(doc.text).toContain('\n\n[...]\n\n');
  });

  it('writes the header in a fixed order, with every via', () => {
    const doc = readDocument(
      'via: https://a.example/1\nkind: news\ndate: 2025-01-02\nvia: https://a.example/2\ntitle: T\npublisher: P\n\nText.\n',
    );
    expect(doc.text.split('\n\n')[0]).toBe(
      'title: T\npublisher: P\ndate: 2025-01-02\nkind: news\nvia: https://a.example/1\nvia: https://a.example/2',
    );
  });

  it('treats a file whose first line is not a header key as plain text', () => {
    const doc = readDocument('WASHINGTON: Today the agency acted.\n\nMore.\n', {
      title: 'Agency acts',
      publisher: 'Agency',
      date: '2025-01-02',
      kind: 'news',
    });
    expect(doc.paragraphs).toEqual(['WASHINGTON: Today the agency acted.', 'More.']);
    expect(doc.id).toBe('2025-01-02-agency-acts');
  });

  it('fills header fields the file lacks from flags', () => {
    const doc = readDocument('title: T\npublisher: P\ndate: 2025-01-02\n\nText.\n', { kind: 'analysis' });
    expect(doc.header.kind).toBe('analysis');
  });
});

describe('slugOf', () => {
  it('keeps the words that say most, kebab-case, within 60 characters at a word boundary', () => {
    expect(slugOf('Joint ODNI, FBI, and CISA Statement on Iranian Election Influence Efforts')).toBe(
      'joint-odni-fbi-cisa-statement-iranian-election-influence',
    );
    expect(slugOf('Iran’s Mission: “Café” Response')).toBe('irans-mission-cafe-response');
    const long = slugOf('a'.repeat(10) + ' ' + 'b'.repeat(30) + ' ' + 'c'.repeat(30));
    expect(long).toBe(`${'a'.repeat(10)}-${'b'.repeat(30)}`);
  });

  it('is always a valid id of at most 60 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (title) => {
        const slug = slugOf(title);
        expect(slug.length).toBeLessThanOrEqual(60);
        if (slug) expect(slug).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      }),
    );
  });
});

describe('contentHash', () => {
  it('is the same for the same text whatever its spacing and quote style', () => {
    expect(contentHash(['Iran’s  “mission”\nsaid so.'])).toBe(contentHash(['Iran\'s "mission" said so.']));
  });

  it('differs when a word differs', () => {
    expect(contentHash(['Iran denied it.'])).not.toBe(contentHash(['Iran admitted it.']));
  });
});
