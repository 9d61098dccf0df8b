import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { describeFeedResult, describeItems } from '../../../src/updates/feeds/poll-feeds.ts';
import { readFixture } from './feed-server.ts';
import {
  FEED,
  IRAN,
  IRAN_ID,
  NEVADA,
  NEVADA_ID,
  PDF,
  PUBLISHER,
  resultFor,
  serveRss,
  startNewsroom,
  UNRELATED,
} from './poll-helpers.ts';

const NEVADA_PARAGRAPHS = [
  'The Test Bureau of Investigation and the Test Security Agency assess that Russian influence actors manufactured a video that falsely depicts election workers in Clark County, Nevada, shredding mail-in ballots cast in the special election.',
  "The video was posted to social media by accounts posing as local residents and was amplified by a network of inauthentic personas operated from Moscow, as part of Russia's broader effort to undermine confidence in the integrity of U.S. elections.",
  'Election officials in Clark County have confirmed that the video is fabricated, and that every ballot cast in the special election is being counted.',
];

describe('a poll of one feed', () => {
  it('adds the election statement: url, date, publisher, kind and title from the item, text verbatim, claims as drafts', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    const [result] = await room.poll([feed]);
    expect(result?.status).toBe('added');
    expect(result?.documents).toEqual([
      { id: NEVADA_ID, title: expect.stringContaining('Russian Video'), link: room.server.url(NEVADA) },
    ]);
    expect(describeFeedResult(result!)).toBe(`${PUBLISHER} (${feed.url}): 1 new document: ${NEVADA_ID}`);

    const source = loadCorpus(room.dataDir).sources.get(NEVADA_ID);
    expect(source).toMatchObject({
      title: 'Joint Statement on a Russian Video Falsely Depicting Ballot Destruction in Nevada',
      publisher: PUBLISHER,
      date: '2025-02-04',
      url: room.server.url(NEVADA),
      kind: 'official',
    });
    expect(source?.paragraphs.map((p) => p.text)).toEqual(NEVADA_PARAGRAPHS);
    const claims = JSON.parse(fs.readFileSync(path.join(room.dataDir, 'claims', `${NEVADA_ID}.json`), 'utf8'));
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) expect(c).toMatchObject({ draft: true, rule: expect.any(String) });
    expect((await room.state.get(feed.url)).lastAdded).toMatchObject({ id: NEVADA_ID });
  });

  it('the filter: an unrelated press release is neither fetched nor ingested, but recorded as seen', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    const [result] = await room.poll([feed]);
    expect(room.server.requestsTo(UNRELATED)).toEqual([]);
    expect(result?.items.find((i) => i.link === room.server.url(UNRELATED))).toMatchObject({ outcome: 'filtered' });
    expect(room.newSources()).toEqual([NEVADA_ID]);
    expect(await room.state.isSettled(feed.url, 'test-newsroom-100')).toBe(true);
    // Nothing about it is printed: the feed's line counts documents only.
    expect(describeItems(result!).join('\n')).not.toContain('Denver');
  });

  it('the match words of a feed replace the default list, as whole words', async () => {
    const room = await startNewsroom();
    const feed = room.feed(FEED, { match: ['regional office'] });
    room.server.route(UNRELATED, { headers: { 'content-type': 'text/html' }, body: '<p>short</p>' });
    const [result] = await room.poll([feed]);
    expect(result?.items.find((i) => i.link === room.server.url(NEVADA))).toMatchObject({ outcome: 'filtered' });
    expect(room.server.requestsTo(UNRELATED)).toHaveLength(1);
    expect(room.server.requestsTo(NEVADA)).toEqual([]);
  });

  it('a PDF item is skipped with its link, unfetched; a page that answers application/pdf is skipped too', async () => {
    const room = await startNewsroom();
    const [result] = await room.poll([room.feed()]);
    expect(result?.items.find((i) => i.outcome === 'skipped' && i.link?.endsWith('.pdf'))).toEqual({
      link: room.server.url(PDF),
      title: 'Report on Foreign Influence in the 2024 Elections (PDF)',
      outcome: 'skipped',
      detail: 'a PDF, not read',
    });
    expect(room.server.requestsTo(PDF)).toEqual([]);
    expect(describeItems(result!)).toContain(
      `${PUBLISHER} (${room.feed().url}): skipped ${room.server.url(PDF)}: a PDF, not read`,
    );

    serveRss(room.server, '/pdf.xml', [{ title: 'Election report', link: '/files/report', guid: 'p1' }]);
    room.server.route('/files/report', { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' });
    const [typed] = await room.poll([room.feed('/pdf.xml')]);
    expect(typed?.items).toMatchObject([{ outcome: 'skipped', detail: 'a PDF, not read' }]);
    expect(room.newSources()).toEqual([NEVADA_ID]);
  });

  it('an item without a link is skipped and recorded; the items after it still go in', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    const [result] = await room.poll([feed]);
    expect(result?.items.find((i) => i.link === null)).toEqual({
      link: null,
      title: 'Election Security Briefing Scheduled for State Officials',
      outcome: 'skipped',
      detail: 'the item has no link',
    });
    expect(await room.state.isSettled(feed.url, 'test-newsroom-098')).toBe(true);
    expect(result?.status).toBe('added');
  });

  it('a link to a host not in allowHosts is refused and recorded, and so is a redirect to one', async () => {
    const room = await startNewsroom();
    const [result] = await room.poll([room.feed()]);
    expect(result?.items.find((i) => i.outcome === 'refused')).toEqual({
      link: 'https://partner.example.org/news/election-disinformation',
      title: 'Partner Statement on Election Disinformation',
      outcome: 'refused',
      detail: 'link to partner.example.org, which is not in allowHosts (127.0.0.1)',
    });

    // localhost is the same machine under another host name: not an allowed host.
    serveRss(room.server, '/moved.xml', [{ title: 'Election statement', link: '/news/moved', guid: 'm1' }]);
    room.server.redirect('/news/moved', room.server.url(NEVADA).replace('127.0.0.1', 'localhost'));
    const [moved] = await room.poll([room.feed('/moved.xml')]);
    expect(moved?.items).toMatchObject([
      { outcome: 'refused', detail: 'redirected: link to localhost, which is not in allowHosts (127.0.0.1)' },
    ]);
    expect(room.newSources()).toEqual([NEVADA_ID]);
  });

  it('304: the second poll sends If-None-Match and If-Modified-Since and the feed is unchanged', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    await room.poll([feed]);
    const [second] = await room.poll([feed]);
    const [first, again] = room.server.requestsTo(FEED);
    expect(first?.headers['if-none-match']).toBeUndefined();
    expect(again?.headers['if-none-match']).toMatch(/^".+"$/);
    expect(again?.headers['if-modified-since']).toBe('Tue, 14 Jan 2025 15:00:00 GMT');
    expect(again?.headers['user-agent']).toMatch(/^threatdesk\//);
    expect(second).toMatchObject({ status: 'unchanged', items: [] });
    expect(describeFeedResult(second!)).toBe(`${PUBLISHER} (${feed.url}): unchanged`);
    expect(room.server.requestsTo(NEVADA)).toHaveLength(1);
    expect((await room.state.get(feed.url)).lastReadAt).not.toBeNull();
  });

  it('a feed that returns the same items under new guids adds nothing', async () => {
    const room = await startNewsroom();
    const feed = room.feed();
    await room.poll([feed]);
    room.server.fixture(FEED, 'poll/newsroom-new-guids.xml');
    const [result] = await room.poll([feed]);
    expect(result?.status).toBe('unchanged');
    expect(result?.items.find((i) => i.link === room.server.url(NEVADA))).toMatchObject({
      outcome: 'duplicate',
      document: NEVADA_ID,
    });
    expect(room.server.requestsTo(NEVADA)).toHaveLength(1);
    expect(room.newSources()).toEqual([NEVADA_ID]);
  });

  it('the same statement at a new link is recognised by its content and added once', async () => {
    const room = await startNewsroom();
    await room.poll([room.feed()]);
    serveRss(room.server, '/mirror.xml', [{ title: 'Election statement, again', link: '/mirror/nevada', guid: 'x1' }]);
    room.server.route('/mirror/nevada', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: readFixture('poll/statement-nevada-video.html'),
    });
    const [result] = await room.poll([room.feed('/mirror.xml')]);
    expect(result?.items).toMatchObject([
      { outcome: 'duplicate', detail: `already present: the same text is source ${NEVADA_ID} (under another name)` },
    ]);
    expect(room.newSources()).toEqual([NEVADA_ID]);
  });
});

describe('a feed that fails', () => {
  const failures: [string, (room: Awaited<ReturnType<typeof startNewsroom>>) => void, RegExp][] = [
    ['malformed XML', (r) => r.server.fixture('/bad.xml', 'poll/malformed.xml'), /^failed: not a readable feed: /],
    ['an over-size body', (r) => r.server.oversize('/bad.xml', 300_000), /^failed: body larger than 200 KiB$/],
    ['a server that never answers', (r) => r.server.hang('/bad.xml'), /^failed: timed out after 300 ms$/],
    ['a redirect loop', (r) => r.server.redirect('/bad.xml', '/bad.xml'), /^failed: more than 2 redirects$/],
    ['an HTTP error', (r) => r.server.route('/bad.xml', { status: 500, body: 'oops' }), /^failed: HTTP 500/],
  ];

  it.each(failures)('%s is reported in its feed line; the other feed is read as usual', async (_what, set, line) => {
    const room = await startNewsroom();
    set(room);
    const bad = room.feed('/bad.xml');
    const good = room.feed();
    const results = await room.poll([bad, good], { get: { timeoutMs: 300, maxBytes: 200 * 1024, maxRedirects: 2 } });
    const failed = resultFor(results, bad.url);
    expect(failed.status).toBe('failed');
    expect(describeFeedResult(failed).slice(`${PUBLISHER} (${bad.url}): `.length)).toMatch(line);
    expect(await room.state.get(bad.url)).toMatchObject({ failures: 1, pausedReason: null });
    expect(resultFor(results, good.url).status).toBe('added');
    expect(room.newSources()).toEqual([NEVADA_ID]);
  });

  it('failures in a row pause it; the loop leaves it out; a successful manual poll resumes it', async () => {
    const room = await startNewsroom();
    room.server.route('/down.xml', { status: 503, body: 'maintenance' });
    const feed = room.feed('/down.xml');
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) lines.push(describeFeedResult((await room.poll([feed]))[0]!));
    expect(lines[0]).toBe(`${PUBLISHER} (${feed.url}): failed: HTTP 503 Service Unavailable`);
    expect(lines[1]).toContain('failed: HTTP 503 Service Unavailable; 2 failures in a row');
    expect(lines[2]).toContain('3 failures in a row; paused until npm run feeds -- --once reads it');
    expect((await room.state.get(feed.url)).pausedReason).toBe(
      'HTTP 503 Service Unavailable (3 polls failed in a row)',
    );

    const asked = room.server.requestsTo('/down.xml').length;
    const [skipped] = await room.poll([feed], { includePaused: false });
    expect(skipped).toMatchObject({
      status: 'paused',
      reason: 'HTTP 503 Service Unavailable (3 polls failed in a row)',
    });
    expect(room.server.requestsTo('/down.xml')).toHaveLength(asked);

    room.server.fixture('/down.xml', 'poll/newsroom.xml');
    const [resumed] = await room.poll([feed], { includePaused: true });
    expect(resumed?.status).toBe('added');
    expect(await room.state.get(feed.url)).toMatchObject({ failures: 0, pausedReason: null, lastError: null });
  });
});

describe('a page that cannot be read', () => {
  it('is tried again on the next poll, which reads the feed whole (no 304)', async () => {
    const room = await startNewsroom();
    room.server.route(NEVADA, { status: 502, body: 'bad gateway' });
    const feed = room.feed();
    const [first] = await room.poll([feed]);
    expect(first?.status).toBe('unchanged');
    expect(describeItems(first!)).toContain(
      `${PUBLISHER} (${feed.url}): will retry ${room.server.url(NEVADA)}: HTTP 502 Bad Gateway`,
    );

    room.server.fixture(NEVADA, 'poll/statement-nevada-video.html');
    const [second] = await room.poll([feed]);
    expect(room.server.requestsTo(FEED)[1]?.headers['if-none-match']).toBeUndefined();
    expect(second?.documents.map((d) => d.id)).toEqual([NEVADA_ID]);
  });

  it('is given up after the failure limit, recorded as skipped with the reason', async () => {
    const room = await startNewsroom();
    room.server.route(NEVADA, { status: 404, body: 'gone' });
    const feed = room.feed();
    for (let i = 0; i < 2; i++) await room.poll([feed]);
    const [last] = await room.poll([feed]);
    expect(last?.items.find((i) => i.link === room.server.url(NEVADA))).toMatchObject({
      outcome: 'skipped',
      detail: 'gave up after 3 attempts: HTTP 404 Not Found',
    });
    const [after] = await room.poll([feed]);
    expect(after?.items).toEqual([]);
    expect(room.server.requestsTo(NEVADA)).toHaveLength(3);
  });
});

describe('restart safety', () => {
  it('a crash after the document was written but before its item was recorded adds nothing twice', async () => {
    const room = await startNewsroom('poll/newsroom-second.xml');
    const feed = room.feed();
    await room.poll([feed]);
    expect(room.newSources()).toEqual([NEVADA_ID, IRAN_ID]);
    // What a crash at that moment leaves: the documents on disk, nothing recorded for the feed.
    const db = new Database(room.dbPath);
    db.exec('DELETE FROM feed_items; DELETE FROM feeds;');
    db.close();

    const [again] = await room.poll([feed]);
    expect(again?.status).toBe('unchanged');
    expect(again?.items.filter((i) => i.outcome === 'duplicate').map((i) => i.document)).toEqual([NEVADA_ID, IRAN_ID]);
    expect(room.server.requestsTo(NEVADA)).toHaveLength(1);
    expect(room.server.requestsTo(IRAN)).toHaveLength(1);
    expect(room.newSources()).toEqual([NEVADA_ID, IRAN_ID]);
  });

  it('a poll told to stop between items leaves the rest, and the feed unread, for next time', async () => {
    const room = await startNewsroom('poll/newsroom-second.xml');
    const feed = room.feed();
    // Items are read oldest first: the Nevada statement, then the Iran one.
    const [partial] = await room.poll([feed], { shouldStop: () => room.server.requestsTo(NEVADA).length > 0 });
    expect(partial?.documents.map((d) => d.id)).toEqual([NEVADA_ID]);
    const [rest] = await room.poll([feed]);
    expect(room.server.requestsTo(FEED)[1]?.headers['if-none-match']).toBeUndefined();
    expect(rest?.documents.map((d) => d.id)).toEqual([IRAN_ID]);
  });
});
