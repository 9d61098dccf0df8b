/**
 * zod issues in the user's words. zod's own messages ("Too small: expected string to have >=1
 * characters", "expected number, received NaN") describe the schema, not the fix; everything that
 * shows a validation failure to a person (configuration, command options) goes through
 * `explainIssue` instead.
 *
 * Goals: one short phrase that names the thing, says what a good value looks like, and shows what
 * was given, except for secrets. Non-goals: translating every zod check; an issue not covered
 * says only that the value "is not valid".
 */
import { z } from 'zod';

/** What an issue is about, as the reader knows it. */
export interface IssueSubject {
  /** How the reader names it, already formatted: `SLACK_PORT`, "`actor`". */
  name: string;
  /** The value that was given; undefined when none was. */
  value?: unknown;
  /** Never repeat the value. Names matching TOKEN or SECRET are always treated as secret. */
  secret?: boolean;
  /** What a good value is, in words, replacing the generic wording: `a port number (1–65535)`. */
  expects?: string;
  /** A valid use, offered when the value is missing: `/denials actor:russia`. */
  example?: string;
}

/** A zod issue (the elements of `ZodError.issues`). */
export type Issue = z.core.$ZodIssue;

const SECRET_NAME = /TOKEN|SECRET/i;
/** zod's default wording starts like this; such text is never shown. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected|Required)\b/;
const english = z.locales.en();
const MAX_SHOWN = 60;

/** The message zod would have written itself, to tell it from one the schema's author wrote. */
function defaultMessage(issue: Issue, value: unknown): string | undefined {
  const m = english.localeError?.({ ...issue, input: value } as never);
  return typeof m === 'string' ? m : m?.message;
}

/** The schema author's own message (`must be the numeric application id`), if the issue has one. */
function authoredMessage(issue: Issue, value: unknown): string | undefined {
  const m = issue.message.trim();
  if (!m || ZOD_WORDING.test(m) || m === defaultMessage(issue, value)) return undefined;
  return m;
}

function plural(n: number | bigint, one: string, many: string): string {
  return `${n} ${Number(n) === 1 ? one : many}`;
}

/** The generic wording for an issue zod raised itself. */
function genericWording(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'string') return 'must be text';
      if (issue.expected === 'boolean') return 'must be true or false';
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small': {
      const n = issue.minimum;
      if (issue.origin === 'string') return `must be at least ${plural(n, 'character', 'characters')} long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${plural(n, 'item', 'items')}`;
      return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`;
    }
    case 'too_big': {
      const n = issue.maximum;
      if (issue.origin === 'string') return `must be at most ${plural(n, 'character', 'characters')} long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `takes at most ${plural(n, 'item', 'items')}`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'must be a URL, e.g. https://example.org/';
      if (issue.format === 'email') return 'must be an email address';
      if (issue.format === 'starts_with') return `must start with "${(issue as { prefix?: string }).prefix ?? ''}"`;
      if (issue.format === 'ends_with') return `must end with "${(issue as { suffix?: string }).suffix ?? ''}"`;
      if (issue.format === 'regex') return 'is not in the expected form';
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `"${String(v)}"`).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.join(', ')}`;
    default:
      return 'is not valid';
  }
}

/** The value as the reader typed it, quoted and shortened. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text);
}

/**
 * One issue as a phrase that starts with the subject's name. A missing or blank value "needs a
 * value"; otherwise the schema author's own message is kept, then `subject.expects`, then a plain
 * wording of the zod check; the value given follows, unless it is a secret.
 *
 * @example explainIssue(issue, { name: 'SLACK_PORT', value: 'abc', expects: 'a port number (1–65535)' })
 * // 'SLACK_PORT must be a port number (1–65535), got "abc"'
 * @example explainIssue(issue, { name: '`actor`', value: '', example: '/denials actor:russia' })
 * // '`actor` needs a value, e.g. /denials actor:russia'
 * @example explainIssue(issue, { name: 'SLACK_BOT_TOKEN', value: 'xoxb-…' })
 * // 'SLACK_BOT_TOKEN must be at least 10 characters long (the value is not shown)'
 */
export function explainIssue(issue: Issue, subject: IssueSubject): string {
  const { name, value } = subject;
  const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (blank) return `${name} needs a value${subject.example ? `, e.g. ${subject.example}` : ''}`;
  const wording =
    authoredMessage(issue, value) ?? (subject.expects ? `must be ${subject.expects}` : genericWording(issue));
  const secret = subject.secret ?? SECRET_NAME.test(name);
  return `${name} ${wording}${secret ? ' (the value is not shown)' : `, got ${shown(value)}`}`;
}

/**
 * The value an issue is about, found along its path in what was validated.
 *
 * @example valueAt({ actor: '' }, issue) // '' for an issue with path ['actor']
 */
export function valueAt(input: unknown, issue: Pick<Issue, 'path'>): unknown {
  let v = input;
  for (const key of issue.path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
