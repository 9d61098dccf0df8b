/**
 * Configuration: read once from the environment (and `.env`, through dotenv) and validated with
 * one zod schema. A bad value stops the start with a message naming the variable and the fix.
 * Secrets are never printed; `describeConfig` masks them.
 */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const optionalUrl = z.url({ message: 'must be an http(s) URL, e.g. http://127.0.0.1:8080/api/' }).optional();
const nonEmpty = (hint: string) => z.string().trim().min(1, hint).optional();

/** Every variable threatdesk reads, with its default. `.env.example` documents each. */
export const configSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  DB_PATH: z.string().min(1).default(path.join('var', 'threatdesk.db')),
  SLACK_BOT_TOKEN: nonEmpty('set it to the bot token (xoxb-…) from your Slack app, or leave it unset'),
  SLACK_SIGNING_SECRET: nonEmpty('set it to the signing secret from your Slack app, or leave it unset'),
  SLACK_APP_TOKEN: nonEmpty('set it to an app-level token (xapp-…) for Socket Mode, or leave it unset'),
  SLACK_PORT: port.default(3000),
  SLACK_API_URL: optionalUrl,
  DISCORD_TOKEN: nonEmpty('set it to your Discord bot token, or leave it unset'),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'must be the numeric application id')
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'must be a numeric guild (server) id')
    .optional(),
  DISCORD_API_URL: optionalUrl,
});
export type Config = z.infer<typeof configSchema>;

const SECRET = /TOKEN|SECRET/;

/** Raised when the environment is not usable; the message names each variable and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment. Empty strings count as unset, as in most `.env` files.
 *
 * @example readConfig({ DATA_DIR: 'data' }).SLACK_PORT // 3000
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') picked[key] = v;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`config: invalid environment\n${lines.join('\n')}\nSee .env.example for every variable.`);
  }
  return parsed.data;
}

/** The config with secrets masked, for logs. */
export function describeConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET.test(k) && v ? '***' : v]));
}

/** Loads `.env` (if present) into process.env without overriding what is already set. */
export async function loadDotenv(): Promise<void> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
}
