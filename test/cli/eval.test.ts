/**
 * `npm run eval` end to end on a handmade corpus: the table, the final JSON line, exit 0 whatever
 * the score, and exit 2 with one line on stderr for a usage or data error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { halfOf } from '../../src/eval/split-half.ts';
import { makeData, makeSets, removeTempDirs, snapshot } from '../eval/eval-data.ts';

afterAll(removeTempDirs);

const root = fileURLToPath(new URL('../..', import.meta.url));

function evalCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/eval.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run eval', () => {
  it('prints a row per set and half, the cold run, precision and recall, and the figures as JSON', () => {
    const dataDir = makeData();
    const before = snapshot(dataDir);
    const r = evalCli(['--data', dataDir, '--sets', makeSets({ unseen: true })]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.some((l) => /^dev\s+(fit|check)\s+\d/.test(l))).toBe(true);
    expect(lines.some((l) => /^unseen\/questions\s+(fit|check)\s+\d/.test(l))).toBe(true);
    expect(lines.some((l) => /^cold\s+(fit|check)\s+\d/.test(l))).toBe(true);
    expect(lines.some((l) => /^unseen\s+(fit|check)\s+\d+\s+(\d+%|–)/.test(l))).toBe(true);
    const figures = JSON.parse(lines.at(-1) as string);
    expect(figures.eval.sets.dev.all).toMatchObject({ n: 4, bm25: { n: 4, right: 3 } });
    expect(figures.eval.sets.cold.all.n).toBe(3);
    expect(figures.eval.groups.unseen.all.n).toBe(2);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('lists the misses of the fit half only when asked', () => {
    const r = evalCli(['--data', makeData(), '--sets', makeSets(), '--misses', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ misses in the fit half of all \(the check half is not listed\)/);
    const misses = r.stdout.split('\n').filter((l) => l.startsWith('MISS '));
    expect(misses.every((l) => l.startsWith('MISS fit '))).toBe(true);
  });

  it('lists the misses of a held-out set only when that set is named', () => {
    const sets = makeSets();
    // Questions whose expected phrase is nowhere, so each one in the fit half is a miss.
    const questions = ['Who made the bulletins?', 'Who made the counterfeit bulletins?', 'Who sent the bulletins?']
      .concat(['Who forged the weather bulletins?', 'Which bulletins were counterfeit?'])
      .filter((q) => halfOf(q) === 'fit');
    expect(questions.length).toBeGreaterThan(0);
    fs.writeFileSync(
      path.join(sets, 'held-out-dev.jsonl'),
      questions.map((q) => JSON.stringify({ q, any: ['a phrase no paragraph holds'] })).join('\n'),
    );
    const held = (args: string[]) =>
      evalCli(['--data', makeData(), '--sets', sets, ...args])
        .stdout.split('\n')
        .filter((l) => l.startsWith('MISS ') && l.includes('held-out-dev'));
    expect(held(['--misses', 'all'])).toEqual([]);
    expect(held(['--misses', 'held-out-dev'])).toHaveLength(questions.length);
  });

  it('prints only the JSON line with --json', () => {
    const r = evalCli(['--data', makeData(), '--sets', makeSets(), '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).eval.sets.dev.all.n).toBe(4);
  });

  it('exits 2 with one line on stderr for an argument or option it does not take', () => {
    const r = evalCli(['--data', makeData(), 'dev.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('eval: unexpected argument "dev.jsonl"')]);
    const flag = evalCli(['--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^eval: .*--bogus/)]);
  });

  it('exits 2 when the data does not load (a line for it, one for each problem) or the sets are missing', () => {
    const broken = makeData();
    fs.writeFileSync(path.join(broken, 'actors.json'), '{');
    const bad = evalCli(['--data', broken, '--sets', makeSets()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'data: 1 problem',
      expect.stringMatching(/actors\.json: not valid JSON/),
    ]);
    const missing = evalCli(['--data', makeData(), '--sets', '/nonexistent/sets']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('eval: sets directory /nonexistent/sets does not exist');
  });
});
