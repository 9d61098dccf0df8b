/**
 * Ranking for `answer`, in two stages so it scales. Recall: the full-text search finds a few
 * hundred paragraphs through the question's words and their soft alternatives (thesaurus, WordNet
 * relatives, typo corrections); paragraphs with a claim of the asked type or about an actor asked
 * join them, newest first. Rerank: each candidate gets a feature vector (`features.ts`) and its
 * score is the dot product with fitted weights (`weights.json`, written by `npm run fit`).
 *
 * Claims are features like any other: they add to a paragraph's score, they never gate it, so a
 * newly ingested document with no reviewed claims competes on its words.
 */
import type { ParsedQuestion } from '../understand/parse-question.ts';
import type { AnswerEngine } from './engine.ts';
import {
  type Candidate,
  candidateFeatures,
  FEATURE_COUNT,
  FEATURE_NAMES,
  type FeatureName,
  prepareQuestion,
  type QuestionFeatures,
  RANK_CREDIT,
  SENTENCE_HITS,
} from './features.ts';
import fitted from './weights.json' with { type: 'json' };

/** Weights of the features, and the abstention rule, as `npm run fit` writes them. */
export interface RankWeights {
  features: Record<FeatureName, number>;
  /** How likely the best candidate is to be right (`confidence` with these weights). */
  abstain: Abstention;
  /**
   * How likely the question is one the assessments answer at all. With both, the best candidate
   * is cited when citing it is expected to gain more than it costs (`sureEnough`). Absent: the
   * question is taken to be answerable.
   */
  domain?: Abstention;
}

/**
 * The weights of a logistic function of the confidence inputs (`CONFIDENCE_INPUTS`): the
 * candidate's score, its lead over the runner-up, the rarest word it lacks, its answer type and
 * year, and two readings of the question.
 */
export interface Abstention {
  bias: number;
  score: number;
  lead: number;
  missing: number;
  answerType: number;
  year: number;
  named: number;
  unknown: number;
}

/**
 * What a reply costs against a right answer's 1: citing a wrong paragraph for a question the
 * assessments answer, and citing anything for one they do not. Not answering costs nothing but
 * the right answer it might have been. `npm run fit` scores weights by the same costs (`utility`).
 */
export const ANSWER_COSTS = { wrongParagraph: 0.25, wronglyAnswered: 1 } as const;

/** The weights shipped in `weights.json`. */
export const FITTED_WEIGHTS: RankWeights = {
  features: Object.fromEntries(
    FEATURE_NAMES.map((n) => [n, (fitted.features as Record<string, number>)[n] ?? 0]),
  ) as Record<FeatureName, number>,
  abstain: fitted.abstain,
  domain: fitted.domain,
};

/** How many paragraphs the full-text search recalls, and how many claim paragraphs join per list. */
export const RECALL = { search: 200, claims: 60 };

/** A candidate with its score set by `rank`. */
export type Ranked = Candidate;

/**
 * Every recalled candidate with its features, unscored: what `npm run fit` scores many times over
 * with different weights. `qf` is the prepared question.
 */
export function recall(engine: AnswerEngine, q: ParsedQuestion): { qf: QuestionFeatures; candidates: Candidate[] } {
  const { facts } = engine;
  const qf = prepareQuestion(engine, q);
  // A heading ("TEHRAN’S MALIGN INFLUENCE AND …") names a section; it answers nothing.
  const hits = engine.index.search(q.terms, RECALL.search).filter((h) => !isHeading(h.paragraph.text));
  const topText = hits[0]?.score ?? 0;
  const seen = new Set<number>();
  const candidates: Candidate[] = [];
  hits.forEach((h, i) => {
    seen.add(h.doc);
    candidates.push(candidateFeatures(engine, qf, h.doc, h, topText, i < SENTENCE_HITS));
  });
  const lists: Int32Array[] = [];
  const intent = q.reading.intent;
  const ofType = intent ? facts.byType.get(intent) : undefined;
  if (ofType) lists.push(ofType);
  for (const a of q.actors) {
    const list = facts.byActor.get(a);
    if (list) lists.push(list);
  }
  for (const list of lists) {
    for (let i = 0; i < list.length && i < RECALL.claims; i++) {
      const doc = list[i] as number;
      if (seen.has(doc) || isHeading(engine.index.paragraphAt(doc)?.text ?? '')) continue;
      seen.add(doc);
      candidates.push(candidateFeatures(engine, qf, doc, undefined, topText, false));
    }
  }
  return { qf, candidates };
}

/** Text in capitals only, with no lower-case letter: a heading (scripts without case never are). */
export function isHeading(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** A candidate's score under some weights. */
export function scoreOf(features: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < FEATURE_COUNT; i++) s += (features[i] as number) * (w[i] as number);
  return s;
}

/** Weights as a vector in `FEATURE_NAMES` order. */
export function weightVector(weights: Pick<RankWeights, 'features'>): Float64Array {
  return Float64Array.from(FEATURE_NAMES, (n) => weights.features[n] ?? 0);
}

/**
 * The candidates, scored and best first (ties: source id descending, then paragraph number).
 *
 * @example rank(engine, parseQuestion('Who is Moscow backing?', engine))[0].paragraph
 */
export function rank(engine: AnswerEngine, q: ParsedQuestion, weights: RankWeights = FITTED_WEIGHTS): Ranked[] {
  const w = weightVector(weights);
  const { candidates } = recall(engine, q);
  for (const c of candidates) c.score = scoreOf(c.features, w);
  return candidates.sort(compareRanked);
}

export function compareRanked(a: Ranked, b: Ranked): number {
  return b.score - a.score || b.paragraph.source.localeCompare(a.paragraph.source) || a.paragraph.n - b.paragraph.n;
}

/** Whether the best candidate is sure enough to cite (see `RankWeights.abstain`). */
export function confident(ranked: readonly Ranked[], weights: RankWeights = FITTED_WEIGHTS): boolean {
  const best = ranked[0];
  if (!best) return false;
  return sureEnough(best.features, best.score, ranked[1]?.score, weights);
}

/**
 * Whether to cite a best candidate with these features, score and runner-up score: when the
 * expected gain of citing it is positive. With p the chance it is right and a the chance the
 * question is answerable at all, citing gains p and costs `ANSWER_COSTS.wrongParagraph` × (a − p)
 * plus `ANSWER_COSTS.wronglyAnswered` × (1 − a). No threshold is searched for: a threshold chosen
 * as the best of a grid on a few hundred questions moved with every refit (cross-validated
 * utility inside the fit halves: 230.0 for the grid's best neighbourhood, 230.8 for this rule;
 * 281.0 against 294.0 with the held-out sets fitted too).
 */
export function sureEnough(
  features: Float64Array,
  score: number,
  next: number | undefined,
  weights: RankWeights,
): boolean {
  const right = confidence(features, score, next, weights.abstain);
  const answerable = weights.domain ? confidence(features, score, next, weights.domain) : 1;
  const wrong = Math.max(0, answerable - right);
  return right - ANSWER_COSTS.wrongParagraph * wrong - ANSWER_COSTS.wronglyAnswered * (1 - answerable) > 0;
}

const EXACT = FEATURE_NAMES.indexOf('exact');
const SOFT = FEATURE_NAMES.indexOf('soft');
const BROAD = FEATURE_NAMES.indexOf('broad');
const CLAIM = FEATURE_NAMES.indexOf('claimType');
const MISSING = FEATURE_NAMES.indexOf('missing');
const ANSWER_TYPE = FEATURE_NAMES.indexOf('answerType');
const YEAR = FEATURE_NAMES.indexOf('year');
const HEADER = FEATURE_NAMES.indexOf('header');
const ACTOR_NAMED = FEATURE_NAMES.indexOf('actorNamed');
const AGENCY = FEATURE_NAMES.indexOf('agency');
const NAMED = FEATURE_NAMES.indexOf('named');
const UNKNOWN = FEATURE_NAMES.indexOf('unknown');
/** The names of `confidenceInputs`, in order; each is a weight of `Abstention`. */
export const CONFIDENCE_INPUTS = [
  'bias',
  'score',
  'lead',
  'missing',
  'answerType',
  'year',
  'named',
  'unknown',
] as const;

/**
 * What confidence is computed from (`CONFIDENCE_INPUTS`): 1, the score, its lead over the runner-up
 * (times the share of the question its text holds), the rarest word it lacks, whether it holds what
 * the answer type wants, whether it speaks to the year asked, and two readings of the question
 * itself: whether it names an actor, candidate or agency, and how much of it the corpus holds
 * nowhere. (The share of the question held and a claim of the asked type were inputs too, and both
 * got negative weights, being in the score already; without them cross-validation gained.)
 */
export function confidenceInputs(features: Float64Array, score: number, next: number | undefined): number[] {
  const coverage = coverageOf(features);
  // A wide lead means little when the best holds little of the question ("Who won the World Cup?"
  // has one paragraph far ahead that holds only "world"): the lead counts in proportion to coverage.
  const lead = (next === undefined ? 1 : Math.min(score - next, 3)) * coverage;
  return [
    1,
    score,
    lead,
    features[MISSING] as number,
    features[ANSWER_TYPE] as number,
    features[YEAR] as number,
    features[NAMED] as number,
    features[UNKNOWN] as number,
  ];
}

/** How much of the question a candidate's text holds: a relative counts less than the word itself. */
export function coverageOf(features: Float64Array): number {
  return (
    (features[EXACT] as number) * (RANK_CREDIT[0] as number) +
    (features[SOFT] as number) * (RANK_CREDIT[1] as number) +
    (features[BROAD] as number) * (RANK_CREDIT[2] as number)
  );
}

/** Among the best this many, time words ("latest", "first") choose by date. */
const DATED_POOL = 20;
/** …those holding at least this share of what the best holds of the question (text or title). */
const DATED_COVERAGE = 0.8;

/**
 * For a question asking for the newest or the oldest ("the most recent sanction", "the first
 * statement"): the candidates that fit about as well as the best (as much of the question, the same
 * claim fit) ordered by source date, newest or oldest first, then the rest as ranked.
 *
 * @example byDate(engine, rank(engine, q), 'newest')[0]
 */
export function byDate(engine: AnswerEngine, ranked: Ranked[], order: 'newest' | 'oldest'): Ranked[] {
  const best = ranked[0];
  if (!best) return ranked;
  // What a candidate holds of the question, in its text or its source's title ("the first joint statement").
  const holds = (r: Ranked) => Math.max(coverageOf(r.features), r.features[HEADER] as number);
  const floor = DATED_COVERAGE * holds(best);
  const fits = (r: Ranked) =>
    r.claimAnswers === best.claimAnswers &&
    (r.features[CLAIM] as number) >= (best.features[CLAIM] as number) &&
    // "The latest on Russia": when the best names the actor asked, so must the newer one; "the
    // latest the FBI flagged": when the best is the agency's own, so must the newer one be.
    (r.features[ACTOR_NAMED] as number) >= (best.features[ACTOR_NAMED] as number) &&
    (r.features[AGENCY] as number) >= (best.features[AGENCY] as number) &&
    holds(r) >= floor;
  const pool = ranked.slice(0, DATED_POOL).filter(fits);
  const time = (r: Ranked) => engine.facts.time[r.doc] as number;
  const sign = order === 'newest' ? -1 : 1;
  // A stable sort: among the same date, the ranking's order stays.
  const dated = [...pool].sort((a, b) => sign * (time(a) - time(b)));
  return [...dated, ...ranked.filter((r) => !dated.includes(r))];
}

/**
 * The best candidate's confidence, 0–1.
 *
 * @example confidence(ranked[0].features, ranked[0].score, ranked[1]?.score, FITTED_WEIGHTS.abstain)
 */
export function confidence(features: Float64Array, score: number, next: number | undefined, a: Abstention): number {
  const x = confidenceInputs(features, score, next);
  let z = 0;
  CONFIDENCE_INPUTS.forEach((name, i) => {
    z += a[name] * (x[i] as number);
  });
  return 1 / (1 + Math.exp(-z));
}
