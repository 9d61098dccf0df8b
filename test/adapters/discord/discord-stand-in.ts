/**
 * A loopback stand-in for Discord: the REST API (`/api/v10/...`) and the gateway (a WebSocket on
 * the same port, JSON encoding) in one HTTP server on 127.0.0.1. It records every request as Discord
 * would have received it, answers like Discord does, and can be told to answer one request with an
 * error (a 429 with Retry-After, a 403, a 5xx). The gateway says HELLO, checks IDENTIFY, sends READY
 * and GUILD_CREATE from the fixtures, acknowledges heartbeats, and dispatches what a test sends.
 *
 * Sharding works as in Discord: GET /gateway/bot recommends a shard count, each connection
 * identifies as `shard: [id, count]`, and a guild's events (its GUILD_CREATE, interactions and
 * messages) go only to the connection of shard `(guild_id >> 22) % count`; DMs go to shard 0.
 */
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

const fixtureDir = new URL('../../fixtures/discord/', import.meta.url);

/** A fixture from test/fixtures/discord, parsed fresh (tests may change their copy). */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(new URL(name, fixtureDir), 'utf8')) as T;
}

export const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.stand-in.bot-token';
export const APP_ID = '1100000000000000001';
export const GUILD_ID = '1200000000000000001';
export const CHANNEL_ID = '1300000000000000001';
export const USER_ID = '1400000000000000001';
/** A second guild, routed to shard 0 of 2 (GUILD_ID is routed to shard 1 of 2). */
export const GUILD_ID_2 = '1200000000004194305';
export const CHANNEL_ID_2 = '1300000000000000002';

/**
 * The shard Discord sends a guild's events to: `(guild_id >> 22) % shard_count`.
 *
 * @example shardOf(GUILD_ID, 2) // 1
 */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild the bot is in, with its one text channel. */
export interface StandInGuild {
  id: string;
  channelId: string;
}

/** One gateway connection, as the stand-in saw it. */
export interface GatewaySession {
  /** The connection's query string (`v`, `encoding`). */
  query: URLSearchParams;
  /** The `shard` array IDENTIFY sent, if it sent one. */
  shard?: [number, number];
  /** Whether IDENTIFY was accepted (READY sent). */
  ready: boolean;
  /** Every dispatch (op 0) sent on this connection, in order. */
  dispatched: { t: string; d: unknown }[];
}

interface Connection extends GatewaySession {
  ws: WebSocket;
  seq: number;
}

/** One request as Discord would have received it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The path as sent, e.g. `…/messages/%40original`. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON, inspected by tests.
  body: any;
  receivedAt: number;
}

/** A canned answer for one request. */
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface StandInOptions {
  /** Close the gateway with this code right after IDENTIFY (4004 bad token, 4014 disallowed intents). */
  closeOnIdentify?: number;
  /** The guilds the bot is in (default: GUILD_ID with CHANNEL_ID). Each goes to its own shard. */
  guilds?: StandInGuild[];
  /** `shards` in GET /gateway/bot: the shard count Discord recommends (default 1). */
  recommendedShards?: number;
  /**
   * `session_start_limit.max_concurrency` (default 1). discord.js spaces IDENTIFYs 5 s apart per
   * bucket of `shard_id % max_concurrency`, so tests of N shards set N to connect them at once.
   */
  maxConcurrency?: number;
  /** Close with 4011 (sharding required) an IDENTIFY for fewer shards than this, as Discord does. */
  minShards?: number;
}

let nextId = 1800000000000000000n;
const snowflake = () => String(nextId++);

export class DiscordStandIn {
  readonly requests: RecordedRequest[] = [];
  /** IDENTIFY payloads (`d`) received on the gateway. */
  readonly identifies: Record<string, unknown>[] = [];
  /** Query strings of gateway connections. */
  readonly gatewayQueries: URLSearchParams[] = [];
  private readonly connections: Connection[] = [];
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly canned: { method: string; path: RegExp; response: CannedResponse }[] = [];
  private readonly waiters = new Set<() => void>();
  private port = 0;

  private constructor(private readonly options: StandInOptions) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws, req) => this.onGateway(ws, req));
  }

  /** Starts on a free loopback port. */
  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    const standIn = new DiscordStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** The REST base to give discord.js (`rest.api`), without the version. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Answers the next request matching `method` and `path` with `response` instead of the default. */
  respondOnce(method: string, path: RegExp, response: CannedResponse): void {
    this.canned.push({ method, path, response });
  }

  /** Every gateway connection so far, in the order they opened (closed ones included). */
  get sessions(): readonly GatewaySession[] {
    return this.connections;
  }

  /**
   * Sends a gateway dispatch (op 0) where Discord would: an event with a `guild_id` to the
   * connection of that guild's shard, anything else (a DM) to shard 0. With one connection
   * (shard 0 of 1), that is every event.
   */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    for (const c of this.openSessions()) {
      const [id, count] = c.shard ?? [0, 1];
      if ((typeof guildId === 'string' ? shardOf(guildId, count) : 0) === id) this.send(c, t, d);
    }
  }

  /** Sends a gateway dispatch on the connection identified as `shard` only, wherever Discord would route it. */
  dispatchToShard(shard: number, t: string, d: unknown): void {
    const c = this.openSessions().find((s) => (s.shard?.[0] ?? 0) === shard);
    if (!c) throw new Error(`stand-in: no open gateway connection identified as shard ${shard}`);
    this.send(c, t, d);
  }

  /** Requests matching `predicate`, in the order received. */
  find(predicate: (r: RecordedRequest) => boolean): RecordedRequest[] {
    return this.requests.filter(predicate);
  }

  /** Waits (at most `timeoutMs`) until `count` requests match `predicate`; returns them. */
  async waitFor(
    predicate: (r: RecordedRequest) => boolean,
    { count = 1, timeoutMs = 8000 } = {},
  ): Promise<RecordedRequest[]> {
    const done = () => this.find(predicate).length >= count;
    if (!done()) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiters.delete(check);
          const seen = this.requests.map((r) => `${r.method} ${r.path}`).join('\n  ');
          reject(new Error(`stand-in: waited ${timeoutMs} ms for ${count} matching request(s); got:\n  ${seen}`));
        }, timeoutMs);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        };
        this.waiters.add(check);
      });
    }
    return this.find(predicate);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private openSessions(): Connection[] {
    return this.connections.filter((c) => c.ready && this.sockets.has(c.ws));
  }

  private send(c: Connection, t: string, d: unknown): void {
    c.seq += 1;
    c.dispatched.push({ t, d });
    c.ws.send(JSON.stringify({ op: 0, t, s: c.seq, d }));
  }

  private onGateway(ws: WebSocket, req: http.IncomingMessage): void {
    this.sockets.add(ws);
    const query = new URL(req.url ?? '/', this.gatewayUrl).searchParams;
    this.gatewayQueries.push(query);
    const c: Connection = { query, ready: false, dispatched: [], ws, seq: 0 };
    this.connections.push(c);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (packet.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (packet.op !== 2) return;
      this.identifies.push(packet.d);
      const shard = packet.d.shard;
      if (Array.isArray(shard)) c.shard = [Number(shard[0]), Number(shard[1])];
      if (packet.d.token !== TOKEN) return ws.close(4004, 'Authentication failed.');
      if (this.options.closeOnIdentify) return ws.close(this.options.closeOnIdentify, 'Disallowed intent(s).');
      const [id, count] = c.shard ?? [0, 1];
      if (!(Number.isInteger(id) && Number.isInteger(count) && id >= 0 && id < count)) {
        return ws.close(4010, 'Invalid shard.');
      }
      if (count < (this.options.minShards ?? 1)) return ws.close(4011, 'Sharding required.');
      c.ready = true;
      const guilds = (this.options.guilds ?? [{ id: GUILD_ID, channelId: CHANNEL_ID }]).filter(
        (g) => shardOf(g.id, count) === id,
      );
      const { shard: _, ...ready } = fixture<Record<string, unknown>>('ready.json');
      this.send(c, 'READY', {
        ...ready,
        ...(c.shard ? { shard: c.shard } : {}),
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        resume_gateway_url: this.gatewayUrl,
      });
      for (const g of guilds) this.send(c, 'GUILD_CREATE', guildCreate(g));
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.apiUrl);
    const rawPath = url.pathname.replace(/^\/api\/v10/, '');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(rawPath),
      rawPath,
      query: url.searchParams,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    const i = this.canned.findIndex((c) => c.method === recorded.method && c.path.test(recorded.path));
    const canned = i >= 0 ? this.canned.splice(i, 1)[0]?.response : undefined;
    const { status, headers = {}, body } = canned ?? this.answer(recorded);
    res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
    for (const check of [...this.waiters]) check();
  }

  /** Discord's answer to a well-formed request. */
  private answer(r: RecordedRequest): CannedResponse {
    const usesToken = !/^\/(interactions|webhooks)\//.test(r.path);
    if (usesToken && r.headers.authorization !== `Bot ${TOKEN}`) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    const route = `${r.method} ${r.path}`;
    if (route === 'GET /gateway/bot') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: this.options.recommendedShards ?? 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: this.options.maxConcurrency ?? 1,
          },
        },
      };
    }
    if (/^POST \/interactions\/\d+\/[^/]+\/callback$/.test(route)) return { status: 204 };
    if (/^DELETE \/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(route)) return { status: 204 };
    if (/^(PATCH \/webhooks\/\d+\/[^/]+\/messages\/@original|POST \/webhooks\/\d+\/[^/]+)$/.test(route)) {
      return { status: 200, body: { ...this.message(r.body, CHANNEL_ID), webhook_id: APP_ID, application_id: APP_ID } };
    }
    const channelPost = /^POST \/channels\/(\d+)\/messages$/.exec(route);
    if (channelPost) return { status: 200, body: this.message(r.body, channelPost[1] as string) };
    if (/^PUT \/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(route)) {
      const body = (r.body as Record<string, unknown>[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: APP_ID,
        version: snowflake(),
      }));
      return { status: 200, body };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /** The message object Discord returns for a created or edited message. */
  private message(body: Record<string, unknown> | undefined, channelId: string): Record<string, unknown> {
    const user = fixture<{ user: Record<string, unknown> }>('ready.json').user;
    return {
      id: snowflake(),
      channel_id: channelId,
      author: user,
      content: body?.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body?.embeds ?? [],
      pinned: false,
      type: body?.message_reference ? 19 : 0,
      flags: body?.flags ?? 0,
      components: [],
    };
  }
}

/** GUILD_CREATE for `guild`: the fixture, moved to the guild's id and channel. */
function guildCreate(guild: StandInGuild): Record<string, unknown> {
  const g = fixture<Record<string, unknown> & { roles: { id: string }[]; channels: { id: string }[] }>(
    'guild-create.json',
  );
  return {
    ...g,
    id: guild.id,
    system_channel_id: guild.channelId,
    // The @everyone role has the guild's id.
    roles: g.roles.map((r) => (r.id === GUILD_ID ? { ...r, id: guild.id } : r)),
    channels: g.channels.map((ch, i) => (i === 0 ? { ...ch, id: guild.channelId } : ch)),
  };
}

/** Every message body Discord received: created, edited and follow-up messages. */
export function messageBodies(standIn: DiscordStandIn): RecordedRequest[] {
  return standIn.find(
    (r) =>
      (r.method === 'PATCH' && r.path.endsWith('/messages/@original')) ||
      (r.method === 'POST' && /^\/(channels\/\d+\/messages|webhooks\/\d+\/[^/]+)$/.test(r.path)),
  );
}
