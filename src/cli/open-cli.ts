/**
 * Start-up shared by the command-line scripts: configuration, the corpus and the answer engine,
 * with errors printed for a person (which file, which field) instead of a stack trace.
 */

import { commands } from '../../commands/index.ts';
import { createAnswerEngine } from '../core/answer/engine.ts';
import type { CommandContext } from '../core/commands/define-command.ts';
import { ConfigError, loadDotenv, readConfig } from '../core/config.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';

/** Loads everything for a local session; prints the problem and returns undefined on failure. */
export async function openCli(dataDir?: string): Promise<Omit<CommandContext<unknown>, 'options'> | undefined> {
  try {
    await loadDotenv();
    const config = readConfig();
    const corpus = loadCorpus(dataDir ?? config.DATA_DIR);
    return {
      engine: createAnswerEngine(corpus),
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
