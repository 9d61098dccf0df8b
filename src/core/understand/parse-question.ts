/**
 * Question understanding without a generative model: who (actors, candidates, agencies, places and
 * other names we hold nothing on), what (intent from cue words), when (years, months, "latest"), and the remaining
 * words as search terms with their thesaurus and typo alternatives.
 */
import type { Corpus } from '../corpus/corpus.ts';
import type { ParagraphIndex, QueryTerm, TermAlternative } from '../search/paragraph-index.ts';
import { STOP_WORDS, stem, type Token, termsOf, tokenize, typoBudget } from '../text/tokenize.ts';
import type { RelatedWord, WordNet } from '../text/wordnet.ts';
import { MONTH_WORDS } from './dates.ts';
import { type IntentReading, isCueStem, isCueWord, readIntent } from './intents.ts';
import type { NameMatcher } from './name-matcher.ts';

/** Everything the answerer needs to know about a question. */
export interface ParsedQuestion {
  /** The question as asked, mention and markup syntax removed. */
  text: string;
  /** Countries and groups asked about (subjects of claims). */
  actors: string[];
  /** Countries and groups set aside: "who else besides Russia", "other than Iran". */
  excluded: string[];
  /** Candidates named. */
  candidates: string[];
  /** Agencies named (who assessed, published or acted). */
  agencies: string[];
  /**
   * What the question names that the corpus holds nothing on, as named: gazetteer places no
   * paragraph names, and names written with a capital none of whose words any paragraph holds.
   */
  unheld: string[];
  /** Gazetteer places named that some paragraph does name (those none names are `unheld`). */
  places: string[];
  years: number[];
  /** A month named with a year: "December 2024". */
  month: { year: number; month: number } | null;
  /** Asks for the newest ("latest", "recent", "now"). */
  latest: boolean;
  /** Asks for the newest or the oldest: then the source date orders answers that fit equally. */
  order: 'newest' | 'oldest' | null;
  reading: IntentReading;
  terms: QuestionTerm[];
}

/**
 * A search term with the part it plays in the question: `name` (a word of an actor's name, typos
 * included), `cue` (a word that signals intent, such as "deny"), `date` (a year), or `topic` (what
 * the question is about).
 */
export interface QuestionTerm extends QueryTerm {
  role: 'topic' | 'name' | 'cue' | 'date';
}

/** Longest question we read; beyond this the rest is ignored (and the reply says so). */
export const MAX_QUESTION_CHARS = 2000;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const LATEST = new Set(['latest', 'recent', 'recently', 'newest', 'now', 'current', 'currently', 'today', 'new']);
/** Nouns that, after "which" or "what", ask for an actor: the kind of answer, not a topic. Singular, plural. */
export const ACTOR_KIND_NOUNS: readonly (readonly [string, string])[] = [
  ['country', 'countries'],
  ['nation', 'nations'],
  ['government', 'governments'],
  ['power', 'powers'],
  ['adversary', 'adversaries'],
  ['actor', 'actors'],
];
/** The same nouns, either number (see `asksForKind`). */
export const ACTOR_KINDS: ReadonlySet<string> = new Set(ACTOR_KIND_NOUNS.flat());
/**
 * Verbs of trying and wanting ("tried to hack", "seeking to sway"): they say how an act is put, not
 * what it is, so a paragraph without them ("hacked") lacks nothing. They stay search words.
 */
const LIGHT_VERBS = new Set(['try', 'tried', 'attempt', 'seek', 'sought', 'want', 'aim', 'manage'].map((w) => stem(w)));
/** Words that ask for the oldest. "first" stays a search word too ("the first of what will be regular…"). */
const EARLIEST = new Set(['first', 'earliest', 'oldest', 'initially', 'originally']);
/** Words that carry no topic in this domain: every document is about elections and influence. */
const GENERIC = new Set(
  [
    'happen',
    'occur',
    'go',
    'do',
    'doing',
    'thing',
    'stuff',
    'anything',
    'something',
    'anyone',
    'someone',
    'question',
    'role',
    'part',
    'involvement',
    'activity',
    'view',
    'opinion',
    'news',
    'information',
    'info',
    'update',
    'situation',
    'story',
    'detail',
    'details',
    'known',
    'think',
    // Setting something aside ("besides Russia") is phrasing; the name it sets aside is dropped.
    'besides',
    'except',
    'excluding',
    'apart',
    'aside',
  ].map((w) => stem(w)),
);

/**
 * Removes chat markup that is not part of the question: user, role and channel mentions, Slack
 * special mentions, emoji codes, markdown emphasis and code fences, URLs.
 *
 * @example cleanQuestion('<@U123> *what* is <#C1|general> Russia\'s preference?') // "what is Russia's preference?"
 */
export function cleanQuestion(raw: string): string {
  return raw
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/[`*_~|>]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Chat shorthand: contractions typed without their apostrophe ("whats", "didnt"), read as written
 * out, and asides ("tbh", "lol", "rn"), dropped. Only forms that are no other English word ("wont",
 * "its", "ill" and "well" are left alone).
 */
const SHORTHAND = new Map(
  [
    ...'what who how where when why that there'.split(' ').map((w) => [`${w}s`, `${w}'s`]),
    ...'do does did is was are were has have had could would should must need'
      .split(' ')
      .map((w) => [`${w}nt`, `${w}n't`]),
    ['cant', "can't"],
    ['theyre', "they're"],
    ['youre', "you're"],
    ['weve', "we've"],
    ['theyve', "they've"],
    // Asides that carry no topic: dropped.
    ...'tbh lol lmao pls plz rn idk imo imho btw fyi omg ngl iirc afaik'.split(' ').map((w) => [w, '']),
  ].map(([k, v]) => [k as string, v as string]),
);

/**
 * Writes out chat shorthand (see `SHORTHAND`), keeping the first letter's case.
 *
 * @example writeOut('whats the report number? tbh Russia didnt say') // "what's the report number? Russia didn't say"
 */
export function writeOut(text: string): string {
  return text
    .replace(/\b[A-Za-z]+\b/g, (w) => {
      const full = SHORTHAND.get(w.toLowerCase());
      if (full === undefined) return w;
      if (full === '') return '';
      return w[0] === w[0]?.toUpperCase() ? full[0]?.toUpperCase() + full.slice(1) : full;
    })
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The pseudo-term under which the index files every paragraph naming an actor. */
export function actorTerm(actorId: string): string {
  return `@${actorId}`;
}

/** The actor an index term stands for (`actorTerm`'s inverse), or undefined for any other term. */
export function actorOfTerm(term: string): string | undefined {
  return term.startsWith('@') ? term.slice(1) : undefined;
}

/** The first `max` characters, ending at a word boundary so no word is read cut in half. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return /[\p{L}\p{N}]/u.test(text[max] ?? '') ? head.replace(/[\p{L}\p{N}'’-]+$/u, '') : head;
}

/** Engine parts question parsing needs. */
export interface UnderstandingContext {
  corpus: Corpus;
  index: ParagraphIndex;
  names: NameMatcher;
  /** General English synonyms, loaded on first use. */
  wordnet?: () => WordNet;
}

/**
 * Parses a question.
 *
 * @example parseQuestion('Who is Moscow backing?', ctx).actors // ['russia']
 */
export function parseQuestion(raw: string, ctx: UnderstandingContext): ParsedQuestion {
  const text = writeOut(cutAtWord(cleanQuestion(raw), MAX_QUESTION_CHARS));
  const tokens = tokenize(text);
  const { corpus, index, names } = ctx;
  const isKnownWord = (w: string) =>
    index.has(stem(w)) || isCueStem(stem(w)) || corpus.thesaurus.has(w) || /\d/.test(w);
  const matches = names.find(tokens, { isKnownWord });

  const actors: string[] = [];
  const candidates: string[] = [];
  const agencies: string[] = [];
  const unheld: string[] = [];
  const places: string[] = [];
  const nameOf = new Map<number, string>();
  const push = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  const excluded: string[] = [];
  const setAside = new Set<number>();
  for (const m of matches) {
    if (m.target.kind === 'place') {
      // A place some paragraph names is not one we hold nothing on (an ingested document may
      // name one the gazetteer lists): its words stay search words like any other.
      push(placeHeld(corpus, index, m.target.name) ? places : unheld, m.target.name);
    } else {
      const actor = corpus.actors.get(m.target.id);
      if (actor && actor.kind !== 'candidate' && actor.kind !== 'agency' && isSetAside(tokens, m.start)) {
        // Neither asked about nor a search word: the answer is about the others.
        push(excluded, actor.id);
        for (let i = m.start; i < m.end; i++) setAside.add(i);
      } else if (actor?.kind === 'candidate') push(candidates, actor.id);
      else if (actor?.kind === 'agency') push(agencies, actor.id);
      else if (actor) push(actors, actor.id);
      for (let i = m.start; i < m.end; i++) nameOf.set(i, m.target.id);
    }
  }

  const years = [...new Set(tokens.filter((t) => /^(19|20)\d\d$/.test(t.word)).map((t) => Number(t.word)))];
  let month: ParsedQuestion['month'] = null;
  tokens.forEach((t, i) => {
    const mi = MONTHS.indexOf(t.word);
    const next = tokens[i + 1];
    if (mi >= 0 && next && /^(19|20)\d\d$/.test(next.word)) month = { year: Number(next.word), month: mi + 1 };
  });
  const words = tokens.map((t) => t.word);
  const phrase = words.join(' ');
  const latest = words.some((w) => LATEST.has(w)) || /\bthis year\b/.test(phrase);
  const earliest = words.some((w) => EARLIEST.has(w)) || /\bsince when\b/.test(phrase);
  const order = latest ? 'newest' : earliest ? 'oldest' : null;
  const read = readIntent(
    words,
    candidates.length > 0,
    (i) => nameOf.has(i),
    (i) => isPhrasalParticle(words, i, ctx.wordnet),
  );
  // "Who denied …?" with no one named asks for everyone who did.
  const reading =
    read.intent === 'denial' && words[0] === 'who' && actors.length === 0 ? { ...read, list: true } : read;
  const terms = buildTerms(
    tokens.filter((_, i) => !setAside.has(i)),
    new Map([...nameOf].filter(([i]) => !setAside.has(i)).map(([i, id]) => [i - countBelow(setAside, i), id])),
    ctx,
  );
  for (const name of unheldNames(text, terms, index)) push(unheld, name);
  return { text, actors, candidates, agencies, unheld, places, years, month, latest, order, reading, terms, excluded };
}

/** Runs of words written with a capital: "Microsoft's", "European Parliament", "Did North Korea". */
const CAPITALISED_RUN = /\p{Lu}[\p{L}\p{N}'’-]*(?:[ \t]+\p{Lu}[\p{L}\p{N}'’-]*)*/gu;

/**
 * Names written with a capital ("Microsoft", "the Knesset", "Mona Lisa") with a word that no
 * paragraph holds in any form, its synonyms and typo corrections included: whatever the question
 * asks about it, no assessment speaks of it. The word that opens a sentence is capitalised anyway,
 * so it is no evidence; nor is an acronym ("EU", "ATA", "PR"), which may stand for words the
 * corpus does hold.
 */
function unheldNames(text: string, terms: readonly QuestionTerm[], index: ParagraphIndex): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(CAPITALISED_RUN)) {
    const words = m[0].split(/[ \t]+/);
    const opensSentence = /(^|[.?!:;"“(]\s*)$/.test(text.slice(0, m.index));
    const unheldWord = words.some(
      (w, i) => !(i === 0 && opensSentence) && /^\p{Lu}\p{Ll}/u.test(w) && termIsUnheld(w, terms, index),
    );
    if (!unheldWord) continue;
    const name = (opensSentence ? words.slice(1) : words).join(' ').replace(/['’]s?$/, '');
    if (name) names.push(name);
  }
  return names;
}

/** Whether the search term of word `w` finds nothing in any of its forms (false when `w` is no term). */
function termIsUnheld(w: string, terms: readonly QuestionTerm[], index: ParagraphIndex): boolean {
  const token = tokenize(w)[0];
  const term = token && terms.find((t) => t.role !== 'name' && stem(t.word) === token.stem);
  return term !== undefined && !term.alternatives.some((a) => a.stems.length > 0 && a.stems.every((s) => index.has(s)));
}

/** Whether some paragraph names a gazetteer place, by its name or an alias (all of its words together). */
function placeHeld(corpus: Corpus, index: ParagraphIndex, name: string): boolean {
  const place = corpus.gazetteer.find((p) => p.name === name);
  return [name, ...(place?.aliases ?? [])].some((n) => {
    const stems = termsOf(n);
    return stems.length > 0 && stems.every((st) => index.has(st)) && index.lookup(stems, 1).length > 0;
  });
}

/** The particles of phrasal verbs: "push back", "size up", "sign off". */
const PARTICLES = new Set([
  'up',
  'down',
  'out',
  'off',
  'back',
  'over',
  'away',
  'in',
  'on',
  'into',
  'through',
  'around',
  'along',
  'about',
  'forward',
  'aside',
]);

/** Whether word `i` is the particle of a phrasal verb WordNet holds with the word before it ("push back"). */
function isPhrasalParticle(words: readonly string[], i: number, wordnet: UnderstandingContext['wordnet']): boolean {
  const before = words[i - 1];
  const w = words[i] as string;
  if (!PARTICLES.has(w) || before === undefined || !wordnet || !/^[a-z]+$/.test(before)) return false;
  return wordnet().relatedPhrase(before, w).length > 0;
}

/** Month abbreviations: "sept", "oct" ("mar" is an ordinary word). */
const MONTH_SHORT = new Set(Object.keys(MONTH_WORDS).filter((w) => !MONTHS.includes(w) && w !== 'mar'));

/** A day number beside a month: the "18" of "sept 18" or "18 September". */
function isDayOfMonth(tokens: readonly Token[], i: number): boolean {
  if (!/^\d{1,2}(st|nd|rd|th)?$/.test((tokens[i] as Token).word)) return false;
  const month = (t: Token | undefined) => t !== undefined && (MONTHS.includes(t.word) || MONTH_SHORT.has(t.word));
  return month(tokens[i - 1]) || month(tokens[i + 1]);
}

/** Words before a name that set it aside: "besides Russia", "other than Iran", "except China". */
const SET_ASIDE = /(?:^| )(besides|except|excluding|other than|apart from|aside from|beyond|not counting)$/;

function isSetAside(tokens: readonly Token[], start: number): boolean {
  const before = tokens
    .slice(Math.max(0, start - 2), start)
    .map((t) => t.word)
    .join(' ');
  return SET_ASIDE.test(before);
}

/** How many of `indexes` are below `i`. */
function countBelow(indexes: ReadonlySet<number>, i: number): number {
  let n = 0;
  for (const j of indexes) if (j < i) n++;
  return n;
}

/** Words that may stand between "which" and the kind asked: "which three countries", "what other nations". */
const KIND_MODIFIERS = new Set('other foreign two three four five several'.split(' '));

/** Whether the word at i follows "which" or "what", directly or past a count or "other", anywhere in the question. */
function asksForKind(tokens: Token[], i: number): boolean {
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const w = tokens[j]?.word ?? '';
    if (w === 'which' || w === 'what') return true;
    if (!KIND_MODIFIERS.has(w)) return false;
  }
  return false;
}

function buildTerms(tokens: Token[], nameOf: Map<number, string>, ctx: UnderstandingContext): QuestionTerm[] {
  const { corpus, index, names } = ctx;
  const terms: QuestionTerm[] = [];
  const seen = new Set<string>();
  const thesaurusAlternatives = (keys: string[]): TermAlternative[] =>
    keys
      .flatMap((k) => corpus.thesaurus.get(k) ?? [])
      .map((phrase) => ({ stems: termsOf(phrase), weight: 0.85, kind: 'thesaurus' as const }));

  for (let i = 0; i < tokens.length && terms.length < 48; i++) {
    const t = tokens[i] as Token;
    if (STOP_WORDS.has(t.word) || MONTHS.includes(t.word) || LATEST.has(t.word)) continue;
    // A date's parts ("sept 18", "oct 25", "27 September") name when, not a topic: the source's
    // date answers them (see `datesNamed` in dates.ts).
    if (MONTH_SHORT.has(t.word) || isDayOfMonth(tokens, i)) continue;
    if (EARLIEST.has(t.word) && t.word !== 'first') continue;
    // Contractions ("doesn't", "hasn't") are phrasing, not topic.
    if (/n't$|'(ll|re|ve|d|m)$/.test(t.word)) continue;
    if (GENERIC.has(t.stem) || seen.has(t.stem)) continue;
    seen.add(t.stem);
    const alternatives: TermAlternative[] = [{ stems: [t.stem], weight: 1, kind: 'exact' }];
    // A word that names an actor on its own ("Tehran") also finds every paragraph naming that
    // actor. The other words of a longer name ("UN mission", "Xi Jinping") still steer the
    // ranking, but a paragraph need not contain them to be about the actor.
    const actorId = nameOf.get(i);
    if (actorId) {
      const alone = names.has(t.word);
      if (alone) alternatives.push({ stems: [actorTerm(actorId)], weight: 0.9, kind: 'actor' });
      // Every word of a name, however spelt, is the name's: not a topic the text must hold.
      terms.push({ word: t.word, alternatives, focus: alone, boost: 0.5, role: 'name' });
      continue;
    }
    const next = tokens[i + 1];
    const bigram = next ? `${t.word} ${next.word}` : '';
    alternatives.push(...thesaurusAlternatives([t.word, t.stem, ...(bigram ? [bigram] : [])]));
    const cue = isCueWord(t.word);
    let topical = true;
    const wordnet = /\d/.test(t.word) ? undefined : ctx.wordnet?.();
    const thesaurusCount = alternatives.length;
    if (wordnet) alternatives.push(...relatedAlternatives(wordnet, t, index));
    // A phrasal verb or compound WordNet holds as one entry ("push back", "size up", "polling place"):
    // its relatives too.
    if (wordnet && next && /^[a-z]+$/.test(next.word)) {
      const phrase = wordnet.relatedPhrase(t.word, next.word);
      if (phrase.length > 0) {
        alternatives.push(...relatedAlternatives(wordnet, t, index, phrase));
        // The particle of a phrasal verb ("push back", "sign off") is part of it, not a word of its
        // own; the second noun of a compound ("world cup") stays a word.
        if (PARTICLES.has(next.word)) seen.add(next.stem);
      }
    }
    if (!index.has(t.stem) && thesaurusCount === 1 && wordnet) {
      // A word the corpus lacks: its WordNet relatives (above), else typo corrections. An unknown
      // word that is mostly a verb, adjective or adverb ("stay", "bake") is phrasing, not a topic
      // the corpus must hold; an unknown noun ("sourdough") is a topic it does not hold.
      // Typo correction only for words that are not English words in their own right ("joke" is
      // not a misspelt "Joe").
      if (alternatives.length === 1 && wordnet.primaryPart(t.word) === undefined) {
        for (const near of index.nearStems(t.stem, typoBudget(t.word)).slice(0, 3))
          alternatives.push({ stems: [near], weight: 0.7, kind: 'typo' });
      }
      const part = wordnet?.primaryPart(t.word);
      if (alternatives.length === 1 && part !== undefined && part !== 'noun') topical = false;
    }
    // Cue words ("prefer", "deny") steer ranking and intent; they are not the topic asked about.
    // "Which country …?": the noun after which/what names the kind of answer, not a topic.
    const answerKind = ACTOR_KINDS.has(t.word) && asksForKind(tokens, i);
    const light = LIGHT_VERBS.has(t.stem);
    // "First" asks for the oldest; it is searched for, but a paragraph need not say it.
    const order = EARLIEST.has(t.word);
    const role = /^(19|20)\d\d$/.test(t.word)
      ? 'date'
      : cue || !topical || answerKind || light || order
        ? 'cue'
        : 'topic';
    terms.push({
      word: t.word,
      alternatives: dedupe(alternatives),
      focus: role === 'topic' || role === 'date',
      boost: cue ? 0.5 : 1,
      role,
    });
  }
  return terms;
}

/** Recall weight of each WordNet relation (the reranker weighs matches with fitted weights). */
const RELATION_WEIGHT = { synonym: 0.6, derived: 0.7, hypernym: 0.4, hyponym: 0.4 } as const;
/** WordNet relatives kept per word: enough for a reader's wording, few enough to stay fast. */
const MAX_RELATED = 6;
/**
 * A relative found in more than this share of the paragraphs ("take", "state", "act") says little
 * and costs much to look up: left out.
 */
const COMMON_SHARE = 0.05;

/**
 * A word's WordNet relatives that the corpus holds (every stem of a multi-word one), closest
 * relation first, as alternatives tagged with their relation.
 */
function relatedAlternatives(
  wordnet: WordNet,
  t: Token,
  index: ParagraphIndex,
  list: RelatedWord[] = wordnet.related(t.word),
): TermAlternative[] {
  const out: TermAlternative[] = [];
  const common = index.idfAtShare(COMMON_SHARE);
  const related = [...list].sort((a, b) => RELATION_WEIGHT[b.relation] - RELATION_WEIGHT[a.relation]);
  for (const r of related) {
    const stems = termsOf(r.word);
    if (stems.length === 0 || stems.length > 2 || stems.includes(t.stem)) continue;
    if (!stems.every((st) => index.has(st))) continue;
    if (Math.max(...stems.map((st) => index.idf(st))) < common) continue;
    out.push({ stems, weight: RELATION_WEIGHT[r.relation], kind: r.relation });
    if (out.length >= MAX_RELATED) break;
  }
  return out;
}

function dedupe(alts: TermAlternative[]): TermAlternative[] {
  const byKey = new Map<string, TermAlternative>();
  for (const a of alts) {
    if (a.stems.length === 0) continue;
    const k = a.stems.join(' ');
    const prev = byKey.get(k);
    if (!prev || prev.weight < a.weight) byKey.set(k, a);
  }
  return [...byKey.values()];
}
