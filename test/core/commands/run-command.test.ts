import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.ts';
import { defineCommand } from '../../../src/core/commands/define-command.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { errorReply, runCommand } from '../../../src/core/commands/run-command.ts';
import { UserError } from '../../../src/core/errors.ts';
import { makeReply, replyToJson } from '../../../src/core/reply.ts';
import { context, makeContext } from '../../commands/setup.ts';

const boom = defineCommand({
  name: 'boom',
  description: 'Always fails unexpectedly.',
  options: z.object({}),
  example: '/boom',
  run: () => {
    throw new Error('database password is hunter2');
  },
});

const asyncBoom = defineCommand({
  name: 'async-boom',
  description: 'Fails after an await.',
  options: z.object({}),
  example: '/async-boom',
  run: async () => {
    await Promise.resolve();
    throw new TypeError('undefined is not a function');
  },
});

const refuse = defineCommand({
  name: 'refuse',
  description: 'Fails with a message for the user.',
  options: z.object({}),
  example: '/refuse',
  run: () => {
    throw new UserError('That channel is archived.');
  },
});

const echo = defineCommand({
  name: 'echo',
  description: 'Repeats its option.',
  options: z.object({ text: z.string().trim().min(2, 'needs two characters').describe('What to repeat') }),
  example: '/echo text:hi',
  run: ({ options, origin }) => makeReply({ text: `${options.text} from ${origin.user}`, found: true }),
});

const withTestCommands = makeContext({ commands: [...commands, boom, asyncBoom, refuse, echo] });

describe('runCommand', () => {
  it('validates options with the schema and passes the parsed values and origin to run', async () => {
    const reply = await runCommand(echo, { text: '  hello ' }, context);
    expect(reply).toMatchObject({ text: 'hello from tester', found: true, ephemeral: false });
  });

  it('answers invalid options with an ephemeral error naming the option, the value and an example', async () => {
    const reply = await runCommand(echo, { text: 'x' }, context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toBe('`text` needs two characters, got "x". Example: `/echo text:hi`');
    expect(reply.error).toBe(reply.text);
  });

  it('says a missing or empty option needs a value, with the command’s example', async () => {
    const denials = commands.find((c) => c.name === 'denials')!;
    for (const actor of ['', '   ']) {
      expect((await runCommand(denials, { actor }, context)).text).toBe(
        '`actor` needs a value, e.g. `/denials actor:russia`',
      );
    }
    const help = commands.find((c) => c.name === 'help')!;
    expect((await runCommand(help, { command: '' }, context)).text).toBe(
      '`command` needs a value, e.g. `/help denials`',
    );
  });

  it('never shows zod’s own wording for any registered command’s options', async () => {
    for (const command of commands) {
      for (const value of ['', '  ', 42, ['x'], 'x'.repeat(5000)]) {
        const raw = Object.fromEntries(Object.keys(command.options.shape).map((n) => [n, value]));
        const reply = await runCommand(command, raw, context, () => {});
        expect(reply.text, `/${command.name} ${JSON.stringify(value).slice(0, 20)}`).not.toMatch(
          /Too small|Too big|Invalid input|expected (string|number)|received|>=|<=/,
        );
      }
    }
  });

  it('turns an unexpected exception into a generic ephemeral reply and logs it with the command name', async () => {
    const log = vi.fn();
    const reply = await runCommand(boom, {}, context, log);
    expect(reply).toMatchObject({ title: 'Something went wrong', ephemeral: true, found: false, citations: [] });
    expect(reply.text).toContain('/boom failed on my side');
    expect(reply.error).toBe(reply.text);
    expect(reply.text).not.toContain('hunter2');
    expect(log).toHaveBeenCalledOnce();
    const [message, error] = log.mock.calls[0] ?? [];
    expect(message).toContain('/boom');
    expect((error as Error).message).toBe('database password is hunter2');
  });

  it('catches a rejection from an async run the same way', async () => {
    const log = vi.fn();
    const reply = await runCommand(asyncBoom, {}, context, log);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('/async-boom failed');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('/async-boom'), expect.any(TypeError));
  });

  it('turns a UserError into an ephemeral reply with its message as the error, without logging', async () => {
    const log = vi.fn();
    const reply = await runCommand(refuse, {}, context, log);
    expect(reply).toMatchObject({
      title: 'Cannot do that',
      text: 'That channel is archived.',
      ephemeral: true,
      error: 'That channel is archived.',
    });
    expect(log).not.toHaveBeenCalled();
  });
});

describe('errorReply', () => {
  it('shows a UserError as it is and hides anything else', () => {
    const log = vi.fn();
    expect(errorReply('x', new UserError('Nope.'), log).text).toBe('Nope.');
    expect(errorReply('x', 'a thrown string', log).text).not.toContain('a thrown string');
    expect(log).toHaveBeenCalledOnce();
  });
});

describe('respondToLine', () => {
  it('runs a slash command typed on a line', async () => {
    const reply = await respondToLine('/echo text:hi there', withTestCommands);
    expect(reply.text).toBe('hi there from tester');
  });

  it('ignores surrounding whitespace and the case of the command name', async () => {
    const reply = await respondToLine('   /ECHO text:hi  ', withTestCommands);
    expect(reply.text).toBe('hi from tester');
  });

  it('logs a failing command typed on a line with its name', async () => {
    const log = vi.fn();
    const reply = await respondToLine('/boom', withTestCommands, log);
    expect(reply.ephemeral).toBe(true);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('/boom'), expect.any(Error));
  });

  it('answers an unknown command with an ephemeral suggestion', async () => {
    const log = vi.fn();
    const reply = await respondToLine('/denail actor:iran', context, log);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('Did you mean /denials?');
    expect(log).not.toHaveBeenCalled();
  });

  it('answers an unknown option with an ephemeral error naming it and actor', async () => {
    const reply = await respondToLine('/denials actr:russia', context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('Options: `actor`');
  });

  it('answers /denials colour:red by naming colour as no option of /denials, not as an unknown actor', async () => {
    const reply = await respondToLine('/denials colour:red', context);
    expect(reply).toMatchObject({
      text: '`colour` is not an option of /denials. Options: `actor`.',
      error: '`colour` is not an option of /denials. Options: `actor`.',
      found: false,
      citations: [],
      ephemeral: true,
    });
  });

  it('answers /denials actor: with what to type, and /denials russia still works', async () => {
    expect((await respondToLine('/denials actor:', context)).error).toBe(
      '`actor` needs a value, e.g. `/denials actor:russia`',
    );
    const russia = await respondToLine('/denials russia', context);
    expect(russia.error).toBeUndefined();
    expect(russia.found).toBe(true);
  });

  it('carries the error into the JSON form only when the command failed', async () => {
    const failed = replyToJson(await respondToLine('/denials colour:red', context));
    expect(failed).toMatchObject({ found: false, citations: [], error: expect.stringContaining('`colour`') });
    const answered = replyToJson(await respondToLine('Who does Russia prefer?', context));
    expect(answered).not.toHaveProperty('error');
  });

  it('sends a line without a slash to /ask', async () => {
    const viaText = await respondToLine('Who denied interfering?', context);
    const viaAsk = await respondToLine('/ask question:Who denied interfering?', context);
    expect(viaText).toEqual(viaAsk);
  });

  it('answers an empty line with the /ask usage error naming question', async () => {
    const reply = await respondToLine('   ', context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('`question` needs a value');
  });

  it('refuses to answer plain text when no /ask command is registered', async () => {
    await expect(respondToLine('hello', makeContext({ commands: [echo] }))).rejects.toThrow(/no \/ask command/);
  });
});
