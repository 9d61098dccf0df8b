/**
 * `npm run slack:manifest [-- --socket-mode] [--request-url URL] [--prefix P] [--name NAME] [--out FILE]`: writes
 * the Slack app manifest generated from `commands/` (default `slack/manifest.yml`), ready to paste
 * into "Create New App → From an app manifest". `--out -` prints it instead. In HTTP mode the
 * manifest also lists the OAuth redirect URL (multi-workspace mode) on the request URL's host.
 */
import fs from 'node:fs';
import path from 'node:path';
import { commands } from '../../commands/index.ts';
import { buildManifest, PLACEHOLDER_REQUEST_URL, redirectUrl, toYaml } from '../adapters/slack/manifest.ts';
import { makeDirectory } from '../core/make-directory.ts';
import { noWords, parseArgs, runCli, UsageError } from './args.ts';

const USAGE =
  'usage: npm run slack:manifest [-- --socket-mode] [--request-url https://HOST/slack/events] [--prefix td] [--name NAME] [--out FILE|-]';

await runCli('slack-manifest', () => {
  const args = parseArgs(process.argv.slice(2), ['request-url', 'prefix', 'name', 'out'], {
    json: false,
    data: false,
    switches: ['socket-mode'],
    metavars: { 'request-url': 'URL', prefix: 'P', name: 'NAME', out: 'FILE' },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  noWords(args);
  const socketMode = args.switches.includes('socket-mode');
  const requestUrl = args.flags['request-url'] ?? PLACEHOLDER_REQUEST_URL;
  let yaml: string;
  try {
    const manifest = buildManifest(commands, {
      socketMode,
      requestUrl,
      prefix: args.flags.prefix,
      name: args.flags.name,
    });
    yaml = toYaml(manifest);
  } catch (error) {
    // buildManifest refuses a bad --request-url, --prefix or --name with one line naming it.
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const out = args.flags.out ?? path.join('slack', 'manifest.yml');
  if (out === '-') {
    process.stdout.write(yaml);
    return 0;
  }
  try {
    makeDirectory(path.dirname(out));
    fs.writeFileSync(out, yaml);
  } catch (error) {
    throw new UsageError(
      `cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give --out another FILE, or --out - to print it`,
    );
  }
  // Multi-workspace mode needs the redirect URL registered; say where it points.
  const redirect = socketMode ? '' : `; OAuth redirect URL ${redirectUrl(requestUrl)}`;
  console.error(
    `slack-manifest: wrote ${out} (${commands.length} slash commands, ${socketMode ? 'Socket Mode' : 'HTTP mode'}${redirect})`,
  );
  return 0;
});
