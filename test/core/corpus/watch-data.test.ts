import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import type { Corpus } from '../../../src/core/corpus/corpus.ts';
import { diffCorpus } from '../../../src/core/corpus/diff-corpus.ts';
import { type DataError, loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { watchDataDir } from '../../../src/core/corpus/watch-data.ts';
import { contextFor, createRuntime } from '../../../src/core/runtime.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { createUpdateService } from '../../../src/updates/subscriptions/update-service.ts';
import {
  addAssessment,
  claimsFor,
  copyData,
  originFor,
  RecordingSender,
  tempDbPath,
} from '../../updates/subscriptions/fixtures.ts';

const NEW = '2025-02-03-test-new';

/** Waits (at most `ms`) until `done()` holds. */
async function until(done: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (let waited = 0; !done(); waited += 25) {
    if (waited >= ms) throw new Error(`test: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The bot's wiring in miniature: a watched copy of the data, a runtime whose engine is swapped on
 * each good reload, and the update service recording each diff into a real SQLite store.
 */
async function startBot() {
  const dir = copyData();
  const initial = loadCorpus(dir);
  const runtime = createRuntime(createAnswerEngine(initial), commands);
  const shared = await openSqliteSharedStore(tempDbPath());
  const store = shared.subscriptions;
  const sender = new RecordingSender('slack');
  const service = createUpdateService({ store, senders: [sender], engine: runtime.engine, batchWindowMs: 0 });
  await service.catchUp(initial);
  const loaded: Corpus[] = [];
  const errors: DataError[] = [];
  let previous = initial;
  // Recording is asynchronous: a reload counts as loaded once its updates are recorded, in order.
  let recording: Promise<unknown> = Promise.resolve();
  const watch = watchDataDir({
    dir,
    debounceMs: 100,
    onCorpus: (next) => {
      runtime.swap(createAnswerEngine(next));
      const updates = diffCorpus(previous, next);
      previous = next;
      recording = recording.then(() => service.record(updates)).then(() => loaded.push(next));
    },
    onError: (e) => errors.push(e),
  });
  onTestFinished(async () => {
    watch.stop();
    await recording;
    await shared.close();
  });
  return { dir, initial, runtime, store, sender, service, loaded, errors };
}

const hasClaim = (c: Corpus | undefined, id: string) => Boolean(c?.claims.some((x) => x.id === id));

describe('watchDataDir', () => {
  it('a new source and claims file dropped in reach the subscribed channel once, and only it', async () => {
    const bot = await startBot();
    await bot.store.subscribe(originFor('slack', 'ru'), 'russia');
    await bot.store.subscribe(originFor('slack', 'cn'), 'china');
    addAssessment(bot.dir, NEW, ['russia']);
    await until(() => hasClaim(bot.loaded.at(-1), 'test-new-russia'), 'the new claims to load');
    expect(bot.errors).toEqual([]);
    expect(bot.runtime.engine().corpus).toBe(bot.loaded.at(-1));

    await bot.service.runOnce();
    expect(bot.sender.to('cn')).toEqual([]);
    const ru = bot.sender.to('ru');
    expect(ru).toHaveLength(1);
    expect(ru[0]?.citations.map((c) => [c.source, c.paragraph, c.title])).toEqual([[NEW, 1, `Test assessment ${NEW}`]]);
    expect((await bot.service.runOnce()).messages).toBe(0);
    expect(bot.sender.delivered).toHaveLength(1);
  });

  it('an invalid data file produces no update, and the last good corpus keeps answering', async () => {
    const bot = await startBot();
    await bot.store.subscribe(originFor('slack', 'all'), null);
    const bad = claimsFor('2024-08-19-iran-un-mission-response', ['iran']).map((c) => ({ ...c, id: 'bad-quote' }));
    fs.writeFileSync(path.join(bot.dir, 'claims', 'bad.json'), JSON.stringify(bad));
    await until(() => bot.errors.length > 0, 'the reload to fail');

    expect(bot.errors[0]?.issues.map((i) => [i.file.split(path.sep).slice(-2).join('/'), i.where, i.field])).toEqual([
      ['claims/bad.json', 'claim bad-quote', 'quote'],
    ]);
    expect(bot.loaded).toEqual([]);
    expect(bot.runtime.engine().corpus).toBe(bot.initial);
    const answer = await respondToLine(
      'who denied interfering?',
      contextFor(bot.runtime, originFor('terminal', 'terminal')),
    );
    expect(answer.found).toBe(true);
    expect(bot.runtime.engine().corpus.claims.some((c) => c.id === 'bad-quote')).toBe(false);
    await bot.service.runOnce();
    expect(await bot.store.outboxCounts()).toEqual({ pending: 0, sent: 0, failed: 0 });
    expect(bot.sender.attempts).toEqual([]);

    // Once the file is fixed (here: removed), the next reload goes through with nothing new.
    fs.rmSync(path.join(bot.dir, 'claims', 'bad.json'));
    await until(() => bot.loaded.length > 0, 'the fixed data to load');
    expect(bot.runtime.engine().corpus).toBe(bot.loaded.at(-1));
    expect((await bot.store.outboxCounts()).pending).toBe(0);
  });

  it('a claims directory replaced wholesale is watched again, and its unchanged claims are not re-announced', async () => {
    const bot = await startBot();
    await bot.store.subscribe(originFor('slack', 'all'), null);
    const claims = path.join(bot.dir, 'claims');
    // A new directory (a new inode), as a sync tool or a checkout would make it.
    fs.cpSync(claims, `${claims}.new`, { recursive: true });
    fs.rmSync(claims, { recursive: true });
    await until(() => bot.loaded.length > 0 && bot.loaded.at(-1)?.claims.length === 0, 'the claim-less reload');
    fs.renameSync(`${claims}.new`, claims);
    await until(() => (bot.loaded.at(-1)?.claims.length ?? 0) > 0, 'the claims to come back');
    expect((await bot.store.outboxCounts()).pending).toBe(0);

    // Only the new claims directory changes now, so only its re-armed watcher can notice.
    const extra = claimsFor('2024-08-19-iran-un-mission-response', ['iran']).map((c) => ({
      ...c,
      id: 'extra-iran',
      quote: 'Such allegations are unsubstantiated',
    }));
    fs.writeFileSync(path.join(claims, 'extra.json'), JSON.stringify(extra));
    await until(() => hasClaim(bot.loaded.at(-1), 'extra-iran'), 'the new claim to load');
    await bot.service.runOnce();
    expect(bot.sender.delivered).toHaveLength(1);
    expect(bot.sender.delivered[0]?.reply.text).toMatch(/^1 new claim, each claim cited below/);
  });

  it('stop() ends the watch: later changes are not loaded', async () => {
    const dir = copyData();
    const loaded: Corpus[] = [];
    const watch = watchDataDir({ dir, debounceMs: 0, onCorpus: (c) => loaded.push(c), onError: () => {} });
    watch.stop();
    addAssessment(dir, NEW, ['russia']);
    // The positive case above shows a change is seen within this wait when the watch runs.
    await new Promise((r) => setTimeout(r, 300));
    expect(loaded).toEqual([]);
  });

  it('refuses a missing directory and a negative debounce, naming the value', () => {
    expect(() => watchDataDir({ dir: '/nonexistent/data', onCorpus: () => {}, onError: () => {} })).toThrow(
      'watch-data: "/nonexistent/data" is not a directory',
    );
    expect(() => watchDataDir({ dir: copyData(), debounceMs: -1, onCorpus: () => {}, onError: () => {} })).toThrow(
      'watch-data: debounceMs must be 0 or more, not -1',
    );
  });
});
