import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { explainIssue, type Issue, valueAt } from '../../src/core/explain-issues.ts';

/** The first issue zod raises for `value`. */
function issueOf(schema: z.ZodType, value: unknown): Issue {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('test: expected the value to fail');
  return r.error.issues[0] as Issue;
}

const ZOD_WORDING = /Too small|Too big|Invalid input|expected (number|string|int)|received|>=|<=/;

describe('explainIssue', () => {
  it('says what a good value is and what was given, with the caller’s wording when there is one', () => {
    const port = z.coerce.number().int().min(1).max(65535);
    const expects = 'a port number (1–65535)';
    expect(explainIssue(issueOf(port, 'abc'), { name: 'SLACK_PORT', value: 'abc', expects })).toBe(
      'SLACK_PORT must be a port number (1–65535), got "abc"',
    );
    expect(explainIssue(issueOf(port, '70000'), { name: 'SLACK_PORT', value: '70000', expects })).toBe(
      'SLACK_PORT must be a port number (1–65535), got "70000"',
    );
  });

  it('words each common zod check plainly, never in zod’s own terms', () => {
    const cases: [z.ZodType, unknown, string][] = [
      [z.coerce.number(), 'abc', 'n must be a number, got "abc"'],
      [z.number().int(), 1.5, 'n must be a whole number, got "1.5"'],
      [z.number().min(1), 0, 'n must be at least 1, got "0"'],
      [z.number().max(9), 10, 'n must be at most 9, got "10"'],
      [z.string().min(3), 'ab', 'n must be at least 3 characters long, got "ab"'],
      [z.string().max(2), 'abc', 'n must be at most 2 characters long, got "abc"'],
      [z.url(), 'nope', 'n must be a URL, e.g. https://example.org/, got "nope"'],
      [z.enum(['news', 'official']), 'blog', 'n must be one of "news", "official", got "blog"'],
      [z.string().startsWith('xoxb-'), 'abc', 'n must start with "xoxb-", got "abc"'],
      [z.string().regex(/^\d+$/), 'x1', 'n is not in the expected form, got "x1"'],
    ];
    for (const [schema, value, expected] of cases) {
      const text = explainIssue(issueOf(schema, value), { name: 'n', value });
      expect(text).toBe(expected);
      expect(text).not.toMatch(ZOD_WORDING);
    }
  });

  it('keeps a message the schema’s author wrote', () => {
    const id = z.string().regex(/^\d+$/, 'must be the numeric application id');
    expect(explainIssue(issueOf(id, 'abc'), { name: 'DISCORD_APPLICATION_ID', value: 'abc' })).toBe(
      'DISCORD_APPLICATION_ID must be the numeric application id, got "abc"',
    );
  });

  it('says a missing or blank value needs one, with the example', () => {
    const actor = z.string().trim().min(1).optional();
    expect(
      explainIssue(issueOf(actor, '  '), { name: '`actor`', value: '  ', example: '`/denials actor:russia`' }),
    ).toBe('`actor` needs a value, e.g. `/denials actor:russia`');
    expect(explainIssue(issueOf(z.string(), undefined), { name: '`question`' })).toBe('`question` needs a value');
  });

  it('never repeats a secret’s value, whether marked or named …TOKEN / …SECRET', () => {
    const token = z.string().startsWith('xoxb-');
    const issue = issueOf(token, 'xoxp-hunter2');
    for (const subject of [
      { name: 'SLACK_BOT_TOKEN', value: 'xoxp-hunter2' },
      { name: 'SLACK_SIGNING_SECRET', value: 'xoxp-hunter2' },
      { name: 'password', value: 'xoxp-hunter2', secret: true },
    ]) {
      const text = explainIssue(issue, subject);
      expect(text).not.toContain('hunter2');
      expect(text).toContain('the value is not shown');
      expect(text.startsWith(`${subject.name} must start with "xoxb-"`)).toBe(true);
    }
  });

  it('shortens a long value', () => {
    const long = 'x'.repeat(500);
    const text = explainIssue(issueOf(z.string().max(3), long), { name: 'n', value: long });
    expect(text.length).toBeLessThan(120);
    expect(text).toContain('…');
  });
});

describe('valueAt', () => {
  it('finds the value along the issue’s path', () => {
    expect(valueAt({ actor: '' }, { path: ['actor'] })).toBe('');
    expect(valueAt({ a: { b: 2 } }, { path: ['a', 'b'] })).toBe(2);
    expect(valueAt({}, { path: ['a', 'b'] })).toBeUndefined();
  });
});
