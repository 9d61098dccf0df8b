/**
 * `npm run feeds -- --once` as a person runs it: a child process against the loopback newsroom,
 * with its own data directory, SQLite file and feeds file in a temp directory, or its feed state in
 * a throwaway PostgreSQL server when DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../adapters/slack/harness.ts';
import { spawnNode } from '../spawn-node.ts';
import {
  FEED,
  IRAN,
  IRAN_ID,
  NEVADA,
  NEVADA_ID,
  type Newsroom,
  PDF,
  PUBLISHER,
  repoRoot,
  startNewsroom,
} from '../updates/feeds/poll-helpers.ts';
import { openFor, postgresBackend } from '../updates/subscriptions/service-setup.ts';

const pg = postgresBackend();

// tsx named by path: the scripts run in a temp directory, where no feeds.json is found by default.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = ['--import', tsx, path.join(repoRoot, 'src', 'cli', 'feeds.ts')];

/** Writes the feeds file listing `paths` of the newsroom and returns the arguments that poll it. */
function feedsArgs(room: Newsroom, paths: string[], file = 'feeds.json'): string[] {
  const feedsFile = path.join(room.root, file);
  fs.writeFileSync(feedsFile, JSON.stringify(paths.map((p) => ({ url: room.server.url(p), publisher: PUBLISHER }))));
  return ['--once', '--data', room.dataDir, '--feeds', feedsFile];
}

function envFor(room: Newsroom, extra: Record<string, string> = {}): Record<string, string> {
  return { DB_PATH: room.dbPath, DATABASE_URL: '', DATA_DIR: '', FEEDS_FILE: '', FEED_MAX_FAILURES: '', ...extra };
}

function feeds(room: Newsroom, args: string[], extra: Record<string, string> = {}) {
  return spawnNode([...CLI, ...args], { cwd: room.root, env: envFor(room, extra), timeout: 60_000 });
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('npm run feeds', () => {
  it('polls each feed once: one line per feed, exit 0 even though a feed failed; a second run is unchanged', async () => {
    const room = await startNewsroom();
    room.server.route('/down.xml', { status: 503, body: 'maintenance' });
    const args = feedsArgs(room, [FEED, '/down.xml']);
    const first = await feeds(room, args);
    expect(first.status).toBe(0);
    expect(lines(first.stdout)).toEqual([
      `${PUBLISHER} (${room.server.url(FEED)}): 1 new document: ${NEVADA_ID}`,
      `${PUBLISHER} (${room.server.url('/down.xml')}): failed: HTTP 503 Service Unavailable`,
    ]);
    expect(first.stderr).toContain(
      `feeds: ${PUBLISHER} (${room.server.url(FEED)}): skipped ${room.server.url(PDF)}: a PDF, not read`,
    );
    expect(room.newSources()).toEqual([NEVADA_ID]);

    const second = await feeds(room, args);
    expect(second.status).toBe(0);
    expect(lines(second.stdout)[0]).toBe(`${PUBLISHER} (${room.server.url(FEED)}): unchanged`);
    expect(lines(second.stdout)[1]).toContain('failed: HTTP 503 Service Unavailable; 2 failures in a row');
    expect(room.server.requestsTo(FEED)[1]?.headers['if-none-match']).toMatch(/^".+"$/);
  }, 60_000);

  it('a feed paused after failures in a row is tried by --once, and resumes when it answers', async () => {
    const room = await startNewsroom();
    room.server.route(FEED, { status: 500, body: 'down' });
    const args = feedsArgs(room, [FEED]);
    const paused = await feeds(room, args, { FEED_MAX_FAILURES: '1' });
    expect(paused.status).toBe(0);
    expect(lines(paused.stdout)).toEqual([
      `${PUBLISHER} (${room.server.url(FEED)}): failed: HTTP 500 Internal Server Error; paused until npm run feeds -- --once reads it`,
    ]);
    room.server.fixture(FEED, 'poll/newsroom.xml');
    const resumed = await feeds(room, args, { FEED_MAX_FAILURES: '1' });
    expect(lines(resumed.stdout)).toEqual([`${PUBLISHER} (${room.server.url(FEED)}): 1 new document: ${NEVADA_ID}`]);
  }, 60_000);

  it('killed in the middle of a poll and run again, it adds each document exactly once', async () => {
    const room = await startNewsroom('poll/newsroom-second.xml');
    room.server.hang(IRAN);
    const args = feedsArgs(room, [FEED]);
    const child = spawn(process.execPath, [...CLI, ...args], {
      cwd: room.root,
      env: { ...process.env, ...envFor(room) },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // The Nevada statement is read first; the Iran page is then held open, and the process killed.
    await waitFor('the Iran page request', () => (room.server.requestsTo(IRAN).length > 0 ? true : undefined), 30_000);
    child.kill('SIGKILL');
    await exited;
    expect(room.newSources()).toEqual([NEVADA_ID]);

    room.server.fixture(IRAN, 'poll/statement-iran-spoofed-sites.html');
    const again = await feeds(room, args);
    expect(again.status).toBe(0);
    expect(lines(again.stdout)).toEqual([`${PUBLISHER} (${room.server.url(FEED)}): 1 new document: ${IRAN_ID}`]);
    expect(room.newSources()).toEqual([NEVADA_ID, IRAN_ID]);
    expect(room.server.requestsTo(NEVADA)).toHaveLength(1);
    const written = fs.readdirSync(path.join(room.dataDir, 'sources')).filter((f) => f.startsWith('2025-02-0'));
    expect(written.sort()).toEqual([`${NEVADA_ID}.txt`, `${IRAN_ID}.txt`]);
  }, 60_000);

  it('without --once, or with a bad feeds file, says so in one line and exits 2', async () => {
    const room = await startNewsroom();
    const noOnce = await feeds(room, ['--data', room.dataDir]);
    expect(noOnce.status).toBe(2);
    expect(noOnce.stderr.trim()).toBe(
      'feeds: --once is required: it polls every feed once (npm start polls on FEED_INTERVAL)',
    );

    fs.writeFileSync(path.join(room.root, 'bad.json'), JSON.stringify([{ url: 'ftp://x.example/feed' }]));
    const bad = await feeds(room, ['--once', '--feeds', path.join(room.root, 'bad.json')]);
    expect(bad.status).toBe(2);
    expect(lines(bad.stderr)).toEqual([
      `feeds: ${path.join(room.root, 'bad.json')}: feed 1 (ftp://x.example/feed): url must be an http(s) URL, got "ftp://x.example/feed"`,
    ]);

    const missing = await feeds(room, ['--once'], { FEEDS_FILE: 'nowhere.json' });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^feeds: nowhere\.json does not exist/);

    const setting = await feeds(room, feedsArgs(room, [FEED]), { FEED_INTERVAL: 'often' });
    expect(setting.status).toBe(2);
    expect(setting.stderr.trim()).toMatch(/^config: FEED_INTERVAL must be a number of minutes greater than 0/);
    expect(room.server.requestsTo(FEED)).toEqual([]);
  }, 60_000);

  it('with no feeds file at the default place, says there are none and exits 0', async () => {
    const room = await startNewsroom();
    const none = await feeds(room, ['--once', '--data', room.dataDir]);
    expect(none.status).toBe(0);
    expect(none.stdout.trim()).toBe('feeds: no feeds configured (feeds.json does not exist)');
  }, 60_000);
});

describe('npm run feeds with DATABASE_URL', () => {
  it('keeps the feed state in PostgreSQL: a second run, like another instance, finds the feed unchanged', async () => {
    const room = await startNewsroom();
    const target = await pg.fresh();
    const args = feedsArgs(room, [FEED]);
    const first = await feeds(room, args, { DATABASE_URL: target.where });
    expect(first.stderr).not.toMatch(/DATABASE_URL|error/i);
    expect(lines(first.stdout)).toEqual([`${PUBLISHER} (${room.server.url(FEED)}): 1 new document: ${NEVADA_ID}`]);
    const shared = await openFor(target);
    expect((await shared.feeds.get(room.server.url(FEED))).lastAdded).toMatchObject({ id: NEVADA_ID });
    // Nothing went to the SQLite file at DB_PATH.
    expect((await room.state.get(room.server.url(FEED))).lastReadAt).toBeNull();

    const second = await feeds(room, args, { DATABASE_URL: target.where });
    expect(lines(second.stdout)).toEqual([`${PUBLISHER} (${room.server.url(FEED)}): unchanged`]);
    expect(room.server.requestsTo(FEED)[1]?.headers['if-none-match']).toMatch(/^".+"$/);
  }, 60_000);

  it('a DATABASE_URL that cannot be reached is one line naming it, without the password, exit 2', async () => {
    const room = await startNewsroom();
    const run = await feeds(room, feedsArgs(room, [FEED]), {
      DATABASE_URL: 'postgres://bot:s3cret@127.0.0.1:1/threatdesk',
    });
    expect(run.status).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^config: DATABASE_URL postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/threatdesk cannot be used/,
    );
    expect(run.stderr).not.toContain('s3cret');
    expect(room.server.requestsTo(FEED)).toEqual([]);
  }, 60_000);
});
