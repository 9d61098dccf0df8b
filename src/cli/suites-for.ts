/**
 * The suites `npm run eval` and `npm run fit` score, from their command line: `--data DIR` (else
 * DATA_DIR from the environment or `.env`) and `--sets DIR` (else `../shared/eval`, else `eval/`),
 * with the repository's own sets in `eval/extra` beside the default ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDotenv, readConfig } from '../core/config.ts';
import { defaultSetsDir, type PreparedSuites, prepareSuites } from '../eval/suites.ts';
import type { CliArgs } from './args.ts';

/**
 * @example const { prepared, dataDir, setsDir } = await suitesFor(parseArgs(argv, ['sets']));
 */
export async function suitesFor(
  args: Pick<CliArgs, 'data' | 'flags'>,
): Promise<{ prepared: PreparedSuites; dataDir: string; setsDir: string }> {
  await loadDotenv();
  // `npm run` runs scripts in the repository's root, whatever directory it was typed in.
  const dataDir = args.data ?? readConfig().DATA_DIR;
  const setsDir = args.flags.sets ?? defaultSetsDir(process.cwd());
  // The repository's own sets join the default ones; `--sets DIR` scores that directory alone.
  const extra = path.resolve(process.cwd(), 'eval', 'extra');
  const extraSetsDir = args.flags.sets === undefined && fs.existsSync(extra) ? extra : undefined;
  return { prepared: prepareSuites({ dataDir, setsDir, extraSetsDir }), dataDir, setsDir };
}
