/**
 * Every command, listed explicitly (no folder scanning): adapters, help, the Discord registration
 * payload and the Slack manifest all read this list.
 */
import type { AnyCommand } from '../src/core/commands/define-command.ts';
import actors from './actors.ts';
import ask from './ask.ts';
import denials from './denials.ts';
import feeds from './feeds.ts';
import help from './help.ts';
import search from './search.ts';
import sources from './sources.ts';
import subscribe from './subscribe.ts';
import subscriptions from './subscriptions.ts';
import unsubscribe from './unsubscribe.ts';

export const commands: readonly AnyCommand[] = [
  ask,
  denials,
  actors,
  sources,
  search,
  subscribe,
  unsubscribe,
  subscriptions,
  feeds,
  help,
];
