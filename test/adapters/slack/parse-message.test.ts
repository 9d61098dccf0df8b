import { describe, expect, it } from 'vitest';
import { questionFromMessage, slackTextToPlain } from '../../../src/adapters/slack/parse-message.ts';
import { RecentEvents } from '../../../src/adapters/slack/recent-events.ts';

describe('reading Slack message text', () => {
  it('removes the bot mention wherever it is, with a colon or comma after it', () => {
    expect(questionFromMessage('<@U0BOTUSER> what is Russia’s preference?', 'U0BOTUSER')).toBe(
      'what is Russia’s preference?',
    );
    expect(questionFromMessage('<@U0BOTUSER|threatdesk>: who denied?', 'U0BOTUSER')).toBe('who denied?');
    expect(questionFromMessage('so, <@U0BOTUSER>, who denied?', 'U0BOTUSER')).toBe('so, who denied?');
  });

  it('keeps other people’s mentions as @name, and strips leading mentions when the bot id is unknown', () => {
    expect(questionFromMessage('<@U0BOTUSER> did <@U0OTHER|ana> ask?', 'U0BOTUSER')).toBe('did @ana ask?');
    expect(questionFromMessage('<@U0BOTUSER> what did Iran deny?')).toBe('what did Iran deny?');
  });

  it('decodes entities and links back to what was typed', () => {
    expect(
      slackTextToPlain('Iran &amp; Russia &lt;3 &gt; <https://x.test|this> <https://y.test> <#C1|general> <!here>'),
    ).toBe('Iran & Russia <3 > this https://y.test #general @here');
    expect(slackTextToPlain('&amp;lt;')).toBe('&lt;');
  });

  it('a mention with nothing else is an empty question', () => {
    expect(questionFromMessage('<@U0BOTUSER>  ', 'U0BOTUSER')).toBe('');
  });
});

describe('RecentEvents', () => {
  it('says a key is new once, then repeated, across any of the keys given together', () => {
    const recent = new RecentEvents(10);
    expect(recent.firstTime('event:Ev1', 'message:C1:1')).toBe(true);
    expect(recent.firstTime('event:Ev1')).toBe(false);
    expect(recent.firstTime('event:Ev2', 'message:C1:1')).toBe(false);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const recent = new RecentEvents(3);
    for (const k of ['a', 'b', 'c', 'd']) recent.firstTime(k);
    expect(recent.firstTime('a')).toBe(true);
    expect(recent.firstTime('d')).toBe(false);
    expect(() => new RecentEvents(0)).toThrow(/capacity/);
  });
});
