import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../../src/updates/ingest/ingest.ts';
import { copyShippedData, fixture, listData, refused, tempInputs, writeInput } from './ingest-helpers.ts';

const header = 'title: Statement on election security\npublisher: Example Agency\ndate: 2025-04-01\nkind: official\n';

/** Ingests one file into a fresh copy of the data; expects a refusal that wrote nothing. */
function refusal(file: string, flags = {}): string {
  const dataDir = copyShippedData();
  const before = listData(dataDir);
  const error = refused(ingestFiles([file], { dataDir, flags }));
  expect(error.startsWith(`ingest: ${file}: `), error).toBe(true);
  expect(listData(dataDir)).toEqual(before);
  return error;
}

describe('ingest refuses a bad document, names the file and writes nothing', () => {
  it('a header with no body', () => {
    expect(refusal(fixture('header-only.txt'))).toContain('has no body');
  });

  it('an empty file', () => {
    const file = writeInput(tempInputs(), 'empty.txt', '');
    expect(refusal(file, { title: 'T', publisher: 'P', date: '2025-04-01', kind: 'news' })).toContain('has no body');
  });

  it('a missing date', () => {
    expect(refusal(fixture('no-date.txt'))).toContain(
      'has no date: add a header line "date: YYYY-MM-DD" or pass --date',
    );
  });

  it('a date that does not exist', () => {
    expect(refusal(fixture('bad-date.txt'))).toContain('date is not a real calendar date');
  });

  it('a date not written YYYY-MM-DD', () => {
    const file = writeInput(tempInputs(), 'march.txt', header.replace('2025-04-01', 'March 3, 2025') + '\nText.\n');
    expect(refusal(file)).toContain('must be a date written YYYY-MM-DD');
  });

  it('a malformed --date flag on plain text', () => {
    const file = writeInput(tempInputs(), 'plain.txt', 'Iran denied the allegations.\n');
    const error = refusal(file, { title: 'T', publisher: 'P', date: '14/03/2025', kind: 'news' });
    expect(error).toContain('must be a date written YYYY-MM-DD');
  });

  it('bytes that are not UTF-8', () => {
    expect(refusal(fixture('bad-encoding.txt'))).toMatch(/is not valid UTF-8 \(line 6, byte \d+\); save it as UTF-8/);
  });

  it('a UTF-16 file', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\nText.\n`, 'utf16le')]);
    expect(refusal(writeInput(tempInputs(), 'utf16.txt', utf16))).toContain('is UTF-16; save it as UTF-8');
  });

  it('a binary file', () => {
    const file = writeInput(tempInputs(), 'image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(refusal(file)).toMatch(/not valid UTF-8|control character/);
  });

  it('text carrying replacement characters from a bad conversion', () => {
    const file = writeInput(tempInputs(), 'mangled.txt', `${header}\nThe minist\uFFFDre rejected it.\n`);
    expect(refusal(file)).toContain('U+FFFD');
  });

  it('an unknown kind', () => {
    const file = writeInput(tempInputs(), 'kind.txt', header.replace('official', 'press') + '\nText.\n');
    expect(refusal(file)).toContain('kind');
  });

  it('a header key the corpus format does not know', () => {
    const file = writeInput(tempInputs(), 'extra.txt', `${header}source: somewhere\n\nText.\n`);
    expect(refusal(file)).toContain('source');
  });

  it('a header line that is not key: value', () => {
    const file = writeInput(tempInputs(), 'broken.txt', `${header}this line is not a header\n\nText.\n`);
    expect(refusal(file)).toContain('line 5: header line is not "key: value"');
  });

  it('a flag that contradicts the header', () => {
    const file = writeInput(tempInputs(), 'both.txt', `${header}\nText.\n`);
    expect(refusal(file, { date: '2025-04-02' })).toContain('--date "2025-04-02" contradicts the file\'s header');
  });

  it('a title with no letters to make an id from', () => {
    const file = writeInput(
      tempInputs(),
      'cyrillic.txt',
      header.replace('Statement on election security', 'Заявление') + '\nText.\n',
    );
    expect(refusal(file)).toContain('cannot make an id from the title');
  });

  it('a file that cannot be read', () => {
    expect(refusal(`${tempInputs()}/missing.txt`)).toContain('cannot read');
  });
});
