import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import {
  answerTypeOf,
  candidateFeatures,
  FEATURE_NAMES,
  holdsAnswerType,
  prepareQuestion,
} from '../../../src/core/answer/features.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { datesNamed } from '../../../src/core/understand/dates.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const at = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);

/** The first paragraph whose text matches `re`, by its index number. */
function docWith(re: RegExp, not?: RegExp): number {
  for (let d = 0; d < engine.index.size; d++) {
    const t = engine.index.paragraphAt(d)?.text ?? '';
    if (re.test(t) && !not?.test(t)) return d;
  }
  throw new Error(`no paragraph matches ${re}`);
}

function features(question: string, doc: number) {
  const q = parseQuestion(question, engine);
  return candidateFeatures(engine, prepareQuestion(engine, q), doc, undefined, 0).features;
}

describe('soft matches: a question word found through each kind of relation', () => {
  const cases: [string, string, RegExp, RegExp, 'soft' | 'broad'][] = [
    // [kind, question, paragraph holding the related word, and not the word itself, feature]
    ['thesaurus', 'Was it fake?', /\bmanufactured\b/i, /\bfake\b/i, 'soft'],
    ['WordNet synonym', 'Who tampered with ballots?', /\bmeddl/i, /\btamper/i, 'soft'],
    ['derived form', 'Did the voters get targeted?', /\bvote\b/i, /\bvoters?\b/i, 'soft'],
    ['broader word (hypernym)', 'Is there a plot?', /\bstrateg/i, /\b(plot|plan)/i, 'broad'],
    ['narrower word (hyponym)', 'Did anyone interfere?', /\bmeddl/i, /\binterfer/i, 'broad'],
    ['typo correction', 'Was there an assasination?', /\bassassination\b/i, /\bassasination\b/i, 'broad'],
  ];
  it.each(cases)('%s: "%s"', (_, question, holds, lacks, feature) => {
    const f = features(question, docWith(holds, lacks));
    expect(f[at(feature)]).toBeGreaterThan(0);
    expect(f[at('exact')]).toBe(0);
  });

  it('the kind of actor asked ("which three countries") is held by a paragraph naming a country', () => {
    const doc = docWith(/\bprimarily concerned\b/i, /\bcountr/i);
    const question = 'Which three countries were named?';
    const q = parseQuestion(question, engine);
    expect(prepareQuestion(engine, q).kind.terms).toEqual([q.terms.findIndex((t) => t.word === 'countries')]);
    expect(features(question, doc)[at('cue')]).toBe(1);
    // Not when the noun is a topic of its own.
    expect(features('Were the countries named?', doc)[at('exact')]).toBe(0);
  });

  it('the word itself counts as exact, and more than a relative', () => {
    const f = features('Was the video manufactured?', docWith(/\bmanufactured\b/i));
    expect(f[at('exact')]).toBeGreaterThan(0);
  });
});

describe('answer types', () => {
  it.each([
    ['When did Iran hack the campaign?', 'date'],
    ['How many domains were seized?', 'count'],
    ['Who ran the Doppelganger sites?', 'name'],
    ['Which agencies signed the statement?', 'name'],
    ['Why would China meddle?', 'reason'],
    ['Under which authority were the hackers sanctioned?', 'authority'],
    ['What law did Treasury use?', 'authority'],
    ['Did Russia deny it?', 'statement'],
    ['Russia and the election', 'other'],
  ])('%s wants a %s', (question, type) => {
    expect(answerTypeOf(question)).toBe(type);
  });

  it('a law or order acted under is what "under which authority" wants', () => {
    expect(holdsAnswerType('Designations pursuant to Executive Order (E.O.) 13848.', 'authority')).toBe(true);
    expect(holdsAnswerType('Under the Foreign Agents Registration Act, it must register.', 'authority')).toBe(true);
    expect(holdsAnswerType('Treasury will act against those who interfere.', 'authority')).toBe(false);
    // "Why": a purpose or a cause.
    expect(holdsAnswerType('Its preference was driven in part by a wish for sanctions relief.', 'reason')).toBe(true);
    expect(holdsAnswerType('It acted in response to the indictments.', 'reason')).toBe(true);
    expect(holdsAnswerType('It posted videos about the candidates.', 'reason')).toBe(false);
  });

  it('a yes/no question is settled by a negation or an assessment stated as such, not by "not only"', () => {
    expect(holdsAnswerType('This intelligence does not indicate otherwise.', 'statement')).toBe(true);
    expect(holdsAnswerType('The IC is confident that the Iranians sought access.', 'statement')).toBe(true);
    expect(holdsAnswerType('We have high confidence in this judgment.', 'statement')).toBe(true);
    expect(holdsAnswerType('They used these tactics not only in the United States but also abroad.', 'statement')).toBe(
      false,
    );
  });

  it('a paragraph holding what the answer type wants scores +1, one without −1', () => {
    const dated = docWith(/\b(January|February|March|April|June|July|August|September|October|November|December)\b/);
    const undated = docWith(
      /\w/,
      /\b(January|February|March|April|May|June|July|August|September|October|November|December|19\d\d|20\d\d)\b/,
    );
    expect(features('When did this happen?', dated)[at('answerType')]).toBe(1);
    expect(features('When did this happen?', undated)[at('answerType')]).toBe(-1);
    const counted = docWith(/\b(seven|32|two|three|\d+ individuals)\b/);
    expect(features('How many were there?', counted)[at('answerType')]).toBe(1);
    const purpose = docWith(/\bin order to\b|\bseek(s|ing)? to\b|\baim(s|ed)? to\b/i);
    expect(features('Why is that?', purpose)[at('answerType')]).toBe(1);
  });

  it('a yes/no question scores +1 for a paragraph that settles it, −1 for one that only shares the topic', () => {
    const settles = docWith(/\b(does not|did not|no evidence|not indicate)\b/i);
    expect(features('Did Russia change the result?', settles)[at('decides')]).toBe(1);
    const open = docWith(
      /\w/,
      /\b(not|no|never|none|neither|nor|cannot|unlikely|likely|probably|assess\w*|judge\w*|determined|confirmed|credible|false\w*|baseless|unfounded)\b|n't\b/i,
    );
    expect(features('Did Russia change the result?', open)[at('decides')]).toBe(-1);
    expect(features('Who changed the result?', settles)[at('decides')]).toBe(0);
  });

  it('a paragraph speaks to a year its source names in the title, though its text and date do not', () => {
    // The 2020 election assessment was published in 2021; a paragraph of it about how it was made
    // names no year, yet it is about 2020.
    let doc = -1;
    let year = '';
    for (let d = 0; d < engine.index.size && doc < 0; d++) {
      const p = engine.index.paragraphAt(d);
      const source = p && engine.corpus.sources.get(p.source);
      const named = source?.title.match(/\b(19|20)\d\d\b/)?.[0];
      if (!p || !source || !named || source.date.startsWith(named) || /\b(19|20)\d\d\b/.test(p.text)) continue;
      doc = d;
      year = named;
    }
    expect(doc).toBeGreaterThanOrEqual(0);
    expect(features(`Who prepared the ${year} assessment?`, doc)[at('year')]).toBe(1);
    expect(features('Who prepared the 2012 assessment?', doc)[at('year')]).toBe(-1);
  });

  it("a response published by the actor asked is that actor's own words", () => {
    const response = [...engine.corpus.sources.values()].find(
      (s) => s.kind === 'response' && /Russian Federation/.test(s.publisher),
    );
    expect(response).toBeDefined();
    const doc = engine.index.docOf({ source: response?.id ?? '', n: 1 }) as number;
    expect(features('What does Russia say about the accusations?', doc)[at('ownWords')]).toBe(1);
    // Another actor asked, or a paragraph that is not a response: not its own words.
    expect(features('What does China say about the accusations?', doc)[at('ownWords')]).toBe(0);
    const official = docWith(/\bRussia\b/);
    expect(engine.corpus.sources.get(engine.index.paragraphAt(official)?.source ?? '')?.kind).not.toBe('response');
    expect(features('What does Russia say about the accusations?', official)[at('ownWords')]).toBe(0);
  });

  it('reads the dates a question names', () => {
    expect(datesNamed('what did the sept 18 statement say')).toEqual([{ month: 9, day: 18 }]);
    expect(datesNamed('in the 27 September release')).toEqual([{ month: 9, day: 27 }]);
    expect(datesNamed('may russia do it')).toEqual([]);
    expect(datesNamed('in May 2024')).toEqual([{ month: 5 }]);
  });
});
