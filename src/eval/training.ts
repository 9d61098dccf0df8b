/**
 * Eval questions as training data for `npm run fit`: each question's recalled candidates with their
 * feature vectors, labelled right where the paragraph holds one of the expected phrases (scored as
 * the eval scores a first citation). Questions answered outside the ranking (lists, input that is
 * not a question, places we hold nothing on) are answered as they are and kept as fixed outcomes.
 */
import { triage } from '../core/answer/answer.ts';
import type { AnswerEngine } from '../core/answer/engine.ts';
import type { TrainingQuestion } from '../core/answer/fit-weights.ts';
import { recall } from '../core/answer/rank.ts';
import { type EvalCase, normalizePhrase } from './score-set.ts';

/** Whether a paragraph's text holds what the case expects of a first citation. */
export function paragraphAnswers(c: EvalCase, text: string): boolean {
  const t = normalizePhrase(text);
  if (c.all) return c.all.every((p) => t.includes(normalizePhrase(p)));
  return (c.any ?? []).some((p) => t.includes(normalizePhrase(p)));
}

/**
 * One eval case as training data.
 *
 * @example trainingQuestion(engine, { q: 'Who does Russia prefer?', any: ['Trump'] })
 */
export function trainingQuestion(engine: AnswerEngine, c: EvalCase): TrainingQuestion {
  const answerable = c.found !== false;
  const triaged = triage(engine, c.q);
  if ('reply' in triaged) {
    const { reply } = triaged;
    const ok = answerable ? reply.found && paragraphAnswers(c, reply.citations[0]?.text ?? '') : !reply.found;
    return { features: [], right: new Uint8Array(0), answerable, fixed: ok ? 'right' : 'wrong' };
  }
  const { candidates } = recall(engine, triaged.q);
  return {
    features: candidates.map((x) => x.features),
    right: Uint8Array.from(candidates, (x) => (answerable && paragraphAnswers(c, x.paragraph.text) ? 1 : 0)),
    answerable,
  };
}
