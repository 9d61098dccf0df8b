import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { UserError } from '../src/core/errors.ts';
import { makeReply } from '../src/core/reply.ts';

export default defineCommand({
  name: 'subscriptions',
  description: "This channel's update subscriptions, including paused ones and why.",
  options: z.object({}),
  example: '/subscriptions',
  run: async ({ engine, origin, subscriptions }) => {
    if (!subscriptions)
      throw new UserError('Subscriptions are not available here: this bot runs without a subscription store.');
    const subs = await subscriptions.list(origin);
    if (subs.length === 0)
      return makeReply({ title: 'Subscriptions', text: 'This channel has no subscriptions. Try /subscribe.' });
    const lines = subs.map((s) => {
      const what = s.actor ? `updates about ${engine.corpus.actors.get(s.actor)?.name ?? s.actor}` : 'all updates';
      const state = s.pausedReason ? `paused: ${s.pausedReason}` : 'active';
      return `${what} (since ${s.createdAt.slice(0, 10)}, by ${s.createdBy}; ${state})`;
    });
    return makeReply({ title: 'Subscriptions', text: lines.join('\n'), found: true });
  },
});
