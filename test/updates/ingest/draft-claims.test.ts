import { describe, expect, it } from 'vitest';
import { paragraphOf } from '../../../src/core/corpus/corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { claimSchema } from '../../../src/core/corpus/schema.ts';
import { type DraftSource, draftClaims } from '../../../src/updates/ingest/draft-claims.ts';
import { shippedDataDir } from '../../core/corpus/temp-data.ts';

const corpus = loadCorpus(shippedDataDir);

function draft(paragraphs: string[], header: DraftSource['header'] = { publisher: 'ODNI', kind: 'official' }) {
  return draftClaims({ id: 'test-doc', header, paragraphs }, corpus);
}

/** type actor [favours] [opposes] rule, one line per draft. */
function lines(paragraphs: string[], header?: DraftSource['header']): string[] {
  return draft(paragraphs, header).map((c) =>
    [c.type, c.actor, c.favours?.join(',') ?? '-', c.opposes?.join(',') ?? '-', c.rule].join(' '),
  );
}

describe('draftClaims', () => {
  it('puts each candidate on the side of the cue before it', () => {
    expect(lines(['Moscow ran operations to support Trump and denigrate Biden.'])).toContain(
      'preference russia trump biden preference.favour+preference.oppose',
    );
  });

  it('reads "prefers that X does not win" as opposing X', () => {
    const [c] = draft([
      'China prefers that President Trump – whom Beijing sees as unpredictable – does not win reelection.',
    ]);
    expect(c).toMatchObject({
      type: 'preference',
      actor: 'china',
      opposes: ['trump'],
      rule: 'preference.favour+negated',
    });
  });

  it('drafts nothing a negation takes back', () => {
    expect(lines(['China did not deploy influence efforts intended to change the outcome.'])).toEqual([]);
  });

  it('keeps a cue whose negation belongs to another clause', () => {
    expect(lines(['Not content with that, Iran sought to influence the election.'])).toEqual([
      'intent iran - - intent.aim',
    ]);
  });

  it('gives the denial to the actor that denies, not to the one accused', () => {
    const [c] = draft(['In response to the FBI, the Russian Embassy dismissed the reports of Iranian hacking.']);
    expect(c).toMatchObject({
      type: 'denial',
      actor: 'russia',
      denies: 'the reports of Iranian hacking',
      rule: 'denial.reject',
    });
    expect(c?.mentions).toEqual(['fbi', 'iran']);
  });

  it('does not read a passive "rejected" or "denied access" as a denial', () => {
    const drafts = lines([
      'Russian actors claimed ballots would be rejected.',
      'Iran was denied access to the systems.',
    ]);
    expect(drafts.filter((l) => l.startsWith('denial'))).toEqual([]);
  });

  it('in a response, drafts only what the publisher says, as the publisher', () => {
    const header = {
      publisher: 'Permanent Mission of the Islamic Republic of Iran to the United Nations',
      kind: 'response' as const,
    };
    expect(
      lines(['Such allegations of hacking and fake personas are unsubstantiated.', 'We seek no conflict.'], header),
    ).toEqual(['denial iran - - denial.groundless+publisher']);
    expect(draft(['Such allegations are unsubstantiated.'], header)[0]?.denies).toBe(
      'allegations it calls unsubstantiated',
    );
  });

  it('calls an accusation baseless only when someone says so outside a response', () => {
    expect(lines(['Russian proxies pushed unsubstantiated allegations against Biden.'])).not.toContainEqual(
      expect.stringMatching(/^denial/),
    );
    const [c] = draft(['Moscow called the accusations baseless.']);
    expect(c).toMatchObject({ type: 'denial', actor: 'russia', rule: 'denial.groundless' });
    expect(c?.denies).toBe('accusations it calls baseless');
  });

  it('drafts one claim for each actor listed together as the subject', () => {
    expect(lines(['Russia, China, and Iran are the most active threats, unlike Cuba.'])).toEqual([
      'threat russia - - threat.ranking',
      'threat china - - threat.ranking',
      'threat iran - - threat.ranking',
    ]);
  });

  it('takes the actor from earlier in the paragraph and says so', () => {
    expect(lines(['Iran hacked the campaign. Such activity is intended to influence the election.'])).toEqual([
      'tactic iran - - tactic.method',
      'intent iran - - intent.aim+context',
    ]);
  });

  it('drafts nothing without an actor from the registry', () => {
    expect(lines(['Unknown actors hacked several websites and plan to do more.'])).toEqual([]);
  });

  it('writes summaries from the sentence’s own words', () => {
    const [c] = draft(['Treasury today designated two Iranian front companies under E.O. 13848, officials said.']);
    expect(c?.summary).toBe('Treasury today designated two Iranian front companies under E.O. 13848');
  });
});

describe('draftClaims over the shipped corpus', () => {
  const sources = [...corpus.sources.values()];
  const drafts = sources.flatMap((s) =>
    draftClaims(
      { id: s.id, header: { publisher: s.publisher, kind: s.kind }, paragraphs: s.paragraphs.map((p) => p.text) },
      corpus,
    ),
  );

  it('gives every draft a valid shape, a known actor and a verbatim quote', () => {
    expect(drafts.length).toBeGreaterThan(50);
    for (const c of drafts) {
      expect(claimSchema.safeParse(c).success, c.id).toBe(true);
      expect(paragraphOf(corpus, c.source, c.paragraph)?.text, c.id).toContain(c.quote);
      for (const id of [c.actor, ...(c.favours ?? []), ...(c.opposes ?? []), ...(c.mentions ?? [])]) {
        expect(corpus.actors.has(id), `${c.id}: ${id}`).toBe(true);
      }
    }
  });

  it('agrees with the reviewed claims on most paragraphs (type and actor)', () => {
    const key = (c: { source: string; paragraph: number; type: string; actor: string }) =>
      `${c.source}#${c.paragraph} ${c.type} ${c.actor}`;
    const reviewed = new Set(corpus.claims.map(key));
    const drafted = new Set(drafts.map(key));
    const wanted = [...reviewed].filter((k) => !k.includes(' finding '));
    const precision = [...drafted].filter((k) => reviewed.has(k)).length / drafted.size;
    const recall = wanted.filter((k) => drafted.has(k)).length / wanted.length;
    // Measured 0.77 and 0.79 when the rules were written; a drop means a rule change broke something.
    expect(precision).toBeGreaterThanOrEqual(0.7);
    expect(recall).toBeGreaterThanOrEqual(0.7);
  });
});
