/**
 * question → Reply. Claims that match the question's intent and actors come first, newest and most
 * official first; full-text search decides among them and answers where no claim does. When the
 * corpus does not answer, the reply says so and cites nothing: a wrong citation is the worst
 * answer this product can give.
 */
import type { DatedClaim, Paragraph, Source } from '../corpus/corpus.ts';
import { citationOf, claimCitation, makeReply, type Reply, shortPublisher } from '../reply.ts';
import type { Hit } from '../search/paragraph-index.ts';
import type { Intent } from '../understand/intents.ts';
import {
  MAX_QUESTION_CHARS,
  type ParsedQuestion,
  parseQuestion,
  type QuestionTerm,
} from '../understand/parse-question.ts';
import { type AnswerEngine, paragraphKey } from './engine.ts';

/** Ranking weights, documented with their effect. */
export interface AnswerOptions {
  /** Weight of the normalised full-text score (0–1 before weighting). */
  textWeight: number;
  /** A claim of the asked type. */
  intentWeight: number;
  /** A claim about an actor the question names. */
  actorWeight: number;
  /** A preference claim naming the asked candidate (and side, when asked). */
  candidateWeight: number;
  /** Weight of the share of the question's topic words the paragraph contains (0–1). */
  coverageWeight: number;
  /** Up to this much for the newest source, scaled down linearly to 0 for the oldest. */
  recencyWeight: number;
  /** Paragraph matches (or, negatively, contradicts) the year asked. */
  yearWeight: number;
  /** Minimum share of the question's topic words a text-only answer must contain. */
  minCoverage: number;
  /** Minimum idf share of the topic words (for claim answers) or of all words (for text answers). */
  minTopicShare: number;
  /** Other citations must score at least this share of the best. */
  followerRatio: number;
  /** Most citations for a single answer (list answers cite every match). */
  maxCitations: number;
  /** Most citations for a list answer. */
  maxListCitations: number;
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = {
  textWeight: 3,
  coverageWeight: 2,
  intentWeight: 3,
  actorWeight: 2,
  candidateWeight: 1.5,
  recencyWeight: 0.4,
  yearWeight: 1.5,
  minCoverage: 0.6,
  minTopicShare: 0.6,
  followerRatio: 0.8,
  maxCitations: 3,
  maxListCitations: 25,
};

export interface Ranked {
  paragraph: Paragraph;
  score: number;
  hit: Hit | undefined;
  /** The best claim of this paragraph for the question, and whether it answers it outright. */
  claim: DatedClaim | undefined;
  claimAnswers: boolean;
  /** False when the question names a year this paragraph does not speak to. */
  yearFits: boolean;
}

/**
 * Answers one question from the engine's corpus.
 *
 * @example answer(engine, "What is Russia's preference?").citations[0].text
 */
export function answer(engine: AnswerEngine, question: string, options: Partial<AnswerOptions> = {}): Reply {
  const opts = { ...DEFAULT_ANSWER_OPTIONS, ...options };
  const q = parseQuestion(question, engine);
  const notes =
    question.length > MAX_QUESTION_CHARS
      ? [`Only the first ${MAX_QUESTION_CHARS} characters of the question were read.`]
      : [];
  if (q.terms.length === 0 && q.actors.length === 0 && q.candidates.length === 0 && !q.reading.intent) {
    return notFound(engine, 'Ask me a question about foreign influence on US elections.', notes);
  }
  if (q.places.length > 0 && q.actors.length === 0) {
    return notFound(engine, `I hold nothing on ${listWords(q.places)}.`, notes);
  }
  if (q.reading.list && q.reading.intent) return listAnswer(engine, q, q.reading.intent, opts, notes);

  const unknownTopic = q.terms.some(
    (t) => t.role === 'topic' && !t.alternatives.some((a) => a.stems.every((st) => engine.index.has(st))),
  );
  const topicTerms = q.terms.filter((t) => t.role === 'topic');
  // A paragraph answers through its claim when it also holds some of the question's topic words
  // (if the question has any); through its text alone when it holds most of the focus words and
  // at least half of every word asked, cue words included ("did Hizballah hack" needs "hack").
  const claimFits = (r: Ranked) =>
    topicTerms.length === 0 || shareMatched(engine, topicTerms, r.hit) >= opts.minTopicShare;
  const textAnswers = (r: Ranked) =>
    (r.hit?.coverage ?? 0) >= opts.minCoverage && shareMatched(engine, q.terms, r.hit) >= opts.minTopicShare;
  const answers = (r: Ranked) =>
    r.yearFits &&
    ((r.claimAnswers && claimFits(r) && (!unknownTopic || (r.hit?.coverage ?? 0) >= 0.5)) || textAnswers(r));
  const ranked = rank(engine, q, opts).filter(answers);
  const best = ranked[0];
  if (!best) return notFound(engine, undefined, notes);

  const cited = ranked
    .filter((r) => r.score >= best.score * opts.followerRatio && (r.claimAnswers || !best.claimAnswers))
    .slice(0, opts.maxCitations);
  const lines = cited.map((r) => leadLine(engine, r));
  return makeReply({
    title: titleFor(engine, q),
    text: lines[0] as string,
    found: true,
    citations: cited.map((r, i) => citationOf(engine.corpus, r.paragraph, lines[i])),
    notes,
  });
}

export function rank(engine: AnswerEngine, q: ParsedQuestion, opts: AnswerOptions): Ranked[] {
  const { corpus, index } = engine;
  const hits = index.search(q.terms, 200);
  const topText = hits[0]?.score ?? 0;
  const byKey = new Map<string, Hit>();
  for (const h of hits) byKey.set(paragraphKey(h.paragraph), h);
  const keys = new Set(byKey.keys());
  const intent = q.reading.intent;
  const lookups = lookupsFor(engine);
  if (intent || q.actors.length > 0 || q.candidates.length > 0) {
    for (const k of (intent && lookups.byType.get(intent)) || []) keys.add(k);
    for (const a of q.actors) for (const k of lookups.byActor.get(a) ?? []) keys.add(k);
  }
  const span = Math.max(1, engine.dateRange.max - engine.dateRange.min);
  const out: Ranked[] = [];
  for (const key of keys) {
    const actors = engine.paragraphActors.get(key) ?? new Set<string>();
    if (q.actors.length > 0 && !q.actors.some((a) => actors.has(a))) continue;
    const paragraph = lookups.paragraph.get(key) as Paragraph;
    const source = corpus.sources.get(paragraph.source) as Source;
    // A candidate narrows the search only when no actor does: "does Russia prefer Harris?" is
    // answered with Russia's stated preference, whoever it names.
    if (q.actors.length === 0 && q.candidates.length > 0 && !q.candidates.some((a) => actors.has(a))) continue;
    const hit = byKey.get(key);
    let claim: DatedClaim | undefined;
    let claimScore = 0;
    let claimAnswers = false;
    let yearFits = true;
    for (const c of engine.paragraphClaims.get(key) ?? []) {
      const [s, ok] = scoreClaim(c, q, intent, opts);
      if (s > claimScore || (s === claimScore && !claim)) {
        claim = c;
        claimScore = s;
        claimAnswers = ok;
      }
    }
    let score = claimScore + (topText > 0 && hit ? (opts.textWeight * hit.score) / topText : 0);
    score += opts.coverageWeight * (hit?.coverage ?? 0);
    const recency = ((lookups.time.get(source.id) as number) - engine.dateRange.min) / span;
    score += opts.recencyWeight * recency * (q.latest ? 4 : 1);
    score += source.kind === 'official' || (intent === 'denial' && source.kind === 'response') ? 0.2 : 0;
    if (q.years.length > 0) {
      const election = claim?.election;
      const inText = q.years.some((y) => paragraph.text.includes(String(y)));
      const fits =
        inText ||
        (election !== undefined && q.years.includes(election)) ||
        q.years.some((y) => source.date.startsWith(String(y)));
      score += fits ? opts.yearWeight : -opts.yearWeight;
      if (!fits) yearFits = false;
    }
    if (q.month) {
      const ym = `${q.month.year}-${String(q.month.month).padStart(2, '0')}`;
      score += source.date.startsWith(ym) ? opts.yearWeight : 0;
    }
    // "What did Haines say": what the agency published outranks what others report it said.
    if (q.agencies.some((a) => publishedByCached(engine, lookups, source, a))) score += 1;
    else if (q.agencies.some((a) => actors.has(a) || claim?.mentions?.includes(a))) score += 0.3;
    if (claim?.draft) score -= 0.5;
    out.push({ paragraph, score, hit, claim, claimAnswers, yearFits });
  }
  return out.sort(
    (a, b) =>
      b.score - a.score || b.paragraph.source.localeCompare(a.paragraph.source) || a.paragraph.n - b.paragraph.n,
  );
}

/** A claim's fit to the question, and whether it answers the question on its own. */
function scoreClaim(c: DatedClaim, q: ParsedQuestion, intent: Intent | null, opts: AnswerOptions): [number, boolean] {
  let s = 0;
  const actorOk = q.actors.includes(c.actor);
  // A claim of the asked type about someone else does not answer "what does Russia prefer".
  const typeOk = intent !== null && c.type === intent && (q.actors.length === 0 || actorOk);
  // Without a named actor or candidate, the type alone is weak evidence: topic words decide more.
  if (typeOk) s += q.actors.length + q.candidates.length > 0 ? opts.intentWeight : opts.intentWeight / 2;
  if (actorOk) s += opts.actorWeight;
  else if (q.actors.some((a) => c.mentions?.includes(a))) s += opts.actorWeight / 4;
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
    if (candidateOk) s += opts.candidateWeight;
  }
  // With no actor or candidate named ("who is the biggest threat?"), a claim of the asked type
  // answers if the question has no other topic words; otherwise coverage decides (see answer()).
  const noOneNamed = q.actors.length === 0 && q.candidates.length === 0 && !q.terms.some((t) => t.focus);
  const answers = typeOk && (actorOk || (q.actors.length === 0 && candidateOk) || noOneNamed);
  return [s, answers];
}

/** Per-term idf, computed once per question (terms are fresh objects for each question). */
const termIdfs = new WeakMap<QuestionTerm, number>();

/** Per-engine lookups built on first use: claim paragraphs by type and actor, source dates. */
interface Lookups {
  byType: Map<string, string[]>;
  byActor: Map<string, string[]>;
  paragraph: Map<string, Paragraph>;
  time: Map<string, number>;
  published: Map<string, boolean>;
}
const lookupCache = new WeakMap<AnswerEngine, Lookups>();

function lookupsFor(engine: AnswerEngine): Lookups {
  let l = lookupCache.get(engine);
  if (l) return l;
  l = { byType: new Map(), byActor: new Map(), paragraph: new Map(), time: new Map(), published: new Map() };
  for (const s of engine.corpus.sources.values()) {
    l.time.set(s.id, Date.parse(s.date));
    for (const p of s.paragraphs) l.paragraph.set(paragraphKey(p), p);
  }
  for (const c of engine.corpus.claims) {
    const k = paragraphKey(c);
    for (const [map, key] of [
      [l.byType, c.type],
      [l.byActor, c.actor],
    ] as const) {
      const list = map.get(key) ?? [];
      if (list[list.length - 1] !== k) list.push(k);
      map.set(key, list);
    }
  }
  lookupCache.set(engine, l);
  return l;
}

function publishedByCached(engine: AnswerEngine, l: Lookups, source: Source, agency: string): boolean {
  const k = `${source.id}\u0000${agency}`;
  let v = l.published.get(k);
  if (v === undefined) {
    v = publishedBy(engine, source, agency);
    l.published.set(k, v);
  }
  return v;
}

/** Idf-weighted share of `terms` that the hit matched (1 when there are none). */
function shareMatched(engine: AnswerEngine, terms: readonly QuestionTerm[], hit: Hit | undefined): number {
  let total = 0;
  let found = 0;
  for (const t of terms) {
    let w = termIdfs.get(t);
    if (w === undefined) {
      w = engine.index.termIdf(t);
      termIdfs.set(t, w);
    }
    total += w;
    if (hit?.matched.has(t.word)) found += w;
  }
  return total > 0 ? found / total : 1;
}

function publishedBy(engine: AnswerEngine, source: Source, agency: string): boolean {
  const actor = engine.corpus.actors.get(agency);
  if (!actor) return false;
  const pub = source.publisher.toLowerCase();
  return [actor.name, ...actor.aliases].some((n) => n.length > 2 && pub.includes(n.toLowerCase()));
}

function leadLine(engine: AnswerEngine, r: Ranked): string {
  if (r.claim) return claimLine(engine, r.claim);
  const source = engine.corpus.sources.get(r.paragraph.source) as Source;
  return `From “${source.title}” (${shortPublisher(source.publisher)}, ${source.date}), paragraph ${r.paragraph.n}:`;
}

/** A claim as one line: its summary, who published it and when; drafts say so. */
export function claimLine(engine: AnswerEngine, c: DatedClaim): string {
  const source = engine.corpus.sources.get(c.source);
  const draft = c.draft ? ' [machine-drafted claim, not yet reviewed]' : '';
  return `${c.summary} (${shortPublisher(source?.publisher ?? '')}, ${c.date})${draft}`;
}

function titleFor(engine: AnswerEngine, q: ParsedQuestion): string {
  const who = [...q.actors, ...q.candidates].map((id) => engine.corpus.actors.get(id)?.name ?? id);
  const what = q.reading.intent ? INTENT_TITLES[q.reading.intent] : 'What the assessments say';
  return who.length ? `${what}: ${who.join(', ')}` : what;
}

const INTENT_TITLES: Record<Intent, string> = {
  preference: 'Preferences',
  denial: 'Denials and responses',
  tactic: 'Tactics',
  threat: 'Threat assessment',
  intent: 'Intentions',
  assurance: 'Assurances',
  plot: 'Plots',
  attribution: 'Attributions',
  sanction: 'Sanctions',
  finding: 'Findings',
};

/** Every claim of a type (and actor, candidate, year when asked), newest first, one per paragraph. */
export function matchingClaims(
  engine: AnswerEngine,
  type: Intent,
  filter: { actors?: string[]; candidates?: string[]; years?: number[] } = {},
): DatedClaim[] {
  const seen = new Set<string>();
  const out: DatedClaim[] = [];
  for (const c of engine.corpus.claims) {
    if (c.type !== type) continue;
    if (filter.actors?.length && !filter.actors.includes(c.actor)) continue;
    if (filter.candidates?.length) {
      const ids = [...(c.favours ?? []), ...(c.opposes ?? []), ...(c.mentions ?? [])];
      if (!filter.candidates.some((id) => ids.includes(id))) continue;
    }
    if (filter.years?.length) {
      const text = engine.corpus.sources.get(c.source)?.paragraphs[c.paragraph - 1]?.text ?? '';
      if (!filter.years.some((y) => c.election === y || text.includes(String(y)) || c.date.startsWith(String(y))))
        continue;
    }
    const k = paragraphKey(c);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(c);
  }
  return out;
}

function listAnswer(
  engine: AnswerEngine,
  q: ParsedQuestion,
  intent: Intent,
  opts: AnswerOptions,
  notes: string[],
): Reply {
  const claims = matchingClaims(engine, intent, { actors: q.actors, candidates: q.candidates, years: q.years });
  if (claims.length === 0) return notFound(engine, undefined, notes);
  const shown = claims.slice(0, opts.maxListCitations);
  const more = claims.length - shown.length;
  return makeReply({
    title: titleFor(engine, q),
    text: `${claims.length} ${claims.length === 1 ? 'claim' : 'claims'}, newest first:`,
    found: true,
    citations: shown.map((c) => claimCitation(engine.corpus, c, claimLine(engine, c))),
    notes: more > 0 ? [...notes, `${more} more not shown.`] : notes,
  });
}

/** What the corpus holds, for not-found answers and help. */
export function coverageSummary(engine: AnswerEngine): string {
  const { corpus } = engine;
  const subjects = [...corpus.actors.values()].filter(
    (a) => (a.kind === 'country' || a.kind === 'group') && corpus.claims.some((c) => c.actor === a.id),
  );
  const dates = [...corpus.sources.values()].map((s) => s.date).sort();
  return `I hold ${corpus.sources.size} assessments and responses (${dates[0] ?? '?'} to ${dates[dates.length - 1] ?? '?'}) on ${listWords(subjects.map((a) => a.name))}: their candidate preferences, tactics, threats, denials, plots, assurances and sanctions.`;
}

function notFound(engine: AnswerEngine, reason: string | undefined, notes: string[]): Reply {
  return makeReply({
    title: 'Not in the assessments I hold',
    text: [reason ?? 'That is not in the assessments I hold.', coverageSummary(engine)].join(' '),
    found: false,
    notes: [...notes, 'Try /help for what you can ask.'],
  });
}

/** "a, b and c" */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
