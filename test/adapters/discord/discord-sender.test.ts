/**
 * The Discord PlatformSender through real @discordjs/rest against the loopback stand-in: what a
 * notification looks like on the wire, and how each failure is classified for the delivery loop.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../../src/adapters/discord/discord-sender.ts';
import { claimCitation, makeReply } from '../../../src/core/reply.ts';
import { DeliveryError, type DeliveryFailure } from '../../../src/updates/subscriptions/sender.ts';
import { corpus } from '../../commands/setup.ts';
import { type CannedResponse, CHANNEL_ID, DiscordStandIn, GUILD_ID, TOKEN } from './discord-stand-in.ts';

let s: DiscordStandIn;
beforeAll(async () => {
  s = await DiscordStandIn.start();
});
afterAll(async () => {
  await s?.close();
});

const target = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };
const claim = corpus.claims.find((c) => c.type === 'denial');
if (!claim) throw new Error('test: the corpus has no denial');
const update = makeReply({
  title: 'New assessment',
  text: 'A new denial was recorded. @everyone',
  found: true,
  citations: [claimCitation(corpus, claim)],
});

/** The failure a send ends with when Discord answers `response`. */
async function failureFor(response: CannedResponse): Promise<DeliveryFailure> {
  s.respondOnce('POST', /^\/channels\/\d+\/messages$/, response);
  const sender = createDiscordSender({ token: TOKEN, apiUrl: s.apiUrl, rest: { timeout: 3000 } });
  const error = await sender.send(target, update).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return (error as DeliveryError).failure;
}

describe('Discord sender', () => {
  it('posts the reply as embeds to the channel, with the bot token and no parse-able mentions', async () => {
    const sender = createDiscordSender({ token: TOKEN, apiUrl: s.apiUrl });
    expect(sender.platform).toBe('discord');
    expect(sender.minIntervalMs).toBeGreaterThanOrEqual(1000);
    await sender.send(target, update);
    const [r] = s.find((x) => x.method === 'POST' && x.path === `/channels/${CHANNEL_ID}/messages`);
    expect(r?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(r?.body.allowed_mentions).toEqual({ parse: [] });
    expect(r?.body.embeds[0].description).toBe('A new denial was recorded. @\u200beveryone');
    expect(r?.body.embeds[1].footer.text).toMatch(new RegExp(`^${claim.source}#${claim.paragraph}\\b`));
  });

  it('a 429 is reported as rate_limited with the delay Discord asked for, without waiting it out', async () => {
    const failure = await failureFor({
      status: 429,
      headers: { 'retry-after': '7', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 7, global: false },
    });
    expect(failure.kind).toBe('rate_limited');
    expect(failure.kind === 'rate_limited' && failure.retryAfterMs).toBeGreaterThanOrEqual(7000);
    expect(failure.message).toMatch(/429/);
  });

  it.each([
    [403, 50013, 'Missing Permissions', /Embed Links/],
    [403, 50001, 'Missing Access', /cannot see this channel/],
    [404, 10003, 'Unknown Channel', /no longer exists/],
  ])('a %i with code %i is permanent, with what to do', async (status, code, message, advice) => {
    const failure = await failureFor({ status, body: { message, code } });
    expect(failure.kind).toBe('permanent');
    expect(failure.message).toMatch(advice);
  });

  it('a 5xx is transient', async () => {
    const failure = await failureFor({ status: 503, body: { message: 'Service Unavailable' } });
    expect(failure.kind).toBe('transient');
    expect(failure.message).toMatch(/503/);
  });

  it('Discord out of reach is transient', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sender = createDiscordSender({ token: TOKEN, apiUrl: `http://127.0.0.1:${port}/api` });
    const error = await sender.send(target, update).catch((e: unknown) => e);
    expect((error as DeliveryError).failure).toMatchObject({ kind: 'transient', message: /cannot reach Discord/ });
  });

  it('a target on another platform is refused as permanent', async () => {
    const sender = createDiscordSender({ token: TOKEN, apiUrl: s.apiUrl });
    const error = await sender.send({ ...target, platform: 'slack' }, update).catch((e: unknown) => e);
    expect((error as DeliveryError).failure.kind).toBe('permanent');
  });
});
