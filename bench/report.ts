/**
 * The bench's printed output: a table a person reads, the targets checked, and the one JSON line
 * a script compares (the contract in docs/design.md: exactly these keys, in this order).
 */

/** What the phases measured for one corpus; absent figures are phases that failed. */
export interface SizeResult {
  label: string;
  paragraphs: number;
  claims?: number;
  loadMs?: number;
  buildMs?: number;
  indexMs?: number;
  readyMs?: number;
  answerP50Ms?: number;
  answerP99Ms?: number;
  /** p99 of a second pass over the questions, when the first was quick. */
  warmP99Ms?: number;
  flexP50Ms?: number;
  flexP99Ms?: number;
  searchP50Ms?: number;
  searchP99Ms?: number;
  minisearchBuildMs?: number;
  minisearchP50Ms?: number;
  minisearchP99Ms?: number;
  minisearchQuestions?: number;
  questions?: number;
  buildRssMB?: number;
  serveRssMB?: number;
  readyRssMB?: number;
  readParts?: { snapshotMs: number; engineMs: number; firstAnswerMs: number };
  /** Live heap + array buffers after loading the corpus, and once ready (after a collection). */
  memory?: { corpus: { heap: number; buffers: number }; ready: { heap: number; buffers: number } };
  wallS: number;
  errors: string[];
}

const COLUMNS: [string, (r: SizeResult) => number | string | undefined][] = [
  ['corpus', (r) => r.label],
  ['paragraphs', (r) => r.paragraphs],
  ['claims', (r) => r.claims],
  ['load corpus ms', (r) => r.loadMs],
  ['build ms', (r) => r.buildMs],
  ['index only ms', (r) => r.indexMs],
  ['MiniSearch build ms', (r) => r.minisearchBuildMs],
  ['ready ms', (r) => r.readyMs],
  ['answer p50', (r) => r.answerP50Ms],
  ['answer p99', (r) => r.answerP99Ms],
  ['flex p50', (r) => r.flexP50Ms],
  ['flex p99', (r) => r.flexP99Ms],
  ['search p50', (r) => r.searchP50Ms],
  ['search p99', (r) => r.searchP99Ms],
  ['MiniSearch p50', (r) => r.minisearchP50Ms],
  ['MiniSearch p99', (r) => r.minisearchP99Ms],
  ['questions (MiniSearch)', (r) => `${r.questions ?? '-'} (${r.minisearchQuestions ?? '-'})`],
  ['peak RSS MB build/ready/serve', (r) => `${r.buildRssMB ?? '-'}/${r.readyRssMB ?? '-'}/${r.serveRssMB ?? '-'}`],
  [
    'live MB corpus/ready',
    (r) =>
      r.memory && `${r.memory.corpus.heap + r.memory.corpus.buffers}/${r.memory.ready.heap + r.memory.ready.buffers}`,
  ],
  ['wall s', (r) => r.wallS],
];

/** A plain-text table, one row per corpus. */
export function formatTable(rows: SizeResult[]): string {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, get]) => String(get(r) ?? '-')))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] as string[]), ...cells.slice(1).map(line)].join('\n');
}

/** Where each corpus's ready time went: snapshot read and flexsearch import, engine, first answer. */
export function formatReadyParts(rows: SizeResult[]): string {
  return rows
    .filter((r) => r.readParts)
    .map((r) => {
      const p = r.readParts as NonNullable<SizeResult['readParts']>;
      return `ready ${r.label}: read snapshot ${p.snapshotMs} ms + restore engine ${p.engineMs} ms + first answer ${p.firstAnswerMs} ms`;
    })
    .join('\n');
}

/** The performance targets (docs/design.md), checked on one row (meant for the 100k-paragraph corpus). */
export function checkTargets(r: SizeResult): string[] {
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a ' : ok ? 'met ' : 'MISS');
  const ratio = r.answerP99Ms !== undefined && r.flexP99Ms ? r.answerP99Ms / r.flexP99Ms : undefined;
  return [
    `${verdict(ratio === undefined ? undefined : ratio <= 2)} answer p99 ≤ 2× flexsearch p99: ${r.answerP99Ms} ms vs ${r.flexP99Ms} ms (${ratio?.toFixed(1)}×)`,
    `${verdict(r.indexMs === undefined || r.minisearchBuildMs === undefined ? undefined : r.indexMs <= r.minisearchBuildMs)} index build ≤ MiniSearch build: ${r.indexMs} ms vs ${r.minisearchBuildMs} ms (whole engine ${r.buildMs} ms)`,
    `${verdict(r.readyMs === undefined ? undefined : r.readyMs < 2000)} ready from the persisted index < 2 s: ${r.readyMs} ms`,
    `${verdict(r.buildRssMB === undefined ? undefined : Math.max(r.buildRssMB, r.serveRssMB ?? 0) < 500)} peak RSS < 500 MB: build ${r.buildRssMB} MB, serve ${r.serveRssMB} MB`,
  ];
}

/** The last line: `{"sizes":[...]}` with exactly the contract's keys. */
export function jsonLine(rows: SizeResult[]): string {
  const sizes = rows.map((r) => ({
    paragraphs: r.paragraphs,
    buildMs: r.buildMs ?? null,
    readyMs: r.readyMs ?? null,
    answerP50Ms: r.answerP50Ms ?? null,
    answerP99Ms: r.answerP99Ms ?? null,
    flexP50Ms: r.flexP50Ms ?? null,
    flexP99Ms: r.flexP99Ms ?? null,
    minisearchBuildMs: r.minisearchBuildMs ?? null,
    // minisearchP50Ms was added beyond the original contract; docs/design.md lists every key.
    minisearchP50Ms: r.minisearchP50Ms ?? null,
    minisearchP99Ms: r.minisearchP99Ms ?? null,
    rssMB:
      r.buildRssMB === undefined && r.serveRssMB === undefined ? null : Math.max(r.buildRssMB ?? 0, r.serveRssMB ?? 0),
  }));
  return JSON.stringify({ sizes });
}
