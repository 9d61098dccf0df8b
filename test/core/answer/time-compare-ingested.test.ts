/**
 * Time words and comparisons between years on a document ingested in the test (a 2025 statement
 * with machine-drafted claims only): dates decide among what fits, and each side of a comparison
 * is labelled with its year.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { engineWithJointStatement, jointId } from '../../updates/ingest/ingest-helpers.ts';

describe('an ingested 2025 statement', () => {
  it('is the latest joint statement, and not the first', () => {
    const engine = engineWithJointStatement();
    const latest = answer(engine, 'What is the latest joint statement on foreign threats?');
    expect(latest.found).toBe(true);
    expect(latest.citations[0]?.source).toBe(jointId);
    const first = answer(engine, 'What was the first joint statement on foreign threats?');
    expect(first.found).toBe(true);
    expect(first.citations[0]?.source).not.toBe(jointId);
    expect(first.citations[0]?.date ?? '9999').toMatch(/^20(1|2[0-4])/);
  });

  it('orders a list by date both ways, saying which way', () => {
    const engine = engineWithJointStatement();
    const newest = answer(engine, 'List all threats');
    const oldest = answer(engine, 'List the first threats');
    expect(newest.text).toMatch(/newest first:$/);
    expect(oldest.text).toMatch(/oldest first:$/);
    const dates = (r: typeof newest) => r.citations.map((c) => c.date);
    expect(dates(newest)[0]).toBe('2025-03-14');
    expect(dates(newest)).toEqual([...dates(newest)].sort().reverse());
    expect(dates(oldest)).toEqual([...dates(newest)].reverse());
  });

  it('answers one side of a comparison with 2020, labelled with its own year', () => {
    const engine = engineWithJointStatement();
    // "In the midterms": the plain "the same candidate as in 2020?" is answered, rightly, by the
    // shipped paragraph that says Iran's preference is unchanged since 2020, which speaks to both.
    const r = answer(engine, 'Does Iran oppose the same candidates in the midterms as in 2020?');
    expect(r.citations).toHaveLength(2);
    const [now, then] = r.citations;
    expect(now?.source).toBe(jointId);
    expect(now?.summary).toMatch(/^In 2025: /);
    expect(then?.summary).toMatch(/^In 2020: /);
    expect(then?.source).not.toBe(jointId);
    expect(r.answer && now?.text.includes(r.answer)).toBe(true);
  });
});
