import { describe, expect, it } from 'vitest';
import { actorChoices, MAX_CHOICES } from '../../../src/adapters/discord/actor-choices.ts';
import type { Corpus } from '../../../src/core/corpus/corpus.ts';
import { corpus } from '../../commands/setup.ts';

describe('actor autocomplete', () => {
  it('matches ids, names and aliases, case-insensitively, best match first', () => {
    expect(actorChoices(corpus, 'Russia')[0]).toEqual({ name: 'Russia', value: 'russia' });
    expect(actorChoices(corpus, 'TEHRAN')[0]).toEqual({ name: 'Iran (Tehran)', value: 'iran' });
    expect(actorChoices(corpus, 'beij')[0]?.value).toBe('china');
    expect(actorChoices(corpus, 'irgc').map((c) => c.value)).toContain('iran');
  });

  it('with nothing typed, offers at most 25 actors, those with the most claims first', () => {
    const choices = actorChoices(corpus, '');
    expect(corpus.actors.size).toBeGreaterThan(MAX_CHOICES);
    expect(choices).toHaveLength(MAX_CHOICES);
    const claims = (id: string) => corpus.claims.filter((c) => c.actor === id).length;
    const counts = choices.map((c) => claims(c.value));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('offers nothing for text no actor goes by', () => {
    expect(actorChoices(corpus, 'zzzz-nobody')).toEqual([]);
  });

  it('keeps choice names and values within 100 characters', () => {
    const alias = `The ${'very '.repeat(30)}long name`;
    const small: Corpus = {
      ...corpus,
      actors: new Map([['long', { id: 'long', name: 'Long', kind: 'group', aliases: [alias] }]]),
      claims: [],
    };
    const [choice] = actorChoices(small, 'the very');
    expect(choice?.value).toBe('long');
    expect(choice?.name.length).toBeLessThanOrEqual(100);
    expect(choice?.name.startsWith('Long (The very')).toBe(true);
  });
});
