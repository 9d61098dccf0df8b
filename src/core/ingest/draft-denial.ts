/**
 * What a denial denies, in a template filled from the sentence's own words: the object of "rejected
 * …", the intention of "no intention of …", the accusations called "baseless", what is called
 * "hysteria". Nothing is added that the sentence does not say.
 */
import { STOP_WORDS } from '../text/tokenize.ts';
import { ACCUSATION_NOUNS, type DenialForm } from './claim-rules.ts';
import type { CueHit } from './find-cues.ts';
import { phraseFrom, type Word } from './sentence-words.ts';

/** `denies` for the claim, and the summary's words after "<Actor>: denial — ". */
export interface DenialText {
  denies: string;
  summary: string;
}

/**
 * @example denialText('Moscow rejected the allegations.', wordsOf('Moscow rejected the allegations.'), hit, 'verb')
 * // { denies: 'the allegations', summary: 'rejected the allegations' }
 */
export function denialText(text: string, words: readonly Word[], hit: CueHit, form: DenialForm): DenialText {
  const cue = words[hit.start] as Word;
  const cueText = text.slice(cue.start, (words[hit.end - 1] as Word).end).replace(/\s+/g, ' ');
  const after = words[hit.end] ? phraseFrom(text, words, hit.end) : '';
  const denied = (denies: string) => ({ denies, summary: `denies ${denies}` });
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
    default:
      return after
        ? { denies: tidy(after), summary: `${cueText} ${tidy(after)}` }
        : { denies: 'the allegations the sentence describes', summary: `${cueText} the allegations` };
  }
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
