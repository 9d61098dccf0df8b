/**
 * Fetches newsroom feeds and press-release pages for the feed watcher, politely and defensively:
 * conditional GETs (ETag / Last-Modified), one request at a time per host, a deadline and a size
 * cap on every response, redirects followed by hand, and no request to a private, loopback or
 * otherwise non-public address unless the caller allows it.
 *
 * The host name is resolved here (dns.lookup) and the request connects to the very address that was
 * checked, so a DNS answer cannot change between the check and the connection. Every redirect hop is
 * resolved and checked again.
 */

import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import packageJson from '../../../package.json' with { type: 'json' };

/** Options for one GET; each has a default, listed with it. */
export interface GetOptions {
  /** ETag from the last answer, sent as If-None-Match. */
  etag?: string | null;
  /** Last-Modified from the last answer, sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Accept header. Default `*\/*`. */
  accept?: string;
  /** Deadline for each hop, from DNS and connect to the last body byte. Default 15 000 ms. */
  timeoutMs?: number;
  /** Largest body accepted, after decompression; a larger one is refused unread. Default 5 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 3. */
  maxRedirects?: number;
  /**
   * Allow hosts that resolve to private, loopback, link-local, unspecified, CGNAT, unique-local,
   * multicast or reserved addresses. Default false; tests against a loopback server set it.
   */
  allowPrivate?: boolean;
}

/** A fetched body, or the server's word that the copy named by etag / lastModified is current. */
export type GetResult =
  | {
      status: 'ok';
      /** Final URL after redirects. */
      url: string;
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    }
  | { status: 'not-modified'; url: string };

/** Why a URL was not fetched; the message is one line a person can act on. */
export class FetchError extends Error {
  /** The URL of the hop that failed. */
  readonly url: string;
  /** The HTTP status when the server answered with an error status, else null. */
  readonly httpStatus: number | null;

  constructor(message: string, url: string, httpStatus: number | null = null) {
    super(message);
    this.name = 'FetchError';
    this.url = url;
    this.httpStatus = httpStatus;
  }
}

/** Fetches URLs; one getter keeps at most one request in flight per host. */
export interface HttpGetter {
  get(url: string, options?: GetOptions): Promise<GetResult>;
}

/** Options of {@link createHttpGetter}. */
export interface HttpGetterOptions {
  /** User-Agent header. Default {@link USER_AGENT}. */
  userAgent?: string;
}

/** The User-Agent sent by default: who we are, and where an operator can read what we do. */
export const USER_AGENT = `threatdesk/${packageJson.version} (feed watcher; see docs/feeds.md)`;

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 3, accept: '*/*' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Resolved = Required<Pick<GetOptions, 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'accept'>> & GetOptions;

/**
 * Creates a getter. Keep one per process (or per poller) so the per-host queue sees every request.
 *
 * @example
 * const getter = createHttpGetter();
 * const result = await getter.get('https://www.example.gov/news/rss.xml', { etag: saved.etag });
 * if (result.status === 'ok') saved = { etag: result.etag, lastModified: result.lastModified };
 */
export function createHttpGetter(options: HttpGetterOptions = {}): HttpGetter {
  const userAgent = options.userAgent ?? USER_AGENT;
  const queue = new HostQueue();
  return {
    async get(url, getOptions = {}) {
      const resolved: Resolved = { ...DEFAULTS, ...withoutUndefined(getOptions) };
      let current = parseHttpUrl(url);
      for (let hop = 0; ; hop++) {
        const target = current;
        const answer = await queue.run(target.hostname, () => fetchOnce(target, resolved, userAgent));
        if (answer.kind !== 'redirect') return answer.result;
        if (hop >= resolved.maxRedirects) {
          throw new FetchError(`more than ${resolved.maxRedirects} redirects`, target.href);
        }
        current = parseHttpUrl(answer.location, target);
      }
    },
  };
}

function withoutUndefined(options: GetOptions): GetOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** Parses a URL (relative to `base` for a redirect's Location) and accepts only http and https. */
function parseHttpUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new FetchError(`not a URL: ${JSON.stringify(text)}`, base?.href ?? text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(`only http and https are fetched (got ${url.protocol})`, url.href);
  }
  return url;
}

/** Runs tasks one after another per key, tasks for different keys side by side. */
class HostQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(host) ?? Promise.resolve();
    const mine = before.then(task, task);
    const tail = mine.catch(() => undefined);
    this.tails.set(host, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(host) === tail) this.tails.delete(host);
    }
  }
}

type HopAnswer = { kind: 'done'; result: GetResult } | { kind: 'redirect'; location: string };

/** One request to one URL, under one deadline that covers DNS, connect and the whole body. */
async function fetchOnce(url: URL, options: Resolved, userAgent: string): Promise<HopAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const timeout = () => new FetchError(`timed out after ${formatDuration(options.timeoutMs)}`, url.href);
  try {
    const address = await raceAbort(resolveHost(url, options.allowPrivate ?? false), controller.signal, timeout);
    return await request(url, address, options, userAgent, controller.signal, timeout);
  } finally {
    clearTimeout(timer);
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(onAbort()), { once: true });
    work.then(resolve, reject);
  });
}

interface Address {
  address: string;
  family: 4 | 6;
}

/** Resolves the URL's host and refuses it when any of its addresses is not public (unless allowed). */
async function resolveHost(url: URL, allowPrivate: boolean): Promise<Address> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Address[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await dnsLookup(host, { all: true })) as Address[];
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'lookup failed';
      throw new FetchError(`cannot resolve host ${host} (${code})`, url.href);
    }
  }
  const first = addresses[0];
  if (!first) throw new FetchError(`cannot resolve host ${host} (no addresses)`, url.href);
  if (!allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      throw new FetchError(`refused: host resolves to a private address (${refused.address})`, url.href);
    }
  }
  return first;
}

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, includes cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an IP address is an ordinary public one. Private, loopback, link-local, unspecified,
 * CGNAT, unique-local, multicast and reserved ranges are not; an IPv4-mapped (`::ffff:10.0.0.7`) or
 * NAT64 (`64:ff9b::10.0.0.7`) IPv6 address is judged by the IPv4 address inside it.
 *
 * @example isPublicAddress('10.0.0.7') // false
 * @example isPublicAddress('::ffff:127.0.0.1') // false
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  const embedded = embeddedIPv4(address);
  if (embedded) return !NON_PUBLIC.check(embedded, 'ipv4');
  return !NON_PUBLIC.check(address, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) address. */
function embeddedIPv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (!groups) return null;
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const mapped = zero(0, 5) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6);
  if (!mapped && !nat64) return null;
  const high = groups[6]!;
  const low = groups[7]!;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad becomes two groups). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const front = part(head);
  const back = part(tail);
  const groups = tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

function request(
  url: URL,
  address: Address,
  options: Resolved,
  userAgent: string,
  signal: AbortSignal,
  timeout: () => FetchError,
): Promise<HopAnswer> {
  return new Promise<HopAnswer>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      headers: requestHeaders(options, userAgent),
      // Connect to the address that was checked, not to a second DNS answer.
      lookup: (_host, lookupOptions, callback) => {
        if (lookupOptions.all) callback(null, [address]);
        else callback(null, address.address, address.family);
      },
      agent: false,
      signal,
    });
    req.on('error', (e) => reject(signal.aborted ? timeout() : toFetchError(e, url)));
    req.on('response', (res) => {
      answer(url, res, options).then(resolve, (e: unknown) => {
        res.destroy();
        reject(signal.aborted ? timeout() : e);
      });
    });
    req.end();
  });
}

function requestHeaders(options: Resolved, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: options.accept,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

function toFetchError(e: unknown, url: URL): FetchError {
  if (e instanceof FetchError) return e;
  const error = e as NodeJS.ErrnoException;
  return new FetchError(`request failed: ${error.code ?? error.message}`, url.href);
}

async function answer(url: URL, res: http.IncomingMessage, options: Resolved): Promise<HopAnswer> {
  const status = res.statusCode ?? 0;
  if (status === 304) {
    res.resume();
    return { kind: 'done', result: { status: 'not-modified', url: url.href } };
  }
  if (REDIRECTS.has(status)) {
    res.resume();
    const location = res.headers.location;
    if (!location) throw new FetchError(`HTTP ${status} redirect without a Location header`, url.href, status);
    return { kind: 'redirect', location };
  }
  if (status < 200 || status > 299) {
    res.resume();
    const reason = res.statusMessage || http.STATUS_CODES[status] || '';
    throw new FetchError(`HTTP ${status} ${reason}`.trim(), url.href, status);
  }
  const body = await readBody(url, res, options.maxBytes);
  return {
    kind: 'done',
    result: {
      status: 'ok',
      url: url.href,
      body,
      contentType: res.headers['content-type'] ?? null,
      etag: headerValue(res.headers.etag),
      lastModified: headerValue(res.headers['last-modified']),
    },
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Reads the (decompressed) body, refusing it as soon as it passes maxBytes. */
async function readBody(url: URL, res: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new FetchError(`body larger than ${formatBytes(maxBytes)}`, url.href);
  const declared = Number(res.headers['content-length']);
  const encoding = (headerValue(res.headers['content-encoding']) ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' && declared > maxBytes) throw tooLarge();
  const stream = decoded(res, encoding, url);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } finally {
    if (stream !== res) stream.destroy();
  }
  return Buffer.concat(chunks);
}

const DECODERS = new Map<string, (() => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress) | null>([
  ['identity', null],
  ['gzip', zlib.createGunzip],
  ['x-gzip', zlib.createGunzip],
  ['deflate', zlib.createInflate],
  ['br', zlib.createBrotliDecompress],
]);

function decoded(res: http.IncomingMessage, encoding: string, url: URL): Readable {
  const createDecoder = DECODERS.get(encoding);
  if (createDecoder === undefined) throw new FetchError(`unsupported Content-Encoding ${encoding}`, url.href);
  if (createDecoder === null) return res;
  const decoder = createDecoder();
  res.on('error', (e) => decoder.destroy(e));
  return res.pipe(decoder);
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
