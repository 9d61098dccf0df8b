import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { engineWithJointStatement, jointId } from '../../updates/ingest/ingest-helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = loadCorpus(`${root}data`);
const engine = createAnswerEngine(corpus);

/** Paragraph text of the first citation, or '' when nothing is cited. */
const top = (r: Reply) => r.citations[0]?.text ?? '';
/** Claims drawn from the first cited paragraph. */
const topClaims = (r: Reply) =>
  corpus.claims.filter((c) => c.source === r.citations[0]?.source && c.paragraph === r.citations[0]?.paragraph);

function expectVerbatim(r: Reply) {
  for (const c of r.citations) {
    const p = corpus.sources.get(c.source)?.paragraphs[c.paragraph - 1];
    expect(p?.text, `${c.source}#${c.paragraph}`).toBe(c.text);
    expect(c.date).toBe(corpus.sources.get(c.source)?.date);
  }
}

describe('answers by intent', () => {
  it('a preference question cites a preference claim about the asked actor', () => {
    const r = answer(engine, 'Who is Moscow backing?');
    expect(r.found).toBe(true);
    expect(topClaims(r).some((c) => c.type === 'preference' && c.actor === 'russia')).toBe(true);
    expectVerbatim(r);
  });

  it('a question about a candidate losing finds actors that oppose that candidate', () => {
    const r = answer(engine, 'who wants Trump to lose?');
    expect(r.found).toBe(true);
    for (const c of r.citations) {
      const claims = corpus.claims.filter((x) => x.source === c.source && x.paragraph === c.paragraph);
      expect(claims.some((x) => x.type === 'preference' && x.opposes?.includes('trump'))).toBe(true);
    }
  });

  it('a denial question about Russia cites a Russian denial', () => {
    const r = answer(engine, 'Did the Kremlin deny meddling?');
    expect(topClaims(r).some((c) => c.type === 'denial' && c.actor === 'russia')).toBe(true);
  });

  it('a threat-ranking question cites the ranking', () => {
    expect(top(answer(engine, 'Who is the biggest threat to US elections?'))).toContain('primary threat');
  });

  it('an assurance question cites the assurance', () => {
    expect(top(answer(engine, 'Did Xi promise anything?'))).toContain('would not interfere');
  });

  it('a plot question cites the plot', () => {
    expect(top(answer(engine, 'Did Iran try to kill Trump?'))).toContain('plot by Iran to assassinate Trump');
  });

  it('a sanctions question about Russia cites the Treasury designation', () => {
    const r = answer(engine, 'Was Russia sanctioned?');
    expect(topClaims(r).some((c) => c.type === 'sanction' && c.actor === 'russia')).toBe(true);
  });

  it('a tactic question in everyday words finds the paying of protesters', () => {
    expect(top(answer(engine, 'Is Iran paying protesters?'))).toContain('financial support to protesters');
  });

  it('"who denied" with no one named lists every dated denial, and no reported habit', () => {
    const made = corpus.claims.filter((c) => c.type === 'denial' && c.reported !== 'habit');
    expect(made.length).toBeLessThan(corpus.claims.filter((c) => c.type === 'denial').length);
    const denials = new Set(made.map((c) => `${c.source}#${c.paragraph}`));
    const r = answer(engine, 'Who denied interfering?');
    expect(new Set(r.citations.map((c) => `${c.source}#${c.paragraph}`))).toEqual(denials);
  });

  it('a list intent cites every matching claim, each once', () => {
    const r = answer(engine, "list Iran's denials");
    const expected = new Set(
      corpus.claims.filter((c) => c.type === 'denial' && c.actor === 'iran').map((c) => `${c.source}#${c.paragraph}`),
    );
    expect(new Set(r.citations.map((c) => `${c.source}#${c.paragraph}`))).toEqual(expected);
  });
});

describe('understanding names, typos and dates', () => {
  it.each([
    ['Russia', 'russia'],
    ['Kremlin', 'russia'],
    ['Putin', 'russia'],
    ['Tehran', 'iran'],
    ['IRGC', 'iran'],
    ['Beijing', 'china'],
    ['Xi Jinping', 'china'],
    ['Havana', 'cuba'],
    ['Rusia', 'russia'],
    ['Iaran', 'iran'],
  ])('"%s" is read as %s', (name, id) => {
    expect(parseQuestion(`What is ${name}'s preference?`, engine).actors).toEqual([id]);
  });

  it.each([
    ['Kremlin', 'russia'],
    ['Tehran', 'iran'],
    ['Xi Jinping', 'china'],
    ['Iaran', 'iran'],
  ])('"What is %s\'s preference?" cites a preference claim about %s', (name, id) => {
    const r = answer(engine, `What is ${name}'s preference?`);
    expect(topClaims(r).some((c) => c.actor === id && c.type === 'preference')).toBe(true);
  });

  it('a misspelt intent word still reads as the intent', () => {
    expect(
      topClaims(answer(engine, "iran's preferance")).some((c) => c.type === 'preference' && c.actor === 'iran'),
    ).toBe(true);
  });

  it('a year restricts to that election', () => {
    const r = answer(engine, 'What did Russia want in 2020?');
    expect(topClaims(r).some((c) => c.actor === 'russia' && c.election === 2020)).toBe(true);
  });

  it('a month and year pick that month', () => {
    expect(answer(engine, 'What did Treasury do in December 2024?').citations[0]?.date.slice(0, 7)).toBe('2024-12');
  });
});

describe('not found is an answer', () => {
  it.each([
    'Does Brazil have a preferred candidate?',
    'What is the capital of France?',
    'How do I bake sourdough bread?',
    'What is the weather today?',
  ])('"%s" cites nothing and says what is held', (q) => {
    const r = answer(engine, q);
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toMatch(/not in the assessments I hold|I hold nothing on/);
    expect(r.text).toContain('Russia');
  });

  it('refuses nearly every question from outside the domain (a floor: "who won …?" reads like an election question)', () => {
    const offTopic = [
      'Who won the World Cup?',
      'Who won the Super Bowl last year?',
      'What is the best recipe for lasagna?',
      'How tall is Mount Everest?',
      'Which team won the NBA finals?',
      'What is the stock price of Apple?',
      'Who wrote Pride and Prejudice?',
      'How do I fix a flat tire?',
      'What time does the pharmacy close?',
      'Which movie won the Oscar for best picture?',
      'What is the population of Tokyo?',
      'How many calories are in an apple?',
      'Who is the best tennis player in the world?',
      'Is it going to rain tomorrow?',
    ];
    const answered = offTopic.filter((q) => answer(engine, q).found);
    expect(answered.length, answered.join(' | ')).toBeLessThanOrEqual(2);
  });

  it('a year later than every assessment held, and named in none, is said to be beyond them', () => {
    const question = 'What has the intelligence community said about foreign threats to the 2026 midterms?';
    const r = answer(engine, question);
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toContain('The assessments I hold run to 2024-12-31 and say nothing of 2026.');
    // A year the assessments do reach keeps the question answerable.
    expect(answer(engine, 'Did Russia prefer Trump in 2020, and will it in 2028?').text).not.toContain(
      'say nothing of',
    );
    // Once a document of 2025 that speaks of the 2026 midterms is ingested, it answers.
    const later = answer(engineWithJointStatement(), question);
    expect(later.found).toBe(true);
    expect(later.citations[0]?.source).toBe(jointId);
  });

  it('a place asked must be named by the paragraph cited: by the best, or the best within reach that names it', () => {
    const r = answer(engine, 'Did Israel hack any campaign in 2024?');
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toContain('The assessments I hold say nothing on this about Israel.');
    // The best paragraph speaks of "the war in Gaza"; the one naming the Israel-Gaza conflict is cited.
    const named = answer(engine, 'How is Iran using the Israel-Gaza war in its online influence?');
    expect(named.found).toBe(true);
    expect(named.citations[0]?.text).toContain('Israel-Gaza conflict');
  });

  it('an agency asked speaks through a paragraph it published or that names it, else nothing is cited', () => {
    const r = answer(engine, 'Why is Tehran trying to influence the 2024 presidential election, per the ODNI?');
    expect(r.found).toBe(true);
    const cited = r.citations[0];
    const source = corpus.sources.get(cited?.source ?? '');
    expect(`${source?.publisher} ${cited?.text}`).toMatch(/ODNI|Director of National Intelligence/);
    const none = answer(engine, 'What did the CIA say about Cuba in 2024?');
    expect(none.found).toBe(false);
    expect(none.citations).toEqual([]);
    expect(none.text).toContain('The assessments I hold say nothing on this from or about the CIA.');
  });

  it('an empty question cites nothing', () => {
    expect(answer(engine, '   ').found).toBe(false);
  });

  it('chat mention and markdown syntax do not change the answer', () => {
    const plain = answer(engine, "What is Russia's preference?");
    const decorated = answer(engine, "<@U123> **What** is `Russia's` preference? <!channel>");
    expect(decorated.citations[0]).toEqual(plain.citations[0]);
  });
});

describe('robustness', () => {
  it('arbitrary unicode up to 10,000 characters never throws and returns a valid reply', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 10_000 }), (q) => {
        const r = answer(engine, q);
        expect(typeof r.found).toBe('boolean');
        expect(typeof r.text).toBe('string');
        if (!r.found) expect(r.citations).toEqual([]);
        expectVerbatim(r);
      }),
      { numRuns: 60 },
    );
  });

  it('a long question is cut at a word boundary, not mid-word', () => {
    const r = answer(engine, "what is russia's preference ".repeat(400));
    expect(r.found).toBe(true);
    expect(topClaims(r).some((c) => c.actor === 'russia' && c.type === 'preference')).toBe(true);
  });

  it('a 10,000-character question is answered and says how much was read', () => {
    const r = answer(engine, `What is Russia's preference? ${'very '.repeat(2000)}`);
    expect(r.notes.join(' ')).toMatch(/first \d+ characters/);
  });
});
