/**
 * One bench phase in its own process, so its peak memory is its own:
 * `node --expose-gc scripts/run.mjs bench/run-phase.ts PHASE JSON-ARGS`. Prints one JSON line.
 *
 * - `bundle`: nothing (bench.ts runs it first, so the bundle is built before any measured phase).
 * - `generate`: writes a corpus of `paragraphs` paragraphs to `dir`.
 * - `build`: loads `dir`, builds the engine as `npm start` does, saves the index to `snapshot`.
 * - `serve`: loads `dir`, restores the engine from `snapshot`, answers the question set, and runs
 *   the same terms' flexsearch lookups on the same index. Its peak RSS is taken after answering,
 *   before those lookups; the peak with them is `floorRssMB`.
 * - `minisearch`: indexes the same texts with MiniSearch and runs the same questions.
 */
import MiniSearch from 'minisearch';
import { answer } from '../src/core/answer/answer.ts';
import { createAnswerEngine } from '../src/core/answer/engine.ts';
import { loadCorpus } from '../src/core/corpus/load-corpus.ts';
import { ParagraphIndex } from '../src/core/search/paragraph-index.ts';
import { loadIndex, saveIndex } from '../src/core/search/persist-index.ts';
import { parseQuestion } from '../src/core/understand/parse-question.ts';
import { generateCorpus, writeDataDir } from './generate-corpus.ts';
import { liveMemoryMB, ms, peakRssMB, percentile, timed } from './measure.ts';
import { benchQuestions, type QuestionKind } from './questions.ts';

/** How long the MiniSearch phase may spend on queries. */
const MINISEARCH_BUDGET_MS = 120_000;

/** Arguments every phase gets from bench.ts. */
export interface PhaseArgs {
  dir: string;
  snapshot: string;
  paragraphs?: number;
  baseDir?: string;
  perKind?: number;
}

function generate(args: PhaseArgs) {
  const base = loadCorpus(args.baseDir ?? 'data');
  const [generated, generateMs] = timed(() => generateCorpus(base, args.paragraphs ?? 1000));
  writeDataDir(args.dir, generated, args.baseDir ?? 'data');
  return { generateMs: ms(generateMs), claims: generated.claimCount, sources: generated.sources.length };
}

function build(args: PhaseArgs) {
  const [corpus, loadMs] = timed(() => loadCorpus(args.dir));
  const [engine, buildMs] = timed(() => createAnswerEngine(corpus));
  const [, saveMs] = timed(() => saveIndex(args.snapshot, engine.index, corpus));
  const rssMB = peakRssMB();
  const builtMemory = liveMemoryMB();
  // The index alone, for comparison with MiniSearch (the engine also finds names in every paragraph).
  const [, indexMs] = timed(() => new ParagraphIndex(corpus, {}, (p) => engine.index.extraTermsOf(p)));
  return {
    paragraphs: engine.index.size,
    claims: corpus.claims.length,
    loadMs: ms(loadMs),
    buildMs: ms(buildMs),
    indexMs: ms(indexMs),
    saveMs: ms(saveMs),
    rssMB,
    builtMemory,
  };
}

function serve(args: PhaseArgs) {
  const questions = benchQuestions(args.perKind ?? 50);
  const corpus = loadCorpus(args.dir);
  const corpusMemory = liveMemoryMB();
  const first = questions[0]?.text ?? 'What is Russia’s preference?';
  const start = performance.now();
  const { index, problem } = loadIndex(args.snapshot, corpus);
  if (!index) throw new Error(`bench: ${problem}`);
  const loadedAt = performance.now();
  const engine = createAnswerEngine(corpus, {}, index);
  const restoredAt = performance.now();
  answer(engine, first);
  const readyMs = performance.now() - start;
  const readyRssMB = peakRssMB();
  const memory = liveMemoryMB();

  for (const q of questions.slice(0, 50)) answer(engine, q.text);
  const byKind = new Map<QuestionKind, number[]>();
  const all: number[] = [];
  let found = 0;
  for (const q of questions) {
    const [reply, took] = timed(() => answer(engine, q.text));
    if (reply.found) found++;
    all.push(took);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), took]);
  }
  // Where a pass is quick (small corpora), a second pass shows the fully warmed-up process: the
  // first one still pays for JIT compilation in its slowest answers.
  const firstPassMs = all.reduce((a, b) => a + b, 0);
  // Whether the second pass runs depends on the first pass's speed: the peak before it is
  // comparable between runs whichever way that falls.
  const firstPassRssMB = peakRssMB();
  const second = firstPassMs < 10_000 ? questions.map((q) => timed(() => answer(engine, q.text))[1]) : [];
  // The peak of serving answers, before the floor below allocates flexsearch's result arrays for
  // every alternative of every question (up to the whole corpus each), which the bot never does.
  const servingRssMB = peakRssMB();
  // The floor: the flexsearch lookups for the same questions' terms, on the same index.
  const parsed = questions.map((q) => parseQuestion(q.text, engine).terms);
  const lookups = parsed.map((terms) => terms.flatMap((t) => t.alternatives));
  // Warm-up over every lookup: the index gives flexsearch a stem's lists on its first lookup, a
  // one-off the floor should not count.
  for (const alts of lookups) for (const a of alts) index.lookup(a.stems);
  const flex = lookups.map((alts) => timed(() => alts.map((a) => index.lookup(a.stems).length))[1]);
  // Our ranking layer alone (what rank() asks of it), to separate it from the rest of answer().
  const search = parsed.map((terms) => timed(() => index.search(terms, 200))[1]);
  return {
    readyMs: ms(readyMs),
    readParts: {
      snapshotMs: ms(loadedAt - start),
      engineMs: ms(restoredAt - loadedAt),
      firstAnswerMs: ms(start + readyMs - restoredAt),
    },
    readyRssMB,
    answerP50Ms: ms(percentile(all, 50)),
    answerP99Ms: ms(percentile(all, 99)),
    warmP99Ms: second.length ? ms(percentile(second, 99)) : undefined,
    flexP50Ms: ms(percentile(flex, 50)),
    flexP99Ms: ms(percentile(flex, 99)),
    searchP50Ms: ms(percentile(search, 50)),
    searchP99Ms: ms(percentile(search, 99)),
    kinds: Object.fromEntries(
      [...byKind].map(([k, v]) => [k, { p50: ms(percentile(v, 50)), p99: ms(percentile(v, 99)) }]),
    ),
    found,
    questions: questions.length,
    rssMB: servingRssMB,
    firstPassRssMB,
    floorRssMB: peakRssMB(),
    memory: { corpus: corpusMemory, ready: memory },
  };
}

function minisearch(args: PhaseArgs) {
  const questions = benchQuestions(args.perKind ?? 50);
  const corpus = loadCorpus(args.dir);
  const summaries = new Map<string, string[]>();
  for (const c of corpus.claims) {
    const key = `${c.source}#${c.paragraph}`;
    summaries.set(key, [...(summaries.get(key) ?? []), c.summary]);
  }
  // The same three fields our index ranks on: text, claim summaries, source header.
  const docs = [...corpus.sources.values()].flatMap((s) =>
    s.paragraphs.map((p) => ({
      id: `${p.source}#${p.n}`,
      text: p.text,
      summary: (summaries.get(`${p.source}#${p.n}`) ?? []).join(' '),
      header: `${s.title} ${s.publisher}`,
    })),
  );
  const [search, buildMs] = timed(() => {
    const index = new MiniSearch({ fields: ['text', 'summary', 'header'] });
    index.addAll(docs);
    return index;
  });
  for (const q of questions.slice(0, 50)) search.search(q.text);
  // At 100k paragraphs a MiniSearch query takes up to seconds: stop after a time budget, but not
  // before 10 questions of every kind (the set is interleaved, so any prefix is a mix).
  const took: number[] = [];
  const started = performance.now();
  for (const q of questions) {
    if (took.length >= 130 && performance.now() - started > MINISEARCH_BUDGET_MS) break;
    took.push(timed(() => search.search(q.text))[1]);
  }
  return {
    minisearchQuestions: took.length,
    minisearchBuildMs: ms(buildMs),
    minisearchP50Ms: ms(percentile(took, 50)),
    minisearchP99Ms: ms(percentile(took, 99)),
    rssMB: peakRssMB(),
  };
}

/** Nothing: run first so that scripts/run.mjs builds the bundle before a measured phase. */
function bundle() {
  return {};
}

const PHASES = { bundle, generate, build, serve, minisearch };
const [phase, raw] = process.argv.slice(2);
const run = PHASES[phase as keyof typeof PHASES];
if (!run) {
  console.error(`run-phase: unknown phase "${phase}"; use one of ${Object.keys(PHASES).join(', ')}`);
  process.exit(2);
}
console.log(JSON.stringify(run(JSON.parse(raw ?? '{}') as PhaseArgs)));
