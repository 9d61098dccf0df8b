/**
 * `npm run ingest -- [--data DIR] [--title T --publisher P --date YYYY-MM-DD --url U --kind K]
 * FILE...`: adds documents to the data directory with machine-drafted claims. Prints what was
 * added (id, paragraphs, drafts by type) and every refusal; exits 1 if any file was refused.
 */
import { loadDotenv, readConfig } from '../core/config.ts';
import { IngestError, type IngestResult, ingestFiles } from '../core/ingest/ingest.ts';
import type { HeaderFlags } from '../core/ingest/read-document.ts';
import { parseArgs } from './args.ts';

const USAGE = `usage: npm run ingest -- [--data DIR] [--title T --publisher P --date YYYY-MM-DD --url U --kind K] FILE...
  FILE is in the corpus format (key: value header, blank line, paragraphs) or plain text;
  for plain text, give --title, --publisher, --date and --kind (official|news|response|analysis).`;

const FLAGS = ['title', 'publisher', 'date', 'url', 'kind'] as const;

function describe(r: Extract<IngestResult, { ok: true }>): string {
  const byType = new Map<string, number>();
  for (const c of r.drafts) byType.set(c.type, (byType.get(c.type) ?? 0) + 1);
  const types = [...byType].map(([t, n]) => `${t} ${n}`).join(', ');
  return `added ${r.id}: ${r.sourceFile}, ${r.claimsFile} (${r.drafts.length} draft claims${types ? `: ${types}` : ''})`;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2), FLAGS);
  } catch (e) {
    console.error(`ingest: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help || args.rest.length === 0) {
    (args.help ? console.log : console.error)(USAGE);
    return args.help ? 0 : 2;
  }
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
    if (r.ok) console.log(describe(r));
    else console.error(r.error);
  }
  const added = results.filter((r) => r.ok).length;
  if (added > 0) {
    console.log(
      `${added} document(s) added. Drafts are marked "draft": true; review them, fix or delete each, and remove "draft" and "rule" from those you keep.`,
    );
  }
  return added === results.length ? 0 : 1;
}

process.exitCode = await main();
