/**
 * `npm run feeds -- --once [--data DIR] [--feeds FILE]`: polls every feed of the feeds file once,
 * paused ones included, adds what is new to the data directory, then exits. One line per feed on
 * stdout (`N new documents: …`, `unchanged` or `failed: …`); items skipped or refused on stderr.
 * Exits 0 when the configuration is valid, even if a feed failed; 2, with one line on stderr, when
 * it is not (a usage mistake, a bad setting, a bad feeds file, a data directory that does not
 * load, a DATABASE_URL that cannot be used). The feed state is in the shared store: PostgreSQL at
 * DATABASE_URL when set, else the SQLite file at DB_PATH. Without `--once` it prints the usage and exits 2: the bot itself (`npm start`) polls on
 * FEED_INTERVAL.
 */
import { loadDotenv, readConfig } from '../core/config.ts';
import { loadCorpus } from '../core/corpus/load-corpus.ts';
import { FeedsConfigError, feedsSource, loadFeeds } from '../updates/feeds/feeds-config.ts';
import { createHttpGetter } from '../updates/feeds/http-get.ts';
import { describeFeedResult, describeItems, pollFeeds } from '../updates/feeds/poll-feeds.ts';
import { IngestError } from '../updates/ingest/ingest.ts';
import { openSharedStore } from '../updates/store/open-shared-store.ts';
import { parseArgs, runCli, UsageError } from './args.ts';
import { checkDbPath } from './open-cli.ts';

const USAGE = `usage: npm run feeds -- --once [--data DIR] [--feeds FILE]
  Polls every feed in FILE (default FEEDS_FILE, else feeds.json) once, paused feeds included,
  adds new statements to DIR (default DATA_DIR) and prints one line per feed. See docs/feeds.md.`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ['feeds'], {
    json: false,
    switches: ['once'],
    metavars: { feeds: 'FILE' },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.switches.includes('once')) {
    throw new UsageError('--once is required: it polls every feed once (npm start polls on FEED_INTERVAL)');
  }
  const [extra] = args.rest;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (usage: npm run feeds -- --once)`);
  await loadDotenv();
  const config = readConfig();
  // DB_PATH matters only without DATABASE_URL: the feed state is then in that SQLite file.
  if (config.DATABASE_URL === undefined) checkDbPath(config.DB_PATH);
  const dataDir = args.data ?? config.DATA_DIR;
  const source = feedsSource(args.flags.feeds, config.FEEDS_FILE);
  let feeds: ReturnType<typeof loadFeeds>;
  try {
    feeds = loadFeeds(source);
  } catch (e) {
    if (!(e instanceof FeedsConfigError)) throw e;
    console.error(e.message);
    return 2;
  }
  if (feeds.length === 0) {
    console.log(`feeds: no feeds configured (${source.file} ${source.required ? 'lists none' : 'does not exist'})`);
    return 0;
  }
  // A data directory that does not load is a DataError: runCli prints it and exits 2.
  loadCorpus(dataDir);
  // An unreachable DATABASE_URL is a ConfigError: runCli prints it and exits 2.
  const shared = await openSharedStore(config);
  try {
    await pollFeeds({
      feeds,
      dataDir,
      state: shared.feeds,
      http: createHttpGetter(),
      maxFailures: config.FEED_MAX_FAILURES,
      includePaused: true,
      onResult: (r) => {
        for (const line of describeItems(r)) console.error(`feeds: ${line}`);
        console.log(describeFeedResult(r));
      },
    });
  } catch (e) {
    // The data directory stopped loading during the poll (edited meanwhile): nothing more is added.
    if (!(e instanceof IngestError)) throw e;
    console.error(e.message);
    return 2;
  } finally {
    await shared.close();
  }
  return 0;
}

await runCli(USAGE, main);
