/**
 * Questions asked by mentioning the bot in a channel (`@threatdesk what is Russia's preference?`)
 * or in a DM, answered as a reply that pings no one, not even the asker. Discord delivers the text
 * of such messages without the privileged Message Content intent; with it, a reply to one of the
 * bot's messages is answered even when it does not ping the bot.
 */
import type { Message } from 'discord.js';
import type { Origin } from '../../core/commands/define-command.ts';
import { respondToLine } from '../../core/commands/respond.ts';
import { makeReply } from '../../core/reply.ts';
import { contextFor } from '../../core/runtime.ts';
import { explainDiscordError } from './explain-error.ts';
import type { HandlerDeps } from './handle-interaction.ts';
import { renderEmbeds } from './render-embeds.ts';

/** The question in a message: its text without mentions of the bot. */
export function questionOf(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a message is addressed to the bot. */
function isForBot(message: Message, botId: string, messageContent: boolean): boolean {
  if (message.author.bot || message.system) return false;
  if (!message.inGuild()) return true;
  if (message.mentions.users.has(botId)) return true;
  return messageContent && message.mentions.repliedUser?.id === botId;
}

/**
 * Answers a message addressed to the bot; ignores every other message. Never throws.
 *
 * @example client.on('messageCreate', (m) => void handleMessage(m, { runtime, log, messageContent: false }))
 */
export async function handleMessage(message: Message, deps: HandlerDeps & { messageContent: boolean }): Promise<void> {
  const botId = message.client.user.id;
  if (!isForBot(message, botId, deps.messageContent)) return;
  try {
    const origin: Origin = {
      platform: 'discord',
      workspace: message.guildId ?? '@me',
      channel: message.channelId,
      user: message.author.id,
    };
    const question = questionOf(message.content, botId);
    const reply = question
      ? await respondToLine(question, contextFor(deps.runtime, origin), (m, e) => deps.log.error(`discord: ${m}`, e))
      : makeReply({
          title: 'threatdesk',
          text: 'Ask me a question after the mention, e.g. "what is Russia\'s preference?", or type /help for the commands.',
        });
    await message.reply({ embeds: renderEmbeds(reply), allowedMentions: { parse: [], repliedUser: false } });
  } catch (error) {
    const where = message.inGuild() ? `channel ${message.channelId}` : 'a DM';
    deps.log.error(explainDiscordError(error, `answering a message in ${where}`), error);
  }
}
