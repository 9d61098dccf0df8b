/**
 * A question that asks for a thing to be named, against paragraphs that speak of it only as "its
 * director" or "multiple counties": the reply says the name is not given and cites nothing.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { mentionsOnlyVaguely, nounAsked } from '../../../src/core/answer/unnamed-detail.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { loadWordNet } from '../../../src/core/text/wordnet.ts';
import { engineWithJointStatement, jointId } from '../../updates/ingest/ingest-helpers.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const shipped = createAnswerEngine(loadCorpus(shippedDataDir));
const wordnet = loadWordNet();

describe('nounAsked', () => {
  it.each([
    ['Which US entertainer was paying the bribe?', 'entertainer'],
    ['which georgia counties were shown in the video', 'counties'],
    ["What's the name of the IRGC unit that OFAC designated?", 'unit'],
    ['who is the director of the GRU-linked group', 'director'],
    ['Which Treasury official commented on the sanctions?', 'official'],
    ['Which Kremlin official was running the companies?', 'official'],
    ['Which three countries worried officials most?', 'countries'],
  ])('%s asks for the name of the %s', (question, noun) => {
    expect(nounAsked(question, wordnet)).toBe(noun);
  });

  it.each(['Who does Russia prefer?', 'What did Iran do in 2024?', 'When did Treasury act?'])(
    '%s asks for no name of a thing',
    (question) => {
      expect(nounAsked(question, wordnet)).toBeUndefined();
    },
  );
});

describe('mentionsOnlyVaguely', () => {
  it('is true when every mention has a vague word before it, only modifiers between', () => {
    expect(mentionsOnlyVaguely('counties', 'voting illegally in multiple counties in Georgia.')).toBe(true);
    expect(mentionsOnlyVaguely('director', 'an affiliate of the GRU and its director pursuant to E.O. 13848')).toBe(
      true,
    );
    expect(mentionsOnlyVaguely('entertainer', 'taking a bribe from a U.S. entertainer.')).toBe(true);
  });

  it('is false when a mention is definite or a name stands beside it, and undefined without a mention', () => {
    expect(mentionsOnlyVaguely('director', 'The director of the center said so.')).toBe(false);
    expect(mentionsOnlyVaguely('director', 'It designated its director, Ivan Petrov.')).toBe(false);
    expect(mentionsOnlyVaguely('director', 'the Russian Main Intelligence Directorate')).toBeUndefined();
  });

  it('takes a broader word as a vague mention whatever stands before it, unless a name follows', () => {
    const people = ['person', 'individual'];
    expect(mentionsOnlyVaguely('staffers', 'sent emails to individuals then on the campaign', people)).toBe(true);
    expect(mentionsOnlyVaguely('staffers', 'OFAC designated the individuals.', people)).toBe(true);
    expect(mentionsOnlyVaguely('staffers', 'emails to two individuals, Jane Roe and John Doe', people)).toBe(false);
    // A mention of the noun asked itself keeps the stricter test.
    expect(mentionsOnlyVaguely('staffers', 'the staffers and some individuals', people)).toBe(false);
    expect(mentionsOnlyVaguely('staffers', 'emails to the campaign', people)).toBeUndefined();
  });
});

describe('answer: a name the assessments do not give', () => {
  it('says so and cites nothing, on shipped data', () => {
    for (const [question, detail] of [
      [
        'who is the director of the GRU-linked group treasury sanctioned at the end of 2024',
        'the name of the director',
      ],
      ['Which Georgia counties were shown in the fake Haitian voter video?', 'the names of the counties'],
      // The paragraph speaks of them only as "individuals": a broader word for staffers.
      ['Which Biden campaign staffers received the stolen Trump material?', 'the names of the staffers'],
    ] as const) {
      const r = answer(shipped, question);
      expect(r.found).toBe(false);
      expect(r.citations).toEqual([]);
      expect(r.text).toContain(`do not give ${detail}`);
    }
  });

  it('says so for an ingested document, and answers when the question asks for what it does name', () => {
    const engine = engineWithJointStatement();
    const unnamed = answer(engine, 'Which companies did OFAC designate for the spear-phishing campaign?');
    expect(unnamed.found).toBe(false);
    expect(unnamed.text).toContain('do not give the names of the companies');
    const named = answer(
      engine,
      'Which Venezuelan agency ran the spear-phishing campaign against county election offices?',
    );
    expect(named.found).toBe(true);
    expect(named.citations[0]?.source).toBe(jointId);
    expect(named.citations[0]?.text).toContain('General Directorate of Military Counterintelligence');
  });
});
