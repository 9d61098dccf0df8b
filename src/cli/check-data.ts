/**
 * `npm run check-data [-- --data DIR]`: validates a data directory. Prints one summary line
 * (sources, paragraphs, claims by type, drafts) or every problem, and exits 1 on problems; a
 * usage or configuration mistake is one line on stderr and exit code 2.
 */
import { loadDotenv, readConfig } from '../core/config.ts';
import { claimCounts } from '../core/corpus/corpus.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';
import { countOf } from '../updates/ingest/ingest.ts';
import { noWords, parseArgs, runCli } from './args.ts';

const USAGE = 'usage: npm run check-data [-- --data DIR]';

await runCli('check-data', async () => {
  const args = parseArgs(process.argv.slice(2), [], { json: false });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  noWords(args);
  await loadDotenv();
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
      `${dir}: ok — ${corpus.sources.size} sources, ${paragraphs} paragraphs, ${reviewed.length} claims (${byType}), ${countOf(drafts, 'draft claim')}, ${corpus.actors.size} actors`,
    );
    return 0;
  } catch (error) {
    // Problems in the data are what this script is for: listed, with exit code 1.
    if (!(error instanceof DataError)) throw error;
    console.error(error.message);
    return 1;
  }
});
