/**
 * One bot instance for `npm run bench:scale`: what `npm start` runs (`node scripts/run.mjs
 * src/main.ts`) as a child process, stdin not a terminal, with the environment the bench gives it
 * and every other threatdesk variable blanked, so that a `.env` in the checkout cannot add a
 * Discord token or a database (dotenv never overrides a variable already set, even to '').
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { configSchema } from '../src/core/config.ts';

/** A running instance. */
export interface BotInstance {
  /** `bot-1`, `bot-2`, …: how the bench names it. */
  name: string;
  /** Its Slack bot token, which the stand-in uses to attribute posts. */
  token: string;
  pid: number;
  /** Its log (stderr and stdout), also written to `logFile`. */
  log(): string;
  logFile: string;
  /** True once it exited or was killed. */
  exited(): boolean;
  /**
   * Resolves once something accepts connections on 127.0.0.1:`port` (the instance's Slack HTTP
   * receiver); rejects when the instance exits first or after `timeoutMs`.
   */
  waitForPort(port: number, timeoutMs: number): Promise<void>;
  /** Resident memory in MiB now (Linux /proc); null once it exited or where /proc is missing. */
  rssMB(): number | null;
  /** SIGKILL, no shutdown: the crash the bench simulates. */
  crash(): void;
  /** SIGTERM (the bot's clean shutdown), then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of `startInstance`. */
export interface InstanceOptions {
  name: string;
  /** The repository root (where scripts/run.mjs is). */
  root: string;
  /** Variables for this instance (DATA_DIR, DB_PATH, SLACK_*, DATABASE_URL, …). */
  env: Record<string, string>;
  /** Where its log is written. */
  logFile: string;
}

/** Whether a TCP connection to 127.0.0.1:`port` is accepted now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Spawns one instance. It starts at once; wait for its readiness with `waitForPort`.
 *
 * @example
 * const bot = startInstance({ name: 'bot-1', root, env: { DATA_DIR, DB_PATH, … }, logFile });
 * await bot.waitForPort(port, 60_000);
 * await bot.stop();
 */
export function startInstance(options: InstanceOptions): BotInstance {
  const blank = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '']));
  const env = { ...process.env, ...blank, NO_COLOR: '1', ...options.env };
  const launcher = path.join(options.root, 'scripts', 'run.mjs');
  const child: ChildProcess = spawn(process.execPath, [launcher, path.join(options.root, 'src', 'main.ts')], {
    cwd: options.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = fs.createWriteStream(options.logFile);
  let text = '';
  let exitedWith: string | undefined;
  const onData = (chunk: Buffer) => {
    const s = chunk.toString();
    text += s;
    out.write(s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedWith = signal ?? `code ${code}`;
      out.end();
      resolve();
    });
    child.on('error', (error) => {
      exitedWith = `spawn error: ${error.message}`;
      out.end();
      resolve();
    });
  });

  return {
    name: options.name,
    token: options.env.SLACK_BOT_TOKEN ?? '',
    pid: child.pid ?? -1,
    logFile: options.logFile,
    log: () => text,
    exited: () => exitedWith !== undefined,
    async waitForPort(port, timeoutMs) {
      const end = performance.now() + timeoutMs;
      for (;;) {
        if (exitedWith !== undefined) {
          throw new Error(
            `${options.name} exited (${exitedWith}) before listening on ${port}; its log ends:\n${text.slice(-2000)}`,
          );
        }
        if (await accepts(port)) return;
        if (performance.now() > end) {
          throw new Error(
            `${options.name} did not listen on ${port} within ${timeoutMs} ms; its log ends:\n${text.slice(-2000)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    rssMB() {
      if (exitedWith !== undefined) return null;
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
        return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
      } catch {
        return null;
      }
    },
    crash() {
      if (exitedWith === undefined) child.kill('SIGKILL');
    },
    async stop(graceMs = 10_000) {
      if (exitedWith !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
