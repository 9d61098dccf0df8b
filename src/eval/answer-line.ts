/**
 * How a question of a set is answered during evaluation: synchronously and in-process, so that a
 * whole set scores in a fraction of a second and weight fitting can score it thousands of times.
 */
import { answer } from '../core/answer/answer.ts';
import type { AnswerEngine } from '../core/answer/engine.ts';
import type { AnyCommand, Origin } from '../core/commands/define-command.ts';
import { errorReply, parseCommandLine } from '../core/commands/run-command.ts';
import type { Reply } from '../core/reply.ts';
import { EvalSetupError } from './eval-setup-error.ts';

/** Answers one line of a set from an engine. Must not do I/O: it runs once per case per scoring. */
export type AnswerFn = (engine: AnswerEngine, question: string) => Reply;

const EVAL_ORIGIN: Origin = { platform: 'terminal', workspace: 'eval', channel: 'eval', user: 'eval' };

/**
 * The default: `answer(engine, question)`, what `/ask` and a plain line of `npm run ask` do. A line
 * starting with `/` needs the command list: use `answerLineWith(commands)`.
 *
 * @example answerQuestion(engine, 'Who is Moscow backing?').found // true
 */
export const answerQuestion: AnswerFn = (engine, question) => {
  if (question.trim().startsWith('/')) {
    throw new EvalSetupError(`eval: "${question.slice(0, 40)}" is a command; score it with answerLineWith(commands)`);
  }
  return answer(engine, question);
};

/**
 * `respondToLine` semantics without its promise: a line starting with `/` runs that command with
 * its options (a UserError becomes the ephemeral reply the user would see); anything else is asked.
 * Throws for a command whose `run` is asynchronous (none is today).
 *
 * @example answerLineWith(commands)(engine, '/denials russia').citations.length
 */
export function answerLineWith(commands: readonly AnyCommand[]): AnswerFn {
  return (engine, line) => {
    const text = line.trim();
    if (!text.startsWith('/')) return answer(engine, text);
    let name = text.split(/\s/)[0]?.slice(1) ?? '';
    try {
      const { command, options } = parseCommandLine(text, commands);
      name = command.name;
      const parsed = command.options.safeParse(options);
      if (!parsed.success) return errorReply(name, parsed.error, () => {});
      const reply = command.run({ engine, origin: EVAL_ORIGIN, commands, options: parsed.data });
      if (reply instanceof Promise)
        throw new EvalSetupError(`eval: /${name} answers asynchronously; it cannot be scored`);
      return reply;
    } catch (error) {
      if (error instanceof EvalSetupError) throw error;
      return errorReply(name, error, () => {});
    }
  };
}
