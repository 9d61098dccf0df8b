/**
 * Escaping corpus text for each output, so that a paragraph can never ping a channel, form a link
 * or change formatting: Slack mrkdwn, Discord markdown, and terminals. Each escaper keeps the visible
 * text the same (a citation must still read verbatim); it only adds entities, backslashes or
 * zero-width spaces (U+200B), or, for terminals, removes what a terminal would act on instead of
 * show.
 *
 * These escapers are the first line of defence. Adapters also switch off mention parsing where the
 * platform allows it (Discord `allowed_mentions: { parse: [] }`; Slack without `link_names`).
 */

/** U+200B ZERO WIDTH SPACE: invisible, but splits a token the platform would otherwise act on. */
export const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Escapes plain text for Slack `mrkdwn` (message text, section and context blocks).
 *
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (the only escapes Slack defines), so `<!channel>`,
 *   `<!here>`, `<@U123>` and `<http://x|y>` cannot form.
 * - `*`, `_`, `~` and backtick are each followed by U+200B. Slack formats a run only when the
 *   opening mark is followed by text and the closing mark is followed by a boundary; with U+200B
 *   after every mark, neither holds whether Slack reads U+200B as a word character or as a space.
 * - A line starting with `>` (a quote once Slack decodes `&gt;`) gets U+200B before it.
 * - `@everyone`, `@here` and `@channel` get U+200B after the `@`, in case a message is ever sent with
 *   `link_names`.
 *
 * @example
 * escapeSlackText('<!channel> *now*') // '&lt;!channel&gt; *\u200bnow*\u200b'
 */
export function escapeSlackText(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[*_~`]/g, `$&${ZERO_WIDTH_SPACE}`)
    .replace(/^(\s*)&gt;/gm, `$1${ZERO_WIDTH_SPACE}&gt;`)
    .replace(/@(?=everyone|here|channel)/gi, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * Escapes plain text for Discord markdown (message content and embed text).
 *
 * - `\ * _ ~ ` | [ ] ( )` are backslash-escaped everywhere: no bold, italics, strike-through, code,
 *   spoilers or masked links (`[x](http://evil)`).
 * - At the start of a line (after any indentation): `>` (quotes), `#` (headings), `-` and `+` (lists,
 *   `-#` subtext) are backslash-escaped, and the dot of `1.` (numbered lists).
 * - `@everyone` and `@here` get U+200B after the `@`; every `<` gets U+200B after it, which breaks
 *   user, role, channel and slash-command mentions (`<@123>`, `<@!123>`, `<@&123>`, `<#123>`,
 *   `</cmd:1>`), custom emoji and timestamps.
 *
 * @example
 * escapeDiscordMarkdown('@everyone **see** [x](http://evil)')
 * // '@\u200beveryone \\*\\*see\\*\\* \\[x\\]\\(http://evil\\)'
 */
export function escapeDiscordMarkdown(s: string): string {
  return s
    .replace(/[\\*_~`|[\]()]/g, '\\$&')
    .replace(/^([ \t]*)([>#+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)\.(?=[ \t])/gm, '$1\\.')
    .replace(/@(?=everyone|here)/gi, `@${ZERO_WIDTH_SPACE}`)
    .replace(/</g, `<${ZERO_WIDTH_SPACE}`);
}

// CSI (`ESC [ … final`), OSC / DCS / SOS / PM / APC strings with their terminator, any other escape
// (`ESC` + intermediates + final), and the 8-bit CSI. An unterminated string loses only its `ESC`
// (removed below with the other control characters), so the text after it stays visible.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point.
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[PX^_][^\u001b]*\u001b\\|\u001b[ -/]*[0-~]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab (U+0009) and newline (U+000A), DEL, and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Removes ANSI escape sequences and C0/C1 control characters (keeping newline and tab), so text
 * cannot move the cursor, clear the screen, retitle the window, hide itself or change colours.
 * Carriage returns go too: they would let a line overwrite itself.
 *
 * @example
 * stripTerminalControls('\u001b[31mred\u001b[0m\r\nnext') // 'red\nnext'
 */
export function stripTerminalControls(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}
