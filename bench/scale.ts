/**
 * `npm run bench:scale [-- --targets N] [--instances N] [--post-delay MS] [--timeout S]
 * [--source FILE] [--sqlite | --pg] [--no-kill] [--hide-metadata] [--keep]`: delivery of one
 * update to many Slack channels by several bot instances on one PostgreSQL database, one of them
 * killed mid-delivery, against one instance on SQLite. Everything runs on this machine and talks to
 * 127.0.0.1 only. `--hide-metadata` makes the stand-in leave metadata out of
 * conversations.history, so the senders' check before re-posting finds nothing: the duplicates it
 * then counts are what that check prevents. `--keep` leaves each run's temp directory (data copy,
 * instance logs) in place.
 *
 * Each run:
 * 1. copies `data/` to a temp directory and starts a loopback Slack stand-in
 *    (`scale-slack-stand-in.ts`) that answers chat.postMessage after `--post-delay` ms;
 * 2. starts the instances as `npm start` runs them (`scale-instance.ts`), each with its own Slack
 *    token and port, the same DATA_DIR, an empty feeds list, and either DATABASE_URL (a throwaway
 *    PostgreSQL from `throwaway-postgres.ts`) or DB_PATH (SQLite);
 * 3. once they are up, subscribes `--targets` Slack channels through the store API, then adds one
 *    document to the data directory as `npm run ingest` does; every instance's watcher sees it;
 * 4. in the PostgreSQL run (unless `--no-kill`), once 15 % of the channels have their message,
 *    SIGKILLs the instance that has posted most;
 * 5. waits until no outbox row is pending (or `--timeout` seconds after the document was added),
 *    then counts the stand-in's posts per channel.
 *
 * Output: progress on stderr; on stdout a summary line per run, then one JSON line per run, the
 * PostgreSQL run last: `{"instances":3,"targets":200,"delivered":N,"duplicates":N,"lost":N,
 * "seconds":S,"perSecond":R}`. `delivered` counts channels that got the message at least once,
 * `duplicates` the posts that repeat an earlier one to their channel (see `tallyPosts`), `lost` the
 * channels that got nothing.
 * `seconds` runs from writing the document to the last channel's first message (to the end of
 * waiting when some were lost), so it includes the data watcher's debounce and the 2 s batch
 * window; `perSecond` is delivered / seconds. Exits 1 when a channel was lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, runCli, UsageError } from '../src/cli/args.ts';
import type { Origin } from '../src/core/commands/define-command.ts';
import { ingestTexts } from '../src/updates/ingest/ingest.ts';
import { openPgStore } from '../src/updates/store/pg-store.ts';
import type { SharedStore } from '../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../src/updates/store/sqlite-shared-store.ts';
import { type BotInstance, startInstance } from './scale-instance.ts';
import { type PostedMessage, type SlackStandIn, startSlackStandIn } from './scale-slack-stand-in.ts';
import { freePort, startThrowawayPostgres } from './throwaway-postgres.ts';

const root = process.cwd();
const WORKSPACE = 'T0BENCH01';
const SIGNING_SECRET = 'bench-scale-signing-secret-0a1b2c3d4e5f';
const DEFAULT_SOURCES = path.join(root, '..', 'shared', 'eval', 'unseen', 'sources');

/** The JSON line a run ends with; its keys and their order are the bench's contract. */
export interface ScaleResult {
  instances: number;
  targets: number;
  delivered: number;
  duplicates: number;
  lost: number;
  seconds: number;
  perSecond: number;
}

/** Settings of one run. */
interface RunSettings {
  store: 'sqlite' | 'postgres';
  instances: number;
  targets: number;
  postDelayMs: number;
  timeoutMs: number;
  /** SIGKILL one instance mid-delivery. */
  kill: boolean;
  /** The stand-in leaves metadata out of conversations.history (the check before re-posting sees nothing). */
  hideMetadata: boolean;
  /** Keep the temp directory (data copy, instance logs, SQLite file) for a look afterwards. */
  keep: boolean;
  source: { name: string; text: string };
}

/** What the summary line says beyond the JSON. */
interface RunDetail {
  result: ScaleResult;
  store: RunSettings['store'];
  killed?: { name: string; afterPosts: number; atSeconds: number };
  firstPostSeconds: number | null;
  settledSeconds: number | null;
  outbox: { pending: number; sent: number; failed: number };
  byInstance: Record<string, number>;
  /** conversations.history calls: an instance checking whether a message went out before. */
  historyChecks: number;
  /** Resident memory of each instance still running at the end, MiB. */
  rssMB: Record<string, number>;
}

const progress = (line: string) => process.stderr.write(`bench:scale: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Set by SIGINT or SIGTERM: the cleanup they start then ends the process. */
let interrupted: Promise<void> | undefined;

/** Cleanup steps, run last-registered first, each at most once, whatever fails. */
class Cleanup {
  private steps: { name: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | undefined;
  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }
  /** Runs the steps; a call while they run waits for the same run, so steps keep their order. */
  runAll(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
  private async drain(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        progress(`cleanup: ${step.name} failed: ${(error as Error).message}`);
      }
    }
  }
}

/**
 * Counts posts to the target channels. A post repeats an earlier one to its channel when it carries
 * the same metadata payload (the delivery's idempotency key) or the same text: either alone could
 * miss a repeat (a retry that batched the rows differently has another key; the same rows rendered
 * after a data change have another text).
 *
 * @example tallyPosts(posts, ['C1', 'C2']) // { delivered: 2, duplicates: 0, lost: 0 }
 */
export function tallyPosts(
  posts: readonly PostedMessage[],
  targets: readonly string[],
): { delivered: number; duplicates: number; lost: number } {
  const seen = new Map<string, Set<string>>();
  let duplicates = 0;
  const targetSet = new Set(targets);
  for (const p of posts) {
    if (!targetSet.has(p.channel)) continue;
    const before = seen.get(p.channel) ?? new Set<string>();
    seen.set(p.channel, before);
    const marks = [`text:${p.text}`];
    if (p.metadata?.event_payload) marks.push(`key:${JSON.stringify(p.metadata.event_payload)}`);
    if (marks.some((m) => before.has(m))) duplicates++;
    for (const m of marks) before.add(m);
  }
  return { delivered: seen.size, duplicates, lost: targets.length - seen.size };
}

/** The candidate documents: every `.txt` in a directory, or the one file given. */
function pickSource(fileOrDir: string): { name: string; text: string }[] {
  const stat = fs.statSync(fileOrDir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`--source ${fileOrDir} does not exist`);
  const files = stat.isDirectory()
    ? fs
        .readdirSync(fileOrDir)
        .filter((f) => f.endsWith('.txt'))
        .sort()
        .map((f) => path.join(fileOrDir, f))
    : [fileOrDir];
  return files.map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') }));
}

async function openStore(settings: RunSettings, dbPath: string, url: string | undefined): Promise<SharedStore> {
  if (settings.store === 'postgres') return openPgStore(url as string, { pool: { max: 4 } });
  return openSqliteSharedStore(dbPath);
}

/** Polls until `check` is true; false after `timeoutMs`. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (interrupted) throw new Error('bench:scale: interrupted');
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

async function runScale(settings: RunSettings, cleanup: Cleanup): Promise<RunDetail> {
  const label = `${settings.instances} instance(s) on ${settings.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}`;
  progress(`${label}: setting up`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-scale-'));
  if (settings.keep) progress(`${label}: keeping ${tmp} (data, instance logs)`);
  else cleanup.add(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const dataDir = path.join(tmp, 'data');
  fs.cpSync(path.join(root, 'data'), dataDir, { recursive: true });
  const feedsFile = path.join(tmp, 'feeds.json');
  fs.writeFileSync(feedsFile, '[]\n');

  const targets = Array.from({ length: settings.targets }, (_, i) => `C0BENCH${String(i + 1).padStart(5, '0')}`);
  const targetSet = new Set(targets);
  const instances: BotInstance[] = [];
  let ingestedAt = Number.NaN;
  let killed: RunDetail['killed'];
  const killAfter = Math.max(1, Math.floor(settings.targets * 0.15));
  const delivering = new Set<string>();
  const slack: SlackStandIn = await startSlackStandIn({
    postDelayMs: settings.postDelayMs,
    hideMetadata: settings.hideMetadata,
    onPost: (post) => {
      if (!targetSet.has(post.channel)) return;
      delivering.add(post.channel);
      if (!settings.kill || killed || delivering.size < killAfter) return;
      // The instance that has posted most is the one holding the leases worth losing.
      const counts = new Map<string, number>();
      for (const p of slack.posts) counts.set(p.token, (counts.get(p.token) ?? 0) + 1);
      const victim = [...instances].sort((a, b) => (counts.get(b.token) ?? 0) - (counts.get(a.token) ?? 0))[0];
      if (!victim) return;
      victim.crash();
      killed = {
        name: victim.name,
        afterPosts: slack.posts.length,
        atSeconds: round((performance.now() - ingestedAt) / 1000, 2),
      };
      progress(`${label}: SIGKILL ${victim.name} (pid ${victim.pid}) after ${slack.posts.length} posts`);
    },
  });
  cleanup.add('close the Slack stand-in', () => slack.close());

  let databaseUrl: string | undefined;
  if (settings.store === 'postgres') {
    // Registered before it is up: a signal during start-up waits for the start, then stops it.
    const starting = startThrowawayPostgres();
    cleanup.add('stop PostgreSQL', async () => (await starting.catch(() => undefined))?.stop());
    databaseUrl = await (await starting).createDatabase('threatdesk_scale');
  }

  const ports: number[] = [];
  for (let i = 1; i <= settings.instances; i++) {
    const home = path.join(tmp, `bot-${i}`);
    fs.mkdirSync(home);
    const port = await freePort();
    ports.push(port);
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      DB_PATH: path.join(home, 'threatdesk.db'),
      FEEDS_FILE: feedsFile,
      SLACK_BOT_TOKEN: `xoxb-bench-${i}-0000000000-scale`,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(port),
      SLACK_API_URL: slack.apiUrl,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    const bot = startInstance({ name: `bot-${i}`, root, env, logFile: path.join(tmp, `bot-${i}.log`) });
    instances.push(bot);
    cleanup.add(`stop ${bot.name}`, () => bot.stop());
  }
  // The Slack receiver listens just before the instance catches up and starts watching the data.
  await Promise.all(instances.map((b, i) => b.waitForPort(ports[i] as number, 120_000)));
  progress(`${label}: every instance listens`);

  // On SQLite the one instance's DB_PATH is the store; on PostgreSQL each DB_PATH directory only
  // holds that instance's index snapshot.
  const store = await openStore(settings, path.join(tmp, 'bot-1', 'threatdesk.db'), databaseUrl);
  cleanup.add('close the store', () => store.close());
  // Each instance records the corpus at start (catchUp) before watching the data directory.
  const caughtUp = await waitUntil(async () => (await store.subscriptions.recordedKeys()).size > 0, 60_000);
  if (!caughtUp) throw new Error(`bench:scale: ${label}: the store holds no recorded updates 60 s after start`);
  await sleep(1_500); // the watchers start right after catchUp

  for (const channel of targets) {
    const origin: Origin = { platform: 'slack', workspace: WORKSPACE, channel, user: 'U0BENCHUSER' };
    await store.subscriptions.subscribe(origin, null);
  }
  progress(`${label}: ${targets.length} channels subscribed`);

  ingestedAt = performance.now();
  const added = ingestTexts([settings.source], { dataDir });
  const result = added[0];
  if (!result?.ok)
    throw new Error(`bench:scale: could not add ${settings.source.name}: ${result?.error ?? 'no result'}`);
  progress(`${label}: added ${result.id} (${result.drafts.length} draft claims)`);

  const fannedOut = await waitUntil(async () => {
    const c = await store.subscriptions.outboxCounts();
    return c.pending + c.sent + c.failed > 0;
  }, 30_000);
  if (!fannedOut) {
    progress(
      `${label}: no outbox rows 30 s after the document was added: the instances did not record it in this store (do they read ${settings.store === 'postgres' ? 'DATABASE_URL' : 'DB_PATH'}?)`,
    );
  }
  const remaining = settings.timeoutMs - (performance.now() - ingestedAt);
  const settled =
    fannedOut &&
    (await waitUntil(
      async () => (await store.subscriptions.outboxCounts()).pending === 0,
      Math.max(0, remaining),
      250,
    ));
  const settledAt = performance.now();
  await sleep(500); // a post still on the wire lands in the tally
  const outbox = await store.subscriptions.outboxCounts();
  if (fannedOut && !settled) progress(`${label}: ${outbox.pending} outbox rows still pending at the timeout`);

  const tally = tallyPosts(slack.posts, targets);
  const firstPosts = new Map<string, number>();
  for (const p of slack.posts)
    if (targetSet.has(p.channel) && !firstPosts.has(p.channel)) firstPosts.set(p.channel, p.at);
  const times = [...firstPosts.values()];
  const endAt = tally.lost === 0 && times.length > 0 ? Math.max(...times) : settledAt;
  const seconds = round((endAt - ingestedAt) / 1000, 2);
  const rssMB: Record<string, number> = {};
  for (const bot of instances) {
    const rss = bot.rssMB();
    if (rss !== null) rssMB[bot.name] = rss;
  }
  const byInstance: Record<string, number> = {};
  for (const bot of instances) byInstance[bot.name] = slack.posts.filter((p) => p.token === bot.token).length;
  if (slack.unknown.size > 0) progress(`${label}: unknown Slack methods called: ${[...slack.unknown].join(', ')}`);
  const detail: RunDetail = {
    store: settings.store,
    result: {
      instances: settings.instances,
      targets: settings.targets,
      delivered: tally.delivered,
      duplicates: tally.duplicates,
      lost: tally.lost,
      seconds,
      perSecond: seconds > 0 ? round(tally.delivered / seconds, 1) : 0,
    },
    firstPostSeconds: times.length > 0 ? round((Math.min(...times) - ingestedAt) / 1000, 2) : null,
    settledSeconds: settled ? round((settledAt - ingestedAt) / 1000, 2) : null,
    outbox,
    byInstance,
    historyChecks: slack.calls.get('conversations.history') ?? 0,
    rssMB,
    ...(killed ? { killed } : {}),
  };
  if (settings.kill && !killed)
    progress(`${label}: no instance was killed (delivery ended before ${killAfter} channels)`);
  for (const bot of instances) {
    if (bot.exited() && bot.name !== killed?.name) {
      progress(`${label}: ${bot.name} exited on its own; its log ends:\n${bot.log().slice(-2000)}`);
    }
  }
  await cleanup.runAll();
  return detail;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function summary(d: RunDetail): string {
  const r = d.result;
  const parts = [
    `${r.instances} instance(s) on ${d.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${r.targets} Slack channels`,
    `delivered ${r.delivered}, duplicates ${r.duplicates}, lost ${r.lost}`,
    `${r.seconds} s from adding the document to the last channel's message (${r.perSecond}/s)`,
    `first message at ${d.firstPostSeconds ?? '-'} s, outbox settled at ${d.settledSeconds ?? 'never'} s`,
    `posts by instance ${Object.entries(d.byInstance)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    d.killed ? `${d.killed.name} SIGKILLed at ${d.killed.atSeconds} s after ${d.killed.afterPosts} posts` : 'no kill',
    `${d.historyChecks} conversations.history checks`,
    `memory ${Object.entries(d.rssMB)
      .map(([k, v]) => `${k} ${v} MiB`)
      .join(', ')}`,
    `outbox sent ${d.outbox.sent}, failed ${d.outbox.failed}, pending ${d.outbox.pending}`,
  ];
  return parts.join('; ');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ['targets', 'instances', 'post-delay', 'timeout', 'source'], {
    json: false,
    data: false,
    switches: ['sqlite', 'pg', 'no-kill', 'hide-metadata', 'keep'],
    metavars: { targets: 'N', instances: 'N', 'post-delay': 'MS', timeout: 'S', source: 'FILE' },
  });
  if (args.help) {
    console.log(
      'usage: npm run bench:scale -- [--targets N] [--instances N] [--post-delay MS] [--timeout S] [--source FILE] [--sqlite | --pg] [--no-kill] [--hide-metadata] [--keep]',
    );
    return 0;
  }
  const whole = (name: string, fallback: number, min: number) => {
    const value = Number(args.flags[name] ?? fallback);
    if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} takes a whole number from ${min}`);
    return value;
  };
  const targets = whole('targets', 200, 1);
  const instances = whole('instances', 3, 2);
  const postDelayMs = whole('post-delay', 30, 0);
  const timeoutMs = whole('timeout', 180, 10) * 1000;
  const only = args.switches.includes('sqlite') ? 'sqlite' : args.switches.includes('pg') ? 'pg' : undefined;
  if (args.switches.includes('sqlite') && args.switches.includes('pg')) {
    throw new UsageError('give --sqlite or --pg, not both (neither runs both)');
  }
  if (!fs.existsSync(path.join(root, 'scripts', 'run.mjs'))) throw new UsageError('run it from the repository root');

  // The document: the first candidate the shipped data does not hold yet.
  const candidates = pickSource(args.flags.source ?? DEFAULT_SOURCES);
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-scale-probe-'));
  let source: { name: string; text: string } | undefined;
  try {
    fs.cpSync(path.join(root, 'data'), probe, { recursive: true });
    source = candidates.find((c) => ingestTexts([c], { dataDir: probe })[0]?.ok);
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
  if (!source) throw new UsageError(`no document in ${args.flags.source ?? DEFAULT_SOURCES} can be added to data/`);

  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: cleaning up`);
    interrupted ??= cleanup.runAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runs: RunDetail[] = [];
  try {
    const common = {
      targets,
      postDelayMs,
      timeoutMs,
      source,
      hideMetadata: args.switches.includes('hide-metadata'),
      keep: args.switches.includes('keep'),
    };
    if (only !== 'pg') runs.push(await runScale({ ...common, store: 'sqlite', instances: 1, kill: false }, cleanup));
    if (only !== 'sqlite')
      runs.push(
        await runScale({ ...common, store: 'postgres', instances, kill: !args.switches.includes('no-kill') }, cleanup),
      );
  } catch (error) {
    // Interrupted: what failed is the run being torn down; the cleanup under way exits.
    if (interrupted) await interrupted;
    throw error;
  } finally {
    await cleanup.runAll();
  }
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; Slack stand-in answers chat.postMessage after ${postDelayMs} ms`,
  );
  for (const d of runs) console.log(summary(d));
  for (const d of runs) console.log(JSON.stringify(d.result));
  return runs.some((d) => d.result.lost > 0) ? 1 : 0;
}

await runCli('scale', main);
