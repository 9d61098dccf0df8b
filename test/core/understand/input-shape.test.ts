import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { inputProblem } from '../../../src/core/understand/input-shape.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));

describe('input that carries no question gets no citation', () => {
  it.each([
    'b',
    'x',
    'c',
    'd',
    'u',
    'E',
    '?',
    '…',
    'quit',
    'exit',
    '/quit',
    'EXIT',
    ' bye ',
    'zzqx vlorp',
    '\u0000\u0001abc',
  ])('%j is turned away with a hint', (input) => {
    const r = answer(engine, input);
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text.length).toBeGreaterThan(10);
  });

  it('a real question, or an actor named with a typo, passes the shape check', () => {
    for (const q of ['Who does Russia prefer?', 'Rusia?', 'Did Iran hack the Trump campaign?', 'denials'])
      expect(inputProblem(q, engine), q).toBeUndefined();
  });

  it('random bytes never get a citation and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4000 }), (bytes) => {
        const r = answer(engine, Buffer.from(bytes).toString('utf8'));
        expect(r.citations).toEqual([]);
      }),
      { numRuns: 60, seed: 17 },
    );
  });

  it('single tokens of random letters or symbols never get a citation', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 2, unit: 'grapheme' }), (token) => {
        expect(answer(engine, token).citations).toEqual([]);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('arbitrary unicode up to 10,000 characters never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10_000, unit: 'binary' }), (text) => {
        const r = answer(engine, text);
        expect(typeof r.found).toBe('boolean');
        if (r.found) for (const c of r.citations) expect(c.text.length).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
