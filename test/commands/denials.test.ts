import { describe, expect, it } from 'vitest';
import { corpus, expectVerbatim, keyOf, line, run } from './setup.ts';

/** Denials an actor made; a reported habit ("regularly denies") is noted, not listed. */
const denialClaims = corpus.claims.filter((c) => c.type === 'denial' && c.reported !== 'habit');
const habitClaims = corpus.claims.filter((c) => c.type === 'denial' && c.reported === 'habit');
const denialParagraphs = (actor?: string) => [
  ...new Set(denialClaims.filter((c) => !actor || c.actor === actor).map(keyOf)),
];

function expectNewestFirst(dates: string[]): void {
  for (let i = 1; i < dates.length; i++) {
    expect(dates[i - 1]! >= dates[i]!, `${dates[i - 1]} before ${dates[i]}`).toBe(true);
  }
}

describe('/denials', () => {
  it('cites every denial claim of the corpus, one citation per distinct paragraph', async () => {
    const reply = await run('denials');
    expect(reply.found).toBe(true);
    expect(reply.ephemeral).toBe(false);
    const keys = reply.citations.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(denialParagraphs()));
    expect(keys.length).toBeGreaterThan(0);
  });

  it('lists denials newest first', async () => {
    const reply = await run('denials');
    expectNewestFirst(reply.citations.map((c) => c.date));
  });

  it('says who denied what and when for each citation, from the claim fields', async () => {
    const reply = await run('denials');
    const lines = reply.text.split('\n');
    reply.citations.forEach((c, i) => {
      // The description sits on the citation (summary) or, one line per citation, in the lead text.
      const described = c.summary ?? lines[i] ?? '';
      const claim = denialClaims.find((d) => keyOf(d) === keyOf(c));
      const who = corpus.actors.get(claim?.actor ?? '')?.name;
      expect(described.startsWith(`${c.date}: ${who} denied `), described).toBe(true);
      expect(described).toContain(String(claim?.denies));
    });
  });

  it('cites each paragraph verbatim from the corpus, with its source details', async () => {
    const reply = await run('denials');
    for (const c of reply.citations) expectVerbatim(c);
  });

  it('with actor:russia holds only and all of Russia’s denials', async () => {
    const reply = await line('/denials actor:russia');
    expect(reply.found).toBe(true);
    expect(reply.title).toBe('Denials by Russia');
    expect(reply.citations.length).toBeGreaterThan(0);
    for (const c of reply.citations) {
      const russian = denialClaims.some((d) => d.actor === 'russia' && keyOf(d) === keyOf(c));
      expect(russian, `${keyOf(c)} has a Russia denial claim`).toBe(true);
      expectVerbatim(c);
    }
    expect(new Set(reply.citations.map(keyOf))).toEqual(new Set(denialParagraphs('russia')));
    expectNewestFirst(reply.citations.map((c) => c.date));
  });

  it('with actor:iran holds no Russian-only denial paragraph', async () => {
    const reply = await line('/denials actor:iran');
    expect(new Set(reply.citations.map(keyOf))).toEqual(new Set(denialParagraphs('iran')));
    expect(reply.text).not.toContain('Russia denied');
  });

  it.each(['Kremlin', 'moscow', 'Rusia', 'RUSSIA', 'Russian'])('resolves actor:%s to Russia', async (typed) => {
    const expected = await line('/denials actor:russia');
    const reply = await line(`/denials actor:${typed}`);
    expect(reply.title).toBe('Denials by Russia');
    expect(reply.citations.map(keyOf)).toEqual(expected.citations.map(keyOf));
  });

  it('takes the actor as leading free text too (/denials russia)', async () => {
    const expected = await line('/denials actor:russia');
    const reply = await line('/denials russia');
    expect(reply.citations.map(keyOf)).toEqual(expected.citations.map(keyOf));
  });

  it('answers an unknown actor with an ephemeral reply listing the known actor ids', async () => {
    const reply = await line('/denials actor:Atlantis');
    expect(reply.ephemeral).toBe(true);
    expect(reply.found).toBe(false);
    expect(reply.citations).toEqual([]);
    expect(reply.text).toContain('Atlantis');
    for (const id of corpus.actors.keys()) expect(reply.text).toContain(id);
  });

  it('lists no reported habit as a dated denial, and notes each after the list with its paragraph', async () => {
    expect(habitClaims.map(keyOf)).toContain('2024-07-29-icaro-iran-covert-social-media#8');
    const reply = await run('denials');
    const keys = reply.citations.map(keyOf);
    for (const h of habitClaims) {
      expect(keys).not.toContain(keyOf(h));
      const note = reply.notes.find((n) => n.includes(`paragraph ${h.paragraph}`) && n.includes(h.date));
      expect(note, `a note for ${keyOf(h)}`).toBeDefined();
      expect(note).toMatch(/^Also reported, as a habit rather than a dated denial: /);
      expect(note).toContain(h.summary.replace(/\.$/, ''));
    }
    expect(reply.text).not.toMatch(/Russia denied US allegations of election interference/);
    expect(reply.text).toMatch(new RegExp(`^${denialParagraphs().length} recorded denials, newest first:`));
  });

  it('keeps the habit note for the actor asked about, and only for it', async () => {
    const russia = await line('/denials actor:russia');
    expect(russia.notes.some((n) => n.includes('regularly denies'))).toBe(true);
    const iran = await line('/denials actor:iran');
    expect(iran.notes.some((n) => n.includes('regularly denies'))).toBe(false);
  });

  it('says so, citing nothing, for a known actor without denials', async () => {
    const reply = await run('denials', { actor: 'china' });
    expect(denialParagraphs('china')).toEqual([]);
    expect(reply.found).toBe(false);
    expect(reply.citations).toEqual([]);
    expect(reply.text).toContain('no recorded denials by China');
  });
});
