import { describe, expect, it } from 'vitest';
import { benchQuestions } from '../../../bench/questions.ts';
import { renderEmbeds } from '../../../src/adapters/discord/render-embeds.ts';
import { renderBlocks } from '../../../src/adapters/slack/render-blocks.ts';
import { renderText } from '../../../src/adapters/terminal/render-text.ts';
import { answer } from '../../../src/core/answer/answer.ts';
import { answeringSentence } from '../../../src/core/answer/answering-sentence.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { replyToJson } from '../../../src/core/reply.ts';
import { parseQuestion } from '../../../src/core/understand/parse-question.ts';
import { shippedDataDir } from '../corpus/temp-data.ts';

const engine = createAnswerEngine(loadCorpus(shippedDataDir));
const pick = (question: string, text: string) =>
  answeringSentence(engine, parseQuestion(question, engine), { source: 'test', n: 1, text });

describe('the answering sentence', () => {
  it('is a verbatim slice of the first citation, and the reply text starts with it in quotes', () => {
    let answered = 0;
    for (const { text: question } of benchQuestions(8)) {
      const reply = answer(engine, question);
      if (!reply.found || reply.answer === undefined) continue;
      answered++;
      expect(reply.citations[0]?.text, question).toContain(reply.answer);
      expect(reply.text.startsWith(`“${reply.answer}” (`), question).toBe(true);
      expect(replyToJson(reply).answer).toBe(reply.answer);
    }
    expect(answered).toBeGreaterThan(20);
  });

  it('is the sentence with a date for "when", a number for "how many", the purpose for "why"', () => {
    const text =
      'Iran sent emails to campaign staff. The emails reached the staff in late June. Iran sent them to seven staff members in order to sow discord.';
    expect(pick('When did the emails reach campaign staff?', text)).toBe('The emails reached the staff in late June.');
    expect(pick('How many staff members got the emails?', text)).toBe(
      'Iran sent them to seven staff members in order to sow discord.',
    );
    expect(pick('Why did Iran send the emails to staff?', text)).toBe(
      'Iran sent them to seven staff members in order to sow discord.',
    );
  });

  it('for "what month" or "what day", is the sentence with a date that fine, not only a year', () => {
    const text =
      'Treasury designated Doppelganger actors in 2024. It had first designated some of them in March. Its order took effect in 2024, on 4 September.';
    expect(pick('What month did Treasury first designate Doppelganger actors?', text)).toBe(
      'It had first designated some of them in March.',
    );
    expect(pick('On what date did the Treasury order designating Doppelganger actors take effect?', text)).toBe(
      'Its order took effect in 2024, on 4 September.',
    );
    // "May" the month, not "may" the verb.
    expect(pick('What month did Treasury act?', 'Treasury may act again in 2025. Treasury acted in May.')).toBe(
      'Treasury acted in May.',
    );
  });

  it('for a yes/no question, is the sentence that settles it', () => {
    const text =
      'Iranian actors posed as protesters online and encouraged protests. This intelligence does not indicate that the protesters are agents of Iran.';
    expect(pick('Are the protesters Iranian agents?', text)).toBe(
      'This intelligence does not indicate that the protesters are agents of Iran.',
    );
  });

  it('counts the actor asked however the sentence names it', () => {
    const text =
      "Russia's preferences have not changed since 2020. The Iranian mission strongly denied engaging in any such activity.";
    expect(pick('Did Iran deny it?', text)).toBe('The Iranian mission strongly denied engaging in any such activity.');
  });

  it('is not a sentence about another country, even one sharing more of the question', () => {
    const text =
      'Russia has sought to influence US voters through covert accounts. Iran has sought to influence US voters.';
    expect(pick('How has Iran sought to influence US voters through accounts?', text)).toBe(
      'Iran has sought to influence US voters.',
    );
    // A sentence naming no country at all is not set back.
    const plain = 'Covert accounts were used to influence US voters. Iran has denied it.';
    expect(pick('How has Iran sought to influence US voters through accounts?', plain)).toBe(
      'Covert accounts were used to influence US voters.',
    );
  });

  it('for a person asked ("which official"), is the sentence naming a person, not an agency', () => {
    const text =
      'The Justice Department today announced the seizure of domains that Russian companies used in a covert influence campaign. The companies acted at the direction of Sergei Kiriyenko, a deputy chief of staff.';
    const official = 'Which Kremlin official was running the companies behind the covert campaign?';
    expect(pick(official, text)).toMatch(/^The companies acted/);
    // An agency asked for keeps the sentence that names the agency.
    expect(pick('Which agency announced the seizure of the covert campaign domains?', text)).toMatch(
      /^The Justice Department/,
    );
  });

  it('is the sentence holding most of the question, else the first', () => {
    const text = 'Russia denied the claims. Treasury designated two entities in Moscow and Tehran.';
    expect(pick('Which entities did Treasury designate?', text)).toBe(
      'Treasury designated two entities in Moscow and Tehran.',
    );
    expect(pick('What about the weather?', text)).toBe('Russia denied the claims.');
    expect(pick('Anything?', 'One sentence only')).toBe('One sentence only');
  });

  it('is set apart when rendered: bold in the terminal, a quote block on Slack and Discord', () => {
    const reply = answer(engine, 'Who is Moscow backing?');
    expect(reply.answer).toBeDefined();
    const terminal = renderText(reply, { color: true, width: 400 });
    expect(terminal).toContain(`\u001b[1m“${reply.answer}”`);
    const slack = JSON.stringify(renderBlocks(reply).blocks);
    expect(slack).toContain('\\n>“');
    const discord = renderEmbeds(reply)[0]?.description ?? '';
    expect(discord.startsWith('> “')).toBe(true);
    expect(discord.split('\n')).toHaveLength(2);
  });

  it('"under which authority" leads with the sentence naming the order acted under', () => {
    const r = answer(engine, 'Under which authority were the Iranian hackers sanctioned?');
    expect(r.found).toBe(true);
    expect(r.answer).toMatch(/Executive Order \(E\.O\.\) 13848/);
  });
});
