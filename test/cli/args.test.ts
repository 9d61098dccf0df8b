import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCliError, noWords, parseArgs, runCli, UsageError } from '../../src/cli/args.ts';
import { ConfigError, readConfig } from '../../src/core/config.ts';

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('reads --json, --data DIR, --help and the question words', () => {
    expect(parseArgs(['--json', '--data', 'd', 'who', 'denied'])).toEqual({
      json: true,
      data: 'd',
      help: false,
      rest: ['who', 'denied'],
      flags: {},
      switches: [],
    });
    expect(parseArgs(['--data=other', '-h']).data).toBe('other');
    expect(parseArgs(['-h']).help).toBe(true);
  });

  it('refuses an unknown option, naming it and the options there are', () => {
    expect(usageError(() => parseArgs(['--bogus', 'Who does Russia prefer?']))).toBe(
      'unknown option --bogus (options: --json, --data DIR, --help)',
    );
    expect(usageError(() => parseArgs(['who', '-x']))).toContain('unknown option -x');
    expect(usageError(() => parseArgs(['--bogus=1']))).toContain('unknown option --bogus ');
  });

  it('lists only the options the script has', () => {
    expect(usageError(() => parseArgs(['--json'], [], { json: false }))).toBe(
      'unknown option --json (options: --data DIR, --help)',
    );
    expect(
      usageError(() => parseArgs(['--x'], ['date'], { metavars: { date: 'YYYY-MM-DD' }, switches: ['dry'] })),
    ).toBe('unknown option --x (options: --json, --data DIR, --date YYYY-MM-DD, --dry, --help)');
  });

  it('refuses --data in a script that reads no data directory', () => {
    expect(usageError(() => parseArgs(['--data', 'd'], [], { json: false, data: false }))).toBe(
      'unknown option --data (options: --help)',
    );
  });

  it('refuses a value flag without its value, saying how to give it', () => {
    expect(usageError(() => parseArgs(['--data']))).toBe('--data needs a value: give it as --data DIR');
    expect(usageError(() => parseArgs(['--data='])).startsWith('--data needs a value')).toBe(true);
    expect(usageError(() => parseArgs(['--data', '--json', 'who']))).toContain('--data needs a value');
    expect(usageError(() => parseArgs(['--title'], ['title']))).toBe('--title needs a value: give it as --title VALUE');
  });

  it('refuses a value given to a switch', () => {
    expect(usageError(() => parseArgs(['--json=yes']))).toBe('--json takes no value; give it as --json');
  });

  it('reads the script’s own value flags and switches', () => {
    const args = parseArgs(['--out', '-', '--socket-mode', '--prefix=td'], ['out', 'prefix'], {
      switches: ['socket-mode'],
    });
    expect(args.flags).toEqual({ out: '-', prefix: 'td' });
    expect(args.switches).toEqual(['socket-mode']);
  });

  it('treats everything after -- as words, so a question can start with dashes', () => {
    expect(parseArgs(['--json', '--', '--bogus', 'who?']).rest).toEqual(['--bogus', 'who?']);
    expect(parseArgs(['--', '-5 degrees']).json).toBe(false);
    expect(parseArgs(['-']).rest).toEqual(['-']);
  });
});

describe('noWords', () => {
  it('refuses a word for a script that takes none', () => {
    expect(() => noWords({ rest: [] })).not.toThrow();
    expect(usageError(() => noWords({ rest: ['extra'] }))).toBe(
      'unexpected argument "extra" (this command takes none)',
    );
  });
});

describe('describeCliError', () => {
  it('prefixes a usage error with the script and keeps config errors as they are', () => {
    expect(describeCliError('ask', new UsageError('unknown option --x (options: --help)'))).toBe(
      'ask: unknown option --x (options: --help)',
    );
    let config: unknown;
    try {
      readConfig({ SLACK_PORT: 'abc' });
    } catch (e) {
      config = e;
    }
    expect(config).toBeInstanceOf(ConfigError);
    expect(describeCliError('ask', config)).toBe((config as Error).message);
    expect(describeCliError('ask', new Error('bug'))).toBeUndefined();
  });
});

describe('runCli', () => {
  const saved = process.exitCode;
  afterEach(() => {
    process.exitCode = saved;
    vi.restoreAllMocks();
  });

  it('sets the exit code main returns', async () => {
    await runCli('eval', () => 1);
    expect(process.exitCode).toBe(1);
  });

  it('prints a usage error as one line and exits 2, taking the name from a usage line', async () => {
    const printed: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      printed.push(a);
    });
    await runCli('usage: npm run --silent eval -- [SET.jsonl] [--data DIR]', () => parseArgs(['--bogus']) && 0);
    expect(process.exitCode).toBe(2);
    expect(printed).toEqual([['eval: unknown option --bogus (options: --json, --data DIR, --help)']]);
  });

  it('rethrows what is not a usage, config or data error', async () => {
    await expect(
      runCli('ask', () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow('a bug');
  });
});
