/**
 * A document to ingest, read from its normalised text: either the corpus format (`key: value`
 * header lines, a blank line, paragraphs) or plain text whose header comes from flags. Everything
 * the loader would refuse in the file itself is refused here, before anything is written.
 */
import { createHash } from 'node:crypto';
import { isGapMarker, parseSource } from '../../core/corpus/parse-source.ts';
import { type SourceHeader, sourceHeaderSchema } from '../../core/corpus/schema.ts';
import { foldText } from '../../core/text/tokenize.ts';

/** Header values given on the command line (`--title` …), for plain text or to fill gaps. */
export interface HeaderFlags {
  title?: string;
  publisher?: string;
  date?: string;
  url?: string;
  kind?: string;
}

/** A document ready to write. */
export interface IngestDocument {
  /** `YYYY-MM-DD-slug`: the file name under `sources/` and `claims/`. */
  id: string;
  header: SourceHeader;
  /** Numbered paragraphs (gap markers left out), exactly as they will be cited. */
  paragraphs: string[];
  /** The source file to write: canonical header, a blank line, the body blocks. */
  text: string;
  /** Hash of the paragraphs with spacing and quote styles folded: the same text under any name. */
  hash: string;
}

/** A problem with one document's content; the caller adds the file name. */
export class DocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentError';
  }
}

/** Header keys the corpus format knows, in the order they are written. */
const HEADER_KEYS = ['title', 'publisher', 'date', 'url', 'kind', 'excerpt', 'image', 'author', 'language', 'via'];
const REQUIRED: readonly (keyof HeaderFlags)[] = ['title', 'publisher', 'date', 'kind'];
const HEADER_LINE = /^([A-Za-z][\w-]*):\s?(.*)$/;
const SLUG_MAX = 60;
/** Words left out of a slug so it says more in 60 characters. */
const SLUG_STOP = new Set(['a', 'an', 'the', 'of', 'and', 'on', 'in', 'to', 'for', 'by', 'at', 'with', 'as']);

/**
 * Reads a normalised document (see `normalizeText`) with optional flags. Flags fill in header
 * fields the file lacks; a flag that contradicts the file's header is an error.
 *
 * @example readDocument('title: T\npublisher: P\ndate: 2025-01-02\nkind: official\n\nText.\n').id // '2025-01-02-t'
 */
export function readDocument(text: string, flags: HeaderFlags = {}): IngestDocument {
  const firstBlock = text.split('\n\n', 1)[0] ?? '';
  // A first line such as `title: …` starts a header; anything else is plain text.
  const hasHeader = HEADER_KEYS.includes(
    (HEADER_LINE.exec(firstBlock.split('\n', 1)[0] ?? '')?.[1] ?? '').toLowerCase(),
  );
  const parsed = parseSource(hasHeader ? text : `\n\n${text}`);
  if (parsed.problems.length > 0) throw new DocumentError(`header: ${parsed.problems.join('; ')}`);

  const flat: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(parsed.header)) {
    if (key !== 'via' && values.length > 1) throw new DocumentError(`header: "${key}" is given ${values.length} times`);
    flat[key] = key === 'via' ? values : (values[0] as string);
  }
  for (const [key, value] of Object.entries(flags) as [keyof HeaderFlags, string | undefined][]) {
    if (value === undefined) continue;
    const v = value.trim();
    if (/[\r\n]/.test(v)) throw new DocumentError(`--${key} must be one line`);
    if (flat[key] !== undefined && flat[key] !== v) {
      throw new DocumentError(`--${key} "${v}" contradicts the file's header "${key}: ${String(flat[key])}"`);
    }
    flat[key] = v;
  }
  for (const key of REQUIRED) {
    if (flat[key] === undefined || flat[key] === '') {
      const hint = key === 'date' ? 'date: YYYY-MM-DD' : key === 'kind' ? 'kind: official|news|response|analysis' : key;
      throw new DocumentError(`has no ${key}: add a header line "${hint}" or pass --${key}`);
    }
  }
  const header = sourceHeaderSchema.safeParse(flat);
  if (!header.success) {
    const problems = header.error.issues.map((i) =>
      [i.path.map(String).join('.'), i.message].filter(Boolean).join(' '),
    );
    throw new DocumentError(`header: ${problems.join('; ')}`);
  }

  const body = hasHeader ? text.slice(firstBlock.length) : text;
  const blocks = body
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter(Boolean);
  const paragraphs = blocks.filter((b) => !isGapMarker(b));
  if (paragraphs.length === 0) throw new DocumentError('has no body: no paragraphs after the header');

  const slug = slugOf(header.data.title);
  if (!slug)
    throw new DocumentError(
      `cannot make an id from the title "${header.data.title}": it has no Latin letters or digits`,
    );
  const doc = {
    id: `${header.data.date}-${slug}`,
    header: header.data,
    paragraphs,
    text: `${renderHeader(header.data)}\n\n${blocks.join('\n\n')}\n`,
    hash: contentHash(paragraphs),
  };
  // What is written must read back as the same paragraphs, or citations would drift.
  const check = parseSource(doc.text).paragraphs;
  if (check.length !== paragraphs.length || check.some((p, i) => p !== paragraphs[i])) {
    throw new DocumentError('its paragraphs would not read back unchanged; check for lines that look like a header');
  }
  return doc;
}

/** The header lines in a fixed order; `via` repeats. */
function renderHeader(h: SourceHeader): string {
  const lines: string[] = [];
  for (const key of HEADER_KEYS) {
    const value = h[key as keyof SourceHeader];
    if (Array.isArray(value)) for (const v of value) lines.push(`${key}: ${v}`);
    else if (value !== undefined) lines.push(`${key}: ${value}`);
  }
  return lines.join('\n');
}

/**
 * The slug of a title: folded to lower-case Latin letters and digits, kebab-case, filler words
 * left out, cut at a word boundary to at most 60 characters.
 *
 * @example slugOf('Joint Statement on Iranian Election Influence') // 'joint-statement-iranian-election-influence'
 */
export function slugOf(title: string, max = SLUG_MAX): string {
  const words = foldText(title)
    .replace(/'/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const kept = words.filter((w) => !SLUG_STOP.has(w));
  const use = kept.length > 0 ? kept : words;
  let slug = '';
  for (const w of use) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > max) break;
    slug = next;
  }
  return slug || (use[0] ?? '').slice(0, max);
}

/**
 * SHA-256 of the paragraphs with compatibility forms, quote and dash styles and runs of
 * whitespace folded: two copies of one text hash the same whatever their name or header.
 *
 * @example contentHash(['A  “b”.']) === contentHash(['A "b".']) // true
 */
export function contentHash(paragraphs: readonly string[]): string {
  const folded = paragraphs.map((p) =>
    p
      .normalize('NFKC')
      .replace(/[\u2018\u2019\u201b\u2032`]/g, "'")
      .replace(/[\u201c\u201d\u2033]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return createHash('sha256').update(folded.join('\n\n')).digest('hex');
}
