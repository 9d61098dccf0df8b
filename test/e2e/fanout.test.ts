/**
 * Fan-out at scale on a real SQLite file: 1,000 subscribed channels across Slack, Discord and the
 * terminal, one new claim, and each channel told exactly once, through repeated and concurrent
 * delivery rounds and a process that dies halfway through a round. The platforms are recording
 * PlatformSenders: the adapters' own senders are covered by the Slack and Discord suites.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/core/answer/engine.ts';
import type { Origin } from '../../src/core/commands/define-command.ts';
import type { Corpus } from '../../src/core/corpus/corpus.ts';
import { diffCorpus } from '../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../src/core/corpus/load-corpus.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { SharedStore } from '../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../src/updates/store/sqlite-shared-store.ts';
import type { ChannelRef, PlatformSender } from '../../src/updates/subscriptions/sender.ts';
import { createUpdateService, type UpdateService } from '../../src/updates/subscriptions/update-service.ts';
import { waitFor } from '../adapters/slack/harness.ts';
import { Clock, tempWorkspace, writeData } from './helpers.ts';

const PLATFORMS: readonly Origin['platform'][] = ['slack', 'discord', 'terminal'];
const WORKSPACE: Record<Origin['platform'], string> = {
  slack: 'T0THREAT1',
  discord: '1200000000000000001',
  terminal: 'local',
};
const SUBSCRIPTIONS = 1_000;
/** Sends the first process confirms before it dies. */
const CONFIRMED_BEFORE_CRASH = 300;

/** A new claim on an existing Russia paragraph: the only update of this test. */
const SOURCE = '2024-11-01-joint-statement-russia-georgia-haiti-video';
const NEW_CLAIM = {
  id: 'joint1101-russia-threat-trust',
  source: SOURCE,
  paragraph: 3,
  actor: 'russia',
  type: 'threat',
  election: 2024,
  mentions: ['odni', 'fbi', 'cisa'],
  quote: 'seeks to undermine trust in the integrity of the election and divide Americans',
  summary: 'Russia’s expected new media content seeks to undermine trust in the election and divide Americans.',
};

interface Delivery {
  target: ChannelRef;
  reply: Reply;
}

/**
 * One process's view of the three platforms: every confirmed send goes to `delivered` (shared across
 * processes, as the platforms outlive the bot). Once `delivered` holds `confirmLimit` sends, later
 * sends never settle: the process died with them in flight, unconfirmed.
 */
function platforms(delivered: Delivery[], confirmLimit = Number.POSITIVE_INFINITY) {
  const state = { inFlight: 0 };
  const senders: PlatformSender[] = PLATFORMS.map((platform) => ({
    platform,
    send: async (target, reply) => {
      if (delivered.length >= confirmLimit) {
        state.inFlight++;
        return new Promise<void>(() => {});
      }
      delivered.push({ target, reply });
    },
  }));
  return { senders, state };
}

const workspace = tempWorkspace();
const clock = new Clock();
const open: SharedStore[] = [];
afterAll(async () => {
  // Closing a closed store is a no-op, so a failed test leaves nothing open.
  for (const shared of open) await shared.close();
  workspace.remove();
});

async function start(senders: PlatformSender[], corpus = loadCorpus(workspace.dataDir)) {
  const shared = await openSqliteSharedStore(workspace.dbPath, { now: clock.now });
  open.push(shared);
  const store = shared.subscriptions;
  let engine = createAnswerEngine(corpus);
  const service: UpdateService = createUpdateService({
    store,
    senders,
    engine: () => engine,
    now: clock.now,
    log: () => {},
  });
  /** Puts a reloaded corpus in service, as the data watcher does before recording its updates. */
  const swap = (next: Corpus) => {
    engine = createAnswerEngine(next);
  };
  return { shared, store, service, swap };
}

describe('fan-out to 1,000 subscriptions', () => {
  it('each of 1,000 channels gets one notification for one new claim, through repeated rounds and a crash mid-round', async () => {
    const delivered: Delivery[] = [];
    const before = loadCorpus(workspace.dataDir);
    const dying = platforms(delivered, CONFIRMED_BEFORE_CRASH);
    const first = await start(dying.senders, before);
    await first.service.catchUp(before);
    const channels: string[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const platform = PLATFORMS[i % 3] as Origin['platform'];
      const origin = { platform, workspace: WORKSPACE[platform], channel: `${platform}-${i}`, user: `u${i}` };
      expect(await first.store.subscribe(origin, i % 2 === 0 ? null : 'russia')).toBe(true);
      channels.push(`${platform}/${origin.channel}`);
    }
    // Channels following another actor hear nothing of this claim.
    for (let i = 0; i < 30; i++) {
      await first.store.subscribe(
        { platform: 'slack', workspace: 'T0THREAT1', channel: `iran-${i}`, user: 'u' },
        'iran',
      );
    }

    writeData(workspace.dataDir, path.join('claims', 'added-claim.json'), JSON.stringify([NEW_CLAIM]));
    const after = loadCorpus(workspace.dataDir);
    const updates = diffCorpus(before, after);
    expect(updates.map((u) => `${u.kind}:${u.key}`)).toEqual([`claim:${NEW_CLAIM.id}`]);
    first.swap(after);
    expect(await first.service.record(updates)).toEqual({ updates: 1, rows: SUBSCRIPTIONS });

    // The first process confirms 300 sends, then dies with a full round of sends in flight.
    clock.advance(2_000);
    void first.service.runOnce();
    await waitFor('the first process to stall', () => (dying.state.inFlight === 8 ? true : undefined));
    expect(delivered).toHaveLength(CONFIRMED_BEFORE_CRASH);
    await first.shared.close();

    // Restarted: concurrent and repeated rounds deliver the rest, and nothing twice.
    const healthy = platforms(delivered);
    const second = await start(healthy.senders);
    expect(await second.service.catchUp(after)).toEqual({ updates: 0, rows: 0 });
    const rounds = await Promise.all([second.service.runOnce(), second.service.runOnce(), second.service.runOnce()]);
    expect(rounds.map((r) => r.messages)).toEqual([SUBSCRIPTIONS - CONFIRMED_BEFORE_CRASH, 0, 0]);
    clock.advance(3_600_000);
    expect((await second.service.runOnce()).messages).toBe(0);
    await second.service.stop();
    await second.shared.close();

    // Recreated once more: nothing left to send.
    const third = await start(platforms(delivered).senders);
    expect(await third.service.catchUp(after)).toEqual({ updates: 0, rows: 0 });
    expect((await third.service.runOnce()).messages).toBe(0);
    expect(await third.store.outboxCounts()).toEqual({ pending: 0, sent: SUBSCRIPTIONS, failed: 0 });

    const perChannel = new Map<string, number>();
    for (const d of delivered) {
      const key = `${d.target.platform}/${d.target.channel}`;
      perChannel.set(key, (perChannel.get(key) ?? 0) + 1);
    }
    expect(delivered).toHaveLength(SUBSCRIPTIONS);
    expect([...perChannel.keys()].sort()).toEqual([...channels].sort());
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    const paragraph = after.sources.get(SOURCE)?.paragraphs[2]?.text;
    for (const { reply } of delivered) {
      expect(reply.title).toBe('New assessments');
      expect(reply.citations.map((c) => [c.source, c.paragraph, c.text, c.summary])).toEqual([
        [SOURCE, 3, paragraph, NEW_CLAIM.summary],
      ]);
    }
  });
});
