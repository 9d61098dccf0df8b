/**
 * Startup to first answer, the way `npm run ask` starts: configuration, corpus, engine, one answer.
 * Prints one JSON line with the milliseconds since this process started.
 */

import { openCli } from '../src/cli/open-cli.ts';
import { respondToLine } from '../src/core/commands/respond.ts';

const importedAt = performance.now();
const context = await openCli(process.argv[2]);
if (!context) process.exit(2);
const reply = await respondToLine('Who is Moscow backing?', context);
console.log(JSON.stringify({ importedMs: importedAt, readyMs: performance.now(), found: reply.found }));
