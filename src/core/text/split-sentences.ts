/**
 * Splits a paragraph into sentences, for claim drafting and for picking the sentence that answers.
 * Each sentence is an exact slice of the paragraph, so it can be quoted verbatim. Abbreviations
 * (U.S., Mr., e.g., E.O.), initials and quotations that run over several sentences do not end a
 * sentence.
 */

/** One sentence: `text === paragraph.slice(start, end)`. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** Words that end in a period without ending a sentence (lower-case, without the period). */
const ABBREVIATIONS = new Set(
  `mr mrs ms dr st jr sr gen lt col maj capt sgt adm cmdr gov sen rep rev pres amb sec dept
  prof no nos vol art sect ch para pp fig inc ltd corp co bros llc est approx vs cf al
  jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
  ave blvd rd ft mt`
    .split(/\s+/)
    .filter(Boolean),
);

/** Sentence-final punctuation, with any closing quotes or brackets after it. */
const TERMINATOR = /[.!?…]+["'\u201d\u2019)\]]*/g;
/** What may start the next sentence: a capital, a digit, an opening quote or bracket. */
const STARTER = /^\s+["'\u201c\u2018([]*[\p{Lu}\p{N}]/u;
/** A line that starts a list item also starts a sentence. */
const LIST_ITEM = /\n[ \t]*(?:[•▪◦\-*–—]|\d{1,2}[.)])[ \t]+/g;

/**
 * @example splitSentences('The U.S. Treasury acted. Iran denied it.').map((s) => s.text)
 * // ['The U.S. Treasury acted.', 'Iran denied it.']
 */
export function splitSentences(paragraph: string): Sentence[] {
  const cuts = new Set<number>();
  for (const m of paragraph.matchAll(TERMINATOR)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end >= paragraph.length) continue;
    if (!STARTER.test(paragraph.slice(end, end + 8))) continue;
    // "U.S." and "(E.O.) 13848": a period closing an abbreviation, even inside brackets.
    if (/^\.[)\]]*$/.test(m[0]) && isAbbreviation(paragraph, m.index ?? 0)) continue;
    if (insideQuotation(paragraph, lastCut(cuts), end)) continue;
    cuts.add(end);
  }
  for (const m of paragraph.matchAll(LIST_ITEM)) cuts.add(m.index ?? 0);

  const out: Sentence[] = [];
  let from = 0;
  for (const cut of [...[...cuts].sort((a, b) => a - b), paragraph.length]) {
    const raw = paragraph.slice(from, cut);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) out.push({ text, start: from + lead, end: from + lead + text.length });
    from = cut;
  }
  return out;
}

function lastCut(cuts: Set<number>): number {
  let last = 0;
  for (const c of cuts) if (c > last) last = c;
  return last;
}

/** Whether the period at `dot` closes an abbreviation or an initial rather than a sentence. */
function isAbbreviation(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 24), dot);
  const word = /[\p{L}.]+$/u.exec(before)?.[0] ?? '';
  if (!word) return false;
  // U.S, E.O, e.g, i.e: letters joined by periods. J (in "Donald J. Trump"): one capital.
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word) || /^\p{Lu}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/**
 * Whether `end` falls inside a quotation opened since `from` and closed later in the paragraph:
 * “One. Two,” she said. stays one sentence.
 */
function insideQuotation(text: string, from: number, end: number): boolean {
  const span = text.slice(from, end);
  const opened = count(span, '\u201c') - count(span, '\u201d');
  if (opened > 0 && text.indexOf('\u201d', end) >= 0) return true;
  return count(span, '"') % 2 === 1 && text.indexOf('"', end) >= 0;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
