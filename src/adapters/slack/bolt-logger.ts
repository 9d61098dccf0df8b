/**
 * A logger for Bolt and the Slack SDK clients that forwards their warnings and errors to the
 * adapter's log as short strings. Objects are never printed whole: a web-api error carries the
 * request, and with it the bot token. The same line repeated within a minute is dropped, so an
 * unreachable API or a flood of badly signed requests cannot flood the log.
 */
import { type Logger, LogLevel } from '@slack/bolt';
import { describeSlackError } from './slack-errors.ts';

const ORDER = [LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG];
const REPEAT_WINDOW_MS = 60_000;

/** The SDK's own per-request warning; the adapter reports those failures itself, with context. */
const NOISE = /^http request failed/;

/**
 * A Bolt `Logger` writing `slack: …` lines through `log`, at `level` and above (default warn).
 *
 * @example new App({ logger: createBoltLogger(console.error), ... })
 */
export function createBoltLogger(log: (message: string) => void, level: LogLevel = LogLevel.WARN): Logger {
  let current = level;
  let last = '';
  let lastAt = 0;
  const write = (at: LogLevel, parts: unknown[]) => {
    if (ORDER.indexOf(at) > ORDER.indexOf(current)) return;
    const text = parts.map(formatPart).join(' ').replace(/\s+/g, ' ').trim().slice(0, 500);
    if (!text || NOISE.test(text)) return;
    const now = Date.now();
    if (text === last && now - lastAt < REPEAT_WINDOW_MS) return;
    last = text;
    lastAt = now;
    log(`slack: ${text}`);
  };
  return {
    debug: (...parts: unknown[]) => write(LogLevel.DEBUG, parts),
    info: (...parts: unknown[]) => write(LogLevel.INFO, parts),
    warn: (...parts: unknown[]) => write(LogLevel.WARN, parts),
    error: (...parts: unknown[]) => write(LogLevel.ERROR, parts),
    setLevel: (next: LogLevel) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => {},
  };
}

function formatPart(part: unknown): string {
  if (typeof part === 'string') return part;
  if (typeof part === 'number' || typeof part === 'boolean') return String(part);
  if (part instanceof Error) return describeSlackError(part);
  return '';
}
