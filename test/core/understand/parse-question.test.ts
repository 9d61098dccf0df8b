import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion, writeOut } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const words = (q: string) => parseQuestion(q, engine).terms.map((t) => t.word);

describe('search words of a question', () => {
  it('reads chat shorthand: a contraction without its apostrophe written out, an aside dropped', () => {
    expect(writeOut('Whats the report number? Russia didnt say, and cant.')).toBe(
      "What's the report number? Russia didn't say, and can't.",
    );
    expect(writeOut('its wont, well, ill')).toBe('its wont, well, ill');
    expect(words('whats the report number')).toEqual(words("what's the report number"));
    expect(words('why doesnt Moscow deny it')).toEqual(words("why doesn't Moscow deny it"));
    expect(words('whats the report number')).not.toContain('whats');
    expect(words('tbh does russia prefer trump lol')).toEqual(words('does russia prefer trump'));
    expect(writeOut('tbh does russia prefer trump lol')).toBe('does russia prefer trump');
  });

  it('leaves out the parts of a date: month abbreviations and the day beside a month', () => {
    expect(words('per the sept 18 statement, is tehran trying to cause chaos')).toEqual([
      'statement',
      'tehran',
      'trying',
      'cause',
      'chaos',
    ]);
    expect(words('What did Treasury do on 27 September?')).toEqual(['treasury']);
    // A number that is not beside a month stays: "32 domains".
    expect(words('Were 32 domains seized in Oct?')).toEqual(['32', 'domains', 'seized']);
  });

  it('reads a phrasal verb WordNet holds as one word, with the relatives of the whole', () => {
    const q = parseQuestion('Did Moscow push back on the accusations?', engine);
    expect(q.terms.map((t) => t.word)).toEqual(['moscow', 'push', 'accusations']);
    // "back" alone would be read as "support" (backing a candidate): as a particle it is not a word.
    expect(q.terms.some((t) => t.word === 'back')).toBe(false);
  });
});

describe('intent', () => {
  it('reads "who won" as asking for a result, not for a preference', () => {
    expect(parseQuestion('Who won the World Cup?', engine).reading.intent).toBeNull();
    expect(parseQuestion('Who does Russia want to win?', engine).reading.intent).toBe('preference');
  });

  it('reads the particle of a phrasal verb as part of it: "push back" is no "backing"', () => {
    const pushBack = parseQuestion('Did Moscow push back on the accusations?', engine).reading;
    expect(pushBack.intent).not.toBe('preference');
    expect(pushBack.scores.preference ?? 0).toBe(0);
    expect(parseQuestion('Who does Moscow back?', engine).reading.intent).toBe('preference');
    expect(
      parseQuestion('back in 2020 which countries worried officials?', engine).reading.scores.preference ?? 0,
    ).toBe(0);
  });

  it('reads "election", which stems to the cue "elect", as the topic it is', () => {
    const q = parseQuestion('What happened on election day after the election?', engine);
    expect(q.reading.intent).toBeNull();
    expect(q.terms.find((t) => t.word === 'election')?.role).toBe('topic');
    expect(parseQuestion('Whom does Iran want elected?', engine).reading.scores.preference).toBeGreaterThan(0);
  });
});
