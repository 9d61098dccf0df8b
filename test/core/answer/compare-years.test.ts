import { describe, expect, it } from 'vitest';
import { answer, comparedYear } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));

describe('comparisons between years', () => {
  it.each([
    ['Is Iran more aggressive than in 2020?', 2020],
    ['Is Russia doing more than it did in 2016?', 2016],
    ['How does this compare with 2020?', 2020],
    ['China compared to 2020', 2020],
    ['Does Russia back the same candidate as in 2020?', 2020],
    ['What did Russia do in 2020?', undefined],
    ['Who won more votes than Trump?', undefined],
  ])('%s compares with %s', (question, year) => {
    expect(comparedYear(question)).toBe(year);
  });

  it('cite one paragraph for each side, each labelled with its year', () => {
    const r = answer(engine, 'Is Iran more aggressive than in 2020?');
    expect(r.found).toBe(true);
    expect(r.citations).toHaveLength(2);
    const [now, then] = r.citations;
    expect(now?.summary).toMatch(/^In 2024: /);
    expect(then?.summary).toMatch(/^In 2020: /);
    // The earlier side is of that year: its source's date, or a claim about that election.
    const claims = engine.corpus.claims.filter((c) => c.source === then?.source && c.paragraph === then?.paragraph);
    expect(then?.date.startsWith('2020') || claims.some((c) => c.election === 2020)).toBe(true);
    expect(now?.text).not.toContain('2020');
    expect(r.text.split('\n').slice(1)).toEqual([now?.summary, then?.summary]);
  });
});
