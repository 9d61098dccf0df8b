/**
 * `npm run fit -- --cv` end to end on a handmade corpus: one line of cross-validated figures, and
 * the committed weights left as they are.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeData, makeSets, removeTempDirs } from '../eval/eval-data.ts';

afterAll(removeTempDirs);

const root = fileURLToPath(new URL('../..', import.meta.url));
const weightsFile = path.join(root, 'src', 'core', 'answer', 'weights.json');

describe('npm run fit -- --cv', () => {
  it('prints five-fold cross-validation inside the fit halves and writes nothing', () => {
    const before = fs.readFileSync(weightsFile, 'utf8');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/cli/fit.ts'), '--cv', '--data', makeData(), '--sets', makeSets()],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const m = /^cv\s+(\d+)\/(\d+) right \(first candidate right for (\d+)\).*utility (-?[\d.]+)$/.exec(lines[0] ?? '');
    expect(m, lines[0]).not.toBeNull();
    const [, right, n] = (m as RegExpExecArray).map(Number);
    expect(n).toBeGreaterThan(0);
    expect(right).toBeLessThanOrEqual(n as number);
    expect(fs.readFileSync(weightsFile, 'utf8')).toBe(before);
  });
});
