/**
 * The load test's generator, run by bench/load.ts as a child process so that signing, sending and
 * receiving never run on the bot's event loop. It serves every request's `response_url` on
 * 127.0.0.1, sends signed slash commands to the adapter (phase 1: all at once; phase 2: on a
 * wall-clock schedule), and measures, in its own clock, each acknowledgement and each answer. Every
 * answer is compared with what the core gives for that command, so an answer delivered to the wrong
 * response_url is caught too. Talks to nothing but 127.0.0.1.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { commands } from '../commands/index.ts';
import { renderBlocks } from '../src/adapters/slack/render-blocks.ts';
import { createAnswerEngine } from '../src/core/answer/engine.ts';
import { respondToLine } from '../src/core/commands/respond.ts';
import { loadCorpus } from '../src/core/corpus/load-corpus.ts';
import { contextFor, createRuntime } from '../src/core/runtime.ts';
import { runQueueWaitMs } from './load-os.ts';
import { ALL_LINES, lineOf, type SlashLine, slashLine } from './load-questions.ts';
import {
  type GeneratorConfig,
  type PhaseResult,
  round,
  summarize,
  type ToBot,
  type ToGenerator,
} from './load-stats.ts';

const HOST = '127.0.0.1';
/** Slack shows the user an error when the acknowledgement takes longer than this. */
const SLACK_ACK_MS = 3_000;

/** One request and what happened to it; times are performance.now() in this process. */
interface Request {
  url: string;
  slash: SlashLine;
  body: string;
  /** When it was meant to be sent (paced phase only). */
  due?: number;
  sentAt?: number;
  ackAt?: number;
  status?: number;
  error?: string;
  answers: number;
  answeredAt?: number;
  answerProblem?: string;
}

/** What the core answers to a command: the response type and the plain-text fallback. */
interface Expected {
  responseType: string;
  text: string;
}

function tell(message: ToBot): void {
  process.send?.(message);
}

/** Tells the bot a phase starts and waits until it measures (its CPU, event loop, profile). */
function startPhase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: ToGenerator) => {
      if (message.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    tell({ type: 'phase-start', name });
  });
}

function note(message: string): void {
  process.stderr.write(`load: ${message}\n`);
}

/** The answers the bot should give, computed here with the same core (the bot is not warmed by it). */
async function expectedAnswers(dataDir: string): Promise<Map<string, Expected>> {
  const runtime = createRuntime(createAnswerEngine(loadCorpus(dataDir)), commands);
  const origin = { platform: 'slack' as const, workspace: 'T0THREAT1', channel: 'C0LOAD', user: 'U0LOAD' };
  const out = new Map<string, Expected>();
  for (const slash of ALL_LINES) {
    const reply = await respondToLine(lineOf(slash), contextFor(runtime, origin));
    out.set(lineOf(slash), {
      responseType: reply.ephemeral ? 'ephemeral' : 'in_channel',
      text: renderBlocks(reply).text,
    });
  }
  return out;
}

/** Serves `/respond/<phase>/<i>` for every request and records what arrives. */
async function startResponseServer(
  requests: Map<string, Request>,
  expected: Map<string, Expected>,
): Promise<{ base: string; strays: () => number; close: () => Promise<void> }> {
  let strays = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      const request = requests.get(req.url ?? '');
      if (!request) {
        strays++;
        return;
      }
      request.answers++;
      if (request.answers > 1) return;
      request.answeredAt = at;
      request.answerProblem = checkAnswer(Buffer.concat(chunks).toString('utf8'), expected.get(lineOf(request.slash)));
    });
  });
  // Longer than the bot's client keeps an idle socket (Node's default agent: 5 s), so the bot, not
  // this stand-in, closes idle connections, as with Slack, and no answer races a closing socket.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://${HOST}:${port}`,
    strays: () => strays,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Undefined when the answer is the one the core gives for the command; otherwise what is wrong. */
function checkAnswer(raw: string, expected: Expected | undefined): string | undefined {
  let body: { response_type?: unknown; text?: unknown; blocks?: unknown };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return 'answer is not JSON';
  }
  if (body.response_type === 'ephemeral') return 'ephemeral answer (an error or usage reply)';
  if (!Array.isArray(body.blocks) || body.blocks.length === 0) return 'answer has no blocks';
  if (expected && body.text !== expected.text) return 'answer differs from the core’s answer to that command';
  return undefined;
}

/** A signed, form-encoded slash command, as Slack sends it. */
function slashBody(slash: SlashLine, i: number, responseUrl: string): string {
  return new URLSearchParams({
    token: 'loadtestverificationtoken',
    team_id: 'T0THREAT1',
    team_domain: 'newsroom',
    channel_id: `C0LOAD${String(i % 20).padStart(3, '0')}`,
    channel_name: 'election-desk',
    user_id: `U0LOAD${String(i % 50).padStart(3, '0')}`,
    user_name: 'reporter',
    command: slash.command,
    text: slash.text,
    api_app_id: 'A0THREATD',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${i}.738474920.${crypto.randomBytes(8).toString('hex')}`,
  }).toString();
}

function signatureHeaders(body: string, secret: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}

interface PhasePlan {
  name: string;
  count: number;
  /** Milliseconds between sends; undefined sends every request at once. */
  intervalMs?: number;
  /** Shifts the command walk so phases do not repeat each other's sequence. */
  offset: number;
}

/** Runs one phase and reports it. */
async function runPhase(
  plan: PhasePlan,
  config: GeneratorConfig,
  base: string,
  requests: Map<string, Request>,
): Promise<PhaseResult> {
  const tag = plan.name.replace(/[^\w-]/g, '');
  const list: Request[] = [];
  for (let i = 0; i < plan.count; i++) {
    const slash = slashLine(i, plan.offset);
    const path = `/respond/${tag}/${i}`;
    const request: Request = { url: path, slash, body: slashBody(slash, i, `${base}${path}`), answers: 0 };
    requests.set(path, request);
    list.push(request);
  }
  // One agent per phase, keep-alive, enough sockets for the whole burst. Its idle timeout is below
  // the adapter's 5 s keep-alive, so a reused socket is never one the server is closing.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: Math.max(256, plan.count),
    maxFreeSockets: 256,
    timeout: 4_000,
  });
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  let settled = 0;

  const send = (request: Request, headers: Record<string, string>) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      settled++;
    };
    const req = http.request({
      host: HOST,
      port: config.port,
      path: '/slack/events',
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(request.body)),
        ...headers,
      },
    });
    request.sentAt = performance.now();
    req.on('socket', (s) => sockets.add(s));
    req.setTimeout(config.ackTimeoutMs, () =>
      req.destroy(new Error(`no acknowledgement within ${config.ackTimeoutMs} ms`)),
    );
    req.on('response', (res) => {
      request.status = res.statusCode;
      res.resume();
      res.on('end', () => {
        request.ackAt = performance.now();
        finish();
      });
      res.on('error', (error) => {
        request.error = error.message;
        finish();
      });
    });
    req.on('error', (error) => {
      request.error = error.message;
      finish();
    });
    req.end(request.body);
  };

  await startPhase(plan.name);
  const cpuAtStart = process.cpuUsage();
  const runQueueAtStart = runQueueWaitMs();
  if (plan.intervalMs === undefined) {
    // Signed first, then sent in one synchronous loop: all requests are in flight at once.
    const signed = list.map((r) => signatureHeaders(r.body, config.secret));
    for (let i = 0; i < list.length; i++) send(list[i] as Request, signed[i] as Record<string, string>);
  } else {
    const interval = plan.intervalMs;
    const start = performance.now() + 20;
    list.forEach((r, i) => {
      r.due = start + i * interval;
    });
    await new Promise<void>((resolve) => {
      let next = 0;
      const tick = () => {
        const now = performance.now();
        // Everything due by now goes out, so a late timer catches up instead of shifting the schedule.
        while (next < list.length && (list[next]?.due ?? 0) <= now) {
          const r = list[next++] as Request;
          send(r, signatureHeaders(r.body, config.secret));
        }
        if (next >= list.length || Date.now() > config.deadline) return resolve();
        setTimeout(tick, Math.max(0, (list[next]?.due ?? now) - performance.now()));
      };
      tick();
    });
  }
  const sent = list.filter((r) => r.sentAt !== undefined);
  const lastSend = Math.max(...sent.map((r) => r.sentAt as number));
  const firstSend = Math.min(...sent.map((r) => r.sentAt as number));

  // Acknowledgements (each request times out on its own), then answers.
  const answerDeadline = () => Math.min(config.deadline, Date.now() + config.answerWaitMs);
  let until = answerDeadline();
  while (settled < sent.length && Date.now() < until) await sleep(10);
  until = answerDeadline();
  while (sent.some((r) => r.answers === 0) && Date.now() < until) await sleep(10);
  // A moment more to catch a second post to the same response_url.
  await sleep(250);
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  const runQueueAtEnd = runQueueWaitMs();
  tell({ type: 'phase-end', name: plan.name });

  const problems = new Map<string, number>();
  const problem = (what: string) => problems.set(what, (problems.get(what) ?? 0) + 1);
  let errors = 0;
  let late = 0;
  for (const r of list) {
    const issues: string[] = [];
    if (r.sentAt === undefined) issues.push('not sent before the deadline');
    else if (r.error) issues.push(`no acknowledgement: ${r.error}`);
    else if (r.status !== 200) issues.push(`acknowledged with HTTP ${r.status}`);
    else if ((r.ackAt as number) - r.sentAt > SLACK_ACK_MS) {
      late++;
      issues.push('acknowledged after 3 s (Slack would show the user a timeout)');
    }
    if (r.sentAt !== undefined && r.answers === 0) issues.push('no answer at its response_url');
    if (r.answerProblem) issues.push(r.answerProblem);
    if (r.answers > 1) issues.push('answered more than once');
    if (issues.length > 0) errors++;
    for (const i of issues) problem(i);
  }
  const acked = list.filter((r) => r.status === 200 && !r.error);
  const answered = list.filter((r) => r.answeredAt !== undefined);
  const spanS = (lastSend - firstSend) / 1000;
  return {
    name: plan.name,
    requests: list.length,
    acked: acked.length,
    errors,
    late,
    ack: summarize(acked.map((r) => (r.ackAt as number) - (r.sentAt as number))),
    answered: answered.length,
    answer: summarize(answered.map((r) => (r.answeredAt as number) - (r.sentAt as number))),
    wrongAnswers: list.filter((r) => r.answerProblem?.startsWith('answer differs')).length,
    ephemeral: list.filter((r) => r.answerProblem?.startsWith('ephemeral')).length,
    duplicates: list.filter((r) => r.answers > 1).length,
    sendSeconds: round(spanS),
    sendRate: spanS > 0 ? round((sent.length - 1) / spanS) : sent.length,
    lag: summarize(
      list
        .filter((r) => r.due !== undefined && r.sentAt !== undefined)
        .map((r) => (r.sentAt as number) - (r.due as number)),
    ),
    maxInFlight,
    connections: sockets.size,
    generatorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    generatorRunQueueMs:
      runQueueAtStart === undefined || runQueueAtEnd === undefined
        ? undefined
        : Math.round(runQueueAtEnd - runQueueAtStart),
    timeline: timelineOf(sent),
    lastAckEpochMs:
      plan.intervalMs === undefined && acked.length
        ? performance.timeOrigin + Math.max(...acked.map((r) => r.ackAt as number))
        : undefined,
    problems: [...problems].map(([what, n]) => `${n} × ${what}`).slice(0, 10),
  };
}

/**
 * Requests grouped by the wall-clock second they were sent in: how many, how many were not
 * acknowledged with 200, and the slowest acknowledgement among the others.
 */
function timelineOf(sent: readonly Request[]): PhaseResult['timeline'] {
  const seconds = new Map<number, PhaseResult['timeline'][number]>();
  for (const r of sent) {
    const second = Math.floor((performance.timeOrigin + (r.sentAt as number)) / 1000);
    const entry = seconds.get(second) ?? { second, sent: 0, failed: 0, ackMaxMs: 0 };
    entry.sent++;
    if (r.status === 200 && !r.error && r.ackAt !== undefined) {
      entry.ackMaxMs = Math.max(entry.ackMaxMs, round(r.ackAt - (r.sentAt as number)));
    } else entry.failed++;
    seconds.set(second, entry);
  }
  return [...seconds.values()].sort((a, b) => a.second - b.second);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function run(config: GeneratorConfig, dataDir: string): Promise<void> {
  const started = performance.now();
  const expected = await expectedAnswers(dataDir);
  note(
    `generator ready: expected answers for ${expected.size} commands in ${Math.round(performance.now() - started)} ms`,
  );
  const requests = new Map<string, Request>();
  const server = await startResponseServer(requests, expected);
  const report = (phase: PhaseResult) => tell({ type: 'phase-result', phase });
  try {
    if (config.warm > 0) {
      const warm = await runPhase(
        { name: 'warm-up', count: config.warm, intervalMs: 20, offset: 1 },
        config,
        server.base,
        requests,
      );
      note(`warm-up: ${warm.acked}/${warm.requests} acknowledged, ${warm.answered} answered (not counted)`);
    }
    note(`phase 1: ${config.burst} commands at once`);
    report(
      await runPhase({ name: `burst ${config.burst}`, count: config.burst, offset: 0 }, config, server.base, requests),
    );
    await sleep(500);
    if (Date.now() > config.deadline) throw new Error('the deadline passed before phase 2');
    note(`phase 2: ${config.rate} commands/s for ${config.seconds} s`);
    report(
      await runPhase(
        {
          name: `${config.rate}/s for ${config.seconds} s`,
          count: config.rate * config.seconds,
          intervalMs: 1000 / config.rate,
          offset: 3,
        },
        config,
        server.base,
        requests,
      ),
    );
    if (server.strays() > 0) note(`${server.strays()} posts arrived at an unknown response_url`);
  } finally {
    await server.close();
  }
  tell({ type: 'done' });
}

let finished = false;
// The bot process went away: nothing is left to report to.
process.on('disconnect', () => process.exit(finished ? 0 : 1));
process.once('message', (message: ToGenerator) => {
  if (message.type !== 'start') return;
  const dataDir = process.argv[2] ?? 'data';
  run(message.config, dataDir).then(
    () => {
      finished = true;
      process.disconnect();
    },
    (error: unknown) => {
      tell({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.disconnect();
    },
  );
});
