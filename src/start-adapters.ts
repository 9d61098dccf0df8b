/**
 * Starts the Slack and Discord adapters whose credentials are configured. A platform that fails to
 * start is reported and skipped; the others (and the terminal) keep running.
 */
import type { Config } from './core/config.ts';
import type { Runtime } from './core/runtime.ts';
import type { PlatformSender } from './core/subscriptions/sender.ts';

/** A started platform adapter. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}

/**
 * @example const { adapters, senders } = await startPlatformAdapters(runtime, readConfig(), console.error);
 */
export async function startPlatformAdapters(
  _runtime: Runtime,
  config: Config,
  log: (message: string) => void,
): Promise<{ adapters: RunningAdapter[]; senders: PlatformSender[] }> {
  const adapters: RunningAdapter[] = [];
  const senders: PlatformSender[] = [];
  if (config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.DISCORD_TOKEN) {
    log('platform credentials are set, but the Slack and Discord adapters are not wired in yet');
  }
  return { adapters, senders };
}
