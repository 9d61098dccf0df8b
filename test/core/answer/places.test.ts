/**
 * Places the assessments hold nothing on are told plainly, and what holds nothing on a place is
 * decided by the corpus as it is: a document that names the place changes the answer.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { isHeading } from '../../../src/core/answer/rank.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { engineWithJointStatement, jointId } from '../../updates/ingest/ingest-helpers.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const shipped = createAnswerEngine(loadCorpus(shippedDataDir));
const question = 'Were county election offices in Arizona targeted by phishing?';

describe('places', () => {
  it('a US state the assessments never name is said to be held nothing on, nothing cited', () => {
    const r = answer(shipped, question);
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toContain('I hold nothing on Arizona.');
    expect(answer(shipped, 'whats the deadline to register to vote in ohio').text).toContain('I hold nothing on Ohio.');
    // An actor named beside it changes nothing: no paragraph says anything of Ohio.
    const withActor = answer(shipped, 'Did Russia target voters in Ohio?');
    expect(withActor.found).toBe(false);
    expect(withActor.text).toContain('I hold nothing on Ohio.');
  });

  it('a place some paragraph names is searched for like any word', () => {
    expect(parseQuestion('Did anyone fake a ballot video in Pennsylvania?', shipped).unheld).toEqual([]);
    const engine = engineWithJointStatement();
    expect(parseQuestion(question, engine).unheld).toEqual([]);
    const r = answer(engine, question);
    expect(r.found).toBe(true);
    expect(r.citations[0]?.source).toBe(jointId);
    expect(r.citations[0]?.text).toContain('Arizona');
  });
});

describe('headings', () => {
  it('are told from text by case alone, and a script without case is never one', () => {
    expect(isHeading('TEHRAN’S MALIGN INFLUENCE AND ELECTION INTERFERENCE ACTIVITIES')).toBe(true);
    expect(isHeading('Treasury designated seven individuals.')).toBe(false);
    expect(isHeading('中国没有干预选举。')).toBe(false);
  });

  it('are never cited: the newest sanction is a paragraph of the newest release, not its section title', () => {
    const r = answer(shipped, 'What is the most recent sanction?');
    expect(r.found).toBe(true);
    expect(r.citations[0]?.date).toBe('2024-12-31');
    expect(isHeading(r.citations[0]?.text ?? '')).toBe(false);
  });
});

describe('names held nowhere', () => {
  it('a name written with a capital that no paragraph holds in any form is said to be held nothing on', () => {
    const r = answer(shipped, "What did Microsoft's threat report say about Iranian hacking groups?");
    expect(r.found).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.text).toContain('I hold nothing on Microsoft.');
    expect(parseQuestion('Did Iran meddle in the Knesset election?', shipped).unheld).toEqual(['Knesset']);
  });

  it('is no evidence as a sentence opener, an acronym, or a misspelling of a word the corpus holds', () => {
    expect(parseQuestion('Microsoft reported what about Iran?', shipped).unheld).toEqual([]);
    expect(parseQuestion('What did the ATA say about the PRC?', shipped).unheld).toEqual([]);
    expect(parseQuestion('What did the Tresury say about Iran?', shipped).unheld).toEqual([]);
    expect(parseQuestion('What did Treasury say about Iran?', shipped).unheld).toEqual([]);
  });

  it('is searched for like any word once a document names it', () => {
    const question = 'Which foreign threats face the 2026 Midterms?';
    expect(parseQuestion(question, shipped).unheld).toEqual(['Midterms']);
    const engine = engineWithJointStatement();
    expect(parseQuestion(question, engine).unheld).toEqual([]);
    const r = answer(engine, question);
    expect(r.found).toBe(true);
    expect(r.citations[0]?.source).toBe(jointId);
  });
});
