/**
 * Adds documents to a data directory: each file (or text held in memory, as the feed watcher has
 * it) is read, checked, given an id, written to `sources/<id>.txt` with its drafted claims in
 * `claims/<id>.json`, and the whole directory is loaded again. Each document is all or nothing: on
 * any failure neither of its files remains.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Corpus } from '../../core/corpus/corpus.ts';
import { DataError, formatIssue, loadCorpus } from '../../core/corpus/load-corpus.ts';
import { type Claim, claimsFileSchema } from '../../core/corpus/schema.ts';
import { NameMatcher } from '../../core/understand/name-matcher.ts';
import { decodeText, EncodingError, normalizeText } from './decode-text.ts';
import { draftClaims } from './draft-claims.ts';
import { contentHash, DocumentError, type HeaderFlags, type IngestDocument, readDocument } from './read-document.ts';

/** Raised when the batch cannot start at all (the data directory does not load). */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestError';
  }
}

/** What happened to one input file. */
export type IngestResult =
  | { file: string; ok: true; id: string; sourceFile: string; claimsFile: string; drafts: Claim[] }
  | { file: string; ok: false; error: string };

export interface IngestOptions {
  /** The data directory to add to (`sources/`, `claims/`, `actors.json`, …). */
  dataDir: string;
  /** Header values for plain-text files, or to fill fields a file's header lacks. */
  flags?: HeaderFlags;
  /**
   * Also refuse a document whose `url` header is already the link of a source (default false for
   * files, true for `ingestTexts`): a statement fetched again under a new feed guid is the same one.
   */
  refuseSameUrl?: boolean;
}

/** A document held in memory: `name` says where it came from (a link) in messages. */
export interface IngestText {
  name: string;
  text: string;
}

/** Key order of a written claim: what it is, then what it says, then how it was made. */
const CLAIM_KEYS = [
  'id',
  'source',
  'paragraph',
  'actor',
  'type',
  'election',
  'favours',
  'opposes',
  'denies',
  'reported',
  'mentions',
  'quote',
  'summary',
  'draft',
  'rule',
] as const;

/**
 * `n` and the noun, singular for one: "1 draft claim", "2 draft claims", "0 documents".
 *
 * @example countOf(1, 'draft claim') // '1 draft claim'
 */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The line printed for an added document: its id, its two files, and its drafts by type.
 *
 * @example describeAdded(result) // 'added 2025-…: data/sources/….txt, data/claims/….json (1 draft claim: denial 1)'
 */
export function describeAdded(r: Extract<IngestResult, { ok: true }>): string {
  const byType = new Map<string, number>();
  for (const c of r.drafts) byType.set(c.type, (byType.get(c.type) ?? 0) + 1);
  const types = [...byType].map(([t, n]) => `${t} ${n}`).join(', ');
  return `added ${r.id}: ${r.sourceFile}, ${r.claimsFile} (${countOf(r.drafts.length, 'draft claim')}${types ? `: ${types}` : ''})`;
}

/**
 * Ingests `files` in order. A failing file is reported and skipped; the others still go in.
 * Throws an IngestError only when the data directory does not load before starting.
 *
 * @example ingestFiles(['statement.txt'], { dataDir: 'data' })[0] // { ok: true, id: '2025-03-14-…', drafts: [...] }
 */
export function ingestFiles(files: readonly string[], options: IngestOptions): IngestResult[] {
  return ingestAll(
    files.map((file) => ({ name: file, read: () => decodeText(readBytes(file)) })),
    options,
  );
}

/**
 * Ingests documents held in memory, in order, through the same checks and writes as
 * `ingestFiles`; each result's `file` is the text's `name`. By default a document whose `url`
 * header is already some source's link is refused as already present.
 *
 * @example ingestTexts([{ name: 'https://www.dni.gov/…', text: 'title: …\n\nParagraph.\n' }], { dataDir: 'data' })
 */
export function ingestTexts(texts: readonly IngestText[], options: IngestOptions): IngestResult[] {
  return ingestAll(
    texts.map((t) => ({ name: t.name, read: () => t.text })),
    { ...options, refuseSameUrl: options.refuseSameUrl ?? true },
  );
}

/** One input: its name for messages and how to get its text (which may throw an EncodingError). */
interface Input {
  name: string;
  read: () => string;
}

/** What is already in the corpus, to refuse copies: content hashes and links, each to a source id. */
interface Known {
  hashes: Map<string, string>;
  links: Map<string, string>;
}

function loadBefore(dataDir: string): Corpus {
  try {
    return loadCorpus(dataDir);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    throw new IngestError(`ingest: ${dataDir} does not load; fix it first (npm run check-data)\n${e.message}`);
  }
}

function ingestAll(inputs: readonly Input[], options: IngestOptions): IngestResult[] {
  const { dataDir, flags = {} } = options;
  let corpus = loadBefore(dataDir);
  const names = new NameMatcher(corpus);
  const known: Known = { hashes: new Map(), links: new Map() };
  for (const s of corpus.sources.values()) {
    known.hashes.set(contentHash(s.paragraphs.map((p) => p.text)), s.id);
    if (s.url) known.links.set(linkKey(s.url), s.id);
  }

  const results: IngestResult[] = [];
  for (const input of inputs) {
    const file = input.name;
    try {
      const doc = prepare(input, flags, dataDir, known, options.refuseSameUrl ?? false);
      const checked = claimsFileSchema.safeParse(draftClaims(doc, corpus, names));
      if (!checked.success) throw new DocumentError(`drafted claims are invalid: ${checked.error.message}`);
      const drafts = checked.data;
      const written = writeDocument(dataDir, doc, drafts);
      try {
        corpus = loadCorpus(dataDir);
      } catch (e) {
        written.remove();
        if (!(e instanceof DataError)) throw e;
        const issues = e.issues.map((i) => `  ${formatIssue(i)}`).join('\n');
        throw new DocumentError(`the data directory did not load with it, so nothing was kept:\n${issues}`);
      }
      known.hashes.set(doc.hash, doc.id);
      if (doc.header.url) known.links.set(linkKey(doc.header.url), doc.id);
      results.push({
        file,
        ok: true,
        id: doc.id,
        sourceFile: written.sourceFile,
        claimsFile: written.claimsFile,
        drafts,
      });
    } catch (e) {
      if (!(e instanceof DocumentError || e instanceof EncodingError || isFsError(e))) throw e;
      results.push({ file, ok: false, error: `ingest: ${file}: ${(e as Error).message}` });
    }
  }
  return results;
}

/**
 * A link as compared for "the same document": parsed, with its fragment dropped (the URL parser
 * already lower-cases the host and drops a default port). Text that is no URL is kept as it is.
 *
 * @example linkKey('https://WWW.Example.org:443/a#top') // 'https://www.example.org/a'
 */
export function linkKey(link: string): string {
  try {
    const url = new URL(link.trim());
    url.hash = '';
    return url.href;
  } catch {
    return link.trim();
  }
}

function readBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new DocumentError(`cannot read: ${(e as Error).message}`);
  }
}

/** Reads and checks one document; throws a DocumentError naming what is wrong. */
function prepare(
  input: Input,
  flags: HeaderFlags,
  dataDir: string,
  known: Known,
  refuseSameUrl: boolean,
): IngestDocument {
  const doc = readDocument(normalizeText(input.read()), flags);
  const sourceFile = path.join(dataDir, 'sources', `${doc.id}.txt`);
  const claimsFile = path.join(dataDir, 'claims', `${doc.id}.json`);
  if (fs.existsSync(sourceFile)) {
    throw new DocumentError(`already present: a source with id ${doc.id} exists (${sourceFile}); nothing written`);
  }
  if (fs.existsSync(claimsFile)) {
    throw new DocumentError(`already present: ${claimsFile} exists without its source; remove it first`);
  }
  const same = known.hashes.get(doc.hash);
  if (same) throw new DocumentError(`already present: the same text is source ${same} (under another name)`);
  const sameLink = refuseSameUrl && doc.header.url ? known.links.get(linkKey(doc.header.url)) : undefined;
  if (sameLink) throw new DocumentError(`already present: source ${sameLink} has the same url ${doc.header.url}`);
  return doc;
}

/** Files written for one document, and how to take them back. */
interface Written {
  sourceFile: string;
  claimsFile: string;
  remove: () => void;
}

/**
 * Writes both files next to their targets under hidden temporary names (the loader skips dot
 * files), then links them into place; a link fails rather than overwrite a file that appeared
 * meanwhile. Anything left half-done is removed before the error is passed on.
 */
function writeDocument(dataDir: string, doc: IngestDocument, drafts: Claim[]): Written {
  const sourceFile = path.join(dataDir, 'sources', `${doc.id}.txt`);
  const claimsFile = path.join(dataDir, 'claims', `${doc.id}.json`);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = (final: string) => path.join(path.dirname(final), `.${path.basename(final)}.${tag}.tmp`);
  const created: string[] = [];
  const remove = () => {
    for (const f of created.splice(0)) fs.rmSync(f, { force: true });
  };
  try {
    fs.mkdirSync(path.dirname(claimsFile), { recursive: true });
    const claimsJson = `${JSON.stringify(drafts.map(ordered), null, 2)}\n`;
    for (const [final, content] of [
      [sourceFile, doc.text],
      [claimsFile, claimsJson],
    ] as const) {
      const tmp = temp(final);
      created.push(tmp);
      fs.writeFileSync(tmp, content, { flag: 'wx' });
    }
    for (const final of [sourceFile, claimsFile]) {
      place(temp(final), final);
      created.push(final);
    }
  } catch (e) {
    remove();
    throw e;
  }
  for (const final of [sourceFile, claimsFile]) fs.rmSync(temp(final), { force: true });
  created.splice(0, created.length, sourceFile, claimsFile);
  return { sourceFile, claimsFile, remove };
}

/** Moves `tmp` to `final`, never over an existing file. */
function place(tmp: string, final: string): void {
  try {
    fs.linkSync(tmp, final);
  } catch (e) {
    // Some file systems (network shares, FAT) have no hard links; check, then rename instead.
    const code = (e as NodeJS.ErrnoException).code;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code ?? '')) throw e;
    if (fs.existsSync(final)) throw new DocumentError(`already present: ${final} appeared while writing`);
    fs.renameSync(tmp, final);
  }
}

function ordered(claim: Claim): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of CLAIM_KEYS) if (claim[k] !== undefined) out[k] = claim[k];
  return out;
}

function isFsError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}
