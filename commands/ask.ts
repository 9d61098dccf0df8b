import { z } from 'zod';
import { answer } from '../src/core/answer/answer.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';

export default defineCommand({
  name: 'ask',
  description: 'Ask a question about foreign influence on US elections; answers cite the source paragraph.',
  options: z.object({
    question: z
      .string({ message: 'is required: write your question after /ask' })
      .trim()
      .min(1, 'is required: write your question after /ask')
      .describe('Your question, e.g. "What is Russia\'s preference?"'),
  }),
  example: "/ask question:What is Russia's preference?",
  details:
    'Answers from the assessments threatdesk holds, quoting each source paragraph verbatim with its publisher, date and link. When the assessments do not answer, it says so and cites nothing.',
  run: ({ options, engine }) => answer(engine, options.question),
});
