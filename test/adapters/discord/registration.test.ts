/**
 * The registration payload is generated from commands/ and within Discord's rules; `npm run
 * register` PUTs it, guild-scoped or global, to DISCORD_API_URL, and names what is missing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands/index.ts';
import {
  BOT_PERMISSIONS,
  commandRegistration,
  inviteUrl,
  registerCommands,
  registrationPayload,
} from '../../../src/adapters/discord/registration.ts';
import { defineCommand } from '../../../src/core/commands/define-command.ts';
import { optionDescription, optionNames, optionRequired } from '../../../src/core/commands/run-command.ts';
import { makeReply } from '../../../src/core/reply.ts';
import { APP_ID, DiscordStandIn, GUILD_ID, TOKEN } from './discord-stand-in.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let s: DiscordStandIn;
let cwd: string;
beforeAll(async () => {
  s = await DiscordStandIn.start();
  // An empty working directory, so that no .env is read by the script.
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'threatdesk-register-'));
});
afterAll(async () => {
  await s?.close();
  if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
});

const OPTION_STRING = 3;

describe('Discord registration payload', () => {
  const payload = registrationPayload(commands);

  it('has one chat-input command per command in commands/, in order, with its description', () => {
    expect(payload.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const [i, c] of payload.entries()) {
      expect(c.type).toBe(1);
      expect(c.description).toBe(commands[i]?.description);
    }
  });

  it("gives each option its name, description, required flag and string type from the command's zod schema", () => {
    for (const [i, c] of payload.entries()) {
      const command = commands[i] as (typeof commands)[number];
      const expected = optionNames(command).map((n) => ({
        name: n,
        description: optionDescription(command, n),
        required: optionRequired(command, n),
        type: OPTION_STRING,
      }));
      expect(
        c.options?.map(({ name, description, required, type }) => ({ name, description, required, type })),
      ).toEqual(expected);
    }
    const ask = payload.find((c) => c.name === 'ask');
    expect(ask?.options?.[0]).toMatchObject({ name: 'question', required: true, min_length: 1 });
  });

  it('autocompletes exactly the actor options', () => {
    for (const [i, c] of payload.entries()) {
      const actorOptions = commands[i]?.actorOptions ?? [];
      for (const o of c.options ?? []) {
        expect('autocomplete' in o && o.autocomplete === true, `/${c.name} ${o.name}`).toBe(
          actorOptions.includes(o.name),
        );
      }
    }
    expect(
      payload.filter((c) => c.options?.some((o) => 'autocomplete' in o && o.autocomplete)).map((c) => c.name),
    ).toEqual(['denials', 'sources', 'subscribe', 'unsubscribe']);
  });

  it('requires Manage Channels by default, and a server, for the commands that manage the channel', () => {
    for (const [i, c] of payload.entries()) {
      const manages = commands[i]?.managesChannel === true;
      expect(c.default_member_permissions, c.name).toBe(manages ? '16' : null);
      expect(c.dm_permission, c.name).toBe(!manages);
      expect(c.contexts, c.name).toEqual(manages ? [0] : [0, 1]);
    }
    expect(payload.filter((c) => c.default_member_permissions).map((c) => c.name)).toEqual([
      'subscribe',
      'unsubscribe',
    ]);
  });

  it("keeps within Discord's rules: names, 1-100 character descriptions, required options first", () => {
    for (const c of payload) {
      expect(c.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      const required = (c.options ?? []).map((o) => o.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      for (const o of c.options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('types other option kinds, puts required options first and cuts long descriptions', () => {
    const command = defineCommand({
      name: 'typed',
      description: `A test command whose description is far too long for Discord. ${'More words. '.repeat(10)}`,
      options: z.object({
        mode: z.enum(['brief', 'full']).optional().describe('How much to show'),
        limit: z.number().int().min(1).max(9).describe('How many'),
        exact: z.boolean().optional().describe('Exact words only'),
      }),
      example: '/typed limit:3',
      run: () => makeReply({ text: '' }),
    });
    const r = commandRegistration(command);
    expect(r.description.length).toBeLessThanOrEqual(100);
    expect(r.options).toEqual([
      { name: 'limit', description: 'How many', required: true, type: 4, min_value: 1, max_value: 9 },
      {
        name: 'mode',
        description: 'How much to show',
        required: false,
        type: 3,
        choices: [
          { name: 'brief', value: 'brief' },
          { name: 'full', value: 'full' },
        ],
      },
      { name: 'exact', description: 'Exact words only', required: false, type: 5 },
    ]);
  });

  it('invites with the bot and applications.commands scopes and the five channel permissions', () => {
    const url = new URL(inviteUrl(APP_ID));
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('client_id')).toBe(APP_ID);
    // View Channel, Send Messages, Embed Links, Read Message History, Send Messages in Threads.
    expect(url.searchParams.get('permissions')).toBe(String(2n ** 10n + 2n ** 11n + 2n ** 14n + 2n ** 16n + 2n ** 38n));
    expect(BOT_PERMISSIONS).toBe(274877991936n);
  });
});

describe('registering with Discord', () => {
  it('PUTs the payload to the guild when a guild id is given, and globally otherwise', async () => {
    const guild = await registerCommands({
      token: TOKEN,
      applicationId: APP_ID,
      guildId: GUILD_ID,
      apiUrl: s.apiUrl,
      commands,
    });
    expect(guild).toEqual({ scope: 'guild', names: commands.map((c) => c.name) });
    const global = await registerCommands({ token: TOKEN, applicationId: APP_ID, apiUrl: s.apiUrl, commands });
    expect(global.scope).toBe('global');
    const puts = s.find((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      `/applications/${APP_ID}/guilds/${GUILD_ID}/commands`,
      `/applications/${APP_ID}/commands`,
    ]);
    for (const r of puts) {
      expect(r.headers.authorization).toBe(`Bot ${TOKEN}`);
      expect(r.body).toEqual(JSON.parse(JSON.stringify(registrationPayload(commands))));
    }
  });
});

/** Runs `src/cli/register-discord.ts` as `npm run register` would, with only `env` set for Discord. */
function register(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const discordEnv = { DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '', DISCORD_GUILD_ID: '', DISCORD_API_URL: '' };
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      [path.join(root, 'src/cli/register-discord.ts')],
      {
        cwd,
        env: { ...process.env, ...discordEnv, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run register', () => {
  type Run = Awaited<ReturnType<typeof register>>;
  let noToken: Run;
  let noApplication: Run;
  let guild: Run;
  let badToken: Run;
  let cli: DiscordStandIn;
  // The script takes seconds to start (tsx, discord.js), so the four runs go in parallel.
  beforeAll(async () => {
    cli = await DiscordStandIn.start();
    [noToken, noApplication, guild, badToken] = await Promise.all([
      register({ DISCORD_APPLICATION_ID: APP_ID }),
      register({ DISCORD_TOKEN: TOKEN }),
      register({
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_URL: cli.apiUrl,
      }),
      register({ DISCORD_TOKEN: 'wrong', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: cli.apiUrl }),
    ]);
  }, 200_000);
  afterAll(async () => {
    await cli?.close();
  });

  it('without DISCORD_TOKEN, says where to find the token and exits 2', () => {
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/DISCORD_TOKEN is not set.*Developer Portal/);
  });

  it('without DISCORD_APPLICATION_ID, says where to find it and exits 2', () => {
    expect(noApplication.code).toBe(2);
    expect(noApplication.stderr).toMatch(/DISCORD_APPLICATION_ID is not set.*General Information/);
  });

  it('registers in DISCORD_GUILD_ID at DISCORD_API_URL and prints the invite URL', () => {
    expect(guild.stderr).toBe('');
    expect(guild.code).toBe(0);
    expect(guild.stdout).toContain(`Registered ${commands.length} commands in guild ${GUILD_ID}`);
    expect(guild.stdout).toContain(inviteUrl(APP_ID));
    const accepted = cli.find((r) => r.headers.authorization === `Bot ${TOKEN}`);
    expect(accepted.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /applications/${APP_ID}/guilds/${GUILD_ID}/commands`,
    ]);
  });

  it('a token Discord rejects is reported with what to do, exit code 1', () => {
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/registering the slash commands: .*401.*DISCORD_TOKEN/);
  });
});
