/**
 * Creating a directory and its missing parents, one level at a time.
 *
 * Why not `fs.mkdirSync(dir, { recursive: true })`: on Linux, Node 20's recursive mkdir spins
 * forever at full CPU under /proc (`/proc/x/y`), where mkdir keeps answering ENOENT. Going down
 * from the nearest directory that exists, each level is one plain mkdir that fails at once.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes `dir` and any missing parents. Throws the first failing mkdir's error (ENOENT, EACCES,
 * ENOTDIR, EROFS…); a `dir` that is already a directory is fine.
 *
 * @example makeDirectory('var/cache') // creates var/ and var/cache/ when missing
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (error) {
      // Made meanwhile by another process: what was wanted.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw error;
    }
  }
  if (missing.length === 0 && !fs.statSync(at).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
  }
}
