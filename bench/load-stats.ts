/**
 * What the load test's two processes tell each other (over the fork IPC channel), the figures each
 * phase reports, and the small helpers both sides use: nearest-rank percentiles and rounding.
 */

/** What the bot process tells the generator. */
export interface GeneratorConfig {
  /** The adapter's port on 127.0.0.1. */
  port: number;
  /** The signing secret of this run (random, never a real one). */
  secret: string;
  /** Phase 1: this many commands sent at once. */
  burst: number;
  /** Phase 2: commands per second… */
  rate: number;
  /** …for this many seconds. */
  seconds: number;
  /** Commands sent (and answered) before phase 1 and not counted; 0 runs phase 1 against a cold bot. */
  warm: number;
  /** A request not acknowledged within this long is an error (Slack gives up after 3 s). */
  ackTimeoutMs: number;
  /** After a phase's last request, how long to wait for the last answers. */
  answerWaitMs: number;
  /** Epoch ms after which the generator stops sending and reports what it has. */
  deadline: number;
}

/** One phase, as the generator measured it. */
export interface PhaseResult {
  name: string;
  requests: number;
  /** Acknowledged with HTTP 200. */
  acked: number;
  /** Requests with any problem: not acknowledged with 200, or a wrong, error or duplicate answer. */
  errors: number;
  /** Acknowledged, but after Slack's 3 s. */
  late: number;
  ack: Summary;
  /** Requests whose response_url received an answer. */
  answered: number;
  answer: Summary;
  /** Answers whose text differs from what the core gives for that command. */
  wrongAnswers: number;
  /** Answers shown only to the asker (errors, usage hints): none are expected. */
  ephemeral: number;
  /** A response_url that received more than one post. */
  duplicates: number;
  /** First send to last send, seconds. */
  sendSeconds: number;
  /** Requests sent per second over that span. */
  sendRate: number;
  /** How late the generator sent requests against their wall-clock schedule (phase 2). */
  lag: Summary;
  /** Most requests awaiting their acknowledgement at one time. */
  maxInFlight: number;
  /** TCP connections the generator opened to the adapter. */
  connections: number;
  /** CPU time of the generator process during the phase (user + system), ms. */
  generatorCpuMs: number;
  /** How long the generator's event loop waited for a CPU during the phase, ms (Linux). */
  generatorRunQueueMs?: number;
  /** When the phase's last acknowledgement arrived, epoch ms (this machine's clock, as the bot's). */
  lastAckEpochMs?: number;
  /** Per wall-clock second: requests sent in it, those not acknowledged with 200, the slowest acknowledgement. */
  timeline: { second: number; sent: number; failed: number; ackMaxMs: number }[];
  /** The first few distinct problems, for the report. */
  problems: string[];
}

/** Percentiles in ms. */
export interface Summary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What the bot process measured on itself during a phase. */
export interface BotSide {
  /** CPU time of the bot process (user + system), ms. */
  cpuMs: number;
  /** Fraction of wall time the bot's event loop was busy. */
  loopBusy: number;
  /** Event-loop delay: p99 and max, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Time inside the core's command.run (answering), per command. */
  core: Summary & { count: number; totalMs: number };
  /** How long the bot's event loop waited, runnable, for a CPU during the phase, ms (Linux). */
  runQueueMs?: number;
  /** The bot's state per wall-clock second. */
  samples: BotSample[];
  /** Wall time of the phase as the bot saw it, ms. */
  wallMs: number;
  /** CPU time of the whole machine (every process) during the phase, ms; undefined without /proc/stat. */
  machineCpuMs?: number;
  /**
   * Commands the core answered before the phase's last acknowledgement arrived: under a burst, each
   * is answering work that an acknowledgement still queued had to wait behind.
   */
  answeredBeforeLastAck?: number;
  /** When each command's answering started, epoch ms. */
  runs: number[];
  /** The slowest command runs: what was asked and how long it took. */
  slowest: { line: string; ms: number }[];
}

/** `start` begins the run; `go` answers each `phase-start` once the bot is measuring. */
/** The bot over one second (or longer, when its event loop was blocked past the sampling tick). */
export interface BotSample {
  /** Epoch second the sample started in. */
  second: number;
  durationMs: number;
  /** CPU of the bot process, % of one core. */
  cpuPct: number;
  /** Event-loop utilization, %. */
  loopBusyPct: number;
  /** Longest event-loop delay in the sample, ms. */
  loopMaxMs: number;
  /** Event loop runnable but waiting for a CPU, ms. */
  runQueueMs?: number;
  /** Whole machine's CPU use, in cores (of os.cpus().length). */
  machineCpus?: number;
}

export type ToGenerator = { type: 'start'; config: GeneratorConfig } | { type: 'go' };

export type ToBot =
  | { type: 'phase-start'; name: string }
  | { type: 'phase-end'; name: string }
  | { type: 'phase-result'; phase: PhaseResult }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

/**
 * The p-th percentile (0–100), nearest rank; 0 for no samples.
 *
 * @example percentileOf([1, 2, 3, 4], 50) // 2
 */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** p50, p95, p99 and max of samples (ms, rounded). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round(percentileOf(sorted, 50)),
    p95: round(percentileOf(sorted, 95)),
    p99: round(percentileOf(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** Milliseconds to one decimal. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
