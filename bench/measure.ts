/**
 * Small measuring helpers for the bench: wall-clock timing, percentiles, peak memory.
 */

/** Runs `fn` and returns its result with the milliseconds it took. */
export function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/**
 * The p-th percentile (0–100) of samples, nearest-rank; 0 for no samples.
 *
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Milliseconds rounded to what a table can show: 3 significant decimals under 10 ms. */
export function ms(value: number): number {
  return value < 10 ? Math.round(value * 1000) / 1000 : Math.round(value * 10) / 10;
}

/** This process's peak resident set size so far, in MB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Heap and array-buffer bytes in use now, in MB, after a collection when `--expose-gc` is on. */
export function liveMemoryMB(): { heap: number; buffers: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: Math.round(m.heapUsed / 1048576), buffers: Math.round(m.arrayBuffers / 1048576) };
}
