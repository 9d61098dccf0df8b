/**
 * `npm run ingest -- [--data DIR] [--title T --publisher P --date YYYY-MM-DD --url U --kind K]
 * FILE...`: adds documents to the data directory with machine-drafted claims. Prints what was
 * added (id, paragraphs, drafts by type) and every refusal; exits 1 if any file was refused, and 2
 * (with one line on stderr) for a usage or configuration mistake.
 */
import { loadDotenv, readConfig } from '../core/config.ts';
import { countOf, describeAdded, IngestError, type IngestResult, ingestFiles } from '../updates/ingest/ingest.ts';
import type { HeaderFlags } from '../updates/ingest/read-document.ts';
import { parseArgs, runCli, UsageError } from './args.ts';

const USAGE = `usage: npm run ingest -- [--data DIR] [--title T --publisher P --date YYYY-MM-DD --url U --kind K] FILE...
  FILE is in the corpus format (key: value header, blank line, paragraphs) or plain text;
  for plain text, give --title, --publisher, --date and --kind (official|news|response|analysis).`;

const FLAGS = ['title', 'publisher', 'date', 'url', 'kind'] as const;
const METAVARS = { title: 'T', publisher: 'P', date: 'YYYY-MM-DD', url: 'U', kind: 'K' };

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), FLAGS, { json: false, metavars: METAVARS });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.rest.length === 0)
    throw new UsageError('no FILE to add (usage: npm run ingest -- [options] FILE...; --help lists them)');
  await loadDotenv();
  const dataDir = args.data ?? readConfig().DATA_DIR;
  const flags: HeaderFlags = {};
  for (const f of FLAGS) if (args.flags[f] !== undefined) flags[f] = args.flags[f];
  let results: IngestResult[];
  try {
    results = ingestFiles(args.rest, { dataDir, flags });
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    console.error(e.message);
    return 2;
  }
  for (const r of results) {
    if (r.ok) console.log(describeAdded(r));
    else console.error(r.error);
  }
  const added = results.filter((r) => r.ok).length;
  if (added > 0) {
    console.log(
      `${countOf(added, 'document')} added. Drafts are marked "draft": true; review them, fix or delete each, and remove "draft" and "rule" from those you keep.`,
    );
  }
  return added === results.length ? 0 : 1;
}

await runCli('ingest', main);
