/**
 * The Slack listeners: slash commands (acknowledged at once, answered through `respond()`), and
 * mentions and direct messages (answered in a thread under the asking message). Each builds an
 * Origin, runs the platform-neutral command through the core, and renders the Reply as Block Kit;
 * no command logic lives here.
 */
import type { App, webApi } from '@slack/bolt';
import type { AnyCommand, Origin } from '../../core/commands/define-command.ts';
import { respondToLine } from '../../core/commands/respond.ts';
import { errorReply } from '../../core/commands/run-command.ts';
import type { Reply } from '../../core/reply.ts';
import { contextFor, type Runtime } from '../../core/runtime.ts';
import { createAnswerTurns, type TakeTurn } from './answer-turns.ts';
import { questionFromMessage, slackTextToPlain } from './parse-message.ts';
import type { SeenEvents } from './recent-events.ts';
import { renderBlocks } from './render-blocks.ts';
import { describeSlackError } from './slack-errors.ts';

/** Where the adapter logs; the error, when given, is formatted by the logger. */
export type SlackLog = (message: string, error?: unknown) => void;

export interface ListenerDeps {
  runtime: Runtime;
  log: SlackLog;
  recent: SeenEvents;
}

/** A message event as far as the listeners read it (app_mention and message share these fields). */
interface MessageLike {
  channel: string;
  ts: string;
  text?: string;
  user?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
  channel_type?: string;
}

/** The Events API envelope fields the listeners read. */
interface EnvelopeLike {
  event_id?: string;
  team_id?: string;
  authorizations?: { user_id?: string }[];
}

/**
 * Registers every listener on `app`.
 *
 * @example registerListeners(app, { runtime, log, recent: new RecentEvents() })
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { log } = deps;

  // One listener for every command, so that a command Slack knows but this build does not (a renamed
  // or removed one) still gets an answer naming the nearest command instead of Slack's timeout error.
  app.command(/^\/[\w-]+$/, async ({ command, ack, respond }) => {
    await ack();
    const origin: Origin = {
      platform: 'slack',
      workspace: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
    };
    const name = commandName(command.command, deps.runtime.commands);
    const reply = await answerLine(`/${name} ${slackTextToPlain(command.text ?? '')}`, origin, deps);
    const { text, blocks } = renderBlocks(reply);
    try {
      await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', text, blocks });
    } catch (error) {
      log(`slack: could not answer ${command.command} through its response_url: ${describeSlackError(error)}`);
    }
  });

  // `client` carries the token authorize gave for this event's workspace, and `context.botUserId`
  // the bot's user there (unknown in one-workspace mode until auth.test has answered).
  app.event('app_mention', async ({ event, body, client, context }) => {
    await answerMessage(event as MessageLike, body as EnvelopeLike, client, context.botUserId, false, deps);
  });

  app.event('message', async ({ event, body, client, context }) => {
    const message = event as MessageLike;
    // Only direct messages from people: no channel chatter, edits, joins or bots (ourselves included).
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id !== undefined) return;
    await answerMessage(message, body as EnvelopeLike, client, context.botUserId, true, deps);
  });
}

async function answerMessage(
  message: MessageLike,
  body: EnvelopeLike,
  client: webApi.WebClient,
  botUserId: string | undefined,
  direct: boolean,
  deps: ListenerDeps,
): Promise<void> {
  const { log, recent } = deps;
  // Slack retries an event it thinks was lost, and a DM that mentions the bot may come twice.
  const keys = [`message:${message.channel}:${message.ts}`];
  if (body.event_id) keys.push(`event:${body.event_id}`);
  if (!(await recent.firstTime(...keys))) return;
  // Answering another bot's mention could start two bots talking to each other forever.
  if (message.bot_id !== undefined || !message.user) return;
  const question = questionFromMessage(message.text ?? '', botUserId ?? body.authorizations?.[0]?.user_id);
  const origin: Origin = {
    platform: 'slack',
    workspace: body.team_id ?? '',
    channel: message.channel,
    user: message.user,
  };
  const reply = await answerLine(question || '/help', origin, deps);
  const { text, blocks } = renderBlocks(reply);
  const thread_ts = message.thread_ts ?? message.ts;
  try {
    if (reply.ephemeral && !direct) {
      await client.chat.postEphemeral({ channel: message.channel, user: message.user, thread_ts, text, blocks });
    } else {
      await client.chat.postMessage({
        channel: message.channel,
        thread_ts,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    }
  } catch (error) {
    log(
      `slack: could not answer a ${direct ? 'direct message' : 'mention'} in ${message.channel}: ${describeSlackError(error)}`,
    );
  }
}

/**
 * The command a Slack slash command runs: its own name, or, for a prefixed name such as `/td-ask`
 * (see the manifest's `--prefix`, for workspaces where `/ask` is taken), the name after the prefix.
 *
 * @example commandName('/td-denials', commands) // 'denials'
 */
export function commandName(slashCommand: string, commands: readonly AnyCommand[]): string {
  const name = slashCommand.replace(/^\//, '').toLowerCase();
  if (commands.some((c) => c.name === name)) return name;
  const rest = name.slice(name.indexOf('-') + 1);
  return name.includes('-') && commands.some((c) => c.name === rest) ? rest : name;
}

/** Runs one line through the core; a failure that escapes it still becomes a Reply. */
/** Every listener of one app takes its answers in turn (see answer-turns.ts). */
const turnsByDeps = new WeakMap<ListenerDeps, TakeTurn>();

async function answerLine(line: string, origin: Origin, deps: ListenerDeps): Promise<Reply> {
  const name = line.startsWith('/') ? (line.split(/\s/)[0]?.slice(1) ?? '') : 'ask';
  let inTurn = turnsByDeps.get(deps);
  if (!inTurn) {
    inTurn = createAnswerTurns();
    turnsByDeps.set(deps, inTurn);
  }
  return inTurn(async () => {
    try {
      return await respondToLine(line, contextFor(deps.runtime, origin), deps.log);
    } catch (error) {
      return errorReply(name, error, deps.log);
    }
  });
}
