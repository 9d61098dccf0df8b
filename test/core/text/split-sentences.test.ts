import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/core/text/split-sentences.ts';

const texts = (p: string) => splitSentences(p).map((s) => s.text);

describe('splitSentences', () => {
  it('splits at sentence ends followed by a capital', () => {
    expect(texts('Iran denied it. Russia did too! Did China? Yes.')).toEqual([
      'Iran denied it.',
      'Russia did too!',
      'Did China?',
      'Yes.',
    ]);
  });

  it('does not split after abbreviations and initials', () => {
    expect(
      texts('The U.S. Treasury acted under E.O. 13848 against Mr. Smith and Donald J. Trump’s rivals. Next.'),
    ).toEqual(['The U.S. Treasury acted under E.O. 13848 against Mr. Smith and Donald J. Trump’s rivals.', 'Next.']);
    expect(texts('Some actors, e.g. Iran, i.e. its IRGC, acted. Then more.')).toHaveLength(2);
    expect(texts('Designations pursuant to Executive Order (E.O.) 13848 followed. Next.')).toEqual([
      'Designations pursuant to Executive Order (E.O.) 13848 followed.',
      'Next.',
    ]);
    expect(texts('Treasury acted (in Washington). Then Iran denied it.')).toHaveLength(2);
  });

  it('keeps a quotation of several sentences with its attribution', () => {
    expect(texts('“We deny it. It is false,” said the ministry. The FBI disagreed.')).toEqual([
      '“We deny it. It is false,” said the ministry.',
      'The FBI disagreed.',
    ]);
  });

  it('ends a sentence after a closing quote', () => {
    expect(texts('He called it “groundless.” Russia agreed.')).toEqual([
      'He called it “groundless.”',
      'Russia agreed.',
    ]);
  });

  it('starts a sentence at each list item', () => {
    expect(texts('Key judgments:\n• Russia prefers one candidate\n• Iran opposes him')).toEqual([
      'Key judgments:',
      '• Russia prefers one candidate',
      '• Iran opposes him',
    ]);
  });

  it('returns exact slices of the paragraph that cover all its words', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              'U.S.',
              'Mr.',
              'e.g.',
              'Iran.',
              'It',
              '“We',
              'deny.”',
              'No!',
              '•',
              '\n',
              'a',
              'Russia',
              '2024.',
            ),
            fc.string({ maxLength: 6 }),
          ),
          { maxLength: 40 },
        ),
        (parts) => {
          const paragraph = parts.join(' ');
          const sentences = splitSentences(paragraph);
          for (const s of sentences) expect(paragraph.slice(s.start, s.end)).toBe(s.text);
          const words = (t: string) => t.split(/\s+/).filter(Boolean);
          expect(sentences.flatMap((s) => words(s.text))).toEqual(words(paragraph));
        },
      ),
      { numRuns: 300 },
    );
  });
});
