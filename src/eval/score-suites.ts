/**
 * Scores prepared suites: each case answered in-process, judged by the rules of
 * `../shared/eval/score.mjs` (`any`, `all`, `found: false`, and every citation verbatim), and
 * counted per set and half, beside the BM25 baseline. No I/O: a scoring of every suite costs the
 * answering and little else.
 */
import { type AnswerFn, answerQuestion } from './answer-line.ts';
import { type Outcome, outcomeOf } from './score-set.ts';
import type { Half } from './split-half.ts';
import type { PreparedSuites, SuiteKind } from './suites.ts';
import { isVerbatim } from './verbatim-paragraphs.ts';

/** What happened to one case. */
export interface CaseResult {
  suite: string;
  kind: SuiteKind;
  set: string;
  line: number;
  half: Half;
  q: string;
  outcome: Outcome;
  baseline: Outcome;
  /** Citations that are not, verbatim, the paragraph they name. Should always be 0. */
  broken: number;
  /** The same for the baseline's citation. */
  baselineBroken: number;
  /** `source#n` of the first citation, or null when nothing was cited. */
  cited: string | null;
}

/**
 * Counts over some cases. `right` counts every correct outcome (right answers and right "not
 * found"); `answered` counts replies that answered (found, or cited anything).
 */
export interface Tally {
  n: number;
  right: number;
  rightAnswers: number;
  rightNotFound: number;
  wrongParagraph: number;
  wronglyNotFound: number;
  wronglyAnswered: number;
  broken: number;
  /** Cases that expect an answer. */
  answerable: number;
  /** Replies that gave one. */
  answered: number;
  /** rightAnswers / answered: how often an answer given is right; null when none was given. */
  precision: number | null;
  /** rightAnswers / answerable: how many answerable questions get the right answer; null when none. */
  recall: number | null;
}

/** A tally for the bot and one for the BM25 baseline over the same cases. */
export interface TallyPair {
  bot: Tally;
  bm25: Tally;
}

/** Tallies of one row of the report, for each half and both halves together. */
export type Halves = Record<Half | 'all', TallyPair>;

/** One row of the report: a set, or every cold suite together. */
export interface ReportRow {
  /** The set's name, or `cold`. */
  label: string;
  kind: SuiteKind;
  halves: Halves;
}

export interface EvalReport {
  cases: CaseResult[];
  /** Each shipped set, each unseen set, then `cold` (every leave-one-source-out suite). */
  rows: ReportRow[];
  /** Totals by kind of document: shipped, unseen, cold. */
  groups: ReportRow[];
  /** Milliseconds spent answering and counting. */
  ms: number;
}

/** Options of `scoreSuites`. */
export interface ScoreOptions {
  /** Answer only this half (a weight search scores `fit` and never looks at `check`). */
  half?: Half;
  /** Only suites of these kinds. */
  kinds?: readonly SuiteKind[];
}

/**
 * Answers every case of every suite with `answerFn` and counts the outcomes.
 *
 * @example
 * const report = scoreSuites(prepareSuites({ dataDir: 'data', setsDir: 'eval' }));
 * report.rows.find((r) => r.label === 'dev')?.halves.check.bot.right
 */
export function scoreSuites(
  prepared: Pick<PreparedSuites, 'suites'>,
  answerFn: AnswerFn = answerQuestion,
  options: ScoreOptions = {},
): EvalReport {
  const started = performance.now();
  const cases: CaseResult[] = [];
  for (const suite of prepared.suites) {
    if (options.kinds && !options.kinds.includes(suite.kind)) continue;
    for (const c of suite.cases) {
      if (options.half && c.half !== options.half) continue;
      const reply = answerFn(suite.engine, c.q);
      let broken = 0;
      for (const x of reply.citations) if (!isVerbatim(suite.paragraphs, x)) broken++;
      const top = reply.citations[0];
      cases.push({
        suite: suite.name,
        kind: suite.kind,
        set: c.set,
        line: c.line,
        half: c.half,
        q: c.q,
        outcome: outcomeOf(c, reply),
        baseline: c.baseline,
        broken,
        baselineBroken: c.baselineBroken,
        cited: top ? `${top.source}#${top.paragraph}` : null,
      });
    }
  }
  const rowOf = (r: CaseResult) => (r.kind === 'cold' || r.kind === 'after-ingest' ? r.kind : r.set);
  return {
    cases,
    rows: groupRows(cases, rowOf),
    groups: groupRows(cases, (r) => r.kind),
    ms: performance.now() - started,
  };
}

/** Rows in order of first appearance of their label. */
function groupRows(cases: readonly CaseResult[], labelOf: (r: CaseResult) => string): ReportRow[] {
  const byLabel = new Map<string, CaseResult[]>();
  for (const r of cases) {
    const label = labelOf(r);
    const list = byLabel.get(label);
    if (list) list.push(r);
    else byLabel.set(label, [r]);
  }
  return [...byLabel].map(([label, rs]) => ({
    label,
    kind: (rs[0] as CaseResult).kind,
    halves: {
      fit: pairOf(rs.filter((r) => r.half === 'fit')),
      check: pairOf(rs.filter((r) => r.half === 'check')),
      all: pairOf(rs),
    },
  }));
}

function pairOf(rs: readonly CaseResult[]): TallyPair {
  return {
    bot: tally(
      rs.map((r) => r.outcome),
      rs.reduce((n, r) => n + r.broken, 0),
    ),
    bm25: tally(
      rs.map((r) => r.baseline),
      rs.reduce((n, r) => n + r.baselineBroken, 0),
    ),
  };
}

/**
 * Counts outcomes.
 *
 * @example tally(['right', 'wrong-paragraph', 'wrongly-not-found']).precision // 0.5
 */
export function tally(outcomes: readonly Outcome[], broken = 0): Tally {
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  const rightAnswers = count('right');
  const rightNotFound = count('right-not-found');
  const wrongParagraph = count('wrong-paragraph');
  const wronglyNotFound = count('wrongly-not-found');
  const wronglyAnswered = count('wrongly-answered');
  const answerable = rightAnswers + wrongParagraph + wronglyNotFound;
  const answered = rightAnswers + wrongParagraph + wronglyAnswered;
  return {
    n: outcomes.length,
    right: rightAnswers + rightNotFound,
    rightAnswers,
    rightNotFound,
    wrongParagraph,
    wronglyNotFound,
    wronglyAnswered,
    broken,
    answerable,
    answered,
    precision: answered > 0 ? rightAnswers / answered : null,
    recall: answerable > 0 ? rightAnswers / answerable : null,
  };
}
