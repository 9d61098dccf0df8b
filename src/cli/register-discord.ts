/**
 * `npm run register`: deploys the slash commands generated from `commands/` to Discord, in the guild
 * DISCORD_GUILD_ID when set (instant, for development), else globally. Needs DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID; DISCORD_API_URL points it at another REST base. Prints the invite URL.
 * Exits 2 on a configuration problem and 1 when Discord refuses.
 */
import { commands } from '../../commands/index.ts';
import { explainDiscordError } from '../adapters/discord/explain-error.ts';
import { inviteUrl, registerCommands } from '../adapters/discord/registration.ts';
import { ConfigError, loadDotenv, readConfig } from '../core/config.ts';
import { noWords, parseArgs, runCli } from './args.ts';

const USAGE = 'usage: npm run register (reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID from .env)';

await runCli('register', async () => {
  const args = parseArgs(process.argv.slice(2), [], { json: false, data: false });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  noWords(args);
  await loadDotenv();
  const config = readConfig();
  if (!config.DISCORD_TOKEN) {
    throw new ConfigError(
      'register-discord: DISCORD_TOKEN is not set. Copy the bot token (Developer Portal → your application → Bot → Reset Token) into .env as DISCORD_TOKEN=…',
    );
  }
  if (!config.DISCORD_APPLICATION_ID) {
    throw new ConfigError(
      'register-discord: DISCORD_APPLICATION_ID is not set. Copy the Application ID (Developer Portal → your application → General Information) into .env as DISCORD_APPLICATION_ID=…',
    );
  }
  try {
    const result = await registerCommands({
      token: config.DISCORD_TOKEN,
      applicationId: config.DISCORD_APPLICATION_ID,
      guildId: config.DISCORD_GUILD_ID,
      apiUrl: config.DISCORD_API_URL,
      commands,
    });
    const where =
      result.scope === 'guild'
        ? `in guild ${config.DISCORD_GUILD_ID} (usable there now)`
        : 'globally (in every server the bot is in; Discord clients may take a few minutes to show changes)';
    console.log(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(' ')}`);
    console.log(`Invite the bot: ${inviteUrl(config.DISCORD_APPLICATION_ID)}`);
    return 0;
  } catch (error) {
    console.error(explainDiscordError(error, 'registering the slash commands'));
    return 1;
  }
});
