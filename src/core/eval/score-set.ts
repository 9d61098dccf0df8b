/**
 * Scores answers against a question set the way the outside checks do: `any` — the first
 * citation's paragraph contains one of the phrases; `all` — every phrase is in some citation;
 * `found: false` — nothing is cited. Phrases are compared with quotes and spaces normalised.
 */
import { z } from 'zod';
import type { Reply } from '../reply.ts';

export const evalCaseSchema = z.object({
  q: z.string(),
  any: z.array(z.string()).optional(),
  all: z.array(z.string()).optional(),
  found: z.literal(false).optional(),
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

const norm = (s: string) =>
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
    const text = reply.citations.map((x) => norm(x.text)).join(' \u0000 ');
    return c.all.every((p) => text.includes(norm(p)));
  }
  const top = norm(reply.citations[0]?.text ?? '');
  return (c.any ?? []).some((p) => top.includes(norm(p)));
}

/** One line describing a miss. */
export function describeMiss(c: EvalCase, reply: Reply): string {
  const got = reply.found ? (reply.citations[0]?.text ?? '').slice(0, 90) : 'not found';
  return `MISS ${c.q} -> ${got}`;
}
