import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.ts';
import { defineCommand } from '../../../src/core/commands/define-command.ts';
import {
  optionNames,
  optionRequired,
  parseCommandLine,
  parseOptionText,
  suggestCommand,
} from '../../../src/core/commands/run-command.ts';
import { UserError } from '../../../src/core/errors.ts';
import { makeReply } from '../../../src/core/reply.ts';

const byName = (name: string) => commands.find((c) => c.name === name)!;
const ask = byName('ask');
const denials = byName('denials');

/** Two options, to check how pairs split. */
const pair = defineCommand({
  name: 'pair',
  description: 'Two options.',
  options: z.object({
    first: z.string().describe('The first'),
    second: z.string().optional().describe('The second'),
  }),
  example: '/pair first:a second:b',
  run: () => makeReply({ text: '' }),
});

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseOptionText', () => {
  it('reads name:value pairs', () => {
    expect(parseOptionText(pair, 'first:one two second:three')).toEqual({ first: 'one two', second: 'three' });
    expect(parseOptionText(pair, 'second:b first:a')).toEqual({ first: 'a', second: 'b' });
  });

  it('gives leading free text to the first option', () => {
    expect(parseOptionText(denials, 'russia')).toEqual({ actor: 'russia' });
    expect(parseOptionText(ask, 'who is Moscow backing?')).toEqual({ question: 'who is Moscow backing?' });
    expect(parseOptionText(pair, 'lead words second:x')).toEqual({ first: 'lead words', second: 'x' });
  });

  it('keeps a colon inside a value that is not an option name (question:what time: now)', () => {
    expect(parseOptionText(ask, 'question:what time: now')).toEqual({ question: 'what time: now' });
    expect(parseOptionText(ask, 'what time: now')).toEqual({ question: 'what time: now' });
  });

  it('does not take an option name inside a word (factor: is not actor:)', () => {
    expect(parseOptionText(denials, 'actor:russia refactor:x')).toEqual({ actor: 'russia refactor:x' });
  });

  it('reads option names in any case', () => {
    expect(parseOptionText(denials, 'ACTOR:iran')).toEqual({ actor: 'iran' });
  });

  it('returns no options for empty text', () => {
    expect(parseOptionText(denials, '   ')).toEqual({});
  });

  it('rejects a mistyped option, naming the ones the command has (actr: → actor)', () => {
    const message = '`actr` is not an option of /denials. Options: `actor`.';
    expect(userError(() => parseOptionText(denials, 'actr:russia')).message).toBe(message);
    expect(userError(() => parseOptionText(denials, 'actr: russia')).message).toBe(message);
  });

  it('names an unknown option as such instead of reading it as a value (/denials colour:red)', () => {
    expect(userError(() => parseOptionText(denials, 'colour:red')).message).toBe(
      '`colour` is not an option of /denials. Options: `actor`.',
    );
    expect(userError(() => parseOptionText(pair, 'third:x')).message).toBe(
      '`third` is not an option of /pair. Options: `first`, `second`.',
    );
    expect(userError(() => parseOptionText(byName('actors'), 'colour:red')).message).toBe(
      '`colour` is not an option of /actors, which takes no options.',
    );
  });

  it('still reads "Word: text" and a leading link as free text', () => {
    expect(parseOptionText(ask, 'Russia: what does it want?')).toEqual({ question: 'Russia: what does it want?' });
    expect(parseOptionText(ask, 'https://example.org says what?')).toEqual({
      question: 'https://example.org says what?',
    });
  });

  it('gives an option named with nothing after it an empty value, for validation to refuse', () => {
    expect(parseOptionText(denials, 'actor:')).toEqual({ actor: '' });
  });

  it('rejects free text for a command without options', () => {
    expect(userError(() => parseOptionText(byName('actors'), 'now')).message).toContain('takes no options');
  });

  it('gives any value after question: back trimmed, when it names no option itself', () => {
    const value = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((v) => !/(^|\s)question:/i.test(v));
    fc.assert(
      fc.property(value, (v) => {
        expect(parseOptionText(ask, `question:${v}`)).toEqual({ question: v.trim() });
      }),
    );
  });
});

describe('parseCommandLine', () => {
  it('finds the command and its options', () => {
    const { command, options } = parseCommandLine('/denials actor:iran', commands);
    expect(command).toBe(denials);
    expect(options).toEqual({ actor: 'iran' });
  });

  it('keeps "what time: now" whole as the question of /ask', () => {
    expect(parseCommandLine('/ask question:what time: now', commands).options).toEqual({ question: 'what time: now' });
  });

  it('reads command names in any case', () => {
    expect(parseCommandLine('/DENIALS actor:russia', commands).command).toBe(denials);
    expect(parseCommandLine('/Help', commands).command.name).toBe('help');
  });

  it('reads options given on several lines', () => {
    expect(parseCommandLine('/ask\nquestion:who\ndenied it?', commands).options).toEqual({
      question: 'who\ndenied it?',
    });
  });

  it('rejects an unknown option with a UserError naming it and actor', () => {
    const error = userError(() => parseCommandLine('/denials actr:russia', commands));
    expect(error.message).toBe('`actr` is not an option of /denials. Options: `actor`.');
  });

  it('suggests the nearest command for a typo (/denail → /denials)', () => {
    const error = userError(() => parseCommandLine('/denail', commands));
    expect(error.message).toContain('There is no command /denail.');
    expect(error.message).toContain('Did you mean /denials?');
  });

  it('suggests a command from a prefix (/sub → a subscription command)', () => {
    expect(userError(() => parseCommandLine('/subscr', commands)).message).toContain('Did you mean /subscri');
  });

  it('points to /help when no command is close', () => {
    const error = userError(() => parseCommandLine('/weather today', commands));
    expect(error.message).not.toContain('Did you mean');
    expect(error.message).toContain('Try /help');
  });
});

describe('command definitions', () => {
  it('suggestCommand finds the command one or two edits away', () => {
    expect(suggestCommand('serch', commands)?.name).toBe('search');
    expect(suggestCommand('actrs', commands)?.name).toBe('actors');
    expect(suggestCommand('zzzzzz', commands)).toBeUndefined();
  });

  it('every registered command has a valid unique name, an example starting with it, and described options', () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    for (const c of commands) {
      expect(c.example.startsWith(`/${c.name}`)).toBe(true);
      for (const n of optionNames(c)) {
        expect(c.options.shape[n].description, `/${c.name} ${n}:`).toBeTruthy();
      }
    }
  });

  it('knows which options are required', () => {
    expect(optionRequired(ask, 'question')).toBe(true);
    expect(optionRequired(denials, 'actor')).toBe(false);
    expect(optionRequired(denials, 'nope')).toBe(false);
  });

  it('defineCommand rejects a name that no platform accepts', () => {
    const bad = { description: 'x', options: z.object({}), example: '/x', run: () => makeReply({ text: '' }) };
    expect(() => defineCommand({ ...bad, name: 'Bad Name' })).toThrow(/invalid command name "Bad Name"/);
    expect(() => defineCommand({ ...bad, name: 'a'.repeat(33) })).toThrow(/invalid command name/);
  });
});

describe('option text that looks like options', () => {
  const parse = (line: string) => parseCommandLine(line, commands).options;

  it('keeps a repeated option name inside the value', () => {
    expect(parse('/ask question:what is the question: of Russia')).toEqual({
      question: 'what is the question: of Russia',
    });
    expect(parse('/search words:ballot words: video')).toEqual({ words: 'ballot words: video' });
  });

  it('reads a question that starts with "Word:" as the question', () => {
    expect(parse('/ask Russia: what does it want?')).toEqual({ question: 'Russia: what does it want?' });
  });

  it('still refuses a mistyped option name', () => {
    expect(() => parse('/denials actr:russia')).toThrow(/Options: `actor`/);
  });
});
