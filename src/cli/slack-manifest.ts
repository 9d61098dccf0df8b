/**
 * `npm run slack:manifest [-- --socket-mode] [--request-url URL] [--prefix P] [--name NAME] [--out FILE]`: writes
 * the Slack app manifest generated from `commands/` (default `slack/manifest.yml`), ready to paste
 * into "Create New App → From an app manifest". `--out -` prints it instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { commands } from '../../commands/index.ts';
import { buildManifest, toYaml } from '../adapters/slack/manifest.ts';
import { parseArgs } from './args.ts';

const USAGE =
  'usage: npm run slack:manifest [-- --socket-mode] [--request-url https://HOST/slack/events] [--prefix td] [--name NAME] [--out FILE|-]';

const args = parseArgs(process.argv.slice(2), ['request-url', 'prefix', 'name', 'out']);
const socketMode = args.rest.includes('--socket-mode');
const unknown = args.rest.filter((a) => a !== '--socket-mode');
if (args.help || unknown.length > 0) {
  if (unknown.length > 0) console.error(`slack-manifest: unknown argument ${unknown[0]}`);
  console.error(USAGE);
  process.exit(args.help ? 0 : 2);
}
let yaml: string;
try {
  const manifest = buildManifest(commands, {
    socketMode,
    requestUrl: args.flags['request-url'],
    prefix: args.flags.prefix,
    name: args.flags.name,
  });
  yaml = toYaml(manifest);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const out = args.flags.out ?? path.join('slack', 'manifest.yml');
if (out === '-') {
  process.stdout.write(yaml);
} else {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, yaml);
  console.error(
    `slack-manifest: wrote ${out} (${commands.length} slash commands, ${socketMode ? 'Socket Mode' : 'HTTP mode'})`,
  );
}
