import { z } from 'zod';
import { resolveActor } from '../src/core/answer/resolve-actor.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { UserError } from '../src/core/errors.ts';
import { makeReply } from '../src/core/reply.ts';

export default defineCommand({
  name: 'unsubscribe',
  description: 'Stop updates in this channel (all, or the subscription to one actor).',
  options: z.object({
    actor: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('The actor subscription to remove; none removes the all-updates one'),
  }),
  example: '/unsubscribe actor:russia',
  actorOptions: ['actor'],
  managesChannel: true,
  run: ({ options, engine, origin, subscriptions }) => {
    if (!subscriptions)
      throw new UserError('Subscriptions are not available here: this bot runs without a subscription store.');
    const actor = options.actor ? resolveActor(engine, options.actor) : null;
    const what = actor ? `updates about ${engine.corpus.actors.get(actor)?.name ?? actor}` : 'all updates';
    const removed = subscriptions.unsubscribe(origin, actor);
    return makeReply({
      title: 'Unsubscribed',
      text: removed
        ? `This channel no longer gets ${what}.`
        : `This channel was not subscribed to ${what}; nothing changed. See /subscriptions.`,
      found: removed,
    });
  },
});
