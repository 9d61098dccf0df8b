import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { makeReply } from '../src/core/reply.ts';
import { subscriptionTarget } from '../src/updates/subscriptions/subscription-target.ts';

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
  run: async (context) => {
    const { subscriptions, actor, actorName } = subscriptionTarget(context);
    const what = actorName ? `updates about ${actorName}` : 'all updates';
    const removed = await subscriptions.unsubscribe(context.origin, actor);
    return makeReply({
      title: 'Unsubscribed',
      text: removed
        ? `This channel no longer gets ${what}.`
        : `This channel was not subscribed to ${what}; nothing changed. See /subscriptions.`,
      found: removed,
    });
  },
});
