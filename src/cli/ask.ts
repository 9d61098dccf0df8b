/**
 * `npm run --silent ask -- [--json] [--data DIR] [QUESTION]`: answers QUESTION, or each line of
 * stdin in order. A line starting with `/` runs that command. With `--json`, one Reply per line;
 * a line whose command failed carries `"error"`.
 *
 * Exit codes: 0 when every line was answered ("not in the assessments" is an answer); 2 for a
 * usage error: of the script (a flag, configuration or data, printed as one line on stderr before
 * anything is answered) or of a line's command (its reply says why, and the other lines are still
 * answered).
 */
import readline from 'node:readline';
import { renderText, styleFor } from '../adapters/terminal/render-text.ts';
import { respondToLine } from '../core/commands/respond.ts';
import { replyToJson } from '../core/reply.ts';
import { parseArgs, runCli, UsageError } from './args.ts';
import { openCli } from './open-cli.ts';

const USAGE =
  'usage: npm run --silent ask -- [--json] [--data DIR] [--] [QUESTION]\n(no QUESTION: one question or /command per line of stdin; -- before a QUESTION that starts with -)';

await runCli('ask', async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const context = await openCli(args.data);
  if (!context) return 2;
  const style = styleFor(process.stdout);
  let failed = false;
  const print = async (line: string) => {
    const reply = await respondToLine(line, context);
    // A blank line is echoed with --json only to keep one reply per line; it is not a failure.
    if (reply.error !== undefined && line.trim() !== '') failed = true;
    process.stdout.write(args.json ? `${JSON.stringify(replyToJson(reply))}\n` : `${renderText(reply, style)}\n\n`);
  };
  if (args.rest.length > 0) {
    const question = args.rest.join(' ');
    if (question.trim() === '') throw new UsageError('the question is empty: ask e.g. "Who does Russia prefer?"');
    await print(question);
    return failed ? 2 : 0;
  }
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  for await (const line of rl) {
    if (line.trim() === '') {
      if (args.json) await print(line);
      continue;
    }
    await print(line);
  }
  return failed ? 2 : 0;
});
