/**
 * A draft's summary as one sentence made of the sentence's own words: the actor once, then its
 * verb and what follows, to the end of the clause ("Iran relies on extensive networks of online
 * personas …"). Nothing is added that the sentence does not say; a long clause is cut before a
 * function word and the cut is marked `…`.
 *
 * Without a part-of-speech tagger, a verb is recognised by its form: an auxiliary (has, was,
 * will …), a common irregular past (sought, ran …), or a word ending in -ed or -s that WordNet
 * reads mostly as a verb. That is enough for the subject-verb sentences of assessments and
 * statements; where no verb follows the actor before the cue, the clause is cited as it stands.
 */
import { loadWordNet, type WordNet } from '../../core/text/wordnet.ts';
import type { CueHit, Named } from './find-cues.ts';
import { clauseEnd, type Word } from './sentence-words.ts';

/** What a summary is made from: one sentence, its words, the actors it names. */
export interface SummarySentence {
  text: string;
  words: readonly Word[];
  named: readonly Named[];
}

/** Most words of a summary's predicate before it is cut (before a function word, marked `…`). */
export const MAX_PREDICATE_WORDS = 22;
/** Most words between an actor's name and its verb ("Iranian Permanent Mission to the United Nations"). */
export const MAX_SUBJECT_WORDS = 8;

const AUXILIARIES = new Set(
  'is are was were be been has have had will would may might can could should must shall do does did'.split(' '),
);
const IRREGULAR_PAST = new Set(
  'sought made ran took began told said sent led held built brought gave spread met paid left kept found thought knew saw became came went got stole wrote spoke chose grew rose won lost hid fought bought meant drew threw'.split(
    ' ',
  ),
);
/** Adverbs without -ly that sit inside a verb group ("has also sought", "has long denied"). */
const ADVERBS = new Set('also not never still already now today long again even further then likely often'.split(' '));
/** Words a long predicate may be cut before: the cut leaves a whole phrase. */
const CUT_BEFORE = new Set(
  'to in of by with that which who as for on at from through during against and or while including'.split(' '),
);
/** Words that open a complement clause: an actor named right after one is its subject ("denied that Iran …"). */
const COMPLEMENTISERS = new Set(['that', 'whether', 'if']);

let wordNet: WordNet | undefined;
const verbParts = new Map<string, boolean>();

/** WordNet reads the word mostly as a verb (cached; WordNet is loaded on first use). */
function mostlyVerb(word: string): boolean {
  let v = verbParts.get(word);
  if (v === undefined) {
    wordNet ??= loadWordNet();
    v = wordNet.primaryPart(word) === 'verb';
    verbParts.set(word, v);
  }
  return v;
}

/**
 * Whether word `k` of the sentence can start or be a finite verb.
 *
 * @example isFiniteVerb('Iran relies on personas', wordsOf('Iran relies on personas'), 1) // true
 */
export function isFiniteVerb(text: string, words: readonly Word[], k: number): boolean {
  const w = words[k];
  if (!w) return false;
  const written = text.slice(w.start, w.end);
  const lower = written === written.toLowerCase();
  // "Iran-based", "state-sponsored": half of a compound, not a verb; "to spread": not finite.
  if (text[w.start - 1] === '-') return false;
  if (words[k - 1]?.word === 'to' || (words[k - 2]?.word === 'to' && /ly$/.test(words[k - 1]?.word ?? ''))) {
    return false;
  }
  if (AUXILIARIES.has(w.word)) return lower;
  if (IRREGULAR_PAST.has(w.word)) return lower;
  if (/[a-z]ed$/.test(w.word)) {
    // "targeted", "hacked" are nouns first in WordNet but verbs after a subject; "alleged" is not.
    if (!lower) return false;
    wordNet ??= loadWordNet();
    return wordNet.primaryPart(w.word) !== 'adj';
  }
  if (/[a-z]s$/.test(w.word) && !/ss$/.test(w.word) && !/['\u2019]/.test(written)) {
    return mostlyVerb(w.word) || (lower && words[k + 1]?.word === 'to');
  }
  return false;
}

/** An adverb inside a verb group: "strongly", "has also". */
function isAdverb(text: string, w: Word | undefined): boolean {
  if (!w) return false;
  const written = text.slice(w.start, w.end);
  return written === written.toLowerCase() && (ADVERBS.has(w.word) || /[a-z]{3}ly$/.test(w.word));
}

/**
 * Index of the first word of the verb group that `verb` ends (adverbs and auxiliaries before it):
 * "has vehemently denied" → the index of "has".
 */
function verbGroupStart(text: string, words: readonly Word[], verb: number, floor: number): number {
  let k = verb;
  while (k - 1 >= floor && (isAdverb(text, words[k - 1]) || AUXILIARIES.has((words[k - 1] as Word).word))) k--;
  return k;
}

/** A clause boundary (comma, semicolon, dash …) between words `k - 1` and `k`. */
function boundaryBefore(text: string, words: readonly Word[], k: number): boolean {
  const prev = words[k - 1];
  const next = words[k];
  if (!prev || !next) return false;
  return /[,;:()[\]\u2014!?]|\s[-\u2013]\s/.test(text.slice(prev.end, next.start));
}

/** A finite verb's form, to tell a second predicate ("denied … and dismissed") from a modifier. */
function verbForm(words: readonly Word[], k: number): string {
  const w = (words[k] as Word).word;
  if (AUXILIARIES.has(w) || IRREGULAR_PAST.has(w)) return 'past-or-aux';
  return w.endsWith('ed') ? 'past-or-aux' : w.endsWith('s') ? 'present' : 'other';
}

/**
 * Where the predicate of `verb` that goes on from word `from` ends: the clause's end, or an
 * "and"/"but" that starts a second verb of the same form ("denied X and dismissed Y" ends before
 * "and"; "is employing X and related Y" does not). A clause that would end on its verb or on a
 * function word ("authorized, and …", "were aware of, and …") goes on to the next clause.
 */
export function predicateEnd(text: string, words: readonly Word[], from: number, verb = from): number {
  let end = clauseEnd(text, words, from);
  const dangling = (e: number) =>
    e <= verb + 1 || CUT_BEFORE.has((words[e - 1] as Word).word) || isFiniteVerb(text, words, e - 1);
  while (end < words.length && dangling(end)) {
    end = clauseEnd(text, words, end);
  }
  const form = isFiniteVerb(text, words, verb) ? verbForm(words, verb) : undefined;
  for (let k = from + 3; k < end; k++) {
    const w = (words[k] as Word).word;
    if ((w !== 'and' && w !== 'but') || dangling(k)) continue;
    let v = k + 1;
    while (v < end && isAdverb(text, words[v])) v++;
    if (v < end && isFiniteVerb(text, words, v) && (!form || verbForm(words, v) === form)) return k;
  }
  return end;
}

/** One replacement of a stretch of the sentence (characters [start, end)) by other words. */
interface Swap {
  start: number;
  end: number;
  with: string;
}

/**
 * Words [from, to) of the sentence as written (whitespace runs made one space), at most `max`
 * words, cut before a function word and marked `…` when longer; `swaps` replace stretches.
 */
export function spanText(
  text: string,
  words: readonly Word[],
  from: number,
  to: number,
  max = MAX_PREDICATE_WORDS,
  swaps: readonly Swap[] = [],
): string {
  if (to <= from) return '';
  let last = to;
  if (to - from > max) {
    last = from + max;
    for (let k = from + max - 1; k > from + Math.floor(max / 2); k--) {
      if (CUT_BEFORE.has((words[k] as Word).word)) {
        last = k;
        break;
      }
    }
  }
  const start = (words[from] as Word).start;
  const end = (words[last - 1] as Word).end;
  let out = '';
  let at = start;
  for (const s of swaps) {
    if (s.start < start || s.end > end) continue;
    out += text.slice(at, s.start) + s.with;
    at = s.end;
  }
  out = (out + text.slice(at, end)).replace(/\s+/g, ' ').replace(/[\s,;:]+$/, '');
  return last < to ? `${out}…` : out;
}

/**
 * Mentions of `actor` inside words [from, to) that would repeat it: the subject of a complement
 * clause ("denied that Iran engaged" → "that it engaged") and possessives ("Iran's role" → "its
 * role").
 */
export function repeatSwaps(s: SummarySentence, actor: string, from: number, to: number): Swap[] {
  const swaps: Swap[] = [];
  for (const n of s.named) {
    if (n.id !== actor || n.start < from || n.end > to) continue;
    const first = s.words[n.start] as Word;
    const last = s.words[n.end - 1] as Word;
    const possessive = /['\u2019]s$/i.test(s.text.slice(first.start, last.end));
    const before = s.words[n.start - 1]?.word ?? '';
    // "that the Islamic Republic of Iran harbors": the article goes with the name.
    const the = before === 'the' ? (s.words[n.start - 1] as Word) : undefined;
    const opener = (the ? s.words[n.start - 2]?.word : before) ?? '';
    const start = (the ?? first).start;
    if (possessive) swaps.push({ start, end: last.end, with: 'its' });
    else if (COMPLEMENTISERS.has(opener)) swaps.push({ start, end: last.end, with: 'it' });
  }
  return swaps;
}

/** The actor's mentions listed together with `anchor` ("Russia, China, and Iran"), as a word range. */
function listedSpan(s: SummarySentence, anchor: Named): [number, number] {
  const linked = (a: Named, b: Named) =>
    /^(?:['\u2019]s)?\s*(?:,\s*)?(?:(?:and|or)\s+)?$/.test(
      s.text.slice((s.words[a.end - 1] as Word).end, (s.words[b.start] as Word).start),
    );
  const named = s.named.filter((n) => n.kind !== 'candidate');
  let i = named.indexOf(anchor);
  let j = i;
  while (i > 0 && linked(named[i - 1] as Named, named[i] as Named)) i--;
  while (j < named.length - 1 && linked(named[j] as Named, named[j + 1] as Named)) j++;
  return [(named[i] as Named).start, (named[j] as Named).end];
}

/** First letter upper-case: a summary is a sentence. */
function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The summary of a claim about `actor` (its display name `name`) drawn from the cue `hit`:
 * - the actor named before the cue and followed by its verb: "<Name> <verb group and the rest of
 *   the clause>", or, when other words stand between them ("Iranian Permanent Mission to the
 *   United Nations", "Russia's proxies") or several actors are listed, that subject as written;
 * - else the clause of the cue as written (the sentence from its start when that is short), with
 *   the actor's name after it in brackets when the clause does not name it, or in place of a
 *   leading "It" when the actor was named earlier in the paragraph.
 *
 * @example draftSummary(s('The ODNI said Iran relies on networks of online personas.'), hit('personas'), 'iran', 'Iran')
 * // 'Iran relies on networks of online personas'
 */
export function draftSummary(
  s: SummarySentence,
  hit: Pick<CueHit, 'start' | 'end'>,
  actor: string,
  name: string,
): string {
  // The actor as the subject of the cue's verb, else another named subject ("Treasury designated
  // two Iranian front companies"); the summary then names the actor in the predicate, or after it.
  const before = s.named.filter((n) => n.end <= hit.start && n.kind !== 'candidate');
  const own = before.filter((n) => n.id === actor).at(-1);
  const other = before.filter((n) => n.id !== actor).at(-1);
  for (const mention of [own, other]) {
    if (!mention) continue;
    const found = subjectSummary(s, hit, mention, mention === own ? name : undefined);
    if (!found) continue;
    return mention === own || namesActor(s, actor, found.from, found.end) ? found.text : `${found.text} (${name})`;
  }
  return clauseSummary(s, hit, actor, name);
}

/** Whether words [from, to) name the actor. */
function namesActor(s: SummarySentence, actor: string, from: number, to: number): boolean {
  return s.named.some((n) => n.id === actor && n.start >= from && n.end <= to);
}

/**
 * "<subject> <verb group> <rest of clause>" when `mention` is followed by a finite verb at or before
 * the cue. With `name`, a subject that is just the actor's name or alias is written as `name`.
 */
function subjectSummary(
  s: SummarySentence,
  hit: Pick<CueHit, 'start' | 'end'>,
  mention: Named,
  name: string | undefined,
): { text: string; from: number; end: number } | undefined {
  const { text, words } = s;
  const [subjectStart, subjectEnd] = listedSpan(s, mention);
  const written = text.slice((words[mention.start] as Word).start, (words[mention.end - 1] as Word).end);
  // "Russian interests", "Iranian hackers": after a demonym comes its noun, not the verb.
  const first = demonym(written, name) ? subjectEnd + 1 : subjectEnd;
  for (let v = first; v <= hit.start && v - subjectEnd <= MAX_SUBJECT_WORDS; v++) {
    if (v > subjectEnd && boundaryBefore(text, words, v)) return undefined;
    if (!isFiniteVerb(text, words, v)) continue;
    const group = verbGroupStart(text, words, v, subjectEnd);
    const end = predicateEnd(text, words, v);
    const bare =
      name !== undefined &&
      subjectStart === mention.start &&
      subjectEnd === mention.end &&
      group === subjectEnd &&
      !/['\u2019]s$/i.test(written) &&
      // "the Iranians have": a plural subject keeps its own words, or the verb would not agree.
      !PLURAL_VERBS.has((words[group] as Word).word);
    const swaps = bare ? repeatSwaps(s, mention.id, group, end) : [];
    const predicate = spanText(text, words, group, end, MAX_PREDICATE_WORDS, swaps);
    const subject = bare ? name : spanText(text, words, subjectStart, group, MAX_SUBJECT_WORDS + 4);
    return { text: capitalise(`${subject} ${predicate}`), from: subjectStart, end };
  }
  return undefined;
}

/** Verb forms that agree only with a plural subject. */
const PLURAL_VERBS = new Set(['are', 'were', 'have', 'do']);

/** "Russian", "Iranian", "Chinese": a name's adjective, longer than the name and starting like it. */
function demonym(written: string, name: string | undefined): boolean {
  if (!name || /s$/i.test(written) || written.includes(' ')) return false;
  const w = written.toLowerCase();
  const n = name.toLowerCase();
  return w.length > n.length && w.startsWith(n.slice(0, Math.min(4, n.length)));
}

/** The cue's clause as written (see `draftSummary`). */
function clauseSummary(s: SummarySentence, hit: Pick<CueHit, 'start' | 'end'>, actor: string, name: string): string {
  const { text, words } = s;
  const end = predicateEnd(text, words, hit.start);
  let from = hit.start;
  while (from > 0 && !boundaryBefore(text, words, from)) from--;
  // A clause that starts mid-sentence ("…, indicating that …") reads as a sentence from the start,
  // when the cue is near enough to it to stay within the summary.
  if (hit.start < MAX_PREDICATE_WORDS - 2) from = 0;
  // A clause without a finite verb ("Iran's efforts to sow discord"), or one that opens with a
  // participle ("indicating that …"), takes the clause before it too.
  const verbless = (f: number) => !words.slice(f, end).some((_, i) => isFiniteVerb(text, words, f + i));
  const participle = (f: number) => /^[a-z]+ing$/.test(text.slice(words[f]?.start, words[f]?.end));
  while (from > 0 && (verbless(from) || participle(from))) {
    from--;
    while (from > 0 && !boundaryBefore(text, words, from)) from--;
  }
  while (
    from < hit.start &&
    ['and', 'but', 'while', 'although', 'though', 'that', 'which'].includes(words[from]?.word ?? '')
  )
    from++;
  let summary = capitalise(spanText(text, words, from, end));
  const named = s.named.some((n) => n.id === actor && n.start >= from && n.end <= end);
  if (!named && /^It\b/.test(summary)) {
    summary = `${name}${summary.slice(2)}`;
  } else if (!named) {
    summary = `${summary} (${name})`;
  }
  return summary;
}
