/**
 * `npm run eval [-- --data DIR] [--sets DIR] [--misses SET] [--json]`: scores every question set (shipped,
 * unseen and leave-one-source-out) in-process and prints, per set and half, right / wrong paragraph
 * / wrongly not found / wrongly answered beside plain BM25, then precision and recall per kind of
 * document, then the figures as one JSON line. Exits 0 whenever it ran: the figures are reported,
 * not asserted. Exits 2 on a usage, configuration or data error, printed as one line.
 *
 * The sets directory defaults to `../shared/eval` when it exists, else `eval/` (relative to the
 * working directory, which `npm run` sets to the repo root). `--misses SET` (or `all`, or `cold`)
 * lists the misses of the fit half only: the check half is for reading figures, not questions. A
 * held-out set's misses are listed only when that set is named.
 * `--json` prints only the JSON line.
 */
import path from 'node:path';
import { commands } from '../../commands/index.ts';
import { answerLineWith } from '../eval/answer-line.ts';
import { formatReport, summarizeReport } from '../eval/format-report.ts';
import { factPassed, formatFactTally, readFactCases, scoreFactCases, tallyFacts } from '../eval/reply-facts.ts';
import { type CaseResult, scoreSuites } from '../eval/score-suites.ts';
import { isHeldOutSet } from '../eval/suites.ts';
import { noWords, parseArgs, runCli } from './args.ts';
import { suitesFor } from './suites-for.ts';

const USAGE = 'usage: npm run eval -- [--data DIR] [--sets DIR] [--misses SET|cold|after-ingest|replies|all] [--json]';

function describeMiss(r: CaseResult): string {
  return `MISS ${r.half} ${r.kind === 'cold' || r.kind === 'after-ingest' ? `${r.suite} ` : ''}${r.set}:${r.line} ${r.outcome} ${JSON.stringify(r.q)} -> ${r.cited ?? 'not found'}`;
}

await runCli('eval', async () => {
  const args = parseArgs(process.argv.slice(2), ['sets', 'misses'], { metavars: { sets: 'DIR', misses: 'SET' } });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  noWords(args);
  const { prepared, dataDir, setsDir } = await suitesFor(args);
  const answerFn = answerLineWith(commands);
  const report = scoreSuites(prepared, answerFn);
  // The repository's reply-fact questions go with its own sets: `--sets DIR` scores that directory alone.
  const factCases = args.flags.sets === undefined ? readFactCases(path.resolve('eval', 'replies')) : [];
  const facts = scoreFactCases(prepared, answerFn, factCases);

  const summary = JSON.stringify({
    eval: summarizeReport(report),
    ...(facts.length > 0 ? { replies: tallyFacts(facts) } : {}),
    prepareMs: Math.round(prepared.ms),
    scoreMs: Math.round(report.ms),
  });
  if (args.json) {
    console.log(summary);
    return 0;
  }
  console.log(`eval: sets from ${setsDir}, data from ${dataDir}; ${prepared.suites.length} corpora`);
  for (const note of prepared.notes) console.log(`note: ${note}`);
  const misses = args.flags.misses;
  if (misses) {
    const listed = report.cases.filter(
      (r) =>
        r.half === 'fit' &&
        r.outcome !== 'right' &&
        r.outcome !== 'right-not-found' &&
        (misses === 'all' || (misses === r.set && r.kind !== 'after-ingest') || misses === r.kind) &&
        // A held-out set's questions are listed only when it is named: they are not for designing from.
        (misses === r.set || !isHeldOutSet(r.set)),
    );
    for (const r of listed) console.log(describeMiss(r));
    for (const r of facts) {
      if (r.half === 'fit' && !factPassed(r) && (misses === 'all' || misses === 'replies'))
        console.log(
          `MISS fit replies ${r.kind} ${r.outcome} ${JSON.stringify(r.q)}${r.fact ? ` wants ${JSON.stringify(r.fact)}` : ''}`,
        );
    }
    console.log(`${listed.length} misses in the fit half of ${misses} (the check half is not listed)`);
  }
  console.log(formatReport(report).join('\n'));
  if (facts.length > 0) console.log(['', ...formatFactTally(tallyFacts(facts))].join('\n'));
  console.log(
    `prepared in ${Math.round(prepared.ms)} ms, scored ${report.cases.length} cases in ${Math.round(report.ms)} ms`,
  );
  console.log(summary);
  return 0;
});
