/**
 * Generates bench corpora of any size from the real corpus in data/: real sentences recombined
 * into new paragraphs, country names swapped per document, dates spread over 2016–2025, and claims
 * in the real corpus's proportion (claims per paragraph, and their mix of types). Every claim keeps
 * a quote that is verbatim in its generated paragraph; the generated directory is loaded with the
 * real `loadCorpus`, which checks that.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Corpus, DatedClaim } from '../src/core/corpus/corpus.ts';
import type { Claim } from '../src/core/corpus/schema.ts';
import { type Random, seededRandom } from './seeded-random.ts';

/** A run of whole sentences from one real paragraph, with the claims quoted inside it. */
interface Chunk {
  text: string;
  claims: DatedClaim[];
}

/** Surface forms swapped between countries: name, demonym, plural demonym, capital. */
const COUNTRY_FORMS: Record<string, [string, string, string, string]> = {
  russia: ['Russia', 'Russian', 'Russians', 'Moscow'],
  iran: ['Iran', 'Iranian', 'Iranians', 'Tehran'],
  china: ['China', 'Chinese', 'Chinese', 'Beijing'],
  cuba: ['Cuba', 'Cuban', 'Cubans', 'Havana'],
  venezuela: ['Venezuela', 'Venezuelan', 'Venezuelans', 'Caracas'],
};
const COUNTRIES = Object.keys(COUNTRY_FORMS);
const FORM_PATTERN = new RegExp(
  `\\b(${Object.values(COUNTRY_FORMS)
    .flat()
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'g',
);
const FORM_OWNER = new Map<string, [string, number]>();
for (const [id, forms] of Object.entries(COUNTRY_FORMS)) {
  forms.forEach((f, i) => {
    if (!FORM_OWNER.has(f)) FORM_OWNER.set(f, [id, i]);
  });
}

/** What generation produced, before it is written out. */
export interface GeneratedCorpus {
  sources: { id: string; header: Record<string, string>; paragraphs: string[] }[];
  claims: Map<string, Claim[]>;
  paragraphs: number;
  claimCount: number;
  /** Claims whose quote did not survive the name swap verbatim (left out). */
  dropped: number;
}

/** Splits a paragraph into sentences, then joins neighbours so that no claim quote is cut. */
function chunksOf(text: string, claims: DatedClaim[]): Chunk[] {
  const bounds = [0];
  for (const m of text.matchAll(/[.?!]["”’)]?\s+(?=[A-Z“"(])/g)) bounds.push((m.index ?? 0) + m[0].length);
  bounds.push(text.length);
  const ranges = claims.map((c) => {
    const at = text.indexOf(c.quote);
    return [at, at + c.quote.length] as const;
  });
  // A boundary inside a quote is dropped, merging the sentences on both sides.
  const cuts = bounds.filter((b, i) => i === 0 || i === bounds.length - 1 || !ranges.some(([s, e]) => b > s && b < e));
  const out: Chunk[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i] as number;
    const end = cuts[i + 1] as number;
    out.push({
      text: text.slice(start, end).trim(),
      claims: claims.filter((_, k) => {
        const [s, e] = ranges[k] as readonly [number, number];
        return s >= start && e <= end;
      }),
    });
  }
  return out.filter((c) => c.text.length > 0);
}

/** Replaces country names by the permutation `swap` (country id → country id). */
function swapNames(text: string, swap: ReadonlyMap<string, string>): string {
  return text.replace(FORM_PATTERN, (form) => {
    const [id, i] = FORM_OWNER.get(form) as [string, number];
    return COUNTRY_FORMS[swap.get(id) ?? id]?.[i] ?? form;
  });
}

function swapClaim(c: DatedClaim, swap: ReadonlyMap<string, string>, id: string, source: string, n: number): Claim {
  const mapId = (a: string) => swap.get(a) ?? a;
  // The date comes from the generated source, not the claim file.
  const { date: _date, ...claim } = c;
  const out: Claim = {
    ...claim,
    id,
    source,
    paragraph: n,
    actor: mapId(c.actor),
    quote: swapNames(c.quote, swap),
    summary: swapNames(c.summary, swap),
  };
  if (c.denies) out.denies = swapNames(c.denies, swap);
  if (c.mentions) out.mentions = [...new Set(c.mentions.map(mapId))];
  return out;
}

function isoDate(r: Random): string {
  const y = r.int(2016, 2025);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Generates `paragraphs` paragraphs from `base`. Deterministic for a seed.
 *
 * @example generateCorpus(loadCorpus('data'), 1000).claimCount // about 1000 × claims per real paragraph
 */
export function generateCorpus(base: Corpus, paragraphs: number, seed = 9): GeneratedCorpus {
  const r = seededRandom(seed);
  const realSources = [...base.sources.values()];
  const chunks: Chunk[] = [];
  for (const s of realSources) {
    for (const p of s.paragraphs) {
      const claims = base.claims.filter((c) => c.source === s.id && c.paragraph === p.n);
      chunks.push(...chunksOf(p.text, claims));
    }
  }
  const realParagraphs = realSources.reduce((n, s) => n + s.paragraphs.length, 0);
  const claimRatio = base.claims.length / Math.max(1, realParagraphs);

  const out: GeneratedCorpus = { sources: [], claims: new Map(), paragraphs: 0, claimCount: 0, dropped: 0 };
  let docIndex = 0;
  while (out.paragraphs < paragraphs) {
    const template = r.pick(realSources);
    const countries = r.shuffle(COUNTRIES);
    const swap = new Map(COUNTRIES.map((c, i) => [c, countries[i] as string]));
    const date = isoDate(r);
    const id = `${date}-bench-${String(docIndex++).padStart(6, '0')}`;
    const count = Math.min(r.int(4, 16), paragraphs - out.paragraphs);
    const texts: string[] = [];
    const claims: Claim[] = [];
    for (let n = 1; n <= count; n++) {
      const parts = Array.from({ length: r.int(1, 4) }, () => r.pick(chunks));
      const text = swapNames(parts.map((p) => p.text).join(' '), swap);
      texts.push(text);
      for (const part of parts) {
        for (const c of part.claims) {
          // Keep claims in the real corpus's proportion to paragraphs.
          if (out.claimCount + claims.length >= claimRatio * (out.paragraphs + n)) continue;
          const claim = swapClaim(c, swap, `b${docIndex}-${n}-${claims.length + 1}`, id, n);
          if (text.includes(claim.quote)) claims.push(claim);
          else out.dropped++;
        }
      }
    }
    out.sources.push({
      id,
      header: {
        title: swapNames(template.title, swap),
        publisher: swapNames(template.publisher, swap),
        date,
        url: `https://bench.invalid/${id}`,
        kind: template.kind,
      },
      paragraphs: texts,
    });
    if (claims.length) out.claims.set(id, claims);
    out.paragraphs += count;
    out.claimCount += claims.length;
  }
  return out;
}

/**
 * Writes a generated corpus as a data directory (`sources/`, `claims/`, and the real actors,
 * gazetteer and thesaurus copied from `baseDir`), loadable with `loadCorpus`.
 */
export function writeDataDir(dir: string, generated: GeneratedCorpus, baseDir: string): void {
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'claims'), { recursive: true });
  for (const name of ['actors.json', 'gazetteer.json', 'thesaurus.json']) {
    const from = path.join(baseDir, name);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, name));
  }
  for (const s of generated.sources) {
    const header = Object.entries(s.header).map(([k, v]) => `${k}: ${v}`);
    fs.writeFileSync(
      path.join(dir, 'sources', `${s.id}.txt`),
      `${header.join('\n')}\n\n${s.paragraphs.join('\n\n')}\n`,
    );
    const claims = generated.claims.get(s.id);
    if (claims) fs.writeFileSync(path.join(dir, 'claims', `${s.id}.json`), JSON.stringify(claims, null, 1));
  }
}
