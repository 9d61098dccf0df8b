/**
 * What drafting reads in a sentence: the actors it names (through the registry's NameMatcher) and
 * the cues of every rule (by stem, by prefix or as a phrase; see `claim-rules.ts`).
 */
import type { Corpus } from '../../core/corpus/corpus.ts';
import { stem, tokenize } from '../../core/text/tokenize.ts';
import type { NameMatcher } from '../../core/understand/name-matcher.ts';
import { CLAIM_RULES, type ClaimRule, MAX_CUE_GAP } from './claim-rules.ts';
import type { Word } from './sentence-words.ts';

/** A cue found in a sentence: words [start, end). */
export interface CueHit {
  rule: ClaimRule;
  start: number;
  end: number;
}

/** An actor named in a sentence: words [start, end), with its kind from the registry. */
export interface Named {
  id: string;
  kind: string;
  start: number;
  end: number;
}

/**
 * Actors named in the words, left to right (exact names and aliases only, no typo tolerance).
 *
 * @example namedActors(wordsOf('Moscow backs Trump'), corpus, names).map((n) => n.id) // ['russia', 'trump']
 */
export function namedActors(words: readonly Word[], corpus: Corpus, names: NameMatcher): Named[] {
  const out: Named[] = [];
  for (const m of names.find(words)) {
    if (m.target.kind !== 'actor') continue;
    const actor = corpus.actors.get(m.target.id);
    if (actor) out.push({ id: actor.id, kind: actor.kind, start: m.start, end: m.end });
  }
  return out;
}

/**
 * Every cue of every rule in the words, in order; a cue inside a name ("Intelligence Community
 * Assessment") does not count.
 */
export function findCues(words: readonly Word[], named: readonly Named[]): CueHit[] {
  const inName = (i: number) => named.some((n) => i >= n.start && i < n.end);
  const hits: CueHit[] = [];
  for (const rule of CLAIM_RULES) {
    for (const cue of compiled(rule.cues)) {
      for (let i = 0; i < words.length; i++) {
        const end = matchAt(words, i, cue);
        if (end > 0 && !inName(i)) hits.push({ rule, start: i, end });
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Whether any of `cues` occurs in the words. */
export function hasCue(words: readonly Word[], cues: readonly string[]): boolean {
  return compiled(cues).some((cue) => words.some((_, i) => matchAt(words, i, cue) > 0));
}

type WordTest = (w: Word) => boolean;
const cache = new Map<readonly string[], WordTest[][]>();

function compiled(cues: readonly string[]): WordTest[][] {
  let tests = cache.get(cues);
  if (!tests) {
    tests = cues.map((cue) =>
      cue.split(/\s+/).map((part): WordTest => {
        if (part.endsWith('*')) {
          const prefix = part.slice(0, -1).toLowerCase();
          return (w) => w.word.startsWith(prefix);
        }
        const s = tokenize(part)[0]?.stem ?? stem(part);
        return (w) => w.stem === s;
      }),
    );
    cache.set(cues, tests);
  }
  return tests;
}

/** End (exclusive) of `cue` matched from word `i`, or 0. */
function matchAt(words: readonly Word[], i: number, cue: WordTest[]): number {
  if (!cue[0]?.(words[i] as Word)) return 0;
  let at = i;
  for (const test of cue.slice(1)) {
    let found = -1;
    for (let k = at + 1; k <= Math.min(words.length - 1, at + 1 + MAX_CUE_GAP); k++) {
      if (test(words[k] as Word)) {
        found = k;
        break;
      }
    }
    if (found < 0) return 0;
    at = found;
  }
  return at + 1;
}
