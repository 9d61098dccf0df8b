import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack-adapter.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { createRuntime } from '../../../src/core/runtime.ts';
import { dataDir } from '../../commands/setup.ts';
import {
  BOT_TOKEN,
  blockTexts,
  type FakeSlack,
  fixture,
  postCommand,
  postEvent,
  SIGNING_SECRET,
  startFakeSlack,
  waitFor,
} from './harness.ts';

// A source whose text tries to ping everyone, mention a user and plant a link.
const SOURCE_ID = '2024-12-30-test-hostile-bulletin';
const PARAGRAPH =
  'Zorblatt operators denied the report in posts reading <!channel> <!here> <@U0ATTACK> and <https://evil.test|official results>, with *bold* claims & more.';
const SOURCE = `title: Zorblatt bulletin <!channel>
publisher: Example Agency <@U0ATTACK>
date: 2024-12-30
url: https://example.test/bulletin?a=1&b=2
kind: analysis

${PARAGRAPH}
`;
const CLAIMS = [
  {
    id: 'test-hostile-denial',
    source: SOURCE_ID,
    paragraph: 1,
    actor: 'russia',
    type: 'denial',
    denies: 'the report <!channel>',
    quote: 'Zorblatt operators denied the report',
    summary: 'Zorblatt operators denied the report <!here>.',
  },
];

let tmp: string;
let fake: FakeSlack;
let adapter: SlackAdapter;
let port: number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-slack-'));
  fs.cpSync(dataDir, tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'sources', `${SOURCE_ID}.txt`), SOURCE);
  fs.writeFileSync(path.join(tmp, 'claims', `${SOURCE_ID}.json`), JSON.stringify(CLAIMS, null, 2));
  const engine = createAnswerEngine(loadCorpus(tmp));
  fake = await startFakeSlack();
  adapter = createSlackAdapter({
    runtime: createRuntime(engine, commands),
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl },
    log: () => {},
  });
  port = (await adapter.start()).port as number;
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** No `<!…>`, `<@…>` or `<#…>` token, and no link but our own to each source. */
function expectNeutralised(message: { text?: unknown; blocks?: unknown }): void {
  const texts = [String(message.text ?? ''), ...blockTexts(message.blocks)];
  const all = texts.join('\n');
  expect(all).toContain('&lt;!channel&gt;');
  expect(all).not.toMatch(/<[!@#]/);
  const links = [...all.matchAll(/<([^<>|]+)\|/g)].map((m) => m[1] as string);
  expect(links).toContain('https://example.test/bulletin?a=1&amp;b=2');
  for (const url of links) expect(url).toMatch(/^https?:\/\/(?!evil\.test)/);
}

describe('Slack adapter: corpus text cannot ping or link', () => {
  it('/denials russia shows the hostile paragraph escaped', async () => {
    const fields: Record<string, string> = {
      ...fixture<Record<string, string>>('slash-command-ask.json'),
      command: '/denials',
      text: 'russia',
    };
    fields.response_url = fake.responseUrl('denials');
    expect((await postCommand(port, fields)).status).toBe(200);
    const body = await waitFor('the /denials answer', () => fake.responses.find((r) => r.id === 'denials')?.body);
    expect(JSON.stringify(body.blocks)).toContain('Zorblatt operators denied the report');
    expectNeutralised(body);
  });

  it('a mention about it gets a threaded answer with the same text escaped', async () => {
    const payload = fixture<{ event: Record<string, unknown> }>('event-app-mention.json');
    payload.event = { ...payload.event, text: '<@U0BOTUSER> /denials russia', ts: '1730500000.000100' };
    expect((await postEvent(port, payload)).status).toBe(200);
    const post = await waitFor('the threaded answer', () =>
      fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.thread_ts === '1730500000.000100'),
    );
    expect(JSON.stringify(post.args.blocks)).toContain('Zorblatt operators denied the report');
    expectNeutralised(post.args);
  });
});
