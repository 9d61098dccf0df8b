import { describe, expect, it } from 'vitest';
import { claimCounts } from '../../src/core/corpus/corpus.ts';
import { corpus, line, run } from './setup.ts';

const nameOf = (id: string) => corpus.actors.get(id)?.name ?? id;

describe('/actors', () => {
  it.each(['russia', 'iran', 'china'])('lists %s with its latest stated preference', async (id) => {
    const reply = await run('actors');
    expect(reply.found).toBe(true);
    const entry = reply.text.split('\n').find((l) => l.startsWith(`${nameOf(id)} [${id}]: `));
    expect(entry, `a line for ${id}`).toBeDefined();
    const prefs = corpus.claims.filter((c) => c.actor === id && c.type === 'preference');
    const latest = prefs.reduce((a, b) => (b.date > a.date ? b : a));
    expect(entry).toContain(`stated ${latest.date}`);
    const sides = [
      ...(latest.favours ?? []).map((c) => `favours ${nameOf(c)}`),
      ...(latest.opposes ?? []).map((c) => `opposes ${nameOf(c)}`),
    ];
    expect(sides.length).toBeGreaterThan(0);
    for (const side of sides) expect(entry).toContain(side);
  });

  it.each(['russia', 'iran', 'china'])('counts %s’s claims by type and dates its newest source', async (id) => {
    const reply = await run('actors');
    const entry = reply.text.split('\n').find((l) => l.startsWith(`${nameOf(id)} [${id}]: `)) ?? '';
    const claims = corpus.claims.filter((c) => c.actor === id);
    for (const [type, n] of Object.entries(claimCounts(claims)))
      expect(entry).toMatch(new RegExp(`\\b${n} ${type}\\b`));
    const newest = claims
      .map((c) => c.date)
      .sort()
      .at(-1);
    expect(entry).toContain(`newest source ${newest}`);
  });

  it('lists no actor the corpus holds no claims about', async () => {
    const reply = await run('actors');
    const listed = reply.text.split('\n').map((l) => /\[([a-z0-9-]+)\]/.exec(l)?.[1]);
    for (const id of listed) expect(corpus.claims.some((c) => c.actor === id)).toBe(true);
    expect(listed).not.toContain('trump');
  });

  it('refuses free text, since it takes no options', async () => {
    const reply = await line('/actors now');
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('takes no options');
  });
});

/** The source a /sources line is about, by its exact rendered start. */
function sourceOfLine(l: string): string | undefined {
  return [...corpus.sources.values()].find((s) => l.startsWith(`${s.date} · ${s.title} — ${s.publisher} (`))?.id;
}

describe('/sources', () => {
  it('lists every source once, newest first, each line with its date and publisher', async () => {
    const reply = await run('sources');
    expect(reply.found).toBe(true);
    const lines = reply.text.split('\n');
    expect(lines).toHaveLength(corpus.sources.size);
    const ids = lines.map(sourceOfLine);
    expect(ids).not.toContain(undefined);
    expect(new Set(ids)).toEqual(new Set(corpus.sources.keys()));
    const dates = lines.map((l) => /^(\d{4}-\d{2}-\d{2}) · /.exec(l)?.[1] ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('shows each source’s link when it has one', async () => {
    const reply = await run('sources');
    const lines = reply.text.split('\n');
    for (const s of corpus.sources.values()) {
      const l = lines.find((x) => sourceOfLine(x) === s.id) ?? '';
      if (s.url) expect(l.endsWith(` ${s.url}`)).toBe(true);
      else expect(l).not.toMatch(/https?:\/\//);
    }
  });

  it('with actor:iran lists only and all sources that hold Iran claims', async () => {
    const reply = await line('/sources actor:iran');
    expect(reply.title).toBe('Sources on Iran');
    const withIran = new Set(corpus.claims.filter((c) => c.actor === 'iran').map((c) => c.source));
    const ids = reply.text.split('\n').map(sourceOfLine);
    expect(new Set(ids)).toEqual(withIran);
    expect(ids).toHaveLength(withIran.size);
    expect(ids.length).toBeLessThan(corpus.sources.size);
  });

  it('resolves the actor by alias (actor:Tehran)', async () => {
    expect((await line('/sources actor:Tehran')).text).toBe((await line('/sources actor:iran')).text);
  });

  it('says so when no document holds claims about the actor', async () => {
    const reply = await run('sources', { actor: 'trump' });
    expect(reply.found).toBe(false);
    expect(reply.text).toContain('No documents hold claims about Donald Trump');
  });

  it('answers an unknown actor with an ephemeral error', async () => {
    const reply = await run('sources', { actor: 'Atlantis' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('Known actors:');
  });
});
