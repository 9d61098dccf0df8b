/**
 * Multi-workspace mode end to end: the real adapter on real Bolt over HTTP on 127.0.0.1, with the
 * installation store and the shared store on one SQLite file, and the loopback stand-in for Slack
 * answering `oauth.v2.access`, `auth.test` and `chat.postMessage` per workspace. Requests to the
 * adapter are signed as Slack signs them; the install flow is walked as a browser walks it
 * (cookie, redirect to the authorize page, redirect back with the code).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { BOT_SCOPES } from '../../../src/adapters/slack/manifest.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import type { InstallationStore } from '../../../src/updates/store/installations.ts';
import { openInstallationStore } from '../../../src/updates/store/installations-open.ts';
import type { SharedStore } from '../../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { DeliveryError } from '../../../src/updates/subscriptions/sender.ts';
import { engine } from '../../commands/setup.ts';
import { sourceUpdate } from '../../updates/store/store-suite.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type FakeSlack,
  fixture,
  type InstallableWorkspace,
  postCommand,
  postEvent,
  SIGNING_SECRET,
  STATE_SECRET,
  startFakeSlack,
  waitFor,
} from './harness.ts';

const NEWSROOM: InstallableWorkspace = {
  code: 'code-newsroom-1',
  teamId: 'T0NEWSRM1',
  teamName: 'Newsroom',
  botToken: 'xoxb-1111-newsroom-token',
  botUserId: 'U0BOTNEWS',
  botId: 'B0BOTNEWS',
};
const STATEHOUSE: InstallableWorkspace = {
  code: 'code-statehouse-2',
  teamId: 'T0STATEH2',
  teamName: 'Statehouse',
  botToken: 'xoxb-2222-statehouse-token',
  botUserId: 'U0BOTSTAT',
  botId: 'B0BOTSTAT',
};
const COOKIE = 'slack-app-oauth-state';

let fake: FakeSlack;
let dir: string;
let installations: InstallationStore;
let shared: SharedStore;
let adapter: SlackAdapter;
let port: number;
const logs: string[] = [];
let nextId = 0;

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.installable.push(NEWSROOM, STATEHOUSE);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-oauth-'));
  const dbPath = path.join(dir, 'threatdesk.db');
  // The installation store first, on an empty file, as start-adapters opens it before main's store.
  installations = await openInstallationStore({ dbPath });
  shared = await openSqliteSharedStore(dbPath);
  adapter = createSlackAdapter({
    runtime: createRuntime(engine, commands, { subscriptions: shared.subscriptions }),
    config: {
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: STATE_SECRET, installations },
      signingSecret: SIGNING_SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: fake.apiUrl,
    },
    log: (m) => logs.push(m),
  });
  port = (await adapter.start()).port as number;
});

afterAll(async () => {
  await adapter?.stop();
  await installations?.close();
  await shared?.close();
  await fake?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A GET to the adapter as a browser sends it, redirects not followed. */
function browse(pathAndQuery: string, cookie?: string) {
  return fetch(`http://127.0.0.1:${port}${pathAndQuery}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
}

/** Starts an install at /slack/install: the state from the cookie, and where the browser is sent. */
async function startInstall() {
  const res = await browse('/slack/install');
  expect(res.status).toBe(302);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookieState = new RegExp(`${COOKIE}=([^;]+)`).exec(setCookie)?.[1];
  const location = new URL(res.headers.get('location') ?? '');
  return { setCookie, cookieState, location };
}

/** Walks the whole install for `workspace`: install path, authorize page, redirect back. */
async function install(workspace: InstallableWorkspace) {
  const { cookieState, location } = await startInstall();
  await fetch(location); // the authorize page, on the stand-in
  const state = location.searchParams.get('state') ?? '';
  const back = await browse(
    `/slack/oauth_redirect?code=${workspace.code}&state=${encodeURIComponent(state)}`,
    `${COOKIE}=${cookieState}`,
  );
  return { status: back.status, body: await back.text() };
}

/** A mention from `workspace`, as Slack sends it there. */
function mention(workspace: InstallableWorkspace, channel: string, text: string) {
  const payload = fixture<Record<string, unknown> & { event: Record<string, unknown> }>('event-app-mention.json');
  const ts = `1730400${String(++nextId).padStart(3, '0')}.000100`;
  return {
    ...payload,
    team_id: workspace.teamId,
    context_team_id: workspace.teamId,
    event_id: `Ev0OAUTH${nextId}`,
    event: {
      ...payload.event,
      team: workspace.teamId,
      channel,
      ts,
      event_ts: ts,
      text: `<@${workspace.botUserId}> ${text}`,
    },
    authorizations: [
      { ...((payload.authorizations as object[])[0] ?? {}), team_id: workspace.teamId, user_id: workspace.botUserId },
    ],
  };
}

/** A slash command from `workspace`; resolves with what arrived at its response_url. */
async function slash(workspace: InstallableWorkspace, channel: string, name: string, text: string) {
  const id = `oauth${++nextId}`;
  const fields: Record<string, string> = {
    ...fixture<Record<string, string>>('slash-command-ask.json'),
    team_id: workspace.teamId,
    team_domain: workspace.teamName.toLowerCase(),
    channel_id: channel,
    command: `/${name}`,
    text,
    response_url: fake.responseUrl(id),
  };
  expect((await postCommand(port, fields)).status).toBe(200);
  return waitFor(`the answer to /${name}`, () => fake.responses.find((r) => r.id === id)?.body);
}

/** An app_uninstalled (or tokens_revoked) event from `teamId`. */
function lifecycleEvent(teamId: string, event: Record<string, unknown>) {
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: teamId,
    api_app_id: 'A0THREATD',
    event,
    type: 'event_callback',
    event_id: `Ev0LIFE${++nextId}`,
    event_time: 1730400000,
  };
}

const postsIn = (channel: string) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);

describe('Slack multi-workspace mode (Bolt OAuth, loopback Slack)', () => {
  it('GET /slack/install sets the state cookie and redirects to the authorize page with the client id and scopes', async () => {
    const { setCookie, cookieState, location } = await startInstall();
    expect(`${location.origin}${location.pathname}`).toBe(new URL('/oauth/v2/authorize', fake.apiUrl).toString());
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
    expect(cookieState).toBeTruthy();
    expect(location.searchParams.get('state')).toBe(cookieState);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
  });

  it('the redirect back exchanges the code through SLACK_API_URL and stores the installation', async () => {
    const back = await install(NEWSROOM);
    expect(back.status).toBe(200);
    const exchange = fake.calls.find((c) => c.method === 'oauth.v2.access' && c.args.code === NEWSROOM.code);
    expect(exchange?.args).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(await installations.botToken(NEWSROOM.teamId)).toBe(NEWSROOM.botToken);
    const stored = await installations.fetch({ teamId: NEWSROOM.teamId });
    expect(stored?.bot).toMatchObject({ userId: NEWSROOM.botUserId, id: NEWSROOM.botId });
    expect(logs).toContain('slack: installed in workspace T0NEWSRM1 (Newsroom).');
  });

  it('a redirect whose state is not the one in the browser cookie is refused, and nothing is stored', async () => {
    const { location } = await startInstall();
    const state = location.searchParams.get('state') ?? '';
    const forged = await browse(`/slack/oauth_redirect?code=${STATEHOUSE.code}&state=${encodeURIComponent(state)}`);
    expect(forged.status).toBe(400);
    const wrong = await browse(
      `/slack/oauth_redirect?code=${STATEHOUSE.code}&state=${encodeURIComponent(state)}`,
      `${COOKIE}=someone-elses-state`,
    );
    expect(wrong.status).toBe(400);
    expect(fake.calls.some((c) => c.method === 'oauth.v2.access' && c.args.code === STATEHOUSE.code)).toBe(false);
    expect(await installations.botToken(STATEHOUSE.teamId)).toBeUndefined();
  });

  it("with two workspaces installed, each one's mentions are answered with its own bot token", async () => {
    expect((await install(STATEHOUSE)).status).toBe(200);
    expect(await installations.count()).toBe(2);

    expect((await postEvent(port, mention(NEWSROOM, 'C0NEWSDSK', "what is Russia's preference?"))).status).toBe(200);
    expect((await postEvent(port, mention(STATEHOUSE, 'C0STATDSK', "what is Russia's preference?"))).status).toBe(200);
    const inNewsroom = await waitFor('the Newsroom answer', () => postsIn('C0NEWSDSK')[0]);
    const inStatehouse = await waitFor('the Statehouse answer', () => postsIn('C0STATDSK')[0]);
    expect(inNewsroom.authorization).toBe(`Bearer ${NEWSROOM.botToken}`);
    expect(inStatehouse.authorization).toBe(`Bearer ${STATEHOUSE.botToken}`);
    // The bot's own mention was recognised from the installation (context.botUserId) and removed.
    for (const post of [inNewsroom, inStatehouse]) expect(String(post.args.text)).toMatch(/Russia/);
  });

  it("slash commands run in their own workspace: /subscribe stores each workspace's subscription", async () => {
    expect((await slash(NEWSROOM, 'C0NEWSDSK', 'subscribe', 'russia')).response_type).toBe('in_channel');
    expect((await slash(STATEHOUSE, 'C0STATDSK', 'subscribe', '')).response_type).toBe('in_channel');
    const key = (team: string, channel: string) => ({ platform: 'slack' as const, workspace: team, channel });
    expect(await shared.subscriptions.list(key(NEWSROOM.teamId, 'C0NEWSDSK'))).toHaveLength(1);
    expect(await shared.subscriptions.list(key(STATEHOUSE.teamId, 'C0STATDSK'))).toHaveLength(1);
  });

  it("notifications go out with the subscribed workspace's token; a workspace without an install fails for good", async () => {
    const update = makeReply({ title: 'New assessment', text: 'A new joint statement on Russia.', found: true });
    await adapter.sender.send({ platform: 'slack', workspace: STATEHOUSE.teamId, channel: 'C0STATDSK' }, update);
    expect(postsIn('C0STATDSK').at(-1)?.authorization).toBe(`Bearer ${STATEHOUSE.botToken}`);
    const failed = await adapter.sender
      .send({ platform: 'slack', workspace: 'T0NOTHERE', channel: 'C0ELSEWHR' }, update)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(DeliveryError);
    expect((failed as DeliveryError).failure).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('not installed in workspace T0NOTHERE'),
    });
    expect(postsIn('C0ELSEWHR')).toHaveLength(0);
  });

  it('an event from a workspace that never installed the app is refused as unauthorised and not answered', async () => {
    const stranger = { ...NEWSROOM, teamId: 'T0STRANGR', botUserId: 'U0STRANGR' };
    // Bolt's receiver answers an event it cannot authorise with 401.
    expect((await postEvent(port, mention(stranger, 'C0STRANGE', 'who is Moscow backing?'))).status).toBe(401);
    expect(logs.some((l) => l.includes('Authorization of incoming event did not succeed'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(postsIn('C0STRANGE')).toHaveLength(0);
  });

  it("tokens_revoked for user tokens only keeps the install; app_uninstalled removes that workspace's token, subscriptions and pending notifications", async () => {
    expect(
      await shared.subscriptions.recordUpdates([sourceUpdate('s-oauth', ['russia'])], { at: 0, dueAt: 0 }),
    ).toEqual({ updates: 1, rows: 2 });
    const before = await shared.subscriptions.outboxCounts();

    await postEvent(
      port,
      lifecycleEvent(NEWSROOM.teamId, { type: 'tokens_revoked', tokens: { oauth: ['U0INSTALLR'] } }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await installations.botToken(NEWSROOM.teamId)).toBe(NEWSROOM.botToken);

    expect((await postEvent(port, lifecycleEvent(NEWSROOM.teamId, { type: 'app_uninstalled' }))).status).toBe(200);
    await waitFor('the uninstall', () =>
      logs.find((l) => l.includes('the app was uninstalled in workspace T0NEWSRM1')),
    );
    expect(logs).toContain(
      'slack: the app was uninstalled in workspace T0NEWSRM1: deleted its token, 1 subscription and 1 pending notification.',
    );
    expect(await installations.fetch({ teamId: NEWSROOM.teamId })).toBeUndefined();
    const newsroomChannel = { platform: 'slack' as const, workspace: NEWSROOM.teamId, channel: 'C0NEWSDSK' };
    expect(await shared.subscriptions.list(newsroomChannel)).toEqual([]);
    expect(await shared.subscriptions.outboxCounts()).toEqual({ ...before, pending: before.pending - 1 });

    // The other workspace keeps its install and subscription, and is still answered.
    expect(await installations.botToken(STATEHOUSE.teamId)).toBe(STATEHOUSE.botToken);
    const statehouseChannel = { platform: 'slack' as const, workspace: STATEHOUSE.teamId, channel: 'C0STATDSK' };
    expect(await shared.subscriptions.list(statehouseChannel)).toHaveLength(1);
    const answered = postsIn('C0STATDSK').length;
    await postEvent(port, mention(STATEHOUSE, 'C0STATDSK', 'who is Moscow backing?'));
    await waitFor('a Statehouse answer', () => (postsIn('C0STATDSK').length > answered ? true : undefined));

    // The uninstalled workspace is not answered any more.
    await postEvent(port, mention(NEWSROOM, 'C0NEWSDSK', 'who is Moscow backing?'));
    await new Promise((r) => setTimeout(r, 200));
    expect(postsIn('C0NEWSDSK')).toHaveLength(1);
  });

  it('tokens_revoked naming the bot removes the workspace as an uninstall does', async () => {
    await postEvent(
      port,
      lifecycleEvent(STATEHOUSE.teamId, { type: 'tokens_revoked', tokens: { bot: [STATEHOUSE.botUserId] } }),
    );
    await waitFor('the revocation', () =>
      logs.find((l) => l.includes('the bot token was revoked in workspace T0STATEH2')),
    );
    expect(await installations.count()).toBe(0);
    const statehouseChannel = { platform: 'slack' as const, workspace: STATEHOUSE.teamId, channel: 'C0STATDSK' };
    expect(await shared.subscriptions.list(statehouseChannel)).toEqual([]);
  });
});
