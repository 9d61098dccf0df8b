/**
 * Ranking for `answer`: which paragraphs can answer a question, best first. Candidates are the
 * paragraphs the full-text search finds and, for questions without topic words, those with a claim
 * of the asked type or about a named actor; each is scored by its best claim, its text score and
 * coverage, recency, source kind, the year asked and the agency asked.
 */
import type { DatedClaim, Paragraph, Source } from '../corpus/corpus.ts';
import type { Hit } from '../search/paragraph-index.ts';
import type { Intent } from '../understand/intents.ts';
import type { ParsedQuestion } from '../understand/parse-question.ts';
import type { AnswerOptions } from './answer.ts';
import type { AnswerEngine } from './engine.ts';

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

function publishedBy(engine: AnswerEngine, source: Source, agency: string): boolean {
  const actor = engine.corpus.actors.get(agency);
  if (!actor) return false;
  const pub = source.publisher.toLowerCase();
  return [actor.name, ...actor.aliases].some((n) => n.length > 2 && pub.includes(n.toLowerCase()));
}
