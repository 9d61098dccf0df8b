/**
 * A loopback HTTP server standing in for an agency newsroom in tests: it serves feeds and
 * press-release pages, answers conditional GETs with 304, redirects, loops, hangs, streams
 * oversized bodies, and records every request it receives.
 *
 * It listens on 127.0.0.1 only, on a free port. Fetch from it with `allowPrivate: true`, since
 * the getter refuses loopback addresses by default.
 *
 * @example
 * const server = await startFeedServer();
 * server.fixture('/news/rss.xml', 'rss-dhs.xml');                  // ETag + Last-Modified, 304 on match
 * server.route('/news/item', { headers: { 'content-type': 'text/html' }, body: '<p>Hi</p>' });
 * server.route('/custom', (req, res) => res.end('anything'));     // full control
 * server.redirect('/old', '/news/rss.xml');
 * server.hang('/slow');                                           // accepts, never answers
 * server.oversize('/huge', 6 * 1024 * 1024);                      // streams, no Content-Length
 * await getter.get(server.url('/news/rss.xml'), { allowPrivate: true });
 * server.requests;        // [{ method, path, headers }] in arrival order
 * server.maxInFlight;     // most requests the server held open at once
 * await server.close();
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** A canned answer. A 200 with an ETag or Last-Modified header answers 304 to a matching conditional GET. */
export interface CannedReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body gzip-compressed with Content-Encoding: gzip. */
  gzip?: boolean;
}

/** Full control over an answer. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** A running loopback newsroom; see the module comment for an example. */
export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Answers `path` (matched with its query, else without) with a canned reply or a handler. */
  route(path: string, answer: CannedReply | RouteHandler): void;
  /** Serves a file from `fixtures/` with a stable ETag and Last-Modified; content type from its extension. */
  fixture(path: string, name: string, extraHeaders?: Record<string, string>): void;
  /** Redirects `from` to `to` (a path or an absolute URL). */
  redirect(from: string, to: string, status?: number): void;
  /** Accepts requests to `path` and never answers them. */
  hang(path: string): void;
  /** Streams `bytes` bytes to `path` in 64 KiB chunks, without Content-Length, while the client reads. */
  oversize(path: string, bytes: number): void;
  /** Resolves when the next request arrives, or after `waitMs`, whichever is first. */
  nextRequest(waitMs: number): Promise<void>;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests whose path (without query) is `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Requests currently held open. */
  readonly inFlight: number;
  /** Most requests held open at the same time since the server started. */
  readonly maxInFlight: number;
  /** Drops every open connection (hanging ones too) and stops listening. */
  close(): Promise<void>;
}

/** Fixed so ETag / Last-Modified stay the same from run to run. */
export const FIXTURE_LAST_MODIFIED = 'Tue, 14 Jan 2025 15:00:00 GMT';

const CONTENT_TYPES: Record<string, string> = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** The bytes of a file in `test/updates/feeds/fixtures/`. */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Starts a server on 127.0.0.1 and a free port. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, RouteHandler>();
  const requests: RecordedRequest[] = [];
  const waiters: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    for (const wake of waiters.splice(0)) wake();
    const handler = routes.get(path) ?? routes.get(path.split('?')[0]!) ?? notFound;
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const feedServer: FeedServer = {
    origin,
    url: (path) => new URL(path, origin).href,
    route(path, answer) {
      routes.set(path, typeof answer === 'function' ? answer : cannedHandler(answer));
    },
    fixture(path, name, extraHeaders = {}) {
      const body = readFixture(name);
      const extension = name.split('.').pop() ?? '';
      const headers = {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`,
        'last-modified': FIXTURE_LAST_MODIFIED,
        ...extraHeaders,
      };
      feedServer.route(path, { headers, body });
    },
    redirect(from, to, status = 302) {
      feedServer.route(from, { status, headers: { location: to } });
    },
    hang(path) {
      routes.set(path, () => undefined);
    },
    oversize(path, bytes) {
      routes.set(path, (_req, res) => streamBytes(res, bytes));
    },
    nextRequest(waitMs) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    requests,
    requestsTo: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
  return feedServer;
}

function notFound(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain');
  res.end('not found');
}

function cannedHandler(reply: CannedReply): RouteHandler {
  return (req, res) => {
    const headers = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const status = reply.status ?? 200;
    if (status === 200 && isNotModified(req, headers)) {
      res.writeHead(304, pick(headers, ['etag', 'last-modified']));
      res.end();
      return;
    }
    let body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
    if (reply.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  };
}

function isNotModified(req: http.IncomingMessage, headers: Record<string, string>): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && headers.etag !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === headers.etag || tag.trim() === '*');
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  return ifModifiedSince !== undefined && headers['last-modified'] === ifModifiedSince;
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => names.includes(name)));
}

function streamBytes(res: http.ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}
