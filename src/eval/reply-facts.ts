/**
 * Whether replies say what was asked, not only which paragraph they cite: each question of
 * `eval/replies/*.jsonl` names one fact, a short phrase copied from the paragraph that answers
 * ("September 27, 2024", "E.O. 13848", "not credible"), and a reply passes when its `text` holds
 * it. A question marked `found: false` asks for a detail the documents do not give; it passes
 * when the reply says not found and cites nothing. Asked of the suites' own corpora (`corpus`
 * picks the shipped one or the one with the unseen documents ingested), split into the same fit
 * and check halves as every other set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AnswerFn } from './answer-line.ts';
import { EvalSetupError } from './eval-setup-error.ts';
import { normalizePhrase } from './score-set.ts';
import { type Half, halfOf } from './split-half.ts';
import type { PreparedSuites, SuiteKind } from './suites.ts';

const factCaseSchema = z
  .object({
    q: z.string().min(1),
    kind: z.string().min(1),
    corpus: z.enum(['shipped', 'unseen']),
    doc: z.string().optional(),
    fact: z.string().min(1).optional(),
    found: z.literal(false).optional(),
    why: z.string().optional(),
  })
  .refine((c) => (c.found === false) !== (c.fact !== undefined), {
    message: 'needs a "fact", or "found": false',
  });

export type FactCase = z.infer<typeof factCaseSchema>;

/** What a reply did with a question: `holds` or `refused` pass (see the module comment). */
export type FactOutcome = 'holds' | 'lacks' | 'not-found' | 'refused' | 'answered';

export interface FactResult extends FactCase {
  half: Half;
  outcome: FactOutcome;
}

/** Per half, per kind of question: passed and asked. */
export type FactTally = Record<Half, Record<string, { passed: number; n: number }>>;

/** Reads every `*.jsonl` of a directory; a line that does not parse throws, naming it. */
export function readFactCases(dir: string): FactCase[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => [line.trim(), i + 1] as const)
        .filter(([line]) => line)
        .map(([line, n]) => {
          const parsed = factCaseSchema.safeParse(safeJson(line));
          if (!parsed.success) {
            throw new EvalSetupError(`eval: ${f} line ${n}: ${parsed.error.issues[0]?.message ?? 'not a question'}`);
          }
          return parsed.data;
        }),
    );
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Asks each question of the corpus it is about and judges the reply. Questions about a corpus that
 * was not prepared (no unseen documents) are left out.
 */
export function scoreFactCases(prepared: PreparedSuites, answerFn: AnswerFn, cases: readonly FactCase[]): FactResult[] {
  const engineOf = (kind: SuiteKind) => prepared.suites.find((s) => s.kind === kind)?.engine;
  const results: FactResult[] = [];
  for (const c of cases) {
    const engine = engineOf(c.corpus);
    if (!engine) continue;
    const reply = answerFn(engine, c.q);
    const answered = reply.found || reply.citations.length > 0;
    let outcome: FactOutcome;
    if (c.found === false) outcome = answered ? 'answered' : 'refused';
    else if (!reply.found) outcome = 'not-found';
    else outcome = normalizePhrase(reply.text).includes(normalizePhrase(c.fact ?? '')) ? 'holds' : 'lacks';
    results.push({ ...c, half: halfOf(c.q), outcome });
  }
  return results;
}

/** Whether a reply passed: it holds the fact, or says not found to a detail not given. */
export function factPassed(r: Pick<FactResult, 'outcome'>): boolean {
  return r.outcome === 'holds' || r.outcome === 'refused';
}

/** Passed and asked, per half and kind, and over all kinds (`all`). */
export function tallyFacts(results: readonly FactResult[]): FactTally {
  const tally: FactTally = { fit: {}, check: {} };
  for (const r of results) {
    for (const kind of [r.kind, 'all']) {
      const cell = tally[r.half][kind] ?? { passed: 0, n: 0 };
      cell.n++;
      if (factPassed(r)) cell.passed++;
      tally[r.half][kind] = cell;
    }
  }
  return tally;
}

/** The tally as report lines: one per kind, fit and check side by side. */
export function formatFactTally(tally: FactTally): string[] {
  const kinds = [...new Set([...Object.keys(tally.fit), ...Object.keys(tally.check)])]
    .filter((k) => k !== 'all')
    .sort();
  const cell = (half: Half, kind: string) => {
    const c = tally[half][kind];
    return c ? `${c.passed}/${c.n}` : '-';
  };
  return [
    'replies: the reply text holds the fact asked (a detail not given: not found, nothing cited)',
    `${'kind'.padEnd(12)} ${'fit'.padStart(7)} ${'check'.padStart(7)}`,
    ...[...kinds, 'all'].map((k) => `${k.padEnd(12)} ${cell('fit', k).padStart(7)} ${cell('check', k).padStart(7)}`),
  ];
}
