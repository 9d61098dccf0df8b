import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { matchingClaims } from '../../../src/core/answer/answer.ts';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { escapeSlackText } from '../../../src/core/render/escape.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { engine, MemorySubscriptions } from '../../commands/setup.ts';
import {
  BOT_TOKEN,
  type FakeSlack,
  fixture,
  postCommand,
  postEvent,
  quotedText,
  SIGNING_SECRET,
  startFakeSlack,
  waitFor,
} from './harness.ts';

const RUSSIA_PREFERENCE = { source: '2024-07-29-icaro-iran-covert-social-media', paragraph: 3 };
const subscriptions = new MemorySubscriptions();
let fake: FakeSlack;
let adapter: SlackAdapter;
let port: number;
const logs: string[] = [];
let nextId = 0;

beforeAll(async () => {
  fake = await startFakeSlack();
  adapter = createSlackAdapter({
    runtime: createRuntime(engine, commands, { subscriptions }),
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl },
    log: (m) => logs.push(m),
  });
  port = (await adapter.start()).port as number;
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

/** Sends `/name text` as Slack would and returns what arrived at its response_url. */
async function slash(name: string, text: string, extra: Record<string, string> = {}) {
  const id = `r${++nextId}`;
  const fields: Record<string, string> = {
    ...fixture<Record<string, string>>('slash-command-ask.json'),
    command: `/${name}`,
    text,
    ...extra,
  };
  fields.response_url = fake.responseUrl(id);
  const res = await postCommand(port, fields);
  expect(res.status).toBe(200);
  return waitFor(`the answer to /${name}`, () => fake.responses.find((r) => r.id === id)?.body);
}

function event(name: string, changes: { event?: Record<string, unknown>; event_id?: string }) {
  const payload = fixture<{ event: Record<string, unknown>; event_id: string }>(name);
  return { ...payload, event_id: changes.event_id ?? payload.event_id, event: { ...payload.event, ...changes.event } };
}

const postsTo = (channel: string, ts: string) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts === ts);

describe('Slack adapter over HTTP (real Bolt, loopback Slack)', () => {
  it('answers url_verification with the challenge', async () => {
    const payload = fixture<{ challenge: string }>('url-verification.json');
    const res = await postEvent(port, payload);
    expect(res.status).toBe(200);
    expect(res.text).toContain(payload.challenge);
  });

  it("/ask what is Russia's preference answers in channel, quoting the Russia preference paragraph verbatim", async () => {
    const body = await slash('ask', "what is Russia's preference");
    expect(body.response_type).toBe('in_channel');
    const paragraph = paragraphOf(engine.corpus, RUSSIA_PREFERENCE.source, RUSSIA_PREFERENCE.paragraph);
    expect(paragraph).toBeDefined();
    expect(quotedText(body.blocks)).toContain(escapeSlackText(paragraph?.text ?? '').replace(/\s+/g, ' '));
    expect(JSON.stringify(body.blocks)).toContain(`\u00b6 ${RUSSIA_PREFERENCE.paragraph}`);
    expect(String(body.text)).toMatch(/Russia/);
  });

  it('/denials lists every recorded denial, each quoted', async () => {
    const body = await slash('denials', '');
    expect(body.response_type).toBe('in_channel');
    // A reported habit ("regularly denies") is noted after the list, not cited as a dated denial.
    const denials = matchingClaims(engine, 'denial', { actors: [] }).filter((c) => c.reported !== 'habit');
    expect(denials.length).toBeGreaterThan(1);
    const quoted = quotedText(body.blocks);
    for (const claim of denials) {
      const p = paragraphOf(engine.corpus, claim.source, claim.paragraph);
      expect(quoted).toContain(escapeSlackText(p?.text ?? '').replace(/\s+/g, ' '));
    }
  });

  it('/denials iran takes the first word as the actor', async () => {
    const body = await slash('denials', 'iran');
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('Denials by Iran');
    expect(blocks).not.toContain('Russia denied');
  });

  it('an empty /ask gets usage help, only for the asker', async () => {
    const body = await slash('ask', '');
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toMatch(/question.*needs a value, e.g./s);
  });

  it('a 10,000-character question is answered, saying how much of it was read', async () => {
    const body = await slash('ask', 'Which candidate does Russia prefer? '.repeat(280).slice(0, 10_000));
    expect(JSON.stringify(body.blocks)).toMatch(/Only the first \d+ characters of the question were read/);
  });

  it('a command this build does not know is answered with the nearest one', async () => {
    const body = await slash('denail', 'russia');
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('/denials');
  });

  it('a prefixed command such as /td-denials runs the command after the prefix', async () => {
    const body = await slash('td-denials', 'iran');
    expect(body.response_type).toBe('in_channel');
    expect(JSON.stringify(body.blocks)).toContain('Denials by Iran');
  });

  it('/subscribe russia subscribes the channel it was typed in', async () => {
    const body = await slash('subscribe', 'russia');
    expect(body.response_type).toBe('in_channel');
    expect(subscriptions.rows).toContainEqual(
      expect.objectContaining({ platform: 'slack', workspace: 'T0THREAT1', channel: 'C0ELECT24', actor: 'russia' }),
    );
  });

  it('a mention is answered in a thread under the asking message', async () => {
    const payload = event('event-app-mention.json', { event: { ts: '1730400000.000111' }, event_id: 'Ev0MENTIONA' });
    expect((await postEvent(port, payload)).status).toBe(200);
    const [post] = await waitFor('the threaded answer', () => {
      const found = postsTo('C0ELECT24', '1730400000.000111');
      return found.length > 0 ? found : undefined;
    });
    expect(post?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    const paragraph = paragraphOf(engine.corpus, RUSSIA_PREFERENCE.source, RUSSIA_PREFERENCE.paragraph);
    expect(quotedText(post?.args.blocks)).toContain(escapeSlackText(paragraph?.text ?? '').replace(/\s+/g, ' '));
    expect(post?.args.unfurl_links).toBe('false');
  });

  it('a bare mention gets help, shown only to the asker in the thread', async () => {
    const bare = event('event-app-mention.json', { event: { text: '<@U0BOTUSER>', ts: '1730400050.000777' } });
    expect((await postEvent(port, { ...bare, event_id: 'Ev0BARE01' })).status).toBe(200);
    const post = await waitFor('the help', () =>
      fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.thread_ts === '1730400050.000777'),
    );
    expect(post.args).toMatchObject({ channel: 'C0ELECT24', user: 'U0REPORTR' });
    expect(JSON.stringify(post.args.blocks)).toContain('/denials');
  });

  it('a direct message is answered in a thread; the bot ignores its own messages', async () => {
    expect((await postEvent(port, fixture('event-message-im-from-bot.json'))).status).toBe(200);
    expect((await postEvent(port, fixture('event-message-im.json'))).status).toBe(200);
    const posts = await waitFor('the DM answer', () => {
      const found = postsTo('D0DIRECT1', '1730400100.000200');
      return found.length > 0 ? found : undefined;
    });
    expect(JSON.stringify(posts[0]?.args.blocks)).toMatch(/denie/i);
    // The bot's own message sits in the same thread; had it been answered, a second post would be there.
    const marker = event('event-message-im.json', { event: { ts: '1730400100.000999' }, event_id: 'Ev0MARKER2' });
    await postEvent(port, marker);
    await waitFor('the marker answer', () => postsTo('D0DIRECT1', '1730400100.000999')[0]);
    expect(postsTo('D0DIRECT1', '1730400100.000200')).toHaveLength(1);
  });

  it('a mention posted by another bot is not answered, so two bots cannot talk forever', async () => {
    const fromBot = { ts: '1730400150.000555', user: 'U0OTHERBOT', bot_id: 'B0OTHERBOT' };
    expect(
      (await postEvent(port, event('event-app-mention.json', { event: fromBot, event_id: 'Ev0OTHERBOT' }))).status,
    ).toBe(200);
    const marker = event('event-app-mention.json', { event: { ts: '1730400150.000666' }, event_id: 'Ev0MARKER3' });
    await postEvent(port, marker);
    await waitFor('the marker answer', () => postsTo('C0ELECT24', '1730400150.000666')[0]);
    expect(postsTo('C0ELECT24', '1730400150.000555')).toHaveLength(0);
  });

  it('a retried event (X-Slack-Retry-Num) is answered once', async () => {
    const payload = event('event-app-mention.json', { event: { ts: '1730400200.000222' }, event_id: 'Ev0RETRIED' });
    expect((await postEvent(port, payload)).status).toBe(200);
    const retry = { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    expect((await postEvent(port, payload, retry)).status).toBe(200);
    // A later mention, answered after both deliveries were handled, marks the end.
    const marker = event('event-app-mention.json', { event: { ts: '1730400200.000333' }, event_id: 'Ev0MARKER1' });
    await postEvent(port, marker);
    await waitFor('the marker answer', () => postsTo('C0ELECT24', '1730400200.000333')[0]);
    expect(postsTo('C0ELECT24', '1730400200.000222')).toHaveLength(1);
  });

  it('a bad or stale signature gets 401 and runs nothing', async () => {
    const fields: Record<string, string> = {
      ...fixture<Record<string, string>>('slash-command-ask.json'),
      response_url: fake.responseUrl('bad'),
    };
    expect((await postCommand(port, fields, { secret: 'not-the-secret' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    fields.response_url = fake.responseUrl('stale');
    expect((await postCommand(port, fields, { timestamp: stale })).status).toBe(401);
    const mention = event('event-app-mention.json', { event: { ts: '1730400300.000444' }, event_id: 'Ev0BADSIG1' });
    expect((await postEvent(port, mention, { secret: 'not-the-secret' })).status).toBe(401);
    // A correctly signed command afterwards is answered, so the adapter was listening all along.
    await slash('actors', '');
    expect(fake.responses.filter((r) => r.id === 'bad' || r.id === 'stale')).toHaveLength(0);
    expect(postsTo('C0ELECT24', '1730400300.000444')).toHaveLength(0);
  });

  it('learns its identity from auth.test in the background and never logs the token', async () => {
    await waitFor('auth.test', () => fake.calls.find((c) => c.method === 'auth.test'));
    await waitFor('the sign-in line', () =>
      logs.find((l) => l.includes('signed in to the Slack API as bot user U0BOTUSER')),
    );
    expect(logs.join('\n')).not.toContain(BOT_TOKEN);
  });
});
