/**
 * Keeps a running bot on the newest valid data: watches the data directory, swaps a new engine in
 * atomically, then records what is new as updates for subscribers. The order matters: the engine
 * is swapped first so notifications cite from the corpus now in service.
 */
import { createAnswerEngine } from '../core/answer/engine.ts';
import type { Corpus } from '../core/corpus/corpus.ts';
import { diffCorpus } from '../core/corpus/diff-corpus.ts';
import type { DataError } from '../core/corpus/load-corpus.ts';
import { type DataWatch, watchDataDir } from '../core/corpus/watch-data.ts';
import type { Runtime } from '../core/runtime.ts';
import type { UpdateService } from './subscriptions/update-service.ts';

export interface LiveDataOptions {
  dir: string;
  runtime: Runtime & { swap(next: ReturnType<typeof createAnswerEngine>): void };
  updates: Pick<UpdateService, 'record'>;
  /** Called after a valid reload was swapped in and its updates recorded. */
  onReload?: (corpus: Corpus) => void;
  /** Called when a reload is refused; the last good corpus stays in service. */
  onError: (error: DataError) => void;
}

/**
 * @example const live = serveLiveData({ dir: 'data', runtime, updates, onError: console.error }); live.stop();
 */
export function serveLiveData(options: LiveDataOptions): DataWatch {
  const { runtime, updates } = options;
  let previous = runtime.engine().corpus;
  return watchDataDir({
    dir: options.dir,
    onCorpus: (next) => {
      runtime.swap(createAnswerEngine(next));
      updates.record(diffCorpus(previous, next));
      previous = next;
      options.onReload?.(next);
    },
    onError: options.onError,
  });
}
