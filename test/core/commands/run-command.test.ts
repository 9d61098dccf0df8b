import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.ts';
import { defineCommand } from '../../../src/core/commands/define-command.ts';
import { respondToLine } from '../../../src/core/commands/respond.ts';
import { errorReply, runCommand } from '../../../src/core/commands/run-command.ts';
import { UserError } from '../../../src/core/errors.ts';
import { makeReply } from '../../../src/core/reply.ts';
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

  it('answers invalid options with an ephemeral error naming the option, its description and an example', async () => {
    const reply = await runCommand(echo, { text: 'x' }, context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toBe('/echo: option text needs two characters (What to repeat). Example: /echo text:hi');
  });

  it('turns an unexpected exception into a generic ephemeral reply and logs it with the command name', async () => {
    const log = vi.fn();
    const reply = await runCommand(boom, {}, context, log);
    expect(reply).toMatchObject({ title: 'Something went wrong', ephemeral: true, found: false, citations: [] });
    expect(reply.text).toContain('/boom failed on my side');
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

  it('turns a UserError into an ephemeral reply with its message, without logging', async () => {
    const log = vi.fn();
    const reply = await runCommand(refuse, {}, context, log);
    expect(reply).toMatchObject({ title: 'Cannot do that', text: 'That channel is archived.', ephemeral: true });
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

  it('answers an unknown option with an ephemeral error naming actor:', async () => {
    const reply = await respondToLine('/denials actr:russia', context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('actor:');
  });

  it('sends a line without a slash to /ask', async () => {
    const viaText = await respondToLine('Who denied interfering?', context);
    const viaAsk = await respondToLine('/ask question:Who denied interfering?', context);
    expect(viaText).toEqual(viaAsk);
  });

  it('answers an empty line with the /ask usage error naming question', async () => {
    const reply = await respondToLine('   ', context);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('option question');
  });

  it('refuses to answer plain text when no /ask command is registered', async () => {
    await expect(respondToLine('hello', makeContext({ commands: [echo] }))).rejects.toThrow(/no \/ask command/);
  });
});
