/**
 * Whether an input carries a question at all, judged by its shape before anything is ranked: a
 * single letter, control or binary bytes, words nobody knows, or a word people type to leave are
 * not questions, and must never be answered with a citation. What this lets through still has to
 * earn its answer in ranking; what it stops gets a short hint instead.
 */
import { STOP_WORDS, stem, tokenize } from '../text/tokenize.ts';
import type { UnderstandingContext } from './parse-question.ts';

/** Words people type to leave a prompt. */
export const QUIT_WORDS: ReadonlySet<string> = new Set(['quit', 'exit', 'bye', 'goodbye', 'q', ':q', 'logout']);

/** Control characters other than tab and line breaks, and the replacement character of broken UTF-8. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/u;

/**
 * Why an input is not a question (a hint to show), or undefined when it may be one.
 *
 * @example inputProblem('b', ctx) // 'That is not a question. …'
 */
export function inputProblem(raw: string, ctx: UnderstandingContext): string | undefined {
  const text = raw.trim();
  const bare = text.replace(/^\/+/, '').toLowerCase();
  if (QUIT_WORDS.has(bare)) {
    return 'Nothing to answer: that is a word for leaving, not a question (in the terminal, quit or Ctrl-D leaves). Ask e.g. "Who does Russia prefer?"';
  }
  if (BINARY.test(text))
    return 'That looks like binary data, not a question. Ask in words, e.g. "Who does Russia prefer?"';
  const tokens = tokenize(text);
  const words = tokens.filter((t) => /^\p{L}[\p{L}'-]*$/u.test(t.word));
  const wordnet = ctx.wordnet?.();
  const known = (w: string) =>
    STOP_WORDS.has(w) || ctx.index.has(stem(w)) || ctx.corpus.thesaurus.has(w) || wordnet?.primaryPart(w) !== undefined;
  const names = ctx.names.find(tokens, { isKnownWord: known });
  const long = words.filter((t) => [...t.word].length >= 3);
  const knownLong = long.filter((t) => !STOP_WORDS.has(t.word) && known(t.word));
  // A name (an actor, a candidate, a place) is a question's subject even with a typo ("Rusia?").
  if (names.length === 0 && knownLong.length === 0) {
    return 'That is not a question I can read. Ask in words, e.g. "Who does Russia prefer?" or try /help.';
  }
  // Mostly unknown words: noise with a real word in it by chance.
  const knownCount = words.filter((t) => known(t.word)).length;
  if (names.length === 0 && words.length >= 4 && knownCount * 2 < words.length) {
    return 'Most of those words are unknown to me. Ask in plain words, e.g. "Who does Russia prefer?"';
  }
  return undefined;
}
