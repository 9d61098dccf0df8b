/**
 * Configuration: read once from the environment (and `.env`, through dotenv) and validated with
 * one zod schema. A bad value stops the start with a message naming the variable and the fix.
 * Secrets are never printed; `describeConfig` masks them.
 */
import path from 'node:path';
import { z } from 'zod';
import { explainIssue } from './explain-issues.ts';

const port = z.coerce.number().int().min(1).max(65535);
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .optional()
  .describe('an http(s) URL such as http://127.0.0.1:8080/api/');
const nonEmpty = z.string().trim().min(1).optional();
const token = (prefix: string) => z.string().trim().startsWith(prefix).optional();
const numericId = z
  .string()
  .regex(/^\d{5,25}$/)
  .optional();

/**
 * Every variable threatdesk reads, with its default. `.env.example` documents each. A field's
 * description says what a good value is, for the message when it is not one.
 */
export const configSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  DB_PATH: z.string().min(1).default(path.join('var', 'threatdesk.db')),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe('a PostgreSQL URL such as postgres://user:password@host:5432/threatdesk'),
  SLACK_BOT_TOKEN: token('xoxb-').describe(
    "a bot token starting with xoxb-, from your Slack app's OAuth & Permissions page",
  ),
  SLACK_SIGNING_SECRET: nonEmpty,
  SLACK_APP_TOKEN: token('xapp-').describe(
    "an app-level token starting with xapp-, from your Slack app's Basic Information page",
  ),
  SLACK_PORT: port.default(3000).describe('a port number (1–65535)'),
  SLACK_API_URL: httpUrl,
  SLACK_CLIENT_ID: nonEmpty,
  SLACK_CLIENT_SECRET: nonEmpty,
  SLACK_STATE_SECRET: nonEmpty,
  DISCORD_TOKEN: nonEmpty,
  DISCORD_APPLICATION_ID: numericId.describe('the numeric application id (Developer Portal → General Information)'),
  DISCORD_GUILD_ID: numericId.describe('a numeric guild (server) id'),
  DISCORD_API_URL: httpUrl,
  DISCORD_SHARDS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(1024)])
    .optional()
    .describe('auto, or a whole number of gateway shards from 1 to 1024'),
  DISCORD_SHARD_IDS: z
    .string()
    .trim()
    .regex(/^(none|\d+(-\d+)?(,\d+(-\d+)?)*)$/)
    .optional()
    .describe('none, or the shards of DISCORD_SHARDS this process opens, such as 0-3 or 0,2,4'),
  FEEDS_FILE: z.string().trim().min(1).optional(),
  FEED_INTERVAL: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(15)
    .describe('a number of minutes greater than 0, e.g. 15'),
  FEED_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('a whole number of failures in a row (1 or more), e.g. 5'),
});
export type Config = z.infer<typeof configSchema>;

const SECRET = /TOKEN|SECRET|DATABASE_URL/;

/**
 * Raised when the environment is not usable. The message is one line naming each variable, what a
 * good value is and what was given (never a secret's value).
 */
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
    // One problem per variable: "-1.5" fails both the whole-number and the range check.
    const first = new Map<string, z.core.$ZodIssue>();
    for (const issue of parsed.error.issues) {
      if (!first.has(String(issue.path[0]))) first.set(String(issue.path[0]), issue);
    }
    const problems = [...first].map(([name, issue]) => {
      const field = configSchema.shape[name as keyof Config] as z.ZodType | undefined;
      return explainIssue(issue, { name, value: picked[name], expects: field?.description });
    });
    throw new ConfigError(
      `config: ${problems.join('; ')}. Fix ${problems.length === 1 ? 'it' : 'them'} in .env or the environment (see .env.example).`,
    );
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
