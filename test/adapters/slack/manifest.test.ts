import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { buildManifest, PLACEHOLDER_REQUEST_URL, toYaml, usageHint } from '../../../src/adapters/slack/manifest.ts';

const committed = fileURLToPath(new URL('../../../slack/manifest.yml', import.meta.url));

describe('Slack app manifest', () => {
  it('declares every command of commands/ as a slash command of the same name, with its description', () => {
    const manifest = buildManifest(commands);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    for (const [i, c] of commands.entries()) {
      expect(manifest.features.slash_commands[i]).toMatchObject({
        description: c.description,
        url: PLACEHOLDER_REQUEST_URL,
        should_escape: false,
      });
    }
  });

  it('asks for exactly the scopes and events the adapter uses', () => {
    const manifest = buildManifest(commands);
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'commands',
      'groups:history',
      'im:history',
    ]);
    expect(manifest.settings.event_subscriptions).toEqual({
      bot_events: ['app_mention', 'message.im', 'app_uninstalled', 'tokens_revoked'],
      request_url: PLACEHOLDER_REQUEST_URL,
    });
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('in Socket Mode has no request URLs', () => {
    const manifest = buildManifest(commands, { socketMode: true });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toContain('request_url');
    expect(JSON.stringify(manifest)).not.toContain('"url"');
    expect(JSON.stringify(manifest)).not.toContain('redirect_urls');
  });

  it("gives the OAuth redirect URL for multi-workspace installs beside the request URL, keeping a proxy's path prefix", () => {
    expect(buildManifest(commands).oauth_config).toMatchObject({
      redirect_urls: ['https://YOUR-HOST/slack/oauth_redirect'],
    });
    const behindPrefix = buildManifest(commands, { requestUrl: 'https://news.example.org/td/slack/events' });
    expect(behindPrefix.oauth_config).toMatchObject({
      redirect_urls: ['https://news.example.org/td/slack/oauth_redirect'],
    });
  });

  it('rejects a request URL that is not https, and an app name Slack would refuse', () => {
    expect(() => buildManifest(commands, { requestUrl: 'http://bot.example/slack/events' })).toThrow(/https/);
    expect(() => buildManifest(commands, { name: 'Threat Desk' })).toThrow(/app name/);
  });

  it('can prefix every command for workspaces where a name is taken', () => {
    const manifest = buildManifest(commands, { prefix: 'td' });
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/td-${c.name}`));
    expect(() => buildManifest(commands, { prefix: 'T D' })).toThrow(/prefix/);
  });

  it('gives usage hints naming the options, required ones in angle brackets', () => {
    const ask = commands.find((c) => c.name === 'ask');
    const denials = commands.find((c) => c.name === 'denials');
    expect(ask && usageHint(ask)).toMatch(/^<question> — /);
    expect(denials && usageHint(denials)).toMatch(/^\[actor\] — /);
  });

  it('slack/manifest.yml is the generated manifest (run npm run slack:manifest after changing commands)', () => {
    expect(fs.readFileSync(committed, 'utf8')).toBe(toYaml(buildManifest(commands)));
  });
});

describe('toYaml', () => {
  it('writes nested maps and lists, two-space indented', () => {
    expect(toYaml({ a: { b: [1, true], c: [{ d: 'x', e: ['z'] }] }, f: [], g: {} })).toBe(
      'a:\n  b:\n    - 1\n    - true\n  c:\n    - d: x\n      e:\n        - z\nf: []\ng: {}\n',
    );
  });

  it('quotes strings YAML would read as something else, or that hold syntax', () => {
    const tricky = ['yes', 'null', '1.5', 'x: y', '- z', '#c', '', 'line\n"two"', 'Off'];
    const yaml = toYaml({ v: tricky });
    expect(yaml).toBe(`v:\n${tricky.map((s) => `  - ${JSON.stringify(s)}`).join('\n')}\n`);
  });

  it('single-quotes text with double quotes, as Biome formats YAML', () => {
    expect(toYaml({ v: `say "it's"` })).toBe(`v: 'say "it''s"'\n`);
    expect(toYaml({ v: 'a\\b "c"' })).toBe('v: "a\\\\b \\"c\\""\n');
  });

  it('leaves plain words, scopes and URLs unquoted', () => {
    expect(toYaml({ s: ['chat:write', 'message.im', '/ask', 'https://YOUR-HOST/slack/events'] })).toBe(
      's:\n  - chat:write\n  - message.im\n  - /ask\n  - https://YOUR-HOST/slack/events\n',
    );
  });
});
