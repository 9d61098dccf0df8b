import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, describeConfig, readConfig } from '../../src/core/config.ts';

/** The ConfigError message for `env`. */
function problem(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('test: expected a ConfigError');
}

const ZOD_WORDING = /Too small|Too big|Invalid input|expected (number|string|int)|received|NaN|>=|<=/;

describe('readConfig', () => {
  it('fills in the defaults and counts empty values as unset', () => {
    const config = readConfig({ SLACK_PORT: '', DISCORD_TOKEN: '   ' });
    expect(config.SLACK_PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('data');
    expect(config.DISCORD_TOKEN).toBeUndefined();
  });

  it('accepts good values', () => {
    const config = readConfig({
      SLACK_PORT: '8080',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_APP_TOKEN: 'xapp-1-A-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      DISCORD_APPLICATION_ID: '123456789012345678',
    });
    expect(config).toMatchObject({ SLACK_PORT: 8080, SLACK_API_URL: 'http://127.0.0.1:9999/api/' });
  });

  it('says SLACK_PORT must be a port number, with the value given, in one line', () => {
    const message = problem({ SLACK_PORT: 'abc' });
    expect(message).toBe(
      'config: SLACK_PORT must be a port number (1–65535), got "abc". Fix it in .env or the environment (see .env.example).',
    );
    expect(problem({ SLACK_PORT: '70000' })).toContain('SLACK_PORT must be a port number (1–65535), got "70000"');
    expect(problem({ SLACK_PORT: '-1.5' })).toContain('got "-1.5". Fix it');
  });

  it('names every bad variable once, on one line, never in zod’s words', () => {
    const message = problem({ SLACK_PORT: '0', SLACK_API_URL: 'ftp://files', DISCORD_GUILD_ID: 'my-server' });
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(ZOD_WORDING);
    expect(message).toContain('SLACK_PORT must be a port number (1–65535), got "0"');
    expect(message).toContain(
      'SLACK_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api/, got "ftp://files"',
    );
    expect(message).toContain('DISCORD_GUILD_ID must be a numeric guild (server) id, got "my-server"');
    expect(message).toContain('Fix them in .env');
  });

  it('says what is wrong with a token without printing it', () => {
    const message = problem({ SLACK_BOT_TOKEN: 'xoxp-user-token-hunter2', SLACK_APP_TOKEN: 'xoxb-bot-hunter3' });
    expect(message).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(message).toContain('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
    expect(message).toContain('the value is not shown');
    expect(message).not.toMatch(/hunter|xoxp-user/);
  });

  it('describes every variable that can be wrong in words a reader can act on', () => {
    for (const name of [
      'SLACK_PORT',
      'SLACK_API_URL',
      'DISCORD_API_URL',
      'DISCORD_APPLICATION_ID',
      'DISCORD_GUILD_ID',
    ]) {
      expect(configSchema.shape[name as keyof typeof configSchema.shape].description, name).toBeTruthy();
    }
  });
});

describe('describeConfig', () => {
  it('masks secrets', () => {
    const shown = describeConfig(readConfig({ SLACK_BOT_TOKEN: 'xoxb-secret', SLACK_PORT: '3001' }));
    expect(shown).toMatchObject({ SLACK_BOT_TOKEN: '***', SLACK_PORT: 3001 });
  });
});
