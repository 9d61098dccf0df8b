/**
 * The architecture boundary: the core (`src/core`) and the commands (`commands/`) are platform
 * neutral. They never import a platform SDK, nor anything from `src/adapters`. The core holds only
 * what answering needs: it never imports the updates pipeline (`src/updates`: feeds, ingest,
 * subscriptions) nor the evaluation (`src/eval`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const adaptersDir = path.join(repoRoot, 'src', 'adapters');
const coreDir = path.join(repoRoot, 'src', 'core');
/** Folders the core must not import from, though commands may. */
const OUTSIDE_CORE = ['updates', 'eval'].map((d) => path.join(repoRoot, 'src', d));

function isInside(dir: string, target: string): boolean {
  const relative = path.relative(dir, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Platform SDKs: the packages themselves and any of their subpaths. */
const PLATFORM_PACKAGES = /^(?:discord\.js|@discordjs\/[^/]+|@slack\/(?:bolt|web-api|socket-mode|[^/]+))(?:\/|$)/;

/**
 * Every module specifier in TypeScript source: static imports and re-exports (`import … from`,
 * `import '…'`, `export … from`, `import type`), dynamic `import('…')`, and `require('…')`.
 */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1] as string));
}

/** Why `specifier`, imported from `file`, crosses the boundary; undefined when it does not. */
function boundaryViolation(file: string, specifier: string): string | undefined {
  if (PLATFORM_PACKAGES.test(specifier)) return `imports the platform SDK ${specifier}`;
  const target = specifier.startsWith('.')
    ? path.resolve(path.dirname(file), specifier)
    : path.resolve(repoRoot, specifier.replace(/^\//, ''));
  if (isInside(adaptersDir, target)) return `imports the adapter module ${specifier}`;
  if (isInside(coreDir, file) && OUTSIDE_CORE.some((dir) => isInside(dir, target))) {
    return `imports ${specifier}, which is outside what answering needs`;
  }
  return undefined;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(full);
    return /\.(?:ts|mts|cts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

describe('boundary', () => {
  const files = [...tsFiles(path.join(repoRoot, 'src', 'core')), ...tsFiles(path.join(repoRoot, 'commands'))];

  it('finds the core and command modules to check', () => {
    expect(files.some((f) => f.endsWith(path.join('src', 'core', 'reply.ts')))).toBe(true);
    expect(files.some((f) => f.endsWith(path.join('commands', 'index.ts')))).toBe(true);
    expect(files.length).toBeGreaterThan(15);
    const reply = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'reply.ts'), 'utf8');
    expect(importSpecifiers(reply)).toContain('./corpus/corpus.ts');
  });

  it('no file under src/core or commands imports discord.js, @slack/* or src/adapters; src/core never imports src/updates or src/eval', () => {
    const violations = files.flatMap((file) =>
      importSpecifiers(fs.readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = boundaryViolation(file, specifier);
        return why ? [`${path.relative(repoRoot, file)} ${why}`] : [];
      }),
    );
    expect(violations).toEqual([]);
  });

  it('recognises every form of import the check relies on', () => {
    const source = [
      "import { Client } from 'discord.js';",
      "import type { App } from '@slack/bolt';",
      "import '@slack/socket-mode';",
      "export { WebClient } from '@slack/web-api';",
      "export * from '../../adapters/terminal/repl.ts';",
      'import {\n  renderText,\n  styleFor,\n} from "../../adapters/terminal/render-text.ts";',
      "const rest = await import('@discordjs/rest');",
      "const bolt = require('@slack/bolt/dist/App');",
    ].join('\n');
    const specifiers = importSpecifiers(source);
    expect(specifiers).toEqual(
      expect.arrayContaining([
        'discord.js',
        '@slack/bolt',
        '@slack/socket-mode',
        '@slack/web-api',
        '../../adapters/terminal/repl.ts',
        '../../adapters/terminal/render-text.ts',
        '@discordjs/rest',
        '@slack/bolt/dist/App',
      ]),
    );
    const file = path.join(repoRoot, 'src', 'core', 'answer', 'example.ts');
    for (const s of specifiers) expect(boundaryViolation(file, s), s).toBeDefined();
    const command = path.join(repoRoot, 'commands', 'example.ts');
    expect(boundaryViolation(command, '../src/adapters/terminal/repl.ts')).toBeDefined();
    expect(boundaryViolation(file, '../../updates/ingest/ingest.ts')).toBeDefined();
    expect(boundaryViolation(file, '../../eval/suites.ts')).toBeDefined();
    expect(boundaryViolation(command, '../src/updates/subscriptions/registry.ts')).toBeUndefined();
  });

  it('allows the core its own modules, node built-ins and ordinary packages', () => {
    const file = path.join(repoRoot, 'src', 'core', 'commands', 'respond.ts');
    for (const s of [
      '../reply.ts',
      './run-command.ts',
      'node:fs',
      'zod',
      'flexsearch',
      'discord.jsx',
      '../adapters-x.ts',
    ]) {
      expect(boundaryViolation(file, s), s).toBeUndefined();
    }
  });
});
