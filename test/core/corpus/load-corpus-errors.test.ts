import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/core/corpus/load-corpus.ts';
import { copyShippedData, editJson, editText, issuesIn, loadError } from './temp-data.ts';

type RawClaim = Record<string, unknown>;
type RawActor = { id: string; aliases: string[] };

const iranSource = 'sources/2024-08-19-iran-un-mission-response.txt';
const iranClaims = 'claims/2024-08-19-iran-un-mission-response.json';
const russiaClaims = 'claims/2024-11-03-russia-foreign-ministry-response.json';
const icaClaims = 'claims/2021-03-16-ica-2020-elections-key-judgments.json';

/** The first claim of `claims` matching `pred`; fails the test if there is none. */
function first(claims: RawClaim[], pred: (c: RawClaim) => boolean = () => true): RawClaim {
  const c = claims.find(pred);
  expect(c, 'no matching claim in the shipped data').toBeDefined();
  return c as RawClaim;
}

const isPreference = (c: RawClaim) => c.type === 'preference' && Array.isArray(c.favours);

describe('loadCorpus reports a bad source file', () => {
  it('names a missing header field', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^title: .*\n/m, ''));
    expect(issuesIn(loadError(dir), iranSource)).toContainEqual(expect.objectContaining({ field: 'header.title' }));
  });

  it('rejects a date that does not exist', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^date: .*$/m, 'date: 2024-13-45'));
    expect(issuesIn(loadError(dir), iranSource)).toContainEqual(
      expect.objectContaining({ field: 'header.date', message: 'is not a real calendar date' }),
    );
  });

  it('rejects a date not written YYYY-MM-DD', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^date: .*$/m, 'date: yesterday'));
    expect(issuesIn(loadError(dir), iranSource)).toContainEqual(
      expect.objectContaining({ field: 'header.date', message: expect.stringContaining('YYYY-MM-DD') }),
    );
  });

  it('rejects a source with a header and no body', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.slice(0, t.indexOf('\n\n') + 1));
    expect(issuesIn(loadError(dir), iranSource)).toContainEqual(
      expect.objectContaining({ field: 'body', message: expect.stringContaining('no paragraphs') }),
    );
  });

  it('rejects a source file name that is not kebab-case', () => {
    const dir = copyShippedData();
    fs.copyFileSync(path.join(dir, iranSource), path.join(dir, 'sources', 'Iran_UN_Response.txt'));
    expect(issuesIn(loadError(dir), 'sources/Iran_UN_Response.txt')).toContainEqual(
      expect.objectContaining({ field: 'file name', message: expect.stringContaining('kebab-case') }),
    );
  });
});

describe('loadCorpus reports a bad claim', () => {
  it('rejects a denial reported as something other than a statement or a habit', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (cs) => {
      first(cs).reported = 'rumour';
    });
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual(
      expect.objectContaining({ where: 'claim iranun2024-iran-denial', field: 'reported' }),
    );
  });

  it('rejects reported on a claim that is not a denial', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, icaClaims, (cs) => {
      first(cs, isPreference).reported = 'habit';
    });
    expect(issuesIn(loadError(dir), icaClaims)).toContainEqual(
      expect.objectContaining({ field: 'reported', message: expect.stringContaining('only a denial claim') }),
    );
  });

  it('rejects a claim id already used in another claims file', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, russiaClaims, (cs) => {
      first(cs).id = 'iranun2024-iran-denial';
    });
    expect(issuesIn(loadError(dir), russiaClaims)).toContainEqual({
      file: expect.any(String),
      where: 'claim iranun2024-iran-denial',
      field: 'id',
      message: expect.stringContaining(path.basename(iranClaims)),
    });
  });

  it('rejects a claim on a source that does not exist', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (cs) => {
      first(cs).source = 'no-such-source';
    });
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual({
      file: expect.any(String),
      where: 'claim iranun2024-iran-denial',
      field: 'source',
      message: expect.stringContaining('no-such-source'),
    });
  });

  it('rejects a claim on a paragraph past the end of its source', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (cs) => {
      first(cs).paragraph = 99;
    });
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual({
      file: expect.any(String),
      where: 'claim iranun2024-iran-denial',
      field: 'paragraph',
      message: expect.stringMatching(/has 2 paragraphs, not 99/),
    });
  });

  it.each(['actor', 'favours'])('rejects an unknown actor id in %s', (field) => {
    const dir = copyShippedData();
    let id = '';
    editJson<RawClaim[]>(dir, icaClaims, (cs) => {
      const c = first(cs, isPreference);
      id = String(c.id);
      c[field] = field === 'actor' ? 'atlantis' : ['atlantis'];
    });
    expect(issuesIn(loadError(dir), icaClaims)).toContainEqual({
      file: expect.any(String),
      where: `claim ${id}`,
      field,
      message: 'unknown actor "atlantis"',
    });
  });

  it('rejects a quote that differs from its paragraph by one character', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (cs) => {
      const c = first(cs);
      const quote = String(c.quote);
      c.quote = `${quote.slice(0, 10)}${quote[10] === 'x' ? 'y' : 'x'}${quote.slice(11)}`;
    });
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual({
      file: expect.any(String),
      where: 'claim iranun2024-iran-denial',
      field: 'quote',
      message: expect.stringContaining('not found verbatim in 2024-08-19-iran-un-mission-response#1'),
    });
  });

  it('rejects an unknown claim type', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (cs) => {
      first(cs).type = 'rumour';
    });
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual(
      expect.objectContaining({ where: 'claim iranun2024-iran-denial', field: 'type' }),
    );
  });

  it('rejects a preference that neither favours nor opposes anyone', () => {
    const dir = copyShippedData();
    let id = '';
    editJson<RawClaim[]>(dir, icaClaims, (cs) => {
      const c = first(cs, isPreference);
      id = String(c.id);
      delete c.favours;
      delete c.opposes;
    });
    expect(issuesIn(loadError(dir), icaClaims)).toContainEqual({
      file: expect.any(String),
      where: `claim ${id}`,
      field: 'favours',
      message: expect.stringContaining('needs favours or opposes'),
    });
  });

  it('rejects a denial that does not say what was denied', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, russiaClaims, (cs) => {
      delete first(cs).denies;
    });
    expect(issuesIn(loadError(dir), russiaClaims)).toContainEqual({
      file: expect.any(String),
      where: 'claim rumfa2024-russia-denial',
      field: 'denies',
      message: expect.stringContaining('needs denies'),
    });
  });

  it('rejects a claims file that is not valid JSON', () => {
    const dir = copyShippedData();
    editText(dir, iranClaims, (t) => t.replace(/\]\s*$/, ''));
    expect(issuesIn(loadError(dir), iranClaims)).toContainEqual({
      file: expect.any(String),
      message: expect.stringContaining('not valid JSON'),
    });
  });
});

describe('loadCorpus reports a bad actor registry', () => {
  it('rejects an alias that already names another actor, ignoring case', () => {
    const dir = copyShippedData();
    editJson<RawActor[]>(dir, 'actors.json', (actors) => {
      actors.find((a) => a.id === 'iran')?.aliases.push('kremlin');
    });
    expect(issuesIn(loadError(dir), 'actors.json')).toContainEqual({
      file: expect.any(String),
      where: 'actor iran',
      field: 'aliases',
      message: '"kremlin" also names russia',
    });
  });
});

describe('loadCorpus reports every problem at once', () => {
  it('lists problems in several files, each located and each in the message', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^date: .*$/m, 'date: yesterday'));
    editJson<RawClaim[]>(dir, russiaClaims, (cs) => {
      first(cs).quote = 'words nobody wrote';
    });
    editJson<RawClaim[]>(dir, icaClaims, (cs) => {
      first(cs, isPreference).actor = 'atlantis';
    });
    editJson<RawActor[]>(dir, 'actors.json', (actors) => {
      actors.find((a) => a.id === 'iran')?.aliases.push('Moscow');
    });
    const error = loadError(dir);
    expect(issuesIn(error, iranSource).map((i) => i.field)).toContain('header.date');
    expect(issuesIn(error, russiaClaims).map((i) => i.field)).toContain('quote');
    expect(issuesIn(error, icaClaims).map((i) => i.field)).toContain('actor');
    expect(issuesIn(error, 'actors.json').map((i) => i.field)).toContain('aliases');
    expect(error.message.split('\n')[0]).toBe(
      `data: ${error.issues.length} ${error.issues.length === 1 ? 'problem' : 'problems'}`,
    );
    for (const issue of error.issues) {
      expect(issue.file.startsWith(`data${path.sep}`), issue.file).toBe(true);
      expect(error.message).toContain(formatIssue(issue));
    }
  });
});

describe('loadCorpus reports every problem once, where it is', () => {
  it('rejects a header key given twice', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^(date: .*)$/m, '$1\ndate: 1999-01-01'));
    expect(issuesIn(loadError(dir), iranSource)).toContainEqual(
      expect.objectContaining({ field: 'header.date', message: expect.stringContaining('2 times') }),
    );
  });

  it('rejects an unknown header key, such as a misspelt one', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^excerpt:/m, 'exerpt:'));
    expect(
      issuesIn(loadError(dir), iranSource)
        .map((i) => i.message)
        .join(' '),
    ).toContain('exerpt');
  });

  it('reports the problems of the other claims in a file that has one invalid claim', () => {
    const dir = copyShippedData();
    editJson<RawClaim[]>(dir, iranClaims, (claims) => {
      (claims[0] as RawClaim).type = 'rumour';
      (claims[1] as RawClaim).actor = 'atlantis';
    });
    const issues = issuesIn(loadError(dir), iranClaims);
    expect(issues).toContainEqual(expect.objectContaining({ field: 'type' }));
    expect(issues).toContainEqual(
      expect.objectContaining({ field: 'actor', message: expect.stringContaining('atlantis') }),
    );
  });

  it('does not blame claims for a source that is already reported broken', () => {
    const dir = copyShippedData();
    editText(dir, iranSource, (t) => t.replace(/^date: .*$/m, 'date: yesterday'));
    const error = loadError(dir);
    expect(issuesIn(error, iranSource).length).toBeGreaterThan(0);
    expect(issuesIn(error, iranClaims)).toEqual([]);
  });
});
