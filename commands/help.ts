import { z } from 'zod';
import { coverageSummary } from '../src/core/answer/answer.ts';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { optionDescription, optionNames, optionRequired, suggestCommand } from '../src/core/commands/run-command.ts';
import { UserError } from '../src/core/errors.ts';
import { makeReply } from '../src/core/reply.ts';

export default defineCommand({
  name: 'help',
  description: 'What threatdesk can do: every command with an example, or the details of one.',
  options: z.object({
    command: z.string().trim().min(1).optional().describe('A command name for its details, e.g. denials'),
  }),
  example: '/help denials',
  run: ({ options, engine, commands }) => {
    if (!options.command) {
      const lines = commands.map((c) => `/${c.name} — ${c.description} e.g. ${c.example}`);
      return makeReply({
        title: 'threatdesk help',
        text: `${coverageSummary(engine)}\nAsk in plain words, or use a command:\n${lines.join('\n')}`,
        ephemeral: true,
        found: true,
      });
    }
    const name = options.command.replace(/^\//, '').toLowerCase();
    const command = commands.find((c) => c.name === name);
    if (!command) {
      const near = suggestCommand(name, commands);
      throw new UserError(`There is no command /${name}.${near ? ` Did you mean /${near.name}?` : ''}`);
    }
    const opts = optionNames(command).map(
      (n) => `  ${n}:${optionRequired(command, n) ? ' (required)' : ' (optional)'} ${optionDescription(command, n)}`,
    );
    return makeReply({
      title: `/${command.name}`,
      text: [
        command.description,
        command.details ?? '',
        opts.length ? `Options:\n${opts.join('\n')}` : 'No options.',
        `Example: ${command.example}`,
      ]
        .filter(Boolean)
        .join('\n'),
      ephemeral: true,
      found: true,
    });
  },
});
