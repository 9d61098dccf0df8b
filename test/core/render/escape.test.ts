import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeDiscordMarkdown,
  escapeSlackText,
  stripTerminalControls,
  ZERO_WIDTH_SPACE as ZWSP,
} from '../../../src/core/render/escape.ts';

/** A mention or broadcast that would notify someone if the platform parsed it. */
const LIVE_MENTION = /@everyone|@here|<@|<!|<#|<\//i;
const LIVE_SLACK_MENTION = /@everyone|@here|@channel|<@|<!/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const hostile = [
  '@everyone',
  '@here',
  '@channel',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<@123>',
  '<@!123>',
  '<@&123>',
  '<#123>',
  '</cmd:1>',
  '<http://x|y>',
  '**bold**',
  '_it_',
  '~~gone~~',
  '`code`',
  '||spoiler||',
  '[x](http://evil)',
  '> quote',
  '# heading',
  '- item',
  '1. item',
  '\u001b[31m',
  '\u001b]8;;http://evil\u0007',
  '\r',
  '\u0000',
  '\u009b',
  '&',
  '&lt;',
  '\\',
  '<',
  '@',
  '!',
  '\n',
  ' ',
];
/** Text built from hostile fragments and arbitrary characters, so mentions form across pieces too. */
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 20 })
  .map((parts) => parts.join(''));
const withoutZwsp = hostileText.map((s) => s.replaceAll(ZWSP, ''));

/** What a Slack reader sees: entities decoded, zero-width spaces invisible. */
const slackVisible = (s: string) =>
  s.replaceAll(ZWSP, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
/** What a Discord reader sees: backslash escapes applied, zero-width spaces invisible. */
const discordVisible = (s: string) => s.replaceAll(ZWSP, '').replace(/\\([\s\S])/g, '$1');

describe('escapeSlackText', () => {
  it('turns <!channel>, <!here>, <@U123> and <http://x|y> into entities that cannot ping or link', () => {
    expect(escapeSlackText('<!channel> <!here> <@U123> <http://x|y>')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;http://x|y&gt;',
    );
  });

  it('escapes & first, so an existing entity shows as typed', () => {
    expect(escapeSlackText('AT&T &lt;b&gt;')).toBe('AT&amp;T &amp;lt;b&amp;gt;');
  });

  it('puts a zero-width space after each formatting mark so **bold**, _it_, ~x~ and `code` stay plain', () => {
    expect(escapeSlackText('**bold** _it_ ~x~ `code`')).toBe(
      `*${ZWSP}*${ZWSP}bold*${ZWSP}*${ZWSP} _${ZWSP}it_${ZWSP} ~${ZWSP}x~${ZWSP} \`${ZWSP}code\`${ZWSP}`,
    );
  });

  it('breaks @everyone, @here and @channel', () => {
    expect(escapeSlackText('@everyone @here @Channel')).toBe(`@${ZWSP}everyone @${ZWSP}here @${ZWSP}Channel`);
  });

  it('keeps a line starting with > from becoming a quote', () => {
    expect(escapeSlackText('a\n> b')).toBe(`a\n${ZWSP}&gt; b`);
  });

  it('leaves ordinary corpus prose as it is', () => {
    const prose = 'Russia’s preferences are unchanged since 2020, an ODNI official says (2024-07-29).';
    expect(escapeSlackText(prose)).toBe(prose);
  });

  it('never leaves a live mention, a < or a formatting mark without a following zero-width space', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const out = escapeSlackText(s);
        expect(out).not.toMatch(LIVE_SLACK_MENTION);
        expect(out).not.toContain('<');
        expect(out).not.toContain('>');
        expect(out).not.toMatch(/[*_~`](?!\u200b)/);
      }),
    );
  });

  it('keeps the visible text the same', () => {
    fc.assert(
      fc.property(withoutZwsp, (s) => {
        expect(slackVisible(escapeSlackText(s))).toBe(s);
      }),
    );
  });
});

describe('escapeDiscordMarkdown', () => {
  it('breaks @everyone and @here with a zero-width space after the @', () => {
    expect(escapeDiscordMarkdown('@everyone and @here')).toBe(`@${ZWSP}everyone and @${ZWSP}here`);
  });

  it('breaks user, role, channel and slash-command mentions after the <', () => {
    expect(escapeDiscordMarkdown('<@123> <@!123> <@&123> <#123> </cmd:1>')).toBe(
      `<${ZWSP}@123> <${ZWSP}@!123> <${ZWSP}@&123> <${ZWSP}#123> <${ZWSP}/cmd:1>`,
    );
  });

  it('backslash-escapes **bold**, a masked link [x](http://evil), spoilers and code', () => {
    expect(escapeDiscordMarkdown('**bold** [x](http://evil) ||s|| `c` ~~x~~ _i_ \\')).toBe(
      '\\*\\*bold\\*\\* \\[x\\]\\(http://evil\\) \\|\\|s\\|\\| \\`c\\` \\~\\~x\\~\\~ \\_i\\_ \\\\',
    );
  });

  it('escapes quote, heading, list and subtext markers at the start of a line only', () => {
    expect(escapeDiscordMarkdown('> q\n# h\n- a\n  - b\n-# small\n1. one\na - b # c > d 2. e')).toBe(
      '\\> q\n\\# h\n\\- a\n  \\- b\n\\-# small\n1\\. one\na - b # c > d 2. e',
    );
  });

  it('leaves ordinary corpus prose as it is', () => {
    const prose = 'Iran has sought to stoke discord and undermine confidence in our electoral institutions.';
    expect(escapeDiscordMarkdown(prose)).toBe(prose);
  });

  it('never leaves a live @everyone, @here, <@, <!, <# or </', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        expect(escapeDiscordMarkdown(s)).not.toMatch(LIVE_MENTION);
      }),
    );
  });

  it('leaves no markdown character unescaped', () => {
    fc.assert(
      fc.property(withoutZwsp, (s) => {
        const out = escapeDiscordMarkdown(s);
        // Read left to right, dropping each escaped pair: what is left holds no markdown character.
        expect(out.replace(/\\[\s\S]/g, '')).not.toMatch(/[*_~`|[\]()\\]/);
        // No line starts with a quote, heading or list marker (an escaped one starts with \).
        expect(out).not.toMatch(/^[ \t]*[>#+-]/m);
        expect(out).not.toMatch(/^[ \t]*\d+\.[ \t]/m);
      }),
    );
  });

  it('keeps the visible text the same', () => {
    fc.assert(
      fc.property(withoutZwsp, (s) => {
        expect(discordVisible(escapeDiscordMarkdown(s))).toBe(s);
      }),
    );
  });
});

describe('stripTerminalControls', () => {
  it('removes colour, cursor and screen sequences but keeps their text', () => {
    expect(stripTerminalControls('\u001b[31mred\u001b[0m \u001b[2J\u001b[1;1Hhome \u001b[?25lhidden')).toBe(
      'red home hidden',
    );
  });

  it('removes a window-title or hyperlink sequence whole, keeping the link text', () => {
    expect(stripTerminalControls('\u001b]0;pwned\u0007a \u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\')).toBe(
      'a link',
    );
  });

  it('removes control characters, carriage return and DEL, keeping newline and tab', () => {
    expect(stripTerminalControls('a\u0000b\u0007c\rd\u0008e\u007ff\u0085g\n\th')).toBe('abcdefg\n\th');
  });

  it('keeps the text after an unterminated sequence visible', () => {
    expect(stripTerminalControls('\u001b]0;title without end')).toBe('0;title without end');
  });

  it('leaves text without controls unchanged, including non-Latin text and emoji', () => {
    const text = 'Тегеран and 北京 — “quoted” 🗳️\n\tindented';
    expect(stripTerminalControls(text)).toBe(text);
  });

  it('never leaves a control character other than newline and tab', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        expect(stripTerminalControls(s)).not.toMatch(CONTROL);
      }),
    );
  });

  it('changes nothing in text that has no control characters', () => {
    fc.assert(
      fc.property(
        hostileText.filter((s) => !CONTROL.test(s)),
        (s) => {
          expect(stripTerminalControls(s)).toBe(s);
        },
      ),
    );
  });
});
