/**
 * What a running bot shares between its adapters: the current answer engine (swapped atomically
 * when the data directory changes), the subscription store and the command list. Adapters build a
 * command context per event from it, so an answer in flight keeps the engine it started with.
 */
import type { AnswerEngine } from './answer/engine.ts';
import type { AnyCommand, CommandContext, CommandServices, Origin } from './commands/define-command.ts';

export interface Runtime extends Partial<CommandServices> {
  /** The engine to answer with now. */
  engine(): AnswerEngine;
  commands: readonly AnyCommand[];
}

/** The context for one command invocation from `origin`. */
export function contextFor(runtime: Runtime, origin: Origin): Omit<CommandContext<unknown>, 'options'> {
  const { engine, commands, ...services } = runtime;
  return { ...services, engine: engine(), origin, commands };
}

/**
 * A runtime over a fixed engine, with `swap` to replace it.
 *
 * @example const runtime = createRuntime(engine, commands); runtime.swap(newEngine);
 */
export function createRuntime(
  engine: AnswerEngine,
  commands: readonly AnyCommand[],
  services: Partial<CommandServices> = {},
): Runtime & { swap(next: AnswerEngine): void } {
  let current = engine;
  return {
    ...services,
    engine: () => current,
    swap: (next) => {
      current = next;
    },
    commands,
  };
}
