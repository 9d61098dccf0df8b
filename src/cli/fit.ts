/**
 * `npm run fit [-- --data DIR] [--sets DIR] [--check] [--cv]`: fits the reranker's weights on the fit half
 * of every question set (shipped, unseen and leave-one-source-out, prepared as `npm run eval`
 * prepares them) and writes them, with the scores they reach on the fit and check halves, to
 * `src/core/answer/weights.json`. The check half is never used to choose anything; it is only
 * reported. With `--check`, prints what a fit would write without writing it. With `--cv`, writes
 * nothing and prints five-fold cross-validation inside the fit halves (folds by question text),
 * the figure each change to the ranking is judged by (docs/answering.md).
 *
 * How: a listwise logistic regression over each question's recalled candidates for the feature
 * weights, then two logistic regressions for the abstention: whether the best candidate is right,
 * and whether the question is answerable at all (see `fit-weights.ts` and `sureEnough`).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  crossValidate,
  evaluateWeights,
  type FitScore,
  fitWeights,
  type TrainingQuestion,
} from '../core/answer/fit-weights.ts';
import type { Half } from '../eval/split-half.ts';
import { isHeldOutSet, type SuiteKind } from '../eval/suites.ts';
import { trainingQuestion } from '../eval/training.ts';
import { noWords, parseArgs, runCli } from './args.ts';
import { suitesFor } from './suites-for.ts';

const USAGE = 'usage: npm run fit -- [--data DIR] [--sets DIR] [--check] [--cv]';
// `npm run` runs scripts in the repository's root (the script itself runs from a bundle elsewhere).
const root = process.cwd();
const WEIGHTS_FILE = path.join(root, 'src', 'core', 'answer', 'weights.json');

interface Labelled {
  t: TrainingQuestion;
  half: Half;
  kind: SuiteKind;
  set: string;
  q: string;
}

await runCli('fit', async () => {
  const args = parseArgs(process.argv.slice(2), ['sets'], {
    json: false,
    switches: ['check', 'cv'],
    metavars: { sets: 'DIR' },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  noWords(args);
  const { prepared } = await suitesFor(args);
  const labelled: Labelled[] = prepared.suites.flatMap((s) =>
    s.cases.map((c) => ({ t: trainingQuestion(s.engine, c), half: c.half, kind: s.kind, set: c.set, q: c.q })),
  );
  // The after-ingest suite asks the shipped questions again, of a corpus with more documents: it
  // is measured, never fitted on (each shipped question would count twice), nor in the totals.
  // Sets named `held-out…` are measured, never fitted on: written after the features and the fit
  // were settled, by a writer who saw only the documents. Fitted on as well, they gained nothing in
  // five-fold cross-validation inside the fit halves (utility on the sets that mix answerable and
  // unanswerable questions: 247.0 with them, 251.3 without) and made the abstention stricter.
  const kept = (half: Half, kind?: SuiteKind, heldOut = false) =>
    labelled.filter(
      (l) => l.half === half && isHeldOutSet(l.set) === heldOut && (kind ? l.kind === kind : l.kind !== 'after-ingest'),
    );
  const on = (half: Half, kind?: SuiteKind) => kept(half, kind).map((l) => l.t);
  if (args.switches.includes('cv')) {
    const rows = kept('fit').map((l) => ({ t: l.t, key: l.q }));
    const cv = crossValidate(rows);
    console.log(
      `cv             ${cv.right}/${cv.questions} right (first candidate right for ${cv.topRight}), ${cv.wrong} wrong paragraph, ${cv.missed} wrongly not found, ${cv.wronglyAnswered} wrongly answered; utility ${cv.utility}`,
    );
    return 0;
  }
  const weights = fitWeights(on('fit'));
  const scores: Record<string, FitScore> = {};
  for (const half of ['fit', 'check'] as const) {
    scores[half] = evaluateWeights(on(half), weights);
    for (const kind of ['shipped', 'unseen', 'cold', 'after-ingest'] as const)
      scores[`${half}:${kind}`] = evaluateWeights(on(half, kind), weights);
    scores[`${half}:held-out`] = evaluateWeights(
      kept(half, undefined, true).map((l) => l.t),
      weights,
    );
  }
  for (const [name, s] of Object.entries(scores)) {
    console.log(
      `${name.padEnd(14)} ${s.right}/${s.questions} right (first candidate right for ${s.topRight}), ${s.wrong} wrong paragraph, ${s.missed} wrongly not found, ${s.wronglyAnswered} wrongly answered`,
    );
  }
  const file = {
    $comment:
      'Written by npm run fit: feature weights of the reranker (src/core/answer/features.ts), the abstention rule, and what they scored. Do not edit by hand.',
    method:
      'listwise logistic regression (softmax over each question’s candidates, L2 0.05) on the fit halves; abstention by two logistic regressions (the best candidate is right; the question is answerable), citing when the expected gain is positive',
    features: weights.features,
    abstain: weights.abstain,
    domain: weights.domain,
    scores,
  };
  if (args.switches.includes('check')) {
    console.log(JSON.stringify(file, null, 2));
    return 0;
  }
  fs.writeFileSync(WEIGHTS_FILE, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`fit: wrote ${path.relative(process.cwd(), WEIGHTS_FILE)}`);
  return 0;
});
