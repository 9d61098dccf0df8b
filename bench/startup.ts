/**
 * `npm run bench:startup [-- --runs N] [--data DIR]`: startup to first answer as the outside scorer
 * meets it: wall clock from spawning what `npm run ask` runs (`node scripts/run.mjs src/cli/ask.ts
 * --json QUESTION`) to the answer arriving on stdout. Three figures:
 * - cold: the first run after a code change, with no index snapshot: the launcher rebuilds the
 *   bundle and the index is built and saved;
 * - warm: the median of N runs with the bundle and the snapshot in place, the usual case;
 * - tsx: the median of N runs of the same entry through tsx (as `npm run ask` ran before), with
 *   the same warm snapshot, so the difference is compiled JavaScript against tsx alone.
 * Run from the repository root. The snapshot goes to a temporary DB_PATH directory, not var/.
 * Prints the figures, then one JSON line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../src/cli/args.ts';
import { percentile } from './measure.ts';

const QUESTION = 'Who is Moscow backing?';
const root = process.cwd();
const launcher = path.join(root, 'scripts', 'run.mjs');
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const entry = path.join('src', 'cli', 'ask.ts');
// The launcher's record of what the ask bundle was built from (scripts/run.mjs); without it the
// next run rebuilds, while the old bundle stays in place for anyone running it meanwhile.
const manifest = path.join(root, '.cache', 'threatdesk', 'src', 'cli', 'ask.mjs.inputs.json');

/** Milliseconds from spawn to the first output, and to the exit. */
interface Run {
  answerMs: number;
  exitMs: number;
}

/** Spawns node with `argv` and times it; rejects unless it exits 0 having printed a found answer. */
function timeRun(argv: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let answerMs: number | undefined;
    let out = '';
    let err = '';
    const child = spawn(process.execPath, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      answerMs ??= performance.now() - started;
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const exitMs = performance.now() - started;
      let found = false;
      try {
        found = (JSON.parse(out) as { found?: unknown }).found === true;
      } catch {}
      if (code === 0 && found && answerMs !== undefined) resolve({ answerMs, exitMs });
      else reject(new Error(`startup: node ${argv.join(' ')} exited ${code}; stdout ${out.trim()} ${err.trim()}`));
    });
  });
}

const median = (runs: Run[], key: keyof Run) =>
  Math.round(
    percentile(
      runs.map((r) => r[key]),
      50,
    ),
  );

const args = parseArgs(process.argv.slice(2), ['runs']);
const count = Number(args.flags.runs ?? 5);
if (!Number.isInteger(count) || count < 1) {
  console.error('startup: --runs takes a whole number of runs, e.g. --runs 5');
  process.exit(2);
}
if (!fs.existsSync(launcher)) {
  console.error(`startup: run it from the repository root (no ${launcher})`);
  process.exit(2);
}
const askArgs = [entry, '--json', '--data', path.resolve(args.data ?? 'data'), QUESTION];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-startup-'));
const env = { ...process.env, DB_PATH: path.join(tmp, 'threatdesk.db'), NO_COLOR: '1' };
try {
  fs.rmSync(manifest, { force: true });
  const cold = await timeRun([launcher, ...askArgs], env);
  const warm: Run[] = [];
  for (let i = 0; i < count; i++) warm.push(await timeRun([launcher, ...askArgs], env));
  const tsx: Run[] = [];
  for (let i = 0; i < count; i++) tsx.push(await timeRun([tsxCli, ...askArgs], env));
  const result = {
    runs: count,
    coldMs: Math.round(cold.answerMs),
    warmMs: median(warm, 'answerMs'),
    warmExitMs: median(warm, 'exitMs'),
    tsxMs: median(tsx, 'answerMs'),
    warmRunsMs: warm.map((r) => Math.round(r.answerMs)),
  };
  console.log(
    `startup to first answer (spawn to answer on stdout, npm run ask): cold ${result.coldMs} ms (bundle and index built), warm ${result.warmMs} ms (median of ${count}; exit at ${result.warmExitMs} ms), through tsx ${result.tsxMs} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
