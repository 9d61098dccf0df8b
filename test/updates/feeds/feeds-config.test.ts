import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MATCH,
  FeedsConfigError,
  feedsSource,
  loadFeeds,
  matcherFor,
  parseFeeds,
} from '../../../src/updates/feeds/feeds-config.ts';
import { repoRoot, tempDir } from './poll-helpers.ts';

function problem(json: unknown): string {
  try {
    parseFeeds(json, 'feeds.json');
  } catch (e) {
    expect(e).toBeInstanceOf(FeedsConfigError);
    return (e as Error).message;
  }
  throw new Error('test: expected a FeedsConfigError');
}

describe('the feeds file', () => {
  it('fills in the defaults: kind official, the default match words, the feed’s own host', () => {
    const [feed] = parseFeeds([{ url: 'https://WWW.DNI.gov/index.php/rss', publisher: 'ODNI' }], 'feeds.json');
    expect(feed).toEqual({
      url: 'https://www.dni.gov/index.php/rss',
      publisher: 'ODNI',
      kind: 'official',
      match: DEFAULT_MATCH,
      allowHosts: ['www.dni.gov'],
    });
  });

  it('keeps a feed’s own kind, match words and allowed hosts (lower-cased)', () => {
    const [feed] = parseFeeds(
      [
        {
          url: 'https://www.fbi.gov/feeds/rss.xml',
          publisher: 'FBI',
          kind: 'news',
          match: ['ransomware'],
          allowHosts: ['WWW.FBI.GOV', 'fbi.gov'],
        },
      ],
      'feeds.json',
    );
    expect(feed).toMatchObject({ kind: 'news', match: ['ransomware'], allowHosts: ['www.fbi.gov', 'fbi.gov'] });
  });

  it('names the file, the entry and the field of each problem, in one line', () => {
    const message = problem([
      { url: 'ftp://files.example.org/feed', publisher: 'X' },
      { url: 'https://www.cisa.gov/news.xml', publisher: '' },
      { url: 'https://www.cisa.gov/news.xml', publisher: 'CISA', kind: 'rumour' },
      { url: 'https://www.cisa.gov/other.xml', publisher: 'CISA', allowHosts: ['https://www.cisa.gov/'] },
    ]);
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^feeds: feeds\.json: feed 1 \(ftp:\/\/files\.example\.org\/feed\): url must be an http\(s\) URL/,
    );
    expect(message).toContain('feed 2 (https://www.cisa.gov/news.xml): publisher needs a value');
    expect(message).toContain('feed 3 (https://www.cisa.gov/news.xml): kind must be one of "official", "news"');
    expect(message).toContain('feed 4 (https://www.cisa.gov/other.xml): allowHosts.0 must be a host name');
  });

  it('refuses a second entry with the same url, unknown fields, and anything but an array', () => {
    const twice = { url: 'https://www.cisa.gov/news.xml', publisher: 'CISA' };
    expect(problem([twice, twice])).toContain('feed 2 (https://www.cisa.gov/news.xml): the same url as feed 1');
    expect(problem([{ ...twice, interval: 5 }])).toContain('has unknown field interval');
    expect(problem({ feeds: [twice] })).toBe(
      'feeds: feeds.json must hold a JSON array of feeds, e.g. [{ "url": …, "publisher": … }]',
    );
  });

  it('a missing default feeds.json means no feeds; a named file that is missing, or bad JSON, is an error', () => {
    const dir = tempDir();
    expect(loadFeeds({ file: path.join(dir, 'feeds.json'), required: false })).toEqual([]);
    expect(() => loadFeeds({ file: path.join(dir, 'mine.json'), required: true })).toThrow(
      /^feeds: .*mine\.json does not exist; give a feeds file \(see docs\/feeds\.md\) or unset FEEDS_FILE$/,
    );
    fs.writeFileSync(path.join(dir, 'bad.json'), '[{"url": ');
    expect(() => loadFeeds({ file: path.join(dir, 'bad.json'), required: false })).toThrow(
      /bad\.json is not valid JSON/,
    );
  });

  it('--feeds comes before FEEDS_FILE, which comes before feeds.json', () => {
    expect(feedsSource('a.json', 'b.json')).toEqual({ file: 'a.json', required: true });
    expect(feedsSource(undefined, 'b.json')).toEqual({ file: 'b.json', required: true });
    expect(feedsSource(undefined, undefined)).toEqual({ file: 'feeds.json', required: false });
  });

  it('the shipped feeds.json is valid and lists ODNI, FBI, CISA, DOJ, Treasury and State', () => {
    const feeds = loadFeeds({ file: path.join(repoRoot, 'feeds.json'), required: true });
    const hosts = feeds.map((f) => new URL(f.url).hostname);
    expect(hosts).toEqual([
      'www.dni.gov',
      'www.fbi.gov',
      'www.cisa.gov',
      'www.justice.gov',
      'home.treasury.gov',
      'www.state.gov',
    ]);
    for (const f of feeds) expect(f.kind).toBe('official');
  });
});

describe('the topic filter', () => {
  const matches = matcherFor(DEFAULT_MATCH);

  it.each([
    'Joint Statement on Foreign Threats to the 2026 Midterm Elections',
    'Treasury Sanctions Russian Influence Operations Targeting Voters',
    'Statement on election-related DISINFORMATION',
    'Malign   Influence actors target ballots',
  ])('lets "%s" through', (title) => {
    expect(matches(title)).toBe(true);
  });

  it.each([
    'Agency Announces New Regional Office Opening in Denver',
    'Selection of new directors announced', // "election" inside "selection"
    'Man Sentenced for Wire Fraud Scheme',
  ])('holds "%s" back', (title) => {
    expect(matches(title)).toBe(false);
  });

  it('matches whole phrases only, in any case', () => {
    const test = matcherFor(['foreign influence', 'C++']);
    expect(test('FOREIGN INFLUENCE')).toBe(true);
    expect(test('foreign and influence')).toBe(false);
    expect(test('written in C++ today')).toBe(true);
    expect(matcherFor([])('anything')).toBe(false);
  });
});
