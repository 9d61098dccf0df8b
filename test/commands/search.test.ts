import { describe, expect, it } from 'vitest';
import { expectVerbatim, line, run } from './setup.ts';

describe('/search', () => {
  it('returns at most 5 citations, each verbatim', async () => {
    const reply = await run('search', { words: 'election' });
    expect(reply.found).toBe(true);
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.citations.length).toBeLessThanOrEqual(5);
    for (const c of reply.citations) expectVerbatim(c);
  });

  it('cites distinct paragraphs', async () => {
    const reply = await run('search', { words: 'election influence' });
    const keys = reply.citations.map((c) => `${c.source}#${c.paragraph}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('highlights the stem of a searched word (ballots → ballot)', async () => {
    const reply = await line('/search words:ballots');
    expect(reply.found).toBe(true);
    expect(reply.highlight).toContain('ballot');
    expect(reply.citations[0]?.text.toLowerCase()).toContain('ballot');
  });

  it('finds the word in the best citation and keeps the citation text unmarked', async () => {
    const reply = await line('/search words:ballots');
    for (const c of reply.citations) {
      expectVerbatim(c);
      expect(c.text).not.toMatch(/\*\*|<mark>/);
      expect(c.text).not.toContain('\u001b[');
    }
  });

  it('says how many paragraphs it found', async () => {
    const reply = await run('search', { words: 'ballots' });
    const n = reply.citations.length;
    expect(reply.text).toBe(`${n} best matching paragraph${n === 1 ? '' : 's'}, best first.`);
  });

  it('answers found false, citing nothing, for a nonsense word', async () => {
    const reply = await run('search', { words: 'xyzzyqwv' });
    expect(reply.found).toBe(false);
    expect(reply.citations).toEqual([]);
    expect(reply.highlight).toEqual([]);
    expect(reply.text).toContain('No paragraph contains those words');
  });

  it('answers empty words with an ephemeral usage error naming the option words', async () => {
    const reply = await line('/search');
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('`words` needs a value');
    expect(reply.text).toContain('e.g. `/search words:');
  });
});
