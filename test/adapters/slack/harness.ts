/**
 * A loopback stand-in for Slack, for adapter tests: a Web API server (`/api/<method>`, bodies
 * form-encoded or JSON, as the SDK sends them), `response_url` endpoints (`/respond/<id>`), and
 * requests to the adapter signed exactly as Slack signs them (v0 HMAC-SHA256 over
 * `v0:<timestamp>:<body>`). Nothing here talks to anything but 127.0.0.1.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36dedd4bea2543';
export const BOT_TOKEN = 'xoxb-0000000000-0000000000000-testtokenvalue000000000';

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
  body?: Record<string, unknown>;
}

export interface FakeSlack {
  /** Web API base, e.g. `http://127.0.0.1:1234/api/`. */
  apiUrl: string;
  responseUrl(id: string): string;
  calls: ApiCall[];
  responses: ResponsePost[];
  /** Overrides the answer to a method; return undefined for the default. */
  answer: (call: ApiCall) => FakeAnswer | undefined;
  close(): Promise<void>;
}

export const BOT_IDENTITY = { user_id: 'U0BOTUSER', bot_id: 'B0THREATD', team_id: 'T0THREAT1' };

/** Starts the fake Slack on 127.0.0.1 with a free port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const fake: Partial<FakeSlack> = { calls, responses, answer: () => undefined };
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
    const method = url.pathname.replace(/^\/api\//, '');
    if (typeof args.blocks === 'string') args.blocks = JSON.parse(args.blocks);
    const call = { method, args, authorization: String(req.headers.authorization ?? '') };
    calls.push(call);
    const answer = fake.answer?.(call) ?? defaultAnswer(call);
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

function defaultAnswer(call: ApiCall): FakeAnswer {
  if (call.method === 'auth.test') {
    return {
      body: { ok: true, url: 'https://newsroom.slack.com/', team: 'Newsroom', user: 'threatdesk', ...BOT_IDENTITY },
    };
  }
  if (call.method === 'chat.postMessage') {
    return { body: { ok: true, channel: call.args.channel, ts: `${Date.now() / 1000}` } };
  }
  if (call.method === 'chat.postEphemeral') return { body: { ok: true, message_ts: `${Date.now() / 1000}` } };
  return { body: { ok: false, error: 'unknown_method' } };
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
