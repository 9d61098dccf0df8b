/**
 * The citation check of `../shared/eval/score.mjs`, done the same way and independently of the
 * corpus loader: every cited paragraph must be, verbatim, paragraph N of `sources/<source>.txt` as
 * the file reads on disk. The files are read once; checking a citation is a lookup.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Citation } from '../core/reply.ts';
import { normalizePhrase } from './score-set.ts';

/** Source id → its paragraphs as score.mjs splits them. */
export type VerbatimParagraphs = ReadonlyMap<string, readonly string[]>;

/**
 * The paragraphs of a source file's text: after the header's first blank line, split at blank
 * lines, trimmed, with empty paragraphs and `[...]` gap markers left out.
 *
 * @example splitParagraphs('title: T\n\nOne.\n\n[...]\n\nTwo.') // ['One.', 'Two.']
 */
export function splitParagraphs(fileText: string): string[] {
  const t = fileText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const body = t.slice(t.search(/\n\s*\n/) + 1);
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p && p !== '[...]');
}

/**
 * Reads every `sources/*.txt` of a data directory.
 *
 * @example readVerbatimParagraphs('data').get('2024-07-09-dni-haines-statement-iranian-influence')?.[0]
 */
export function readVerbatimParagraphs(dataDir: string): VerbatimParagraphs {
  const dir = path.join(dataDir, 'sources');
  const out = new Map<string, string[]>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.txt') || f.startsWith('.')) continue;
    out.set(f.slice(0, -4), splitParagraphs(fs.readFileSync(path.join(dir, f), 'utf8')));
  }
  return out;
}

/**
 * Whether a citation's text is paragraph `paragraph` of `source`, verbatim up to quotes and spacing.
 *
 * @example isVerbatim(paragraphs, reply.citations[0]) // true for every citation the bot makes
 */
export function isVerbatim(
  paragraphs: VerbatimParagraphs,
  c: Pick<Citation, 'source' | 'paragraph' | 'text'>,
): boolean {
  const text = paragraphs.get(c.source)?.[c.paragraph - 1];
  return text !== undefined && normalizePhrase(text) === normalizePhrase(c.text);
}
