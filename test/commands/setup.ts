/**
 * Shared setup for command tests: the real corpus from data/, the real answer engine, a plain
 * terminal context, the real shared store on a SQLite file in a temp directory, and an in-memory
 * SubscriptionRegistry for the adapter tests, where storage is not what is tested.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createAnswerEngine } from '../../src/core/answer/engine.ts';
import type { AnyCommand, CommandContext, Origin } from '../../src/core/commands/define-command.ts';
import { respondToLine } from '../../src/core/commands/respond.ts';
import { runCommand } from '../../src/core/commands/run-command.ts';
import { paragraphOf } from '../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../src/core/corpus/load-corpus.ts';
import type { Citation, Reply } from '../../src/core/reply.ts';
import type { SharedStore } from '../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../src/updates/store/sqlite-shared-store.ts';
import type { Subscription, SubscriptionRegistry } from '../../src/updates/subscriptions/registry.ts';

export const dataDir = fileURLToPath(new URL('../../data', import.meta.url));
export const corpus = loadCorpus(dataDir);
export const engine = createAnswerEngine(corpus);
export const origin: Origin = { platform: 'terminal', workspace: 'local', channel: 'c1', user: 'tester' };

export type Context = Omit<CommandContext<unknown>, 'options'>;

export function makeContext(extra: Partial<Context> = {}): Context {
  return { engine, origin, commands, ...extra };
}

export const context = makeContext();

/** The registered command of that name (fails the test if missing). */
export function command(name: string): AnyCommand {
  const found = commands.find((c) => c.name === name);
  if (!found) throw new Error(`test: no command /${name}`);
  return found;
}

/** Runs a command by name with raw options, as an adapter would. */
export function run(name: string, options: Record<string, unknown> = {}, ctx: Context = context): Promise<Reply> {
  return runCommand(command(name), options, ctx);
}

/** Runs one typed line, as the terminal would. */
export function line(text: string, ctx: Context = context): Promise<Reply> {
  return respondToLine(text, ctx);
}

/** `<source>#<n>` */
export const keyOf = (c: { source: string; paragraph: number }) => `${c.source}#${c.paragraph}`;

const rawSources = new Map<string, string>();
function rawSource(id: string): string {
  let raw = rawSources.get(id);
  if (raw === undefined) {
    raw = fs.readFileSync(path.join(dataDir, 'sources', `${id}.txt`), 'utf8');
    rawSources.set(id, raw);
  }
  return raw;
}

/** A citation is its whole paragraph exactly as published, with its source's details. */
export function expectVerbatim(c: Citation): void {
  const p = paragraphOf(corpus, c.source, c.paragraph);
  expect(p, `paragraph ${keyOf(c)} exists`).toBeDefined();
  expect(c.text).toBe(p?.text);
  expect(rawSource(c.source)).toContain(c.text);
  const s = corpus.sources.get(c.source);
  expect({ title: c.title, publisher: c.publisher, date: c.date, url: c.url }).toEqual({
    title: s?.title,
    publisher: s?.publisher,
    date: s?.date,
    url: s?.url,
  });
}

/**
 * The shared store on a fresh SQLite file in a temp directory, its clock at 2025-01-02T03:04:05Z;
 * closed and removed when the test ends.
 */
export async function openTestStore(): Promise<SharedStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-cmd-'));
  const store = await openSqliteSharedStore(path.join(dir, 'threatdesk.db'), {
    now: () => Date.parse('2025-01-02T03:04:05Z'),
  });
  onTestFinished(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** Subscriptions kept in memory: the same contract as the shared store's, nothing more. */
export class MemorySubscriptions implements SubscriptionRegistry {
  readonly rows: Subscription[] = [];

  async subscribe(o: Origin, actor: string | null): Promise<boolean> {
    if (this.index(o, actor) >= 0) return false;
    this.rows.push({
      platform: o.platform,
      workspace: o.workspace,
      channel: o.channel,
      actor,
      createdBy: o.user,
      createdAt: '2025-01-02T03:04:05.000Z',
      pausedReason: null,
    });
    return true;
  }

  async unsubscribe(o: Origin, actor: string | null): Promise<boolean> {
    const i = this.index(o, actor);
    if (i < 0) return false;
    this.rows.splice(i, 1);
    return true;
  }

  async list(o: Pick<Origin, 'platform' | 'workspace' | 'channel'>): Promise<Subscription[]> {
    return this.rows.filter((r) => sameChannel(r, o));
  }

  private index(o: Origin, actor: string | null): number {
    return this.rows.findIndex((r) => sameChannel(r, o) && r.actor === actor);
  }
}

function sameChannel(a: Pick<Origin, 'platform' | 'workspace' | 'channel'>, b: typeof a): boolean {
  return a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;
}
