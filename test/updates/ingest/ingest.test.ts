import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseSource } from '../../../src/core/corpus/parse-source.ts';
import type { Claim } from '../../../src/core/corpus/schema.ts';
import { countOf, describeAdded, ingestFiles } from '../../../src/updates/ingest/ingest.ts';
import {
  added,
  copyShippedData,
  fixture,
  jointId,
  jointStatement,
  listData,
  refused,
  tempInputs,
  writeInput,
} from './ingest-helpers.ts';

/** The fixture's paragraphs, read straight from the file (header and blank lines dropped). */
function fixtureParagraphs(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return text
    .slice(text.indexOf('\n\n') + 2)
    .split(/\n\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

function draftOf(drafts: Claim[], paragraph: number, type: Claim['type']): Claim {
  const found = drafts.find((c) => c.paragraph === paragraph && c.type === type);
  expect(found, `a ${type} draft on paragraph ${paragraph}`).toBeDefined();
  return found as Claim;
}

describe('ingesting a new joint statement', () => {
  it('writes the source verbatim under a date-and-title id, with drafts the loader accepts', () => {
    const dataDir = copyShippedData();
    const before = loadCorpus(dataDir);
    const r = added(ingestFiles([jointStatement], { dataDir }));

    expect(r.id).toBe(jointId);
    expect(r.sourceFile).toBe(path.join(dataDir, 'sources', `${jointId}.txt`));
    const written = fs.readFileSync(r.sourceFile, 'utf8');
    expect(parseSource(written).paragraphs).toEqual(fixtureParagraphs(jointStatement));
    expect(written).toMatch(
      /^title: Joint ODNI, FBI, and CISA Statement on Foreign Threats to the 2026 Midterm Elections\n/,
    );

    const corpus = loadCorpus(dataDir);
    expect(corpus.sources.size).toBe(before.sources.size + 1);
    expect(corpus.sources.get(jointId)?.paragraphs).toHaveLength(8);
    const stored = JSON.parse(fs.readFileSync(r.claimsFile, 'utf8')) as Claim[];
    expect(stored.map((c) => c.id)).toEqual(r.drafts.map((_, i) => `${jointId}-d${i + 1}`));
    expect(stored.every((c) => c.draft === true && typeof c.rule === 'string')).toBe(true);
    expect(corpus.claims.filter((c) => c.source === jointId)).toHaveLength(stored.length);
  });

  it('drafts the denial, preference, attribution and sanction sentences with the right actors and rules', () => {
    const dataDir = copyShippedData();
    const { drafts } = added(ingestFiles([jointStatement], { dataDir }));
    const corpus = loadCorpus(dataDir);
    const paragraphs = corpus.sources.get(jointId)?.paragraphs ?? [];

    const denial = draftOf(drafts, 5, 'denial');
    expect(denial).toMatchObject({
      actor: 'china',
      rule: 'denial.reject',
      denies: 'the findings as groundless smears',
    });
    expect(denial.quote).toMatch(/^On March 11, a spokesperson for the Chinese Foreign Ministry rejected/);

    const preference = draftOf(drafts, 4, 'preference');
    expect(preference).toMatchObject({ actor: 'iran', opposes: ['trump'], rule: 'preference.oppose', election: 2026 });
    expect(preference.favours).toBeUndefined();
    expect(preference.summary).toBe('Iran opposes Donald Trump');

    const attribution = draftOf(drafts, 2, 'attribution');
    expect(attribution).toMatchObject({ actor: 'venezuela', rule: 'attribution.attribute' });
    expect(attribution.quote).toMatch(/^The IC attributes the spear-phishing campaign .* Counterintelligence\.$/);

    expect(draftOf(drafts, 6, 'sanction')).toMatchObject({ actor: 'venezuela', rule: 'sanction.designation' });
    expect(draftOf(drafts, 7, 'threat')).toMatchObject({ actor: 'russia', rule: 'threat.ranking' });
    expect(draftOf(drafts, 3, 'tactic')).toMatchObject({ actor: 'china', rule: 'tactic.method' });

    for (const c of drafts) expect(paragraphs[c.paragraph - 1]?.text).toContain(c.quote);
    // "mail ballots … would be rejected" is not a denial, and the closing paragraph claims nothing.
    expect(drafts.filter((c) => c.paragraph === 3 && c.type === 'denial')).toEqual([]);
    expect(drafts.filter((c) => c.paragraph === 8)).toEqual([]);
  });

  it('answers everyday questions about the new document from the right paragraph', () => {
    const dataDir = copyShippedData();
    added(ingestFiles([jointStatement], { dataDir }));
    const engine = createAnswerEngine(loadCorpus(dataDir));
    const cases: [string, number][] = [
      ['Did China deny interfering?', 5],
      ['Who is behind the phishing emails sent to county election offices?', 2],
      ['Which candidate is Iran trying to hurt in the 2026 midterms?', 4],
      ['Were any Venezuelan companies sanctioned?', 6],
      ['Were there fake local news websites pretending to be election offices?', 3],
    ];
    for (const [question, paragraph] of cases) {
      const reply = answer(engine, question);
      expect(reply.found, question).toBe(true);
      expect(reply.citations[0], question).toMatchObject({ source: jointId, paragraph });
      expect(reply.citations[0]?.text, question).toBe(
        engine.corpus.sources.get(jointId)?.paragraphs[paragraph - 1]?.text,
      );
    }
    const denial = answer(engine, 'Did China deny interfering?');
    expect(denial.text).toContain('[machine-drafted claim, not yet reviewed]');
  });

  it('leaves answers from reviewed claims in front of the new drafts', () => {
    const dataDir = copyShippedData();
    const question = 'Who is the biggest threat to US elections?';
    const before = answer(createAnswerEngine(loadCorpus(dataDir)), question);
    added(ingestFiles([jointStatement], { dataDir }));
    const after = answer(createAnswerEngine(loadCorpus(dataDir)), question);
    // The new document drafts the same claim (Russia, threat); the reviewed one still leads.
    expect(after.citations[0]).toMatchObject({
      source: before.citations[0]?.source,
      paragraph: before.citations[0]?.paragraph,
    });
    expect(after.text).not.toContain('machine-drafted');
  });
});

describe('ingesting plain text with header flags', () => {
  const flags = {
    title: 'Communiqué on United States accusations of cyber operations',
    publisher: 'Ministry of Foreign Affairs of the Bolivarian Republic of Venezuela',
    date: '2025-03-15',
    kind: 'response',
  };

  it('writes the flags as the header and drafts the ministry’s denials for the publisher', () => {
    const dataDir = copyShippedData();
    const r = added(ingestFiles([fixture('venezuela-mfa-communique.txt')], { dataDir, flags }));
    expect(r.id).toBe('2025-03-15-communique-united-states-accusations-cyber-operations');
    const written = fs.readFileSync(r.sourceFile, 'utf8');
    expect(written.split('\n\n')[0]).toBe(
      [`title: ${flags.title}`, `publisher: ${flags.publisher}`, 'date: 2025-03-15', 'kind: response'].join('\n'),
    );
    const paragraphs = parseSource(written).paragraphs;
    expect(paragraphs).toHaveLength(3);
    // Trailing spaces go; the line break inside the last paragraph stays.
    expect(paragraphs[1]).toMatch(/in that country\.$/);
    expect(paragraphs[2]).toMatch(/it says it holds\.\nCaracas, 15 March 2025$/);
    expect(r.drafts.map((c) => [c.paragraph, c.type, c.actor, c.rule])).toEqual([
      [2, 'denial', 'venezuela', 'denial.reject+publisher'],
      [3, 'denial', 'venezuela', 'denial.no-intention'],
    ]);
    expect(r.drafts[1]?.denies).toBe('any intention of interfering in the electoral processes of any nation');
    loadCorpus(dataDir);
  });

  it('refuses plain text without the flags, naming the missing field', () => {
    const dataDir = copyShippedData();
    const before = listData(dataDir);
    const error = refused(ingestFiles([fixture('venezuela-mfa-communique.txt')], { dataDir }));
    expect(error).toContain('venezuela-mfa-communique.txt');
    expect(error).toContain('has no title');
    expect(listData(dataDir)).toEqual(before);
  });
});

describe('ingesting a document that is already present', () => {
  it('refuses the same document a second time', () => {
    const dataDir = copyShippedData();
    added(ingestFiles([jointStatement], { dataDir }));
    const before = listData(dataDir);
    const error = refused(ingestFiles([jointStatement], { dataDir }));
    expect(error).toContain(jointStatement);
    expect(error).toContain(`a source with id ${jointId} exists`);
    expect(listData(dataDir)).toEqual(before);
  });

  it('refuses the same text under another title, even with other line endings and quotes', () => {
    const dataDir = copyShippedData();
    added(ingestFiles([jointStatement], { dataDir }));
    const before = listData(dataDir);
    const copy = fs
      .readFileSync(jointStatement, 'utf8')
      .replace(/^title: .*$/m, 'title: Foreign threats to the midterms (copy)')
      .replace(/\u2019/g, "'")
      .replace(/\n/g, '\r\n');
    const file = writeInput(tempInputs(), 'copy.txt', copy);
    const error = refused(ingestFiles([file], { dataDir }));
    expect(error).toContain('copy.txt');
    expect(error).toContain(`the same text is source ${jointId}`);
    expect(listData(dataDir)).toEqual(before);
  });

  it('refuses a shipped source copied under another name', () => {
    const dataDir = copyShippedData();
    const shipped = path.join(dataDir, 'sources', '2024-08-19-iran-un-mission-response.txt');
    const text = fs.readFileSync(shipped, 'utf8').replace(/^title: .*$/m, 'title: Iran answers the joint statement');
    const file = writeInput(tempInputs(), 'iran.txt', text);
    expect(refused(ingestFiles([file], { dataDir }))).toContain(
      'the same text is source 2024-08-19-iran-un-mission-response',
    );
  });
});

describe('ingesting a batch', () => {
  it('adds the good documents and writes nothing of the failing one', () => {
    const dataDir = copyShippedData();
    const bad = fixture('no-date.txt');
    const results = ingestFiles([jointStatement, bad], { dataDir });
    expect(added(results, 0).id).toBe(jointId);
    expect(refused(results, 1)).toContain('no-date.txt');
    const files = listData(dataDir);
    const fresh = files.filter((f) => f.includes('2025-') || f.includes('undated') || f.includes('/.'));
    expect(fresh.sort()).toEqual([`claims/${jointId}.json`, `sources/${jointId}.txt`]);
    loadCorpus(dataDir);
  });

  it('takes a document back out when the data directory no longer loads with it', () => {
    const dataDir = copyShippedData();
    // A curated file already uses the id the first draft will get: the loader sees a duplicate.
    const clash = path.join(dataDir, 'claims', '2024-08-19-iran-un-mission-response.json');
    const claims = JSON.parse(fs.readFileSync(clash, 'utf8')) as Claim[];
    (claims[0] as Claim).id = `${jointId}-d1`;
    fs.writeFileSync(clash, JSON.stringify(claims, null, 2));
    const before = listData(dataDir);

    const error = refused(ingestFiles([jointStatement], { dataDir }));
    expect(error).toContain('did not load with it, so nothing was kept');
    expect(error).toContain(`claim ${jointId}-d1`);
    expect(listData(dataDir)).toEqual(before);
    loadCorpus(dataDir);
  });

  it('refuses to start on a data directory that does not load', () => {
    const dataDir = copyShippedData();
    fs.writeFileSync(path.join(dataDir, 'claims', 'broken.json'), '{');
    expect(() => ingestFiles([jointStatement], { dataDir })).toThrow(/does not load; fix it first/);
    expect(fs.existsSync(path.join(dataDir, 'sources', `${jointId}.txt`))).toBe(false);
  });
});

describe('describing what was added', () => {
  it('counts drafts in the singular for one and the plural otherwise', () => {
    const dataDir = copyShippedData();
    const ok = added(ingestFiles([jointStatement], { dataDir }));
    const one = { ...ok, drafts: ok.drafts.slice(0, 1) };
    expect(describeAdded(one)).toMatch(/\(1 draft claim: [a-z]+ 1\)$/);
    expect(describeAdded({ ...ok, drafts: ok.drafts.slice(0, 2) })).toMatch(/\(2 draft claims: /);
    expect(describeAdded({ ...ok, drafts: [] })).toMatch(/\(0 draft claims\)$/);
    expect(describeAdded(ok)).toContain(`added ${jointId}: ${ok.sourceFile}, ${ok.claimsFile} (`);
    expect([countOf(1, 'document'), countOf(3, 'document'), countOf(1, 'claim')]).toEqual([
      '1 document',
      '3 documents',
      '1 claim',
    ]);
  });
});
