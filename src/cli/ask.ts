/**
 * `npm run --silent ask -- [--json] [--data DIR] [QUESTION]`: answers QUESTION, or each line of
 * stdin in order. A line starting with `/` runs that command. With `--json`, one Reply per line.
 */
import readline from 'node:readline';
import { renderText, styleFor } from '../adapters/terminal/render-text.ts';
import { respondToLine } from '../core/commands/respond.ts';
import { replyToJson } from '../core/reply.ts';
import { parseArgs } from './args.ts';
import { openCli } from './open-cli.ts';

const USAGE =
  'usage: npm run --silent ask -- [--json] [--data DIR] [QUESTION]\n(no QUESTION: one question or /command per line of stdin)';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const context = await openCli(args.data);
  if (!context) return 2;
  const style = styleFor(process.stdout);
  const print = async (line: string) => {
    const reply = await respondToLine(line, context);
    process.stdout.write(args.json ? `${JSON.stringify(replyToJson(reply))}\n` : `${renderText(reply, style)}\n\n`);
  };
  if (args.rest.length > 0) {
    await print(args.rest.join(' '));
    return 0;
  }
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  for await (const line of rl) {
    if (line.trim() === '') {
      if (args.json) await print(line);
      continue;
    }
    await print(line);
  }
  return 0;
}

process.exitCode = await main();
