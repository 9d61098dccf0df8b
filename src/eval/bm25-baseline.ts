/**
 * The baseline every figure is read against: plain BM25 over the paragraphs' text, nothing else (no
 * claims, actors, thesaurus or abstention). It cites the top paragraph and says "not found" only
 * when no paragraph shares a word with the question. A bot that does not beat it on a set has
 * learnt nothing there that a search box does not know.
 */
import MiniSearch from 'minisearch';
import { allParagraphs, type Corpus, type Paragraph } from '../core/corpus/corpus.ts';
import { citationOf, makeReply, type Reply } from '../core/reply.ts';

/** Answers a question with BM25's best paragraph. */
export type BaselineAnswer = (question: string) => Reply;

/** MiniSearch's search options for the baseline: typos within 20% of a word, whole words only. */
export const BASELINE_SEARCH = { fuzzy: 0.2, prefix: false } as const;

/**
 * Indexes every paragraph of a corpus with MiniSearch's defaults (tokenizer, lower-casing, BM25
 * parameters) and answers with the top hit as the only citation.
 *
 * @example createBaseline(corpus)('Who is Moscow backing?').citations[0]?.text
 */
export function createBaseline(corpus: Corpus): BaselineAnswer {
  const paragraphs: Paragraph[] = allParagraphs(corpus);
  const search = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  search.addAll(paragraphs.map((p, id) => ({ id, text: p.text })));
  return (question) => {
    const top = search.search(question, BASELINE_SEARCH)[0];
    const p = top === undefined ? undefined : paragraphs[top.id as number];
    if (!p) return makeReply({ title: 'BM25', text: 'No paragraph shares a word with the question.' });
    return makeReply({ title: 'BM25', text: '', found: true, citations: [citationOf(corpus, p)] });
  };
}
