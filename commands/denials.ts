import { z } from 'zod';
import { matchingClaims } from '../src/core/answer/answer.ts';
import { resolveActor } from '../src/core/answer/resolve-actor.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { claimCitation, makeReply, shortPublisher } from '../src/core/reply.ts';

export default defineCommand({
  name: 'denials',
  description: 'Every recorded denial or response to allegations, newest first, each cited.',
  options: z.object({
    actor: z.string().trim().min(1).optional().describe('Only denials by this actor (e.g. russia, iran)'),
  }),
  example: '/denials actor:russia',
  details:
    'Lists who denied what, and when, from official responses and from assessments that report a denial. Give an actor to see only its denials.',
  actorOptions: ['actor'],
  run: ({ options, engine }) => {
    const actor = options.actor ? resolveActor(engine, options.actor) : undefined;
    const claims = matchingClaims(engine, 'denial', { actors: actor ? [actor] : [] });
    const name = actor ? (engine.corpus.actors.get(actor)?.name ?? actor) : undefined;
    if (claims.length === 0) {
      return makeReply({ title: 'Denials', text: `I hold no recorded denials${name ? ` by ${name}` : ''}.` });
    }
    const { corpus } = engine;
    return makeReply({
      title: name ? `Denials by ${name}` : 'Denials and responses',
      found: true,
      text: `${claims.length} recorded ${claims.length === 1 ? 'denial' : 'denials'}${name ? ` by ${name}` : ''}, newest first:`,
      citations: claims.map((c) => {
        const source = corpus.sources.get(c.source);
        const who = corpus.actors.get(c.actor)?.name ?? c.actor;
        return claimCitation(
          corpus,
          c,
          `${c.date}: ${who} denied ${c.denies} (${shortPublisher(source?.publisher ?? '')})`,
        );
      }),
    });
  },
});
