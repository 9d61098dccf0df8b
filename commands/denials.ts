import { z } from 'zod';
import { matchingClaims } from '../src/core/answer/answer.ts';
import { resolveActor } from '../src/core/answer/resolve-actor.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import type { Corpus, DatedClaim } from '../src/core/corpus/corpus.ts';
import { claimCitation, makeReply, shortPublisher } from '../src/core/reply.ts';

export default defineCommand({
  name: 'denials',
  description: 'Every recorded denial or response to allegations, newest first, each cited.',
  options: z.object({
    actor: z.string().trim().min(1).optional().describe('Only denials by this actor (e.g. russia, iran)'),
  }),
  example: '/denials actor:russia',
  details:
    'Lists who denied what, and when, from official responses and from assessments that report a denial. Give an actor to see only its denials. A source that only says an actor denies such things as a rule ("regularly denies") is noted after the list, not dated as a denial.',
  actorOptions: ['actor'],
  run: ({ options, engine }) => {
    const { corpus } = engine;
    const actor = options.actor ? resolveActor(engine, options.actor) : undefined;
    const claims = matchingClaims(engine, 'denial', { actors: actor ? [actor] : [] });
    // A reported habit ("regularly denies") dates no denial: it is noted, not listed.
    const made = claims.filter((c) => c.reported !== 'habit');
    const notes = claims.filter((c) => c.reported === 'habit').map((c) => habitNote(corpus, c));
    const name = actor ? (corpus.actors.get(actor)?.name ?? actor) : undefined;
    if (made.length === 0) {
      return makeReply({
        title: 'Denials',
        text: `I hold no recorded denials${name ? ` by ${name}` : ''}.`,
        notes,
      });
    }
    return makeReply({
      title: name ? `Denials by ${name}` : 'Denials and responses',
      found: true,
      text: `${made.length} recorded ${made.length === 1 ? 'denial' : 'denials'}${name ? ` by ${name}` : ''}, newest first:`,
      citations: made.map((c) => {
        const source = corpus.sources.get(c.source);
        const who = corpus.actors.get(c.actor)?.name ?? c.actor;
        return claimCitation(
          corpus,
          c,
          `${c.date}: ${who} denied ${c.denies} (${shortPublisher(source?.publisher ?? '')})`,
        );
      }),
      notes,
    });
  },
});

/** A reported habit as one note, naming the paragraph so a reader can check it. */
function habitNote(corpus: Corpus, c: DatedClaim): string {
  const publisher = shortPublisher(corpus.sources.get(c.source)?.publisher ?? '');
  const summary = c.summary.replace(/[.!?]$/, '');
  return `Also reported, as a habit rather than a dated denial: ${summary} (${publisher}, ${c.date}, paragraph ${c.paragraph}).`;
}
