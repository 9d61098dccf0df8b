/**
 * What Linux says about CPU contention, for the load test: how much CPU every process on the machine
 * used (/proc/stat), and how long this process's main thread (the event loop) waited, runnable, for
 * a CPU (/proc/self/schedstat). Both are undefined where /proc is missing.
 */
import fs from 'node:fs';

/** CPU time used so far by every process on the machine, ms (USER_HZ 100). */
export function machineCpuMs(): number | undefined {
  try {
    const first = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = first.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
    const busy = fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
    return busy * 10;
  } catch {
    return undefined;
  }
}

/**
 * Time this process's main thread has spent runnable but waiting for a CPU, ms: the event loop had
 * work and nothing ran it because other threads or processes held both cores.
 */
export function runQueueWaitMs(): number | undefined {
  try {
    const [, waitNs] = fs.readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return waitNs === undefined ? undefined : waitNs / 1e6;
  } catch {
    return undefined;
  }
}
