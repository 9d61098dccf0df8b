/**
 * What /subscribe and /unsubscribe share: the store (or a clear refusal where there is none), the
 * actor asked for, and how to name what the channel gets.
 */
import { resolveActor } from '../../core/answer/resolve-actor.ts';
import type { CommandContext } from '../../core/commands/define-command.ts';
import { UserError } from '../../core/errors.ts';
import type { SubscriptionRegistry } from './registry.ts';

export interface SubscriptionTarget {
  subscriptions: SubscriptionRegistry;
  /** Actor id, or null for every update. */
  actor: string | null;
  /** The actor's display name, when one was given. */
  actorName: string | undefined;
}

/**
 * @example const { subscriptions, actor } = subscriptionTarget(context);
 */
export function subscriptionTarget(context: CommandContext<{ actor?: string | undefined }>): SubscriptionTarget {
  const { options, engine, subscriptions } = context;
  if (!subscriptions) {
    throw new UserError('Subscriptions are not available here: this bot runs without a subscription store.');
  }
  const actor = options.actor ? resolveActor(engine, options.actor) : null;
  return { subscriptions, actor, actorName: actor ? (engine.corpus.actors.get(actor)?.name ?? actor) : undefined };
}
