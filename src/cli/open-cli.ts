/**
 * Start-up shared by the command-line scripts: configuration, the corpus and the answer engine,
 * with errors printed for a person (which file, which field) instead of a stack trace.
 */

import fs from 'node:fs';
import path from 'node:path';
import { commands } from '../../commands/index.ts';
import { createAnswerEngine } from '../core/answer/engine.ts';
import type { CommandContext } from '../core/commands/define-command.ts';
import { type Config, ConfigError, loadDotenv, readConfig } from '../core/config.ts';
import type { Corpus } from '../core/corpus/corpus.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';
import { makeDirectory } from '../core/make-directory.ts';
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

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
const EXAMPLE = `e.g. DB_PATH=${path.join('var', 'threatdesk.db')}`;

/**
 * Checks DB_PATH once, before anything is loaded, so a bad value is one line at start rather than
 * a failure (or a hang) later: it must name a file, not a directory; an existing file must be a
 * SQLite database (an empty file is fine); and its directory must exist or be creatable, and be
 * writable. Missing directories are created. `:memory:` is always fine.
 *
 * @example checkDbPath('var') // throws ConfigError: config: DB_PATH "var" is a directory; …
 */
export function checkDbPath(dbPath: string): void {
  if (dbPath === ':memory:') return;
  const refuse = (problem: string, fix: string) => {
    throw new ConfigError(`config: DB_PATH ${JSON.stringify(dbPath)} ${problem}; ${fix}`);
  };
  const fix = `set DB_PATH to a file in a writable directory, ${EXAMPLE}`;
  const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dbPath, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR: a part of the path is a file.
    refuse(`cannot be created (${code(error)})`, fix);
  }
  if (stat?.isDirectory() || /[\\/]$/.test(dbPath)) {
    refuse('is a directory', `set DB_PATH to a file in it, e.g. DB_PATH=${path.join(dbPath, 'threatdesk.db')}`);
  }
  // A device, pipe or socket (DB_PATH=/dev/null) is no database, and its directory is no place for the snapshot.
  if (stat && !stat.isFile()) refuse('is not a regular file', `point DB_PATH at a file, ${EXAMPLE}`);
  if (stat) {
    const head = Buffer.alloc(16);
    let fd: number | undefined;
    try {
      fd = fs.openSync(dbPath, 'r+');
      const n = fs.readSync(fd, head, 0, 16, 0);
      if (n > 0 && !head.equals(SQLITE_HEADER)) {
        refuse('is not a SQLite database', `point DB_PATH at a new file or at the bot's database, ${EXAMPLE}`);
      }
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      refuse(`cannot be opened for writing (${code(error)})`, `fix its permissions or ${fix}`);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    return;
  }
  const dir = path.dirname(path.resolve(dbPath));
  try {
    makeDirectory(dir);
  } catch (error) {
    refuse(`cannot be created: its directory ${dir} cannot be made (${code(error)})`, fix);
  }
  const probe = path.join(dir, `.threatdesk-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    refuse(`cannot be created: its directory ${dir} is not writable (${code(error)})`, fix);
  }
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

/**
 * Loads everything for a local session: the configuration (with DB_PATH checked), the corpus and
 * the engine. Prints the problem (one line for configuration) and returns undefined on failure.
 */
export async function openCli(dataDir?: string): Promise<CliSession | undefined> {
  try {
    await loadDotenv();
    const config = readConfig();
    checkDbPath(config.DB_PATH);
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
