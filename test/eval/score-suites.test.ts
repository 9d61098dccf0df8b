/**
 * Scoring: each outcome on a handmade corpus, with scripted replies so that the scorer is tested
 * apart from the ranking; the BM25 baseline beside it; and the verbatim check of every citation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/core/answer/engine.ts';
import { paragraphOf } from '../../src/core/corpus/corpus.ts';
import { citationOf, makeReply, type Reply } from '../../src/core/reply.ts';
import type { AnswerFn } from '../../src/eval/answer-line.ts';
import { scoreSuites, tally } from '../../src/eval/score-suites.ts';
import { prepareSuites } from '../../src/eval/suites.ts';
import { MARS, makeData, makeSets, removeTempDirs, VENUS } from './eval-data.ts';

afterAll(removeTempDirs);

/** A reply citing `source#n` of the engine's corpus, or "not found" for null. */
function cite(engine: AnswerEngine, source: string, n: number): Reply {
  const p = paragraphOf(engine.corpus, source, n);
  if (!p) throw new Error(`no ${source}#${n}`);
  return makeReply({ text: 'scripted', found: true, citations: [citationOf(engine.corpus, p)] });
}
const notFound = () => makeReply({ text: 'not held' });

/** Answers each question with a scripted reply; anything unscripted fails the test. */
function scripted(replies: Record<string, (engine: AnswerEngine) => Reply>): AnswerFn {
  return (engine, q) => {
    const reply = replies[q];
    if (!reply) throw new Error(`unscripted question: ${q}`);
    return reply(engine);
  };
}

describe('scoreSuites', () => {
  const prepared = prepareSuites({ dataDir: makeData(), setsDir: makeSets(), cold: false });

  it('tells each outcome apart by the rules of score.mjs', () => {
    const report = scoreSuites(
      prepared,
      scripted({
        'Who made counterfeit weather bulletins?': (e) => cite(e, MARS, 1),
        'Where were the stolen emails leaked?': (e) => cite(e, MARS, 2),
        'Who rules Jupiter?': (e) => cite(e, VENUS, 1),
        'What did the radio towers carry?': notFound,
      }),
    );
    expect(report.cases.map((c) => [c.q, c.outcome, c.cited])).toEqual([
      ['Who made counterfeit weather bulletins?', 'right', `${MARS}#1`],
      ['Where were the stolen emails leaked?', 'wrong-paragraph', `${MARS}#2`],
      ['Who rules Jupiter?', 'wrongly-answered', `${VENUS}#1`],
      ['What did the radio towers carry?', 'wrongly-not-found', null],
    ]);
    const all = report.rows.find((r) => r.label === 'dev')?.halves.all.bot;
    expect(all).toMatchObject({ n: 4, right: 1, wrongParagraph: 1, wronglyNotFound: 1, wronglyAnswered: 1 });
    expect(all?.precision).toBeCloseTo(1 / 3);
    expect(all?.recall).toBeCloseTo(1 / 3);
  });

  it('counts "not found" with nothing cited as right for an unanswerable question, and `all` needs every phrase', () => {
    const both = (e: AnswerEngine) => {
      const r = cite(e, MARS, 2);
      r.citations.push(...cite(e, MARS, 1).citations);
      return r;
    };
    const report = scoreSuites(
      prepared,
      scripted({
        'Who made counterfeit weather bulletins?': (e) => cite(e, MARS, 1),
        'Where were the stolen emails leaked?': (e) => cite(e, VENUS, 2),
        'Who rules Jupiter?': notFound,
        'What did the radio towers carry?': both,
      }),
    );
    expect(report.cases.map((c) => c.outcome)).toEqual(['right', 'right', 'right-not-found', 'right']);
    expect(report.groups.find((g) => g.label === 'shipped')?.halves.all.bot).toMatchObject({
      right: 4,
      rightNotFound: 1,
      precision: 1,
      recall: 1,
    });
  });

  it('flags a citation whose text is not its paragraph verbatim', () => {
    const forged = (e: AnswerEngine) => {
      const r = cite(e, MARS, 1);
      r.citations[0] = { ...(r.citations[0] as Reply['citations'][0]), paragraph: 3 };
      return r;
    };
    const report = scoreSuites(
      prepared,
      scripted({
        'Who made counterfeit weather bulletins?': forged,
        'Where were the stolen emails leaked?': (e) => cite(e, VENUS, 2),
        'Who rules Jupiter?': notFound,
        'What did the radio towers carry?': notFound,
      }),
    );
    expect(report.cases.map((c) => c.broken)).toEqual([1, 0, 0, 0]);
    expect(report.rows[0]?.halves.all.bot.broken).toBe(1);
  });

  it('scores BM25 beside the bot: its top paragraph, and not found only when no word matches', () => {
    const cases = prepared.suites[0]?.cases ?? [];
    expect(cases.map((c) => c.baseline)).toEqual(['right', 'right', 'right-not-found', 'wrong-paragraph']);
    const report = scoreSuites(prepared, scripted({}), { kinds: ['unseen'] });
    expect(report.cases).toEqual([]);
  });

  it('answers only the half it is asked for', () => {
    const everything = scripted({
      'Who made counterfeit weather bulletins?': notFound,
      'Where were the stolen emails leaked?': notFound,
      'Who rules Jupiter?': notFound,
      'What did the radio towers carry?': notFound,
    });
    const fit = scoreSuites(prepared, everything, { half: 'fit' });
    const check = scoreSuites(prepared, everything, { half: 'check' });
    expect(fit.cases.every((c) => c.half === 'fit')).toBe(true);
    expect(check.cases.every((c) => c.half === 'check')).toBe(true);
    expect(fit.cases.length + check.cases.length).toBe(4);
  });
});

describe('tally', () => {
  it('leaves precision and recall out when nothing was answered or answerable', () => {
    expect(tally(['right-not-found'])).toMatchObject({ precision: null, recall: null, right: 1 });
    expect(tally(['right', 'wrong-paragraph', 'wrongly-not-found', 'wrongly-answered'])).toMatchObject({
      answered: 3,
      answerable: 3,
    });
  });
});
