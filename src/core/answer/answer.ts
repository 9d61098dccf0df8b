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
import type { AnswerEngine } from './engine.ts';

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

/** What `rank` may return: only candidates that `keep` accepts. */
export interface Selection {
  /** Whether a candidate may be cited at all. */
  keep: (r: Ranked) => boolean;
  /**
   * Whether paragraphs the full-text search did not find are candidates (through a claim of the
   * asked type or about a named actor). False when `keep` refuses every such paragraph anyway.
   */
  withoutText: boolean;
}

/**
 * The candidates that can be cited, best first (ties: source id descending, then paragraph). They
 * are the paragraphs the full-text search finds, and (see `Selection.withoutText`) the paragraphs
 * with a claim of the asked type or about an actor the question names. Of those `keep` accepts,
 * only the `opts.maxCitations` best are returned, together with the `opts.maxCitations` best that
 * answer through a claim: all that `answer` can cite. Claim paragraphs are visited newest first and
 * the visit stops once no paragraph left could enter either group or come within
 * `opts.followerRatio` of the best, so a question does not score every claim of its type.
 */
export function rank(
  engine: AnswerEngine,
  q: ParsedQuestion,
  opts: AnswerOptions,
  selection: Selection = { keep: () => true, withoutText: true },
): Ranked[] {
  const { facts } = engine;
  const hits = engine.index.search(q.terms, 200);
  const ctx: RankContext = {
    engine,
    q,
    opts,
    topText: hits[0]?.score ?? 0,
    span: Math.max(1, facts.dateRange.max - facts.dateRange.min),
  };
  const all = new BestFew(opts.maxCitations);
  const byClaim = new BestFew(opts.maxCitations);
  const offer = (r: Ranked | undefined) => {
    if (!r || !selection.keep(r)) return;
    all.offer(r);
    if (r.claimAnswers) byClaim.offer(r);
  };
  const seen = new Set<number>();
  for (const h of hits) {
    seen.add(h.doc);
    offer(scoreParagraph(ctx, h.doc, h));
  }
  const intent = q.reading.intent;
  if (selection.withoutText && (intent || q.actors.length > 0 || q.candidates.length > 0)) {
    const lists: Int32Array[] = [];
    const ofType = intent ? facts.byType.get(intent) : undefined;
    if (ofType) lists.push(ofType);
    for (const a of q.actors) {
      const list = facts.byActor.get(a);
      if (list) lists.push(list);
    }
    // The most a paragraph found only through its claims can score, but for its recency.
    const most =
      (intent ? opts.intentWeight : 0) +
      (q.actors.length ? opts.actorWeight : 0) +
      (q.candidates.length ? opts.candidateWeight : 0) +
      0.2 +
      (q.years.length ? opts.yearWeight : 0) +
      (q.month ? opts.yearWeight : 0) +
      (q.agencies.length ? 1 : 0);
    const at = lists.map(() => 0);
    for (;;) {
      // The newest paragraph not yet visited across the lists.
      let from = -1;
      for (let i = 0; i < lists.length; i++) {
        const list = lists[i] as Int32Array;
        if ((at[i] as number) >= list.length) continue;
        if (
          from < 0 ||
          (facts.time[list[at[i] as number] as number] as number) >
            (facts.time[(lists[from] as Int32Array)[at[from] as number] as number] as number)
        )
          from = i;
      }
      if (from < 0) break;
      const doc = (lists[from] as Int32Array)[at[from] as number] as number;
      at[from] = (at[from] as number) + 1;
      const bound = most + recencyScore(ctx, doc);
      const best = all.first();
      if (best && best.score > 0 && bound < best.score * opts.followerRatio) break;
      if (bound < all.last() && bound < byClaim.last()) break;
      if (seen.has(doc)) continue;
      seen.add(doc);
      offer(scoreParagraph(ctx, doc, undefined));
    }
  }
  const out = all.items();
  for (const r of byClaim.items()) if (!out.includes(r)) out.push(r);
  return out.sort(compareRanked);
}

interface RankContext {
  engine: AnswerEngine;
  q: ParsedQuestion;
  opts: AnswerOptions;
  /** The best full-text score, which text scores are normalised by. */
  topText: number;
  /** Newest minus oldest source date, ms (at least 1). */
  span: number;
}

function recencyScore(ctx: RankContext, doc: number): number {
  const { facts } = ctx.engine;
  const recency = ((facts.time[doc] as number) - facts.dateRange.min) / ctx.span;
  return ctx.opts.recencyWeight * recency * (ctx.q.latest ? 4 : 1);
}

/** One candidate's score and best claim; undefined when it is not about the actor or candidate asked. */
function scoreParagraph(ctx: RankContext, doc: number, hit: Hit | undefined): Ranked | undefined {
  const { engine, q, opts } = ctx;
  const { facts } = engine;
  if (q.actors.length > 0 && !facts.namesAny(doc, q.actors)) return undefined;
  // A candidate narrows the search only when no actor does: "does Russia prefer Harris?" is
  // answered with Russia's stated preference, whoever it names.
  if (q.actors.length === 0 && q.candidates.length > 0 && !facts.namesAny(doc, q.candidates)) return undefined;
  const paragraph = engine.index.paragraphAt(doc) as Paragraph;
  const source = engine.corpus.sources.get(paragraph.source) as Source;
  const intent = q.reading.intent;
  let claim: DatedClaim | undefined;
  let claimScore = 0;
  let claimAnswers = false;
  let yearFits = true;
  for (let i = facts.claimStart[doc] as number; i < (facts.claimStart[doc + 1] as number); i++) {
    const c = facts.claims[i] as DatedClaim;
    const s = scoreClaim(c, q, intent, opts);
    if (s > claimScore || (s === claimScore && !claim)) {
      claim = c;
      claimScore = s;
    }
  }
  if (claim) claimAnswers = claimAnswersAlone(claim, q, intent);
  let score = claimScore + (ctx.topText > 0 && hit ? (opts.textWeight * hit.score) / ctx.topText : 0);
  score += opts.coverageWeight * (hit?.coverage ?? 0);
  score += recencyScore(ctx, doc);
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
  if (q.agencies.some((a) => publishedByCached(engine, source, a))) score += 1;
  else if (q.agencies.some((a) => facts.namesAny(doc, [a]) || claim?.mentions?.includes(a))) score += 0.3;
  if (claim?.draft) score -= 0.5;
  return { paragraph, score, hit, claim, claimAnswers, yearFits };
}

function compareRanked(a: Ranked, b: Ranked): number {
  return b.score - a.score || b.paragraph.source.localeCompare(a.paragraph.source) || a.paragraph.n - b.paragraph.n;
}

/** The `size` best candidates offered so far, by `compareRanked`. */
class BestFew {
  private readonly kept: Ranked[] = [];
  constructor(private readonly size: number) {}

  offer(r: Ranked): void {
    if (this.size <= 0) return;
    let at = this.kept.length;
    while (at > 0 && compareRanked(r, this.kept[at - 1] as Ranked) < 0) at--;
    if (at >= this.size) return;
    this.kept.splice(at, 0, r);
    if (this.kept.length > this.size) this.kept.pop();
  }

  first(): Ranked | undefined {
    return this.kept[0];
  }

  /** The score a candidate must beat to be kept (minus infinity while there is room). */
  last(): number {
    return this.kept.length < this.size ? Number.NEGATIVE_INFINITY : (this.kept[this.kept.length - 1] as Ranked).score;
  }

  items(): Ranked[] {
    return [...this.kept];
  }
}

/** How a claim fits the question's type, actors and candidates. */
interface ClaimFit {
  typeOk: boolean;
  actorOk: boolean;
  candidateOk: boolean;
}

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

/** A claim's fit to the question, as a score. */
function scoreClaim(c: DatedClaim, q: ParsedQuestion, intent: Intent | null, opts: AnswerOptions): number {
  const { typeOk, actorOk, candidateOk } = claimFit(c, q, intent);
  let s = 0;
  // Without a named actor or candidate, the type alone is weak evidence: topic words decide more.
  if (typeOk) s += q.actors.length + q.candidates.length > 0 ? opts.intentWeight : opts.intentWeight / 2;
  if (actorOk) s += opts.actorWeight;
  else if (q.actors.some((a) => c.mentions?.includes(a))) s += opts.actorWeight / 4;
  if (candidateOk) s += opts.candidateWeight;
  return s;
}

/** Whether a claim answers the question on its own (its paragraph still needs the topic words). */
function claimAnswersAlone(c: DatedClaim, q: ParsedQuestion, intent: Intent | null): boolean {
  const { typeOk, actorOk, candidateOk } = claimFit(c, q, intent);
  // With no actor or candidate named ("who is the biggest threat?"), a claim of the asked type
  // answers if the question has no other topic words; otherwise coverage decides (see answer()).
  const noOneNamed = q.actors.length === 0 && q.candidates.length === 0 && !q.terms.some((t) => t.focus);
  return typeOk && (actorOk || (q.actors.length === 0 && candidateOk) || noOneNamed);
}

/** Per-term idf, computed once per question (terms are fresh objects for each question). */
const termIdfs = new WeakMap<QuestionTerm, number>();

/** Whether a source was published by an agency, remembered per engine. */
const publishedCache = new WeakMap<AnswerEngine, Map<string, boolean>>();

function publishedByCached(engine: AnswerEngine, source: Source, agency: string): boolean {
  let cache = publishedCache.get(engine);
  if (!cache) {
    cache = new Map();
    publishedCache.set(engine, cache);
  }
  const k = `${source.id}\u0000${agency}`;
  let v = cache.get(k);
  if (v === undefined) {
    v = publishedBy(engine, source, agency);
    cache.set(k, v);
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
