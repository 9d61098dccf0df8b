import { z } from 'zod';
import { resolveActor } from '../src/core/answer/resolve-actor.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { UserError } from '../src/core/errors.ts';
import { makeReply } from '../src/core/reply.ts';

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
  run: ({ options, engine, origin, subscriptions }) => {
    if (!subscriptions)
      throw new UserError('Subscriptions are not available here: this bot runs without a subscription store.');
    const actor = options.actor ? resolveActor(engine, options.actor) : null;
    const what = actor
      ? `new assessments about ${engine.corpus.actors.get(actor)?.name ?? actor}`
      : 'every new assessment';
    const added = subscriptions.subscribe(origin, actor);
    return makeReply({
      title: 'Subscribed',
      text: added
        ? `This channel is now subscribed to ${what}: new sources and claims, each cited. Past assessments are not replayed.`
        : `This channel was already subscribed to ${what}; nothing changed.`,
      found: true,
    });
  },
});
