/**
 * The feeds file (`FEEDS_FILE`, default `feeds.json`): which newsroom feeds to watch, validated with
 * zod, with the defaults filled in. Also the topic filter an item must pass before its page is
 * fetched. A bad file is one line naming the file, the entry and the field.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { sourceKinds } from '../../core/corpus/schema.ts';
import { explainIssue, valueAt } from '../../core/explain-issues.ts';

/** The file read when FEEDS_FILE is unset; when it does not exist, there are no feeds. */
export const DEFAULT_FEEDS_FILE = 'feeds.json';

/**
 * Words and phrases of which an item's title or summary must hold one (whole words, any case)
 * when its feed gives no `match`: election interference and influence, in the wording the
 * agencies use. Plurals are listed because matching is by whole word.
 */
export const DEFAULT_MATCH: readonly string[] = [
  'election',
  'elections',
  'electoral',
  'midterm',
  'midterms',
  'voter',
  'voters',
  'voting',
  'ballot',
  'ballots',
  'foreign influence',
  'malign influence',
  'influence operation',
  'influence operations',
  'influence campaign',
  'influence campaigns',
  'interference',
  'interfere',
  'interfering',
  'meddling',
  'disinformation',
  'misinformation',
  'propaganda',
];

const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/, 'must be a host name such as www.dni.gov, without scheme or path');

const entrySchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  publisher: z.string().trim().min(1, 'must not be empty'),
  kind: z.enum(sourceKinds).default('official'),
  match: z.array(z.string().trim().min(1, 'must not hold an empty word')).min(1).optional(),
  allowHosts: z.array(hostSchema).min(1).optional(),
});

/** One feed, with its defaults filled in. */
export interface FeedConfig {
  /** The feed's address (RSS 2.0, Atom or JSON Feed). */
  url: string;
  /** Written as each document's `publisher`. */
  publisher: string;
  /** Written as each document's `kind`. */
  kind: (typeof sourceKinds)[number];
  /** An item's title or summary must hold one of these (whole words or phrases, any case). */
  match: readonly string[];
  /** Hosts an item's link (and where it redirects to) may be on; lower case. */
  allowHosts: readonly string[];
}

/** The feeds file is missing (when it had to exist), unreadable, not JSON or not valid. */
export class FeedsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedsConfigError';
  }
}

/** Where the feeds come from: the file, and whether it must exist (it was named, not defaulted). */
export interface FeedsSource {
  file: string;
  required: boolean;
}

/**
 * The feeds file to read: `--feeds FILE` first, then FEEDS_FILE, then `feeds.json`, which alone
 * may be missing.
 *
 * @example feedsSource(undefined, undefined) // { file: 'feeds.json', required: false }
 */
export function feedsSource(flag: string | undefined, configured: string | undefined): FeedsSource {
  const named = flag ?? configured;
  return named === undefined ? { file: DEFAULT_FEEDS_FILE, required: false } : { file: named, required: true };
}

/**
 * Reads and validates a feeds file. A missing file gives no feeds unless `source.required`; any
 * other problem throws a FeedsConfigError whose message is one line.
 *
 * @example loadFeeds({ file: 'feeds.json', required: false })[0]?.allowHosts // ['www.dni.gov']
 */
export function loadFeeds(source: FeedsSource): FeedConfig[] {
  const { file } = source;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !source.required) return [];
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`;
    throw new FeedsConfigError(`feeds: ${file} ${why}; give a feeds file (see docs/feeds.md) or unset FEEDS_FILE`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FeedsConfigError(`feeds: ${file} is not valid JSON (${(e as Error).message})`);
  }
  return parseFeeds(json, file);
}

/**
 * Validates the parsed content of a feeds file (`file` names it in messages) and fills in
 * defaults: kind `official`, DEFAULT_MATCH, and the feed's own host as the only allowed one.
 *
 * @example parseFeeds([{ url: 'https://www.fbi.gov/feeds/x/rss.xml', publisher: 'FBI' }], 'feeds.json')[0]?.kind // 'official'
 */
export function parseFeeds(json: unknown, file: string): FeedConfig[] {
  if (!Array.isArray(json)) {
    throw new FeedsConfigError(`feeds: ${file} must hold a JSON array of feeds, e.g. [{ "url": …, "publisher": … }]`);
  }
  const problems: string[] = [];
  const feeds: FeedConfig[] = [];
  const seen = new Map<string, number>();
  json.forEach((entry, i) => {
    const where = `feed ${i + 1}${typeof entry?.url === 'string' ? ` (${entry.url})` : ''}`;
    const parsed = entrySchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0] as z.core.$ZodIssue;
      const name = issue.path.length > 0 ? issue.path.map(String).join('.') : 'entry';
      problems.push(`${where}: ${explainIssue(issue, { name, value: valueAt(entry, issue) })}`);
      return;
    }
    const e = { ...parsed.data, url: new URL(parsed.data.url).href };
    const earlier = seen.get(e.url);
    if (earlier !== undefined) {
      problems.push(`${where}: the same url as feed ${earlier}`);
      return;
    }
    seen.set(e.url, i + 1);
    feeds.push({
      url: e.url,
      publisher: e.publisher,
      kind: e.kind,
      match: e.match ?? DEFAULT_MATCH,
      allowHosts: e.allowHosts ?? [new URL(e.url).hostname.toLowerCase()],
    });
  });
  if (problems.length > 0) throw new FeedsConfigError(`feeds: ${file}: ${problems.join('; ')}`);
  return feeds;
}

/**
 * A test for "holds one of these words or phrases": case-insensitive, whole words only (letters
 * and digits on either side do not count as a boundary), any run of spaces inside a phrase.
 *
 * @example matcherFor(['foreign influence'])('New FOREIGN  influence report') // true
 * @example matcherFor(['vote'])('Voters guide') // false
 */
export function matcherFor(words: readonly string[]): (text: string) => boolean {
  const alternatives = words
    .map((w) => w.trim().split(/\s+/).map(escapeRegExp).join('\\s+'))
    .filter((w) => w.length > 0);
  if (alternatives.length === 0) return () => false;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  return (text) => pattern.test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
