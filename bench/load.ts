/**
 * `npm run bench:load [-- --burst 200 --rate 100 --seconds 30 --warm 0 --profile PREFIX]`: a load test
 * of the real Slack HTTP endpoint on loopback (docs/load.md). `--defer-answers` and
 * `--preload-wordnet` are what-if experiments (see below), not the adapter as shipped.
 *
 * This process is the bot: the real adapter (Bolt's HTTPReceiver on 127.0.0.1, port 0, a random
 * signing secret) over a Runtime built from the shipped corpus, with SLACK_API_URL pointing at a
 * Web API stand-in served here. The load generator runs in a child process (bench/load-generator.ts)
 * so that signing, sending, and receiving the answers at each response_url never take the bot's
 * event loop: on one thread they would inflate the latencies measured. Phase 1 sends 200 signed
 * slash commands at once, phase 2 100 per second for 30 s on a wall-clock schedule. Bounded: hard
 * stop after 120 s, loopback only. Prints a table and ends with one JSON line; exits 1 when a
 * request was not acknowledged with 200 within Slack's 3 s, or an answer was lost, wrong or doubled.
 */
import { type ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands/index.ts';
import { createSlackAdapter } from '../src/adapters/slack/slack-adapter.ts';
import { createAnswerEngine } from '../src/core/answer/engine.ts';
import type { AnyCommand } from '../src/core/commands/define-command.ts';
import { loadCorpus } from '../src/core/corpus/load-corpus.ts';
import { createRuntime } from '../src/core/runtime.ts';
import { machineCpuMs, runQueueWaitMs } from './load-os.ts';
import { summarizeProfile } from './load-profile.ts';
import { failuresOf, formatReport, jsonSummary } from './load-report.ts';
import {
  type BotSample,
  type BotSide,
  type PhaseResult,
  round,
  summarize,
  type ToBot,
  type ToGenerator,
} from './load-stats.ts';

const HOST = '127.0.0.1';
const HARD_STOP_MS = 120_000;
/** When this process started (epoch ms): the hard stop counts from here. */
const startedAt = performance.timeOrigin;
const root = fileURLToPath(new URL('..', import.meta.url));

/** `--name value` as a bounded integer. */
function intOption(name: string, fallback: number, min: number, max: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench:load: --${name} takes a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

const burst = intOption('burst', 200, 1, 1000);
const rate = intOption('rate', 100, 1, 300);
const seconds = intOption('seconds', 30, 1, 60);
const warm = intOption('warm', 0, 0, 500);
const profileIndex = process.argv.indexOf('--profile');
/** Each phase's CPU profile of the bot goes to `<prefix>-<phase>.cpuprofile` (Chrome DevTools opens it). */
const profilePrefix = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;
if (profileIndex >= 0 && !profilePrefix) {
  console.error('bench:load: --profile takes a file prefix, e.g. --profile /tmp/load');
  process.exit(2);
}

/**
 * What-if experiments, off by default and named in the report: they change the bot this script
 * builds (never src/) to measure what a fix in the adapter would gain.
 * --defer-answers: commands are answered one at a time, each after a turn of the event loop
 *   (setImmediate), as if the adapter queued answers instead of answering inside the request's turn:
 *   requests that arrive meanwhile are acknowledged between two answers.
 * --preload-wordnet: WordNet is loaded before the adapter starts instead of by the first question
 *   with a word the corpus lacks.
 */
const deferAnswers = process.argv.includes('--defer-answers');
const preloadWordnet = process.argv.includes('--preload-wordnet');
const experiments = [deferAnswers ? '--defer-answers' : '', preloadWordnet ? '--preload-wordnet' : ''].filter(Boolean);

const note = (message: string) => process.stderr.write(`load: ${message}\n`);

// ---------------------------------------------------------------------------------------------
// The Web API stand-in (SLACK_API_URL): slash commands never call it, but the adapter checks its
// token with auth.test at start-up, and any chat.postMessage would show here.
const apiCalls = new Map<string, number>();
const api = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const method = new URL(req.url ?? '/', `http://${HOST}`).pathname.replace(/^\/api\//, '');
    apiCalls.set(method, (apiCalls.get(method) ?? 0) + 1);
    const body =
      method === 'auth.test'
        ? { ok: true, user_id: 'U0BOTUSER', bot_id: 'B0THREATD', team_id: 'T0THREAT1', user: 'threatdesk' }
        : method === 'chat.postMessage' || method === 'chat.postEphemeral'
          ? { ok: true, ts: `${Date.now() / 1000}` }
          : { ok: false, error: 'unknown_method' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
await new Promise<void>((resolve) => api.listen(0, HOST, resolve));
const apiUrl = `http://${HOST}:${(api.address() as AddressInfo).port}/api/`;

// ---------------------------------------------------------------------------------------------
// The bot: the shipped corpus, the real engine and commands (each command's run timed), the real
// adapter. Nothing is warmed up: phase 1 meets the bot as it is right after start-up.
const bootStart = performance.now();
const engine = createAnswerEngine(loadCorpus(path.join(root, 'data')));
/** Each command the core ran in the current phase: what, when it started (epoch ms), how long. */
let coreRuns: { line: string; startEpoch: number; ms: number }[] = [];
/** With --defer-answers: the answers waiting their turn. */
let answerQueue: Promise<unknown> = Promise.resolve();
const timedCommands: AnyCommand[] = commands.map((command) => ({
  ...command,
  run: (context) => {
    const timedRun = () => {
      const start = performance.now();
      const done = () => {
        const options = JSON.stringify(context.options);
        coreRuns.push({
          line: `/${command.name} ${options === '{}' ? '' : options}`,
          startEpoch: performance.timeOrigin + start,
          ms: performance.now() - start,
        });
      };
      const out = command.run(context);
      if (out instanceof Promise) return out.finally(done);
      done();
      return out;
    };
    if (!deferAnswers) return timedRun();
    // One answer at a time, each after a turn of the event loop, so requests that arrive in the
    // meantime are acknowledged between answers.
    const turn = answerQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(timedRun);
    answerQueue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  },
}));
if (preloadWordnet) {
  const start = performance.now();
  engine.wordnet();
  note(`--preload-wordnet: WordNet loaded in ${Math.round(performance.now() - start)} ms`);
}
const runtime = createRuntime(engine, timedCommands);
const botLog: string[] = [];
const secret = crypto.randomBytes(24).toString('hex');
const adapter = createSlackAdapter({
  runtime,
  config: {
    botToken: 'xoxb-0000000000-0000000000000-loadtesttoken0000000000',
    signingSecret: secret,
    port: 0,
    host: HOST,
    apiUrl,
  },
  log: (message, error) => botLog.push(error === undefined ? message : `${message} ${String(error)}`),
});
const { port } = await adapter.start();
if (!port) throw new Error('bench:load: the adapter did not report its port');
note(`bot ready in ${Math.round(performance.now() - bootStart)} ms on ${HOST}:${port}, Web API stand-in at ${apiUrl}`);

// ---------------------------------------------------------------------------------------------
// What the bot process measures on itself, per phase.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let phaseStart:
  | {
      elu: ReturnType<typeof performance.eventLoopUtilization>;
      cpu: NodeJS.CpuUsage;
      at: number;
      machine?: number;
      runQueue?: number;
    }
  | undefined;
const botSide = new Map<string, BotSide>();
let profiler: Session | undefined;

/** Per-second samples of the bot while a phase runs: CPU, event loop, waiting for a CPU, the machine. */
let samples: BotSample[] = [];
let sampler: NodeJS.Timeout | undefined;
const secondDelay = monitorEventLoopDelay({ resolution: 5 });

function startSampling(): void {
  samples = [];
  let last = {
    at: Date.now(),
    cpu: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    runQueue: runQueueWaitMs(),
    machine: machineCpuMs(),
  };
  secondDelay.reset();
  secondDelay.enable();
  const take = () => {
    const now = {
      at: Date.now(),
      cpu: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      runQueue: runQueueWaitMs(),
      machine: machineCpuMs(),
    };
    const durationMs = Math.max(1, now.at - last.at);
    const cpu = process.cpuUsage(last.cpu);
    samples.push({
      second: Math.floor(last.at / 1000),
      durationMs,
      cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / durationMs) * 100),
      loopBusyPct: Math.round(performance.eventLoopUtilization(now.elu, last.elu).utilization * 100),
      // The histogram records a block only when its own timer next fires, which may be after this
      // tick; this tick's own lateness is a block the sample surely contains.
      loopMaxMs: round(Math.max(secondDelay.max / 1e6, durationMs - 1000)),
      runQueueMs:
        now.runQueue === undefined || last.runQueue === undefined
          ? undefined
          : Math.round(now.runQueue - last.runQueue),
      machineCpus:
        now.machine === undefined || last.machine === undefined
          ? undefined
          : round((now.machine - last.machine) / durationMs),
    });
    secondDelay.reset();
    last = now;
  };
  // Aligned to wall-clock seconds, as the generator's timeline is.
  sampler = setTimeout(
    () => {
      take();
      sampler = setInterval(take, 1000);
    },
    1000 - (Date.now() % 1000),
  );
}

function stopSampling(): void {
  clearTimeout(sampler);
  clearInterval(sampler);
  secondDelay.disable();
}

async function onPhaseStart(): Promise<void> {
  coreRuns = [];
  loopDelay.reset();
  loopDelay.enable();
  phaseStart = {
    elu: performance.eventLoopUtilization(),
    cpu: process.cpuUsage(),
    at: performance.now(),
    machine: machineCpuMs(),
    runQueue: runQueueWaitMs(),
  };
  startSampling();
  if (profilePrefix) {
    if (!profiler) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
    }
    await profiler.post('Profiler.start');
  }
}

const profileNotes: string[] = [];

async function onPhaseEnd(name: string): Promise<void> {
  loopDelay.disable();
  stopSampling();
  if (!phaseStart) return;
  const runQueue = runQueueWaitMs();
  const cpu = process.cpuUsage(phaseStart.cpu);
  const elu = performance.eventLoopUtilization(phaseStart.elu);
  const ms = coreRuns.map((r) => r.ms);
  botSide.set(name, {
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    loopBusy: Math.round(elu.utilization * 1000) / 1000,
    loopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
    loopDelayMaxMs: round(loopDelay.max / 1e6),
    core: { ...summarize(ms), count: ms.length, totalMs: Math.round(ms.reduce((a, b) => a + b, 0)) },
    wallMs: Math.round(performance.now() - phaseStart.at),
    machineCpuMs: phaseStart.machine === undefined ? undefined : (machineCpuMs() ?? 0) - phaseStart.machine,
    runQueueMs:
      runQueue === undefined || phaseStart.runQueue === undefined
        ? undefined
        : Math.round(runQueue - phaseStart.runQueue),
    samples,
    runs: coreRuns.map((r) => r.startEpoch),
    slowest: [...coreRuns]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((r) => ({ line: r.line, ms: round(r.ms) })),
  });
  if (profiler && profilePrefix) {
    const { profile } = await profiler.post('Profiler.stop');
    const file = `${profilePrefix}-${name.replace(/\W+/g, '-')}.cpuprofile`;
    fs.writeFileSync(file, JSON.stringify(profile));
    profileNotes.push('', `CPU profile of the bot, ${name}: ${file}`, ...summarizeProfile(profile));
  }
}

// ---------------------------------------------------------------------------------------------
// The generator, in its own process.
let child: ChildProcess | undefined;
let finished = false;

async function shutdown(code: number): Promise<never> {
  finished = true;
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const stopped = Promise.all([
    adapter.stop(),
    new Promise<void>((resolve) => {
      api.close(() => resolve());
      api.closeAllConnections();
    }),
  ]);
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  process.exit(code);
}

/** Phases as the generator finishes them, so a hard stop can still report those. */
const completed: PhaseResult[] = [];

/** Prints the report and the JSON line for the phases completed, then stops everything. */
function finish(stopReason?: string): Promise<never> {
  finished = true;
  const failures = [...(stopReason ? [stopReason] : []), ...failuresOf(completed, 2)];
  const report = formatReport({ phases: completed, bot: botSide, apiCalls, botLog, profileNotes, experiments });
  report.push(
    '',
    failures.length
      ? `FAIL: ${failures.join('; ')}`
      : 'OK: every request acknowledged with 200 within 3 s, every answer delivered once and correct',
  );
  process.stdout.write(`${report.join('\n')}\n${JSON.stringify(jsonSummary(completed))}\n`);
  return shutdown(failures.length ? 1 : 0);
}

const hardStop = setTimeout(
  () => {
    note(`hard stop: the run passed ${HARD_STOP_MS / 1000} s`);
    void finish(`hard stop after ${HARD_STOP_MS / 1000} s`);
  },
  HARD_STOP_MS - (Date.now() - startedAt),
);

const outcome = await new Promise<string | undefined>((resolve) => {
  child = fork(path.join(root, 'bench', 'load-generator.ts'), [path.join(root, 'data')], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Handled in order: a phase's profile is written before the results are reported.
  let handled = Promise.resolve();
  let done = false;
  child.on('message', (message: ToBot) => {
    if (message.type === 'phase-start') {
      handled = handled.then(onPhaseStart).then(() => {
        const go: ToGenerator = { type: 'go' };
        child?.send(go);
      });
    } else if (message.type === 'phase-end') handled = handled.then(() => onPhaseEnd(message.name));
    else if (message.type === 'phase-result') {
      handled = handled.then(() => {
        const { phase } = message;
        const bot = botSide.get(phase.name);
        const lastAck = phase.lastAckEpochMs;
        if (bot && lastAck !== undefined) bot.answeredBeforeLastAck = bot.runs.filter((t) => t < lastAck).length;
        completed.push(phase);
      });
    } else if (message.type === 'done') {
      done = true;
      void handled.then(() => resolve(undefined));
    } else if (message.type === 'fatal') resolve(`the generator failed: ${message.message}`);
  });
  // After `done` the generator exits by itself; the messages before it may still be being handled.
  child.on('exit', (code, signal) => {
    const reason = `the generator exited (${signal ?? `code ${code}`}) before reporting`;
    if (!finished) void handled.then(() => resolve(done ? undefined : reason));
  });
  const start: ToGenerator = {
    type: 'start',
    config: {
      port,
      secret,
      burst,
      rate,
      seconds,
      warm,
      ackTimeoutMs: 10_000,
      answerWaitMs: 15_000,
      // Leaves the generator time to report before the hard stop.
      deadline: startedAt + HARD_STOP_MS - 10_000,
    },
  };
  child.send(start);
});
clearTimeout(hardStop);
if (outcome) note(outcome);
await finish(outcome);
