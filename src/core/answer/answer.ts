/**
 * question → Reply. Input that is not a question is turned away before anything is ranked. A
 * question is parsed, its candidate paragraphs recalled and reranked (`rank.ts`), and the best is
 * cited only when the fitted confidence allows; otherwise the reply says so and cites nothing: a
 * wrong citation is the worst answer this product can give. List questions ("every denial") are
 * answered from claims, newest first.
 */
import { type DatedClaim, isCountryOrGroup, type Source } from '../corpus/corpus.ts';
import { citationOf, claimCitation, makeReply, type Reply, shortPublisher } from '../reply.ts';
import { tokenize } from '../text/tokenize.ts';
import { inputProblem } from '../understand/input-shape.ts';
import type { Intent } from '../understand/intents.ts';
import {
  ACTOR_KIND_NOUNS,
  cleanQuestion,
  MAX_QUESTION_CHARS,
  type ParsedQuestion,
  parseQuestion,
} from '../understand/parse-question.ts';
import { answeringSentence } from './answering-sentence.ts';
import type { AnswerEngine } from './engine.ts';
import { type AnswerType, FEATURE_NAMES, prepareQuestion } from './features.ts';
import { byDate, confident, FITTED_WEIGHTS, type Ranked, type RankWeights, rank } from './rank.ts';
import { mentionsOnlyVaguely } from './unnamed-detail.ts';

/** Answering options, merged over `DEFAULT_ANSWER_OPTIONS`. */
export interface AnswerOptions {
  /** Feature weights and the abstention rule (default: the fitted `weights.json`). */
  weights: RankWeights;
  /** Other citations must score within this of the best (in score units). */
  followerGap: number;
  /** Most citations for a single answer (list answers cite every match). */
  maxCitations: number;
  /** Most citations for a list answer. */
  maxListCitations: number;
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = {
  weights: FITTED_WEIGHTS,
  followerGap: 0.25,
  maxCitations: 3,
  maxListCitations: 25,
};

/**
 * What a question gets before any ranking: a reply of its own (input that is no question, nothing
 * asked, a place held nothing on, a list), or the parsed question to rank, with the reply's notes.
 *
 * @example triage(engine, 'b') // { reply: { found: false, title: 'Not a question', … } }
 */
export function triage(
  engine: AnswerEngine,
  question: string,
  options: Partial<AnswerOptions> = {},
): { reply: Reply } | { q: ParsedQuestion; notes: string[] } {
  const opts = { ...DEFAULT_ANSWER_OPTIONS, ...options };
  const notes =
    question.length > MAX_QUESTION_CHARS
      ? [`Only the first ${MAX_QUESTION_CHARS} characters of the question were read.`]
      : [];
  const problem = inputProblem(cleanQuestion(question).slice(0, MAX_QUESTION_CHARS), engine);
  if (problem) return { reply: makeReply({ title: 'Not a question', text: problem, found: false, notes }) };
  const q = parseQuestion(question, engine);
  if (q.terms.length === 0 && q.actors.length === 0 && q.candidates.length === 0 && !q.reading.intent) {
    return { reply: notFound(engine, 'Ask me a question about foreign influence on US elections.', notes) };
  }
  if (q.unheld.length > 0) {
    return { reply: notFound(engine, `I hold nothing on ${listWords(q.unheld)}.`, notes) };
  }
  const later = yearsBeyond(engine, q);
  if (later.length > 0) {
    const newest = newestSourceDate(engine);
    return {
      reply: notFound(
        engine,
        `The assessments I hold run to ${newest} and say nothing of ${listWords(later.map(String))}.`,
        notes,
      ),
    };
  }
  if (q.reading.list && q.reading.intent) return { reply: listAnswer(engine, q, q.reading.intent, opts, notes) };
  return { q, notes };
}

/**
 * The ranking with the best paragraph that `holds` first: the best itself when it does, else the
 * best that does and scores at least `reach`; undefined when none does.
 */
function holdersFirst(ranked: Ranked[], reach: number, holds: (r: Ranked) => boolean): Ranked[] | undefined {
  if (ranked[0] && holds(ranked[0])) return ranked;
  const holder = ranked.find((r) => r.score >= reach && holds(r));
  return holder ? [holder, ...ranked.filter((r) => r !== holder)] : undefined;
}

/** Whether a ranked paragraph names one of the places, by name or alias ("Israeli", "Jerusalem"). */
function namesPlace(engine: AnswerEngine, r: Ranked, places: readonly string[]): boolean {
  return engine.names
    .find(tokenize(r.paragraph.text))
    .some((m) => m.target.kind === 'place' && places.includes(m.target.name));
}

/**
 * The years a question names, when every one of them is later than the newest source and no
 * paragraph names it: "the 2026 midterms", "Germany's 2025 election". No assessment held can
 * speak of them (a forecast would name the year).
 */
function yearsBeyond(engine: AnswerEngine, q: ParsedQuestion): number[] {
  if (q.years.length === 0) return [];
  const newest = Number(newestSourceDate(engine).slice(0, 4));
  const beyond = q.years.filter((y) => y > newest && !engine.index.has(String(y)));
  return beyond.length === q.years.length ? beyond : [];
}

/** The newest source's date, YYYY-MM-DD (from the date range the paragraph facts hold). */
function newestSourceDate(engine: AnswerEngine): string {
  return new Date(engine.facts.dateRange.max).toISOString().slice(0, 10);
}

/**
 * Answers one question from the engine's corpus.
 *
 * @example answer(engine, "What is Russia's preference?").citations[0].text
 */
export function answer(engine: AnswerEngine, question: string, options: Partial<AnswerOptions> = {}): Reply {
  const opts = { ...DEFAULT_ANSWER_OPTIONS, ...options };
  const triaged = triage(engine, question, opts);
  if ('reply' in triaged) return triaged.reply;
  const { q, notes } = triaged;
  const ranked0 = rank(engine, q, opts.weights);
  if (!ranked0[0] || !confident(ranked0, opts.weights)) return notFound(engine, undefined, notes);
  const top = ranked0[0].score;
  // How far below the best a further paragraph (another side, another country) may score.
  const reach = top - 4 * opts.followerGap;
  // "More aggressive than in 2020?": one paragraph for each side, each labelled with its year.
  const then = comparedYear(q.text);
  // "In 2020", "before the 2024 election": only paragraphs of that time answer.
  const period = then === undefined ? periodAsked(q.text) : undefined;
  const inTime = period ? ranked0.filter((r) => r.score >= reach && inPeriod(engine, r, period)) : ranked0;
  if (!inTime[0])
    return notFound(engine, `The assessments I hold say nothing on this ${describePeriod(period)}.`, notes);
  // "In September 2024": a source of that month, when one is within reach (the month may also be
  // when the thing reported happened, so it narrows but never refuses).
  const month = q.month;
  // A month named outright is strong evidence: it reaches twice as far down the ranking.
  const ofMonth = month
    ? inTime.filter((r) => r.score >= top - 8 * opts.followerGap && isOfMonth(engine, r, month))
    : [];
  const scored = ofMonth.length > 0 ? ofMonth : inTime;
  // "The latest …", "the first …": of the answers that fit as well, the date decides. A yes/no
  // question: of those as good, one that settles it ("does not indicate") comes first.
  let ranked = q.order ? byDate(engine, scored, q.order) : decidingFirst(scored, opts.followerGap);
  // "Did Israel hack any campaign?": a place asked is answered only by a paragraph that names it.
  if (q.places.length > 0) {
    const naming = holdersFirst(ranked, reach, (r) => namesPlace(engine, r, q.places));
    if (!naming)
      return notFound(engine, `The assessments I hold say nothing on this about ${listWords(q.places)}.`, notes);
    ranked = naming;
  }
  // "Why is Tehran trying to influence the election, per the ODNI?": an agency asked speaks only
  // through a paragraph it published or one that names it.
  if (q.agencies.length > 0) {
    const theirs = holdersFirst(ranked, reach, (r) => (r.features[AGENCY] as number) > 0);
    if (!theirs) {
      const names = q.agencies.map((id) => {
        const actor = engine.corpus.actors.get(id);
        const name = actor?.aliases[0] ?? actor?.name ?? id;
        return /^the /i.test(name) ? name : `the ${name}`;
      });
      return notFound(engine, `The assessments I hold say nothing on this from or about ${listWords(names)}.`, notes);
    }
    ranked = theirs;
  }
  const best = ranked[0] as Ranked;
  const lacking = missingDetail(engine, q, ranked, opts.followerGap);
  if (lacking) return detailNotGiven(engine, best, lacking, notes);
  const sides = then === undefined ? undefined : compareSides(engine, q, ranked, then, reach);
  if (sides) return comparisonReply(engine, q, sides, notes);
  const which = q.actors.length === 0 ? asksWhichActors(q.text) : undefined;
  const cited =
    which === 'several'
      ? paragraphsNamingMore(engine, ranked, reach, opts.maxCitations, q.excluded)
      : ranked
          .filter((r) => r === best || (r.score >= top - opts.followerGap && r.claimAnswers === best.claimAnswers))
          .slice(0, opts.maxCitations);
  const lines = cited.map((r) => leadLine(engine, r));
  const lead = answerLead(engine, q, best);
  // "Which country …?": the countries and groups the cited paragraphs name, or their claims are about.
  const named = (
    which === 'several' ? subjectsOf(engine, cited) : which === 'one' ? subjectsIn(engine, lead.sentence, best) : []
  ).filter((name) => !q.excluded.some((id) => engine.corpus.actors.get(id)?.name === name));
  const where = which === 'several' && cited.length > 1 ? 'these paragraphs' : 'this paragraph';
  const namedLine = named.length > 0 ? [`Named in ${where}: ${listWords(named)}.`] : [];
  return makeReply({
    title: titleFor(engine, q),
    text: [lead.line, ...namedLine, lines[0]].join('\n'),
    answer: lead.sentence,
    found: true,
    citations: cited.map((r, i) => citationOf(engine.corpus, r.paragraph, lines[i])),
    notes,
  });
}

const DECIDES = FEATURE_NAMES.indexOf('decides');
const AGENCY = FEATURE_NAMES.indexOf('agency');

/**
 * For a yes/no question (the `decides` feature is set only then): the best candidate that settles
 * it, when one scores within `gap` of the best and the best does not, is moved first.
 */
function decidingFirst(ranked: Ranked[], gap: number): Ranked[] {
  const best = ranked[0];
  if (!best || best.features[DECIDES] !== -1) return ranked;
  const at = ranked.findIndex((r) => r.score >= best.score - gap && r.features[DECIDES] === 1);
  if (at <= 0) return ranked;
  return [ranked[at] as Ranked, ...ranked.slice(0, at), ...ranked.slice(at + 1)];
}

/** A time a question is limited to: a year, or before or after that year's election. */
export interface Period {
  year: number;
  relation: 'in' | 'before' | 'after';
}

/**
 * The time a question is limited to: "in 2020", "during the 2024 election", "before the 2024
 * election", "after the 2020 election". "Since 2020" is left to ranking: it often compares.
 *
 * @example periodAsked('What did China do before the 2024 election?') // { year: 2024, relation: 'before' }
 */
export function periodAsked(text: string): Period | undefined {
  const m =
    /\b(in|during|before|ahead of|after|following)\s+(?:the\s+)?((?:19|20)\d\d)\b(\s+(?:u\.?s\.?\s+)?(?:presidential\s+|midterm\s+|general\s+)?(?:elections?|race|vote|campaign|cycle|midterms))?/i.exec(
      text,
    );
  if (!m) return undefined;
  const word = (m[1] as string).toLowerCase();
  const year = Number(m[2]);
  // "Before 2024" without "election" is a date; with it, election day.
  if (word === 'in' || word === 'during') return { year, relation: 'in' };
  return { year, relation: word === 'before' || word === 'ahead of' ? 'before' : 'after' };
}

/** Election day of a year: the Tuesday after the first Monday in November, as YYYY-MM-DD. */
export function electionDay(year: number): string {
  const firstOfNovember = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstMonday = 1 + ((8 - firstOfNovember) % 7);
  return `${year}-11-${String(firstMonday + 1).padStart(2, '0')}`;
}

/** Whether a ranked paragraph is of the time asked. */
function inPeriod(engine: AnswerEngine, r: Ranked, period: Period): boolean {
  const source = engine.corpus.sources.get(r.paragraph.source) as Source;
  // Of the year: the ranking's test (the text, the claim's election, the source's year), or a
  // source whose title names it ("… the 2020 US Federal Elections").
  if (period.relation === 'in') return r.yearFits || source.title.includes(String(period.year));
  const { date } = source;
  const day = electionDay(period.year);
  if (period.relation === 'after') return date > day;
  // Before that election: published before election day, and of that campaign (since the last one).
  return (
    date <= day &&
    (date > electionDay(period.year - (period.year % 4 === 0 ? 4 : 2)) || r.claim?.election === period.year)
  );
}

function isOfMonth(engine: AnswerEngine, r: Ranked, month: { year: number; month: number }): boolean {
  const date = (engine.corpus.sources.get(r.paragraph.source) as Source).date;
  return date.startsWith(`${month.year}-${String(month.month).padStart(2, '0')}`);
}

function describePeriod(period: Period | undefined): string {
  if (!period) return '';
  return period.relation === 'in' ? `for ${period.year}` : `${period.relation} the ${period.year} election`;
}

/**
 * The year a question compares with: "than in 2020", "than it did in 2020", "compared with 2016",
 * "versus 2020", "the same candidate as in 2020".
 *
 * @example comparedYear('Is Iran more aggressive than in 2020?') // 2020
 */
export function comparedYear(text: string): number | undefined {
  const m =
    /\b(?:than|compared? (?:with|to)|versus|vs\.?|(?:same|different)\b[^.?!]{0,40}?\bas)\b[^.?!]{0,24}?\b((?:19|20)\d\d)\b/i.exec(
      text,
    );
  return m ? Number(m[1]) : undefined;
}

/** Whether a paragraph is of a year: its claim is about that election, or its source is of that year. */
function isOf(engine: AnswerEngine, r: Ranked, year: number): boolean {
  return (
    r.claim?.election === year ||
    (engine.corpus.sources.get(r.paragraph.source) as Source).date.startsWith(String(year))
  );
}

/** Whether a paragraph speaks to a year: it is of that year (`isOf`), or it names it. */
function speaksTo(engine: AnswerEngine, r: Ranked, year: number): boolean {
  return isOf(engine, r, year) || r.paragraph.text.includes(String(year));
}

interface Side {
  year: number;
  ranked: Ranked;
}

/**
 * The best paragraph on each side of a comparison: one that speaks to the year compared with, and
 * one that does not (labelled with the other year the question names, else its source's year).
 */
function compareSides(
  engine: AnswerEngine,
  q: ParsedQuestion,
  ranked: Ranked[],
  then: number,
  floor: number,
): [Side, Side] | undefined {
  const best = ranked[0];
  if (!best) return undefined;
  // A later paragraph that itself speaks of that year ("unchanged since 2020") answers both sides.
  const bestSource = engine.corpus.sources.get(best.paragraph.source) as Source;
  if (best.paragraph.text.includes(String(then)) && !bestSource.date.startsWith(String(then))) return undefined;
  // Both sides about the actor asked, when one is.
  const about = (r: Ranked) => q.actors.length === 0 || engine.facts.namesAny(r.doc, q.actors);
  // A source of that year, or a claim about that election, before a later text that mentions it.
  const old =
    ranked.find((r) => about(r) && isOf(engine, r, then)) ?? ranked.find((r) => about(r) && speaksTo(engine, r, then));
  const now = ranked.find((r) => r !== old && r.score >= floor && about(r) && !speaksTo(engine, r, then));
  if (!old || !now) return undefined;
  const source = engine.corpus.sources.get(now.paragraph.source) as Source;
  const year = q.years.find((y) => y !== then) ?? Number(source.date.slice(0, 4));
  return [
    { year, ranked: now },
    { year: then, ranked: old },
  ];
}

function comparisonReply(engine: AnswerEngine, q: ParsedQuestion, sides: [Side, Side], notes: string[]): Reply {
  const lines = sides.map((s) => `In ${s.year}: ${leadLine(engine, s.ranked)}`);
  const lead = answerLead(engine, q, sides[0].ranked);
  return makeReply({
    title: titleFor(engine, q),
    text: [lead.line, ...lines].join('\n'),
    answer: lead.sentence,
    found: true,
    citations: sides.map((s, i) => citationOf(engine.corpus, s.ranked.paragraph, lines[i])),
    notes,
  });
}

/** The sentence of a paragraph that answers, and the reply's first line: it quoted, with publisher and date. */
function answerLead(engine: AnswerEngine, q: ParsedQuestion, r: Ranked): { sentence: string; line: string } {
  const sentence = answeringSentence(engine, q, r.paragraph);
  const source = engine.corpus.sources.get(r.paragraph.source) as Source;
  return { sentence, line: `“${sentence}” (${shortPublisher(source.publisher)}, ${source.date})` };
}

/** A claim's summary when the claim itself answers; otherwise where the paragraph is from. */
function leadLine(engine: AnswerEngine, r: Ranked): string {
  if (r.claim && r.claimAnswers) return claimLine(engine, r.claim);
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

/** Which claims `matchingClaims` keeps: the asked actors, candidates and years (each when given). */
export interface ClaimFilter {
  actors?: string[];
  candidates?: string[];
  years?: number[];
}

/** Every claim of a type (and actor, candidate, year when asked), newest first, one per paragraph. */
export function matchingClaims(engine: AnswerEngine, type: Intent, filter: ClaimFilter = {}): DatedClaim[] {
  const out: DatedClaim[] = [];
  eachMatchingClaim(engine, type, filter, (c) => {
    out.push(c);
  });
  return out;
}

/**
 * Per engine, which paragraphs the current `eachMatchingClaim` call has listed: a paragraph is
 * listed when its entry equals the call's mark. Each call takes the next mark, so nothing is
 * cleared between calls but once every 255 (a list question at 100k paragraphs would otherwise
 * allocate and zero 100 KB).
 */
const listed = new WeakMap<AnswerEngine, { seen: Uint8Array; mark: number }>();

/** `matchingClaims` one claim at a time, without the array. */
function eachMatchingClaim(
  engine: AnswerEngine,
  type: Intent,
  filter: ClaimFilter,
  visit: (c: DatedClaim) => void,
): void {
  let scratch = listed.get(engine);
  if (!scratch) {
    scratch = { seen: new Uint8Array(engine.index.size), mark: 0 };
    listed.set(engine, scratch);
  }
  if (scratch.mark === 255) {
    scratch.seen.fill(0);
    scratch.mark = 0;
  }
  // One claim per paragraph: paragraphs already listed, by number (no string key per claim).
  const mark = ++scratch.mark;
  const { seen } = scratch;
  const years = (filter.years ?? []).map((y) => [y, String(y)] as const);
  const candidates = filter.candidates ?? [];
  const { claims } = engine.corpus;
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i] as DatedClaim;
    if (c.type !== type) continue;
    if (filter.actors?.length && !filter.actors.includes(c.actor)) continue;
    if (
      candidates.length > 0 &&
      !namesOneOf(c.favours, candidates) &&
      !namesOneOf(c.opposes, candidates) &&
      !namesOneOf(c.mentions, candidates)
    )
      continue;
    const doc = engine.facts.claimDoc[i] as number;
    if (years.length > 0 && !ofYears(c, engine.index.paragraphAt(doc)?.text ?? '', years)) continue;
    if (seen[doc] === mark) continue;
    seen[doc] = mark;
    visit(c);
  }
}

/** Whether a claim's list of actors names one of the candidates. */
function namesOneOf(ids: readonly string[] | undefined, candidates: readonly string[]): boolean {
  if (!ids) return false;
  for (let i = 0; i < ids.length; i++) if (candidates.includes(ids[i] as string)) return true;
  return false;
}

/**
 * Whether a claim is of one of the years: about that election, published then, or its paragraph
 * names the year. (A function of its own, as is `namesOneOf`: a closure over the loop's claim in
 * `eachMatchingClaim` made V8 allocate a context for every claim visited, 6 MB a call at 100k.)
 */
function ofYears(c: DatedClaim, text: string, years: readonly (readonly [number, string])[]): boolean {
  for (const [y, ys] of years) if (c.election === y || text.includes(ys) || c.date.startsWith(ys)) return true;
  return false;
}

function listAnswer(
  engine: AnswerEngine,
  q: ParsedQuestion,
  intent: Intent,
  opts: AnswerOptions,
  notes: string[],
): Reply {
  // Newest first, as `matchingClaims` gives them; "the first sanctions": oldest first. Only the
  // claims shown are kept (the newest, or the oldest: the last ones met), and the rest counted.
  const most = opts.maxListCitations;
  const oldest = q.order === 'oldest';
  const kept: DatedClaim[] = [];
  let count = 0;
  eachMatchingClaim(engine, intent, { actors: q.actors, candidates: q.candidates, years: q.years }, (c) => {
    // A reported habit ("regularly denies") is no dated denial: lists of denials leave it out.
    if (c.reported === 'habit') return;
    if (!oldest) {
      if (count < most) kept.push(c);
    } else if (most > 0) kept[count % most] = c;
    count++;
  });
  if (count === 0) return notFound(engine, undefined, notes);
  // The oldest: a ring holding the last `most` met, read from the last one met backwards.
  const shown = oldest
    ? Array.from({ length: kept.length }, (_, i) => kept[(count - 1 - i) % most] as DatedClaim)
    : kept;
  const more = count - shown.length;
  return makeReply({
    title: titleFor(engine, q),
    text: `${count} ${count === 1 ? 'claim' : 'claims'}, ${oldest ? 'oldest' : 'newest'} first:`,
    found: true,
    citations: shown.map((c) => claimCitation(engine.corpus, c, claimLine(engine, c))),
    notes: more > 0 ? [...notes, `${more} more not shown.`] : notes,
  });
}

/** What the corpus holds, for not-found answers and help. */
export function coverageSummary(engine: AnswerEngine): string {
  // The same for every not-found answer of an engine: made once (it reads every claim and source).
  let summary = summaries.get(engine);
  if (summary === undefined) {
    summary = summarize(engine);
    summaries.set(engine, summary);
  }
  return summary;
}

const summaries = new WeakMap<AnswerEngine, string>();

function summarize(engine: AnswerEngine): string {
  const { corpus } = engine;
  const subjects = [...corpus.actors.values()].filter(
    (a) => isCountryOrGroup(a) && corpus.claims.some((c) => c.actor === a.id),
  );
  const dates = [...corpus.sources.values()].map((s) => s.date).sort();
  return `I hold ${corpus.sources.size} assessments and responses (${dates[0] ?? '?'} to ${dates[dates.length - 1] ?? '?'}) on ${listWords(subjects.map((a) => a.name))}: their candidate preferences, tactics, threats, denials, plots, assurances and sanctions.`;
}

/** Whether a question asks which actor ("which country…?") or which actors ("which countries…", "who else…"). */
export function asksWhichActors(text: string): 'one' | 'several' | undefined {
  const t = text.trim().toLowerCase();
  // Anywhere in the question: "back in 2020, which countries…", "besides Iran, which other countries…".
  if (ASKS_SEVERAL.test(t)) return 'several';
  if (ASKS_ONE.test(t)) return 'one';
  return undefined;
}

const kindsOf = (number: 0 | 1) => ACTOR_KIND_NOUNS.map((forms) => forms[number]).join('|');
const ASKS_SEVERAL = new RegExp(`\\bwho else\\b|\\b(which|what) (other )?(foreign )?(${kindsOf(1)})\\b`);
const ASKS_ONE = new RegExp(`\\b(which|what) (other )?(foreign )?(${kindsOf(0)})\\b`);

/** The ranked paragraphs, best first, each kept only if it names a country or group the ones before do not. */
function paragraphsNamingMore(
  engine: AnswerEngine,
  ranked: Ranked[],
  floor: number,
  most: number,
  excluded: readonly string[],
): Ranked[] {
  const out: Ranked[] = [];
  // An actor set aside ("besides Russia") is no new name.
  const seen = new Set<string>(excluded.map((id) => engine.corpus.actors.get(id)?.name ?? id));
  for (const r of ranked) {
    if (out.length >= most || (out.length > 0 && r.score < floor)) break;
    const subjects = subjectsOf(engine, [r]);
    if ((out.length > 0 || subjects.length > 0) && subjects.every((a) => seen.has(a))) continue;
    for (const a of subjects) seen.add(a);
    out.push(r);
  }
  return out;
}

/**
 * For "which country …?": the countries and groups the answering sentence names, when it names any
 * ("… which the IC attributes to Iran"); otherwise those of its paragraph (`subjectsOf`).
 */
function subjectsIn(engine: AnswerEngine, sentence: string, r: Ranked): string[] {
  const names: string[] = [];
  for (const m of engine.names.find(tokenize(sentence))) {
    if (m.target.kind !== 'actor') continue;
    const actor = engine.corpus.actors.get(m.target.id);
    if (!isCountryOrGroup(actor)) continue;
    if (!names.includes(actor.name)) names.push(actor.name);
  }
  return names.length > 0 ? names : subjectsOf(engine, [r]);
}

/** Names of the countries and groups the paragraphs name or their claims are about, in order, once each. */
function subjectsOf(engine: AnswerEngine, paragraphs: readonly Ranked[]): string[] {
  const names: string[] = [];
  for (const r of paragraphs) {
    for (const id of engine.facts.actorsOf(r.doc)) {
      const actor = engine.corpus.actors.get(id);
      if (!isCountryOrGroup(actor)) continue;
      if (!names.includes(actor.name)) names.push(actor.name);
    }
  }
  return names;
}

/**
 * What a question asks for that its best paragraph does not hold at all: no date, no number, no
 * name; or the name of a thing it speaks of only as "its director", "multiple counties", when no
 * paragraph as good names it.
 */
function missingDetail(engine: AnswerEngine, q: ParsedQuestion, ranked: Ranked[], gap: number): string | undefined {
  const best = ranked[0] as Ranked;
  const qf = prepareQuestion(engine, q);
  const noun = qf.nounAsked;
  // "Which country…?" is answered by the countries the paragraph names, wherever it names them.
  const actorAnswers = () => asksWhichActors(q.text) !== undefined && subjectsOf(engine, [best]).length > 0;
  // "Which staffers…" against "emails to individuals": for people only; "an organization" is as
  // often followed by the name it stands for ("a subordinate organization of Iran's IRGC").
  const wordnet = engine.wordnet();
  const broader = noun && wordnet.namesPerson(noun) ? wordnet.broaderNouns(noun, BROADER_LEVELS) : [];
  if (
    noun &&
    mentionsOnlyVaguely(noun, best.paragraph.text, broader) === true &&
    !actorAnswers() &&
    !ranked.some(
      (r) =>
        r !== best && r.score >= best.score - gap && mentionsOnlyVaguely(noun, r.paragraph.text, broader) === false,
    )
  )
    return noun.endsWith('s') ? `the names of the ${noun}` : `the name of the ${noun}`;
  const detail = DETAILS[qf.answerType];
  if (!detail || (best.features[ANSWER_TYPE] as number) >= 0) return undefined;
  // "When did officials say…", "when was it announced": the statement's own date answers, and the
  // reply gives it beside the quote.
  if (detail === DETAILS.date && REPORTED_ACT.test(q.text)) return undefined;
  return detail;
}

/** How far above the noun asked a vague mention still speaks of it: staffer → employee → worker → person. */
const BROADER_LEVELS = 3;

/** Verbs of saying, publishing and official action: what a dated statement itself does. */
const REPORTED_ACT =
  /\b(say|says|said|announc\w*|warn\w*|stat(e|es|ed)|issu(e|es|ed)|publish\w*|releas(e|es|ed)|reveal\w*|disclos\w*|report\w*|attribut\w*|accus\w*|blam\w*|sanction\w*|designat\w*|charg(e|es|ed)|indict\w*|confirm\w*|den(y|ies|ied)|seiz\w*)\b/i;

const ANSWER_TYPE = FEATURE_NAMES.indexOf('answerType');
const DETAILS: Partial<Record<AnswerType, string>> = {
  date: 'the date',
  count: 'the number',
  amount: 'the amount',
  name: 'the names',
  authority: 'the law or order acted under',
};

/**
 * The topic is covered but the detail asked for is not: said plainly, with where the topic is
 * covered, and nothing cited as if it answered.
 */
function detailNotGiven(engine: AnswerEngine, best: Ranked, detail: string, notes: string[]): Reply {
  const source = engine.corpus.sources.get(best.paragraph.source) as Source;
  return makeReply({
    title: 'Not in the assessments I hold',
    text: `The assessments I hold describe this but do not give ${detail}. The closest is “${source.title}” (${shortPublisher(source.publisher)}, ${source.date}), paragraph ${best.paragraph.n}, which does not give ${detail} either.`,
    found: false,
    notes: [...notes, 'Try /help for what you can ask.'],
  });
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
