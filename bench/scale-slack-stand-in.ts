/**
 * A loopback stand-in for the Slack Web API, for `npm run bench:scale`: one HTTP server on
 * 127.0.0.1 that every bot instance points SLACK_API_URL at. It answers the three methods a
 * delivering bot uses and counts what was posted to each channel:
 *
 * - `auth.test`: ok, with a team and bot user;
 * - `chat.postMessage`: stores the message (text and `metadata`) under its channel at once, then
 *   answers ok with a `ts` after `postDelayMs`, so that an instance killed meanwhile has posted a
 *   message it never saw confirmed, as when a process dies mid-request against the real Slack;
 * - `conversations.history` (`channel`, `limit`, `include_all_metadata`): that channel's messages,
 *   newest first, each with `ts`, `text` and `metadata` (metadata only when asked for, as Slack does).
 *
 * Bodies are read whether form-encoded (what @slack/web-api sends, nested fields JSON-encoded) or
 * JSON. The token comes from the Authorization header or a `token` field; each bench instance has
 * its own, so every post is attributed to the instance that made it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message's `metadata`, as the Slack sender attaches it. */
export interface MessageMetadata {
  event_type?: string;
  event_payload?: Record<string, unknown>;
}

/** One chat.postMessage the stand-in accepted. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  metadata: MessageMetadata | null;
  /** The bot token that posted it. */
  token: string;
  /** performance.now() when the request arrived. */
  at: number;
}

/** Options of `startSlackStandIn`. */
export interface SlackStandInOptions {
  /** How long chat.postMessage takes to answer, in ms (default 30). */
  postDelayMs?: number;
  /**
   * Leave metadata out of conversations.history, as for a message posted without it: the sender's
   * check before re-posting then finds nothing (default false). Shows what the check prevents.
   */
  hideMetadata?: boolean;
  /** Called for every accepted post, before it is answered. */
  onPost?: (message: PostedMessage) => void;
}

/** The running stand-in. */
export interface SlackStandIn {
  /** The Web API base for SLACK_API_URL, e.g. `http://127.0.0.1:40123/api/`. */
  apiUrl: string;
  /** Every accepted post, in arrival order. */
  posts: PostedMessage[];
  /** Web API methods called that the stand-in does not know, with counts (they get `unknown_method`). */
  unknown: Map<string, number>;
  /** Calls of each known method, with counts. */
  calls: Map<string, number>;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

const BOT = { team: 'Bench', team_id: 'T0BENCH01', user: 'threatdesk', user_id: 'U0BENCHBOT', bot_id: 'B0BENCHBOT' };

/** A form value that holds JSON (objects and arrays are sent that way) is parsed; others stay strings. */
function parseFormValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The call's arguments from a form-encoded or JSON body. */
export function parseSlackBody(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body.trim() === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) args[key] = parseFormValue(value);
  return args;
}

function metadataOf(value: unknown): MessageMetadata | null {
  const parsed = typeof value === 'string' ? parseFormValue(value) : value;
  return typeof parsed === 'object' && parsed !== null ? (parsed as MessageMetadata) : null;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/**
 * Starts the stand-in on 127.0.0.1 with a free port.
 *
 * @example
 * const slack = await startSlackStandIn({ postDelayMs: 30 });
 * // SLACK_API_URL=slack.apiUrl …
 * slack.posts.filter((p) => p.channel === 'C0001').length // 1
 * await slack.close();
 */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const postDelayMs = options.postDelayMs ?? 30;
  const posts: PostedMessage[] = [];
  const byChannel = new Map<string, PostedMessage[]>();
  const unknown = new Map<string, number>();
  const calls = new Map<string, number>();
  let lastTs = 0;
  // Slack's ts is seconds.microseconds and unique per channel; one counter keeps them unique overall.
  const nextTs = () => {
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    return `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
  };

  const answer = (res: http.ServerResponse, body: Record<string, unknown>) => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const raw = await readBody(req);
    let args: Record<string, unknown>;
    try {
      args = parseSlackBody(raw, req.headers['content-type']);
    } catch {
      answer(res, { ok: false, error: 'invalid_json' });
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : '');
    if (!token.startsWith('xoxb-')) {
      answer(res, { ok: false, error: 'not_authed' });
      return;
    }
    calls.set(method, (calls.get(method) ?? 0) + 1);
    switch (method) {
      case 'auth.test':
        answer(res, { ok: true, url: 'https://bench.slack.invalid/', ...BOT });
        return;
      case 'chat.postMessage': {
        const channel = typeof args.channel === 'string' ? args.channel : '';
        if (!channel) {
          answer(res, { ok: false, error: 'channel_not_found' });
          return;
        }
        const message: PostedMessage = {
          channel,
          ts: nextTs(),
          text: typeof args.text === 'string' ? args.text : '',
          metadata: metadataOf(args.metadata),
          token,
          at: performance.now(),
        };
        posts.push(message);
        const list = byChannel.get(channel) ?? [];
        list.push(message);
        byChannel.set(channel, list);
        options.onPost?.(message);
        setTimeout(
          () => answer(res, { ok: true, channel, ts: message.ts, message: { text: message.text } }),
          postDelayMs,
        );
        return;
      }
      case 'conversations.history': {
        const channel = typeof args.channel === 'string' ? args.channel : '';
        const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 100) || 100));
        const asked = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const withMetadata = asked && !options.hideMetadata;
        const messages = [...(byChannel.get(channel) ?? [])]
          .reverse()
          .slice(0, limit)
          .map((m) => ({
            type: 'message',
            user: BOT.user_id,
            bot_id: BOT.bot_id,
            ts: m.ts,
            text: m.text,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          }));
        answer(res, { ok: true, messages, has_more: false });
        return;
      }
      default:
        unknown.set(method, (unknown.get(method) ?? 0) + 1);
        answer(res, { ok: false, error: 'unknown_method' });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    posts,
    unknown,
    calls,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
