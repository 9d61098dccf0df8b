/**
 * The rules that draft claims from sentences, as data: each names a claim type, the cue words that
 * fire it and how the claim's actor is found. A draft records the name of the rule that produced
 * it, so a reviewer can see why it exists and a wrong rule can be fixed here.
 *
 * Cue syntax: a word matches by Porter stem (`deny` matches denied, denies); `word*` matches any
 * word starting with `word` (`designat*`, for stems that would be too broad: designate → design);
 * a phrase matches its words in order with at most `MAX_CUE_GAP` other words between them
 * (`primary threat` matches "primary foreign threat").
 */
import type { ClaimType } from '../../core/corpus/schema.ts';

/**
 * How a rule finds the claim's actor.
 * - `subject`: the country or group named nearest before the cue, with any listed with it ("Iran and
 *   Russia have …"); else the first one after the cue in its clause (anywhere after, with
 *   `actorAfter`); else the one named earlier in the paragraph. A sanction is on every one named.
 * - `speaker`: the actor named nearest before the cue (a country or group if there is one), else
 *   the publisher's actor: the ministry that denies, the agency that assures.
 */
export type ActorRole = 'subject' | 'speaker';

/** One drafting rule. */
export interface ClaimRule {
  /** Recorded in the draft's `rule` field. */
  name: string;
  type: ClaimType;
  cues: readonly string[];
  actor: ActorRole;
  /** `subject` rules: the actor may be named anywhere after the cue ("attributes the hack to Iran"). */
  actorAfter?: boolean;
  /** Fires only when no other rule fired on the sentence (cues as broad as "assess"). */
  fallback?: boolean;
  /** Once this fires, no other type is drafted from the sentence: what is denied is not a claim. */
  exclusive?: boolean;
  /** preference rules: the side a candidate named after the cue is put on. */
  side?: 'favours' | 'opposes';
  /** `speaker` rules: use the publisher's actor only for these source kinds (all when unset). */
  publisherKinds?: readonly string[];
  /** Fires only in these source kinds, or when the sentence also has one of `withCues`. */
  onlyIn?: { kinds: readonly string[]; withCues: readonly string[] };
  /** denial rules: how the cue names what is denied (see `draft-denial.ts`). */
  form?: DenialForm;
}

/**
 * - `verb`: "rejected the findings" — what follows the verb is denied.
 * - `intention`: "has no intention of interfering" — the intention is denied.
 * - `adjective`: "baseless accusations", "Such allegations are groundless".
 * - `noun`: "hysteria about Russian interference" — what it is called is denied.
 */
export type DenialForm = 'verb' | 'intention' | 'adjective' | 'noun';

/** Rules with this actor role are the only ones applied to a `response`: the rest is rebuttal. */
export const RESPONSE_ROLE: ActorRole = 'speaker';

/** Words that, shortly before a cue in the same clause, negate it ("did not deploy … intended to"). */
export const NEGATIONS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'neither', 'nor', 'without']);

/** Words before a verb cue that make it passive: "ballots would be rejected" denies nothing. */
export const PASSIVE: ReadonlySet<string> = new Set(['be', 'been', 'being', 'is', 'are', 'was', 'were', 'get', 'got']);

/** Words shortly after a denial verb that make it something else: "denied access", "denial-of-service". */
export const NOT_DENIED: ReadonlySet<string> = new Set(['access', 'service', 'entry', 'visa', 'visas', 'permission']);

/**
 * Words that make a denial a reported habit rather than a dated statement ("regularly denies", "has
 * long denied", "routinely rejects"), looked for up to `HABIT_WINDOW` words before the cue.
 */
export const HABITUAL: ReadonlySet<string> = new Set([
  'regularly',
  'routinely',
  'repeatedly',
  'consistently',
  'habitually',
  'frequently',
  'often',
  'usually',
  'typically',
  'always',
  'invariably',
  'customarily',
  'traditionally',
  'long',
  'previously',
]);

/** Phrases after a denial cue, in its clause, that make it a habit: "has denied in the past". */
export const HABITUAL_AFTER: readonly string[] = ['in the past', 'in past', 'time and again', 'as a rule'];

/** How many words before a denial cue a habit word is looked for. */
export const HABIT_WINDOW = 3;

/** How many words before a cue a negation is looked for. */
export const NEGATION_WINDOW = 5;

/** Speech words that make an adjective or noun cue a denial outside a `response` ("called it baseless"). */
const SAYING = ['call*', 'describ*', 'label*', 'termed', 'said', 'say*', 'dismiss*', 'reject*', 'decry', 'brand*'];

/** Most words allowed between the words of a cue phrase. */
export const MAX_CUE_GAP = 2;

/** A preference cue applies to candidates named at most this many words after it. */
export const PREFERENCE_WINDOW = 8;

/** Nouns a denial refers back to when its cue is an adjective ("Such allegations are groundless"). */
export const ACCUSATION_NOUNS: ReadonlySet<string> = new Set(
  ['allegation', 'accusation', 'claim', 'charge', 'report', 'assertion', 'finding', 'statement', 'insinuation'].flatMap(
    (w) => [w, `${w}s`],
  ),
);

/** The rules, in the order their drafts are listed for a sentence. */
export const CLAIM_RULES: readonly ClaimRule[] = [
  {
    name: 'denial.reject',
    type: 'denial',
    cues: ['deny', 'denial', 'reject*', 'dismiss*', 'refut*', 'rebuff*', 'repudiat*', 'decry'],
    actor: 'speaker',
    exclusive: true,
    publisherKinds: ['response'],
    form: 'verb',
  },
  {
    name: 'denial.no-intention',
    type: 'denial',
    cues: ['no intention', 'neither intention', 'no intent', 'no interest in', 'no plan'],
    actor: 'speaker',
    exclusive: true,
    publisherKinds: ['response'],
    form: 'intention',
  },
  {
    name: 'denial.groundless',
    type: 'denial',
    cues: ['groundless', 'baseless', 'unsubstantiated', 'unfounded', 'absurd', 'fabricated'],
    actor: 'speaker',
    exclusive: true,
    publisherKinds: ['response'],
    onlyIn: { kinds: ['response'], withCues: SAYING },
    form: 'adjective',
  },
  {
    name: 'denial.dismissive',
    type: 'denial',
    cues: ['hysteria', 'slander*', 'nonsense', 'fiction', 'russophob*', 'smear campaign', 'witch hunt', 'fairy tale*'],
    actor: 'speaker',
    exclusive: true,
    publisherKinds: ['response'],
    onlyIn: { kinds: ['response'], withCues: SAYING },
    form: 'noun',
  },
  {
    name: 'preference.favour',
    type: 'preference',
    cues: ['prefer*', 'favour*', 'favor*', 'support*', 'back', 'boost*', 'promot*', 'bolster*', 'help*', 'benefit*'],
    actor: 'subject',
    side: 'favours',
  },
  {
    name: 'preference.oppose',
    type: 'preference',
    cues: [
      'denigrat*',
      'undermin*',
      'disparag*',
      'oppos*',
      'hurt*',
      'harm*',
      'undercut*',
      'discredit*',
      'defeat*',
      'smear*',
      'mock*',
      'ridicul*',
    ],
    actor: 'subject',
    side: 'opposes',
  },
  {
    name: 'threat.ranking',
    type: 'threat',
    cues: [
      'most active',
      'primary threat',
      'preeminent',
      'pre eminent',
      'greatest threat',
      'most significant',
      'most aggressive',
      'increasingly aggressive',
      'top threat',
      'main threat',
      'leading* threat',
      'most persistent',
      'primarily concerned',
      'most concerned',
    ],
    actor: 'subject',
  },
  {
    name: 'plot.violence',
    type: 'plot',
    cues: ['plot*', 'assassin*', 'murder*', 'kidnap*', 'kill'],
    actor: 'subject',
  },
  {
    name: 'sanction.designation',
    type: 'sanction',
    actorAfter: true,
    cues: ['sanction*', 'designat*', 'indict*', 'visa restriction'],
    actor: 'subject',
  },
  {
    name: 'attribution.attribute',
    type: 'attribution',
    actorAfter: true,
    cues: [
      'attribut*',
      'responsible for',
      'behind',
      'orchestrat*',
      'conducted by',
      'directed by',
      'authoriz*',
      'manufactur*',
    ],
    actor: 'subject',
  },
  {
    name: 'tactic.method',
    type: 'tactic',
    cues: [
      'hack*',
      'leak*',
      'phish*',
      'video',
      'persona',
      'fake site',
      'fake websit*',
      'fake news',
      'inauthentic',
      'social media',
      'social engineering',
      'bot',
      'troll*',
      'deepfak*',
      'impersonat*',
      'posing as',
      'posed as',
      'pose as',
      'artificial intelligence',
      'ai generated',
      'generative ai',
      'propaganda',
      'influencer*',
      'front compan*',
      'disinformation campaign*',
      'false claim*',
      'narratives',
      'proxies',
      'covert*',
      'cyber operation*',
      'email*',
      'stolen',
    ],
    actor: 'subject',
  },
  {
    name: 'intent.aim',
    type: 'intent',
    cues: [
      'plan',
      'intend',
      'intent',
      'expect',
      'seek',
      'sought',
      'aim',
      'goal',
      'objective',
      'attempt*',
      'likely* to',
      'will likely*',
      'trying to',
      'effort* to',
    ],
    actor: 'subject',
  },
  {
    name: 'assurance.pledge',
    type: 'assurance',
    cues: ['assur*', 'reassur*', 'pledg*', 'promis*', 'vow*', 'guarante*', 'committed to'],
    actor: 'speaker',
  },
  {
    name: 'attribution.assess',
    type: 'attribution',
    cues: ['assess*', 'judge', 'conclud*', 'is confident', 'are confident', 'high confidence', 'moderate confidence'],
    actor: 'subject',
    fallback: true,
  },
];
