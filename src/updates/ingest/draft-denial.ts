/**
 * What a denial denies, in a template filled from the sentence's own words: the object of "rejected
 * …", the intention of "no intention of …", the accusations called "baseless", what is called
 * "hysteria". Nothing is added that the sentence does not say. Also whether the sentence reports a
 * dated denial or a habit ("regularly denies").
 */
import type { DenialReport } from '../../core/corpus/schema.ts';
import { STOP_WORDS } from '../../core/text/tokenize.ts';
import { ACCUSATION_NOUNS, type DenialForm, HABIT_WINDOW, HABITUAL, HABITUAL_AFTER } from './claim-rules.ts';
import { draftSummary, predicateEnd, repeatSwaps, type SummarySentence, spanText } from './draft-summary.ts';
import type { CueHit } from './find-cues.ts';
import { clauseEnd, phraseFrom, type Word } from './sentence-words.ts';

/** A drafted denial's fields: what is denied, the one-sentence summary, and how it is reported. */
export interface DenialText {
  denies: string;
  summary: string;
  reported: DenialReport;
}

/** The actor that denies: its id, its display name, and whether the sentence names it. */
export interface Denier {
  id: string;
  name: string;
  named: boolean;
}

/**
 * @example denialText(sentence('Tehran denied that Iran had hacked the campaign.'), hit, 'verb', { id: 'iran', name: 'Iran', named: true })
 * // { denies: 'that it had hacked the campaign', summary: 'Iran denied that it had hacked the campaign', reported: 'statement' }
 */
export function denialText(s: SummarySentence, hit: CueHit, form: DenialForm, who: Denier): DenialText {
  const { text, words } = s;
  const cue = words[hit.start] as Word;
  const cueText = text.slice(cue.start, (words[hit.end - 1] as Word).end).replace(/\s+/g, ' ');
  const after = words[hit.end] ? phraseFrom(text, words, hit.end) : '';
  const reported = reportedAs(s, hit);
  const denied = (denies: string) => ({ denies, summary: `${who.name} denies ${denies}`, reported });
  switch (form) {
    case 'intention': {
      // "neither the intention nor the motive to interfere" → "any intention to interfere"
      const rest = after.replace(/^(?:nor|or)\s+(?:the\s+|any\s+)?\S+\s+/, '');
      return denied(`any ${cue.word === 'no' || cue.word === 'neither' ? 'intention' : cue.word} ${rest}`.trim());
    }
    case 'adjective': {
      const next = words[hit.end];
      const from = phraseFrom(text, words, hit.start);
      // "baseless accusations of …" names what is denied; "Such allegations are baseless" points back.
      if (next && !STOP_WORDS.has(next.word) && from.length > cueText.length) return denied(tidy(from));
      const noun = [...words.slice(0, hit.start)].reverse().find((w) => ACCUSATION_NOUNS.has(w.word));
      return denied(noun ? `${noun.word} it calls ${cueText}` : `what it calls ${cueText}`);
    }
    case 'noun':
      return denied(`what it calls ${tidy(phraseFrom(text, words, hit.start))}`);
    default: {
      // "issued a denial of the reports": what is denied starts after "of".
      const from = cue.word === 'denial' && words[hit.end]?.word === 'of' ? hit.end + 1 : hit.end;
      const end = predicateEnd(text, words, from);
      const denies =
        end > from ? tidy(spanText(text, words, from, end, undefined, repeatSwaps(s, who.id, from, end))) : '';
      if (!denies)
        return {
          ...denied('the allegations the sentence describes'),
          summary: `${who.name} ${pastOr(cue, cueText)} the allegations`,
        };
      const summary = who.named
        ? tidy(draftSummary(s, hit, who.id, who.name))
        : `${who.name} ${pastOr(cue, cueText)} ${denies}`;
      return { denies, summary, reported };
    }
  }
}

/** The cue as written when it is a past form ("rejected"), else "denies" (the claim's own verb). */
function pastOr(cue: Word, cueText: string): string {
  return /ed$/.test(cue.word) ? cueText : 'denies';
}

/**
 * `habit` when the cue's clause says the denial is a habit ("regularly denies", "has long denied",
 * "has denied in the past"), else `statement`.
 *
 * @example reportedAs(sentence('the Russian government regularly denies US allegations'), hit) // 'habit'
 */
export function reportedAs(s: SummarySentence, hit: Pick<CueHit, 'start' | 'end'>): DenialReport {
  const before = s.words.slice(Math.max(0, hit.start - HABIT_WINDOW), hit.start);
  if (before.some((w) => HABITUAL.has(w.word))) return 'habit';
  const end = clauseEnd(s.text, s.words, hit.start);
  const rest = ` ${s.words
    .slice(hit.end, end)
    .map((w) => w.word)
    .join(' ')} `;
  return HABITUAL_AFTER.some((p) => rest.includes(` ${p} `)) ? 'habit' : 'statement';
}

/** Drops quote marks left unbalanced by cutting a phrase out of a sentence. */
export function tidy(phrase: string): string {
  let out = phrase;
  if (count(out, '\u201c') !== count(out, '\u201d')) out = out.replace(/[\u201c\u201d]/g, '');
  if (count(out, '"') % 2 === 1) out = out.replaceAll('"', '');
  // Single quotes also write apostrophes (Iran’s): only those at a word's edge are quote marks.
  const edge = /(^|\s)['\u2018\u2019]|['\u2018\u2019](?=\s|$)/g;
  if ((out.match(edge) ?? []).length % 2 === 1) out = out.replace(edge, '$1');
  return out.trim();
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
