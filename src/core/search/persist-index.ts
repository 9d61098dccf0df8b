/**
 * A built search index on disk, so a restart does not re-read every paragraph: the index's flat
 * arrays written as they are in memory (flexsearch's lists are remade from them), and a hash of
 * everything the index was built from. A snapshot made from another corpus, other index options or
 * another tokenizer is refused with a `SnapshotError` (callers then build afresh).
 *
 * File layout: `TDIX`, a format version (u32), the length of a JSON header (u32), the header
 * (hash, options, vocabulary, where each section is), then the sections, 8-byte aligned.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AnswerEngine, createAnswerEngine } from '../answer/engine.ts';
import type { Corpus } from '../corpus/corpus.ts';
import { makeDirectory } from '../make-directory.ts';
import { STOP_WORDS, termsOf } from '../text/tokenize.ts';
import { type IndexOptions, type IndexSnapshot, ParagraphIndex } from './paragraph-index.ts';

/** Bump when the layout or the meaning of a stored array changes. */
const FORMAT_VERSION = 3;
const MAGIC = 'TDIX';

/** A snapshot that cannot be used: unreadable, another format, or built from something else. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(`persist-index: ${message}`);
    this.name = 'SnapshotError';
  }
}

/** The snapshot's typed arrays, with the kinds each may be read back as (told apart by element size). */
const ARRAYS = {
  postStart: [Int32Array],
  postDoc: [Int32Array],
  postCode: [Uint16Array, Uint32Array],
  tfTable: [Float64Array],
  seqStart: [Int32Array],
  seqTerm: [Int32Array],
  extraStart: [Int32Array],
  extraTerm: [Int32Array],
  postBucket: [Uint8Array],
} as const;
type ArrayName = keyof typeof ARRAYS;
const ARRAY_NAMES = Object.keys(ARRAYS) as ArrayName[];

interface Header {
  hash: string;
  endianness: string;
  options: IndexOptions;
  vocab: string[];
  /** name → [byte offset after the header, element count, bytes per element] */
  arrays: Record<ArrayName, [number, number, number]>;
}

/**
 * A hash of everything an index depends on: the text, headers and claims of every source, the
 * actors and gazetteer (which decide the `@actor` terms), the options that shape stored
 * frequencies, and how the tokenizer splits and stems a fixed probe text. For a corpus loaded from
 * files, their fingerprint stands for the corpus.
 */
export function corpusHash(corpus: Corpus, options: Pick<IndexOptions, 'summaryWeight' | 'headerWeight'>): string {
  const h = createHash('sha256');
  const probe = "Russia's covert influence actors manufactured fake videos; Iranian hackers phished campaigns.";
  h.update(JSON.stringify([FORMAT_VERSION, options.summaryWeight, options.headerWeight, termsOf(probe)]));
  h.update([...STOP_WORDS].join(' '));
  // A corpus read from files is known by their bytes, hashed as they were read: far cheaper than
  // serialising it again.
  if (corpus.fingerprint) return h.update(`files ${corpus.fingerprint}`).digest('hex');
  // Strings go to the hash in batches: one update per paragraph costs more than the hashing.
  let batch: string[] = [];
  let size = 0;
  const add = (text: string) => {
    batch.push(text);
    size += text.length;
    if (size > 1 << 20) {
      h.update(batch.join('\u0000'));
      batch = [];
      size = 0;
    }
  };
  for (const s of corpus.sources.values()) {
    add(`\u0002${s.id}\u0001${s.title}\u0001${s.publisher}`);
    for (const p of s.paragraphs) add(p.text);
  }
  for (const c of corpus.claims) {
    add(`\u0003${c.source}\u0001${c.paragraph}\u0001${c.actor}\u0001${c.summary}\u0001${c.favours}\u0001${c.opposes}`);
  }
  h.update(batch.join('\u0000'));
  h.update(JSON.stringify([...corpus.actors.values()]));
  h.update(JSON.stringify(corpus.gazetteer));
  return h.digest('hex');
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/**
 * Writes an index snapshot to `file` (atomically: a temporary file, then a rename).
 *
 * @example saveIndex('var/index.bin', engine.index, corpus);
 */
export function saveIndex(file: string, index: ParagraphIndex, corpus: Corpus): void {
  const snap = index.toSnapshot();
  const sections: Uint8Array[] = [];
  let offset = 0;
  const arrays = {} as Header['arrays'];
  for (const name of ARRAY_NAMES) {
    const a = snap[name];
    arrays[name] = [offset, a.length, a.BYTES_PER_ELEMENT];
    sections.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(pad8(a.byteLength)));
    offset += a.byteLength + pad8(a.byteLength);
  }
  const header: Header = {
    hash: corpusHash(corpus, snap.options),
    endianness: os.endianness(),
    options: snap.options,
    vocab: snap.vocab,
    arrays,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(json.byteLength, 8);
  makeDirectory(path.dirname(path.resolve(file)));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const part of [prefix, json, new Uint8Array(pad8(12 + json.byteLength)), ...sections]) writeAll(fd, part);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Writes all of `bytes` at the file's current position (a write may take only part). */
function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done);
}

/** Fills `into` from `position` in the file, or throws when the file ends first. */
function readExactly(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = fs.readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new SnapshotError('the snapshot file is truncated; rebuild it');
    done += n;
  }
}

/**
 * Reads a snapshot written by `saveIndex` for this corpus, each array straight into its own memory.
 * Throws a `SnapshotError` naming the problem when the file is unreadable, of another format, or
 * built from a different corpus.
 */
export function readSnapshot(file: string, corpus: Corpus): IndexSnapshot {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new SnapshotError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    const prefix = Buffer.alloc(12);
    if (fs.readSync(fd, prefix, 0, 12, 0) < 12 || prefix.toString('latin1', 0, 4) !== MAGIC) {
      throw new SnapshotError(`${file} is not an index snapshot`);
    }
    const version = prefix.readUInt32LE(4);
    if (version !== FORMAT_VERSION) {
      throw new SnapshotError(`${file} has format ${version}, this version reads ${FORMAT_VERSION}; rebuild it`);
    }
    const json = Buffer.alloc(prefix.readUInt32LE(8));
    readExactly(fd, json, 12);
    const header = JSON.parse(json.toString('utf8')) as Header;
    if (header.endianness !== os.endianness()) {
      throw new SnapshotError(`${file} was written on a ${header.endianness} machine; rebuild it`);
    }
    const expected = corpusHash(corpus, header.options);
    if (header.hash !== expected) {
      throw new SnapshotError(
        `${file} was built from a different corpus (hash ${header.hash.slice(0, 12)}…, this corpus ${expected.slice(0, 12)}…); rebuild it`,
      );
    }
    const base = 12 + json.byteLength + pad8(12 + json.byteLength);
    const arrays = {} as Record<ArrayName, Int32Array | Uint16Array | Uint32Array | Float64Array | Uint8Array>;
    for (const name of ARRAY_NAMES) {
      const [at, count, width] = header.arrays[name];
      const kind = ARRAYS[name].find((k) => k.BYTES_PER_ELEMENT === width);
      if (!kind) throw new Error(`${name} has ${width}-byte elements`);
      const array = new kind(count);
      readExactly(fd, new Uint8Array(array.buffer), base + at);
      arrays[name] = array;
    }
    return { options: header.options, vocab: header.vocab, ...(arrays as Pick<IndexSnapshot, ArrayName>) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The index for a corpus from `file`, or undefined (with the reason) when the file is missing or
 * unusable, whatever the damage.
 *
 * @example const { index } = loadIndex('var/index.bin', corpus);
 */
export function loadIndex(file: string, corpus: Corpus): { index?: ParagraphIndex; problem?: string } {
  try {
    return { index: ParagraphIndex.fromSnapshot(corpus, readSnapshot(file, corpus)) };
  } catch (e) {
    if (e instanceof SnapshotError) return { problem: e.message };
    // Past those checks, a snapshot that still cannot be restored (a damaged header, arrays that do
    // not fit the corpus) is a cache to rebuild, not a reason to stop.
    return { problem: `persist-index: ${file} cannot be restored (${(e as Error).message}); rebuild it` };
  }
}

/**
 * The engine for a corpus, restored from the snapshot at `file` when it fits; otherwise built, and
 * the snapshot (re)written for the next start. `note` says which happened, and why a snapshot was
 * not used or not saved.
 *
 * @example const { engine, note } = loadOrBuildEngine(corpus, 'var/index.bin');
 */
export function loadOrBuildEngine(
  corpus: Corpus,
  file: string,
): { engine: AnswerEngine; restored: boolean; note: string } {
  const { index, problem } = fs.existsSync(file) ? loadIndex(file, corpus) : { problem: `no snapshot at ${file}` };
  if (index)
    return { engine: createAnswerEngine(corpus, {}, index), restored: true, note: `index restored from ${file}` };
  const engine = createAnswerEngine(corpus);
  try {
    saveIndex(file, engine.index, corpus);
    return { engine, restored: false, note: `index built (${problem}); saved to ${file}` };
  } catch (e) {
    return { engine, restored: false, note: `index built (${problem}); not saved: ${(e as Error).message}` };
  }
}
