/**
 * The suites `npm run eval` and `npm run fit` score, from their command line: `--data DIR` (else
 * DATA_DIR from the environment or `.env`) and `--sets DIR` (else `../shared/eval`, else `eval/`).
 */
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
  return { prepared: prepareSuites({ dataDir, setsDir }), dataDir, setsDir };
}
