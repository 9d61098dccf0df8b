/**
 * Prepares everything evaluation needs, once: each corpus loaded and its answer engine built, and
 * each question paired with the engine that must answer it. Scoring (`score-suites.ts`) then does
 * no I/O, so a weight search can score every suite thousands of times.
 *
 * The suites:
 * - `shipped`: the data directory as it is, asked every `*.jsonl` set at the top of the sets
 *   directory (`dev.jsonl`, `questions-*.jsonl`).
 * - `unseen`: a temporary copy of the data directory with `unseen/sources/*.txt` added by the real
 *   ingest (`ingestFiles`, the code behind `npm run ingest`), asked every `unseen/*.jsonl` set.
 * - `cold:<source>`: leave one source out. For each shipped source that answers a question, a
 *   temporary copy without that source and its claims, into which its text is ingested as a new
 *   document (new id, machine-drafted claims); asked the shipped questions it answers.
 *
 * Temporary copies live under `os.tmpdir()` and are removed before `prepareSuites` returns; the data
 * directory itself is only read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AnswerEngine, createAnswerEngine } from '../core/answer/engine.ts';
import { allParagraphs, type Corpus } from '../core/corpus/corpus.ts';
import { DataError, loadCorpus } from '../core/corpus/load-corpus.ts';
import type { IndexOptions } from '../core/search/paragraph-index.ts';
import { IngestError, ingestFiles } from '../updates/ingest/ingest.ts';
import { createBaseline } from './bm25-baseline.ts';
import { EvalSetupError } from './eval-setup-error.ts';
import { type EvalCase, normalizePhrase, type Outcome, outcomeOf, parseEvalSet } from './score-set.ts';
import { type Half, halfOf } from './split-half.ts';
import { isVerbatim, readVerbatimParagraphs, type VerbatimParagraphs } from './verbatim-paragraphs.ts';

/**
 * Whether a set is a held-out one (its name, or its directory's, starts with `held-out`): written
 * after the features were settled, it is measured and never fitted on, nor listed among the misses
 * one designs from unless asked for by name.
 *
 * @example isHeldOutSet('extra/unseen/held-out') // true
 */
export function isHeldOutSet(set: string): boolean {
  return /(^|\/)held-out/.test(set);
}

/**
 * Where the question sets are by default: `../shared/eval` beside the repository when it exists,
 * else the repository's own `eval/`.
 */
export function defaultSetsDir(root: string): string {
  const shared = path.resolve(root, '..', 'shared', 'eval');
  return fs.existsSync(shared) ? shared : path.resolve(root, 'eval');
}

/**
 * Which documents a suite's questions are about: the shipped ones, the unseen ones, a shipped one
 * ingested anew (cold), or the shipped ones once the unseen documents have been ingested beside
 * them (after-ingest: what a real ingest must not break).
 */
export type SuiteKind = 'shipped' | 'unseen' | 'cold' | 'after-ingest';

/** One question of a set, ready to score. */
export interface SuiteCase extends EvalCase {
  /** The set it comes from, named by its path under the sets directory without `.jsonl`. */
  set: string;
  /** Line number in the set's file. */
  line: number;
  half: Half;
  /**
   * Id, in this suite's corpus, of the source that answers: the case's `source`, its `doc` mapped
   * to the id ingest gave that file, or the shipped source whose paragraph holds the first phrase.
   */
  expectedSource?: string;
  /** The BM25 baseline's outcome, fixed when the suite is prepared. */
  baseline: Outcome;
  /** Baseline citations that are not their paragraph verbatim (always 0 unless a file is odd). */
  baselineBroken: number;
}

/** A corpus, its engine and the cases it must answer. */
export interface Suite {
  /** `shipped`, `unseen` or `cold:<held-out source id>`. */
  name: string;
  kind: SuiteKind;
  engine: AnswerEngine;
  /** The suite's source files as score.mjs reads them, for the verbatim check. */
  paragraphs: VerbatimParagraphs;
  cases: SuiteCase[];
}

/** Everything `scoreSuites` needs. */
export interface PreparedSuites {
  suites: Suite[];
  /** Set names in report order: the shipped sets (dev first), then the unseen ones. */
  sets: string[];
  /** What was left out and why (a question whose answering source cannot be told, …). */
  notes: string[];
  /** Milliseconds spent preparing. */
  ms: number;
}

/** Options of `prepareSuites`, merged over `DEFAULT_PREPARE_OPTIONS`. */
export interface PrepareOptions {
  /** The shipped data directory (read only). */
  dataDir: string;
  /** Holds `*.jsonl` sets and optionally `unseen/` with `sources/*.txt` and `*.jsonl`. */
  setsDir: string;
  /** Build the leave-one-source-out suites (about 0.1 s per shipped source). Default true. */
  cold: boolean;
  /** Index options for every engine (default: the index's own defaults). */
  indexOptions: Partial<IndexOptions>;
  /** Where temporary data copies go. Default `os.tmpdir()`. */
  tmpDir: string;
  /**
   * More sets kept in the repository (`eval/extra`, see docs/answering.md), laid out like
   * `setsDir`: its `*.jsonl` join the shipped sets and its `unseen/*.jsonl` the unseen ones (about
   * the documents of `setsDir`'s `unseen/sources`). Their names start with `extra/`. Default none.
   */
  extraSetsDir?: string;
}

export const DEFAULT_PREPARE_OPTIONS: Omit<PrepareOptions, 'dataDir' | 'setsDir'> = {
  cold: true,
  indexOptions: {},
  tmpDir: os.tmpdir(),
};

/** A set file, parsed. */
interface LoadedSet {
  name: string;
  cases: (EvalCase & { line: number })[];
}

/**
 * Loads the corpora, ingests the unseen and held-out documents into temporary copies, builds an
 * engine per corpus and pairs it with its cases. Throws an EvalSetupError when there is no set to score
 * or a set does not parse, a DataError when a corpus does not load.
 *
 * @example
 * const prepared = prepareSuites({ dataDir: 'data', setsDir: '../shared/eval' });
 * const report = scoreSuites(prepared);
 */
export function prepareSuites(
  options: Pick<PrepareOptions, 'dataDir' | 'setsDir'> & Partial<PrepareOptions>,
): PreparedSuites {
  const opts: PrepareOptions = { ...DEFAULT_PREPARE_OPTIONS, ...options };
  const started = performance.now();
  if (!fs.existsSync(opts.setsDir) || !fs.statSync(opts.setsDir).isDirectory()) {
    throw new EvalSetupError(`eval: sets directory ${opts.setsDir} does not exist`);
  }
  const unseenDir = path.join(opts.setsDir, 'unseen');
  const extra = opts.extraSetsDir;
  const extraUnseen = extra ? path.join(extra, 'unseen') : undefined;
  const shippedSets = [...readSets(opts.setsDir, ''), ...(extra ? readSets(extra, 'extra/') : [])];
  const unseenSets = fs.existsSync(unseenDir) ? readSets(unseenDir, 'unseen/') : [];
  const notes: string[] = [];
  if (extraUnseen && fs.existsSync(extraUnseen)) {
    // Questions about the unseen documents need those documents: without them they are left out.
    if (fs.existsSync(path.join(unseenDir, 'sources'))) unseenSets.push(...readSets(extraUnseen, 'extra/unseen/'));
    else notes.push(`${extraUnseen}: left out, ${unseenDir}/sources does not exist`);
  }
  if (shippedSets.length + unseenSets.length === 0) {
    throw new EvalSetupError(`eval: no question sets (*.jsonl) in ${opts.setsDir} or ${unseenDir}`);
  }

  const shippedCorpus = loadCorpus(opts.dataDir);
  const shipped = makeSuite('shipped', 'shipped', shippedCorpus, readVerbatimParagraphs(opts.dataDir), opts);
  const holderOf = paragraphHolder(shippedCorpus);
  const shippedCases = shippedSets.flatMap((set) =>
    set.cases.map((c) => {
      const expected = c.found === false ? undefined : (c.source ?? holderOf(firstPhrase(c)));
      if (c.found !== false && !expected)
        notes.push(`${set.name}:${c.line}: no shipped paragraph holds its first phrase`);
      else if (expected && !shippedCorpus.sources.has(expected)) {
        notes.push(`${set.name}:${c.line}: source ${expected} is not in ${opts.dataDir}`);
      }
      return { ...c, set: set.name, expectedSource: expected };
    }),
  );
  shipped.cases = withBaseline(shippedCases, shipped);
  const suites: Suite[] = shippedCases.length > 0 ? [shipped] : [];

  const root = fs.mkdtempSync(path.join(opts.tmpDir, 'threatdesk-eval-'));
  try {
    if (unseenSets.length > 0) {
      const unseen = unseenSuite(root, unseenDir, unseenSets, opts, notes);
      suites.push(unseen);
      // The shipped questions again, of the corpus with the unseen documents beside the shipped
      // ones: their answers should not move to a new document that does not answer them.
      if (unseen.engine.corpus.sources.size > shippedCorpus.sources.size && shippedCases.length > 0) {
        suites.push({
          ...unseen,
          name: 'after-ingest',
          kind: 'after-ingest',
          cases: withBaseline(shippedCases, unseen),
        });
      }
    }
    if (opts.cold) suites.push(...coldSuites(root, shippedCorpus, shippedCases, opts));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return {
    suites,
    sets: [...shippedSets, ...unseenSets].map((s) => s.name),
    notes,
    ms: performance.now() - started,
  };
}

/**
 * The same suites with every engine rebuilt with other index options (the corpora are kept, so no
 * file is read again).
 *
 * @example const wider = withIndexOptions(prepared, { b: 0.75 });
 */
export function withIndexOptions(prepared: PreparedSuites, indexOptions: Partial<IndexOptions>): PreparedSuites {
  return {
    ...prepared,
    suites: prepared.suites.map((s) => ({ ...s, engine: createAnswerEngine(s.engine.corpus, indexOptions) })),
  };
}

/** The `*.jsonl` files of a directory, `dev.jsonl` first, then by name. */
function readSets(dir: string, prefix: string): LoadedSet[] {
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && !f.startsWith('.'))
    .sort((a, b) => Number(b === 'dev.jsonl') - Number(a === 'dev.jsonl') || a.localeCompare(b));
  return files.map((f) => {
    const file = path.join(dir, f);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let cases: EvalCase[];
    try {
      cases = parseEvalSet(lines.join('\n'), file);
    } catch (e) {
      throw new EvalSetupError((e as Error).message);
    }
    const lineNumbers = lines.flatMap((l, i) => (l.trim() ? [i + 1] : []));
    return {
      name: `${prefix}${f.slice(0, -'.jsonl'.length)}`,
      cases: cases.map((c, i) => ({ ...c, line: lineNumbers[i] ?? 0 })),
    };
  });
}

/** The phrase that names a case's paragraph: the first of `any`, else the first of `all`. */
function firstPhrase(c: EvalCase): string | undefined {
  return c.any?.[0] ?? c.all?.[0];
}

/** Finds the source whose paragraph holds a phrase (the first such source, newest first). */
function paragraphHolder(corpus: Corpus): (phrase: string | undefined) => string | undefined {
  const paragraphs = allParagraphs(corpus).map((p) => ({ source: p.source, text: normalizePhrase(p.text) }));
  return (phrase) => {
    if (!phrase) return undefined;
    const wanted = normalizePhrase(phrase);
    return paragraphs.find((p) => p.text.includes(wanted))?.source;
  };
}

function makeSuite(
  name: string,
  kind: SuiteKind,
  corpus: Corpus,
  paragraphs: VerbatimParagraphs,
  opts: PrepareOptions,
): Suite {
  return { name, kind, engine: createAnswerEngine(corpus, opts.indexOptions), paragraphs, cases: [] };
}

/** Cases with their half and the baseline's outcome on this suite's corpus. */
function withBaseline(
  cases: (EvalCase & { set: string; line: number; expectedSource?: string })[],
  suite: Suite,
): SuiteCase[] {
  const baseline = createBaseline(suite.engine.corpus);
  return cases.map((c) => {
    const reply = baseline(c.q);
    const broken = reply.citations.filter((x) => !isVerbatim(suite.paragraphs, x)).length;
    return { ...c, half: halfOf(c.q), baseline: outcomeOf(c, reply), baselineBroken: broken };
  });
}

/** Copies a data directory to `dest` (created). */
function copyData(dataDir: string, dest: string): void {
  fs.cpSync(dataDir, dest, {
    recursive: true,
    filter: (src) => !path.basename(src).startsWith('.') || src === dataDir,
  });
}

/** Ingests files into a data copy; throws an EvalSetupError naming any file that was refused. */
function ingestInto(dataDir: string, files: string[]): Map<string, string> {
  let results: ReturnType<typeof ingestFiles>;
  try {
    results = ingestFiles(files, { dataDir });
  } catch (e) {
    if (e instanceof IngestError) throw new EvalSetupError(`eval: ${e.message.split('\n').join('; ')}`);
    throw e;
  }
  const ids = new Map<string, string>();
  for (const r of results) {
    if (!r.ok) throw new EvalSetupError(`eval: ${r.error.split('\n').join('; ')}`);
    ids.set(r.file, r.id);
  }
  return ids;
}

/** Loads a temporary data copy, reporting a failure as the copy's problem. */
function loadCopy(dir: string, what: string): Corpus {
  try {
    return loadCorpus(dir);
  } catch (e) {
    if (e instanceof DataError)
      throw new EvalSetupError(`eval: the ${what} copy does not load: ${e.issues[0]?.message}`);
    throw e;
  }
}

function unseenSuite(root: string, unseenDir: string, sets: LoadedSet[], opts: PrepareOptions, notes: string[]): Suite {
  const copy = path.join(root, 'unseen');
  copyData(opts.dataDir, copy);
  const sourcesDir = path.join(unseenDir, 'sources');
  const files = fs.existsSync(sourcesDir)
    ? fs
        .readdirSync(sourcesDir)
        .filter((f) => f.endsWith('.txt') && !f.startsWith('.'))
        .sort()
        .map((f) => path.join(sourcesDir, f))
    : [];
  const ids = ingestInto(copy, files);
  // Ingest names a source after its title, so a set's `doc` (the file name) maps to the new id.
  const idOfDoc = new Map([...ids].map(([file, id]) => [path.basename(file, '.txt'), id]));
  const suite = makeSuite('unseen', 'unseen', loadCopy(copy, 'unseen'), readVerbatimParagraphs(copy), opts);
  const holderOf = paragraphHolder(suite.engine.corpus);
  const cases = sets.flatMap((set) =>
    set.cases.map((c) => {
      const doc = c.doc ?? c.source;
      const expected = c.found === false ? undefined : doc ? (idOfDoc.get(doc) ?? doc) : holderOf(firstPhrase(c));
      if (doc && c.found !== false && !idOfDoc.has(doc) && !suite.engine.corpus.sources.has(doc)) {
        notes.push(`${set.name}:${c.line}: doc ${doc} is neither in unseen/sources nor in the data`);
      }
      return { ...c, set: set.name, expectedSource: expected };
    }),
  );
  suite.cases = withBaseline(cases, suite);
  return suite;
}

/**
 * One suite per shipped source that answers a case: the data without that source and its claims,
 * then the source's file ingested as a new document.
 */
function coldSuites(
  root: string,
  corpus: Corpus,
  cases: (EvalCase & { set: string; line: number; expectedSource?: string })[],
  opts: PrepareOptions,
): Suite[] {
  const suites: Suite[] = [];
  let i = 0;
  for (const source of corpus.sources.keys()) {
    const asked = cases.filter((c) => c.expectedSource === source);
    if (asked.length === 0) continue;
    const copy = path.join(root, `cold-${++i}`);
    copyData(opts.dataDir, copy);
    removeSource(copy, source);
    const file = path.join(opts.dataDir, 'sources', `${source}.txt`);
    const newId = ingestInto(copy, [file]).get(file) as string;
    const suite = makeSuite(
      `cold:${source}`,
      'cold',
      loadCopy(copy, `cold:${source}`),
      readVerbatimParagraphs(copy),
      opts,
    );
    suite.cases = withBaseline(
      asked.map((c) => ({ ...c, expectedSource: newId })),
      suite,
    );
    suites.push(suite);
    fs.rmSync(copy, { recursive: true, force: true });
  }
  return suites;
}

/** Deletes a source from a data copy with every claim on it; a claims file left empty goes too. */
function removeSource(dataDir: string, source: string): void {
  fs.rmSync(path.join(dataDir, 'sources', `${source}.txt`));
  const claimsDir = path.join(dataDir, 'claims');
  if (!fs.existsSync(claimsDir)) return;
  for (const f of fs.readdirSync(claimsDir).filter((n) => n.endsWith('.json'))) {
    const file = path.join(claimsDir, f);
    const claims = JSON.parse(fs.readFileSync(file, 'utf8')) as { source?: string }[];
    const kept = claims.filter((c) => c.source !== source);
    if (kept.length === claims.length) continue;
    if (kept.length === 0) fs.rmSync(file);
    else fs.writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`);
  }
}
