/**
 * `npm run bench [-- --sizes 1000,10000,100000] [--per-kind 50] [--keep]`: how cost grows with the
 * corpus. For the shipped corpus and for generated corpora of each size (in a temporary directory),
 * each phase runs in its own process (bench/run-phase.ts, through scripts/run.mjs as `npm start`
 * runs the bot) so peak memory is per phase. Prints a
 * table, the targets checked on the largest size, and ends with one JSON line (the contract in docs/design.md).
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTargets, formatReadyParts, formatTable, jsonLine, type SizeResult } from './report.ts';
import type { PhaseArgs } from './run-phase.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** No phase may run longer than this; a size that needs more is reported, not waited for. */
const PHASE_TIMEOUT_MS = 10 * 60_000;

function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

const sizes = (option('sizes') ?? '1000,10000,100000').split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000)) {
  console.error('bench: --sizes takes paragraph counts from 1 to 1000000, comma-separated, e.g. 1000,100000');
  process.exit(2);
}
const perKind = Number(option('per-kind') ?? 50);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-bench-'));

function lastJson(r: SpawnSyncReturns<string>): Record<string, unknown> {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

function node(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: PHASE_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Phases run as `npm start` runs the bot: through `scripts/run.mjs`, from the esbuild bundle of our
 * code. Under tsx each phase would also hold the TypeScript loader (about 30 MB) that the bot never
 * loads. `bundle()` builds it once, before any phase is measured.
 */
const RUN = path.join(root, 'scripts', 'run.mjs');
const PHASE_ENTRY = path.join(root, 'bench', 'run-phase.ts');

function bundle(): void {
  const r = node([RUN, PHASE_ENTRY, 'bundle', '{}']);
  if (r.status !== 0) throw new Error(`bench: cannot build the phases' bundle: ${r.stderr.trim().split('\n').pop()}`);
}

/** Runs one phase in a child process; its JSON result, or an error naming what went wrong. */
function phase(name: string, args: PhaseArgs, errors: string[]): Record<string, unknown> {
  const started = performance.now();
  process.stderr.write(`bench: ${path.basename(args.dir)}: ${name}… `);
  const r = node(['--expose-gc', RUN, PHASE_ENTRY, name, JSON.stringify(args)]);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  process.stderr.write(`${seconds} s\n`);
  if (r.error || r.status !== 0) {
    const why = r.error?.message.includes('ETIMEDOUT')
      ? `timed out after ${PHASE_TIMEOUT_MS / 60_000} min`
      : r.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${r.status}`;
    errors.push(`${name}: ${why}`);
    return {};
  }
  return lastJson(r);
}

function measure(label: string, dir: string, paragraphs?: number): SizeResult {
  const started = performance.now();
  const errors: string[] = [];
  const snapshot = path.join(tmp, `${label}.index`);
  const args: PhaseArgs = { dir, snapshot, perKind, baseDir: path.join(root, 'data') };
  if (paragraphs) phase('generate', { ...args, paragraphs }, errors);
  const build = phase('build', args, errors) as Partial<SizeResult> & { rssMB?: number };
  const serve = errors.length ? {} : (phase('serve', args, errors) as Partial<SizeResult> & { rssMB?: number });
  const mini = phase('minisearch', args, errors) as Partial<SizeResult>;
  return {
    ...build,
    ...serve,
    ...mini,
    label,
    paragraphs: build.paragraphs ?? paragraphs ?? 0,
    buildRssMB: build.rssMB,
    serveRssMB: serve.rssMB,
    wallS: Math.round((performance.now() - started) / 1000),
    errors,
  };
}

/** Startup to first answer with the shipped corpus, as `npm run ask` starts (bench/startup.ts). */
function startup(): { coldMs: number; warmMs: number; tsxMs: number; runs: number } | undefined {
  const r = node(['--import', 'tsx', path.join(root, 'bench', 'startup.ts'), '--runs', '3']);
  if (r.status !== 0) return undefined;
  return lastJson(r) as { coldMs: number; warmMs: number; tsxMs: number; runs: number };
}

try {
  bundle();
  const start = startup();
  const shipped = measure('shipped (data/)', path.join(root, 'data'));
  const generated = sizes.map((n) => measure(String(n), path.join(tmp, String(n)), n));
  const cpus = os.cpus();
  console.log(
    `\nthreatdesk bench · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · node ${process.version} · load average ${os.loadavg()[0]?.toFixed(1)}`,
  );
  console.log(`(times in ms; ${perKind} questions of each of 13 kinds; ready = snapshot read to first answer)\n`);
  console.log(formatTable([shipped, ...generated]));
  console.log(`\n${formatReadyParts([shipped, ...generated])}`);
  console.log(
    `\nshipped corpus: answer p99 ${shipped.answerP99Ms} ms, ${shipped.warmP99Ms} ms on a second pass (target < 5); startup to first answer from spawn ${start ? `${start.warmMs} ms (median of ${start.runs}; cold ${start.coldMs} ms, through tsx ${start.tsxMs} ms)` : 'failed'} (target < 1000)`,
  );
  const largest = generated[generated.length - 1];
  if (largest) {
    console.log(`\ntargets on ${largest.label} paragraphs:\n${checkTargets(largest).join('\n')}`);
  }
  for (const r of [shipped, ...generated]) {
    for (const e of r.errors) console.log(`error (${r.label}): ${e}`);
    if (r.wallS > 300) console.log(`note: ${r.label} took ${r.wallS} s (over 5 minutes)`);
  }
  console.log(jsonLine(generated));
} finally {
  if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
  else console.error(`bench: kept ${tmp}`);
}
