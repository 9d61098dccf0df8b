import { describe, expect, it } from 'vitest';
import { lemmaCandidates, loadWordNet } from '../../../src/core/text/wordnet.ts';

const wordnet = loadWordNet();
const relation = (word: string, of: string) => wordnet.related(of).find((r) => r.word === word)?.relation;

describe('WordNet relations', () => {
  it('finds a derived form, a synonym, a broader and a narrower word, each said as such', () => {
    expect(relation('interference', 'interfere')).toBe('derived');
    expect(relation('voter', 'vote')).toBe('derived');
    expect(relation('ballot', 'vote')).toBe('synonym');
    expect(relation('strategy', 'plot')).toBe('hypernym');
    expect(relation('meddle', 'interfere')).toBe('hyponym');
  });

  it('keeps the closest relation for a word reached two ways, and never the word itself', () => {
    const related = wordnet.related('interfere');
    expect(new Set(related.map((r) => r.word)).size).toBe(related.length);
    expect(related.some((r) => r.word === 'interfere')).toBe(false);
  });

  it('reads inflected forms through their base form', () => {
    expect(lemmaCandidates('denies')).toContain('deny');
    expect(lemmaCandidates('biggest')).toContain('big');
    expect(lemmaCandidates('earliest')).toContain('early');
    expect(lemmaCandidates('larger')).toContain('large');
    expect(wordnet.related('biggest').map((r) => r.word)).toContain('large');
    expect(relation('interference', 'interfered')).toBe('derived');
  });

  it('knows nothing of a word it lacks', () => {
    expect(wordnet.related('zzqxvlorp')).toEqual([]);
    expect(wordnet.primaryPart('zzqxvlorp')).toBeUndefined();
    expect(wordnet.primaryPart('stay')).toBe('verb');
    expect(wordnet.parts('zzqxvlorp')).toEqual([]);
  });

  it('tells a person noun and a common word from a proper name', () => {
    expect(wordnet.namesPerson('official')).toBe(true);
    expect(wordnet.namesPerson('staffers')).toBe(true);
    expect(wordnet.namesPerson('agency')).toBe(false);
    // An irregular plural, and "person" itself, which WordNet files among its most general nouns.
    expect(wordnet.namesPerson('people')).toBe(true);
    expect(wordnet.namesPerson('individuals')).toBe(true);
    expect(wordnet.isCommonWord('Smith')).toBe(true);
    expect(wordnet.isCommonWord('Department')).toBe(true);
    expect(wordnet.isCommonWord('Bradley')).toBe(false);
    expect(wordnet.isCommonWord('Kiriyenko')).toBe(false);
  });

  it('climbs from a noun to broader nouns of its own kind, and stops at the most general ones', () => {
    const staffers = wordnet.broaderNouns('staffers', 3);
    expect(staffers).toEqual(expect.arrayContaining(['staffer', 'employee', 'worker', 'person', 'individual']));
    // "person" is kept; what lies above it (organism, being, entity) says nothing of staffers.
    expect(staffers).not.toContain('organism');
    expect(wordnet.broaderNouns('staffers', 1)).not.toContain('person');
    expect(wordnet.broaderNouns('people', 3)).toContain('individual');
    expect(wordnet.broaderNouns('Kiriyenko', 3)).toEqual([]);
  });

  it('lists every part of speech a word can be, inflected forms included', () => {
    expect(wordnet.parts('official')).toEqual(expect.arrayContaining(['noun', 'adj']));
    expect(wordnet.parts('counties')).toEqual(['noun']);
    expect(wordnet.parts('commented')).toContain('verb');
  });
});

describe('WordNet expressions of two words', () => {
  it('finds the relatives of a phrasal verb, the verb inflected or not', () => {
    const words = (a: string, b: string) => wordnet.relatedPhrase(a, b).map((r) => r.word);
    expect(words('size', 'up')).toContain('scrutinize');
    expect(words('pushed', 'back')).toContain('repel');
    expect(words('looking', 'into')).toContain('investigate');
  });

  it('never gives the expression itself, and nothing for two words WordNet holds apart', () => {
    expect(wordnet.relatedPhrase('size', 'up').some((r) => r.word === 'size up')).toBe(false);
    expect(wordnet.relatedPhrase('russia', 'election')).toEqual([]);
  });
});
