/**
 * The answer engine: a corpus with everything built from it once (search index, name matcher, the
 * facts of each paragraph). Immutable; swap the whole engine to serve a new corpus.
 */
import type { Corpus, DatedClaim, Paragraph } from '../corpus/corpus.ts';
import { type IndexOptions, ParagraphIndex } from '../search/paragraph-index.ts';
import { loadWordNet, type WordNet } from '../text/wordnet.ts';
import { NameMatcher } from '../understand/name-matcher.ts';
import { actorTerm } from '../understand/parse-question.ts';
import { ParagraphFacts } from './paragraph-facts.ts';

export interface AnswerEngine {
  corpus: Corpus;
  index: ParagraphIndex;
  names: NameMatcher;
  /** Claims, actors and dates of each paragraph, by the index's paragraph numbers. */
  facts: ParagraphFacts;
  /** General English synonyms, loaded on first use (shared by every engine in the process). */
  wordnet: () => WordNet;
}

/** `<source>#<n>` */
export function paragraphKey(p: Pick<Paragraph, 'source'> & { n?: number; paragraph?: number }): string {
  return `${p.source}#${p.n ?? p.paragraph}`;
}

/**
 * Builds the engine for a corpus, or wraps an index already built for it (restored from a
 * snapshot, see `persist-index.ts`), in which case no paragraph is read again.
 *
 * @example const engine = createAnswerEngine(loadCorpus('data'));
 */
export function createAnswerEngine(
  corpus: Corpus,
  options: Partial<IndexOptions> = {},
  prebuilt?: ParagraphIndex,
): AnswerEngine {
  const names = new NameMatcher(corpus);
  const index = prebuilt ?? buildIndex(corpus, names, options);
  return { corpus, index, names, facts: new ParagraphFacts(corpus, index), wordnet: loadWordNet };
}

/** The index, with each paragraph's actors (named in its text, or its claims' subjects) as `@actor` terms. */
function buildIndex(corpus: Corpus, names: NameMatcher, options: Partial<IndexOptions>): ParagraphIndex {
  const claimsAt = new Map<string, DatedClaim[]>();
  for (const c of corpus.claims) {
    const k = paragraphKey(c);
    const list = claimsAt.get(k);
    if (list) list.push(c);
    else claimsAt.set(k, [c]);
  }
  return new ParagraphIndex(corpus, options, (p, tokens) => {
    const actors = new Set<string>();
    for (const m of names.find(tokens)) if (m.target.kind === 'actor') actors.add(m.target.id);
    for (const c of claimsAt.get(paragraphKey(p)) ?? []) {
      actors.add(c.actor);
      for (const id of [...(c.favours ?? []), ...(c.opposes ?? [])]) actors.add(id);
    }
    return [...actors].map(actorTerm);
  });
}
