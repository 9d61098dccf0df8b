/**
 * Text → terms, the same way for questions and for the corpus: Unicode-normalised, lower-cased,
 * accents folded, possessives dropped, stemmed (Porter), stop words marked.
 */
import { stemmer } from 'stemmer';

/** One word of a text, with its surface form and its stem. */
export interface Token {
  /** Lower-cased, accent-folded surface form, possessive removed: `russia`. */
  word: string;
  /** Porter stem of `word`: `prefer` for `preferences`. */
  stem: string;
  /** Position among the text's tokens. */
  pos: number;
  /** The word began with a capital letter in the original text. */
  capitalized: boolean;
}

/**
 * Folds what readers type interchangeably: compatibility forms, curly quotes, accents, dashes.
 *
 * @example foldText('Iran’s “Café”') // "iran's \"cafe\""
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/** Words too common to search on. Question words are here too: intent comes from cue words. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again all also am an and any anyone anything are as at be been before being
  between both but by can could did do does doing done during each either else ever every for from
  further had has have having he her here hers him his how i if in into is it its itself just me more
  most my no nor not now of off on once only or other our ours out over own per please same she
  should so some such tell than that the their theirs them then there these they this those through
  to too under until up upon us very was we were what whatever when where whether which while who
  whom whose will with would you your yours been shall may might must let lets s t what's who's
  know show give gave given say said says get got make made thing things many much few
  lot lots several`
    .split(/\s+/)
    .filter(Boolean),
);

const IRREGULAR: Record<string, string> = {
  won: 'win',
  wins: 'win',
  winning: 'win',
  lost: 'lose',
  losing: 'lose',
};

/**
 * The stem used for indexing and matching.
 *
 * @example stem('preferences') // 'prefer'
 */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = computeStem(word);
    // Bounded: a corpus has tens of thousands of distinct words, not millions.
    if (stemCache.size < 500_000) stemCache.set(word, s);
  }
  return s;
}

const stemCache = new Map<string, string>();

function computeStem(word: string): string {
  const w = word.replace(/'s$/, '').replace(/'/g, '');
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (/\d/.test(w)) return w;
  return stemmer(w);
}

/**
 * Splits text into tokens. Hyphenated words become their parts; `'s` is dropped.
 *
 * @example tokenize("Russia's preferences").map((t) => t.stem) // ['russia', 'prefer']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const folded = foldText(text);
  // Capitalisation is read from the original, aligned by match offsets in the folded text. NFKD
  // can change lengths, so it is looked up on a per-word basis instead.
  const original = text.normalize('NFKD').replace(/\p{M}+/gu, '');
  for (const m of folded.matchAll(WORD)) {
    const word = m[0].replace(/'s$/, '').replace(/'$/, '');
    if (!word) continue;
    const first = original[m.index ?? 0] ?? '';
    tokens.push({
      word,
      stem: stem(word),
      pos: tokens.length,
      capitalized: first !== first.toLowerCase(),
    });
  }
  return tokens;
}

/** Stems of the non-stop-word tokens of a text, in order, repeats kept. */
export function termsOf(text: string): string[] {
  return tokenize(text)
    .filter((t) => !STOP_WORDS.has(t.word))
    .map((t) => t.stem);
}

let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Damerau–Levenshtein distance (optimal string alignment), stopping early past `max`.
 *
 * @example editDistance('rusia', 'russia', 2) // 1
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows reused from call to call (typo correction compares a word with every corpus stem).
  if (rows[0].length <= b.length) rows = [0, 1, 2].map(() => new Int32Array(2 * (b.length + 1))) as typeof rows;
  const prev2 = rows[0];
  let prev = rows[1];
  let cur = rows[2];
  for (let j = 0; j <= b.length; j++) {
    prev2[j] = 0;
    prev[j] = j;
    cur[j] = 0;
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j] as number;
    const done = prev;
    prev = cur;
    cur = done;
  }
  return prev[b.length] as number;
}

/** How many typos a word of this length may carry and still match. */
export function typoBudget(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}
