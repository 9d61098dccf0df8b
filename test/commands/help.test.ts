import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { command, line, MemorySubscriptions, makeContext, run } from './setup.ts';

describe('/help', () => {
  it('lists every command name with its example, ephemerally', async () => {
    const reply = await run('help');
    expect(reply.ephemeral).toBe(true);
    expect(reply.found).toBe(true);
    for (const c of commands) {
      const entry = reply.text.split('\n').find((l) => l.startsWith(`/${c.name} — `));
      expect(entry, `a line for /${c.name}`).toBeDefined();
      expect(entry).toContain(c.example);
    }
  });

  it('lists examples that are whole commands: each one runs its own command', async () => {
    const reply = await run('help');
    const ctx = makeContext({ subscriptions: new MemorySubscriptions() });
    for (const c of commands) {
      const shown = reply.text.split('\n').find((l) => l.startsWith(`/${c.name} — `)) ?? '';
      const example = shown.slice(shown.lastIndexOf(' e.g. ') + ' e.g. '.length);
      expect(example).toBe(c.example);
      const result = await line(example, ctx);
      expect(result.title, `${example} runs /${c.name}`).not.toMatch(/Cannot do that|Something went wrong/);
    }
  });

  it('says what the corpus covers', async () => {
    const reply = await run('help');
    expect(reply.text).toMatch(/I hold \d+ assessments/);
    for (const name of ['Russia', 'Iran', 'China']) expect(reply.text).toContain(name);
  });

  it('gives the details and options of one command (/help denials)', async () => {
    const denials = command('denials');
    const reply = await line('/help denials');
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('/denials');
    expect(reply.text).toContain(denials.description);
    expect(reply.text).toContain(denials.details);
    expect(reply.text).toContain('Options:');
    expect(reply.text).toMatch(/actor: \(optional\) Only denials by this actor/);
    expect(reply.text).toContain('Example: /denials actor:russia');
  });

  it('marks a required option as required (/help ask)', async () => {
    const reply = await run('help', { command: 'ask' });
    expect(reply.text).toMatch(/question: \(required\)/);
  });

  it('says a command without options has none (/help actors)', async () => {
    const reply = await run('help', { command: 'actors' });
    expect(reply.text).toContain('No options.');
  });

  it('accepts the name with a slash and in any case (/help /DENIALS)', async () => {
    expect(await line('/help /DENIALS')).toEqual(await line('/help denials'));
  });

  it('suggests /denials for a mistyped /help denail', async () => {
    const reply = await line('/help denail');
    expect(reply.ephemeral).toBe(true);
    expect(reply.found).toBe(false);
    expect(reply.text).toContain('There is no command /denail.');
    expect(reply.text).toContain('Did you mean /denials?');
  });

  it('suggests nothing for a name close to no command', async () => {
    const reply = await run('help', { command: 'weather' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('There is no command /weather.');
    expect(reply.text).not.toContain('Did you mean');
  });
});
