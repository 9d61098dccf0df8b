/**
 * A loopback stand-in for Slack, for adapter tests: a Web API server (`/api/<method>`, bodies
 * form-encoded or JSON, as the SDK sends them), `response_url` endpoints (`/respond/<id>`), and
 * requests to the adapter signed exactly as Slack signs them (v0 HMAC-SHA256 over
 * `v0:<timestamp>:<body>`). Nothing here talks to anything but 127.0.0.1.
 *
 * Messages posted with `chat.postMessage` are kept per channel, with their metadata, and
 * `conversations.history` returns them newest first (metadata only with `include_all_metadata`).
 * For multi-workspace tests, `installable` workspaces answer `oauth.v2.access` for their code and
 * `auth.test` for their token, and `/oauth/v2/authorize` stands in for Slack's authorize page.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36dedd4bea2543';
export const BOT_TOKEN = 'xoxb-0000000000-0000000000000-testtokenvalue000000000';
/** The app credentials of multi-workspace tests (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET). */
export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'test-client-secret-0a1b2c3d4e5f';
export const STATE_SECRET = 'test-state-secret-that-is-long-and-random-9f8e7d';

/** A payload from test/fixtures/slack/. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  const file = fileURLToPath(new URL(`../../fixtures/slack/${name}`, import.meta.url));
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** One Web API call the fake received: the method and its arguments (`blocks` parsed when a string). */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** The Authorization header the SDK sent (`Bearer <token>`). */
  authorization: string;
}

/** A `response_url` post. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

/** How the fake answers a Web API call: a status, optional headers, and a JSON body. */
export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** The JSON answer; the default answer's body when left out. */
  body?: Record<string, unknown>;
  /** Holds the answer back this long (ms), e.g. past the client's timeout. */
  delayMs?: number;
}

/** A message the fake accepted from `chat.postMessage`. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  /** The Authorization header of the post. */
  authorization: string;
}

/** A workspace that can install the app: its OAuth code, and what `oauth.v2.access` gives for it. */
export interface InstallableWorkspace {
  code: string;
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
}

export interface FakeSlack {
  /** Web API base, e.g. `http://127.0.0.1:1234/api/`. */
  apiUrl: string;
  responseUrl(id: string): string;
  calls: ApiCall[];
  responses: ResponsePost[];
  /** Posted messages by channel, oldest first. */
  messages: Map<string, PostedMessage[]>;
  /** Workspaces whose code `oauth.v2.access` exchanges (multi-workspace tests). */
  installable: InstallableWorkspace[];
  /** The authorize page requests the fake received (its query parameters). */
  authorizeRequests: URLSearchParams[];
  /** Overrides the answer to a method; return undefined for the default. */
  answer: (call: ApiCall) => FakeAnswer | undefined;
  close(): Promise<void>;
}

export const BOT_IDENTITY = { user_id: 'U0BOTUSER', bot_id: 'B0THREATD', team_id: 'T0THREAT1' };

/** Starts the fake Slack on 127.0.0.1 with a free port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const messages = new Map<string, PostedMessage[]>();
  const installable: InstallableWorkspace[] = [];
  const authorizeRequests: URLSearchParams[] = [];
  const fake: Partial<FakeSlack> = {
    calls,
    responses,
    messages,
    installable,
    authorizeRequests,
    answer: () => undefined,
  };
  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const type = String(req.headers['content-type'] ?? '');
    const args = parseBody(raw, type);
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ id: url.pathname.slice('/respond/'.length), body: args });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname === '/oauth/v2/authorize') {
      authorizeRequests.push(url.searchParams);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Allow threatdesk?</p>');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    for (const field of ['blocks', 'metadata']) {
      if (typeof args[field] === 'string') args[field] = JSON.parse(args[field] as string);
    }
    const call = { method, args, authorization: String(req.headers.authorization ?? '') };
    calls.push(call);
    const standard = () => defaultAnswer(call, messages, installable);
    const override = fake.answer?.(call);
    const answer = override ? { ...override, body: override.body ?? standard().body } : standard();
    if (call.method === 'chat.postMessage' && answer.body?.ok === true) {
      // Slack keeps the message even when its answer never reaches the client.
      const channel = String(args.channel);
      const list = messages.get(channel) ?? [];
      list.push({
        channel,
        ts: String(answer.body.ts),
        text: args.text,
        metadata: args.metadata as PostedMessage['metadata'],
        authorization: call.authorization,
      });
      messages.set(channel, list);
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(fake, {
    apiUrl: `${base}/api/`,
    responseUrl: (id: string) => `${base}/respond/${id}`,
    close: () => closeServer(server),
  }) as FakeSlack;
}

let lastTs = 0;

/** A fresh message timestamp, increasing even within one millisecond. */
function nextTs(): string {
  lastTs = Math.max(lastTs + 1, Date.now() * 1000);
  return (lastTs / 1e6).toFixed(6);
}

function defaultAnswer(
  call: ApiCall,
  messages: Map<string, PostedMessage[]>,
  installable: readonly InstallableWorkspace[],
): FakeAnswer {
  const bearer = call.authorization.replace(/^Bearer /, '');
  const workspace = installable.find((w) => w.botToken === bearer);
  if (call.method === 'auth.test' && workspace) {
    return {
      body: {
        ok: true,
        url: `https://${workspace.teamName.toLowerCase()}.slack.com/`,
        team: workspace.teamName,
        user: 'threatdesk',
        user_id: workspace.botUserId,
        bot_id: workspace.botId,
        team_id: workspace.teamId,
      },
    };
  }
  if (call.method === 'auth.test') {
    return {
      body: { ok: true, url: 'https://newsroom.slack.com/', team: 'Newsroom', user: 'threatdesk', ...BOT_IDENTITY },
    };
  }
  if (call.method === 'oauth.v2.access') return oauthAccess(call, installable);
  if (call.method === 'chat.postMessage') {
    return { body: { ok: true, channel: call.args.channel, ts: nextTs() } };
  }
  if (call.method === 'conversations.history') {
    const all = [...(messages.get(String(call.args.channel)) ?? [])].reverse();
    const limit = Number(call.args.limit ?? 100);
    const withMetadata = String(call.args.include_all_metadata) === 'true';
    const page = all.slice(0, limit).map((m) => ({
      type: 'message',
      ts: m.ts,
      text: m.text,
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    }));
    return { body: { ok: true, messages: page, has_more: all.length > limit } };
  }
  if (call.method === 'chat.postEphemeral') return { body: { ok: true, message_ts: `${Date.now() / 1000}` } };
  return { body: { ok: false, error: 'unknown_method' } };
}

/** `oauth.v2.access` as Slack answers it: the workspace's bot token for its code, once the app's credentials check out. */
function oauthAccess(call: ApiCall, installable: readonly InstallableWorkspace[]): FakeAnswer {
  if (call.args.client_id !== CLIENT_ID || call.args.client_secret !== CLIENT_SECRET) {
    return { body: { ok: false, error: 'invalid_client_id' } };
  }
  const workspace = installable.find((w) => w.code === call.args.code);
  if (!workspace) return { body: { ok: false, error: 'invalid_code' } };
  return {
    body: {
      ok: true,
      app_id: 'A0THREATD',
      authed_user: { id: 'U0INSTALLR' },
      scope: 'app_mentions:read,channels:history,chat:write,commands,groups:history,im:history',
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId,
      team: { id: workspace.teamId, name: workspace.teamName },
      enterprise: null,
      is_enterprise_install: false,
    },
  };
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (!raw) return {};
  if (type.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Closes a server, dropping idle keep-alive connections. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

/** Slack's signature headers for a body. */
export function signatureHeaders(body: string, secret = SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SendOptions {
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
}

/** POSTs a signed, form-encoded slash command to the adapter. */
export function postCommand(port: number, fields: Record<string, string>, options: SendOptions = {}) {
  const body = new URLSearchParams(fields).toString();
  return post(port, body, 'application/x-www-form-urlencoded', options);
}

/** POSTs a signed JSON event (or url_verification) to the adapter. */
export function postEvent(port: number, payload: unknown, options: SendOptions = {}) {
  return post(port, JSON.stringify(payload), 'application/json', options);
}

async function post(port: number, body: string, type: string, options: SendOptions) {
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': type, ...signatureHeaders(body, options.secret, options.timestamp), ...options.headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/**
 * Polls until `read` returns a value other than undefined, for at most `timeoutMs`; throws with
 * `what` when it never does.
 */
export async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The mrkdwn texts of a message's blocks, in order (sections and context elements). */
export function blockTexts(blocks: unknown): string[] {
  const out: string[] = [];
  for (const b of (blocks ?? []) as { type: string; text?: { text: string }; elements?: { text: string }[] }[]) {
    if (b.text) out.push(b.text.text);
    for (const e of b.elements ?? []) out.push(e.text);
  }
  return out;
}

/** The quoted text of a message's blocks: `>` lines, without the marks, joined with spaces. */
export function quotedText(blocks: unknown): string {
  return blockTexts(blocks)
    .flatMap((t) => t.split('\n'))
    .filter((line) => line.startsWith('>'))
    .map((line) => line.slice(1))
    .join(' ');
}
