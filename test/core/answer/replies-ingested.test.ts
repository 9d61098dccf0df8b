/**
 * Replies that answer, on a document ingested in the test (machine-drafted claims only): the
 * answering sentence, a yes/no question settled, a question that names no actor.
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../../../src/core/answer/answer.ts';
import { engineWithJointStatement, jointId } from '../../updates/ingest/ingest-helpers.ts';

describe('replies on an ingested document', () => {
  it('lead with the sentence that answers, from the new document', () => {
    const engine = engineWithJointStatement();
    const who = answer(engine, 'Who ran the spear-phishing campaign against county election offices?');
    expect(who.citations[0]?.source).toBe(jointId);
    expect(who.answer).toMatch(/^The IC attributes the spear-phishing campaign/);
    expect(who.citations[0]?.text).toContain(who.answer as string);
    const why = answer(engine, 'Why does Tehran want a weaker Republican majority?');
    expect(why.answer).toBe(
      'Tehran probably views a weaker Republican majority in Congress as more favorable to its interests.',
    );
  });

  it('settle a yes/no question with the sentence that decides it', () => {
    const engine = engineWithJointStatement();
    const r = answer(engine, 'Did any vote tally get altered in the spear-phishing campaign?');
    expect(r.citations[0]?.source).toBe(jointId);
    expect(r.answer).toBe('To date, we have no information indicating that any vote tally was altered.');
  });

  it('name the country for a question that names none', () => {
    const engine = engineWithJointStatement();
    const r = answer(engine, 'Which country ran fake local news sites impersonating election offices?');
    expect(r.citations[0]?.source).toBe(jointId);
    expect(r.text).toContain('Named in this paragraph: China.');
  });
});
