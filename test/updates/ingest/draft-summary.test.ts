import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { type DraftSource, draftClaims } from '../../../src/updates/ingest/draft-claims.ts';
import { shippedDataDir } from '../../core/corpus/temp-data.ts';

const corpus = loadCorpus(shippedDataDir);
const official: DraftSource['header'] = { publisher: 'ODNI', kind: 'official' };
const news: DraftSource['header'] = { publisher: 'ICARO Media Group', kind: 'news' };

function draft(paragraphs: string[], header = official) {
  return draftClaims({ id: 'test-doc', header, paragraphs }, corpus);
}

function only(type: string, paragraphs: string[], header = official) {
  const found = draft(paragraphs, header).filter((c) => c.type === type);
  expect(found, `one ${type} draft`).toHaveLength(1);
  return found[0] as (typeof found)[number];
}

describe('drafted summaries read as one sentence about the actor', () => {
  it('writes a denial of "that <actor> …" with "it", not the actor twice', () => {
    const c = only('denial', ['Tehran denied that Iran had hacked the Trump campaign.'], news);
    expect(c.summary).toBe('Iran denied that it had hacked the Trump campaign');
    expect(c.denies).toBe('that it had hacked the Trump campaign');
  });

  it('cuts a denial before a second verb, so it is one clause with one verb', () => {
    const c = only(
      'denial',
      [
        'The Iranian Permanent Mission to the United Nations strongly denied engaging in any activities to influence the US election and dismissed the accusations as psychological operations designed to artificially manipulate election campaigns.',
      ],
      news,
    );
    expect(c.denies).toBe('engaging in any activities to influence the US election');
    expect(c.summary).toBe('Iran strongly denied engaging in any activities to influence the US election');
  });

  it('keeps the verb that governs a noun cue: "Cuba sought … narratives", not "Cuba: tactic — narratives"', () => {
    const c = only('tactic', [
      "We assess Cuba sought to undermine former President Trump's electoral prospects by pushing anti-Republican and pro-Democrat narratives to the Latin American community.",
    ]);
    expect(c.summary).toBe(
      "Cuba sought to undermine former President Trump's electoral prospects by pushing anti-Republican and pro-Democrat narratives to the Latin American community",
    );
  });

  it('starts at the actor named inside a reported clause and drops what the reporter said', () => {
    const c = only('tactic', [
      'The ODNI emphasized that Iran relies on extensive networks of online personas and propaganda mills to disseminate disinformation.',
    ]);
    expect(c.summary).toBe(
      'Iran relies on extensive networks of online personas and propaganda mills to disseminate disinformation',
    );
  });

  it('keeps a plural subject as written so its verb agrees ("Iranians have", not "Iran have")', () => {
    const c = only('intent', [
      'The IC is confident that the Iranians have through social engineering and other efforts sought access to individuals with direct access to the campaigns.',
    ]);
    expect(c.summary.startsWith('Iranians have through social engineering')).toBe(true);
  });

  it('names the actor in brackets when the sentence’s subject is someone else and names it not', () => {
    const [c] = draft(['Treasury today designated two Iranian front companies under E.O. 13848, officials said.']);
    expect(c?.summary).toBe('Treasury today designated two Iranian front companies under E.O. 13848');
    const [d] = draft(['Iran hacked the campaign. Such activity is intended to influence the election.']).filter(
      (x) => x.type === 'intent',
    );
    expect(d?.summary).toBe('Such activity is intended to influence the election (Iran)');
  });

  it('writes a preference as the actor, a verb and the candidates', () => {
    const c = only('preference', ['Moscow ran operations to support Trump and denigrate Biden.']);
    expect(c.summary).toBe('Russia favours Donald Trump and opposes Joe Biden');
  });
});

describe('drafted denials say whether they report a statement or a habit', () => {
  it.each([
    'Comment from the Russian Embassy in Washington, DC has been requested by CNN, although the Russian government regularly denies US allegations of election interference.',
    'Moscow has denied such accusations in the past.',
    'The Kremlin routinely rejects US allegations of meddling.',
    'Beijing has long dismissed the reports of Chinese interference as smears.',
  ])('a habit: %s', (sentence) => {
    const c = only('denial', [sentence], news);
    expect(c.reported).toBe('habit');
  });

  it.each([
    'Iran has vehemently denied any involvement in the assassination allegations.',
    'The Kremlin rejected the report on Tuesday, calling it baseless.',
  ])('a dated statement: %s', (sentence) => {
    expect(only('denial', [sentence], news).reported).toBe('statement');
  });
});

describe('drafted summaries over the shipped corpus', () => {
  const drafts = [...corpus.sources.values()].flatMap((s) =>
    draftClaims(
      { id: s.id, header: { publisher: s.publisher, kind: s.kind }, paragraphs: s.paragraphs.map((p) => p.text) },
      corpus,
    ),
  );

  it('have no "<Actor>: <type> —" label, start with a capital and name the actor’s display name at most once', () => {
    expect(drafts.length).toBeGreaterThan(50);
    for (const c of drafts) {
      expect(c.summary, c.id).not.toMatch(/^[^:]{1,40}: [a-z]+ — /);
      expect(c.summary, c.id).toMatch(/^[A-Z0-9]/);
      const name = corpus.actors.get(c.actor)?.name ?? c.actor;
      const times = c.summary.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
      expect(times, `${c.id}: ${c.summary}`).toBeLessThanOrEqual(1);
    }
  });

  it('give every denial a reported value, and never "that <actor>" after the actor in denies', () => {
    for (const c of drafts.filter((d) => d.type === 'denial')) {
      expect(['statement', 'habit'], c.id).toContain(c.reported);
      const name = corpus.actors.get(c.actor)?.name ?? c.actor;
      expect(c.denies, c.id).not.toMatch(new RegExp(`^that (?:the )?${name}\\b`));
    }
  });
});
