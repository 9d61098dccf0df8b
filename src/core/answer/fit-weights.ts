/**
 * Fitting the reranker's weights on labelled questions, for `npm run fit`. Each question comes with
 * its recalled candidates' feature vectors and which of them are right. The feature weights are a
 * listwise logistic regression (a softmax over each question's candidates, L2-penalised); the
 * abstention rule is two logistic regressions, "the best candidate is right" and "the question is
 * answerable", whose probabilities decide by the expected gain of citing (`sureEnough`).
 *
 * Coordinate ascent on the count of right first answers was tried first: in five-fold
 * cross-validation on the fit halves it lost 4 of 98 first answers to the softmax, which it
 * overfits. Deterministic: the same questions give the same weights.
 */
import { createHash } from 'node:crypto';
import { FEATURE_COUNT, FEATURE_NAMES, type FeatureName } from './features.ts';
import {
  type Abstention,
  ANSWER_COSTS,
  CONFIDENCE_INPUTS,
  confidenceInputs,
  type RankWeights,
  scoreOf,
  sureEnough,
  weightVector,
} from './rank.ts';

/** One labelled question: its candidates' features, and which candidates are right. */
export interface TrainingQuestion {
  /** Feature vectors of the recalled candidates, in recall order. */
  features: Float64Array[];
  /** Per candidate: 1 when citing it first answers the question. */
  right: Uint8Array;
  /** False for a question the corpus cannot answer: nothing may be cited. */
  answerable: boolean;
  /** Answered outside the ranking (a list answer): counted as it is, not fitted. */
  fixed?: 'right' | 'wrong';
}

/** How a set of weights does on some questions. */
export interface FitScore {
  questions: number;
  /** Answerable questions whose best candidate is right (before abstention). */
  topRight: number;
  /** After abstention: right answers, wrong paragraphs, answerable questions not answered, unanswerable ones answered. */
  right: number;
  wrong: number;
  missed: number;
  wronglyAnswered: number;
}

/** Best candidate and runner-up scores of a question under weights `w`. */
function bestTwo(
  q: TrainingQuestion,
  w: Float64Array,
): { at: number; best: number; next: number | undefined; features: Float64Array | undefined } {
  let at = -1;
  let best = Number.NEGATIVE_INFINITY;
  let next: number | undefined;
  for (let i = 0; i < q.features.length; i++) {
    const s = scoreOf(q.features[i] as Float64Array, w);
    // Strictly greater: the earlier candidate wins ties, as recall order breaks them.
    if (s > best) {
      if (at >= 0) next = best;
      best = s;
      at = i;
    } else if (next === undefined || s > next) next = s;
  }
  return { at, best, next, features: q.features[at] };
}

/** Scores weights on questions. */
export function evaluateWeights(questions: readonly TrainingQuestion[], weights: RankWeights): FitScore {
  const w = weightVector(weights);
  const out: FitScore = { questions: questions.length, topRight: 0, right: 0, wrong: 0, missed: 0, wronglyAnswered: 0 };
  for (const q of questions) {
    if (q.fixed) {
      if (q.fixed === 'right') {
        out.right++;
        if (q.answerable) out.topRight++;
      } else if (q.answerable) out.wrong++;
      else out.wronglyAnswered++;
      continue;
    }
    const { at, best, next, features } = bestTwo(q, w);
    const isRight = at >= 0 && q.right[at] === 1;
    if (q.answerable && isRight) out.topRight++;
    const answers = features !== undefined && sureEnough(features, best, next, weights);
    if (!q.answerable) {
      if (answers) out.wronglyAnswered++;
      else out.right++;
    } else if (!answers) out.missed++;
    else if (isRight) out.right++;
    else out.wrong++;
  }
  return out;
}

/**
 * How good some replies are: right answers, less the cost of each wrong paragraph and of each
 * unanswerable question answered (`ANSWER_COSTS`). An abstention loses the chance of a right
 * answer; a wrong citation costs trust, most of all under a question the corpus cannot answer.
 */
export function utility(s: FitScore): number {
  return s.right - ANSWER_COSTS.wrongParagraph * s.wrong - ANSWER_COSTS.wronglyAnswered * s.wronglyAnswered;
}

/** A labelled question with the key that decides its fold (its text: asked of several corpora, it stays in one fold). */
export interface KeyedQuestion {
  t: TrainingQuestion;
  key: string;
}

/**
 * K-fold cross-validation: each fold is scored with weights fitted on the others, and the scores
 * are summed. Folds go by a hash of `key`, so the same question asked of the shipped, unseen and
 * cold corpora never trains the weights that score it. Deterministic.
 *
 * @example crossValidate(rows).right // answers right after abstention, over all folds
 */
export function crossValidate(rows: readonly KeyedQuestion[], folds = 5): FitScore & { utility: number } {
  const out: FitScore = { questions: 0, topRight: 0, right: 0, wrong: 0, missed: 0, wronglyAnswered: 0 };
  const foldOf = rows.map((r) => (createHash('sha1').update(r.key).digest()[0] as number) % folds);
  for (let f = 0; f < folds; f++) {
    const test = rows.filter((_, i) => foldOf[i] === f).map((r) => r.t);
    if (test.length === 0) continue;
    const weights = fitWeights(rows.filter((_, i) => foldOf[i] !== f).map((r) => r.t));
    const s = evaluateWeights(test, weights);
    for (const k of Object.keys(out) as (keyof FitScore)[]) out[k] += s[k];
  }
  return { ...out, utility: Math.round(utility(out) * 10) / 10 };
}

/**
 * Listwise logistic regression: the weights that make the right candidates likely under a
 * softmax over each question's candidates, with an L2 penalty, by full-batch gradient ascent.
 * A smooth objective generalises better than counting top-1 hits directly.
 */
export function fitSoftmax(
  questions: readonly TrainingQuestion[],
  start: Float64Array,
  { epochs = 400, rate = 0.5, l2 = 0.05 } = {},
): Float64Array {
  const rankable = questions.filter((q) => q.answerable && !q.fixed && q.right.includes(1));
  const w = Float64Array.from(start);
  const grad = new Float64Array(FEATURE_COUNT);
  let scores = new Float64Array(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    for (const q of rankable) {
      const n = q.features.length;
      if (scores.length < n) scores = new Float64Array(n * 2);
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        scores[i] = scoreOf(q.features[i] as Float64Array, w);
        if ((scores[i] as number) > max) max = scores[i] as number;
      }
      let all = 0;
      let right = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.exp((scores[i] as number) - max);
        scores[i] = e;
        all += e;
        if (q.right[i]) right += e;
      }
      // d log(P(right)) / dw = E_right[f] − E_all[f]
      for (let i = 0; i < n; i++) {
        const p = (scores[i] as number) / all;
        const pr = q.right[i] ? (scores[i] as number) / right : 0;
        const f = q.features[i] as Float64Array;
        const c = pr - p;
        if (c === 0) continue;
        for (let k = 0; k < FEATURE_COUNT; k++) grad[k] = (grad[k] as number) + c * (f[k] as number);
      }
    }
    for (let k = 0; k < FEATURE_COUNT; k++) {
      const g = (grad[k] as number) / rankable.length - l2 * (w[k] as number);
      w[k] = (w[k] as number) + rate * g;
    }
  }
  return w;
}

/**
 * Fits the feature weights (`fitSoftmax`, from all weights at zero, so a refit of the same
 * questions gives the same weights), then the abstention rule (`fitAbstention`).
 *
 * @example const weights = fitWeights(questions);
 */
export function fitWeights(questions: readonly TrainingQuestion[]): RankWeights {
  const w = fitSoftmax(questions, new Float64Array(FEATURE_COUNT));
  const features = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, round3(w[i] as number)])) as Record<
    FeatureName,
    number
  >;
  return { features, ...fitAbstention(questions, features) };
}

/**
 * The abstention rule, two logistic regressions on the confidence inputs (`confidenceInputs`):
 * "the best candidate is right" (`abstain`) and "the question is one the assessments answer at
 * all" (`domain`, which learns what off-topic and unanswerable questions look like). Their
 * probabilities decide together (`sureEnough`), with no threshold to choose.
 */
export function fitAbstention(
  questions: readonly TrainingQuestion[],
  features: Record<FeatureName, number>,
  options: { epochs?: number; rate?: number; l2?: number } = {},
): Pick<RankWeights, 'abstain' | 'domain'> {
  const w = weightVector({ features });
  const rows: { x: number[]; right: number; answerable: number }[] = [];
  for (const q of questions) {
    if (q.fixed) continue;
    const t = bestTwo(q, w);
    if (!t.features) continue;
    rows.push({
      x: confidenceInputs(t.features, t.best, t.next),
      right: q.answerable && q.right[t.at] === 1 ? 1 : 0,
      answerable: q.answerable ? 1 : 0,
    });
  }
  const rule = logistic(
    rows.map((r) => ({ x: r.x, y: r.right })),
    options,
  );
  // Whether the question is about the assessments at all is read from the best's score, lead and
  // rarest missing word and from the question itself, not from the answer type or year, which say
  // whether this paragraph is the answer (cross-validated utility inside the fit halves: 216.0
  // against 209.3 with them).
  const domainRule = logistic(
    rows.map((r) => ({
      x: r.x.map((v, i) => (NOT_DOMAIN.has(CONFIDENCE_INPUTS[i] as string) ? 0 : v)),
      y: r.answerable,
    })),
    options,
  );
  return { abstain: rule, domain: domainRule };
}

/** Confidence inputs the domain rule does not read (their weights stay 0). */
const NOT_DOMAIN = new Set(['answerType', 'year']);

/** A logistic regression by full-batch gradient ascent, weights named by `CONFIDENCE_INPUTS`. */
function logistic(
  rows: readonly { x: number[]; y: number }[],
  { epochs = 2000, rate = 0.1, l2 = 0.001 } = {},
): Abstention {
  const k = CONFIDENCE_INPUTS.length;
  const beta = new Array<number>(k).fill(0);
  for (let epoch = 0; epoch < epochs && rows.length > 0; epoch++) {
    const grad = new Array<number>(k).fill(0);
    for (const { x, y } of rows) {
      const z = x.reduce((s, v, i) => s + v * (beta[i] as number), 0);
      const p = 1 / (1 + Math.exp(-z));
      for (let i = 0; i < k; i++) grad[i] = (grad[i] as number) + (y - p) * (x[i] as number);
    }
    for (let i = 0; i < k; i++)
      beta[i] = (beta[i] as number) + rate * ((grad[i] as number) / rows.length - l2 * (beta[i] as number));
  }
  return Object.fromEntries(
    CONFIDENCE_INPUTS.map((name, i) => [name, round3(beta[i] as number)]),
  ) as unknown as Abstention;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
