/**
 * Turns what a user typed as an actor ("russia", "Moscow", "Rusia", "iran's") into an actor id, or a
 * UserError that lists the actors threatdesk knows.
 */
import { UserError } from '../errors.ts';
import { tokenize } from '../text/tokenize.ts';
import type { AnswerEngine } from './engine.ts';

/**
 * @example resolveActor(engine, 'Kremlin') // 'russia'
 */
export function resolveActor(engine: AnswerEngine, typed: string): string {
  const text = typed.trim();
  if (engine.corpus.actors.has(text.toLowerCase())) return text.toLowerCase();
  const tokens = tokenize(text);
  const matches = engine.names.find(tokens, { isKnownWord: () => false });
  const actor = matches.find((m) => m.target.kind === 'actor');
  if (actor && actor.target.kind === 'actor' && actor.end - actor.start === tokens.length) return actor.target.id;
  const known = [...engine.corpus.actors.values()].map((a) => a.id).join(', ');
  throw new UserError(`I don't know the actor "${text.slice(0, 60)}". Known actors: ${known}.`);
}
