/**
 * The command-line flags the scripts share (`--json`, `--data DIR`, `--help`), each script's own
 * flags, and the rest as words. A mistake on the command line is a `UsageError`: one line naming
 * the flag and what would fix it, printed by `runCli` with exit code 2, never a stack trace.
 */
import { ConfigError } from '../core/config.ts';
import { DataError } from '../core/corpus/load-corpus.ts';
import { EvalSetupError } from '../eval/eval-setup-error.ts';

/** What `parseArgs` read. */
export interface CliArgs {
  json: boolean;
  data: string | undefined;
  help: boolean;
  /** The words that are not options, in order; everything after `--` is a word. */
  rest: string[];
  /** The values of the script's own `--flag value` options. */
  flags: Record<string, string>;
  /** The script's own switches (flags without a value) that were given. */
  switches: string[];
}

/** What a script accepts besides its value flags. */
export interface ArgSpec {
  /** Whether `--json` is an option (default true). */
  json?: boolean;
  /** Whether `--data DIR` is an option (default true). */
  data?: boolean;
  /** Flags without a value, e.g. `['socket-mode']`. */
  switches?: readonly string[];
  /** How each value is named in messages (default `VALUE`; `--data` is `DIR`): `{ date: 'YYYY-MM-DD' }`. */
  metavars?: Readonly<Record<string, string>>;
}

/**
 * A mistake on the command line. The message is one line, without the script's name (`runCli`
 * puts it in front): `unknown option --bogus (options: --json, --data DIR, --help)`.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Reads `argv` (without node and the script). `--help`/`-h` is always an option, and `--json` and
 * `--data DIR` are unless `spec.json` / `spec.data` is false; `valueFlags` are the script's own
 * `--name VALUE` (or `--name=VALUE`) options and `spec.switches` its own flags without a value.
 * Anything else starting with `-` is a `UsageError`, as is a value flag without its value; `--`
 * ends the options, so a question can start with a dash.
 *
 * @example parseArgs(['--json', '--data', 'd', 'who', 'denied']) // { json: true, data: 'd', rest: ['who', 'denied'], ... }
 * @example parseArgs(['--bogus', 'who']) // throws UsageError: unknown option --bogus (options: --json, --data DIR, --help)
 */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[] = [], spec: ArgSpec = {}): CliArgs {
  const out: CliArgs = { json: false, data: undefined, help: false, rest: [], flags: {}, switches: [] };
  const json = spec.json ?? true;
  const data = spec.data ?? true;
  const switches = spec.switches ?? [];
  const metavar = (name: string) => (name === 'data' ? 'DIR' : (spec.metavars?.[name] ?? 'VALUE'));
  const known = [
    ...(json ? ['--json'] : []),
    ...(data ? ['--data DIR'] : []),
    ...valueFlags.map((f) => `--${f} ${metavar(f)}`),
    ...switches.map((s) => `--${s}`),
    '--help',
  ];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      out.rest.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') {
      out.help = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      out.rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : '';
    const inline = eq < 0 ? undefined : a.slice(eq + 1);
    if ((name === 'data' && data) || valueFlags.includes(name)) {
      // `--data --json` is a forgotten value, not a directory called "--json".
      const next = argv[i + 1];
      const value = inline ?? (next !== undefined && !next.startsWith('--') ? next : undefined);
      if (inline === undefined && value !== undefined) i++;
      if (!value) throw new UsageError(`--${name} needs a value: give it as --${name} ${metavar(name)}`);
      if (name === 'data') out.data = value;
      else out.flags[name] = value;
    } else if ((name === 'json' && json) || switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value; give it as --${name}`);
      if (name === 'json') out.json = true;
      else if (!out.switches.includes(name)) out.switches.push(name);
    } else {
      const flag = eq < 0 ? a : a.slice(0, eq);
      throw new UsageError(`unknown option ${flag} (options: ${known.join(', ')})`);
    }
  }
  return out;
}

/**
 * Refuses words a script does not take.
 *
 * @example noWords(parseArgs(['extra'], [], { json: false })) // throws UsageError: unexpected argument "extra" (this command takes none)
 */
export function noWords(args: Pick<CliArgs, 'rest'>): void {
  const [first] = args.rest;
  if (first !== undefined) throw new UsageError(`unexpected argument "${first}" (this command takes none)`);
}

/**
 * The one line for a start-up mistake (a `UsageError`, a `ConfigError` or a `DataError`), or
 * undefined for anything else. A UsageError is prefixed with the script's name; the others already
 * name their module (`config: …`, `data: …`).
 *
 * @example describeCliError('ask', new UsageError('unknown option --x (options: --help)')) // 'ask: unknown option --x (options: --help)'
 */
export function describeCliError(program: string, error: unknown): string | undefined {
  if (error instanceof UsageError) return `${program}: ${error.message}`;
  if (error instanceof ConfigError || error instanceof DataError || error instanceof EvalSetupError)
    return error.message;
  return undefined;
}

/**
 * Runs a script's `main` and sets `process.exitCode` to what it returns. A `UsageError`,
 * `ConfigError` or `DataError` thrown by it is printed on stderr as one line (a DataError lists
 * each problem on a line of its own) and exits with code 2, without a stack trace; anything else
 * is rethrown, since it is a bug. `program` is the script's name, or its usage line
 * (`usage: npm run --silent eval -- …`), from which the name is taken.
 *
 * @example
 * await runCli('eval', async () => {
 *   const args = parseArgs(process.argv.slice(2), ['set']); // a UsageError here exits 2
 *   return (await score(args)) ? 0 : 1;
 * });
 */
export async function runCli(program: string, main: () => number | Promise<number>): Promise<void> {
  const name = /^usage:.*?npm run (?:--silent )?([\w:-]+)/.exec(program)?.[1] ?? program;
  try {
    process.exitCode = await main();
  } catch (error) {
    const line = describeCliError(name, error);
    if (line === undefined) throw error;
    console.error(line);
    process.exitCode = 2;
  }
}
