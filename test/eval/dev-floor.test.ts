/**
 * A floor under the dev set, far below the figures when it was written (dev 27-28/30 right; its
 * leave-one-source-out run 23/26), to
 * catch a collapse, not to fit to: evaluation figures are reported by `npm run eval`, not asserted.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreSuites } from '../../src/eval/score-suites.ts';
import { prepareSuites } from '../../src/eval/suites.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the dev set', () => {
  const prepared = prepareSuites({ dataDir: `${root}data`, setsDir: `${root}eval` });
  const report = scoreSuites(prepared);
  const dev = report.rows.find((r) => r.label === 'dev')?.halves.all;
  const cold = report.rows.find((r) => r.label === 'cold')?.halves.all;

  it('gets at least half its questions right, every citation verbatim', () => {
    expect(dev?.bot.n).toBe(30);
    expect(dev?.bot.right).toBeGreaterThanOrEqual(15);
    expect(dev?.bot.broken).toBe(0);
  });

  it('still answers a third of its questions when their source is ingested as a new document', () => {
    expect(cold?.bot.n).toBeGreaterThanOrEqual(20);
    expect(cold?.bot.right).toBeGreaterThanOrEqual(Math.ceil((cold?.bot.n ?? 0) / 3));
    expect(cold?.bot.broken).toBe(0);
  });
});
