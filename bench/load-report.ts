/**
 * The load test's report: tables per phase (what the generator saw, what the bot did), the seconds
 * around the slowest acknowledgement, the verdict, and the closing JSON line.
 */
import os from 'node:os';
import { type BotSide, type PhaseResult, round } from './load-stats.ts';

export interface ReportInput {
  phases: PhaseResult[];
  bot: ReadonlyMap<string, BotSide>;
  apiCalls: ReadonlyMap<string, number>;
  botLog: readonly string[];
  profileNotes: readonly string[];
  /** What-if flags in force; the figures are then not the adapter as shipped. */
  experiments: readonly string[];
}

/** Acknowledgements slower than this get their seconds shown. */
const SLOW_MS = 500;

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const orDash = (value: number | undefined) => (value === undefined ? '-' : value);

/** Why the run failed, one line per phase and reason; empty when it passed. */
export function failuresOf(phases: readonly PhaseResult[], expectedPhases: number): string[] {
  const failures: string[] = [];
  for (const p of phases) {
    if (p.acked < p.requests) failures.push(`${p.name}: ${p.requests - p.acked} not acknowledged with 200`);
    if (p.answered < p.requests) failures.push(`${p.name}: ${p.requests - p.answered} answers lost`);
    if (p.errors > 0) failures.push(`${p.name}: ${p.errors} requests with errors`);
  }
  if (phases.length < expectedPhases) failures.push('not every phase ran');
  return failures;
}

/** The readable report. */
export function formatReport(input: ReportInput): string[] {
  const { phases, bot } = input;
  const out: string[] = [
    `Slack endpoint under load: ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
      `load average now ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ...(input.experiments.length
      ? [`EXPERIMENT ${input.experiments.join(' ')}: the bot was changed by this script; not the adapter as shipped`]
      : []),
    '',
    table(
      [
        'phase',
        'requests',
        'acked 200',
        'errors',
        '>3 s',
        'ack p50',
        'p95',
        'p99',
        'max',
        'answered',
        'answer p50',
        'p99',
        'max',
      ],
      phases.map((p) => [
        p.name,
        p.requests,
        p.acked,
        p.errors,
        p.late,
        p.ack.p50,
        p.ack.p95,
        p.ack.p99,
        p.ack.max,
        p.answered,
        p.answer.p50,
        p.answer.p99,
        p.answer.max,
      ]),
    ),
    '(ms, measured by the generator: from sending a request to its acknowledgement, and to its answer at its response_url)',
    '',
    table(
      [
        'generator',
        'sent/s',
        'send lag p99',
        'max',
        'connections',
        'max in flight',
        'CPU ms',
        'waited for CPU ms',
        'wrong',
        'ephemeral',
        'doubled',
      ],
      phases.map((p) => [
        p.name,
        p.sendRate,
        p.lag.max === 0 ? '-' : p.lag.p99,
        p.lag.max === 0 ? '-' : p.lag.max,
        p.connections,
        p.maxInFlight,
        p.generatorCpuMs,
        orDash(p.generatorRunQueueMs),
        p.wrongAnswers,
        p.ephemeral,
        p.duplicates,
      ]),
    ),
    '',
    table(
      [
        'bot process',
        'CPU ms',
        'CPU/req',
        'loop busy',
        'loop delay p99',
        'max',
        'waited for CPU ms',
        'core runs',
        'core p50',
        'p99',
        'max',
        'core share',
        'answered before last ack',
        'other processes',
      ],
      phases.map((p) => {
        const b = bot.get(p.name);
        if (!b) return [p.name, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];
        const others =
          b.machineCpuMs === undefined
            ? '-'
            : `${round(Math.max(0, b.machineCpuMs - b.cpuMs - p.generatorCpuMs) / Math.max(1, b.wallMs))} CPUs`;
        return [
          p.name,
          b.cpuMs,
          round(b.cpuMs / Math.max(1, p.requests)),
          `${Math.round(b.loopBusy * 100)}%`,
          b.loopDelayP99Ms,
          b.loopDelayMaxMs,
          orDash(b.runQueueMs),
          b.core.count,
          b.core.p50,
          b.core.p99,
          b.core.max,
          `${Math.round((b.core.totalMs / Math.max(1, b.cpuMs)) * 100)}%`,
          orDash(b.answeredBeforeLastAck),
          others,
        ];
      }),
    ),
    '(core = command.run, the answering; the rest of the bot’s CPU is Bolt, HTTP, signature checks, rendering and',
    ' axios posting to response_url. waited for CPU = the event loop was runnable but no core was free (Linux',
    ' schedstat). answered before last ack = commands the core answered before the burst’s last acknowledgement',
    ' arrived: work the queued acknowledgements waited behind. other processes = cores used by everything but',
    ' the bot and the generator, on average.)',
  ];
  for (const p of phases) {
    const slowest = bot.get(p.name)?.slowest ?? [];
    if (slowest.length)
      out.push(`slowest core runs, ${p.name}: ${slowest.map((s) => `${s.ms} ms ${s.line}`).join('; ')}`);
  }
  for (const p of phases) out.push('', ...aroundTheWorst(p, bot.get(p.name)));
  out.push(
    '',
    `Web API stand-in calls: ${[...input.apiCalls].map(([m, n]) => `${m} ×${n}`).join(', ') || 'none'}`,
    `bot log lines: ${input.botLog.length}${input.botLog.length ? `\n  ${[...new Set(input.botLog)].slice(0, 10).join('\n  ')}` : ''}`,
  );
  for (const p of phases) if (p.problems.length) out.push(`problems, ${p.name}:\n  ${p.problems.join('\n  ')}`);
  out.push(...input.profileNotes);
  return out;
}

/**
 * The seconds from just before the slowest acknowledgement's request was sent until it was
 * acknowledged: what the generator sent and saw, and what the bot and the machine were doing.
 */
function aroundTheWorst(p: PhaseResult, b: BotSide | undefined): string[] {
  // The worst second: the one with the most requests not acknowledged, else the slowest acknowledgement.
  const badness = (s: PhaseResult['timeline'][number]) => s.failed * 1e9 + s.ackMaxMs;
  const worst = p.timeline.reduce<PhaseResult['timeline'][number] | undefined>(
    (w, s) => (!w || badness(s) > badness(w) ? s : w),
    undefined,
  );
  if (!worst || (worst.failed === 0 && worst.ackMaxMs < SLOW_MS)) {
    return [`${p.name}: every acknowledgement took less than ${SLOW_MS} ms`];
  }
  const first = p.timeline[0]?.second ?? worst.second;
  const from = Math.max(first, worst.second - 1);
  const waited = worst.failed > 0 ? 10_000 : worst.ackMaxMs;
  const to = Math.min(from + 7, worst.second + Math.ceil(waited / 1000));
  const rows: (string | number)[][] = [];
  for (let second = from; second <= to; second++) {
    const g = p.timeline.find((s) => s.second === second);
    const s = b?.samples.find((x) => x.second === second);
    // A sample spans more than a second when the bot's event loop was blocked past the sampling tick.
    const span = s && s.durationMs > 1_200 ? ` (${round(s.durationMs / 1000)} s)` : '';
    rows.push([
      `+${second - first} s${span}`,
      g?.sent ?? 0,
      g?.failed ?? 0,
      g && g.sent > g.failed ? g.ackMaxMs : '-',
      s ? `${s.cpuPct}%` : '-',
      s ? `${s.loopBusyPct}%` : '-',
      s ? s.loopMaxMs : '-',
      s ? orDash(s.runQueueMs) : '-',
      s ? orDash(s.machineCpus) : '-',
    ]);
  }
  return [
    worst.failed > 0
      ? `${p.name}: the seconds around the most requests not acknowledged (${worst.failed} sent in one second)`
      : `${p.name}: the seconds around the slowest acknowledgement (${worst.ackMaxMs} ms)`,
    table(
      [
        'second',
        'sent',
        'not acked',
        'slowest ack of those',
        'bot CPU',
        'loop busy',
        'loop delay max',
        'waited for CPU ms',
        'machine CPUs busy',
      ],
      rows,
    ),
  ];
}

/** The closing JSON line's object. */
export function jsonSummary(phases: readonly PhaseResult[]): { phases: Record<string, string | number>[] } {
  return {
    phases: phases.map((p) => ({
      name: p.name,
      requests: p.requests,
      acked: p.acked,
      errors: p.errors,
      ackP50Ms: p.ack.p50,
      ackP95Ms: p.ack.p95,
      ackP99Ms: p.ack.p99,
      ackMaxMs: p.ack.max,
      answered: p.answered,
      answerP50Ms: p.answer.p50,
      answerP99Ms: p.answer.p99,
      late: p.late,
      wrongAnswers: p.wrongAnswers,
      sendRate: p.sendRate,
    })),
  };
}
