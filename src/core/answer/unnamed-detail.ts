/**
 * Questions that ask for a thing to be named ("Which counties…?", "What is the name of the
 * unit…?", "Who is the director of…?") against a paragraph that speaks of that thing only
 * vaguely ("multiple counties in Georgia", "its director", "a U.S. entertainer"): the topic is
 * covered, the name is not. Read from the words alone, with WordNet for which word is the noun.
 */
import { STOP_WORDS } from '../text/tokenize.ts';
import { IRREGULAR_PLURALS, type WordNet } from '../text/wordnet.ts';

/** What opens a request for a name; the noun asked for follows. */
const ASKS_NAME =
  /\b(?:which|(?:what(?:'s|’s| is| was| are| were)? )?the names? of(?: the| its| their| that| this)?|names? of(?: the| its| their)?|who(?:'s|’s| is| was| are| were) the|name the)\s+(.*)$/i;

/** Words that speak of a thing without saying which: "a", "its", "several", "two". */
const VAGUE = new Set(
  'a an its their his her multiple several some many various numerous other another certain unnamed unidentified one two three four five six seven eight nine ten dozens hundreds thousands'.split(
    ' ',
  ),
);

/**
 * The noun whose name a question asks for: the last noun of the words after "which" (or "the name
 * of", "who is the"), up to the first function word or participle.
 *
 * @example nounAsked('Which US entertainer was paying the bribe?', wordnet) // 'entertainer'
 */
export function nounAsked(question: string, wordnet: WordNet): string | undefined {
  const m = ASKS_NAME.exec(question.toLowerCase());
  if (!m) return undefined;
  let head: string | undefined;
  for (const raw of ((m[1] as string).match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? []).slice(0, 5)) {
    const w = raw.replace(/['’]s$/, '').replace(/\.$/, '');
    // "Which US entertainer": the country, not the pronoun.
    if (/^\d+$/.test(w) || VAGUE.has(w) || w === 'us' || w === 'u.s') continue;
    if (STOP_WORDS.has(w)) break;
    const parts = wordnet.parts(w);
    // "commented", "turned up", "running": the question's verb has begun.
    if (/(ed|ing)$/.test(w) && parts.includes('verb')) break;
    if (parts.includes('noun')) head = w;
    else if (parts.length > 0 && !parts.includes('adj')) break;
  }
  return head;
}

/**
 * Whether `text` speaks of `noun` only vaguely: every mention has a vague word before it (only
 * modifiers between: "a Moscow-based affiliate organization") and no name right after it ("its
 * director, Ivan Petrov"). A mention by a broader word ("emails to individuals" for staffers)
 * says even less, so it is vague whatever stands before it, unless a name follows. Undefined when
 * the text never mentions it: then it says nothing either way.
 *
 * @example mentionsOnlyVaguely('counties', 'voting illegally in multiple counties in Georgia.') // true
 * @example mentionsOnlyVaguely('staffers', 'sent emails to individuals in the campaign', ['person', 'individual']) // true
 */
export function mentionsOnlyVaguely(noun: string, text: string, broader: readonly string[] = []): boolean | undefined {
  const tokens = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;:()]/gu) ?? [];
  const asked = singular(noun);
  const wider = new Set(broader.map(singular).filter((w) => w !== asked));
  let mentions = 0;
  for (let i = 0; i < tokens.length; i++) {
    const word = singular(bare(tokens[i] as string));
    if (word !== asked && !wider.has(word)) continue;
    mentions++;
    if (/^[,:(]$/.test(tokens[i + 1] ?? '') && /^\p{Lu}/u.test(tokens[i + 2] ?? '')) return false;
    if (word !== asked) continue;
    let vague = false;
    for (let j = i - 1; j >= Math.max(0, i - 5); j--) {
      const before = bare(tokens[j] as string);
      if (VAGUE.has(before)) {
        vague = true;
        break;
      }
      if (STOP_WORDS.has(before) || /^[,;:()]$/.test(before)) break;
    }
    if (!vague) return false;
  }
  return mentions > 0 ? true : undefined;
}

/** Lower case, possessive and a final full stop dropped: "Directorate's" → "directorate". */
function bare(token: string): string {
  return token
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/\.$/, '');
}

/** "counties" → "county", "businesses" → "business", "people" → "person" (enough to compare two nouns). */
function singular(w: string): string {
  const irregular = IRREGULAR_PLURALS[w];
  if (irregular) return irregular;
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}
