import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { citationOf, makeReply } from '../src/core/reply.ts';
import { parseQuestion } from '../src/core/understand/parse-question.ts';

/** Paragraphs shown by /search. */
const LIMIT = 5;

export default defineCommand({
  name: 'search',
  description: 'Full-text search over every paragraph; shows the best matches with your words highlighted.',
  options: z.object({
    words: z
      .string({ message: 'is required: write the words to search for' })
      .trim()
      .min(1, 'is required: write the words to search for')
      .describe('Words to look for, e.g. "ballot video"'),
  }),
  example: '/search words:ballot video',
  details:
    'Matches words by stem, with typo tolerance and the domain thesaurus (e.g. "fake" also finds "manufactured"). Paragraphs are ranked by BM25.',
  run: ({ options, engine }) => {
    const q = parseQuestion(options.words, engine);
    const hits = engine.index.search(q.terms, LIMIT);
    if (hits.length === 0) {
      return makeReply({ title: `Search: ${options.words.slice(0, 80)}`, text: 'No paragraph contains those words.' });
    }
    const matched = new Set(hits.flatMap((h) => [...h.matched]));
    const stems = new Set<string>();
    for (const t of q.terms) {
      if (!matched.has(t.word)) continue;
      for (const alt of t.alternatives) for (const s of alt.stems) if (!s.startsWith('@')) stems.add(s);
    }
    return makeReply({
      title: `Search: ${options.words.slice(0, 80)}`,
      text: `${hits.length} best matching paragraph${hits.length === 1 ? '' : 's'}, best first.`,
      found: true,
      citations: hits.map((h) => citationOf(engine.corpus, h.paragraph)),
      highlight: [...stems],
    });
  },
});
