import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/seeded-random.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../../src/core/answer/features.ts';
import { evaluateWeights, fitWeights, type TrainingQuestion } from '../../../src/core/answer/fit-weights.ts';

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
