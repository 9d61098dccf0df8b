import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpGetter,
  FetchError,
  type HttpGetter,
  isPublicAddress,
  USER_AGENT,
} from '../../../src/updates/feeds/http-get.ts';
import { type FeedServer, FIXTURE_LAST_MODIFIED, readFixture, startFeedServer } from './feed-server.ts';

let server: FeedServer;
let getter: HttpGetter;
const local = { allowPrivate: true } as const;

beforeEach(async () => {
  server = await startFeedServer();
  getter = createHttpGetter();
});
afterEach(async () => {
  await server.close();
});

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('get', () => {
  it('returns the body, content type, ETag and Last-Modified of a feed', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    const result = await getter.get(server.url('/news.xml'), local);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.url).toBe(server.url('/news.xml'));
    expect(result.body.equals(readFixture('rss-cisa.xml'))).toBe(true);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(result.lastModified).toBe(FIXTURE_LAST_MODIFIED);
  });

  it('sends an honest User-Agent naming threatdesk and its version', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    await getter.get(server.url('/news.xml'), { ...local, accept: 'application/rss+xml' });
    const [request] = server.requests;
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^threatdesk\/\d+\.\d+\.\d+ \(.+\)$/);
    expect(request?.headers.accept).toBe('application/rss+xml');
  });

  it('uses the User-Agent given to the getter', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    await createHttpGetter({ userAgent: 'threatdesk-test/1' }).get(server.url('/news.xml'), local);
    expect(server.requests[0]?.headers['user-agent']).toBe('threatdesk-test/1');
  });

  it('sends If-None-Match and If-Modified-Since and reports not-modified on 304', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    const first = await getter.get(server.url('/news.xml'), local);
    if (first.status !== 'ok') throw new Error('expected a body first');
    const second = await getter.get(server.url('/news.xml'), {
      ...local,
      etag: first.etag,
      lastModified: first.lastModified,
    });
    expect(second).toEqual({ status: 'not-modified', url: server.url('/news.xml') });
    const conditional = server.requests[1]!;
    expect(conditional.headers['if-none-match']).toBe(first.etag);
    expect(conditional.headers['if-modified-since']).toBe(FIXTURE_LAST_MODIFIED);
  });

  it('sends no conditional headers when it has no ETag or Last-Modified', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    await getter.get(server.url('/news.xml'), { ...local, etag: null, lastModified: null });
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.requests[0]?.headers['if-modified-since']).toBeUndefined();
  });

  it('decompresses a gzip body', async () => {
    const body = readFixture('atom-odni.atom');
    server.route('/feed.atom', { headers: { 'content-type': 'application/atom+xml' }, body, gzip: true });
    const result = await getter.get(server.url('/feed.atom'), local);
    expect(result.status === 'ok' && result.body.equals(body)).toBe(true);
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('follows a redirect and reports the final URL', async () => {
    server.fixture('/rss/news.xml', 'rss-cisa.xml');
    server.redirect('/news.xml', '/rss/news.xml', 301);
    const result = await getter.get(server.url('/news.xml'), local);
    expect(result.status).toBe('ok');
    expect(result.url).toBe(server.url('/rss/news.xml'));
  });
});

describe('refusals', () => {
  it('names the HTTP status of an error answer', async () => {
    server.route('/news.xml', { status: 503, body: 'down for maintenance' });
    const error = await fetchError(getter.get(server.url('/news.xml'), local));
    expect(error.message).toBe('HTTP 503 Service Unavailable');
    expect(error.httpStatus).toBe(503);
  });

  it('refuses a 404 with its status', async () => {
    const error = await fetchError(getter.get(server.url('/missing.xml'), local));
    expect(error.message).toBe('HTTP 404 Not Found');
  });

  it('refuses a body larger than maxBytes while it streams in', async () => {
    server.oversize('/huge.xml', 4 * 1024 * 1024);
    const error = await fetchError(getter.get(server.url('/huge.xml'), { ...local, maxBytes: 1024 * 1024 }));
    expect(error.message).toBe('body larger than 1 MiB');
  });

  it('refuses a body whose Content-Length is over maxBytes without reading it', async () => {
    server.route('/big.xml', { body: Buffer.alloc(4096, 'x') });
    const error = await fetchError(getter.get(server.url('/big.xml'), { ...local, maxBytes: 1024 }));
    expect(error.message).toBe('body larger than 1 KiB');
  });

  it('refuses a gzip body that inflates past maxBytes', async () => {
    server.route('/bomb.xml', { body: Buffer.alloc(2 * 1024 * 1024, ' '), gzip: true });
    const error = await fetchError(getter.get(server.url('/bomb.xml'), { ...local, maxBytes: 1024 * 1024 }));
    expect(error.message).toBe('body larger than 1 MiB');
  });

  it('gives up on a server that never answers', async () => {
    server.hang('/slow.xml');
    const error = await fetchError(getter.get(server.url('/slow.xml'), { ...local, timeoutMs: 300 }));
    expect(error.message).toBe('timed out after 300 ms');
    expect(server.requestsTo('/slow.xml')).toHaveLength(1);
  });

  it('gives up on a body that stops arriving half way', async () => {
    server.route('/stalled.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel>');
    });
    const error = await fetchError(getter.get(server.url('/stalled.xml'), { ...local, timeoutMs: 300 }));
    expect(error.message).toBe('timed out after 300 ms');
  });

  it('stops after maxRedirects in a redirect loop', async () => {
    server.redirect('/a', '/b');
    server.redirect('/b', '/a');
    const error = await fetchError(getter.get(server.url('/a'), local));
    expect(error.message).toBe('more than 3 redirects');
    expect(server.requests).toHaveLength(4);
  });

  it('refuses a redirect without a Location header', async () => {
    server.route('/moved', { status: 302 });
    const error = await fetchError(getter.get(server.url('/moved'), local));
    expect(error.message).toBe('HTTP 302 redirect without a Location header');
  });

  it('fetches only http and https', async () => {
    const error = await fetchError(getter.get('ftp://ftp.example.gov/pub/news.xml'));
    expect(error.message).toBe('only http and https are fetched (got ftp:)');
    expect((await fetchError(getter.get('file:///etc/passwd'))).message).toBe(
      'only http and https are fetched (got file:)',
    );
  });

  it('refuses a redirect to another scheme', async () => {
    server.redirect('/news.xml', 'file:///etc/passwd');
    const error = await fetchError(getter.get(server.url('/news.xml'), local));
    expect(error.message).toBe('only http and https are fetched (got file:)');
  });

  it('refuses a text that is not a URL', async () => {
    expect((await fetchError(getter.get('news.xml'))).message).toBe('not a URL: "news.xml"');
  });

  it('refuses a loopback address before any request is sent', async () => {
    server.fixture('/news.xml', 'rss-cisa.xml');
    const error = await fetchError(getter.get(server.url('/news.xml')));
    expect(error.message).toBe('refused: host resolves to a private address (127.0.0.1)');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to a loopback address', async () => {
    const error = await fetchError(getter.get(`http://localhost:${new URL(server.origin).port}/news.xml`));
    expect(error.message).toMatch(/^refused: host resolves to a private address \((127\.0\.0\.1|::1)\)$/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an IPv4-mapped IPv6 loopback literal', async () => {
    const error = await fetchError(getter.get(`http://[::ffff:127.0.0.1]:${new URL(server.origin).port}/`));
    expect(error.message).toBe('refused: host resolves to a private address (::ffff:7f00:1)');
    expect(server.requests).toHaveLength(0);
  });
});

describe('one request at a time per host', () => {
  it('queues requests to the same host so the server never holds two at once', async () => {
    server.route('/item', async (_req, res) => {
      // Hold each answer until another request arrives (or a moment passes): without the queue,
      // the server would then be holding two.
      await server.nextRequest(100);
      res.end('<p>item</p>');
    });
    const urls = [1, 2, 3, 4].map((n) => server.url(`/item?n=${n}`));
    const results = await Promise.all(urls.map((url) => getter.get(url, local)));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(server.requests).toHaveLength(4);
    expect(server.maxInFlight).toBe(1);
  });

  it('keeps serving a host after a request to it failed', async () => {
    server.route('/broken', { status: 500 });
    server.fixture('/news.xml', 'rss-cisa.xml');
    const [broken, fine] = await Promise.allSettled([
      getter.get(server.url('/broken'), local),
      getter.get(server.url('/news.xml'), local),
    ]);
    expect(broken.status).toBe('rejected');
    expect(fine.status === 'fulfilled' && fine.value.status).toBe('ok');
  });
});

describe('isPublicAddress', () => {
  it.each([
    '10.0.0.7',
    '172.16.4.1',
    '192.168.1.10',
    '127.0.0.1',
    '0.0.0.0',
    '169.254.169.254',
    '100.64.0.1',
    '::',
    '::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:10.0.0.7',
    '::ffff:a00:7',
    '64:ff9b::7f00:1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
