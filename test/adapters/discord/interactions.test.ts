/**
 * Slash commands end to end: the real discord.js Client logs in to the loopback gateway, receives
 * INTERACTION_CREATE dispatches shaped as Discord sends them, and answers through REST. The tests
 * assert on what Discord received.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../../src/core/commands/define-command.ts';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { messageBodies, type RecordedRequest } from './discord-stand-in.ts';
import { embedText, type Harness, interactionPayload, quotedParagraph, startHarness } from './harness.ts';

const EPHEMERAL = 64;
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => {
  release = resolve;
});
// Answers only when the test says so, to exercise an answer that arrives after the acknowledgement.
const lateHelp = defineCommand({
  name: 'late-help',
  description: 'Test command: an ephemeral answer that arrives late.',
  options: z.object({}),
  example: '/late-help',
  run: async () => {
    await gate;
    return makeReply({ title: 'Late help', text: 'Only you can see this.', ephemeral: true, found: true });
  },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ extraCommands: [lateHelp] });
});
afterAll(async () => {
  release();
  await h?.close();
});

/** Dispatches `/name options…` and returns the requests Discord got for it once it was answered. */
async function run(name: string, options: { name: string; value: string }[] = [], count = 1) {
  const payload = interactionPayload(name, options);
  h.standIn.dispatch('INTERACTION_CREATE', payload);
  const mine = (r: RecordedRequest) => r.path.includes(`/${payload.token}`);
  await h.standIn.waitFor((r) => mine(r) && r.method === 'PATCH', { count });
  return { payload, requests: h.standIn.find(mine) };
}

const embedsOf = (r: RecordedRequest | undefined) => (r?.body.embeds ?? []) as APIEmbed[];
/** `<source>#<n>` of a citation embed, from its footer. */
const keyOf = (e: APIEmbed) => e.footer?.text.split(' ')[0] ?? '';

describe('Discord slash commands', () => {
  it('identifies with the Guilds, GuildMessages and DirectMessages intents only, over JSON', () => {
    expect(h.standIn.identifies).toHaveLength(1);
    expect(h.standIn.identifies[0]?.intents).toBe(1 + 512 + 4096);
    expect(h.standIn.gatewayQueries[0]?.get('encoding')).toBe('json');
    expect(h.standIn.gatewayQueries[0]?.get('v')).toBe('10');
  });

  it("/ask question:what is Russia's preference is deferred, then edited with the Russia preference paragraph cited verbatim", async () => {
    const { payload, requests } = await run('ask', [{ name: 'question', value: "what is Russia's preference" }]);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /interactions/${payload.id}/${payload.token}/callback`,
      `PATCH /webhooks/${payload.application_id}/${payload.token}/messages/@original`,
    ]);
    expect(requests[1]?.rawPath).toMatch(/\/messages\/%40original$/);
    expect(requests[0]?.body).toEqual({ type: 5, data: { flags: 0 } });
    const embeds = embedsOf(requests[1]);
    const { corpus } = h.runtime.engine();
    const preferences = new Set(
      corpus.claims
        .filter((c) => c.actor === 'russia' && c.type === 'preference')
        .map((c) => `${c.source}#${c.paragraph}`),
    );
    const cited = embeds[1] as APIEmbed;
    expect(preferences.has(keyOf(cited))).toBe(true);
    const [source, n] = keyOf(cited).split('#') as [string, string];
    expect(quotedParagraph(cited)).toBe(paragraphOf(corpus, source, Number(n))?.text);
    expect(cited.title).toContain(corpus.sources.get(source)?.title.slice(0, 40));
    expect(requests[1]?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('/denials lists every recorded denial, each cited in its own embed', async () => {
    const { requests } = await run('denials');
    const { corpus } = h.runtime.engine();
    // A reported habit ("regularly denies") is noted after the list, not cited as a dated denial.
    const denials = corpus.claims
      .filter((c) => c.type === 'denial' && c.reported !== 'habit')
      .map((c) => `${c.source}#${c.paragraph}`);
    const embeds = embedsOf(requests.at(-1));
    expect(embeds[0]?.description).toContain(`${denials.length} recorded denials`);
    const cited = embeds.filter((e) => e.footer);
    expect(cited.map(keyOf)).toEqual(denials);
    for (const e of cited) {
      const [source, n] = keyOf(e).split('#') as [string, string];
      expect(quotedParagraph(e)).toBe(paragraphOf(corpus, source, Number(n))?.text);
    }
  });

  it('/help is acknowledged and answered ephemerally', async () => {
    const { requests } = await run('help');
    expect(requests[0]?.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(embedText(embedsOf(requests[1]))).toContain('/denials');
  });

  it('an option the command rejects is answered ephemerally with what to fix', async () => {
    const { requests } = await run('denials', [{ name: 'actor', value: 'atlantis' }]);
    expect(requests[0]?.body.data.flags).toBe(EPHEMERAL);
    expect(embedText(embedsOf(requests[1]))).toContain("I don't know the actor");
  });

  it('a command Discord still lists but threatdesk no longer has gets an ephemeral hint to re-register', async () => {
    const { requests } = await run('retired');
    expect(requests[0]?.body.data.flags).toBe(EPHEMERAL);
    expect(embedText(embedsOf(requests[1]))).toContain('npm run register');
  });

  it('an answer that turns out ephemeral after a public acknowledgement is replaced by an ephemeral follow-up', async () => {
    const payload = interactionPayload('late-help', []);
    h.standIn.dispatch('INTERACTION_CREATE', payload);
    const mine = (r: RecordedRequest) => r.path.includes(`/${payload.token}`);
    await h.standIn.waitFor((r) => mine(r) && r.path.endsWith('/callback'));
    release();
    await h.standIn.waitFor((r) => mine(r) && r.method === 'POST' && r.path.startsWith('/webhooks/'));
    const requests = h.standIn.find(mine);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'DELETE', 'POST']);
    expect(requests[0]?.body.data.flags).toBe(0);
    expect(requests[2]?.body.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedText(embedsOf(requests[2]))).toContain('Only you can see this.');
  });

  it('autocomplete on an actor option returns matching actors by name or alias, at most 25', async () => {
    const respond = async (value: string) => {
      const payload = interactionPayload('denials', [{ name: 'actor', value, focused: true }], 'autocomplete');
      h.standIn.dispatch('INTERACTION_CREATE', payload);
      const [r] = await h.standIn.waitFor((x) => x.path === `/interactions/${payload.id}/${payload.token}/callback`);
      expect(r?.body.type).toBe(8);
      return r?.body.data.choices as { name: string; value: string }[];
    };
    expect((await respond('kreml'))[0]).toEqual({ name: 'Russia (Kremlin)', value: 'russia' });
    expect((await respond('ira'))[0]?.value).toBe('iran');
    const all = await respond('');
    expect(all).toHaveLength(25);
    expect(h.runtime.engine().corpus.actors.size).toBeGreaterThan(25);
    for (const c of all) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it('autocomplete on an option that is not an actor returns no choices', async () => {
    const payload = interactionPayload('help', [{ name: 'command', value: 'de', focused: true }], 'autocomplete');
    h.standIn.dispatch('INTERACTION_CREATE', payload);
    const [r] = await h.standIn.waitFor((x) => x.path === `/interactions/${payload.id}/${payload.token}/callback`);
    expect(r?.body).toEqual({ type: 8, data: { choices: [] } });
  });

  it('no message can ping: allowed_mentions.parse is empty and mentions and markup in corpus and user text are escaped', async () => {
    await run('search', [{ name: 'words', value: 'quokkafarm' }]);
    await run('search', [
      { name: 'words', value: '@everyone <@&223456789012345678> <@123456789012345678> quokkafarm' },
    ]);
    const bodies = messageBodies(h.standIn);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const r of bodies) {
      expect(r.body.allowed_mentions?.parse).toEqual([]);
      const text = `${r.body.content ?? ''}\n${embedText(embedsOf(r))}`;
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/<[@#][!&]?\d+>/);
      expect(text).not.toMatch(/(?<!\\)\[click here(?<!\\)\]\(/);
      for (const e of embedsOf(r)) expect(e.url ?? '').not.toMatch(/^javascript:/);
    }
    const hostile = h.runtime.engine().corpus.sources.get('2024-06-01-test-hostile-markup');
    const shown = embedsOf(bodies.at(-1)).filter((e) => keyOf(e).startsWith('2024-06-01-test-hostile-markup#'));
    expect(shown.map(quotedParagraph).sort()).toEqual(hostile?.paragraphs.map((p) => p.text).sort());
  });

  it('a 429 with Retry-After on the edit is waited out, then the edit is retried', async () => {
    h.standIn.respondOnce('PATCH', /\/messages\/@original$/, {
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 1, global: false },
    });
    const { requests } = await run('ask', [{ name: 'question', value: 'who denied interfering?' }], 2);
    const edits = requests.filter((r) => r.method === 'PATCH');
    expect(edits).toHaveLength(2);
    expect(edits[1]?.body).toEqual(edits[0]?.body);
    // A lower bound only: the retry must not come before the delay Discord asked for.
    expect((edits[1]?.receivedAt ?? 0) - (edits[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(h.log.lines.some((l) => l.level === 'warn' && /429 rate limited on PATCH/.test(l.message))).toBe(true);
  });

  it('a 5xx on the edit is retried', async () => {
    h.standIn.respondOnce('PATCH', /\/messages\/@original$/, { status: 502, body: { message: 'Bad Gateway' } });
    const { requests } = await run('actors', [], 2);
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(h.log.lines.some((l) => /answered 502/.test(l.message))).toBe(true);
  });

  it('a refused answer (403 Missing Permissions) is logged with what to do, and the bot keeps answering', async () => {
    h.standIn.respondOnce('PATCH', /\/messages\/@original$/, {
      status: 403,
      body: { message: 'Missing Permissions', code: 50013 },
    });
    const { requests } = await run('sources', [], 2);
    const edits = requests.filter((r) => r.method === 'PATCH');
    expect(edits[1]?.body).toMatchObject({ content: expect.stringContaining('could not show'), embeds: [] });
    const line = h.log.lines.find((l) => l.level === 'error' && /Missing Permissions/.test(l.message));
    expect(line?.message).toMatch(/answering \/sources: .*Embed Links/);
    const after = await run('ask', [{ name: 'question', value: "what is Iran's preference" }]);
    expect(embedsOf(after.requests.at(-1)).length).toBeGreaterThan(1);
  });
});
