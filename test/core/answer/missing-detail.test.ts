import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { engineWithJointStatement } from '../../updates/ingest/ingest-helpers.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

// The document ingested in the test: its Iran paragraph says what Iran uses, with no count.
describe('a detail the assessments do not give', () => {
  it('is said plainly, with where the topic is covered, and nothing is cited as the answer', () => {
    const engine = engineWithJointStatement();
    const r = answer(engine, 'How many AI-generated audio clips did Iran use against candidates in the 2026 midterms?');
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toMatch(/^The assessments I hold describe this but do not give the number\./);
    expect(r.text).toContain('Foreign Threats to the 2026 Midterm Elections');
  });

  it('does not stop a question whose paragraph holds the detail', () => {
    const engine = engineWithJointStatement();
    const when = answer(engine, 'When did the Chinese Foreign Ministry reject the findings about the 2026 midterms?');
    expect(when.found).toBe(true);
    expect(when.answer).toContain('On March 11');
    const many = answer(engine, 'How many Venezuelan nationals did OFAC designate for the spear-phishing campaign?');
    expect(many.found).toBe(true);
    expect(many.answer).toContain('four Venezuelan nationals');
  });

  it('on the shipped data: a sum of money that no assessment gives', () => {
    const engine = createAnswerEngine(loadCorpus(shippedDataDir));
    const r = answer(engine, 'How much money did Iran give the protesters?');
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toMatch(/^The assessments I hold describe this but do not give the amount\./);
  });
});
