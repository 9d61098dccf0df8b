/**
 * Where the bot's CPU time went, from a V8 CPU profile. Each sample is charged to the nearest frame
 * up its stack that belongs to a known part (answering in the core, rendering, Bolt, posting the
 * answer with axios, Node's HTTP), so a regex run inside escapeSlackText counts as rendering and a
 * socket write under axios as posting the answer. Then the functions with the most self time. Idle
 * time is left out.
 */
import type { Profiler } from 'node:inspector';

/** The parts, first match wins when walking from the sampled frame towards the root. */
const PARTS: [string, RegExp][] = [
  ['posting answers: axios + follow-redirects (Bolt respond())', /node_modules\/(axios|follow-redirects)\//],
  ['rendering Block Kit (render-blocks, escaping)', /src\/(adapters\/slack\/render-blocks\.ts|core\/render\/)/],
  ['answering: the core (src/core, commands/)', /\/(src\/core|commands)\//],
  ['slack listeners', /src\/adapters\/slack\//],
  ['Bolt: receiver, signature check, middleware', /node_modules\/(@slack|raw-body|tsscmp)\//],
  ['load-test instrumentation', /\/bench\//],
  ['Node HTTP server and client, sockets, streams', /^node:(_http|net|internal\/streams|stream|internal\/http)/],
];

/** A few report lines: the parts, then the top functions, each with ms and share of busy time. */
export function summarizeProfile(profile: Profiler.Profile, top = 10): string[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const mean = samples.length ? (profile.endTime - profile.startTime) / samples.length : 0;
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    // Each sample's time is the gap to the next sample (the last one gets the mean).
    const us = deltas[i + 1] ?? mean;
    busyUs += us;
    const part = partOf(id, nodes, parent);
    byPart.set(part, (byPart.get(part) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  });
  const line = ([what, us]: [string, number]) =>
    `  ${String(Math.round(us / 1000)).padStart(6)} ms ${String(Math.round((us / Math.max(1, busyUs)) * 100)).padStart(3)}%  ${what}`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return [
    `busy ${Math.round(busyUs / 1000)} ms on the bot's main thread; by part (including what each part called):`,
    ...sorted(byPart).map(line),
    'functions with the most self time:',
    ...sorted(byFunction).slice(0, top).map(line),
  ];
}

function partOf(
  id: number,
  nodes: ReadonlyMap<number, Profiler.ProfileNode>,
  parent: ReadonlyMap<number, number>,
): string {
  const leaf = nodes.get(id)?.callFrame.functionName;
  if (leaf === '(garbage collector)') return 'garbage collection';
  if (leaf === '(program)') return '(program: V8 and native code outside JavaScript)';
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const url = nodes.get(cur)?.callFrame.url ?? '';
    for (const [part, pattern] of PARTS) if (pattern.test(url)) return part;
  }
  return 'other (event loop, timers, native)';
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/(src|commands|bench)\//, '$1/');
}
