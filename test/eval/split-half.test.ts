import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvalSet } from '../../src/eval/score-set.ts';
import { halfOf, normalizeQuestion } from '../../src/eval/split-half.ts';

const devFile = fileURLToPath(new URL('../../eval/dev.jsonl', import.meta.url));

describe('halfOf', () => {
  it('puts a question in the same half every time, whatever its case and spacing', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (q) => {
        const again = `  ${q.toUpperCase().replace(/ /g, '\t ')} `;
        expect(halfOf(q)).toBe(halfOf(q));
        if (normalizeQuestion(again) === normalizeQuestion(q)) expect(halfOf(again)).toBe(halfOf(q));
      }),
    );
    expect(halfOf('Has Iran’s preference changed?')).toBe(halfOf("has iran's  preference changed?"));
  });

  it('keeps the halves already reported: the hash and its reading do not drift', () => {
    // If this fails, the split changed and every figure reported so far was split differently.
    expect(
      [
        'What does Russia want in the 2024 election?',
        'Which candidate does Tehran oppose?',
        "Has Iran's preference changed since 2020?",
      ].map(halfOf),
    ).toEqual(['fit', 'check', 'check']);
  });

  it('splits questions about half and half', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `Question number ${i} about the election?`);
    const fit = many.filter((q) => halfOf(q) === 'fit').length;
    expect(fit).toBeGreaterThan(900);
    expect(fit).toBeLessThan(1100);
    const dev = parseEvalSet(fs.readFileSync(devFile, 'utf8')).map((c) => halfOf(c.q));
    expect(dev.filter((h) => h === 'fit').length).toBeGreaterThanOrEqual(8);
    expect(dev.filter((h) => h === 'check').length).toBeGreaterThanOrEqual(8);
  });
});
