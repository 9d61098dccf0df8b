/**
 * Several instances of the bot on one PostgreSQL store (a throwaway server on 127.0.0.1): they
 * share the outbox without sending a row twice, record a data change they all notice once, and
 * take over the rows of an instance killed mid-delivery once its lease runs out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { type AnswerEngine, createAnswerEngine } from '../../../src/core/answer/engine.ts';
import type { Corpus } from '../../../src/core/corpus/corpus.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { serveLiveData } from '../../../src/updates/serve-live-data.ts';
import type { SharedStore } from '../../../src/updates/store/shared-store.ts';
import { createUpdateService, type UpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import { addAssessment, copyData, originFor, RecordingSender, repoRoot } from './fixtures.ts';
import { NEW, openFor, postgresBackend, type StoreTarget, shipped } from './service-setup.ts';

const pg = postgresBackend();
const leaseChild = fileURLToPath(new URL('./lease-child.ts', import.meta.url));

/** An instance: a store of its own on the shared database, and a service with its own senders. */
async function instance(
  target: StoreTarget,
  corpus: Corpus,
  extra: { claimLimit?: number; leaseMs?: number; engine?: () => AnswerEngine; sendMs?: number } = {},
) {
  const { sendMs, ...options } = extra;
  const shared = await openFor(target);
  const sending = () => pause(sendMs ?? Math.random() * 3);
  const slack = new RecordingSender('slack', sending);
  const discord = new RecordingSender('discord', sending);
  const logs: string[] = [];
  const engine = createAnswerEngine(corpus);
  const service = createUpdateService({
    store: shared.subscriptions,
    senders: [slack, discord],
    engine: () => engine,
    batchWindowMs: 0,
    log: (message) => logs.push(message),
    ...options,
  });
  onTestFinished(() => service.stop());
  return { shared, service, slack, discord, logs, delivered: () => [...slack.delivered, ...discord.delivered] };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs rounds on every service at once until the outbox has nothing pending. */
async function drain(store: SharedStore, services: readonly UpdateService[]): Promise<number> {
  for (let rounds = 1; rounds <= 100; rounds++) {
    await Promise.all(services.map((s) => s.runOnce()));
    if ((await store.subscriptions.outboxCounts()).pending === 0) return rounds;
  }
  throw new Error('test: the outbox did not drain in 100 rounds');
}

describe('several instances on one PostgreSQL store', () => {
  it('two instances racing on one outbox deliver each row exactly once', async () => {
    const target = await pg.fresh();
    const next = loadCorpus(grownDir());
    // Small claims, so that both instances take part in every round.
    const a = await instance(target, next, { claimLimit: 7 });
    const b = await instance(target, next, { claimLimit: 7 });
    const channels = Array.from({ length: 40 }, (_, i) => originFor(i % 2 ? 'slack' : 'discord', `C${i}`));
    for (const c of channels) await a.shared.subscriptions.subscribe(c, null);
    // The new source only: one row per channel, so each message is one row and carries its key.
    const source = diffCorpus(shipped, next).filter((u) => u.kind === 'source');
    expect(await a.service.record(source)).toEqual({ updates: 1, rows: 40 });

    await drain(a.shared, [a.service, b.service]);
    const all = [...a.delivered(), ...b.delivered()];
    expect(a.delivered().length).toBeGreaterThan(0);
    expect(b.delivered().length).toBeGreaterThan(0);
    expect(all).toHaveLength(40);
    expect(new Set(all.map((d) => `${d.target.platform}/${d.target.channel}`)).size).toBe(40);
    expect(new Set(all.map((d) => d.options.idempotencyKey)).size).toBe(40);
    expect(all.every((d) => d.options.maybeSent === false)).toBe(true);
    expect(await b.shared.subscriptions.outboxCounts()).toEqual({ pending: 0, sent: 40, failed: 0 });
  });

  it('instances starting together catch up once, and a data change every instance notices is announced once', async () => {
    const target = await pg.fresh();
    const dir = copyData();
    const initial = loadCorpus(dir);
    // Each instance has its runtime, as `npm start` does: notifications cite from its engine in service.
    const runtimes = [0, 1].map(() => createRuntime(createAnswerEngine(initial), commands));
    const a = await instance(target, initial, { engine: runtimes[0]!.engine });
    const b = await instance(target, initial, { engine: runtimes[1]!.engine });
    await a.shared.subscriptions.subscribe(originFor('slack', 'all'), null);
    await a.shared.subscriptions.subscribe(originFor('discord', 'ru'), 'russia');
    await a.shared.subscriptions.subscribe(originFor('discord', 'cn'), 'china');
    const caught = await Promise.all([a.service.catchUp(initial), b.service.catchUp(initial)]);
    expect(caught[0].updates + caught[1].updates).toBe(initial.sources.size + initial.claims.length);
    expect(caught[0].rows + caught[1].rows).toBe(0);

    // Each instance watches the same data directory, as `npm start` does, and records what it sees.
    const reloads: string[] = [];
    const watches = [a, b].map((bot, i) => {
      const live = serveLiveData({
        dir,
        runtime: runtimes[i]!,
        updates: bot.service,
        onReload: () => reloads.push(i === 0 ? 'a' : 'b'),
        onError: (e) => reloads.push(`error: ${e.message}`),
      });
      onTestFinished(() => live.stop());
      return live;
    });
    addAssessment(dir, NEW, ['russia']);
    for (let waited = 0; !(reloads.includes('a') && reloads.includes('b')); waited += 25) {
      if (waited > 15_000) throw new Error(`test: both instances did not reload (${reloads.join(', ')})`);
      await pause(25);
    }
    await Promise.all(watches.map((w) => w.idle()));
    expect(reloads.filter((r) => r.startsWith('error'))).toEqual([]);
    // A source and one Russia claim: the all-updates channel gets both rows, the Russia one both.
    expect(await a.shared.subscriptions.outboxCounts()).toEqual({ pending: 4, sent: 0, failed: 0 });

    await drain(a.shared, [a.service, b.service]);
    const all = [...a.delivered(), ...b.delivered()];
    expect(all.map((d) => d.target.channel).sort()).toEqual(['all', 'ru']);
    for (const d of all) expect(d.reply.text).toMatch(/^1 new source and 1 new claim/);
    // A later start of either instance finds nothing new.
    const again = await Promise.all([a.service.catchUp(loadCorpus(dir)), b.service.catchUp(loadCorpus(dir))]);
    expect(again).toEqual([
      { updates: 0, rows: 0 },
      { updates: 0, rows: 0 },
    ]);
  });

  it('a round that outlasts its lease renews it: another instance running rounds meanwhile takes nothing', async () => {
    const target = await pg.fresh();
    const next = loadCorpus(grownDir());
    const slow = await instance(target, next, { leaseMs: 300, sendMs: 1_000 });
    const other = await instance(target, next, { leaseMs: 300 });
    for (const c of ['C1', 'C2', 'C3']) await slow.shared.subscriptions.subscribe(originFor('slack', c), null);
    const source = diffCorpus(shipped, next).filter((u) => u.kind === 'source');
    await slow.service.record(source);

    const round = slow.service.runOnce();
    await pause(50);
    // Over three leases' time, the other instance keeps trying.
    for (let i = 0; i < 10; i++) {
      expect((await other.service.runOnce()).messages).toBe(0);
      await pause(100);
    }
    expect((await round).messages).toBe(3);
    expect(other.delivered()).toEqual([]);
    expect(slow.logs.filter((l) => l.includes('taken over') || l.includes('lease'))).toEqual([]);
    expect(await slow.shared.subscriptions.outboxCounts()).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('an instance that stops hands the rows it held to another at once, not as a take-over', async () => {
    const target = await pg.fresh();
    const next = loadCorpus(grownDir());
    const a = await instance(target, next);
    const b = await instance(target, next);
    await a.shared.subscriptions.subscribe(originFor('slack', 'C1'), null);
    const source = diffCorpus(shipped, next).filter((u) => u.kind === 'source');
    await a.shared.subscriptions.recordUpdates(source, { at: Date.now(), dueAt: Date.now() + 300 });
    // A claims the row in its batch window, so holds it (for a whole 60 s lease) without sending.
    expect((await a.service.runOnce()).messages).toBe(0);
    await pause(400);
    expect((await b.service.runOnce()).messages).toBe(0);
    await a.service.stop();
    expect((await b.service.runOnce()).messages).toBe(1);
    expect(a.delivered()).toEqual([]);
    expect(b.slack.delivered.map((d) => [d.target.channel, d.options.maybeSent])).toEqual([['C1', false]]);
  });

  it('rows of an instance killed mid-delivery go out from another once its lease runs out, with the same keys and maybeSent', async () => {
    const LEASE_MS = 1_500;
    const target = await pg.fresh();
    const dataDir = grownDir();
    const next = loadCorpus(dataDir);
    const b = await instance(target, next, { leaseMs: LEASE_MS });
    for (const c of ['d1', 'd2', 'd3']) await b.shared.subscriptions.subscribe(originFor('discord', c), null);
    expect(await b.service.record(diffCorpus(shipped, next))).toEqual({ updates: 3, rows: 9 });

    const child = startLeaseChild(target.where, dataDir, LEASE_MS);
    const sending = (await child.lines((lines) => lines.filter(isSend).length >= 3)).filter(isSend);
    const started = Date.now();
    const childKeys = new Map(sending.map((l) => [l.sending, l]));
    expect([...childKeys.keys()].sort()).toEqual(['d1', 'd2', 'd3']);
    for (const l of childKeys.values()) expect(l.maybeSent).toBe(false);

    // While the child lives (its send hangs past a whole lease), it renews the lease: B gets nothing.
    await pause(LEASE_MS * 1.5);
    expect((await b.service.runOnce()).messages).toBe(0);
    child.process.kill('SIGKILL');
    await child.exited;
    expect((await b.service.runOnce()).messages).toBe(0);

    let waited = 0;
    while (b.discord.delivered.length < 3 && waited < 10_000) {
      await b.service.runOnce();
      await pause(50);
      waited += 50;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS * 1.5);
    expect(b.discord.delivered.map((d) => d.target.channel).sort()).toEqual(['d1', 'd2', 'd3']);
    for (const d of b.discord.delivered) {
      expect(d.options.idempotencyKey).toBe(childKeys.get(d.target.channel)?.key);
      expect(d.options.maybeSent).toBe(true);
    }
    expect(await b.shared.subscriptions.outboxCounts()).toEqual({ pending: 0, sent: 9, failed: 0 });
    expect(b.logs.filter((l) => l.includes('took over'))).toEqual([
      'updates: took over 9 deliveries whose lease another instance let expire (it stopped or hung)',
    ]);
  }, 30_000);
});

/** A copy of the shipped data with one new source and its Russia and Iran claims. */
function grownDir(): string {
  const dir = copyData();
  addAssessment(dir, NEW, ['russia', 'iran']);
  return dir;
}

type SendLine = { sending: string; key: string; maybeSent: boolean };
type ChildLine = { ready: string } | SendLine;
const isSend = (l: ChildLine): l is SendLine => 'sending' in l;

/** Starts lease-child.ts; `lines` waits until the lines printed so far satisfy `enough`. */
function startLeaseChild(url: string, dataDir: string, leaseMs: number) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', leaseChild, url, dataDir, String(leaseMs)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const printed: ChildLine[] = [];
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      printed.push(JSON.parse(out.slice(0, nl)) as ChildLine);
      out = out.slice(nl + 1);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    exited,
    async lines(enough: (lines: ChildLine[]) => boolean): Promise<ChildLine[]> {
      for (let waited = 0; !enough(printed); waited += 25) {
        if (waited > 20_000 || child.exitCode !== null) {
          throw new Error(`test: lease-child printed ${JSON.stringify(printed)}; stderr: ${err}`);
        }
        await pause(25);
      }
      return printed;
    },
  };
}
