/**
 * What a question asks for, read from cue words. Each intent maps to the claim type it is answered
 * from; a cue's weight says how sure it makes us (1 = on its own, 0.3 = only as a tie-breaker).
 */
import type { ClaimType } from '../corpus/schema.ts';
import { STOP_WORDS, stem } from '../text/tokenize.ts';

export type Intent = ClaimType;

/** Cue words by intent, with weights. Written as plain words; matched by stem. */
const CUES: Record<Intent, Record<string, number>> = {
  preference: {
    prefer: 1,
    preference: 1,
    preferred: 1,
    favour: 1,
    favor: 1,
    favourite: 1,
    favorite: 1,
    back: 1,
    backing: 1,
    support: 0.4,
    want: 0.6,
    root: 0.6,
    oppose: 1,
    against: 0.5,
    candidate: 0.6,
    win: 0.7,
    lose: 0.7,
    elect: 0.4,
    reelection: 0.4,
    help: 0.5,
    hurt: 0.6,
    like: 0.4,
    dislike: 0.8,
    pick: 0.5,
    choose: 0.5,
    choice: 0.5,
    endorse: 1,
    side: 0.4,
    stance: 0.6,
    position: 0.4,
    denigrate: 0.8,
    undermine: 0.3,
    undercut: 0.6,
  },
  denial: {
    deny: 1,
    denial: 1,
    denied: 1,
    reject: 1,
    dismiss: 1,
    refute: 0.8,
    rebut: 1,
    respond: 1,
    response: 1,
    reaction: 1,
    react: 1,
    comment: 0.8,
    retort: 1,
    admit: 0.8,
    accusation: 0.3,
    allegation: 0.3,
    baseless: 1,
    groundless: 1,
    unsubstantiated: 1,
  },
  tactic: {
    tactic: 1,
    method: 1,
    technique: 1,
    how: 0.5,
    spread: 0.6,
    disinformation: 0.4,
    propaganda: 0.5,
    hack: 0.8,
    hacker: 0.6,
    phish: 1,
    persona: 0.8,
    bot: 0.6,
    troll: 0.8,
    means: 0.5,
    tool: 0.5,
    playbook: 1,
    pay: 0.5,
    fund: 0.5,
    fake: 0.4,
    video: 0.3,
  },
  threat: {
    threat: 0.7,
    rank: 1,
    ranking: 1,
    biggest: 1,
    greatest: 1,
    main: 0.7,
    primary: 1,
    top: 0.7,
    dangerous: 1,
    danger: 0.8,
    worst: 1,
    concern: 0.6,
    serious: 0.6,
    leading: 0.6,
  },
  intent: {
    plan: 1,
    intend: 1,
    intention: 1,
    goal: 1,
    aim: 1,
    objective: 1,
    motive: 1,
    motivation: 1,
    expect: 0.7,
    next: 0.5,
    future: 0.7,
    seek: 0.5,
    try: 0.3,
    why: 0.7,
    purpose: 1,
  },
  assurance: {
    assure: 1,
    assurance: 1,
    promise: 1,
    pledge: 1,
    guarantee: 1,
    vow: 1,
    commit: 0.7,
    reassure: 1,
    commitment: 0.7,
  },
  plot: {
    plot: 1,
    assassinate: 1,
    assassination: 1,
    kill: 1,
    murder: 1,
    violence: 1,
    violent: 1,
    attack: 0.4,
    shoot: 0.7,
    shooting: 0.7,
    gunman: 1,
  },
  attribution: {
    behind: 1,
    responsible: 1,
    attribute: 1,
    attribution: 1,
    blame: 1,
    culprit: 1,
    origin: 0.6,
    author: 0.6,
    authorize: 0.5,
    direct: 0.3,
    orchestrate: 1,
  },
  sanction: {
    sanction: 1,
    designate: 1,
    designation: 1,
    penalty: 1,
    penalize: 1,
    punish: 1,
    punishment: 1,
    accountable: 0.7,
    consequence: 0.6,
  },
  finding: {
    evidence: 0.5,
    proof: 1,
    indication: 1,
    prove: 1,
    alter: 0.6,
    tamper: 1,
    change: 0.3,
    manipulate: 0.5,
    link: 0.5,
    tie: 0.5,
    connect: 0.7,
    confirm: 0.5,
    tying: 0.5,
  },
};

/** Words that ask for every matching claim rather than the best one. */
const LIST_CUES = new Set(['list', 'all', 'every', 'each', 'overview', 'summary', 'summarize'].map(stem));

/** Plural forms of intent nouns that, asked on their own, mean "list them": "denials". */
const LIST_NOUNS: Record<string, Intent> = {
  denials: 'denial',
  responses: 'denial',
  sanctions: 'sanction',
  tactics: 'tactic',
  methods: 'tactic',
  threats: 'threat',
  plots: 'plot',
  assurances: 'assurance',
  preferences: 'preference',
  attributions: 'attribution',
  findings: 'finding',
};

/** First words of a yes/no question. */
const YES_NO_OPENERS = new Set('is are was were do does did has have had can could will would should'.split(' '));

/** Prepositions after which a plural noun tells what something is about: "a statement on threats". */
const MODIFYING_PREPOSITIONS = new Set(['on', 'about', 'of', 'regarding', 'concerning', 'over', 'for', 'from']);

/** Words that turn a preference question towards "opposes". */
const OPPOSE = new Set(
  [
    'oppose',
    'against',
    'lose',
    'defeat',
    'hurt',
    'undermine',
    'denigrate',
    'undercut',
    'dislike',
    'hate',
    'harm',
    'attack',
  ].map(stem),
);
/** Words that turn a preference question towards "favours". */
const FAVOUR = new Set(
  ['favour', 'favor', 'back', 'support', 'win', 'help', 'like', 'boost', 'elect', 'endorse', 'root', 'benefit'].map(
    stem,
  ),
);

const CUE_STEMS = new Map<string, [Intent, number][]>();
for (const [intent, cues] of Object.entries(CUES) as [Intent, Record<string, number>][]) {
  for (const [word, weight] of Object.entries(cues)) {
    const s = stem(word);
    CUE_STEMS.set(s, [...(CUE_STEMS.get(s) ?? []), [intent, weight]]);
  }
}

/** The reading of a question's cue words. */
export interface IntentReading {
  /** The best intent, if any cue reached the threshold. */
  intent: Intent | null;
  /** Total cue weight per intent. */
  scores: Partial<Record<Intent, number>>;
  /** The question asks for a list. */
  list: boolean;
  /** For preference questions: which side the question asks about. */
  polarity: 'favours' | 'opposes' | null;
}

/** Minimum cue weight for an intent to count. */
export const INTENT_THRESHOLD = 0.55;

/** Whether a stem is a cue word for some intent (cue words steer ranking but are not topics). */
export function isCueStem(s: string): boolean {
  return CUE_STEMS.has(s) || LIST_CUES.has(s);
}

/**
 * Words whose stem is a cue's but which are no cue: "election" stems to "elect" (a preference
 * cue), yet it names what every assessment is about.
 */
const NOT_CUES = new Set(['election', 'elections']);

/** Whether a word is a cue word (see `isCueStem`). */
export function isCueWord(w: string): boolean {
  return !NOT_CUES.has(w) && isCueStem(stem(w));
}

/**
 * Reads intent from a question's words.
 *
 * @param isParticle whether word `i` is the particle of a phrasal verb ("push back", "hit back")
 * @example readIntent(['who', 'is', 'moscow', 'backing']).intent // 'preference'
 */
export function readIntent(
  words: readonly string[],
  hasCandidate: boolean,
  isName: (index: number) => boolean = () => false,
  isParticle: (index: number) => boolean = () => false,
): IntentReading {
  const scores: Partial<Record<Intent, number>> = {};
  let list = false;
  let polarity: IntentReading['polarity'] = null;
  for (const [i, w] of words.entries()) {
    // "Who won …?" asks for a result, which no assessment gives, not whom someone wants to win.
    if (w === 'won') continue;
    // The particle of a phrasal verb is not the word alone: "push back" is no "back" (support).
    if (isParticle(i) || NOT_CUES.has(w)) continue;
    // "Back in 2020, …" opens with the adverb, not the verb "back" (support).
    if (i === 0 && w === 'back') continue;
    const s = stem(w);
    for (const [intent, weight] of CUE_STEMS.get(s) ?? []) scores[intent] = (scores[intent] ?? 0) + weight;
    if (LIST_CUES.has(s)) list = true;
    if (OPPOSE.has(s)) polarity = 'opposes';
    else if (FAVOUR.has(s) && polarity === null) polarity = 'favours';
  }
  const content = words.filter((w) => !['what', 'are', 'the', 'show', 'me', 'give'].includes(w));
  // A yes/no question ("Were the bomb threats real?") asks whether, never for a list.
  // The plural is all that is asked: every other word is a name, a year or a stop word ("What
  // are Russia's tactics in 2024?"); "bomb threats polling sites" asks about something narrower.
  const onlyNoun =
    content.length > 0 &&
    !YES_NO_OPENERS.has(words[0] ?? '') &&
    content.every((w) => LIST_NOUNS[w] || !isCueWord(w)) &&
    words.every(
      (w, i) =>
        LIST_NOUNS[w] ||
        LIST_CUES.has(stem(w)) ||
        isName(i) ||
        /^(19|20)\d\d$/.test(w) ||
        STOP_WORDS.has(w) ||
        ['show', 'me', 'give'].includes(w),
    );
  words.forEach((w, i) => {
    const intent = LIST_NOUNS[w];
    if (!intent) return;
    scores[intent] = (scores[intent] ?? 0) + 0.5;
    // "the first statement on foreign threats" asks for a statement: a plural after a preposition
    // says what it is about, not what is asked for.
    if (onlyNoun && !words.slice(Math.max(0, i - 3), i).some((x) => MODIFYING_PREPOSITIONS.has(x))) list = true;
  });
  if (hasCandidate) scores.preference = (scores.preference ?? 0) + 0.4;
  let intent: Intent | null = null;
  let best = INTENT_THRESHOLD - 1e-9;
  for (const [k, v] of Object.entries(scores) as [Intent, number][]) {
    if (v > best) {
      best = v;
      intent = k;
    }
  }
  return { intent, scores, list: list && intent !== null, polarity: intent === 'preference' ? polarity : null };
}
