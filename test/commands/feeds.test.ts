import { describe, expect, it } from 'vitest';
import { parseFeeds } from '../../src/updates/feeds/feeds-config.ts';
import { feedRegistry } from '../../src/updates/feeds/registry.ts';
import { line, makeContext, openTestStore } from './setup.ts';

/** Two feeds with their state in the shared store (a real SQLite file): one that added a document, one that fails. */
async function twoFeeds(maxFailures = 3) {
  const { feeds: state } = await openTestStore();
  const feeds = parseFeeds(
    [
      { url: 'https://www.dni.gov/index.php/newsroom/press-releases?format=feed&type=rss', publisher: 'ODNI' },
      { url: 'https://www.fbi.gov/feeds/national-press-releases/rss.xml', publisher: 'FBI' },
    ],
    'feeds.json',
  );
  const [odni, fbi] = feeds.map((f) => f.url) as [string, string];
  await state.attempted(odni, '2025-02-04T15:00:09.000Z');
  await state.added(
    odni,
    { id: '2025-02-04-joint-statement-election', title: 'Joint Statement on the Election' },
    '2025-02-04T15:00:09.000Z',
  );
  await state.read(odni, '2025-02-04T15:00:09.000Z', { etag: '"a"', lastModified: null });
  const fail = (at: string) => state.failed(fbi, 'HTTP 503 Service Unavailable', at, maxFailures);
  return { ctx: makeContext({ feeds: feedRegistry(feeds, state) }), fail };
}

describe('/feeds', () => {
  it('lists each feed: publisher, url, last read, last added and state', async () => {
    const { ctx, fail } = await twoFeeds();
    await fail('2025-02-04T15:01:00.000Z');
    const reply = await line('/feeds', ctx);
    expect(reply.found).toBe(true);
    expect(reply.ephemeral).toBe(false);
    expect(reply.text.split('\n')).toEqual([
      'ODNI https://www.dni.gov/index.php/newsroom/press-releases?format=feed&type=rss — last read 2025-02-04 15:00 UTC; last added 2025-02-04-joint-statement-election "Joint Statement on the Election"; active',
      'FBI https://www.fbi.gov/feeds/national-press-releases/rss.xml — not read yet; nothing added yet; failing: HTTP 503 Service Unavailable',
    ]);
    expect(reply.notes).toEqual(['1 of 2 feeds need attention.']);
  });

  it('shows a paused feed with the reason it was paused', async () => {
    const { ctx, fail } = await twoFeeds(2);
    await fail('2025-02-04T15:01:00.000Z');
    await fail('2025-02-04T15:16:00.000Z');
    const reply = await line('/feeds', ctx);
    expect(reply.text).toContain(
      'FBI https://www.fbi.gov/feeds/national-press-releases/rss.xml — not read yet; nothing added yet; paused: HTTP 503 Service Unavailable (2 polls failed in a row)',
    );
  });

  it('without a feeds service says no feeds are configured, and where to list them', async () => {
    const reply = await line('/feeds', makeContext());
    expect(reply.found).toBe(false);
    expect(reply.error).toBeUndefined();
    expect(reply.text).toContain('No feeds configured');
    expect(reply.text).toContain('feeds.json');
    expect(reply.citations).toEqual([]);
  });
});
