/**
 * Reply facts: a reply passes when its text holds the fact asked, or, for a detail the documents
 * do not give, when it says not found and cites nothing; asked of the corpus each question names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/eval/answer-line.ts';
import { EvalSetupError } from '../../src/eval/eval-setup-error.ts';
import { formatFactTally, readFactCases, scoreFactCases, tallyFacts } from '../../src/eval/reply-facts.ts';
import { halfOf } from '../../src/eval/split-half.ts';
import { prepareSuites } from '../../src/eval/suites.ts';
import { makeData, makeSets, removeTempDirs, tempDir } from './eval-data.ts';

afterAll(removeTempDirs);

const CASES = [
  { q: 'Where were the stolen emails leaked?', kind: 'place', corpus: 'shipped', fact: 'reporters in Ohio' },
  { q: 'Where were the stolen emails leaked?', kind: 'wrong', corpus: 'shipped', fact: 'a lighthouse' },
  { q: 'Who rules Jupiter?', kind: 'missing', corpus: 'shipped', found: false },
  { q: 'What did the envelopes carry?', kind: 'thing', corpus: 'unseen', fact: 'watermark of a lighthouse' },
];

function writeCases(lines: string[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'questions.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

describe('reply facts', () => {
  const prepared = prepareSuites({ dataDir: makeData(), setsDir: makeSets({ unseen: true }) });

  it('asks each question of its corpus and judges the reply text', () => {
    const cases = readFactCases(writeCases(CASES.map((c) => JSON.stringify(c))));
    const results = scoreFactCases(prepared, answerQuestion, cases);
    expect(results.map((r) => [r.kind, r.outcome])).toEqual([
      ['place', 'holds'],
      ['wrong', 'lacks'],
      ['missing', 'refused'],
      ['thing', 'holds'],
    ]);
    const tally = tallyFacts(results);
    const all = [tally.fit.all, tally.check.all];
    expect(all.reduce((s, c) => s + (c?.n ?? 0), 0)).toBe(4);
    expect(all.reduce((s, c) => s + (c?.passed ?? 0), 0)).toBe(3);
    expect(tally[halfOf(CASES[1]?.q ?? '')].wrong).toEqual({ passed: 0, n: 1 });
    expect(formatFactTally(tally).at(-1)).toMatch(/^all /);
  });

  it('leaves out questions about a corpus that was not prepared', () => {
    const shippedOnly = prepareSuites({ dataDir: makeData(), setsDir: makeSets() });
    const cases = readFactCases(writeCases(CASES.map((c) => JSON.stringify(c))));
    expect(scoreFactCases(shippedOnly, answerQuestion, cases).map((r) => r.kind)).toEqual([
      'place',
      'wrong',
      'missing',
    ]);
  });

  it('rejects a line without a fact or "found": false, naming the file and line', () => {
    const dir = writeCases([JSON.stringify(CASES[0]), JSON.stringify({ q: 'x', kind: 'date', corpus: 'shipped' })]);
    expect(() => readFactCases(dir)).toThrow(EvalSetupError);
    expect(() => readFactCases(dir)).toThrow(/questions\.jsonl line 2: needs a "fact"/);
    expect(() => readFactCases(writeCases(['{not json']))).toThrow(/line 1/);
  });

  it('reads nothing from a directory that is not there', () => {
    expect(readFactCases(path.join(tempDir(), 'absent'))).toEqual([]);
  });
});
