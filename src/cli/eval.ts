/**
 * `npm run eval [-- SET.jsonl] [--data DIR]`: scores a question set through the same code path as
 * `ask` and prints `N/M` with the misses. Exits non-zero unless every case passes.
 */
import fs from 'node:fs';
import { respondToLine } from '../core/commands/respond.ts';
import { describeMiss, parseEvalSet, passes } from '../core/eval/score-set.ts';
import { parseArgs } from './args.ts';
import { openCli } from './open-cli.ts';

const args = parseArgs(process.argv.slice(2));
const file = args.rest[0] ?? 'eval/dev.jsonl';
const cases = parseEvalSet(fs.readFileSync(file, 'utf8'), file);
const context = await openCli(args.data);
if (!context) process.exit(2);
let ok = 0;
for (const c of cases) {
  const reply = await respondToLine(c.q, context);
  if (passes(c, reply)) ok++;
  else console.log(describeMiss(c, reply));
}
console.log(`${ok}/${cases.length} answers cite the right paragraph`);
process.exitCode = ok === cases.length ? 0 : 1;
