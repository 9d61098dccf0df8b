/**
 * Finds names in tokenised text: actors from the registry (names, aliases, demonyms, capitals,
 * leaders, organs) and places from the gazetteer. Longest match wins; optional typo tolerance for
 * questions ("Rusia" → Russia), never for the corpus itself.
 */
import type { Corpus } from '../corpus/corpus.ts';
import { editDistance, STOP_WORDS, type Token, tokenize, typoBudget } from '../text/tokenize.ts';

/** What a name stands for. */
export type NameTarget = { kind: 'actor'; id: string } | { kind: 'place'; name: string };

/** One name found in a text: tokens [start, end) name `target`. */
export interface NameMatch {
  target: NameTarget;
  start: number;
  end: number;
  /** The words as written. */
  text: string;
  /** Found through typo tolerance. */
  fuzzy: boolean;
}

const MAX_WORDS = 8;

/** Words that are names too often to be corrected into a name ("iraq" must not become "iran"). */
function key(tokens: readonly Pick<Token, 'word'>[]): string {
  return tokens.map((t) => t.word).join(' ');
}

/**
 * @example
 * const m = new NameMatcher(corpus);
 * m.find(tokenize('Who is Moscow backing?')) // [{ target: { kind: 'actor', id: 'russia' }, ... }]
 */
export class NameMatcher {
  private readonly phrases = new Map<string, NameTarget>();
  /** Single-word actor names, for typo tolerance. */
  private readonly fuzzyWords: [string, NameTarget][] = [];
  /** First word of every name → the most words a name starting with it has. */
  private readonly firstWords = new Map<string, number>();

  constructor(corpus: Corpus) {
    for (const place of corpus.gazetteer) {
      for (const name of [place.name, ...place.aliases]) this.addPhrase(name, { kind: 'place', name: place.name });
    }
    // Actors last: where an actor alias and a place share a name, the actor wins.
    for (const actor of corpus.actors.values()) {
      for (const name of [actor.name, ...actor.aliases]) {
        const target: NameTarget = { kind: 'actor', id: actor.id };
        const k = this.addPhrase(name, target);
        if (k && !k.includes(' ') && k.length >= 4 && /^\p{L}+$/u.test(k)) this.fuzzyWords.push([k, target]);
      }
    }
  }

  private addPhrase(name: string, target: NameTarget): string | undefined {
    const k = key(tokenize(name));
    if (!k) return undefined;
    this.phrases.set(k, target);
    const first = k.split(' ')[0] as string;
    this.firstWords.set(first, Math.max(this.firstWords.get(first) ?? 0, k.split(' ').length));
    return k;
  }

  /**
   * Names in `tokens`, left to right, longest first. With `fuzzy`, a single word not otherwise
   * known (`isKnownWord` false) may match an actor name within its typo budget.
   */
  find(tokens: readonly Token[], fuzzy?: { isKnownWord: (word: string) => boolean }): NameMatch[] {
    const out: NameMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      let matched: NameMatch | undefined;
      const longest = this.firstWords.get((tokens[i] as Token).word) ?? 0;
      for (let len = Math.min(MAX_WORDS, longest, tokens.length - i); len >= 1; len--) {
        const slice = tokens.slice(i, i + len);
        const target = this.phrases.get(key(slice));
        if (target) {
          matched = { target, start: i, end: i + len, text: key(slice), fuzzy: false };
          break;
        }
      }
      if (!matched && fuzzy) {
        const t = tokens[i] as Token;
        if (!STOP_WORDS.has(t.word) && !fuzzy.isKnownWord(t.word)) {
          const target = this.closest(t.word);
          if (target) matched = { target, start: i, end: i + 1, text: t.word, fuzzy: true };
        }
      }
      if (matched) {
        out.push(matched);
        i = matched.end;
      } else i++;
    }
    return out;
  }

  private closest(word: string): NameTarget | undefined {
    const budget = typoBudget(word);
    if (budget === 0) return undefined;
    let best: NameTarget | undefined;
    let bestD = budget + 1;
    for (const [name, target] of this.fuzzyWords) {
      // A typo in the first letter is rare; requiring it keeps "tran" from becoming "iran".
      if (name[0] !== word[0]) continue;
      const allowed = Math.min(budget, typoBudget(name));
      const d = editDistance(word, name, allowed);
      if (d <= allowed && d < bestD) {
        bestD = d;
        best = target;
      }
    }
    return best;
  }

  /** Whether a phrase is a known name (exact, case-insensitive). */
  has(phrase: string): boolean {
    return this.phrases.has(key(tokenize(phrase)));
  }
}

/** Actor ids named in a text (exact names only). */
export function actorsIn(matcher: NameMatcher, text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of matcher.find(tokenize(text))) if (m.target.kind === 'actor') ids.add(m.target.id);
  return ids;
}
