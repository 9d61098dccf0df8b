import { describe, expect, it } from 'vitest';
import { type FeedWatcher, firstPollDelay, startFeedWatcher } from '../../../src/updates/feeds/feed-watcher.ts';
import type { FeedResult } from '../../../src/updates/feeds/poll-feeds.ts';
import { waitFor } from '../../adapters/slack/harness.ts';
import { FEED, NEVADA, NEVADA_ID, type Newsroom, PUBLISHER, startNewsroom } from './poll-helpers.ts';

/** Starts a watcher on the newsroom with a short interval; stopped when the test ends. */
function watch(room: Newsroom, feeds: ReturnType<Newsroom['feed']>[], onStop: (w: FeedWatcher) => void) {
  const logs: string[] = [];
  const rounds: FeedResult[][] = [];
  const watcher = startFeedWatcher({
    feeds,
    state: room.state,
    http: room.http,
    dataDir: room.dataDir,
    maxFailures: 2,
    intervalMs: 20,
    startDelayMs: 0,
    log: (line) => logs.push(line),
    onPoll: (results) => rounds.push(results),
  });
  onStop(watcher);
  return { watcher, logs, rounds };
}

describe('the feed watcher', () => {
  it('polls on the interval, logs what it added and what failed, and leaves a paused feed out', async () => {
    const room = await startNewsroom();
    room.server.route('/down.xml', { status: 503, body: 'maintenance' });
    const good = room.feed();
    const down = room.feed('/down.xml');
    let watcher: FeedWatcher | undefined;
    const { logs, rounds } = watch(room, [good, down], (w) => {
      watcher = w;
    });
    try {
      const pausedNow = () => rounds.some((round) => round.some((r) => r.feed.url === down.url && r.paused));
      await waitFor('the feed to be paused', () => (pausedNow() ? true : undefined));
      expect((await room.state.get(down.url)).pausedReason).toMatch(/^HTTP 503/);
      const asked = room.server.requestsTo('/down.xml').length;
      const seen = rounds.length;
      await waitFor('two more polls', () => (rounds.length >= seen + 2 ? true : undefined));
      expect(room.server.requestsTo('/down.xml')).toHaveLength(asked);
      expect(rounds.at(-1)?.find((r) => r.feed.url === down.url)?.status).toBe('paused');
    } finally {
      await watcher?.stop();
    }
    expect(room.newSources()).toEqual([NEVADA_ID]);
    expect(room.server.requestsTo(NEVADA)).toHaveLength(1);
    expect(logs).toContain(`feeds: ${PUBLISHER} (${good.url}): 1 new document: ${NEVADA_ID}`);
    expect(logs).toContain(`feeds: ${PUBLISHER} (${down.url}): failed: HTTP 503 Service Unavailable`);
    expect(logs).toContain(
      `feeds: ${PUBLISHER} (${down.url}): failed: HTTP 503 Service Unavailable; 2 failures in a row; paused until npm run feeds -- --once reads it`,
    );
    // "unchanged" is not news: it is not logged.
    expect(logs.some((l) => l.endsWith(': unchanged'))).toBe(false);
  });

  it('stops between items: a page request held open does not keep stop waiting past its grace', async () => {
    const room = await startNewsroom();
    room.server.hang(NEVADA);
    const feed = room.feed();
    const watcher = startFeedWatcher({
      feeds: [feed],
      state: room.state,
      http: room.http,
      dataDir: room.dataDir,
      maxFailures: 2,
      intervalMs: 60_000,
      startDelayMs: 0,
      stopGraceMs: 50,
      log: () => undefined,
    });
    await waitFor('the page request', () => (room.server.requestsTo(NEVADA).length > 0 ? true : undefined));
    await watcher.stop();
    // Nothing was recorded for the feed: the next poll reads it whole.
    expect((await room.state.get(feed.url)).etag).toBeNull();
    expect(room.newSources()).toEqual([]);
  });

  it('on a restart waits until an interval has passed since the last poll', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    const options = { feeds: [feed], state: room.state, intervalMs: 900_000, startDelayMs: 30_000 };
    const now = Date.parse('2025-02-04T12:00:00Z');
    expect(await firstPollDelay(options, now)).toBe(30_000);
    await room.state.attempted(feed.url, '2025-02-04T11:55:00.000Z');
    expect(await firstPollDelay(options, now)).toBe(600_000);
    await room.state.attempted(feed.url, '2025-02-04T10:00:00.000Z');
    expect(await firstPollDelay(options, now)).toBe(30_000);
  });

  it('leaves a poll to another instance that polled less than an interval ago', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    let t = Date.parse('2025-02-04T12:00:00Z');
    const rounds: FeedResult[][] = [];
    const watcher = startFeedWatcher({
      feeds: [feed],
      state: room.state,
      http: room.http,
      dataDir: room.dataDir,
      maxFailures: 2,
      intervalMs: 100,
      startDelayMs: 0,
      now: () => t,
      log: () => undefined,
      onPoll: (results) => rounds.push(results),
    });
    try {
      await waitFor('the first poll', () => (rounds.length === 1 ? true : undefined));
      // The timer fires every 100 ms, but by the shared clock no interval has passed: no poll.
      await new Promise((r) => setTimeout(r, 400));
      expect(rounds).toHaveLength(1);
      // Another instance polls the feed just as the interval runs out: this one waits again.
      t += 100;
      await room.state.attempted(feed.url, new Date(t).toISOString());
      await new Promise((r) => setTimeout(r, 400));
      expect(rounds).toHaveLength(1);
      expect(room.server.requestsTo(FEED)).toHaveLength(1);
      t += 100;
      await waitFor('the next poll', () => (rounds.length === 2 ? true : undefined));
    } finally {
      await watcher.stop();
    }
  });
});
