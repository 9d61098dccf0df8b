/**
 * The platform-neutral Reply every command returns and every adapter renders. A citation always
 * carries its whole paragraph verbatim, with where it came from.
 */
import { type Corpus, type Paragraph, paragraphOf } from './corpus/corpus.ts';

/** One cited paragraph, verbatim, with its source's details. */
export interface Citation {
  source: string;
  paragraph: number;
  /** The whole paragraph exactly as published. */
  text: string;
  title: string;
  publisher: string;
  date: string;
  url: string | null;
  /** What this paragraph is cited for: a template filled from claim fields, when there is one. */
  summary?: string;
}

/** What a command answers. */
export interface Reply {
  /** Short heading. */
  title: string;
  /** Lead text: templates filled from claim fields, never a fact the citations lack. */
  text: string;
  /** Whether the corpus answered; false means nothing is cited. */
  found: boolean;
  /** Best first. */
  citations: Citation[];
  /** Only the asker should see it (help, errors). */
  ephemeral: boolean;
  /** Short lines after the citations (what was left out, hints). */
  notes: string[];
  /** Stems whose words renderers emphasise inside citations (search hits); the text stays verbatim. */
  highlight: string[];
  /** Set when the command failed: what the user sees (the UserError's message, or the generic apology). */
  error?: string;
  /**
   * The sentence of the first citation that answers the question, verbatim: `text` starts with it,
   * in quotes, with publisher and date. Renderers set that first line apart (bold, a quote block).
   */
  answer?: string;
}

/**
 * The lead line that quotes the answering sentence, when `text` starts with one, and the text after
 * it. A sentence of a hard-wrapped source keeps its line breaks in `text` (it is verbatim); on the
 * lead line they are shown as spaces, so the quote stays one line.
 *
 * @example answerLine({ text: '“A\nB.” (FBI, 2024-11-05)\nFrom …', answer: 'A\nB.' }) // { line: '“A B.” (FBI, 2024-11-05)', rest: 'From …' }
 */
export function answerLine(reply: Pick<Reply, 'text' | 'answer'>): { line: string; rest: string } | undefined {
  if (reply.answer === undefined) return undefined;
  const quoted = `“${reply.answer}”`;
  if (!reply.text.startsWith(quoted)) return undefined;
  const end = reply.text.indexOf('\n', quoted.length);
  const line = end < 0 ? reply.text : reply.text.slice(0, end);
  return { line: line.replace(/[ \t]*\n[ \t]*/g, ' '), rest: end < 0 ? '' : reply.text.slice(end + 1).trim() };
}

/** The citation for a paragraph, with what it is cited for when known. */
export function citationOf(corpus: Corpus, p: Paragraph, summary?: string): Citation {
  const s = corpus.sources.get(p.source);
  if (!s) throw new Error(`reply: unknown source "${p.source}"`);
  const citation: Citation = {
    source: s.id,
    paragraph: p.n,
    text: p.text,
    title: s.title,
    publisher: s.publisher,
    date: s.date,
    url: s.url,
  };
  if (summary) citation.summary = summary;
  return citation;
}

/** The citation for the paragraph a claim was drawn from. */
export function claimCitation(
  corpus: Corpus,
  claim: { source: string; paragraph: number },
  summary?: string,
): Citation {
  const p = paragraphOf(corpus, claim.source, claim.paragraph);
  if (!p) throw new Error(`reply: no paragraph ${claim.source}#${claim.paragraph}`);
  return citationOf(corpus, p, summary);
}

/** A reply with defaults filled in. */
export function makeReply(r: Partial<Reply> & Pick<Reply, 'text'>): Reply {
  return { title: '', found: false, citations: [], ephemeral: false, notes: [], highlight: [], ...r };
}

/** The publisher's short name: its abbreviations in brackets ("ODNI, FBI, CISA"), else the name. */
export function shortPublisher(publisher: string): string {
  const abbrevs = [...publisher.matchAll(/\(([A-Z][A-Za-z]{1,9})\)/g)].map((m) => m[1] as string);
  return abbrevs.length > 0 ? [...new Set(abbrevs)].join(', ') : publisher;
}

/**
 * The JSON form of a reply (the `ask --json` contract); `error` is there only when the command
 * failed, `answer` only when a sentence answers.
 */
export function replyToJson(reply: Reply): Record<string, unknown> {
  return {
    found: reply.found,
    text: reply.text,
    title: reply.title,
    citations: reply.citations,
    ephemeral: reply.ephemeral,
    notes: reply.notes,
    highlight: reply.highlight,
    ...(reply.error === undefined ? {} : { error: reply.error }),
    ...(reply.answer === undefined ? {} : { answer: reply.answer }),
  };
}
