/**
 * Watches a data directory and reloads it after changes settle. A reload that validates is handed
 * to `onCorpus` (the caller swaps the answer engine and records what is new); one that does not is
 * handed to `onError`, and the last good corpus stays in service.
 *
 * fs.watch is not recursive here: Node 20's recursive mode on Linux walks and watches every file,
 * and the data layout is flat, so the directory, `sources/` and `claims/` are watched each on their
 * own. When `sources/` or `claims/` is replaced (created after start, or deleted and re-created by
 * a sync tool), its watcher is re-armed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Corpus } from './corpus.ts';
import { DataError, loadCorpus } from './load-corpus.ts';

export interface WatchOptions {
  /** The data directory (DATA_DIR). */
  dir: string;
  /** Called with each newly loaded, valid corpus. What it throws is passed to `onError`. */
  onCorpus(corpus: Corpus): void;
  /** Called when a reload fails validation; the previous corpus is still the one to use. */
  onError(error: DataError): void;
  /** Quiet time after the last change before reloading, in ms (default 300; 0 or more). */
  debounceMs?: number;
}

/** A running watch. */
export interface DataWatch {
  /** Stops watching; a pending reload is cancelled. */
  stop(): void;
}

const SUBDIRS = ['sources', 'claims'] as const;

/**
 * Starts watching `dir`. Nothing is loaded until something changes.
 *
 * @example
 * const watch = watchDataDir({ dir: 'data', onCorpus: (c) => runtime.swap(createAnswerEngine(c)), onError: (e) => console.error(e.message) });
 * watch.stop();
 */
export function watchDataDir(options: WatchOptions): DataWatch {
  const { dir, onCorpus, onError } = options;
  const debounceMs = options.debounceMs ?? 300;
  if (!Number.isFinite(debounceMs) || debounceMs < 0) {
    throw new Error(`watch-data: debounceMs must be 0 or more, not ${debounceMs}`);
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`watch-data: "${dir}" is not a directory`);
  }
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const reload = () => {
    timer = undefined;
    if (stopped) return;
    let corpus: Corpus;
    try {
      corpus = loadCorpus(dir);
    } catch (error) {
      onError(
        error instanceof DataError ? error : new DataError([{ file: dir, message: `cannot load: ${String(error)}` }]),
      );
      return;
    }
    try {
      onCorpus(corpus);
    } catch (error) {
      // Thrown from a timer it would end the process; reported, the bot keeps its last good state.
      onError(
        new DataError([{ file: dir, message: `the reloaded data could not be put in service: ${String(error)}` }]),
      );
    }
  };

  const changed = () => {
    if (stopped) return;
    armSubdirs();
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };

  const watch = (target: string) => {
    const watcher = fs.watch(target, { persistent: false }, changed);
    // A watched directory that is deleted errors on some platforms; the root watcher re-arms it.
    watcher.on('error', () => {
      watcher.close();
      if (watchers.get(target) === watcher) watchers.delete(target);
    });
    watcher.on('close', () => {
      if (watchers.get(target) === watcher) watchers.delete(target);
    });
    watchers.set(target, watcher);
  };

  const inodes = new Map<string, number>();
  const armSubdirs = () => {
    for (const name of SUBDIRS) {
      const sub = path.join(dir, name);
      let ino: number | undefined;
      try {
        const stat = fs.statSync(sub);
        ino = stat.isDirectory() ? stat.ino : undefined;
      } catch {
        ino = undefined;
      }
      const current = watchers.get(sub);
      if (ino === undefined) {
        current?.close();
        inodes.delete(sub);
        continue;
      }
      if (current && inodes.get(sub) === ino) continue;
      current?.close();
      try {
        watch(sub);
        inodes.set(sub, ino);
      } catch {
        // Gone again between stat and watch; the root watcher's next event re-arms it.
        inodes.delete(sub);
      }
    }
  };

  watch(dir);
  armSubdirs();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const w of [...watchers.values()]) w.close();
      watchers.clear();
    },
  };
}
