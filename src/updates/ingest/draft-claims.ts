/**
 * Rule-based claim drafting: each sentence of each paragraph is matched against `CLAIM_RULES`;
 * actors come from the actor registry through the NameMatcher. A draft's quote is its sentence,
 * cut from the paragraph verbatim; its summary is a template filled from the sentence's own words.
 * Drafts are marked `draft: true` with the rule that made them, and rank below reviewed claims.
 *
 * A rule name may carry how the actor was found: `+context` (named earlier in the paragraph),
 * `+publisher` (the document's publisher), and for preferences `+negated` ("prefers that X does not
 * win" puts X on the opposing side).
 */
import type { Corpus } from '../../core/corpus/corpus.ts';
import type { Claim, ClaimType, SourceHeader } from '../../core/corpus/schema.ts';
import { splitSentences } from '../../core/text/split-sentences.ts';
import { NameMatcher } from '../../core/understand/name-matcher.ts';
import {
  CLAIM_RULES,
  type ClaimRule,
  NEGATION_WINDOW,
  NEGATIONS,
  NOT_DENIED,
  PASSIVE,
  PREFERENCE_WINDOW,
  RESPONSE_ROLE,
} from './claim-rules.ts';
import { denialText, tidy } from './draft-denial.ts';
import { draftSummary } from './draft-summary.ts';
import { type CueHit, findCues, hasCue, type Named, namedActors } from './find-cues.ts';
import { clauseEnd, type Word, wordsOf } from './sentence-words.ts';

/** What drafting needs of a document. */
export interface DraftSource {
  id: string;
  header: Pick<SourceHeader, 'publisher' | 'kind'>;
  paragraphs: readonly string[];
}

type Draft = Omit<Claim, 'id'>;

interface Sentence {
  corpus: Corpus;
  source: DraftSource;
  paragraph: number;
  text: string;
  words: Word[];
  named: Named[];
  publisherActor: string | undefined;
  /** The last country or group named earlier in the paragraph ("It also sought …"). */
  contextSubject: string | undefined;
}

/** An actor for a claim, and the suffix saying how it was found. */
interface Found {
  id: string;
  how: string;
}

const FOREIGN = new Set(['country', 'group']);
const ELECTION_WORDS = /elect|campaign|cycle|midterm|ballot|vot/i;

/**
 * Drafts claims for a document, numbered `<id>-d1`, `<id>-d2`, … in paragraph and sentence order.
 *
 * @example draftClaims({ id: 'x', header: { publisher: 'ODNI', kind: 'official' }, paragraphs: ['Russia prefers Trump.'] }, corpus)
 * // [{ id: 'x-d1', type: 'preference', actor: 'russia', favours: ['trump'], rule: 'preference.favour', ... }]
 */
export function draftClaims(source: DraftSource, corpus: Corpus, names = new NameMatcher(corpus)): Claim[] {
  const fromPublisher = namedActors(wordsOf(source.header.publisher), corpus, names);
  const publisherActor = (fromPublisher.find((n) => FOREIGN.has(n.kind)) ?? fromPublisher[0])?.id;
  const drafts: Draft[] = [];
  source.paragraphs.forEach((paragraph, i) => {
    let contextSubject: string | undefined;
    for (const { text } of splitSentences(paragraph)) {
      const words = wordsOf(text);
      const named = namedActors(words, corpus, names);
      const s: Sentence = { corpus, source, paragraph: i + 1, text, words, named, publisherActor, contextSubject };
      drafts.push(...draftSentence(s, findCues(words, named)));
      contextSubject = named.find((n) => FOREIGN.has(n.kind))?.id ?? contextSubject;
    }
  });
  return drafts.map((d, i) => ({ id: `${source.id}-d${i + 1}`, ...d }));
}

function draftSentence(s: Sentence, allHits: CueHit[]): Draft[] {
  // In a response the publisher speaks: what it describes is the accusation it rebuts, not a claim.
  const response = s.source.header.kind === 'response';
  const hits = allHits.filter(
    (h) =>
      (!response || h.rule.actor === RESPONSE_ROLE) &&
      (!h.rule.onlyIn || h.rule.onlyIn.kinds.includes(s.source.header.kind) || hasCue(s.words, h.rule.onlyIn.withCues)),
  );
  const denial = hits.find((h) => h.rule.exclusive && !(h.rule.form === 'verb' && notADenial(s.words, h)));
  if (denial) {
    const actor = findActor(s, denial)[0];
    if (!actor) return [];
    const who = { id: actor.id, name: nameOf(s, actor.id), named: actor.how === '' };
    const { denies, summary, reported } = denialText(s, denial, denial.rule.form ?? 'verb', who);
    return [{ ...claimOf(s, 'denial', actor, denial.rule.name, summary), denies, reported }];
  }
  const out: Draft[] = preferenceClaims(s, hits);
  const done = new Set<ClaimType>(out.length ? ['preference'] : []);
  for (const rule of CLAIM_RULES) {
    if (rule.type === 'preference' || rule.exclusive || done.has(rule.type)) continue;
    if (rule.fallback && out.length > 0) continue;
    // Of the rule's cues, the first whose actor is named in the sentence, else the first with one
    // from context: "fake sites …, and the Chinese network posted AI-generated memes".
    const found = hits
      .filter((h) => h.rule === rule && !negated(s, h.start))
      .map((hit) => ({ hit, actors: findActor(s, hit) }))
      .filter((f) => f.actors.length > 0);
    const best = found.find((f) => f.actors.every((a) => a.how === '')) ?? found[0];
    if (!best) continue;
    for (const actor of best.actors) {
      const summary = tidy(draftSummary(s, best.hit, actor.id, nameOf(s, actor.id)));
      out.push(claimOf(s, rule.type, actor, rule.name, summary));
    }
    done.add(rule.type);
  }
  return out;
}

/** One preference claim per subject, each candidate on the side of the nearest cue before it. */
function preferenceClaims(s: Sentence, hits: CueHit[]): Draft[] {
  const cues = hits.filter((h) => h.rule.side);
  const favours: string[] = [];
  const opposes: string[] = [];
  const rules: string[] = [];
  for (const cand of s.named.filter((n) => n.kind === 'candidate')) {
    const cue = cues.filter((h) => h.end <= cand.start && cand.start - h.end < PREFERENCE_WINDOW).at(-1);
    if (!cue || negated(s, cue.start)) continue;
    // "prefers that Trump … does not win": the candidate is on the other side.
    const flip = afterCandidateNegated(s, cand);
    const side = (cue.rule.side === 'favours') !== flip ? favours : opposes;
    if (!side.includes(cand.id)) side.push(cand.id);
    const name = cue.rule.name + (flip ? '+negated' : '');
    if (!rules.includes(name)) rules.push(name);
  }
  const first = cues.find((h) => rules.some((r) => r.startsWith(h.rule.name)));
  if (!first) return [];
  const part = (verb: string, ids: string[]) =>
    ids.length ? `${verb} ${ids.map((id) => nameOf(s, id)).join(' and ')}` : '';
  const sides = [part('favours', favours), part('opposes', opposes)].filter(Boolean).join(' and ');
  return findActor(s, first).map((actor) => ({
    ...claimOf(s, 'preference', actor, rules.join('+'), `${nameOf(s, actor.id)} ${sides}`, [...favours, ...opposes]),
    ...(favours.length ? { favours } : {}),
    ...(opposes.length ? { opposes } : {}),
  }));
}

/** "ballots would be rejected", "denied access to": a denial verb that denies no accusation. */
function notADenial(words: readonly Word[], hit: CueHit): boolean {
  const before = words.slice(Math.max(0, hit.start - 2), hit.start);
  const after = words.slice(hit.end, hit.end + 3);
  return before.some((w) => PASSIVE.has(w.word)) || after.some((w) => NOT_DENIED.has(w.word));
}

/** "prefers that Trump – whom Beijing sees as unpredictable – does not win", "… Trump lose". */
function afterCandidateNegated(s: Sentence, cand: Named): boolean {
  const rest = s.words.slice(cand.end, cand.end + 10).map((w) => w.word);
  return rest.some(
    (w, k) =>
      w === 'lose' ||
      w === 'losing' ||
      ((NEGATIONS.has(w) || w.endsWith("n't")) && rest.slice(k + 1, k + 3).some((v) => LOSING.test(v))),
  );
}

/** What a candidate is said not to do when an actor prefers them to lose. */
const LOSING = /^(?:win|winning|be|become|elected|reelected|re|prevail|succeed|return)$/;

/** A negation shortly before word `at` in the same clause ("did not deploy efforts intended to"). */
function negated(s: Sentence, at: number): boolean {
  for (let k = at - 1; k >= Math.max(0, at - NEGATION_WINDOW); k--) {
    const w = s.words[k] as Word;
    if (/[,;:()\u2014]/.test(s.text.slice(w.end, (s.words[k + 1] as Word).start))) return false;
    if (NEGATIONS.has(w.word) || w.word.endsWith("n't")) return true;
  }
  return false;
}

/** The actors a rule's claim is about (see `ActorRole`), each with how it was found. */
function findActor(s: Sentence, hit: CueHit): Found[] {
  const rule: ClaimRule = hit.rule;
  if (rule.actor === 'subject') {
    const foreign = s.named.filter((n) => FOREIGN.has(n.kind));
    if (rule.type === 'sanction' && foreign.length > 0) return unique(foreign);
    const end = rule.actorAfter ? s.words.length : clauseEnd(s.text, s.words, hit.start);
    const anchor =
      foreign.filter((n) => n.end <= hit.start).at(-1) ?? foreign.find((n) => n.start >= hit.end && n.start < end);
    if (anchor) return unique(listedWith(s, foreign, anchor));
    return s.contextSubject ? [{ id: s.contextSubject, how: '+context' }] : [];
  }
  const before = s.named.filter((n) => n.end <= hit.start && n.kind !== 'candidate').reverse();
  const speaker = before.find((n) => FOREIGN.has(n.kind)) ?? before[0];
  if (speaker) return [{ id: speaker.id, how: '' }];
  const kindOk = !rule.publisherKinds || rule.publisherKinds.includes(s.source.header.kind);
  return s.publisherActor && kindOk ? [{ id: s.publisherActor, how: '+publisher' }] : [];
}

function unique(named: Named[]): Found[] {
  return [...new Set(named.map((n) => n.id))].map((id) => ({ id, how: '' }));
}

/** `anchor` and the actors listed with it: "Russia, China, and Iran". */
function listedWith(s: Sentence, foreign: Named[], anchor: Named): Named[] {
  const linked = (a: Named, b: Named) =>
    /^(?:['\u2019]s)?\s*(?:,\s*)?(?:(?:and|or)\s+)?$/.test(
      s.text.slice((s.words[a.end - 1] as Word).end, (s.words[b.start] as Word).start),
    );
  let i = foreign.indexOf(anchor);
  let j = i;
  while (i > 0 && linked(foreign[i - 1] as Named, foreign[i] as Named)) i--;
  while (j < foreign.length - 1 && linked(foreign[j] as Named, foreign[j + 1] as Named)) j++;
  return foreign.slice(i, j + 1);
}

/** An actor's display name. */
function nameOf(s: Sentence, id: string): string {
  return s.corpus.actors.get(id)?.name ?? id;
}

/** A draft claim; `summary` is one sentence about the actor (see `draft-summary.ts`). */
function claimOf(
  s: Sentence,
  type: ClaimType,
  actor: Found,
  rule: string,
  summary: string,
  sides: string[] = [],
): Draft {
  const claim: Draft = {
    source: s.source.id,
    paragraph: s.paragraph,
    actor: actor.id,
    type,
    quote: s.text,
    summary: summary.replace(/\s+/g, ' '),
  };
  const years = [...new Set(s.text.match(/\b(?:19|20)\d{2}\b/g) ?? [])];
  if (years.length === 1 && ELECTION_WORDS.test(s.text)) claim.election = Number(years[0]);
  const mentions = [...new Set(s.named.map((n) => n.id))].filter((id) => id !== actor.id && !sides.includes(id));
  if (mentions.length) claim.mentions = mentions;
  claim.draft = true;
  claim.rule = rule + actor.how;
  return claim;
}
