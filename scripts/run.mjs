#!/usr/bin/env node
// `node scripts/run.mjs <entry.ts> [args…]`: runs a TypeScript entry as compiled JavaScript. The
// entry is bundled with esbuild (our code only; packages stay imports of node_modules) into
// .cache/threatdesk/ and imported from there, so a start pays no per-module transpiling as under
// tsx. The bundle is rebuilt when it is missing or when any file it was built from, this launcher,
// package.json or tsconfig.json has changed since; otherwise esbuild is not even loaded.
// The entry sees the same process.argv as under `tsx <entry.ts> [args…]`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, '.cache', 'threatdesk');
const self = fileURLToPath(import.meta.url);
const ALWAYS_WATCHED = [self, path.join(root, 'package.json'), path.join(root, 'tsconfig.json')];

const [entryArg, ...rest] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node scripts/run.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
const relative = path.relative(root, entry);
if (relative.startsWith('..') || path.isAbsolute(relative) || !fs.existsSync(entry)) {
  console.error(`run: ${entryArg} is not a file in ${root}`);
  process.exit(2);
}
// src/cli/ask.ts → .cache/threatdesk/src/cli/ask.mjs; its manifest lists what it was built from.
const bundle = path.join(cacheDir, relative.replace(/\.[cm]?ts$/, '.mjs'));
const manifestFile = `${bundle}.inputs.json`;

/** Modification time of a file, or -1 when it is gone (which forces a rebuild). */
function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** True when the bundle exists and every file in its manifest still has the recorded time. */
function isFresh() {
  if (!fs.existsSync(bundle)) return false;
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  return Object.entries(manifest.mtimes).every(([file, mtime]) => mtime >= 0 && mtimeOf(file) === mtime);
}

/** Writes `text` to `file` through a temporary file and a rename, so no reader sees half of it. */
function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

async function build() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  // A file changed while esbuild read it is recorded as gone, so the next run builds again.
  const inputs = [...Object.keys(result.metafile.inputs).map((f) => path.resolve(f)), ...ALWAYS_WATCHED];
  const mtimes = Object.fromEntries(
    inputs.map((file) => {
      const mtime = mtimeOf(file);
      return [file, mtime < startedAt ? mtime : -1];
    }),
  );
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  // The map first and the bundle last: a bundle in place always has its map beside it.
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const js = result.outputFiles.find((f) => !f.path.endsWith('.map'));
  if (map) writeAtomically(map.path, map.contents);
  writeAtomically(bundle, js.contents);
  writeAtomically(manifestFile, `${JSON.stringify({ entry, mtimes }, null, 2)}\n`);
}

let target = bundle;
try {
  if (!isFresh()) await build();
} catch (error) {
  // esbuild has already printed what is wrong with the code.
  if (Array.isArray(error.errors)) process.exit(1);
  // A read-only checkout: run the TypeScript through tsx as before, only slower.
  console.error(
    `run: cannot write ${path.relative(root, bundle)} (${error.code ?? error.message}); running through tsx`,
  );
  (await import('tsx/esm/api')).register();
  target = entry;
}
// Stack traces name the .ts files and lines, as they did under tsx.
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(target).href);
