/**
 * A fixed split of every question set into a half to tune on (`fit`) and a half only to check
 * (`check`). The half depends on the question's wording alone, so a question keeps its half when
 * sets are reordered, merged or grow, and the same question asked in two runs (a set and the
 * leave-one-source-out run) lands in the same half in both.
 */
import { createHash } from 'node:crypto';

/** `fit`: weights may be chosen by their score here. `check`: only ever reported. */
export type Half = 'fit' | 'check';

/**
 * The question as the split sees it: Unicode-normalised, lower case, curly quotes straightened,
 * spaces collapsed, so that a reformatted copy of a question stays in its half.
 *
 * @example normalizeQuestion('  Who is  Moscow’s pick? ') // "who is moscow's pick?"
 */
export function normalizeQuestion(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The half of a question: the parity of the first byte of the SHA-1 of its normalised text
 * (even → fit, odd → check).
 *
 * @example halfOf('What does Russia want in the 2024 election?') // 'fit' or 'check', always the same
 */
export function halfOf(q: string): Half {
  const first = createHash('sha1').update(normalizeQuestion(q), 'utf8').digest()[0] as number;
  return first % 2 === 0 ? 'fit' : 'check';
}
