/**
 * Which Slack mode `npm start` picks from the environment (`startPlatformAdapters`, as main.ts calls
 * it): multi-workspace when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are all set,
 * one workspace with SLACK_BOT_TOKEN otherwise, and a one-line reason when neither can start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { readConfig } from '../../../src/core/config.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { type RunningAdapter, startPlatformAdapters } from '../../../src/start-adapters.ts';
import { openInstallationStore } from '../../../src/updates/store/installations-open.ts';
import { engine } from '../../commands/setup.ts';
import {
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  closedPort,
  type FakeSlack,
  SIGNING_SECRET,
  STATE_SECRET,
  startFakeSlack,
} from './harness.ts';

const runtime = createRuntime(engine, commands);
let fake: FakeSlack;
let dir: string;
const running: RunningAdapter[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-start-slack-'));
});
afterEach(async () => {
  for (const adapter of running.splice(0)) await adapter.stop();
});
afterAll(async () => {
  await fake?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const port = await closedPort();
  const dbPath = path.join(dir, `${port}.db`);
  const lines: string[] = [];
  const config = readConfig({ SLACK_API_URL: fake.apiUrl, SLACK_PORT: String(port), DB_PATH: dbPath, ...env });
  const { adapters, senders } = await startPlatformAdapters(runtime, config, (m) => lines.push(m));
  running.push(...adapters);
  return { adapters, senders, lines, port, dbPath };
}

const OAUTH = { SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET, SLACK_STATE_SECRET: STATE_SECRET };

describe('Slack mode at start', () => {
  it('with the three OAuth variables, serves the install path and needs no bot token; stopping closes the store', async () => {
    const { adapters, senders, lines, port, dbPath } = await start({ ...OAUTH, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(adapters.map((a) => a.name)).toEqual(['Slack']);
    expect(senders.map((s) => s.platform)).toEqual(['slack']);
    expect(lines.some((l) => /multi-workspace: install at GET \/slack\/install, 0 installations stored/.test(l))).toBe(
      true,
    );
    const install = await fetch(`http://127.0.0.1:${port}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    for (const adapter of running.splice(0)) await adapter.stop();
    // The store was opened (and migrated) at DB_PATH and let go: it opens again cleanly.
    const again = await openInstallationStore({ dbPath });
    expect(await again.count()).toBe(0);
    await again.close();
  });

  it('with a bot token too, says the token is not used, and still runs multi-workspace', async () => {
    const { lines, adapters } = await start({
      ...OAUTH,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    expect(adapters).toHaveLength(1);
    expect(lines).toContain('Slack: multi-workspace mode (SLACK_CLIENT_ID…); SLACK_BOT_TOKEN is not used');
  });

  it('with only some of the three, names the missing ones in one line, and falls back to the bot token', async () => {
    const partial = await start({ SLACK_CLIENT_ID: CLIENT_ID, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(partial.adapters).toHaveLength(0);
    expect(partial.lines).toEqual([
      'Slack multi-workspace mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET; SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are not set (Slack not started)',
      'Slack needs SLACK_BOT_TOKEN plus SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode); not started',
    ]);

    const fallback = await start({
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    expect(fallback.adapters.map((a) => a.name)).toEqual(['Slack']);
    expect(fallback.lines[0]).toBe(
      'Slack multi-workspace mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET; SLACK_STATE_SECRET is not set (using SLACK_BOT_TOKEN for one workspace instead)',
    );
    expect(fallback.lines.some((l) => l.includes('(POST /slack/events).'))).toBe(true);
  });

  it('refuses multi-workspace mode over Socket Mode, or without a signing secret, saying what to change', async () => {
    const socket = await start({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1-A0THREATD-0000-test' });
    expect(socket.adapters).toHaveLength(0);
    expect(socket.lines).toEqual([
      expect.stringMatching(/^Slack did not start: .*runs over HTTP.*unset SLACK_APP_TOKEN$/),
    ]);
    const unsigned = await start(OAUTH);
    expect(unsigned.adapters).toHaveLength(0);
    expect(unsigned.lines).toEqual([
      expect.stringMatching(/^Slack did not start: .*SLACK_SIGNING_SECRET is required in multi-workspace mode/),
    ]);
  });
});
