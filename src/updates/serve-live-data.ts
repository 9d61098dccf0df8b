/**
 * Keeps a running bot on the newest valid data: watches the data directory, swaps a new engine in
 * atomically, then records what is new as updates for subscribers. The order matters: the engine
 * is swapped first so notifications cite from the corpus now in service.
 *
 * With several instances on one store and one data directory, every instance notices a change and
 * records it; the store keeps one copy of each update (same kind, key and content), so subscribers
 * hear of it once, from whichever instance claims the rows.
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
  /**
   * Called when the updates of a reload could not be recorded (the store is unreachable); the new
   * corpus stays in service and the next start's catch-up records them. Default: console.error.
   */
  onRecordError?: (error: unknown) => void;
}

/** A running watch; `idle` resolves once every reload so far has been recorded. */
export interface LiveData extends DataWatch {
  idle(): Promise<void>;
}

/**
 * @example const live = serveLiveData({ dir: 'data', runtime, updates, onError: console.error }); live.stop();
 */
export function serveLiveData(options: LiveDataOptions): LiveData {
  const { runtime, updates } = options;
  const onRecordError =
    options.onRecordError ?? ((error: unknown) => console.error('updates: recording a data change failed', error));
  let previous = runtime.engine().corpus;
  // Reloads are recorded one after another, in the order they were swapped in.
  let recording: Promise<void> = Promise.resolve();
  const watch = watchDataDir({
    dir: options.dir,
    onCorpus: (next) => {
      runtime.swap(createAnswerEngine(next));
      const changes = diffCorpus(previous, next);
      previous = next;
      recording = recording.then(async () => {
        try {
          await updates.record(changes);
        } catch (error) {
          onRecordError(error);
        }
        options.onReload?.(next);
      });
    },
    onError: options.onError,
  });
  return { stop: () => watch.stop(), idle: () => recording };
}
