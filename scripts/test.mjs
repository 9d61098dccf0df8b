#!/usr/bin/env node
// `npm test`: type check, lint/format check, then vitest. Ends with one line `N passed, N failed`
// counted from vitest's JSON report (a test file that fails to load counts as one failure) plus the
// type check and the lint check, one each. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const bin = (name) => path.join('node_modules', '.bin', name);
const run = (label, cmd, args) => {
  console.log(`\n> ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
};

let passed = 0;
let failed = 0;
for (const [label, cmd, args] of [
  ['typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit']],
  ['lint and format (biome check)', bin('biome'), ['check', '.']],
]) {
  if (run(label, cmd, args)) passed++;
  else failed++;
}

const report = path.join('reports', 'vitest.json');
fs.rmSync(report, { force: true });
const vitestOk = run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  // A file that failed to load has no assertion results but a failed status.
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed++;
  }
} else {
  failed++;
}
if (!vitestOk && failed === 0) failed++;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || !vitestOk ? 1 : 0);
