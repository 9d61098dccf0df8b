/**
 * `npm start`: loads the configuration and the corpus, then starts every adapter whose credentials
 * are present. With none, it is the terminal REPL.
 */
import { createTerminalAdapter } from './adapters/terminal/repl.ts';
import { openCli } from './cli/open-cli.ts';
import { readConfig } from './core/config.ts';

const context = await openCli();
if (!context) process.exit(2);
const config = readConfig();
const platforms = [
  config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET ? 'Slack' : undefined,
  config.DISCORD_TOKEN ? 'Discord' : undefined,
].filter(Boolean);
if (platforms.length > 0) {
  console.error(
    `threatdesk: ${platforms.join(' and ')} credentials are set, but the ${platforms.join(' and ')} adapter is not built yet; starting the terminal only.`,
  );
}
await createTerminalAdapter({ input: process.stdin, output: process.stdout, context }).run();
