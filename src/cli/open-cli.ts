/**
 * Start-up shared by the command-line scripts: configuration, the corpus and the answer engine,
 * with errors printed for a person (which file, which field) instead of a stack trace.
 */

import path from 'node:path';
import { commands } from '../../commands/index.ts';
import { createAnswerEngine } from '../core/answer/engine.ts';
import type { CommandContext } from '../core/commands/define-command.ts';
import { type Config, ConfigError, loadDotenv, readConfig } from '../core/config.ts';
import type { Corpus } from '../core/corpus/corpus.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';
import { loadOrBuildEngine } from '../core/search/persist-index.ts';

/** A local session, and how its index was obtained (for a start-up log line). */
export type CliSession = Omit<CommandContext<unknown>, 'options'> & { index: { restored: boolean; note: string } };

/**
 * Where the index snapshot lives: beside the SQLite file, in the directory the bot already writes
 * to (git-ignored `var/` by default), never in DATA_DIR, which is watched for changes. None for an
 * in-memory database.
 *
 * @example indexSnapshotPath({ DB_PATH: 'var/threatdesk.db' }) // 'var/index.bin'
 */
export function indexSnapshotPath(config: Pick<Config, 'DB_PATH'>): string | undefined {
  if (config.DB_PATH === ':memory:') return undefined;
  return path.join(path.dirname(config.DB_PATH), 'index.bin');
}

/**
 * The engine restored from the snapshot when it belongs to this corpus, else built and the snapshot
 * rewritten. A snapshot that cannot be read, restored or written only costs the build.
 */
function engineFor(
  corpus: Corpus,
  file: string | undefined,
): { engine: CliSession['engine']; index: CliSession['index'] } {
  if (!file) {
    return { engine: createAnswerEngine(corpus), index: { restored: false, note: 'index built (no snapshot)' } };
  }
  const { engine, restored, note } = loadOrBuildEngine(corpus, file);
  return { engine, index: { restored, note } };
}

/** Loads everything for a local session; prints the problem and returns undefined on failure. */
export async function openCli(dataDir?: string): Promise<CliSession | undefined> {
  try {
    await loadDotenv();
    const config = readConfig();
    const corpus = loadCorpus(dataDir ?? config.DATA_DIR);
    return {
      ...engineFor(corpus, indexSnapshotPath(config)),
      origin: { platform: 'terminal', workspace: 'local', channel: 'terminal', user: process.env.USER ?? 'you' },
      commands,
    };
  } catch (error) {
    if (error instanceof DataError || error instanceof ConfigError) {
      console.error(error.message);
      return undefined;
    }
    throw error;
  }
}
