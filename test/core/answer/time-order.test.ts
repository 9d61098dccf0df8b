import { describe, expect, it } from 'vitest';
import { answer, electionDay, periodAsked } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../../src/core/answer/features.ts';
import { byDate, type Ranked } from '../../../src/core/answer/rank.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const datesOf = (type: string) =>
  engine.corpus.claims
    .filter((c) => c.type === type)
    .map((c) => c.date)
    .sort();

describe('time words mean time', () => {
  it.each([
    ['What is the latest sanction?', 'newest'],
    ['most recent denial', 'newest'],
    ['What has Russia done this year?', 'newest'],
    ['What was the first joint statement?', 'oldest'],
    ['Since when has Iran targeted the campaign?', 'oldest'],
    ['What did Russia do in 2020?', null],
  ])('%s asks for the %s', (question, order) => {
    expect(parseQuestion(question, engine).order).toBe(order);
  });

  it('"first" is searched for but not required: it asks for the oldest, it is not the topic', () => {
    const q = parseQuestion('When did officials first warn about Iran?', engine);
    expect(q.order).toBe('oldest');
    expect(q.terms.find((t) => t.word === 'first')?.role).toBe('cue');
  });

  it('"the most recent sanction" cites the newest source with a sanction', () => {
    const r = answer(engine, 'What is the most recent sanction?');
    expect(r.found).toBe(true);
    expect(r.citations[0]?.date).toBe(datesOf('sanction').at(-1));
  });

  it('"the latest on Russia" cites a paragraph naming Russia, not a newer one about someone else', () => {
    const r = answer(engine, 'What is the latest statement about Russia?');
    expect(r.found).toBe(true);
    expect(r.citations[0]?.text).toMatch(/Russia|Russian|Moscow|Kremlin/);
  });

  it('"the latest the FBI flagged": a newer paragraph that is not the agency\'s own does not come first', () => {
    // Two real paragraphs, an older one of a source the FBI published and a newer Treasury one,
    // alike in everything the ranking measures but the agency asked.
    const docOf = (publisher: RegExp, not: RegExp) => {
      for (let d = 0; d < engine.index.size; d++) {
        const p = engine.index.paragraphAt(d);
        const source = p && engine.corpus.sources.get(p.source);
        if (source && publisher.test(source.publisher) && !not.test(source.publisher)) return d;
      }
      throw new Error(`no paragraph published by ${publisher}`);
    };
    const fbi = docOf(/FBI/, /^$/);
    const treasury = docOf(/Treasury|OFAC/, /FBI/);
    expect(engine.facts.time[treasury]).toBeGreaterThan(engine.facts.time[fbi] as number);
    const candidate = (doc: number, agency: number): Ranked => {
      const features = new Float64Array(FEATURE_COUNT);
      features[FEATURE_NAMES.indexOf('exact')] = 0.5;
      features[FEATURE_NAMES.indexOf('agency')] = agency;
      const paragraph = engine.index.paragraphAt(doc) as Ranked['paragraph'];
      return {
        doc,
        paragraph,
        hit: undefined,
        claim: undefined,
        claimAnswers: false,
        yearFits: true,
        features,
        score: 1,
      };
    };
    expect(byDate(engine, [candidate(fbi, 1), candidate(treasury, 0)], 'newest')[0]?.doc).toBe(fbi);
    // Without an agency asked, the newer comes first.
    expect(byDate(engine, [candidate(fbi, 0), candidate(treasury, 0)], 'newest')[0]?.doc).toBe(treasury);
  });

  it('"first" never cites a newer source than the plain question, "latest" never an older one', () => {
    for (const topic of ['sanction against Iran', 'statement on Iranian influence', 'Russian video']) {
      const plain = answer(engine, `What was the ${topic}?`).citations[0]?.date ?? '';
      const first = answer(engine, `What was the first ${topic}?`).citations[0]?.date ?? '';
      const latest = answer(engine, `What was the latest ${topic}?`).citations[0]?.date ?? '';
      expect(plain, topic).not.toBe('');
      expect(first <= plain, `${topic}: first ${first}, plain ${plain}`).toBe(true);
      expect(latest >= plain, `${topic}: latest ${latest}, plain ${plain}`).toBe(true);
    }
  });

  it('"the first joint statement about Iran" goes by date among the statements', () => {
    const r = answer(engine, 'What was the first joint statement about Iran?');
    const joint = [...engine.corpus.sources.values()]
      .filter((s) => /joint/i.test(s.title) && /iran/i.test(s.title))
      .map((s) => s.date)
      .sort();
    expect(r.citations[0]?.date).toBe(joint[0]);
  });

  it.each([
    ['What did Russia do in 2020?', { year: 2020, relation: 'in' }],
    ['during the 2024 election', { year: 2024, relation: 'in' }],
    ['What did China do before the 2024 election?', { year: 2024, relation: 'before' }],
    ['Was Iran active ahead of the 2020 presidential election?', { year: 2020, relation: 'before' }],
    ['What happened after the 2020 election?', { year: 2020, relation: 'after' }],
    ['Has it changed since 2020?', undefined],
    ['What is the latest sanction?', undefined],
  ])('%s is limited to %o', (question, period) => {
    expect(periodAsked(question)).toEqual(period);
  });

  it('knows election day: the Tuesday after the first Monday in November', () => {
    expect([2016, 2020, 2022, 2024, 2026, 2028].map(electionDay)).toEqual([
      '2016-11-08',
      '2020-11-03',
      '2022-11-08',
      '2024-11-05',
      '2026-11-03',
      '2028-11-07',
    ]);
  });

  it('"before the 2024 election" cites a paragraph of that campaign, published before election day', () => {
    const r = answer(engine, 'What did Russia do before the 2024 election?');
    expect(r.found).toBe(true);
    for (const c of r.citations) {
      expect(c.date > '2020-11-03', c.date).toBe(true);
      expect(c.date <= '2024-11-05', c.date).toBe(true);
    }
  });

  it('a year nothing is held on gets a clear not-found, not a paragraph of another year', () => {
    const r = answer(engine, 'What did Russia do in the 2012 presidential race?');
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toMatch(/^The assessments I hold say nothing on this for 2012\./);
    // A year after the newest assessment is beyond them all, whatever the question.
    const later = answer(engine, 'What will Russia do in the 2028 presidential race?');
    expect(later.found).toBe(false);
    expect(later.text).toMatch(/^The assessments I hold run to 2024-12-31 and say nothing of 2028\./);
  });

  it('a month named outright narrows the answer to sources of that month', () => {
    const r = answer(engine, 'How many people did Treasury sanction in September 2024?');
    expect(r.found).toBe(true);
    expect(r.citations[0]?.date).toMatch(/^2024-09-/);
    expect(r.answer).toMatch(/designated seven individuals/);
  });

  it('"when did officials say …" is answered by the statement and its date, not called missing', () => {
    const r = answer(engine, 'When did officials say Russia made the fake Pennsylvania ballot video?');
    expect(r.found).toBe(true);
    expect(r.citations[0]?.date).toBe('2024-10-25');
    expect(r.text).toContain('2024-10-25');
    expect(r.text).not.toMatch(/do not give the date/);
  });
});
