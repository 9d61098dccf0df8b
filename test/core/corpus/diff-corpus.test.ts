import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimHash, diffCorpus, EMPTY_CORPUS, sourceHash } from '../../../src/core/corpus/diff-corpus.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { openSubscriptionStore } from '../../../src/updates/subscriptions/store.ts';
import {
  addAssessment,
  copyData,
  originFor,
  shippedDataDir,
  tempDbPath,
} from '../../updates/subscriptions/fixtures.ts';

const shipped = loadCorpus(shippedDataDir);
const NEW = '2025-02-03-test-new';

describe('diffCorpus', () => {
  it('finds nothing between a corpus and itself', () => {
    expect(diffCorpus(shipped, shipped)).toEqual([]);
  });

  it('makes one update for a new source and one per new claim, with the actors of its claims', () => {
    const dir = copyData();
    addAssessment(dir, NEW, ['russia', 'iran']);
    const updates = diffCorpus(shipped, loadCorpus(dir));
    expect(updates.map((u) => [u.kind, u.key, u.actors])).toEqual([
      ['source', NEW, ['iran', 'russia']],
      ['claim', 'test-new-iran', ['iran']],
      ['claim', 'test-new-russia', ['russia']],
    ]);
    expect(updates[0]?.payload).toEqual({
      title: `Test assessment ${NEW}`,
      publisher: 'Office of the Director of National Intelligence (ODNI)',
      date: '2025-02-03',
      url: 'https://example.org/test-assessment',
      paragraphs: 2,
    });
    expect(updates[1]?.payload).toMatchObject({ source: NEW, paragraph: 1, actor: 'iran', type: 'tactic' });
  });

  it('makes one update for a claim added to an existing claims file, and none for its source', () => {
    const dir = copyData();
    const rel = path.join('claims', '2024-08-19-iran-un-mission-response.json');
    const claims = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8')) as Record<string, unknown>[];
    // A finding says nothing of how a denial was reported: `reported` goes with the type.
    claims.push({ ...claims[0], id: 'iranun2024-extra', type: 'finding', reported: undefined, mentions: ['odni'] });
    fs.writeFileSync(path.join(dir, rel), JSON.stringify(claims));
    const updates = diffCorpus(shipped, loadCorpus(dir));
    expect(updates.map((u) => [u.kind, u.key, u.actors])).toEqual([['claim', 'iranun2024-extra', ['iran', 'odni']]]);
  });

  it('counts a candidate a preference favours or opposes among its actors', () => {
    const dir = copyData();
    addAssessment(dir, NEW, []);
    const claims = [
      {
        id: 'test-pref',
        source: NEW,
        paragraph: 1,
        actor: 'russia',
        type: 'preference',
        favours: ['trump'],
        opposes: ['harris'],
        quote: 'Moscow continues',
        summary: 'Russia prefers one candidate.',
      },
    ];
    fs.writeFileSync(path.join(dir, 'claims', `${NEW}.json`), JSON.stringify(claims));
    const claim = diffCorpus(shipped, loadCorpus(dir)).find((u) => u.kind === 'claim');
    expect(claim?.actors).toEqual(['harris', 'russia', 'trump']);
  });

  it('makes no update for a whitespace-only edit of a source and a claims file', () => {
    const dir = copyData();
    const id = '2024-08-19-iran-un-mission-response';
    const src = path.join(dir, 'sources', `${id}.txt`);
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace(/\n\n/g, '\n  \n\n').replace(/\n/g, '  \r\n'));
    const claims = path.join(dir, 'claims', `${id}.json`);
    fs.writeFileSync(claims, JSON.stringify(JSON.parse(fs.readFileSync(claims, 'utf8')), null, 8));
    const next = loadCorpus(dir);
    expect(diffCorpus(shipped, next)).toEqual([]);
    const before = shipped.sources.get(id);
    const after = next.sources.get(id);
    expect(before && after && sourceHash(after)).toBe(before && sourceHash(before));
  });

  it('makes no update when a source and its claims are deleted', () => {
    const dir = copyData();
    const id = '2024-11-03-russia-foreign-ministry-response';
    fs.rmSync(path.join(dir, 'sources', `${id}.txt`));
    fs.rmSync(path.join(dir, 'claims', `${id}.json`));
    const next = loadCorpus(dir);
    expect(next.sources.has(id)).toBe(false);
    expect(diffCorpus(shipped, next)).toEqual([]);
  });

  it('hashes content the same when only whitespace inside a paragraph changes, and differently otherwise', () => {
    const s = shipped.sources.get('2024-08-19-iran-un-mission-response');
    if (!s) throw new Error('test: shipped source missing');
    const reflowed = { ...s, paragraphs: s.paragraphs.map((p) => ({ ...p, text: p.text.replace(/ /g, '  \n') })) };
    expect(sourceHash(reflowed)).toBe(sourceHash(s));
    const edited = { ...s, paragraphs: s.paragraphs.map((p) => ({ ...p, text: `${p.text}!` })) };
    expect(sourceHash(edited)).not.toBe(sourceHash(s));
    const c = shipped.claims[0];
    if (!c) throw new Error('test: no claim');
    expect(claimHash({ ...c, summary: ` ${c.summary.replace(/ /g, '\t')} ` })).toBe(claimHash(c));
    expect(claimHash({ ...c, actor: 'china' })).not.toBe(claimHash(c));
  });

  it('a source re-added with the same content (give or take whitespace) is recorded as already announced', () => {
    const dir = copyData();
    const id = '2024-11-03-russia-foreign-ministry-response';
    const files = ['sources', 'claims'].map((d) => path.join(dir, d, `${id}.${d === 'sources' ? 'txt' : 'json'}`));
    const saved = files.map((f) => fs.readFileSync(f, 'utf8'));
    const store = openSubscriptionStore(tempDbPath());
    store.subscribe(originFor('slack', 'C1'), null);
    store.recordUpdates(diffCorpus(EMPTY_CORPUS, shipped), { at: 0, dueAt: 0, fanOut: false });

    for (const f of files) fs.rmSync(f);
    const without = loadCorpus(dir);
    expect(diffCorpus(shipped, without)).toEqual([]);

    fs.writeFileSync(files[0] as string, (saved[0] as string).replace(/\n\n/g, ' \n\n\n'));
    fs.writeFileSync(files[1] as string, saved[1] as string);
    const readded = diffCorpus(without, loadCorpus(dir));
    expect(readded.map((u) => u.kind)).toContain('source');
    expect(store.recordUpdates(readded, { at: 1, dueAt: 1 })).toEqual({ updates: 0, rows: 0 });
    expect(store.outboxCounts()).toEqual({ pending: 0, sent: 0, failed: 0 });
    store.close();
  });
});
