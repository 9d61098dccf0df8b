/**
 * `npm run check-data [-- --data DIR]`: validates a data directory. Prints one summary line
 * (sources, paragraphs, claims by type, drafts) or every problem, and exits 1 on problems.
 */
import { loadDotenv, readConfig } from '../core/config.ts';
import { claimCounts } from '../core/corpus/corpus.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';
import { parseArgs } from './args.ts';

await loadDotenv();
const args = parseArgs(process.argv.slice(2));
const dir = args.data ?? readConfig().DATA_DIR;
try {
  const corpus = loadCorpus(dir);
  const paragraphs = [...corpus.sources.values()].reduce((n, s) => n + s.paragraphs.length, 0);
  const reviewed = corpus.claims.filter((c) => !c.draft);
  const drafts = corpus.claims.length - reviewed.length;
  const byType = Object.entries(claimCounts(reviewed))
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  console.log(
    `${dir}: ok — ${corpus.sources.size} sources, ${paragraphs} paragraphs, ${reviewed.length} claims (${byType}), ${drafts} draft claims, ${corpus.actors.size} actors`,
  );
} catch (error) {
  if (!(error instanceof DataError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
