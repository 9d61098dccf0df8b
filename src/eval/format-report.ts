/**
 * The evaluation report for people (a table) and for tools (one JSON object).
 */
import type { EvalReport, ReportRow, Tally } from './score-suites.ts';
import type { Half } from './split-half.ts';

const HALVES: readonly (Half | 'all')[] = ['fit', 'check', 'all'];

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const cell = (n: number, of: number) => `${n}${of > 0 ? ` ${pct(n / of)}` : ''}`;

/** Pads each column to its widest cell; the first columns align left, the others right. */
function columns(rows: string[][], leftAligned = 2): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => (i < leftAligned ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The report as lines of text: a table of outcomes per set and half, beside BM25, then precision
 * and recall per kind of document.
 *
 * @example console.log(formatReport(scoreSuites(prepared)).join('\n'))
 */
export function formatReport(report: EvalReport): string[] {
  const head = [
    'set',
    'half',
    'n',
    'right',
    'wrong ¶',
    'wrongly not found',
    'wrongly answered',
    'broken',
    'bm25 right',
  ];
  const table: string[][] = [head];
  for (const row of report.rows) {
    let label = row.label;
    for (const h of HALVES) {
      const { bot, bm25 } = row.halves[h];
      if (bot.n === 0) continue;
      table.push([
        label,
        h,
        String(bot.n),
        cell(bot.right, bot.n),
        String(bot.wrongParagraph),
        String(bot.wronglyNotFound),
        String(bot.wronglyAnswered),
        String(bot.broken),
        cell(bm25.right, bm25.n),
      ]);
      label = '';
    }
  }
  const pr: string[][] = [['documents', 'half', 'n', 'precision', 'recall', 'bm25 precision', 'bm25 recall']];
  for (const row of report.groups) {
    let label = row.label;
    for (const h of HALVES) {
      const { bot, bm25 } = row.halves[h];
      if (bot.n === 0) continue;
      pr.push([
        label,
        h,
        String(bot.n),
        `${pct(bot.precision)} (${bot.rightAnswers}/${bot.answered})`,
        `${pct(bot.recall)} (${bot.rightAnswers}/${bot.answerable})`,
        `${pct(bm25.precision)} (${bm25.rightAnswers}/${bm25.answered})`,
        `${pct(bm25.recall)} (${bm25.rightAnswers}/${bm25.answerable})`,
      ]);
      label = '';
    }
  }
  return [
    ...columns(table),
    '',
    'precision: answers given that cite the right paragraph; recall: answerable questions answered right',
    ...columns(pr),
  ];
}

/** The figures of one tally, as in the JSON line. */
function compact(t: Tally): Record<string, number | null> {
  return {
    n: t.n,
    right: t.right,
    wrongParagraph: t.wrongParagraph,
    wronglyNotFound: t.wronglyNotFound,
    wronglyAnswered: t.wronglyAnswered,
    broken: t.broken,
    precision: t.precision === null ? null : Number(t.precision.toFixed(4)),
    recall: t.recall === null ? null : Number(t.recall.toFixed(4)),
  };
}

function rowJson(row: ReportRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const h of HALVES) {
    const { bot, bm25 } = row.halves[h];
    out[h] = { ...compact(bot), bm25: compact(bm25) };
  }
  return out;
}

/**
 * The report's figures as one JSON-ready object: `sets` and `groups` by label, each with `fit`,
 * `check` and `all` tallies and the baseline's beside them. Per-case results are left out.
 *
 * @example JSON.parse(lastLine).sets.dev.check.right
 */
export function summarizeReport(report: EvalReport): Record<string, unknown> {
  return {
    sets: Object.fromEntries(report.rows.map((r) => [r.label, rowJson(r)])),
    groups: Object.fromEntries(report.groups.map((r) => [r.label, rowJson(r)])),
  };
}
