import { describe, expect, it } from 'vitest';
import { readIntent } from '../../../src/core/understand/intents.ts';

const read = (question: string) => readIntent(question.toLowerCase().replace(/[?]/g, '').split(/\s+/), false);

describe('readIntent: when a question asks for a list', () => {
  it.each([
    ['What are the sanctions?', 'sanction'],
    ['denials', 'denial'],
    ['List all threats', 'threat'],
    ['What tactics?', 'tactic'],
  ])('%s lists the %s claims', (question, intent) => {
    const r = read(question);
    expect(r.intent).toBe(intent);
    expect(r.list).toBe(true);
  });

  it.each([
    'What was the first joint statement on foreign threats?',
    'the latest statement about sanctions',
    'the report of threats',
    'Were the bomb threats at polling places real?',
    'Are there sanctions?',
    'bomb threats polling sites russian emails',
  ])('%s asks for one thing that the plural only qualifies', (question) => {
    expect(read(question).list).toBe(false);
  });

  it('lets names and years stand beside the plural', () => {
    const words = ['what', 'are', 'russia', 'tactics', 'in', '2024'];
    expect(readIntent(words, false, (i) => i === 2).list).toBe(true);
    expect(readIntent(words, false).list).toBe(false);
  });
});
