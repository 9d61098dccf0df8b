import { describe, expect, it } from 'vitest';
import { extractPage, htmlToText, isPdf } from '../../../src/updates/feeds/extract-page.ts';
import { readFixture } from './feed-server.ts';

const page = (name: string, url: string) => extractPage(readFixture(name).toString('utf8'), url);

describe('extractPage', () => {
  it('keeps only the body paragraphs of a CISA press release, in order and verbatim', () => {
    const cisa = page('press-release-cisa.html', 'https://www.cisa.gov/news-events/news/joint-statement');
    expect(cisa.title).toBe(
      'CISA and FBI Release Joint Statement on Foreign Influence Operations Targeting the 2026 Midterm Elections',
    );
    expect(cisa.published).toBe('2025-01-14T10:00:00-05:00');
    expect(cisa.paragraphs).toEqual([
      'WASHINGTON – The Cybersecurity and Infrastructure Security Agency (CISA) and the Federal Bureau of Investigation (FBI) today released a joint statement on foreign influence operations targeting the 2026 midterm elections.',
      '“Foreign adversaries, particularly Russia, Iran and China, continue to use influence operations to undermine confidence in U.S. democratic institutions,” said CISA Director Jane Doe. “Our election infrastructure remains secure, and we will keep sharing what we see with election officials and the public.”',
      'The agencies assess that these actors will likely spread false claims about voting processes, use artificial intelligence to create fake news sites and inauthentic personas, and amplify claims of fraud after polls close.',
      'Recommendations for Voters',
      'Seek out information from trusted sources, such as state and local election officials.',
      'Be cautious of content that provokes strong emotions or that is shared without a source.',
      '“Election officials are the signal through the noise,” said FBI Assistant Director John Roe.',
      'Members of the public can report election crimes to the FBI at 1-800-CALL-FBI or tips.fbi.gov.',
    ]);
  });

  it('drops the cookie banner, share links, sidebar, sign-up box and footer of a Treasury page', () => {
    const treasury = page('press-release-treasury.html', 'https://home.treasury.gov/news/press-releases/jy2617');
    expect(treasury.title).toBe('Treasury Sanctions Russian Operators of Election Disinformation Network');
    expect(treasury.published).toBe('2025-01-15T16:30:00-05:00');
    expect(treasury.paragraphs).toEqual([
      'WASHINGTON — Today, the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC) designated ten individuals and two entities for their roles in a Russian government-directed campaign to influence the 2024 U.S. presidential election.',
      'The network, which Russian operators call “Doppelganger,” built websites that imitate legitimate news outlets and used them to spread fabricated articles.',
      '“The Russian government continues to target our elections,” said Deputy Secretary of the Treasury Wally Adeyemo. “Treasury will use every tool to expose and disrupt these efforts.”',
      'Sanctions Implications',
      'As a result of today’s action, all property and interests in property of the designated persons that are in the United States or in the possession or control of U.S. persons are blocked and must be reported to OFAC.',
      'Click here for identifying information on the individuals and entities designated today.',
    ]);
  });

  it('leaves out the byline block of a short State Department statement', () => {
    const state = page('statement-state.html', 'https://www.state.gov/countering-foreign-election-interference/');
    expect(state.title).toBe('Countering Foreign Election Interference');
    expect(state.published).toBeNull();
    expect(state.paragraphs).toEqual([
      'The Department of State’s Rewards for Justice program is offering a reward of up to $10 million for information on foreign interference in U.S. elections.',
      'Foreign interference in our elections will not be tolerated, and the United States will continue to hold accountable those who try to undermine our democracy.',
    ]);
  });

  it('keeps every word of the page text: each paragraph appears in the source once tags and spacing are gone', () => {
    const html = readFixture('press-release-treasury.html').toString('utf8');
    const flat = htmlToText(html).replace(/\s+/g, ' ');
    for (const paragraph of page('press-release-treasury.html', 'https://home.treasury.gov/x').paragraphs) {
      expect(flat).toContain(paragraph);
    }
  });

  it('returns no paragraphs for a page with nothing readable', () => {
    const shell = page('js-shell.html', 'https://www.dni.gov/newsroom');
    expect(shell).toEqual({
      title: 'Newsroom | Office of the Director of National Intelligence',
      published: null,
      paragraphs: [],
    });
  });

  it('returns no paragraphs for an empty document', () => {
    expect(extractPage('', 'https://x.gov/').paragraphs).toEqual([]);
  });

  it('reads a <time datetime> when there is no meta date', () => {
    const html = `<html><body><main><article><h1>Statement</h1><time datetime="2025-01-20">January 20, 2025</time>
      <p>${'The Department condemns foreign interference in the election. '.repeat(4)}</p></article></main></body></html>`;
    expect(extractPage(html, 'https://x.gov/a')).toMatchObject({ title: 'Statement', published: '2025-01-20' });
  });
});

describe('htmlToText', () => {
  it('splits blocks, decodes entities and drops scripts', () => {
    expect(htmlToText('<p>One &amp;\n two</p><script>alert(1)</script><ul><li>three</li><li>four</li></ul>')).toBe(
      'One & two\n\nthree\n\nfour',
    );
  });
});

describe('isPdf', () => {
  it.each([
    ['application/pdf', 'https://www.dni.gov/files/assessment', true],
    ['application/pdf; charset=binary', 'https://x.gov/a', true],
    [null, 'https://www.dni.gov/files/ODNI/documents/assessments/ICA-2017-01D.PDF', true],
    ['application/octet-stream', 'https://x.gov/files/statement.pdf?download=1', true],
    ['text/html; charset=utf-8', 'https://x.gov/files/statement.pdf', false],
    [null, 'https://x.gov/news/statement', false],
  ])('isPdf(%s, %s) is %s', (contentType, url, expected) => {
    expect(isPdf(contentType, url)).toBe(expected);
  });
});
