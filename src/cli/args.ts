/**
 * The few command-line flags the scripts share: `--json`, `--data DIR`, `--help`, and the rest as
 * words.
 */
export interface CliArgs {
  json: boolean;
  data: string | undefined;
  help: boolean;
  rest: string[];
  /** Any other `--flag value` pairs. */
  flags: Record<string, string>;
}

/**
 * @example parseArgs(['--json', '--data', 'd', 'who', 'denied']) // { json: true, data: 'd', rest: ['who', 'denied'], ... }
 */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[] = []): CliArgs {
  const out: CliArgs = { json: false, data: undefined, help: false, rest: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') out.rest.push(...argv.slice(i + 1));
    else if (a === '--json') out.json = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--data' || a.startsWith('--data=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (!v) throw new Error('--data needs a directory');
      out.data = v;
    } else if (valueFlags.some((f) => a === `--${f}` || a.startsWith(`--${f}=`))) {
      const name = a.slice(2).split('=')[0] as string;
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      out.flags[name] = v;
    } else out.rest.push(a);
    if (a === '--') break;
  }
  return out;
}
