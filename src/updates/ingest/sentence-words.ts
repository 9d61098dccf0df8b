/**
 * Words of a sentence with their character offsets, so that what a rule finds (a cue, a name, the
 * phrase after a cue) can be cut out of the sentence exactly as written.
 */
import { type Token, tokenize } from '../../core/text/tokenize.ts';

/** A token with its span in the sentence: `sentence.slice(start, end)` is the word as written. */
export interface Word extends Token {
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019][\p{L}\p{M}]+)*/gu;

/**
 * The sentence's tokens (as `tokenize` makes them) with offsets.
 *
 * @example wordsOf('Iran’s U.S. work').map((w) => w.word) // ['iran', 'u', 's', 'work']
 */
export function wordsOf(sentence: string): Word[] {
  const out: Word[] = [];
  for (const m of sentence.matchAll(WORD)) {
    const start = m.index ?? 0;
    for (const t of tokenize(m[0])) out.push({ ...t, pos: out.length, start, end: start + m[0].length });
  }
  return out;
}

/** Words after which a clause goes on with a new verb: "rejected X and said Y" stops before "and". */
const CLAUSE_VERBS = new Set(['said', 'says', 'saying', 'added', 'adds', 'called', 'calls', 'stated', 'noted']);

/**
 * The sentence from word `from` to the end of its clause (a comma, semicolon, colon, bracket or
 * sentence end; "and said"), at most `max` words, as written with runs of whitespace (a wrapped
 * line) made one space; `…` marks a cut.
 *
 * @example phraseFrom('Moscow rejected the claims, it said.', wordsOf('Moscow rejected the claims, it said.'), 1)
 * // 'rejected the claims'
 */
export function phraseFrom(sentence: string, words: readonly Word[], from: number, max = 12): string {
  const first = words[from];
  if (!first) return '';
  const end = clauseEnd(sentence, words, from);
  const last = Math.min(end, from + max) - 1;
  const text = sentence.slice(first.start, (words[last] as Word).end).replace(/\s+/g, ' ');
  return end > from + max ? `${text}…` : text;
}

/**
 * Index just past the last word of the clause that word `from` is in (see `phraseFrom`).
 *
 * @example clauseEnd('Iran acted, it said.', wordsOf('Iran acted, it said.'), 0) // 2
 */
export function clauseEnd(sentence: string, words: readonly Word[], from: number): number {
  for (let k = from + 1; k < words.length; k++) {
    const prev = words[k - 1] as Word;
    if (endsClause(sentence.slice(prev.end, (words[k] as Word).start), prev)) return k;
    if ((words[k] as Word).word === 'and' && CLAUSE_VERBS.has(words[k + 1]?.word ?? '')) return k;
  }
  return words.length;
}

function endsClause(between: string, prev: Word): boolean {
  if (/[,;:()[\]\u2014!?]|\s[-\u2013]\s/.test(between)) return true;
  // A period ends the clause unless it closes an initial or abbreviation (U.S., E.O.).
  return /\.\s/.test(between) && !(prev.end - prev.start === 1);
}
