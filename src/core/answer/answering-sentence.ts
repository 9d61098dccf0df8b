/**
 * The sentence of a cited paragraph that answers the question, to show before the paragraph: the
 * one holding the most of the question, by the same soft matching as the ranking (each word as
 * itself, a close relative or a broader word, weighted by idf), preferring a sentence that holds
 * what the answer type wants (a date for "when", a number for "how many", a name for "who", the
 * purpose for "why", the negation or stated assessment that settles a yes/no question). It is a
 * verbatim slice of the paragraph: nothing is generated.
 */
import { isCountryOrGroup, type Paragraph } from '../corpus/corpus.ts';
import { splitSentences } from '../text/split-sentences.ts';
import { tokenize } from '../text/tokenize.ts';
import type { ParsedQuestion } from '../understand/parse-question.ts';
import type { AnswerEngine } from './engine.ts';
import { dateGrainOf, holdsAnswerType, prepareQuestion, RANK_CREDIT } from './features.ts';
import { namesAPerson } from './person-names.ts';

/** What a sentence holding the answer type is worth, as a share of the question's words. */
const ANSWER_TYPE_SHARE = 0.5;
/** What naming an actor asked ("Putin", "Tehran", "Iranian") is worth, as a share of a name's idf. */
const NAME_SHARE = 0.5;
/**
 * What naming only other countries or groups costs, as a share of the question's words: a sentence
 * about Russia does not answer a question about Iran, however many of its words it shares.
 */
const OTHER_ACTOR_SHARE = 0.5;

/**
 * @example answeringSentence(engine, parseQuestion('When did Treasury act?', engine), paragraph)
 * // 'On 27 September 2024, Treasury designated …'
 */
export function answeringSentence(engine: AnswerEngine, q: ParsedQuestion, paragraph: Paragraph): string {
  const sentences = splitSentences(paragraph.text);
  if (sentences.length <= 1) return paragraph.text.trim();
  const { index } = engine;
  const qf = prepareQuestion(engine, q);
  // An actor asked counts however the sentence names it ("Iranian", "Tehran").
  const asked = [...q.actors, ...q.candidates, ...q.agencies];
  const nameIdf = Math.max(0, ...q.terms.filter((t) => t.role === 'name').map((t) => index.termIdf(t)));
  // "What month…": a sentence with a month, not one that names only the year.
  const grain = dateGrainOf(q.text);
  let best = sentences[0]?.text ?? paragraph.text;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const sentence of sentences) {
    const tokens = tokenize(sentence.text);
    const ids = new Set(tokens.map((t) => index.termId(t.stem)));
    const rank = new Map<number, number>();
    for (const id of ids) {
      for (const [ti, r] of qf.single.get(id) ?? []) rank.set(ti, Math.min(r, rank.get(ti) ?? 3));
    }
    for (const p of qf.phrases) {
      if (p.ids.every((id) => ids.has(id))) rank.set(p.term, Math.min(p.rank, rank.get(p.term) ?? 3));
    }
    let score = 0;
    for (const t of qf.topic) score += t.idf * (RANK_CREDIT[rank.get(t.index) ?? 3] as number);
    if (asked.length > 0) {
      const named = engine.names.find(tokens).map((m) => (m.target.kind === 'actor' ? m.target.id : ''));
      let namesAsked = false;
      for (const id of asked) {
        if (!named.includes(id)) continue;
        score += NAME_SHARE * nameIdf;
        namesAsked = true;
      }
      // A sentence about another country or group speaks for that one, not for the one asked.
      if (!namesAsked && named.some((id) => isCountryOrGroup(engine.corpus.actors.get(id))))
        score -= OTHER_ACTOR_SHARE * Math.max(qf.topicMass, 1);
    }
    if (qf.answerType !== 'other' && holdsAnswerType(sentence.text, qf.answerType, grain))
      score += ANSWER_TYPE_SHARE * Math.max(qf.topicMass, 1);
    // "Which Kremlin official…", "who is the director…": a person's name, not "the Justice Department".
    if (qf.personAsked && namesAPerson(engine, sentence.text)) score += ANSWER_TYPE_SHARE * Math.max(qf.topicMass, 1);
    // Strictly more: the earlier sentence wins a tie.
    if (score > bestScore) {
      bestScore = score;
      best = sentence.text;
    }
  }
  return best;
}
