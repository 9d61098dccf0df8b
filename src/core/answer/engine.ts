/**
 * The answer engine: a corpus with everything built from it once (search index, name matcher, which
 * actors each paragraph names). Immutable; swap the whole engine to serve a new corpus.
 */
import type { Corpus, DatedClaim, Paragraph } from '../corpus/corpus.ts';
import { type IndexOptions, ParagraphIndex } from '../search/paragraph-index.ts';
import { tokenize } from '../text/tokenize.ts';
import { loadWordNet, type WordNet } from '../text/wordnet.ts';
import { NameMatcher } from '../understand/name-matcher.ts';
import { actorTerm } from '../understand/parse-question.ts';

export interface AnswerEngine {
  corpus: Corpus;
  index: ParagraphIndex;
  names: NameMatcher;
  /** `<source>#<n>` → actor ids the paragraph names or its claims are about. */
  paragraphActors: ReadonlyMap<string, ReadonlySet<string>>;
  /** `<source>#<n>` → claims drawn from it. */
  paragraphClaims: ReadonlyMap<string, readonly DatedClaim[]>;
  /** General English synonyms, loaded on first use (shared by every engine in the process). */
  wordnet: () => WordNet;
  /** Oldest and newest source dates, as epoch ms. */
  dateRange: { min: number; max: number };
}

/** `<source>#<n>` */
export function paragraphKey(p: Pick<Paragraph, 'source'> & { n?: number; paragraph?: number }): string {
  return `${p.source}#${p.n ?? p.paragraph}`;
}

/**
 * Builds the engine for a corpus.
 *
 * @example const engine = createAnswerEngine(loadCorpus('data'));
 */
export function createAnswerEngine(corpus: Corpus, options: Partial<IndexOptions> = {}): AnswerEngine {
  const names = new NameMatcher(corpus);
  const paragraphClaims = new Map<string, DatedClaim[]>();
  for (const c of corpus.claims) {
    const k = paragraphKey(c);
    paragraphClaims.set(k, [...(paragraphClaims.get(k) ?? []), c]);
  }
  const paragraphActors = new Map<string, Set<string>>();
  const actorsOf = (p: Paragraph): Set<string> => {
    const k = paragraphKey(p);
    let set = paragraphActors.get(k);
    if (!set) {
      set = new Set<string>();
      for (const m of names.find(tokenize(p.text))) if (m.target.kind === 'actor') set.add(m.target.id);
      for (const c of paragraphClaims.get(k) ?? []) {
        set.add(c.actor);
        for (const id of [...(c.favours ?? []), ...(c.opposes ?? [])]) set.add(id);
      }
      paragraphActors.set(k, set);
    }
    return set;
  };
  const index = new ParagraphIndex(corpus, options, (p) => [...actorsOf(p)].map(actorTerm));
  const dates = [...corpus.sources.values()].map((s) => Date.parse(s.date));
  const dateRange = dates.length ? { min: Math.min(...dates), max: Math.max(...dates) } : { min: 0, max: 0 };
  return { corpus, index, names, paragraphActors, paragraphClaims, dateRange, wordnet: loadWordNet };
}
