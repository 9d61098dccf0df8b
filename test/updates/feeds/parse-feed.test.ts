import { describe, expect, it } from 'vitest';
import { FeedFormatError, parseFeed } from '../../../src/updates/feeds/parse-feed.ts';
import { readFixture } from './feed-server.ts';

const fixture = (name: string) => readFixture(name).toString('utf8');

function formatError(run: () => unknown): FeedFormatError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(FeedFormatError);
    return e as FeedFormatError;
  }
  throw new Error('expected a FeedFormatError');
}

describe('RSS 2.0', () => {
  const items = parseFeed(fixture('rss-cisa.xml'), 'application/rss+xml', 'https://www.cisa.gov/news.xml');

  it('reads every item in feed order', () => {
    expect(items.map((item) => item.guid)).toEqual([
      '48211 at https://www.cisa.gov',
      'https://home.treasury.gov/news/press-releases/jy2617',
      '48102 at https://www.cisa.gov',
      '47950 at https://www.cisa.gov',
    ]);
  });

  it('turns a CDATA description into plain text, one blank line between paragraphs', () => {
    expect(items[0]).toEqual({
      guid: '48211 at https://www.cisa.gov',
      link: 'https://www.cisa.gov/news-events/news/cisa-and-fbi-release-joint-statement-foreign-influence-operations-targeting-2026-midterm-elections',
      title:
        'CISA and FBI Release Joint Statement on Foreign Influence Operations Targeting the 2026 Midterm Elections',
      summary:
        'WASHINGTON – The Cybersecurity and Infrastructure Security Agency (CISA) and the Federal Bureau of ' +
        'Investigation (FBI) today released a joint statement on foreign influence operations.\n\nRead the full statement.',
      published: '2025-01-14T10:00:00-05:00',
    });
  });

  it('decodes XML entities, then the HTML entities of an escaped description', () => {
    expect(items[1]?.title).toBe('Treasury & State Sanction Kremlin’s "Doppelganger" Network Operators');
    expect(items[1]?.summary).toBe(
      'Today, the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC) designated ten ' +
        'individuals and two entities.\n\nSocial Design Agency\n\nStructura National Technologies',
    );
  });

  it('keeps an absolute link with its query decoded', () => {
    expect(items[1]?.link).toBe('https://home.treasury.gov/news/press-releases/jy2617?utm_source=rss&utm_medium=feed');
  });

  it('gives null for an item without a link whose guid is not a permalink', () => {
    expect(items[2]?.link).toBeNull();
    expect(items[2]?.published).toBe('2024-11-04T18:00:00-05:00');
  });

  it('resolves a relative link against the feed URL and reads content:encoded', () => {
    expect(items[3]).toMatchObject({
      link: 'https://www.cisa.gov/news-events/alerts/2024/10/21/election-infrastructure-guidance',
      title: 'Election Infrastructure Subsector: Guidance on "Hack & Leak" Operations',
      summary: 'Summary\n\nForeign actors may try to obtain and leak election-related data.',
      published: '2024-10-21T09:15:00Z',
    });
  });

  it('uses a permalink guid as the link when there is no <link>', () => {
    const xml = `<rss version="2.0"><channel><title>T</title>
      <item><title>A</title><guid>https://www.justice.gov/opa/pr/a</guid></item></channel></rss>`;
    expect(parseFeed(xml, null, 'https://www.justice.gov/feeds/opa.xml')[0]?.link).toBe(
      'https://www.justice.gov/opa/pr/a',
    );
  });

  it('returns [] for a feed with no items', () => {
    expect(
      parseFeed('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', null, 'https://x.gov/'),
    ).toEqual([]);
  });

  it.each([
    ['Tue, 14 Jan 2025 10:00:00 EST', '2025-01-14T10:00:00-05:00'],
    ['Tue, 14 Jan 2025 20:00:00 EST', '2025-01-14T20:00:00-05:00'],
    ['Wed, 15 Jan 2025 16:30:00 -0500', '2025-01-15T16:30:00-05:00'],
    ['14 Jan 2025 10:00 GMT', '2025-01-14T10:00:00Z'],
    ['Thu, 03 Oct 24 08:05:09 PDT', '2024-10-03T08:05:09-07:00'],
    ['Sat, 2 November 2024 07:00:00 +0000', '2024-11-02T07:00:00+00:00'],
    ['2025-01-14T10:00:00.000Z', '2025-01-14T10:00:00.000Z'],
    ['not a date', null],
  ])('reads the date %s as %s', (pubDate, expected) => {
    const xml = `<rss version="2.0"><channel><item><title>x</title><pubDate>${pubDate}</pubDate></item></channel></rss>`;
    expect(parseFeed(xml, null, 'https://x.gov/feed')[0]?.published).toBe(expected);
  });
});

describe('Atom', () => {
  const feedUrl = 'https://www.dni.gov/index.php/newsroom/press-releases?format=feed&type=atom';
  const items = parseFeed(fixture('atom-odni.atom'), 'application/atom+xml', feedUrl);

  it('reads an html title and summary, the alternate link and the published date', () => {
    expect(items[0]).toEqual({
      guid: 'tag:www.dni.gov,2025:/newsroom/press-releases/4021',
      link: 'https://www.dni.gov/index.php/newsroom/press-releases/press-releases-2025/4021-odni-fbi-cisa-update',
      title: 'ODNI, FBI & CISA Update on Foreign Threats to the 2026 Elections',
      summary: 'The Intelligence Community assesses that foreign actors continue to seek to influence U.S. elections.',
      published: '2025-01-16T14:00:00-05:00',
    });
  });

  it('keeps a text title literally, reads xhtml content, and falls back to updated', () => {
    expect(items[1]).toMatchObject({
      title: 'Statement by the Director on Election Security Briefings <2025>',
      summary:
        'Today the Director briefed state election officials on foreign influence activity.\n\n' +
        'Briefings will continue through the certification period.',
      published: '2025-01-10T09:30:00Z',
    });
  });

  it('honours xml:base for relative links', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.fbi.gov/news/">
      <entry><id>1</id><title>t</title><link href="stories/one"/></entry></feed>`;
    expect(parseFeed(xml, null, 'https://feeds.example.gov/fbi.atom')[0]?.link).toBe(
      'https://www.fbi.gov/news/stories/one',
    );
  });
});

describe('RSS 1.0 (RDF)', () => {
  it('reads items that sit beside the channel', () => {
    expect(parseFeed(fixture('rdf-state.xml'), 'application/rdf+xml', 'https://www.state.gov/rss')).toEqual([
      {
        guid: 'https://www.state.gov/releases/office-of-the-spokesperson/2025/01/countering-foreign-election-interference/',
        link: 'https://www.state.gov/releases/office-of-the-spokesperson/2025/01/countering-foreign-election-interference/',
        title: 'Countering Foreign Election Interference',
        summary: 'The Department is offering a reward of up to $10 million for information.',
        published: '2025-01-09T12:00:00Z',
      },
    ]);
  });
});

describe('JSON Feed', () => {
  const items = parseFeed(fixture('jsonfeed-fbi.json'), 'application/json', 'https://www.fbi.gov/feeds/national.json');

  it('reads url, title and content_html as plain text', () => {
    expect(items[0]).toEqual({
      guid: 'https://www.fbi.gov/news/press-releases/fbi-warns-of-ai-generated-election-videos',
      link: 'https://www.fbi.gov/news/press-releases/fbi-warns-of-ai-generated-election-videos',
      title: 'FBI Warns of AI-Generated Videos Impersonating Election Officials',
      summary:
        'The FBI is aware of videos that falsely depict election officials.\n\nReport election crimes at tips.fbi.gov.',
      published: '2025-01-13T11:00:00-05:00',
    });
  });

  it('takes external_url, a numeric id and the summary field', () => {
    expect(items[1]).toEqual({
      guid: '20250110',
      link: 'https://www.justice.gov/opa/pr/two-russian-nationals-charged-election-interference-scheme',
      title: 'Two Russian Nationals Charged in Election Interference Scheme',
      summary: 'The Justice Department unsealed an indictment charging two Russian nationals.',
      published: '2025-01-10',
    });
  });

  it('gives null for an item without a URL and falls back to date_modified', () => {
    expect(items[2]).toMatchObject({ link: null, published: '2025-01-08T15:45:00Z' });
  });

  it('is detected from its content even when served as text/plain', () => {
    expect(parseFeed(fixture('jsonfeed-fbi.json'), 'text/plain', 'https://www.fbi.gov/f')).toHaveLength(3);
  });
});

describe('not a feed', () => {
  it('reports malformed XML with its line', () => {
    const xml = '<?xml version="1.0"?>\n<rss version="2.0">\n<channel><item><title>A</title></channel>\n</rss>';
    expect(formatError(() => parseFeed(xml, 'application/rss+xml', 'https://x.gov/')).message).toMatch(
      /^not a feed: malformed XML at line 3 \(.+\)$/,
    );
  });

  it('reports a bare ampersand as malformed rather than returning nothing', () => {
    const xml = '<rss version="2.0"><channel><item><title>Q & A</title></item></channel></rss>';
    expect(formatError(() => parseFeed(xml, null, 'https://x.gov/')).message).toMatch(/^not a feed: malformed XML/);
  });

  it('reports a truncated feed', () => {
    const truncated = fixture('rss-cisa.xml').slice(0, 900);
    expect(formatError(() => parseFeed(truncated, null, 'https://x.gov/')).message).toMatch(
      /^not a feed: malformed XML at line \d+/,
    );
  });

  it('refuses an HTML page', () => {
    expect(
      formatError(() => parseFeed(fixture('press-release-cisa.html'), 'text/html', 'https://x.gov/')).message,
    ).toBe('not RSS, Atom or JSON Feed (got an HTML page)');
  });

  it('refuses XML of another kind', () => {
    const sitemap = '<?xml version="1.0"?><urlset><url><loc>https://x.gov/</loc></url></urlset>';
    expect(formatError(() => parseFeed(sitemap, 'application/xml', 'https://x.gov/')).message).toBe(
      'not RSS, Atom or JSON Feed (root element <urlset>)',
    );
  });

  it('refuses plain text, naming its content type', () => {
    expect(
      formatError(() => parseFeed('Service temporarily unavailable', 'text/plain; charset=utf-8', 'https://x.gov/'))
        .message,
    ).toBe('not RSS, Atom or JSON Feed (got text/plain)');
  });

  it('refuses JSON that is not a JSON Feed, and malformed JSON', () => {
    expect(formatError(() => parseFeed('{"items": []}', 'application/json', 'https://x.gov/')).message).toBe(
      'not RSS, Atom or JSON Feed (JSON without a jsonfeed.org version)',
    );
    expect(formatError(() => parseFeed('{"version": ', 'application/json', 'https://x.gov/')).message).toMatch(
      /^not a feed: malformed JSON/,
    );
  });

  it('refuses a document that declares its own entities (billion laughs)', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol3;&lol3;&lol3;</title></item></channel></rss>`;
    expect(formatError(() => parseFeed(lol, null, 'https://x.gov/')).message).toBe(
      'not a feed: declares its own XML entities (refused)',
    );
  });

  it('reads a feed with an external DOCTYPE (old RSS 0.91)', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><item><title>Old &amp; gold</title><link>https://x.gov/a</link></item></channel></rss>`;
    expect(parseFeed(xml, null, 'https://x.gov/')).toEqual([
      { guid: null, link: 'https://x.gov/a', title: 'Old & gold', summary: '', published: null },
    ]);
  });
});
