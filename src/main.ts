/**
 * `npm start`: loads the configuration and the corpus, opens the shared store (PostgreSQL at
 * DATABASE_URL, which several instances may share, else the SQLite file at DB_PATH), watches the
 * data directory, polls the newsroom feeds of the feeds file (if it lists any) on FEED_INTERVAL,
 * and starts every adapter whose credentials are present. With none, it is the terminal REPL; with
 * some, the terminal runs alongside them when stdin is a TTY.
 */
import { styleFor } from './adapters/terminal/render-text.ts';
import { createTerminalAdapter } from './adapters/terminal/repl.ts';
import { createTerminalSender } from './adapters/terminal/terminal-sender.ts';
import { describeCliError, noWords, parseArgs } from './cli/args.ts';
import { openCli } from './cli/open-cli.ts';
import type { Origin } from './core/commands/define-command.ts';
import { ConfigError, readConfig } from './core/config.ts';
import { contextFor, createRuntime } from './core/runtime.ts';
import { startPlatformAdapters } from './start-adapters.ts';
import { type FeedWatcher, startFeedWatcher } from './updates/feeds/feed-watcher.ts';
import { type FeedConfig, FeedsConfigError, feedsSource, loadFeeds } from './updates/feeds/feeds-config.ts';
import { createHttpGetter } from './updates/feeds/http-get.ts';
import { feedRegistry } from './updates/feeds/registry.ts';
import { serveLiveData } from './updates/serve-live-data.ts';
import { newInstanceId, openSharedStore, redactUrl } from './updates/store/open-shared-store.ts';
import type { SharedStore } from './updates/store/shared-store.ts';
import type { PlatformSender } from './updates/subscriptions/sender.ts';
import { createUpdateService } from './updates/subscriptions/update-service.ts';

// While the REPL shows its prompt, log lines go above it (see `TerminalAdapter.print`).
let printLog: (line: string) => void = (line) => process.stderr.write(line);
const log = (message: string) => printLog(`threatdesk: ${message}\n`);

try {
  const args = parseArgs(process.argv.slice(2), [], { json: false, data: false });
  noWords(args);
  if (args.help) {
    console.log('usage: npm start (configured by .env; see .env.example)');
    process.exit(0);
  }
} catch (error) {
  console.error(describeCliError('start', error) ?? error);
  process.exit(2);
}
// Configuration (DB_PATH included) and data problems are printed by openCli as one line, exit 2.
const cli = await openCli();
if (!cli) process.exit(2);
const config = readConfig();
const feeds = readFeeds(config.FEEDS_FILE);
const shared = await openStore();
// Said once, when the next start will be faster (or, if the snapshot could not be saved, why not).
if (!cli.index.restored) log(cli.index.note);
const instanceId = newInstanceId();
if (config.DATABASE_URL) log(`store: PostgreSQL at ${redactUrl(config.DATABASE_URL)}, as instance ${instanceId}`);
const runtime = createRuntime(cli.engine, cli.commands, {
  subscriptions: shared.subscriptions,
  ...(feeds.length > 0 ? { feeds: feedRegistry(feeds, shared.feeds) } : {}),
});

const platforms = await startPlatformAdapters(runtime, config, log);
const terminalWanted = platforms.adapters.length === 0 || Boolean(process.stdin.isTTY);
const senders: PlatformSender[] = [...platforms.senders];
const origin: Origin = { platform: 'terminal', workspace: 'local', channel: 'terminal', user: cli.origin.user };
const terminal = terminalWanted
  ? createTerminalAdapter({
      input: process.stdin,
      output: process.stdout,
      context: () => contextFor(runtime, origin),
      alongside: platforms.adapters.map((a) => a.name),
    })
  : undefined;
if (terminal) {
  printLog = (line) => terminal.print(line, process.stderr);
  senders.push(createTerminalSender({ write: (s) => terminal.print(s), style: styleFor(process.stdout) }));
}

const updates = createUpdateService({
  store: shared.subscriptions,
  instanceId,
  senders,
  engine: runtime.engine,
  log: (message, error) => log(error === undefined ? message : `${message} ${describe(error)}`),
});
// Every instance catches up; the store records each update once, whoever comes first.
await updates.catchUp(runtime.engine().corpus);
updates.start();
const watch = serveLiveData({
  dir: config.DATA_DIR,
  runtime,
  updates,
  onReload: (next) => log(`data reloaded: ${next.sources.size} sources, ${next.claims.length} claims`),
  onError: (error) => log(`data reload refused; still serving the last good data\n${error.message}`),
  onRecordError: (error) => log(`recording the data change for subscribers failed: ${describe(error)}`),
});
// New statements are written into DATA_DIR; the watch above announces them like any other change.
const feedWatcher: FeedWatcher | undefined =
  feeds.length > 0
    ? startFeedWatcher({
        feeds,
        state: shared.feeds,
        http: createHttpGetter(),
        dataDir: config.DATA_DIR,
        maxFailures: config.FEED_MAX_FAILURES,
        intervalMs: config.FEED_INTERVAL * 60_000,
        log: (line) => log(line),
      })
    : undefined;

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await feedWatcher?.stop();
  watch.stop();
  // A reload being recorded finishes before the store closes.
  await watch.idle();
  await updates.stop();
  await Promise.allSettled(platforms.adapters.map((a) => a.stop()));
  await shared.close();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (terminal) {
  const end = await terminal.run();
  // Ctrl-C in the REPL stops the whole bot, as its hint says. Leaving it otherwise (quit, exit,
  // Ctrl-D, end of piped input) stops the bot only when no platform is running.
  if (end === 'interrupt' || platforms.adapters.length === 0) await shutdown(0);
  else log('terminal closed; platform adapters keep running (Ctrl-C or SIGTERM to stop)');
}

/** The feeds to poll; a feeds file that is named but missing, or malformed, stops the start. */
function readFeeds(configured: string | undefined): FeedConfig[] {
  try {
    return loadFeeds(feedsSource(undefined, configured));
  } catch (error) {
    if (!(error instanceof FeedsConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/** The shared store; a DATABASE_URL that cannot be used stops the start with one line, exit 2. */
async function openStore(): Promise<SharedStore> {
  try {
    return await openSharedStore(config, { log: (message, error) => log(`${message} ${describe(error)}`) });
  } catch (error) {
    console.error(
      error instanceof ConfigError ? error.message : `threatdesk: the store did not open: ${describe(error)}`,
    );
    process.exit(2);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
