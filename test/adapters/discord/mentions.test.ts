/**
 * Questions asked by mentioning the bot, or in a DM, over the loopback gateway: answered as replies
 * that ping no one; every other message is left alone.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { APP_ID, CHANNEL_ID, fixture, type RecordedRequest } from './discord-stand-in.ts';
import { embedText, type Harness, quotedParagraph, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

let counter = 0;
/** A MESSAGE_CREATE payload from the fixture, with a fresh id and the given changes. */
function message(name: 'message-mention.json' | 'message-dm.json', changes: Record<string, unknown> = {}) {
  counter += 1;
  return { ...fixture(name), id: `17000000000000${String(10000 + counter).padStart(5, '0')}`, ...changes } as Record<
    string,
    unknown
  > & { id: string; channel_id: string };
}

const repliesTo = (id: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path.endsWith('/messages') && r.body?.message_reference?.message_id === id;

describe('Discord mentions and DMs', () => {
  it("a mention asking what is Russia's preference is answered as a reply citing the paragraph, pinging no one", async () => {
    const m = message('message-mention.json');
    h.standIn.dispatch('MESSAGE_CREATE', m);
    const [r] = await h.standIn.waitFor(repliesTo(m.id));
    expect(r?.path).toBe(`/channels/${CHANNEL_ID}/messages`);
    expect(r?.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const embeds = r?.body.embeds as APIEmbed[];
    const { corpus } = h.runtime.engine();
    const russia = corpus.claims.filter((c) => c.actor === 'russia' && c.type === 'preference');
    const key = embeds[1]?.footer?.text.split(' ')[0] ?? '';
    expect(russia.map((c) => `${c.source}#${c.paragraph}`)).toContain(key);
    const [source, n] = key.split('#') as [string, string];
    expect(quotedParagraph(embeds[1] as APIEmbed)).toBe(paragraphOf(corpus, source, Number(n))?.text);
  });

  it('messages that do not mention the bot, and messages from bots, are not answered', async () => {
    const plain = message('message-mention.json', { content: "what is Russia's preference", mentions: [] });
    const bot = message('message-mention.json', {
      author: { id: '1400000000000000077', username: 'otherbot', discriminator: '0', avatar: null, bot: true },
    });
    const asked = message('message-mention.json');
    for (const m of [plain, bot, asked]) h.standIn.dispatch('MESSAGE_CREATE', m);
    // Dispatches are handled in order, so once the last is answered the others have been seen.
    await h.standIn.waitFor(repliesTo(asked.id));
    expect(h.standIn.find(repliesTo(plain.id))).toHaveLength(0);
    expect(h.standIn.find(repliesTo(bot.id))).toHaveLength(0);
  });

  it('a DM is answered without a mention, and a /command line in it runs that command', async () => {
    const m = message('message-dm.json');
    h.standIn.dispatch('MESSAGE_CREATE', m);
    const [r] = await h.standIn.waitFor(repliesTo(m.id));
    expect(r?.path).toBe(`/channels/${m.channel_id}/messages`);
    const text = embedText(r?.body.embeds as APIEmbed[]);
    expect(text).toContain('Denials by Iran');
  });

  it('a mention with no question gets a hint instead of an error', async () => {
    const m = message('message-mention.json', { content: `<@${APP_ID}>` });
    h.standIn.dispatch('MESSAGE_CREATE', m);
    const [r] = await h.standIn.waitFor(repliesTo(m.id));
    expect(embedText(r?.body.embeds as APIEmbed[])).toContain('Ask me a question after the mention');
  });

  it('a channel where the bot may not post (403) is logged with the permissions to grant; the bot keeps answering', async () => {
    h.standIn.respondOnce('POST', /^\/channels\/\d+\/messages$/, {
      status: 403,
      body: { message: 'Missing Permissions', code: 50013 },
    });
    const refused = message('message-mention.json');
    h.standIn.dispatch('MESSAGE_CREATE', refused);
    await h.standIn.waitFor(repliesTo(refused.id));
    const next = message('message-mention.json', { content: `<@${APP_ID}> /actors` });
    h.standIn.dispatch('MESSAGE_CREATE', next);
    await h.standIn.waitFor(repliesTo(next.id));
    const line = h.log.lines.find((l) => l.level === 'error' && l.message.includes('Missing Permissions'));
    expect(line?.message).toContain(`answering a message in channel ${CHANNEL_ID}`);
    expect(line?.message).toContain('Send Messages, Embed Links');
  });
});
