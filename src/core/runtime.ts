/**
 * What a running bot shares between its adapters: the current answer engine (swapped atomically
 * when the data directory changes), the subscription store and the command list. Adapters build a
 * command context per event from it, so an answer in flight keeps the engine it started with.
 */
import type { AnswerEngine } from './answer/engine.ts';
import type { AnyCommand, CommandContext, Origin, SubscriptionRegistry } from './commands/define-command.ts';

export interface Runtime {
  /** The engine to answer with now. */
  engine(): AnswerEngine;
  subscriptions?: SubscriptionRegistry;
  commands: readonly AnyCommand[];
}

/** The context for one command invocation from `origin`. */
export function contextFor(runtime: Runtime, origin: Origin): Omit<CommandContext<unknown>, 'options'> {
  return { engine: runtime.engine(), origin, subscriptions: runtime.subscriptions, commands: runtime.commands };
}

/**
 * A runtime over a fixed engine, with `swap` to replace it.
 *
 * @example const runtime = createRuntime(engine, commands); runtime.swap(newEngine);
 */
export function createRuntime(
  engine: AnswerEngine,
  commands: readonly AnyCommand[],
  subscriptions?: SubscriptionRegistry,
): Runtime & { swap(next: AnswerEngine): void } {
  let current = engine;
  return {
    engine: () => current,
    swap: (next) => {
      current = next;
    },
    subscriptions,
    commands,
  };
}
