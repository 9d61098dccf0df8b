/**
 * Dates a question names by month: "sept 18", "18 September", "May 2024". Read when the question is
 * read (its date parts are not search words) and when candidates are scored (a source of that
 * month and day).
 */
import { tokenize } from '../text/tokenize.ts';

/** Month names and their abbreviations, with the month's number. */
export const MONTH_WORDS: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

/** Months (with the day, when one is next to it) the question names: "sept 18", "18 September". */
export function datesNamed(text: string): { month: number; day?: number }[] {
  const words = tokenize(text).map((t) => t.word);
  const out: { month: number; day?: number }[] = [];
  words.forEach((w, i) => {
    const month = MONTH_WORDS[w];
    if (!month) return;
    const near = [words[i + 1], words[i - 1]].find((x) => x !== undefined && /^\d{1,2}(st|nd|rd|th)?$/.test(x));
    const yearNext = /^(19|20)\d\d$/.test(words[i + 1] ?? '');
    // "may" and "march" are ordinary words unless a day or year stands beside them.
    if ((w === 'may' || w === 'march' || w === 'mar') && !near && !yearNext) return;
    out.push(near ? { month, day: Number.parseInt(near, 10) } : { month });
  });
  return out;
}
