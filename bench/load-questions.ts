/**
 * The slash commands the load test sends: a fixed mix of /ask (varied questions, including a few
 * with words the corpus lacks, which make the bot consult WordNet), /denials (with and without an
 * actor) and /search. Six in ten requests are /ask, two /denials, two /search. The same run always
 * sends the same commands in the same order.
 */

/** One slash command as Slack sends it: the command and the text after it. */
export interface SlashLine {
  command: '/ask' | '/denials' | '/search';
  text: string;
}

const ASK = [
  "what is Russia's preference",
  'who is China backing',
  'who does Iran oppose',
  'did Iran hack the Trump campaign',
  'what tactics does Russia use',
  'what fake videos did Russia make',
  'how does ODNI rank Russia as a threat',
  'did Russia deny interfering',
  'what did the Iranian UN mission say',
  'who was sanctioned by Treasury in 2024',
  'what did Iran steal from the Trump campaign',
  'is China the biggest threat',
  'what does Russia plan to do after election day',
  'did Cuba try to influence the 2020 election',
  'what did Venezuela do',
  'did Hizballah interfere',
  "what is Moscow's goal",
  'how did the Kremlin respond to the allegations',
  'what did the FBI say about the Pennsylvania ballot video',
  'what happened in Georgia with the Haitian video',
  'did China influence the 2020 election',
  'what did Evanina say about Russia in 2020',
  'what does Tehran want',
  'who denied the accusations',
  'which candidate does Russia favor in 2024',
  'what did CISA warn about',
  'did Iran use fake news sites',
  "what was Russia's preference in 2020",
  'did Russia denigrate Biden',
  'what did Haines say about Iran',
  // Words the corpus lacks: answered "not in the assessments", after a WordNet look-up.
  'does Russia like sourdough bread',
  'what is the weather in Moscow',
  'who won the football match',
  'tell me about penguins',
];

const DENIALS = ['', 'russia', 'iran', 'china', 'actor:russia', 'moscow', 'tehran', 'the kremlin'];

const SEARCH = [
  'ballot video',
  'stolen material',
  'covert social media',
  'sanctions',
  'Haiti',
  'fake news sites',
  'phishing',
  'Pennsylvania',
  'denigrate',
  'hack and leak',
  'Evanina',
  'preference',
  'influence operations',
  'deepfake',
  'AI generated content',
  'cyber actors',
  'election infrastructure',
  'spear phishing emails',
];

/** Which list request i draws from, per ten requests: 6 /ask, 2 /denials, 2 /search. */
const PATTERN = ['a', 'a', 'd', 'a', 'a', 's', 'a', 'd', 'a', 's'] as const;

/** Every distinct line the load test can send (for computing the expected answers). */
export const ALL_LINES: readonly SlashLine[] = [
  ...ASK.map((text) => ({ command: '/ask' as const, text })),
  ...DENIALS.map((text) => ({ command: '/denials' as const, text })),
  ...SEARCH.map((text) => ({ command: '/search' as const, text })),
];

/**
 * The i-th command of a phase; `offset` shifts the walk so two phases do not send the same
 * sequence. Each list is walked with a stride prime to its length, so neighbours differ.
 *
 * @example slashLine(0, 0) // { command: '/ask', text: "what is Russia's preference" }
 */
export function slashLine(i: number, offset: number): SlashLine {
  const kind = PATTERN[i % PATTERN.length] ?? 'a';
  const round = Math.floor(i / PATTERN.length);
  // Position of this request among those of its kind so far.
  const perRound = PATTERN.filter((k) => k === kind).length;
  const before = PATTERN.slice(0, i % PATTERN.length).filter((k) => k === kind).length;
  const k = round * perRound + before + offset;
  if (kind === 'd') return { command: '/denials', text: pick(DENIALS, k, 3) };
  if (kind === 's') return { command: '/search', text: pick(SEARCH, k, 5) };
  return { command: '/ask', text: pick(ASK, k, 7) };
}

function pick(list: readonly string[], k: number, stride: number): string {
  return list[(k * stride) % list.length] as string;
}

/** The line the bot runs for a slash command (what `/ask …` becomes in the core). */
export function lineOf(slash: SlashLine): string {
  return `${slash.command} ${slash.text}`;
}
