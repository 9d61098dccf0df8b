/**
 * What the reranker knows about one candidate paragraph for one question, as numbers. The
 * paragraph's own words come first: how much of the question it holds, and through which kind of
 * match (the word itself, a thesaurus phrase or WordNet synonym or derived form, a broader or
 * narrower word). Then what else speaks for it: its source's title and date, the kind of answer the
 * question wants, the claims drawn from it, the actors it names, the year, recency. Every feature
 * is a plain measurement; how much each counts is fitted (see `weights.json` and `npm run fit`).
 */
import { type DatedClaim, isCountryOrGroup, type Paragraph, type Source } from '../corpus/corpus.ts';
import type { Hit, MatchKind } from '../search/paragraph-index.ts';
import { STOP_WORDS, tokenize } from '../text/tokenize.ts';
import { datesNamed } from '../understand/dates.ts';
import type { Intent } from '../understand/intents.ts';
import { ACTOR_KINDS, type ParsedQuestion, type QuestionTerm } from '../understand/parse-question.ts';
import type { AnswerEngine } from './engine.ts';
import { nounAsked } from './unnamed-detail.ts';

/** The features, in the order of a feature vector and of the weights. */
export const FEATURE_NAMES = [
  /** Full-text (BM25) score, divided by the best candidate's. */
  'text',
  /** Idf share of the question's topic words found in the text as themselves. */
  'exact',
  /** … found only through a thesaurus phrase, a WordNet synonym or a derived form. */
  'soft',
  /** … found only through a broader or narrower word, or a typo correction. */
  'broad',
  /**
   * The rarest topic word (not a cue word) the text lacks but for a broader or narrower word: its
   * idf over the corpus's highest.
   */
  'missing',
  /** Share of the question's cue words ("deny", "prefer") found in the text in any form. */
  'cue',
  /** Share of adjacent question-word pairs that stand side by side in the text. */
  'adjacent',
  /** The most of the question's words (idf share, soft matches discounted) within 12 words of text. */
  'window',
  /** The same within one sentence of the text. */
  'sentence',
  /** Idf share of the topic words found in the source's title or publisher. */
  'header',
  /**
   * Idf share of the topic words found in the text as themselves, not counting words of the
   * source's title: those name the document, not the paragraph within it.
   */
  'beyondHeader',
  /** Idf share of the topic words found, as themselves, somewhere in the paragraph's source. */
  'document',
  /** The question names the source's month (1) and day (2). */
  'sourceDate',
  /** +1 the text holds what the question's answer type wants (a date for "when"…), −1 not. */
  'answerType',
  /** For a yes/no question: +1 the text settles it (a negation, a stated assessment), −1 not. */
  'decides',
  /** A claim of the asked type (about the actor asked, when one is). */
  'claimType',
  /** A claim about an actor the question names. */
  'claimActor',
  /** A claim naming the asked candidate (on the asked side). */
  'claimCandidate',
  /** The paragraph names (or its claims are about) an actor the question names. */
  'actorNamed',
  /** The question names actors and the paragraph names none of them. */
  'actorMissing',
  /** The same, for a question that also asks for a kind of claim ("What is Havana's preference?"). */
  'actorMissingForIntent',
  /** A claim of the asked type about the actor (or candidate) asked: it answers outright. */
  'claimAnswers',
  /** +1 the paragraph speaks to the year asked, −1 it does not. */
  'year',
  /** The source's date, 0 for the oldest to 1 for the newest; also when "latest" is asked. */
  'recency',
  'latest',
  /** An official source (or, for denials, a response). */
  'official',
  /**
   * The source is the response of an actor the question names, published by it: that actor's own
   * words ("Is Moscow complaining that…" and Russia's foreign ministry statement).
   */
  'ownWords',
  /** Published by the agency asked (1), or naming it (0.3). */
  'agency',
  /** Only machine-drafted claims speak for it. */
  'draft',
  /** The first paragraph of its source (often the summary of the whole). */
  'lead',
  /** The text's length in words, as log(1 + words) / 5. */
  'length',
  /**
   * Of the question, not the paragraph (the same for every candidate, so it never changes the
   * ranking; the confidence reads it): it names an actor, a candidate or an agency.
   */
  'named',
  /** Of the question: idf share of its topic words the corpus holds nowhere, in no form. */
  'unknown',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;
const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

/** What the question wants as an answer, read from its first words. */
export type AnswerType = 'date' | 'count' | 'amount' | 'name' | 'reason' | 'authority' | 'statement' | 'other';

const WH_NAME =
  /^(who|whom|whose|which ([\w.'’-]+ ){0,2}(countr|agenc|group|compan|firm|organi|entit|actor|person|people|official|candidate|department|office|government|network|outlet|site|domain|media))/;

/** "Under which authority…", "under what law…", "what is the legal basis…": the law or order acted under. */
const AUTHORITY_ASKED =
  /^(under (what|which) (authority|authorities|law|laws|order|statute|power|powers|legal)|by what (authority|right)|on what (legal )?(basis|grounds))\b|\b(legal (basis|authority)|which (law|executive order|statute)|what (law|executive order|statute))\b/;

/** @example answerTypeOf('When did Iran hack the campaign?') // 'date' */
export function answerTypeOf(text: string): AnswerType {
  const t = text.trim().toLowerCase();
  if (/^(when|what (date|day|month|year|time)|on what (date|day)|since when|how long ago)\b/.test(t)) return 'date';
  // "How much money…", "how much did Russia spend": a sum of money, not just any number.
  if (
    /^how much\b/.test(t) &&
    /\b(money|spen[dt]|spending|cost|costs|paid|pay|pays|fund(s|ed|ing)?|budget|dollars?|worth)\b/.test(t)
  )
    return 'amount';
  if (/^(how (many|much)|what (number|percentage|share|proportion))\b/.test(t)) return 'count';
  if (WH_NAME.test(t)) return 'name';
  if (AUTHORITY_ASKED.test(t)) return 'authority';
  if (/^(why|what for|for what (reason|purpose))\b|\b(reason|motive|motivation|purpose)\b/.test(t)) return 'reason';
  if (/^(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b/.test(t)) return 'statement';
  return 'other';
}

/** Purpose ("in order to", "seeks to") or cause ("driven by", "due to", "in response to") wording. */
const PURPOSE =
  /\b(because|in order to|so as to|so that|aims?|aimed|seeks?|sought|goals?|intend(s|ed)?|intent|purpose|motivat\w*|desire|wants?|due to|driven|owing to|as a result of|in response to|stem(s|med)? from|rooted in|to (help|hurt|undermine|sow|influence|shape|damage|denigrate|stoke|exacerbate|erode|discredit|support|boost|weaken))\b/i;
const DATE =
  /\b(january|february|march|april|may|june|july|august|september|october|november|december|(19|20)\d\d|today|yesterday|last (week|month|year)|earlier this (week|month|year)|(in|during|over) the (days|weeks|months|years)|(days|weeks|months|years) (before|after|ago))\b/i;
/**
 * Wording that settles a yes/no question: a negation, an assessment stated as such ("does not
 * indicate", "no evidence", "we assess", "The IC is confident", "has not been determined",
 * "confirmed"), or a denial. "Not only … but also" negates nothing.
 */
const DECIDES =
  /\b(not(?! only\b)|no|never|none|neither|nor|cannot|can't|don't|doesn't|didn't|hasn't|haven't|isn't|aren't|wasn't|weren't|won't|unlikely|likely|probably|confident|confidence|assess(es|ed)?|judge[sd]?|determined|confirmed|credible|false(ly)?|baseless|unfounded|den(y|ies|ied)|reject(s|ed)?|dismiss(es|ed)?)\b/i;
/** A law, an order or a power acted under: "pursuant to Executive Order (E.O.) 13848", "the Act". */
const AUTHORITY =
  /\b([Ee]xecutive [Oo]rders?|E\.O\.|EOs? \d|\d+ U\.S\.C\.|[A-Z][a-z]+ Act\b|[Ss]tatutes?|[Uu]nder [Ss]ection)/;
/** A sum of money: "$10 million", "10 million dollars", "USD 5,000". */
const AMOUNT =
  /([$€£]\s?\d|\b\d[\d,.]*\s?(million|billion|thousand)?\s?(dollars|USD|euros|rubles|roubles)\b|\bUSD\s?\d)/i;
const NUMBER =
  /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?)\b/i;

/**
 * Per paragraph: bit 1 holds a date, 2 a number, 4 purpose wording, 8 a name, 32 wording that
 * settles a yes/no question, 64 a law or order acted under, 128 a sum of money; 16 is set once
 * computed.
 */
const SHAPE_DATE = 1;
const SHAPE_NUMBER = 2;
const SHAPE_PURPOSE = 4;
const SHAPE_NAME = 8;
const SHAPE_KNOWN = 16;
const SHAPE_DECIDES = 32;
const SHAPE_AUTHORITY = 64;
const SHAPE_AMOUNT = 128;

function shapeOf(text: string, namesActor: boolean): number {
  let s = SHAPE_KNOWN;
  if (DATE.test(text)) s |= SHAPE_DATE;
  // A number that is not a year.
  if (NUMBER.test(text.replace(/\b(19|20)\d\d\b/g, ''))) s |= SHAPE_NUMBER;
  if (PURPOSE.test(text)) s |= SHAPE_PURPOSE;
  // A name: an actor, or two capitalised words in a row inside a sentence.
  if (namesActor || /[a-z,;] (?:[A-Z][\w.-]+ )+[A-Z][\w.-]+/.test(text)) s |= SHAPE_NAME;
  if (DECIDES.test(text)) s |= SHAPE_DECIDES;
  if (AUTHORITY.test(text)) s |= SHAPE_AUTHORITY;
  if (AMOUNT.test(text)) s |= SHAPE_AMOUNT;
  return s;
}

const WANTS: Record<AnswerType, number> = {
  date: SHAPE_DATE,
  count: SHAPE_NUMBER,
  amount: SHAPE_AMOUNT,
  name: SHAPE_NAME,
  reason: SHAPE_PURPOSE,
  authority: SHAPE_AUTHORITY,
  statement: 0,
  other: 0,
};

/**
 * Whether a text holds what an answer type wants: a date, a number, a name, purpose wording, or
 * (yes/no) wording that settles it. True for a type that wants nothing in particular.
 *
 * @example holdsAnswerType('Treasury acted on 27 September 2024.', 'date') // true
 */
export function holdsAnswerType(text: string, type: AnswerType, grain?: DateGrain): boolean {
  const want = type === 'statement' ? SHAPE_DECIDES : WANTS[type];
  if (type === 'date' && grain) return DATE_OF_GRAIN[grain].test(text);
  return want === 0 || (shapeOf(text, false) & want) !== 0;
}

/** How fine a date the question asks for: "what year…", "what month…", "what day/date…". */
export type DateGrain = 'year' | 'month' | 'day';

/** Capitalised, so that "may attempt" is no month. */
const MONTH_NAME = 'January|February|March|April|May|June|July|August|September|October|November|December';
const DATE_OF_GRAIN: Record<DateGrain, RegExp> = {
  year: /\b(19|20)\d\d\b/,
  month: new RegExp(`\\b(${MONTH_NAME})\\b`),
  // "27 September", "September 27", "2024-09-27", "9/27".
  day: new RegExp(
    `\\b(\\d{1,2} (${MONTH_NAME})|(${MONTH_NAME}) \\d{1,2}\\b)|\\b\\d{4}-\\d\\d-\\d\\d\\b|\\b\\d{1,2}/\\d{1,2}\\b`,
  ),
};

/**
 * The date grain a question names, if any.
 *
 * @example dateGrainOf('What month did Treasury first act?') // 'month'
 */
export function dateGrainOf(text: string): DateGrain | undefined {
  const m = /\b(?:what|which|on what|in what)\s+(year|month|day|date)\b/i.exec(text);
  if (!m) return undefined;
  const w = (m[1] as string).toLowerCase();
  return w === 'date' ? 'day' : (w as DateGrain);
}

/** What is computed once per question and engine, before any candidate is scored. */
export interface QuestionFeatures {
  q: ParsedQuestion;
  answerType: AnswerType;
  dates: { month: number; day?: number }[];
  /** Term id → for each term index, the best match kind rank it gives (see `KIND_RANK`). */
  single: Map<number, [number, number][]>;
  /** Multi-stem alternatives: term index, kind rank, term ids (all must be present). */
  phrases: { term: number; rank: number; ids: number[] }[];
  /** Topic and cue terms (their indexes into q.terms), with idf weights. */
  topic: { index: number; idf: number; cue: boolean }[];
  cue: number[];
  /** Cue terms that name the kind of actor asked for ("which countries…"), with the actors of that kind. */
  kind: { terms: number[]; actors: string[] };
  topicMass: number;
  /** Each term's exact stem ids (for adjacency), -1 when absent. */
  exactId: Int32Array;
  /** Each term's idf if it is a topic term, else 0. */
  topicIdf: Float64Array;
  /** The actors a paragraph should name: those asked, else the candidates asked. */
  asked: string[];
  /** No actor, candidate or topic word is named: a claim of the asked type answers on its own. */
  noOneNamed: boolean;
  /** The noun whose name the question asks for ("which counties…" → counties; `nounAsked`). */
  nounAsked: string | undefined;
  /** That noun names a person ("which Kremlin official…", "who is the director…"). */
  personAsked: boolean;
  /** Idf share of the topic words (not cue words) that no alternative finds anywhere in the corpus. */
  unknown: number;
}

/** 0: exact, 1: soft (thesaurus, synonym, derived), 2: broad (hypernym, hyponym, typo); actor = exact. */
const KIND_RANK: Record<MatchKind, number> = {
  exact: 0,
  actor: 0,
  thesaurus: 1,
  synonym: 1,
  derived: 1,
  hypernym: 2,
  hyponym: 2,
  typo: 2,
};

/**
 * Prepares a question for feature extraction.
 *
 * @example const qf = prepareQuestion(engine, parseQuestion('Who hacked Trump?', engine));
 */
export function prepareQuestion(engine: AnswerEngine, q: ParsedQuestion): QuestionFeatures {
  // Recall and the answering sentence both need it: prepared once per question and engine.
  let byEngine = prepared.get(q);
  if (!byEngine) {
    byEngine = new WeakMap();
    prepared.set(q, byEngine);
  }
  let qf = byEngine.get(engine);
  if (!qf) {
    qf = prepare(engine, q);
    byEngine.set(engine, qf);
  }
  return qf;
}

const prepared = new WeakMap<ParsedQuestion, WeakMap<AnswerEngine, QuestionFeatures>>();

function prepare(engine: AnswerEngine, q: ParsedQuestion): QuestionFeatures {
  const { index } = engine;
  const single = new Map<number, [number, number][]>();
  const phrases: QuestionFeatures['phrases'] = [];
  const topic: QuestionFeatures['topic'] = [];
  const cue: number[] = [];
  const exactId = new Int32Array(q.terms.length).fill(-1);
  // Idf of the topic words (not cue words) that no alternative finds anywhere in the corpus.
  let unknownMass = 0;
  q.terms.forEach((t: QuestionTerm, ti) => {
    if (t.role === 'name') return;
    // Cue words ("hackers", "sanctions") are topic words too, as far as the text goes.
    if (t.role === 'cue') cue.push(ti);
    const idf = index.termIdf(t);
    topic.push({ index: ti, idf, cue: t.role === 'cue' });
    let held = false;
    for (const alt of t.alternatives) {
      const rank = KIND_RANK[alt.kind ?? 'exact'];
      const ids = alt.stems.map((s) => index.termId(s));
      if (ids.includes(-1)) continue;
      held = true;
      if (alt.kind === undefined || alt.kind === 'exact') exactId[ti] = ids[0] as number;
      if (ids.length === 1) {
        const list = single.get(ids[0] as number) ?? [];
        list.push([ti, rank]);
        single.set(ids[0] as number, list);
      } else phrases.push({ term: ti, rank, ids });
    }
    if (!held && t.role !== 'cue') unknownMass += idf;
  });
  const topicMass = topic.reduce((s, t) => s + t.idf, 0);
  const kindTerms = cue.filter((ti) => ACTOR_KINDS.has((q.terms[ti] as QuestionTerm).word));
  const kindActors =
    kindTerms.length === 0 ? [] : [...engine.corpus.actors.values()].filter(isCountryOrGroup).map((a) => a.id);
  const wordnet = engine.wordnet();
  const noun = nounAsked(q.text, wordnet);
  const topicIdf = new Float64Array(q.terms.length);
  for (const t of topic) topicIdf[t.index] = t.idf;
  return {
    q,
    answerType: answerTypeOf(q.text),
    dates: datesNamed(q.text),
    single,
    phrases,
    topic,
    cue,
    kind: { terms: kindTerms, actors: kindActors },
    topicMass,
    exactId,
    topicIdf,
    asked: [...q.actors, ...(q.actors.length === 0 ? q.candidates : [])],
    noOneNamed: q.actors.length === 0 && q.candidates.length === 0 && !q.terms.some((t) => t.focus),
    nounAsked: noun,
    personAsked: noun !== undefined && wordnet.namesPerson(noun),
    unknown: topicMass > 0 ? unknownMass / topicMass : 0,
  };
}

/** Per-engine caches of paragraph shapes and source headers. */
interface EngineCache {
  shape: Uint8Array;
  /** Per paragraph, where each sentence after the first starts in its stem sequence. */
  sentences: Map<number, Int32Array>;
  header: Map<string, Set<number>>;
  /** Per source, the actors (countries, agencies) its publisher names. */
  publishers: Map<string, string[]>;
}
const caches = new WeakMap<AnswerEngine, EngineCache>();

function cacheOf(engine: AnswerEngine): EngineCache {
  let c = caches.get(engine);
  if (!c) {
    c = {
      shape: new Uint8Array(engine.index.size),
      sentences: new Map(),
      header: new Map(),
      publishers: new Map(),
    };
    caches.set(engine, c);
  }
  return c;
}

function headerTerms(engine: AnswerEngine, cache: EngineCache, source: Source): Set<number> {
  let set = cache.header.get(source.id);
  if (!set) {
    set = new Set();
    for (const t of tokenize(`${source.title} ${source.publisher}`)) {
      const id = engine.index.termId(t.stem);
      if (id >= 0) set.add(id);
    }
    cache.header.set(source.id, set);
  }
  return set;
}

/** Scratch for one candidate: the best kind rank per term (3 = unmatched). */
let best = new Uint8Array(64);

/** Words of text a window spans, and what a soft or broad match counts in it. */
const WINDOW = 12;
/** What a match counts by its kind (`KIND_RANK`): the word itself, a close relative, a broader word, none. */
export const RANK_CREDIT = [1, 0.7, 0.4, 0];
/** Sentences are read for this many of the best full-text hits only (reading them costs a tokenization). */
export const SENTENCE_HITS = 50;

/**
 * The question's words found in a paragraph's text, in text order: position, term and kind of
 * match (see `KIND_RANK`). Scratch shared by every candidate, valid until the next `findMatches`.
 */
const found = { pos: new Int32Array(256), term: new Int32Array(256), rank: new Uint8Array(256), count: 0 };

function findMatches(qf: QuestionFeatures, text: Int32Array, best: Uint8Array): void {
  let m = 0;
  for (let i = 0; i < text.length; i++) {
    const list = qf.single.get(text[i] as number);
    if (!list) continue;
    for (const [ti, rank] of list) {
      if (rank < (best[ti] as number)) best[ti] = rank;
      if (m === found.pos.length) {
        const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
          const b = make(a.length * 2);
          b.set(a);
          return b;
        };
        found.pos = grow(found.pos, (n) => new Int32Array(n));
        found.term = grow(found.term, (n) => new Int32Array(n));
        found.rank = grow(found.rank, (n) => new Uint8Array(n));
      }
      found.pos[m] = i;
      found.term[m] = ti;
      found.rank[m] = rank;
      m++;
    }
  }
  found.count = m;
}

/** Whether every one of `ids` is among `text`'s stems. */
function holdsAll(text: Int32Array, ids: readonly number[]): boolean {
  for (const id of ids) if (!text.includes(id)) return false;
  return true;
}

/** Per term, the best rank among the matches `from` to `to - 1` (scratch). */
let rankIn = new Uint8Array(64);

/** Idf mass of the distinct topic terms among matches `from` to `to - 1`, each by its best match. */
function massOf(qf: QuestionFeatures, from: number, to: number): number {
  const width = qf.q.terms.length;
  if (rankIn.length < width) rankIn = new Uint8Array(width * 2);
  for (let k = from; k < to; k++) rankIn[found.term[k] as number] = 3;
  for (let k = from; k < to; k++) {
    const ti = found.term[k] as number;
    if ((found.rank[k] as number) < (rankIn[ti] as number)) rankIn[ti] = found.rank[k] as number;
  }
  let sum = 0;
  for (let k = from; k < to; k++) {
    const ti = found.term[k] as number;
    const r = rankIn[ti] as number;
    if (r === 255) continue;
    sum += (qf.topicIdf[ti] as number) * (RANK_CREDIT[r] as number);
    rankIn[ti] = 255; // counted
  }
  return sum;
}

/** The most idf mass of distinct question terms matched within `WINDOW` consecutive words. */
function bestWindow(qf: QuestionFeatures): number {
  let most = 0;
  let from = 0;
  for (let to = 1; to <= found.count; to++) {
    const end = found.pos[to - 1] as number;
    while ((found.pos[from] as number) <= end - WINDOW) from++;
    const sum = massOf(qf, from, to);
    if (sum > most) most = sum;
  }
  return most;
}

/** Share of adjacent question-word pairs (both present as themselves) that stand side by side. */
function adjacentShare(qf: QuestionFeatures): number {
  let pairs = 0;
  for (let ti = 0; ti + 1 < qf.exactId.length; ti++)
    if ((qf.exactId[ti] as number) >= 0 && (qf.exactId[ti + 1] as number) >= 0) pairs++;
  if (pairs === 0) return 0;
  let adjacent = 0;
  let last = -1;
  for (let a = 0; a < found.count; a++) {
    const ti = found.term[a] as number;
    if (found.rank[a] !== 0 || ti === last) continue;
    const p = found.pos[a] as number;
    for (let b = a + 1; b < found.count && (found.pos[b] as number) <= p + 1; b++) {
      if (found.pos[b] === p + 1 && found.term[b] === ti + 1 && found.rank[b] === 0) {
        adjacent++;
        last = ti;
        break;
      }
    }
  }
  return Math.min(1, adjacent / pairs);
}

/** Where each sentence after the first begins, counted in the paragraph's non-stop words. */
function sentenceStarts(cache: EngineCache, doc: number, text: string): Int32Array {
  let starts = cache.sentences.get(doc);
  if (!starts) {
    const out: number[] = [];
    let words = 0;
    // A sentence ends at . ! or ? followed by a space and a capital letter, digit or quote.
    for (const part of text.split(/(?<=[.!?][”"’)]?)\s+(?=[A-Z0-9“"‘(])/)) {
      if (words > 0) out.push(words);
      words += tokenize(part).filter((t) => !STOP_WORDS.has(t.word)).length;
    }
    starts = Int32Array.from(out);
    if (cache.sentences.size > 20_000) cache.sentences.clear();
    cache.sentences.set(doc, starts);
  }
  return starts;
}

/** The most idf mass of distinct question terms matched (soft matches discounted) within one sentence. */
function bestSentence(qf: QuestionFeatures, starts: Int32Array): number {
  let most = 0;
  let from = 0;
  let s = 0;
  while (from < found.count) {
    // The sentence holding match `from`, and the matches in it.
    while (s < starts.length && (found.pos[from] as number) >= (starts[s] as number)) s++;
    const end = s < starts.length ? (starts[s] as number) : Number.POSITIVE_INFINITY;
    let to = from;
    while (to < found.count && (found.pos[to] as number) < end) to++;
    const sum = massOf(qf, from, to);
    if (sum > most) most = sum;
    from = to;
  }
  return most;
}

/** One candidate's paragraph and the best of its claims for the question. */
export interface Candidate {
  doc: number;
  paragraph: Paragraph;
  hit: Hit | undefined;
  claim: DatedClaim | undefined;
  /** The claim is of the asked type about the asked actor (or candidate): it answers outright. */
  claimAnswers: boolean;
  /** False when the question names a year this paragraph does not speak to. */
  yearFits: boolean;
  features: Float64Array;
  /** The weighted sum of `features`, once ranked (0 before). */
  score: number;
}

/**
 * The feature vector of one candidate paragraph.
 *
 * @param topText the best full-text score among the candidates (text scores are divided by it)
 * @param detail whether to read its sentences (see `SENTENCE_HITS`); `sentence` is 0 otherwise
 */
export function candidateFeatures(
  engine: AnswerEngine,
  qf: QuestionFeatures,
  doc: number,
  hit: Hit | undefined,
  topText: number,
  detail = true,
): Candidate {
  const { index, facts, corpus } = engine;
  const { q } = qf;
  const f = new Float64Array(FEATURE_COUNT);
  const paragraph = index.paragraphAt(doc) as Paragraph;
  const source = corpus.sources.get(paragraph.source) as Source;
  const cache = cacheOf(engine);

  // Words: the best kind of match of each question term in the paragraph's own text.
  const width = q.terms.length;
  if (best.length < width) best = new Uint8Array(width * 2);
  best.fill(3, 0, width);
  const { text } = index.termsOf(doc);
  findMatches(qf, text, best);
  // A phrase's stems are looked for in the text directly: a paragraph is a few dozen stems, and a
  // Set of them per candidate was the largest single allocation of ranking.
  for (const p of qf.phrases) {
    if (p.rank < (best[p.term] as number) && holdsAll(text, p.ids)) best[p.term] = p.rank;
  }
  // "Which countries…" is answered by a paragraph naming countries, in whatever words.
  if (qf.kind.terms.length > 0 && facts.namesAny(doc, qf.kind.actors)) for (const ti of qf.kind.terms) best[ti] = 0;
  if (qf.topicMass > 0) {
    const byRank = [0, 0, 0, 0];
    for (const t of qf.topic) {
      const r = best[t.index] as number;
      byRank[r] = (byRank[r] as number) + t.idf;
    }
    let missing = 0;
    // Only a broader or narrower word is weak evidence: such a word counts as missing here.
    // Cue words ("try", "want") are phrasing as much as topic: their absence is no evidence.
    for (const t of qf.topic) if (!t.cue && (best[t.index] as number) >= 2 && t.idf > missing) missing = t.idf;
    f[F.missing] = missing / index.maxIdf();
    f[F.exact] = (byRank[0] as number) / qf.topicMass;
    f[F.soft] = (byRank[1] as number) / qf.topicMass;
    f[F.broad] = (byRank[2] as number) / qf.topicMass;
  }
  if (qf.cue.length > 0) {
    let found = 0;
    for (const ti of qf.cue) if ((best[ti] as number) < 3) found++;
    f[F.cue] = found / qf.cue.length;
  }
  f[F.text] = topText > 0 && hit ? hit.score / topText : 0;

  f[F.adjacent] = adjacentShare(qf);
  if (qf.topicMass > 0) {
    f[F.window] = bestWindow(qf) / qf.topicMass;
    if (detail) f[F.sentence] = bestSentence(qf, sentenceStarts(cache, doc, paragraph.text)) / qf.topicMass;
  }

  // The source: its title and publisher, its date.
  if (qf.topicMass > 0) {
    const header = headerTerms(engine, cache, source);
    let inHeader = 0;
    let beyond = 0;
    let rest = 0;
    for (const t of qf.topic) {
      const id = qf.exactId[t.index] as number;
      if (id >= 0 && header.has(id)) inHeader += t.idf;
      else {
        rest += t.idf;
        if (best[t.index] === 0) beyond += t.idf;
      }
    }
    f[F.header] = inHeader / qf.topicMass;
    const first = doc - paragraph.n + 1;
    const end = first + source.paragraphs.length;
    let inDocument = 0;
    for (const t of qf.topic) {
      const id = qf.exactId[t.index] as number;
      if (id >= 0 && index.inTextBetween(id, first, end)) inDocument += t.idf;
    }
    f[F.document] = inDocument / qf.topicMass;
    f[F.beyondHeader] = rest > 0 ? beyond / rest : 0;
  }
  const month = qf.dates.length > 0 ? Number(source.date.slice(5, 7)) : 0;
  const day = qf.dates.length > 0 ? Number(source.date.slice(8, 10)) : 0;
  for (const d of qf.dates) {
    if (d.month !== month) continue;
    f[F.sourceDate] = Math.max(f[F.sourceDate] as number, d.day === undefined ? 1 : d.day === day ? 2 : 0);
  }

  // The kind of answer wanted.
  const want = WANTS[qf.answerType];
  const namesActor = facts.actorStart[doc + 1] !== facts.actorStart[doc];
  if (want || qf.answerType === 'statement') {
    let shape = cache.shape[doc] as number;
    if (!shape) {
      shape = shapeOf(paragraph.text, namesActor);
      cache.shape[doc] = shape;
    }
    if (want) f[F.answerType] = shape & want ? 1 : -1;
    else f[F.decides] = shape & SHAPE_DECIDES ? 1 : -1;
  }

  // Claims, actors, candidates.
  const intent = q.reading.intent;
  let claim: DatedClaim | undefined;
  let claimScore = -1;
  let fit: ClaimFit = NO_FIT;
  let allDraft = true;
  let anyClaim = false;
  for (let i = facts.claimStart[doc] as number; i < (facts.claimStart[doc + 1] as number); i++) {
    const c = facts.claims[i] as DatedClaim;
    anyClaim = true;
    if (!c.draft) allDraft = false;
    const cf = claimFit(c, q, intent);
    const s = (cf.typeOk ? 4 : 0) + (cf.actorOk ? 2 : 0) + (cf.candidateOk ? 1 : 0);
    if (s > claimScore) {
      claim = c;
      claimScore = s;
      fit = cf;
    }
  }
  f[F.claimType] = fit.typeOk ? 1 : 0;
  f[F.claimActor] = fit.actorOk ? 1 : 0;
  f[F.claimCandidate] = fit.candidateOk ? 1 : 0;
  f[F.draft] = anyClaim && allDraft ? 1 : 0;
  const { asked, noOneNamed } = qf;
  if (asked.length > 0) {
    if (facts.namesAny(doc, asked)) f[F.actorNamed] = 1;
    else {
      f[F.actorMissing] = 1;
      if (q.reading.intent) f[F.actorMissingForIntent] = 1;
    }
  }
  const claimAnswers =
    claim !== undefined && fit.typeOk && (fit.actorOk || (q.actors.length === 0 && fit.candidateOk) || noOneNamed);
  f[F.claimAnswers] = claimAnswers ? 1 : 0;

  // Time.
  let yearFits = true;
  if (q.years.length > 0) {
    const fits =
      q.years.some((y) => paragraph.text.includes(String(y))) ||
      (claim?.election !== undefined && q.years.includes(claim.election)) ||
      q.years.some((y) => source.date.startsWith(String(y)) || source.title.includes(String(y)));
    f[F.year] = fits ? 1 : -1;
    yearFits = fits;
  }
  if (q.month) {
    const ym = `${q.month.year}-${String(q.month.month).padStart(2, '0')}`;
    if (source.date.startsWith(ym)) f[F.sourceDate] = Math.max(f[F.sourceDate] as number, 1);
  }
  const span = Math.max(1, facts.dateRange.max - facts.dateRange.min);
  f[F.recency] = ((facts.time[doc] as number) - facts.dateRange.min) / span;
  f[F.latest] = q.latest ? (f[F.recency] as number) : 0;
  f[F.official] = source.kind === 'official' || (intent === 'denial' && source.kind === 'response') ? 1 : 0;
  if (source.kind === 'response' && q.actors.length > 0) {
    const publishers = publishersOf(engine, cache, source);
    if (q.actors.some((a) => publishers.includes(a))) f[F.ownWords] = 1;
  }
  f[F.lead] = paragraph.n === 1 ? 1 : 0;
  f[F.length] = Math.log1p(text.length) / 5;
  f[F.named] = q.actors.length + q.candidates.length + q.agencies.length > 0 ? 1 : 0;
  f[F.unknown] = qf.unknown;
  if (q.agencies.length > 0) f[F.agency] = agencyFit(engine, cache, q.agencies, source, doc, claim);
  return { doc, paragraph, hit, claim, claimAnswers, yearFits, features: f, score: 0 };
}

/** How a claim fits the question's type, actors and candidates. */
interface ClaimFit {
  typeOk: boolean;
  actorOk: boolean;
  candidateOk: boolean;
}
const NO_FIT: ClaimFit = { typeOk: false, actorOk: false, candidateOk: false };

function claimFit(c: DatedClaim, q: ParsedQuestion, intent: Intent | null): ClaimFit {
  const actorOk = q.actors.includes(c.actor);
  // A claim of the asked type about someone else does not answer "what does Russia prefer".
  const typeOk = intent !== null && c.type === intent && (q.actors.length === 0 || actorOk);
  let candidateOk = false;
  if (q.candidates.length > 0) {
    const side = q.reading.polarity;
    const named = (ids: string[] | undefined) => q.candidates.some((id) => ids?.includes(id));
    candidateOk =
      c.type === 'preference'
        ? side === 'favours'
          ? named(c.favours)
          : side === 'opposes'
            ? named(c.opposes)
            : named(c.favours) || named(c.opposes)
        : named(c.mentions);
  }
  return { typeOk, actorOk, candidateOk };
}

/** 1 when an agency asked published the source, 0.3 when the paragraph or its claim names one, else 0. */
function agencyFit(
  engine: AnswerEngine,
  cache: EngineCache,
  agencies: readonly string[],
  source: Source,
  doc: number,
  claim: DatedClaim | undefined,
): number {
  const publishers = publishersOf(engine, cache, source);
  if (agencies.some((a) => publishers.includes(a))) return 1;
  return agencies.some((a) => engine.facts.namesAny(doc, [a]) || claim?.mentions?.includes(a)) ? 0.3 : 0;
}

/** The actors a source's publisher names ("Ministry of Foreign Affairs of the Russian Federation" → russia). */
function publishersOf(engine: AnswerEngine, cache: EngineCache, source: Source): string[] {
  let ids = cache.publishers.get(source.id);
  if (!ids) {
    ids = engine.names
      .find(tokenize(source.publisher))
      .flatMap((m) => (m.target.kind === 'actor' ? [m.target.id] : []));
    cache.publishers.set(source.id, ids);
  }
  return ids;
}
