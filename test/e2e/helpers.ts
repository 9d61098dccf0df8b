/**
 * End-to-end setup for the subscription tests: a temporary DATA_DIR (a copy of data/) and DB_PATH,
 * new assessments to drop into it, and the bot wired the way src/main.ts wires it (store, runtime,
 * a platform adapter, the update service with an injected clock, the data watcher). A "restart"
 * is a stop of all of it and a start on the same files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.ts';
import { createAnswerEngine } from '../../src/core/answer/engine.ts';
import type { Corpus } from '../../src/core/corpus/corpus.ts';

import { type DataError, loadCorpus } from '../../src/core/corpus/load-corpus.ts';
import { createRuntime } from '../../src/core/runtime.ts';
import { serveLiveData } from '../../src/updates/serve-live-data.ts';
import type { SharedStore, SharedSubscriptionStore } from '../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../src/updates/store/sqlite-shared-store.ts';
import type { PlatformSender } from '../../src/updates/subscriptions/sender.ts';
import { createUpdateService, type UpdateService } from '../../src/updates/subscriptions/update-service.ts';
import { waitFor } from '../adapters/slack/harness.ts';

export { Clock } from '../updates/subscriptions/fixtures.ts';

const shippedDataDir = fileURLToPath(new URL('../../data', import.meta.url));

/** A new source document and its claims file, as a curator would add them. */
export interface Assessment {
  id: string;
  /** The source file: header, blank line, paragraphs. */
  source: string;
  claims: Record<string, unknown>[];
}

const JOINT =
  'Office of the Director of National Intelligence (ODNI), Federal Bureau of Investigation (FBI), Cybersecurity and Infrastructure Security Agency (CISA)';

/**
 * A Russia assessment written for these tests (its link points at example.org). Paragraph 1 has an
 * `&` and paragraph 2 `<and>`, which Slack must show escaped.
 */
export const RUSSIA_NEWS_SITES: Assessment = {
  id: '2025-01-10-joint-statement-russia-fake-local-news-sites',
  source: [
    'title: Joint ODNI, FBI, and CISA Statement on Russian Fake Local News Sites',
    `publisher: ${JOINT}`,
    'date: 2025-01-10',
    'url: https://www.example.org/threatdesk-test/russia-fake-local-news-sites',
    'kind: official',
    '',
    'The IC assesses that Russian influence actors built a network of websites posing as local U.S. news outlets & used them to publish fabricated articles accusing election officials in Arizona and Michigan of destroying mail-in ballots.',
    '',
    'Moscow is likely to keep using such sites through the certification of the results, to undermine confidence in the outcome <and> divide Americans.',
    '',
  ].join('\n'),
  claims: [
    {
      id: 'joint0110-russia-news-sites',
      source: '2025-01-10-joint-statement-russia-fake-local-news-sites',
      paragraph: 1,
      actor: 'russia',
      type: 'attribution',
      election: 2024,
      mentions: ['odni', 'fbi', 'cisa'],
      quote: 'Russian influence actors built a network of websites posing as local U.S. news outlets',
      summary:
        'Russia’s influence actors built fake local news websites that accused Arizona and Michigan election officials of destroying mail-in ballots.',
    },
    {
      id: 'joint0110-russia-intent',
      source: '2025-01-10-joint-statement-russia-fake-local-news-sites',
      paragraph: 2,
      actor: 'russia',
      type: 'intent',
      election: 2024,
      mentions: ['odni', 'fbi', 'cisa'],
      quote: 'Moscow is likely to keep using such sites through the certification of the results',
      summary: 'Russia is expected to keep using the sites until the results are certified.',
    },
  ],
};

/** A second Russia assessment, for the failure cases (its link points at example.org). */
export const RUSSIA_SANCTIONS: Assessment = {
  id: '2025-01-24-treasury-sanctions-russian-news-network',
  source: [
    'title: Treasury Sanctions Operators of a Russian Fake Local News Network',
    'publisher: U.S. Department of the Treasury',
    'date: 2025-01-24',
    'url: https://www.example.org/threatdesk-test/treasury-russian-news-network',
    'kind: official',
    '',
    'Today, the Department of the Treasury’s Office of Foreign Assets Control (OFAC) sanctioned two Moscow-based companies that operated a network of websites posing as local U.S. news outlets on behalf of the Russian government.',
    '',
    'The websites published fabricated articles during the 2024 U.S. election cycle, including false claims that election officials destroyed mail-in ballots.',
    '',
  ].join('\n'),
  claims: [
    {
      id: 'treasury0124-russia-sanction',
      source: '2025-01-24-treasury-sanctions-russian-news-network',
      paragraph: 1,
      actor: 'russia',
      type: 'sanction',
      election: 2024,
      mentions: ['treasury'],
      quote:
        'sanctioned two Moscow-based companies that operated a network of websites posing as local U.S. news outlets',
      summary:
        'Treasury sanctioned two Moscow-based companies that ran fake local US news websites for the Russian government.',
    },
  ],
};

/** An Iran assessment, for the resumed subscription (its link points at example.org). */
export const IRAN_SPOOFED_SITES: Assessment = {
  id: '2025-01-31-joint-statement-iran-spoofed-election-sites',
  source: [
    'title: Joint ODNI, FBI, and CISA Statement on Iranian Spoofed Election Websites',
    `publisher: ${JOINT}`,
    'date: 2025-01-31',
    'url: https://www.example.org/threatdesk-test/iran-spoofed-election-sites',
    'kind: official',
    '',
    'The IC assesses that Iranian cyber actors created websites spoofing county election offices and used them to post false notices that polling places in Pennsylvania had moved.',
    '',
    'Tehran views such operations as a low-cost way to sow doubt about the election process.',
    '',
  ].join('\n'),
  claims: [
    {
      id: 'joint0131-iran-spoofed-sites',
      source: '2025-01-31-joint-statement-iran-spoofed-election-sites',
      paragraph: 1,
      actor: 'iran',
      type: 'attribution',
      election: 2024,
      mentions: ['odni', 'fbi', 'cisa'],
      quote: 'Iranian cyber actors created websites spoofing county election offices',
      summary:
        'Iran’s cyber actors spoofed county election office websites to post false notices that Pennsylvania polling places had moved.',
    },
  ],
};

/** A temp root holding `data/` (a copy of the shipped data) and `var/threatdesk.db` (not created yet). */
export function tempWorkspace(): { dataDir: string; dbPath: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-e2e-'));
  const dataDir = path.join(root, 'data');
  fs.cpSync(shippedDataDir, dataDir, { recursive: true });
  return {
    dataDir,
    dbPath: path.join(root, 'var', 'threatdesk.db'),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Writes `text` to `rel` under `dataDir` through a temp name and a rename, as sync tools do. */
export function writeData(dataDir: string, rel: string, text: string): void {
  const file = path.join(dataDir, rel);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/** Drops a new source file and its claims file into `dataDir`. */
export function dropAssessment(dataDir: string, a: Assessment): void {
  writeData(dataDir, path.join('sources', `${a.id}.txt`), a.source);
  writeData(dataDir, path.join('claims', `${a.id}.json`), `${JSON.stringify(a.claims, null, 2)}\n`);
}

/** A running platform adapter, as far as the bot needs it. */
export interface PlatformUnderTest {
  sender: PlatformSender;
  stop(): Promise<void>;
}

export type BotRuntime = ReturnType<typeof createRuntime>;

export interface Bot {
  runtime: BotRuntime;
  store: SharedSubscriptionStore;
  service: UpdateService;
  /** Every corpus the watcher put in service, in order. */
  loaded: Corpus[];
  /** Every reload the watcher refused. */
  errors: DataError[];
  /** What the update service logged. */
  logs: string[];
  /** Shuts down as src/main.ts does: watcher, service, adapter, store. */
  stop(): Promise<void>;
}

export interface BotOptions {
  dataDir: string;
  dbPath: string;
  now: () => number;
  /** Starts the platform adapter on the bot's runtime. */
  platform(runtime: BotRuntime): Promise<PlatformUnderTest>;
}

/**
 * Starts the bot as src/main.ts does, with the service's clock and jitter injected and no delivery
 * timer: the tests drive delivery with `runOnce`.
 */
export async function startBot(options: BotOptions): Promise<Bot> {
  const shared: SharedStore = await openSqliteSharedStore(options.dbPath, { now: options.now });
  const store = shared.subscriptions;
  const runtime = createRuntime(createAnswerEngine(loadCorpus(options.dataDir)), commands, { subscriptions: store });
  let adapter: PlatformUnderTest;
  try {
    adapter = await options.platform(runtime);
  } catch (error) {
    await shared.close();
    throw error;
  }
  const logs: string[] = [];
  const service = createUpdateService({
    store,
    senders: [adapter.sender],
    engine: runtime.engine,
    now: options.now,
    random: () => 0.5,
    log: (message) => logs.push(message),
  });
  await service.catchUp(runtime.engine().corpus);
  const loaded: Corpus[] = [];
  const errors: DataError[] = [];
  const watch = serveLiveData({
    dir: options.dataDir,
    runtime,
    updates: service,
    onReload: (next) => loaded.push(next),
    onError: (error) => errors.push(error),
  });
  return {
    runtime,
    store,
    service,
    loaded,
    errors,
    logs,
    async stop() {
      watch.stop();
      await watch.idle();
      await service.stop();
      await adapter.stop();
      await shared.close();
    },
  };
}

/** Waits (at most 10 s) until the watcher has put a corpus holding claim `claimId` in service. */
export async function waitForClaim(bot: Bot, claimId: string): Promise<Corpus> {
  return waitFor(`a reload with claim ${claimId}`, () => {
    const last = bot.loaded.at(-1);
    return last?.claims.some((c) => c.id === claimId) ? last : undefined;
  });
}

/** Waits (at most 10 s) until the watcher has handled one more reload (good or refused) than `seen`. */
export async function waitForReloads(bot: Bot, seen: number): Promise<void> {
  await waitFor(`reload ${seen + 1}`, () => (bot.loaded.length + bot.errors.length > seen ? true : undefined));
}

/**
 * Runs delivery rounds until `done`, at most 10: before each, the clock moves to the latest retry
 * time of the pending rows, so backoff and Retry-After are honoured without real waiting.
 */
export async function deliverUntil(
  bot: Bot,
  clock: { t: number },
  done: () => boolean | Promise<boolean>,
): Promise<void> {
  for (let round = 0; round < 10 && !(await done()); round++) {
    const due = (await pendingRows(bot)).map((r) => r.nextAttemptAt);
    if (due.length > 0) clock.t = Math.max(clock.t, ...due);
    await bot.service.runOnce();
  }
}

/**
 * The outbox's pending rows, oldest first. On the SQLite store a claim leases nothing, so looking
 * does not keep the service from sending them.
 */
export function pendingRows(bot: Pick<Bot, 'store'>) {
  return bot.store.claim(10_000, 60_000, 'test-inspect');
}

/** The text of paragraph `n` of the assessment's source, as loaded. */
export function paragraphText(corpus: Corpus, a: Assessment, n: number): string {
  const text = corpus.sources.get(a.id)?.paragraphs[n - 1]?.text;
  if (text === undefined) throw new Error(`test: ${a.id} has no paragraph ${n}`);
  return text;
}
