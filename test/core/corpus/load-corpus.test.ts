import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { copyShippedData, editJson, editText, shippedDataDir } from './temp-data.ts';

const corpus = loadCorpus(shippedDataDir);
const sourcesDir = path.join(shippedDataDir, 'sources');
const sourceFiles = fs.readdirSync(sourcesDir).filter((f) => f.endsWith('.txt'));

/** A shipped source file's paragraphs, split here (header, blank line, blocks) rather than by the loader. */
function paragraphsOnDisk(id: string): string[] {
  const raw = fs.readFileSync(path.join(sourcesDir, `${id}.txt`), 'utf8');
  const [, ...blocks] = raw.split(/\n\n+/);
  return blocks.map((b) => b.trim()).filter((b) => b !== '' && b !== '[...]');
}

/** The `kind:` header line of a shipped source file, read here rather than by the loader. */
function kindOnDisk(id: string): string | undefined {
  const raw = fs.readFileSync(path.join(sourcesDir, `${id}.txt`), 'utf8');
  return /^kind:\s*(\S+)/m.exec(raw)?.[1];
}

function isNonIncreasing(values: string[]): boolean {
  return values.every((v, i) => i === 0 || (values[i - 1] as string) >= v);
}

const denialCue = /\b(denie[sd]|deny|denial|unsubstantiated|devoid of any standing|unfortunate tradition)\b/i;

/** Paragraphs where a denial cue word does not report a denial, each with the reason. */
const cueWithoutDenial = new Map([
  [
    '2021-03-16-ica-2020-elections-key-judgments#16',
    'the IC describes Russia pushing "unsubstantiated allegations" against Biden; nobody denies anything',
  ],
]);

describe('loadCorpus on the shipped data', () => {
  it('loads all 12 sources, one per file in data/sources', () => {
    expect(sourceFiles).toHaveLength(12);
    expect(corpus.sources.size).toBe(12);
    expect([...corpus.sources.keys()].sort()).toEqual(sourceFiles.map((f) => f.slice(0, -4)).sort());
  });

  it('iterates sources newest first', () => {
    expect(isNonIncreasing([...corpus.sources.values()].map((s) => s.date))).toBe(true);
  });

  it('lists claims newest first, each dated by its source', () => {
    expect(corpus.claims.length).toBeGreaterThan(0);
    expect(isNonIncreasing(corpus.claims.map((c) => c.date))).toBe(true);
    for (const c of corpus.claims) expect(c.date, c.id).toBe(corpus.sources.get(c.source)?.date);
  });

  it('numbers paragraphs 1..n as they appear in the file, skipping [...] gap markers', () => {
    for (const s of corpus.sources.values()) {
      expect(s.paragraphs.length, s.id).toBeGreaterThan(0);
      s.paragraphs.forEach((p, i) => {
        expect(p.n).toBe(i + 1);
        expect(p.source).toBe(s.id);
        expect(p.text).not.toBe('[...]');
      });
      expect(s.paragraphs.map((p) => p.text)).toEqual(paragraphsOnDisk(s.id));
    }
  });

  it("finds every claim's quote verbatim in its paragraph of the source file", () => {
    const notVerbatim = corpus.claims.filter((c) => {
      const text = paragraphsOnDisk(c.source)[c.paragraph - 1];
      return text === undefined || !text.includes(c.quote);
    });
    expect(notVerbatim.map((c) => `${c.id} (${c.source}#${c.paragraph})`)).toEqual([]);
  });

  it('records every denial in the corpus as a denial claim on its paragraph', () => {
    const needsDenial: string[] = [];
    for (const s of corpus.sources.values()) {
      const response = kindOnDisk(s.id) === 'response';
      for (const p of s.paragraphs) {
        const ref = `${s.id}#${p.n}`;
        if (response || (denialCue.test(p.text) && !cueWithoutDenial.has(ref))) needsDenial.push(ref);
      }
    }
    const denied = new Set(corpus.claims.filter((c) => c.type === 'denial').map((c) => `${c.source}#${c.paragraph}`));
    expect(needsDenial.length).toBeGreaterThanOrEqual(4);
    expect(needsDenial.filter((ref) => !denied.has(ref))).toEqual([]);
  });

  it('keeps the list of cue words that are not denials honest: each one still has the cue', () => {
    for (const ref of cueWithoutDenial.keys()) {
      const [source, n] = ref.split('#') as [string, string];
      expect(denialCue.test(paragraphsOnDisk(source)[Number(n) - 1] ?? ''), ref).toBe(true);
    }
  });

  it('has denial claims by both Iran and Russia', () => {
    const deniers = new Set(corpus.claims.filter((c) => c.type === 'denial').map((c) => c.actor));
    expect(deniers).toContain('iran');
    expect(deniers).toContain('russia');
  });

  it('has the preference claims for 2020 (Russia, Iran, China, Cuba) and 2024 (Russia, Iran)', () => {
    const required: [string, number][] = [
      ['russia', 2020],
      ['iran', 2020],
      ['china', 2020],
      ['cuba', 2020],
      ['russia', 2024],
      ['iran', 2024],
    ];
    const have = (actor: string, election: number) =>
      corpus.claims.some((c) => c.type === 'preference' && c.actor === actor && c.election === election);
    expect(required.filter(([a, e]) => !have(a, e))).toEqual([]);
  });
});

describe('loadCorpus tolerates how a source file was saved', () => {
  const rewrites: [string, (text: string) => string][] = [
    ['CRLF line endings', (t) => t.replace(/\n/g, '\r\n')],
    ['a leading BOM', (t) => `\uFEFF${t}`],
    ['trailing spaces and tabs on every line', (t) => t.replace(/\n/g, ' \t \n')],
    ['a BOM, CRLF and trailing spaces together', (t) => `\uFEFF${t.replace(/\n/g, '  \r\n')}`],
  ];

  it.each(rewrites)('loads sources saved with %s to the same paragraphs and claims', (_, rewrite) => {
    const dir = copyShippedData();
    for (const f of sourceFiles) editText(dir, path.join('sources', f), rewrite);
    const loaded = loadCorpus(dir);
    expect([...loaded.sources.values()]).toEqual([...corpus.sources.values()]);
    expect(loaded.claims).toEqual(corpus.claims);
  });
});

describe('the loaded corpus is immutable', () => {
  const source = corpus.sources.values().next().value;
  const claim = corpus.claims[0];

  it('freezes the corpus, its claims, sources and paragraphs', () => {
    expect(source).toBeDefined();
    expect(claim).toBeDefined();
    expect(Object.isFrozen(corpus)).toBe(true);
    expect(Object.isFrozen(corpus.claims)).toBe(true);
    expect(Object.isFrozen(claim)).toBe(true);
    expect(Object.isFrozen(source)).toBe(true);
    expect(Object.isFrozen(source?.paragraphs)).toBe(true);
    expect(Object.isFrozen(source?.paragraphs[0])).toBe(true);
    expect(Object.isFrozen(corpus.actors.get('russia')?.aliases)).toBe(true);
  });

  it('throws on an attempt to change a claim', () => {
    expect(() => {
      (claim as { quote: string }).quote = 'changed';
    }).toThrow(TypeError);
  });

  // Known loader bug: deepFreeze calls Object.freeze on the Maps, which leaves set/delete/clear working.
  it('rejects changes to the sources map', () => {
    const sources = corpus.sources as Map<string, unknown>;
    const before = sources.size;
    expect(() => sources.set('injected', {})).toThrow(/immutable/);
    expect(() => sources.delete([...sources.keys()][0] as string)).toThrow(/immutable/);
    expect(() => sources.clear()).toThrow(/immutable/);
    const after = sources.size;
    expect(after).toBe(before);
  });
});

describe('the corpus fingerprint', () => {
  it('is the same for a copy of the data directory and changes with any byte of any file', () => {
    const original = loadCorpus(shippedDataDir).fingerprint;
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    const dir = copyShippedData();
    try {
      expect(loadCorpus(dir).fingerprint).toBe(original);
      const seen = new Set([original]);
      const source = fs.readdirSync(path.join(dir, 'sources'))[0] as string;
      editText(dir, `sources/${source}`, (t) => `${t}\n`);
      seen.add(loadCorpus(dir).fingerprint);
      editJson<{ id: string; aliases: string[] }[]>(dir, 'actors.json', (actors) => {
        actors[0]?.aliases.push('Zzyzx');
      });
      seen.add(loadCorpus(dir).fingerprint);
      editText(dir, 'thesaurus.json', (t) => t.replace(/\}\s*$/, ' }'));
      seen.add(loadCorpus(dir).fingerprint);
      expect(seen.size).toBe(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
