/**
 * Replies that answer, on a document ingested in the test (machine-drafted claims only): the
 * answering sentence, a yes/no question settled, a question that names no actor.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEmbeds } from '../../../src/adapters/discord/render-embeds.ts';
import { renderBlocks } from '../../../src/adapters/slack/render-blocks.ts';
import { renderText } from '../../../src/adapters/terminal/render-text.ts';
import { answer } from '../../../src/core/answer/answer.ts';
import { createAnswerEngine } from '../../../src/core/answer/engine.ts';
import { loadCorpus } from '../../../src/core/corpus/load-corpus.ts';
import { ingestFiles } from '../../../src/updates/ingest/ingest.ts';
import {
  copyShippedData,
  engineWithJointStatement,
  jointId,
  jointStatement,
  tempInputs,
  writeInput,
} from '../../updates/ingest/ingest-helpers.ts';

/** Each paragraph of a document broken into lines of at most `width` characters, as text pulled from a PDF is. */
function hardWrapped(text: string, width: number): string {
  const [header, ...paragraphs] = text.split('\n\n');
  const wrap = (p: string) =>
    p
      .split(/\s+/)
      .reduce<string[]>((lines, w) => {
        const last = lines[lines.length - 1];
        if (last !== undefined && last.length + 1 + w.length <= width) lines[lines.length - 1] = `${last} ${w}`;
        else lines.push(w);
        return lines;
      }, [])
      .join('\n');
  return [header, ...paragraphs.map(wrap)].join('\n\n');
}

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

  it('keep the quote on one line when the document is hard-wrapped, and the answer verbatim', () => {
    const dataDir = copyShippedData();
    const file = writeInput(tempInputs(), 'wrapped.txt', hardWrapped(fs.readFileSync(jointStatement, 'utf8'), 40));
    ingestFiles([file], { dataDir });
    const engine = createAnswerEngine(loadCorpus(dataDir));
    const r = answer(engine, 'Did any vote tally get altered in the spear-phishing campaign?');
    expect(r.citations[0]?.source).toBe(jointId);
    expect(r.answer).toContain('\n');
    expect(r.citations[0]?.text).toContain(r.answer as string);
    const oneLine = (r.answer as string).replace(/\s+/g, ' ');
    expect(renderText(r, { color: false, width: 400 }).split('\n')).toContain(
      `“${oneLine}” (ODNI, FBI, CISA, 2025-03-14)`,
    );
    const slack = renderBlocks(r).blocks[0] as { text: { text: string } };
    expect(slack.text.text.split('\n').filter((l) => l.startsWith('>'))).toHaveLength(1);
    expect(slack.text.text).toContain(oneLine);
    const discord = (renderEmbeds(r)[0]?.description ?? '').split('\n');
    expect(discord[0]).toContain(oneLine);
    expect(discord[1]?.startsWith('From ')).toBe(true);
  });
});
