import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { makeReply } from '../src/core/reply.ts';
import { subscriptionTarget } from '../src/updates/subscriptions/subscription-target.ts';

export default defineCommand({
  name: 'subscribe',
  description: 'Tell this channel when new assessments arrive (all, or only about one actor).',
  options: z.object({
    actor: z.string().trim().min(1).optional().describe('Only updates about this actor (e.g. russia)'),
  }),
  example: '/subscribe actor:russia',
  details:
    'From now on this channel gets a message when new sources or claims are added. Past assessments are not replayed. Subscribing twice changes nothing.',
  actorOptions: ['actor'],
  managesChannel: true,
  run: async (context) => {
    const { subscriptions, actor, actorName } = subscriptionTarget(context);
    const what = actorName ? `new assessments about ${actorName}` : 'every new assessment';
    const added = await subscriptions.subscribe(context.origin, actor);
    return makeReply({
      title: 'Subscribed',
      text: added
        ? `This channel is now subscribed to ${what}: new sources and claims, each cited. Past assessments are not replayed.`
        : `This channel was already subscribed to ${what}; nothing changed.`,
      found: true,
    });
  },
});
