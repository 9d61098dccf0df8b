import { z } from 'zod';
import { resolveActor } from '../src/core/answer/resolve-actor.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { makeReply } from '../src/core/reply.ts';

export default defineCommand({
  name: 'sources',
  description: 'The documents threatdesk answers from, newest first, with publisher, kind and link.',
  options: z.object({
    actor: z.string().trim().min(1).optional().describe('Only documents with claims about this actor'),
  }),
  example: '/sources actor:iran',
  actorOptions: ['actor'],
  run: ({ options, engine }) => {
    const { corpus } = engine;
    const actor = options.actor ? resolveActor(engine, options.actor) : undefined;
    const wanted = actor ? new Set(corpus.claims.filter((c) => c.actor === actor).map((c) => c.source)) : undefined;
    const sources = [...corpus.sources.values()].filter((s) => !wanted || wanted.has(s.id));
    const lines = sources.map(
      (s) =>
        `${s.date} · ${s.title} — ${s.publisher} (${s.kind}${s.excerpt ? ', excerpt' : ''})${s.url ? ` ${s.url}` : ''}`,
    );
    const name = actor ? corpus.actors.get(actor)?.name : undefined;
    return makeReply({
      title: name ? `Sources on ${name}` : 'Sources',
      text: lines.length ? lines.join('\n') : `No documents hold claims about ${name}.`,
      found: lines.length > 0,
    });
  },
});
