/**
 * Scores answers against a question set the way the outside checks do: `any` — the first
 * citation's paragraph contains one of the phrases; `all` — every phrase is in some citation;
 * `found: false` — nothing is cited. Phrases are compared with quotes and spaces normalised.
 * `source` (a shipped source id) or `doc` (an unseen document's file name) and `paragraph` say which
 * paragraph answers; they choose which questions a leave-one-source-out run asks, never the score.
 */
import { z } from 'zod';
import type { Reply } from '../core/reply.ts';

export const evalCaseSchema = z
  .object({
    q: z.string(),
    any: z.array(z.string()).optional(),
    all: z.array(z.string()).optional(),
    found: z.literal(false).optional(),
    source: z.string().optional(),
    doc: z.string().optional(),
    paragraph: z.number().int().positive().optional(),
  })
  .refine((c) => c.found === false || (c.any?.length ?? 0) > 0 || (c.all?.length ?? 0) > 0, {
    message: 'needs "any", "all" or "found": false',
  });
export type EvalCase = z.infer<typeof evalCaseSchema>;

/** Parses a JSONL question set; throws naming the line that is wrong. */
export function parseEvalSet(text: string, file = 'set'): EvalCase[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line)
    .map(([line, n]) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw new Error(`eval: ${file}:${n}: not JSON: ${(e as Error).message}`);
      }
      const parsed = evalCaseSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`eval: ${file}:${n}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

/**
 * Text as the scorer compares it: lower case, curly quotes straightened, runs of space made one.
 *
 * @example normalizePhrase('Russia’s  Preference') // "russia's preference"
 */
export const normalizePhrase = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether a reply passes a case. */
export function passes(c: EvalCase, reply: Reply): boolean {
  if (c.found === false) return !reply.found && reply.citations.length === 0;
  if (!reply.found) return false;
  if (c.all) {
    const text = reply.citations.map((x) => normalizePhrase(x.text)).join(' \u0000 ');
    return c.all.every((p) => text.includes(normalizePhrase(p)));
  }
  const top = normalizePhrase(reply.citations[0]?.text ?? '');
  return (c.any ?? []).some((p) => top.includes(normalizePhrase(p)));
}

/**
 * What a reply did with a case:
 * - `right`: an answerable question got the paragraph the case asks for;
 * - `right-not-found`: an unanswerable question got "not found" and no citation;
 * - `wrong-paragraph`: an answerable question got an answer citing the wrong paragraph;
 * - `wrongly-not-found`: an answerable question got "not found";
 * - `wrongly-answered`: an unanswerable question got an answer (or a citation).
 */
export type Outcome = 'right' | 'right-not-found' | 'wrong-paragraph' | 'wrongly-not-found' | 'wrongly-answered';

/**
 * The outcome of a reply to a case, by the rules of `passes`.
 *
 * @example outcomeOf({ q: 'Who rules Mars?', found: false }, reply) // 'right-not-found' when nothing is cited
 */
export function outcomeOf(c: EvalCase, reply: Reply): Outcome {
  const pass = passes(c, reply);
  if (c.found === false) return pass ? 'right-not-found' : 'wrongly-answered';
  if (pass) return 'right';
  return reply.found ? 'wrong-paragraph' : 'wrongly-not-found';
}

/** One line describing a miss. */
export function describeMiss(c: EvalCase, reply: Reply): string {
  const got = reply.found ? (reply.citations[0]?.text ?? '').slice(0, 90) : 'not found';
  return `MISS ${c.q} -> ${got}`;
}
