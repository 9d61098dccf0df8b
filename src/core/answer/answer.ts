/**
 * question → Reply. Claims that match the question's intent and actors come first, newest and most
 * official first; full-text search decides among them and answers where no claim does. When the
 * corpus does not answer, the reply says so and cites nothing: a wrong citation is the worst
 * answer this product can give.
 */
import type { DatedClaim, Source } from '../corpus/corpus.ts';
import { citationOf, claimCitation, makeReply, type Reply, shortPublisher } from '../reply.ts';
import type { Hit } from '../search/paragraph-index.ts';
import type { Intent } from '../understand/intents.ts';
import {
  MAX_QUESTION_CHARS,
  type ParsedQuestion,
  parseQuestion,
  type QuestionTerm,
} from '../understand/parse-question.ts';
import type { AnswerEngine } from './engine.ts';
import { type Ranked, rank } from './rank.ts';

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
  const ranked = rank(engine, q, opts, { keep: answers, withoutText: topicTerms.length === 0 });
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

/** Per-term idf, computed once per question (terms are fresh objects for each question). */
const termIdfs = new WeakMap<QuestionTerm, number>();

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
  // One claim per paragraph: paragraphs already listed, by number (no string key per claim).
  const seen = new Uint8Array(engine.index.size);
  const years = (filter.years ?? []).map((y) => [y, String(y)] as const);
  const named = (ids: readonly string[] | undefined) => ids?.some((id) => filter.candidates?.includes(id));
  const out: DatedClaim[] = [];
  const { claims } = engine.corpus;
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i] as DatedClaim;
    if (c.type !== type) continue;
    if (filter.actors?.length && !filter.actors.includes(c.actor)) continue;
    if (filter.candidates?.length && !named(c.favours) && !named(c.opposes) && !named(c.mentions)) continue;
    const doc = engine.facts.claimDoc[i] as number;
    if (years.length > 0) {
      const text = engine.index.paragraphAt(doc)?.text ?? '';
      if (!years.some(([y, ys]) => c.election === y || text.includes(ys) || c.date.startsWith(ys))) continue;
    }
    if (seen[doc]) continue;
    seen[doc] = 1;
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
