/**
 * Builds one immutable Corpus from a data directory, validating everything with zod. Every problem
 * is collected (not just the first) and reported with its file, the claim id or paragraph, and the
 * field, so a curator can fix a file in one pass.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { type Corpus, compareClaims, type DatedClaim, type Paragraph, type Source } from './corpus.ts';
import { parseSource } from './parse-source.ts';
import {
  type Actor,
  actorsFileSchema,
  type Claim,
  claimSchema,
  gazetteerFileSchema,
  idSchema,
  type Place,
  sourceHeaderSchema,
  thesaurusFileSchema,
} from './schema.ts';

/** One validation problem, located precisely. */
export interface DataIssue {
  /** Path of the file, relative to the data directory's parent when possible. */
  file: string;
  /** Claim id, actor id or `paragraph N`, when the problem is inside one. */
  where?: string;
  /** Field path, e.g. `quote` or `header.date`. */
  field?: string;
  message: string;
}

/** Thrown by `loadCorpus` when a data directory is invalid; `issues` lists every problem. */
export class DataError extends Error {
  readonly issues: DataIssue[];
  constructor(issues: DataIssue[]) {
    super(
      `data: ${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}\n${issues.map(formatIssue).join('\n')}`,
    );
    this.name = 'DataError';
    this.issues = issues;
  }
}

/** `file: where: field: message`, leaving out what is unknown. */
export function formatIssue(i: DataIssue): string {
  return [i.file, i.where, i.field, i.message].filter(Boolean).join(': ');
}

function zodIssues(file: string, error: z.ZodError, whereOf: (p: PropertyKey[]) => string | undefined): DataIssue[] {
  return error.issues.map((iss) => {
    const p = iss.path as PropertyKey[];
    const fieldPath = typeof p[0] === 'number' ? p.slice(1) : p;
    return {
      file,
      where: whereOf(p),
      field: fieldPath.map(String).join('.') || undefined,
      message: iss.message,
    };
  });
}

/** Reads a data file as text, feeding its name (relative to the data directory) and bytes to `digest`. */
type ReadText = (file: string) => string;

function textReader(dataDir: string, digest: Hash): ReadText {
  return (file) => {
    const bytes = fs.readFileSync(file);
    digest.update(`\u0000${path.relative(dataDir, file)}\u0000${bytes.length}\u0000`);
    digest.update(bytes);
    return bytes.toString('utf8');
  };
}

function readJson(read: ReadText, file: string, display: string, issues: DataIssue[]): unknown {
  let raw: string;
  try {
    raw = read(file).replace(/^\uFEFF/, '');
  } catch (e) {
    issues.push({ file: display, message: `cannot read: ${(e as Error).message}` });
    return undefined;
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    issues.push({ file: display, message: `not valid JSON: ${(e as Error).message}` });
    return undefined;
  }
}

function listFiles(dir: string, ext: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.startsWith('.'))
    .sort();
}

/**
 * Reads every source. Ids of files that exist but are invalid go to `broken`, so claims on them
 * are not also reported as pointing to an unknown source.
 */
function loadSources(
  dataDir: string,
  read: ReadText,
  rel: (f: string) => string,
  issues: DataIssue[],
  broken: Set<string>,
  share: Sharing,
): Source[] {
  const dir = path.join(dataDir, 'sources');
  const files = listFiles(dir, '.txt');
  if (files.length === 0) issues.push({ file: rel(dir), message: 'no source documents (*.txt) found' });
  const sources: Source[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const display = rel(file);
    const id = f.slice(0, -4);
    const before = issues.length;
    const idCheck = idSchema.safeParse(id);
    if (!idCheck.success) {
      issues.push({
        file: display,
        field: 'file name',
        message: `source id "${id}" ${idCheck.error.issues[0]?.message}`,
      });
      broken.add(id);
      continue;
    }
    let raw: string;
    try {
      raw = read(file);
    } catch (e) {
      issues.push({ file: display, message: `cannot read: ${(e as Error).message}` });
      broken.add(id);
      continue;
    }
    if (raw.includes('\uFFFD')) {
      issues.push({ file: display, message: 'is not valid UTF-8 text' });
      broken.add(id);
      continue;
    }
    const parsed = parseSource(raw);
    for (const p of parsed.problems) issues.push({ file: display, field: 'header', message: p });
    const flat: Record<string, unknown> = {};
    for (const [k, vs] of Object.entries(parsed.header)) {
      if (k !== 'via' && vs.length > 1) {
        issues.push({ file: display, field: `header.${k}`, message: `is given ${vs.length} times; give it once` });
      }
      flat[k] = k === 'via' ? vs : vs[vs.length - 1];
    }
    const header = sourceHeaderSchema.safeParse(flat);
    if (!header.success) {
      issues.push(
        ...zodIssues(display, header.error, () => undefined).map((i) => ({ ...i, field: `header.${i.field}` })),
      );
      broken.add(id);
      continue;
    }
    if (parsed.paragraphs.length === 0) {
      issues.push({ file: display, field: 'body', message: 'has no paragraphs after the header' });
      broken.add(id);
      continue;
    }
    if (issues.length > before) {
      broken.add(id);
      continue;
    }
    const h = header.data;
    const paragraphs: Paragraph[] = parsed.paragraphs.map((text, i) => ({ source: id, n: i + 1, text }));
    sources.push({
      id,
      title: share.text(h.title),
      publisher: share.text(h.publisher),
      date: h.date,
      url: h.url ?? h.via[0] ?? null,
      via: share.list(h.via),
      kind: share.text(h.kind),
      excerpt: h.excerpt === 'true',
      paragraphs,
    });
  }
  return sources;
}

/** What claims are checked against; `skip*` suppress follow-on errors of already reported ones. */
interface ClaimTargets {
  sources: ReadonlyMap<string, Source>;
  actors: ReadonlyMap<string, Actor>;
  brokenSources: ReadonlySet<string>;
  actorsBroken: boolean;
}

/**
 * One copy of each string and list of strings that the corpus repeats: claim types, actor ids,
 * publishers and the like, which JSON.parse and the header parser give as a new string (and a new
 * array) at every occurrence. The corpus is frozen, so sharing a list is safe. Summaries are left
 * alone: each claim words its own, so sharing them would cost a lookup and save nothing.
 */
interface Sharing {
  text<T extends string>(value: T): T;
  list<T extends readonly string[] | undefined>(values: T): T;
}

function sharing(): Sharing {
  const texts = new Map<string, string>();
  const lists = new Map<string, readonly string[]>();
  const text = <T extends string>(value: T): T => {
    const known = texts.get(value);
    if (known !== undefined) return known as T;
    texts.set(value, value);
    return value;
  };
  const list = <T extends readonly string[] | undefined>(values: T): T => {
    if (values === undefined) return values;
    const key = values.join('\u0000');
    const known = lists.get(key);
    // Joined on NUL, which ids and header values do not hold; this settles any doubt.
    if (known?.length === values.length && known.every((v, i) => v === values[i])) return known as T;
    const own = values.map(text);
    lists.set(key, own);
    return own as readonly string[] as T;
  };
  return { text, list };
}

/**
 * A checked claim as kept in memory: its source id, date, actor and quote share the strings they
 * repeat (the quote is a slice of its paragraph's text, which V8 keeps as a view, not a copy), and
 * its type, actor lists and denial wording are shared with equal ones of other claims, so a
 * corpus of 100,000 paragraphs does not hold every quote twice, nor "attribution" 20,000 times.
 * Only fields the claim has are replaced, so it keeps the same keys in the same order.
 */
function compactClaim(c: Claim, source: Source, actors: ReadonlyMap<string, Actor>, share: Sharing): DatedClaim {
  const text = source.paragraphs[c.paragraph - 1]?.text ?? '';
  const at = text.indexOf(c.quote);
  const claim: DatedClaim = {
    ...c,
    source: source.id,
    actor: actors.get(c.actor)?.id ?? c.actor,
    type: share.text(c.type),
    quote: at >= 0 ? text.slice(at, at + c.quote.length) : c.quote,
    date: source.date,
  };
  if (c.favours) claim.favours = share.list(c.favours);
  if (c.opposes) claim.opposes = share.list(c.opposes);
  if (c.mentions) claim.mentions = share.list(c.mentions);
  if (c.denies !== undefined) claim.denies = share.text(c.denies);
  if (c.reported !== undefined) claim.reported = share.text(c.reported);
  if (c.rule !== undefined) claim.rule = share.text(c.rule);
  return claim;
}

function checkClaim(c: Claim, display: string, targets: ClaimTargets, issues: DataIssue[]): boolean {
  const { sources, actors } = targets;
  const before = issues.length;
  const at = (field: string, message: string) => issues.push({ file: display, where: `claim ${c.id}`, field, message });
  if (targets.brokenSources.has(c.source)) return false;
  const src = sources.get(c.source);
  if (!src) at('source', `unknown source "${c.source}"`);
  const para = src?.paragraphs[c.paragraph - 1];
  if (src && !para) at('paragraph', `source ${c.source} has ${src.paragraphs.length} paragraphs, not ${c.paragraph}`);
  if (para && !para.text.includes(c.quote)) {
    at('quote', `not found verbatim in ${c.source}#${c.paragraph}: ${JSON.stringify(c.quote.slice(0, 80))}`);
  }
  const actorFields: [string, string[]][] = [
    ['actor', [c.actor]],
    ['favours', c.favours ?? []],
    ['opposes', c.opposes ?? []],
    ['mentions', c.mentions ?? []],
  ];
  for (const [field, ids] of targets.actorsBroken ? [] : actorFields) {
    for (const id of ids) if (!actors.has(id)) at(field, `unknown actor "${id}"`);
  }
  return issues.length === before;
}

/**
 * Loads and validates a data directory (`sources/`, `actors.json`, `claims/`, `gazetteer.json`,
 * `thesaurus.json`). Throws a `DataError` listing every problem; otherwise returns a frozen Corpus.
 *
 * @example const corpus = loadCorpus('data'); corpus.claims.length
 */
export function loadCorpus(dataDir: string): Corpus {
  const issues: DataIssue[] = [];
  const base = path.dirname(path.resolve(dataDir));
  const rel = (f: string) => path.relative(base, path.resolve(f)) || f;
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) {
    throw new DataError([{ file: dataDir, message: 'is not a directory' }]);
  }

  const digest = createHash('sha256');
  const read = textReader(dataDir, digest);
  const brokenSources = new Set<string>();
  const share = sharing();
  const sourceList = loadSources(dataDir, read, rel, issues, brokenSources, share);
  const sources = new Map<string, Source>();
  for (const s of sourceList.sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id))) {
    sources.set(s.id, s);
  }

  const actorsFile = path.join(dataDir, 'actors.json');
  const actors = new Map<string, Actor>();
  const actorsRaw = readJson(read, actorsFile, rel(actorsFile), issues);
  let actorsBroken = actorsRaw === undefined;
  if (actorsRaw !== undefined) {
    const parsed = actorsFileSchema.safeParse(actorsRaw);
    if (!parsed.success) {
      actorsBroken = true;
      const raw = actorsRaw as { id?: unknown }[];
      issues.push(
        ...zodIssues(
          rel(actorsFile),
          parsed.error,
          (p) => `actor ${String(raw[p[0] as number]?.id ?? `#${String(p[0])}`)}`,
        ),
      );
    } else {
      const owner = new Map<string, string>();
      for (const a of parsed.data) {
        if (actors.has(a.id))
          issues.push({ file: rel(actorsFile), where: `actor ${a.id}`, field: 'id', message: 'duplicate actor id' });
        actors.set(a.id, a);
        for (const name of [a.name, ...a.aliases]) {
          const key = name.toLowerCase();
          const prev = owner.get(key);
          if (prev && prev !== a.id) {
            issues.push({
              file: rel(actorsFile),
              where: `actor ${a.id}`,
              field: 'aliases',
              message: `"${name}" also names ${prev}`,
            });
          }
          owner.set(key, a.id);
        }
      }
    }
  }

  const claims: DatedClaim[] = [];
  const claimIds = new Map<string, string>();
  const claimsDir = path.join(dataDir, 'claims');
  for (const f of listFiles(claimsDir, '.json')) {
    const file = path.join(claimsDir, f);
    const display = rel(file);
    const raw = readJson(read, file, display, issues);
    if (raw === undefined) continue;
    if (!Array.isArray(raw)) {
      issues.push({ file: display, message: 'must be a JSON array of claims' });
      continue;
    }
    // Each claim is validated on its own, so one bad claim does not hide the others' problems.
    const valid: Claim[] = [];
    raw.forEach((item, i) => {
      const parsed = claimSchema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else {
        const id = (item as { id?: unknown } | null)?.id;
        issues.push(...zodIssues(display, parsed.error, () => `claim ${typeof id === 'string' ? id : `#${i + 1}`}`));
      }
    });
    for (const c of valid) {
      const prev = claimIds.get(c.id);
      if (prev) {
        issues.push({
          file: display,
          where: `claim ${c.id}`,
          field: 'id',
          message: `duplicate claim id (also in ${prev})`,
        });
        continue;
      }
      claimIds.set(c.id, display);
      if (checkClaim(c, display, { sources, actors, brokenSources, actorsBroken }, issues)) {
        claims.push(compactClaim(c, sources.get(c.source) as Source, actors, share));
      }
    }
  }

  const gazFile = path.join(dataDir, 'gazetteer.json');
  let gazetteer: Place[] = [];
  if (fs.existsSync(gazFile)) {
    const raw = readJson(read, gazFile, rel(gazFile), issues);
    const parsed = gazetteerFileSchema.safeParse(raw ?? []);
    if (parsed.success) gazetteer = parsed.data;
    else
      issues.push(
        ...zodIssues(rel(gazFile), parsed.error, (p) => (typeof p[0] === 'number' ? `place #${p[0] + 1}` : undefined)),
      );
  }

  const thesFile = path.join(dataDir, 'thesaurus.json');
  const thesaurus = new Map<string, string[]>();
  if (fs.existsSync(thesFile)) {
    const raw = readJson(read, thesFile, rel(thesFile), issues);
    const parsed = thesaurusFileSchema.safeParse(raw ?? {});
    if (parsed.success) {
      for (const [k, vs] of Object.entries(parsed.data)) {
        if (!k.startsWith('$') && Array.isArray(vs))
          thesaurus.set(
            k.toLowerCase(),
            vs.map((v) => v.toLowerCase()),
          );
      }
    } else issues.push(...zodIssues(rel(thesFile), parsed.error, () => undefined));
  }

  if (issues.length > 0) throw new DataError(issues);
  claims.sort(compareClaims);
  return deepFreeze({
    sources: readonlyMap(sources),
    actors: readonlyMap(actors),
    claims,
    gazetteer,
    thesaurus: readonlyMap(thesaurus),
    fingerprint: digest.digest('hex'),
  });
}

/** A Map whose set, delete and clear throw: Object.freeze does not stop a Map's own methods. */
function readonlyMap<K, V>(map: Map<K, V>): ReadonlyMap<K, V> {
  const locked = new Map(map);
  const refuse = () => {
    throw new TypeError('corpus: the corpus is immutable; load a new one instead');
  };
  Object.defineProperties(locked, { set: { value: refuse }, delete: { value: refuse }, clear: { value: refuse } });
  return locked;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    const children = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of children) deepFreeze(v);
  }
  return value;
}
