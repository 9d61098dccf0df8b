import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { copyShippedData, fixture, jointId, jointStatement } from './ingest-helpers.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function ingest(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/ingest.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, DATA_DIR: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run ingest', () => {
  it('adds the good files, names each refused one, and exits 1', () => {
    const dataDir = copyShippedData();
    const r = ingest(['--data', dataDir, jointStatement, fixture('no-date.txt')]);
    expect(r.stdout).toContain(`added ${jointId}: `);
    expect(r.stdout).toMatch(/\(\d+ draft claims: .*denial 1.*\)/);
    expect(r.stderr).toContain(`ingest: ${fixture('no-date.txt')}: has no date`);
    expect(r.code).toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'sources', `${jointId}.txt`))).toBe(true);
    expect(loadCorpus(dataDir).sources.has(jointId)).toBe(true);
  });

  it('takes the header of plain text from flags and exits 0 when everything went in', () => {
    const dataDir = copyShippedData();
    const r = ingest([
      '--data',
      dataDir,
      '--title',
      'Communiqué on United States accusations',
      '--publisher',
      'Ministry of Foreign Affairs of the Bolivarian Republic of Venezuela',
      '--date=2025-03-15',
      '--kind',
      'response',
      '--url',
      'https://mppre.example.ve/communique',
      fixture('venezuela-mfa-communique.txt'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const source = loadCorpus(dataDir).sources.get('2025-03-15-communique-united-states-accusations');
    expect(source).toMatchObject({ kind: 'response', url: 'https://mppre.example.ve/communique' });
  });

  it('prints the usage and exits 2 without files', () => {
    const r = ingest([]);
    expect(r.stderr).toContain('usage: npm run ingest');
    expect(r.code).toBe(2);
  });
});
