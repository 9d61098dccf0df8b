import { describe, expect, it } from 'vitest';
import { corpus, expectVerbatim, keyOf, line, run } from './setup.ts';

describe('/ask', () => {
  it("answers Russia's preference from a Russia preference paragraph, cited verbatim", async () => {
    const reply = await run('ask', { question: "What is Russia's preference?" });
    expect(reply.found).toBe(true);
    expect(reply.ephemeral).toBe(false);
    expect(reply.citations.length).toBeGreaterThan(0);
    for (const c of reply.citations) expectVerbatim(c);
    const best = reply.citations[0]!;
    const claims = corpus.claims.filter((c) => keyOf(c) === keyOf(best));
    expect(claims.some((c) => c.actor === 'russia' && c.type === 'preference')).toBe(true);
  });

  it('answers a plain line as a question, the same as /ask', async () => {
    const viaCommand = await line("/ask question:Who did Iran's UN mission say was lying?");
    const viaText = await line("Who did Iran's UN mission say was lying?");
    expect(viaText).toEqual(viaCommand);
  });

  it('takes the question as leading free text (/ask what …)', async () => {
    const free = await line("/ask What is Russia's preference?");
    const named = await line("/ask question:What is Russia's preference?");
    expect(free).toEqual(named);
    expect(free.found).toBe(true);
  });

  it('cites every paragraph verbatim when listing denials in plain words', async () => {
    const reply = await line('which denials are there?');
    for (const c of reply.citations) expectVerbatim(c);
  });

  it('says it does not know, citing nothing, for a question outside the corpus', async () => {
    const reply = await run('ask', { question: 'What is the capital of Australia?' });
    expect(reply.found).toBe(false);
    expect(reply.citations).toEqual([]);
  });

  it.each([
    ['an empty question', { question: '' }],
    ['a blank question', { question: '   ' }],
    ['no question at all', {}],
  ])('answers %s with an ephemeral usage error naming the option question', async (_label, options) => {
    const reply = await run('ask', options);
    expect(reply.ephemeral).toBe(true);
    expect(reply.found).toBe(false);
    expect(reply.citations).toEqual([]);
    expect(reply.text).toContain('`question` needs a value');
    expect(reply.text).toContain('e.g. `/ask question:');
  });

  it('answers a bare /ask line with the same usage error', async () => {
    const reply = await line('/ask');
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('`question` needs a value');
  });
});
