/**
 * Text that names a person ("said Bradley T. Smith", "Sergei Kiriyenko"), told apart from
 * agencies, countries and places with WordNet: a person's name has a word WordNet holds only as a
 * proper name or not at all. (Whether a question asks for a person is `personAsked` of
 * `prepareQuestion`: the noun asked is in WordNet's noun.person file.)
 */
import { tokenize } from '../text/tokenize.ts';
import type { AnswerEngine } from './engine.ts';

/** Two or more capitalised words inside a sentence ("said Bradley T. Smith"). */
const CAPITALISED_RUN = /(?<=[\p{Ll},;:] )\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*)+/gu;

/**
 * Whether a text names a person: a run of capitalised words inside a sentence with a word WordNet
 * holds only as a proper name or not at all ("Bradley T. Smith", "Sergei Kiriyenko"), and no word
 * of a country, group, agency or place ("Georgia Secretary of State" is no person's name).
 */
export function namesAPerson(engine: AnswerEngine, text: string): boolean {
  const wordnet = engine.wordnet();
  for (const m of text.matchAll(CAPITALISED_RUN)) {
    const words = m[0].split(' ').map((w) => w.replace(/['’]s$|[.,]$/g, ''));
    if (engine.names.find(tokenize(m[0])).length > 0) continue;
    if (words.some((w) => w.length > 1 && /\p{Ll}/u.test(w) && !wordnet.isCommonWord(w))) return true;
  }
  return false;
}
