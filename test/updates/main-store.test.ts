/**
 * `npm start` (src/main.ts) on the store its configuration names: with DATABASE_URL, the
 * subscriptions a channel makes are in PostgreSQL, where every instance sees them; a DATABASE_URL
 * that cannot be used stops the start with one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnNode } from '../spawn-node.ts';
import { copyData, repoRoot, tempDir } from './subscriptions/fixtures.ts';
import { openFor, postgresBackend } from './subscriptions/service-setup.ts';

const pg = postgresBackend();
const noFeeds = fileURLToPath(new URL('../fixtures/no-feeds.json', import.meta.url));

/** Runs `npm start` with piped `input` and the store settings given. */
function start(input: string, store: { DATABASE_URL: string; DB_PATH: string }) {
  return spawnNode(['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    input,
    timeout: 60_000,
    env: {
      NO_COLOR: '1',
      DISCORD_TOKEN: '',
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: '',
      FEEDS_FILE: noFeeds,
      DATA_DIR: copyData(),
      ...store,
    },
  });
}

describe('npm start with DATABASE_URL', () => {
  it('keeps subscriptions in PostgreSQL, and a second instance lists them', async () => {
    const target = await pg.fresh();
    const dbPath = path.join(tempDir(), 'var', 'threatdesk.db');
    const first = await start('/subscribe actor:russia\n', { DATABASE_URL: target.where, DB_PATH: dbPath });
    expect(first.stderr).not.toMatch(/error|failed/i);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('now subscribed to new assessments about Russia');
    expect(first.stderr).toMatch(/store: PostgreSQL at postgres:\/\/.*, as instance \S+-\d+-[0-9a-f]{6}/);

    const shared = await openFor(target);
    const terminal = { platform: 'terminal' as const, workspace: 'local', channel: 'terminal' };
    expect((await shared.subscriptions.list(terminal)).map((s) => s.actor)).toEqual(['russia']);
    // The first start only remembered the corpus, in PostgreSQL too.
    expect((await shared.subscriptions.recordedKeys()).size).toBeGreaterThan(0);
    // No SQLite store was made at DB_PATH (only the index snapshot may sit beside it).
    expect(fs.existsSync(dbPath)).toBe(false);

    const second = await start('/subscriptions\n', { DATABASE_URL: target.where, DB_PATH: dbPath });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/updates about Russia \(since \d{4}-\d{2}-\d{2}, by \S+; active\)/);
  }, 90_000);

  it('stops at start with one line naming DATABASE_URL, without its password, when it cannot be used', async () => {
    const dbPath = path.join(tempDir(), 'var', 'threatdesk.db');
    const run = await start('/help\n', { DATABASE_URL: 'postgres://bot:s3cret@127.0.0.1:1/x', DB_PATH: dbPath });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^config: DATABASE_URL postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/x cannot be used/);
    expect(run.stderr).not.toContain('s3cret');
    expect(run.stdout).toBe('');
  }, 60_000);
});
