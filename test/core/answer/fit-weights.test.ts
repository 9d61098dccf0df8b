import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/seeded-random.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../../src/core/answer/features.ts';
import {
  crossValidate,
  evaluateWeights,
  fitWeights,
  type TrainingQuestion,
} from '../../../src/core/answer/fit-weights.ts';

const EXACT = FEATURE_NAMES.indexOf('exact');
const RECENCY = FEATURE_NAMES.indexOf('recency');

/**
 * Questions whose right candidate holds more of the question (`exact`), while a distractor is
 * newer (`recency`); a few unanswerable ones hold little of it anywhere.
 */
function questions(seed: number): TrainingQuestion[] {
  const random = seededRandom(seed).next;
  const out: TrainingQuestion[] = [];
  for (let k = 0; k < 60; k++) {
    const answerable = k % 6 !== 0;
    const features: Float64Array[] = [];
    const right: number[] = [];
    for (let c = 0; c < 8; c++) {
      const f = new Float64Array(FEATURE_COUNT);
      const isRight = answerable && c === 3;
      f[EXACT] = isRight ? 0.7 + 0.3 * random() : answerable ? 0.5 * random() : 0.2 * random();
      f[RECENCY] = isRight ? 0.3 * random() : random();
      features.push(f);
      right.push(isRight ? 1 : 0);
    }
    out.push({ features, right: Uint8Array.from(right), answerable });
  }
  return out;
}

describe('fitWeights', () => {
  const train = questions(1);
  const weights = fitWeights(train);

  it('learns that holding the question matters more than being new', () => {
    expect(weights.features.exact).toBeGreaterThan(0);
    expect(weights.features.exact).toBeGreaterThan(Math.abs(weights.features.recency));
  });

  it('ranks the right candidate first on questions it was not fitted on', () => {
    const held = questions(2);
    const s = evaluateWeights(held, weights);
    expect(s.topRight).toBe(held.filter((q) => q.answerable).length);
  });

  it('answers the answerable and refuses the rest, by the fitted confidence', () => {
    const s = evaluateWeights(questions(3), weights);
    expect(s.wronglyAnswered).toBeLessThanOrEqual(2);
    expect(s.right).toBeGreaterThanOrEqual(50);
    // Holding more of the question makes the best candidate likelier to be right.
    expect(weights.abstain.score).toBeGreaterThan(0);
  });

  it('gives the same weights for the same questions', () => {
    expect(fitWeights(questions(1))).toEqual(weights);
  });
});

describe('crossValidate', () => {
  const rows = questions(3).map((t, i) => ({ t, key: `question ${i % 20}` }));

  it('scores every question once, each with weights fitted on the other folds', () => {
    const cv = crossValidate(rows);
    expect(cv.questions).toBe(rows.length);
    expect(cv.right + cv.wrong + cv.missed + cv.wronglyAnswered).toBe(rows.length);
    // The pattern is learnable: held-out folds are mostly right, far above picking one of 8.
    expect(cv.right).toBeGreaterThan(rows.length * 0.7);
    expect(cv.utility).toBeLessThanOrEqual(cv.right);
  });

  it('keeps the questions of one key in one fold: they never train the weights that score them', () => {
    // Every question under one key: one fold holds them all, so they are scored by weights fitted
    // on nothing.
    const one = rows.map((r) => ({ ...r, key: 'the same question' }));
    const { utility, ...scores } = crossValidate(one);
    expect(scores).toEqual(
      evaluateWeights(
        one.map((r) => r.t),
        fitWeights([]),
      ),
    );
    expect(crossValidate(rows)).toEqual(crossValidate(rows));
  });
});
