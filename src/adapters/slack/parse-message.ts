/**
 * Turning what Slack sends (message text, slash command text) back into what the user typed: Slack
 * encodes `&`, `<`, `>` as entities and wraps links, users and channels in `<…>`. The question text
 * reaches the core as plain words.
 */

/** Slack's `<…>` tokens: `<@U1|name>`, `<#C1|general>`, `<!here>`, `<https://x|label>`, `<mailto:a@b>`. */
const SLACK_TOKEN = /<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>/g;

/**
 * Plain text from Slack's message formatting: links become their label (or the address), user and
 * channel references become `@name` / `#name`, special mentions `@here`, and entities are decoded.
 *
 * @example slackTextToPlain('see <https://x.test|this> &amp; <#C1|general>') // 'see this & #general'
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(SLACK_TOKEN, (_, sigil: string, target: string, label: string | undefined) => {
      if (sigil === '@') return label ? `@${label}` : `@${target}`;
      if (sigil === '#') return label ? `#${label}` : `#${target}`;
      if (sigil === '!') return `@${(label ?? target).replace(/^subteam\^/, '')}`;
      return label ?? target.replace(/^mailto:/, '');
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The question in a message that mentions the bot: the bot's own mention is removed wherever it is
 * (with any `:` or `,` right after it); when the bot's user id is not known yet, mentions at the
 * start of the message are removed instead. Other mentions stay, as `@name`.
 *
 * @example questionFromMessage('<@UBOT>: who did Iran &amp; Russia back?', 'UBOT') // 'who did Iran & Russia back?'
 */
export function questionFromMessage(text: string, botUserId?: string): string {
  const own = botUserId
    ? new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^<>]*)?>[:,]?`, 'g')
    : /^(?:\s*<@[A-Z0-9]+(?:\|[^<>]*)?>[:,]?)+/;
  return slackTextToPlain(text.replace(own, ' ')).replace(/\s+/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
