import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { claimCounts } from '../src/core/corpus/corpus.ts';
import { makeReply } from '../src/core/reply.ts';

export default defineCommand({
  name: 'actors',
  description: 'Who the assessments cover: each actor, its latest stated preference and what is held on it.',
  options: z.object({}),
  example: '/actors',
  details:
    'For each actor with claims: the latest stated candidate preference, the number of claims by type, and the date of the newest source about it.',
  run: ({ engine }) => {
    const { corpus } = engine;
    const name = (id: string) => corpus.actors.get(id)?.name ?? id;
    const lines: string[] = [];
    for (const actor of corpus.actors.values()) {
      const claims = corpus.claims.filter((c) => c.actor === actor.id);
      if (claims.length === 0) continue;
      const pref = claims.find((c) => c.type === 'preference');
      const prefText = pref
        ? [
            pref.favours?.length ? `favours ${pref.favours.map(name).join(', ')}` : '',
            pref.opposes?.length ? `opposes ${pref.opposes.map(name).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(', ') + ` (${pref.election ?? pref.date.slice(0, 4)}, stated ${pref.date})`
        : 'no stated preference';
      const counts = Object.entries(claimCounts(claims))
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${n} ${t}`)
        .join(', ');
      lines.push(`${actor.name} [${actor.id}]: ${prefText}; ${counts}; newest source ${claims[0]?.date}`);
    }
    return makeReply({ title: 'Actors in the assessments', text: lines.join('\n'), found: lines.length > 0 });
  },
});
