/**
 * A press-release web page → its headline, date and body paragraphs as plain text, for the feed
 * watcher to ingest. Navigation, banners, scripts, share buttons, related links, cookie notices
 * and footers are left out; the body text itself is kept word for word, because the corpus cites
 * paragraphs verbatim. Only whitespace changes: each block (p, li, blockquote, h2…) becomes one
 * paragraph with its runs of whitespace collapsed to single spaces.
 *
 * The page is parsed with linkedom, and @mozilla/readability (Firefox Reader View) finds the
 * article within it, after the parts that are never body text have been removed.
 */

import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** What a press-release page says, as plain text. */
export interface ExtractedPage {
  /** The headline: og:title, else the page's h1, else what Readability takes for the title. */
  title: string | null;
  /** ISO 8601 date or date-time the page states (article:published_time, a <time datetime>…), else null. */
  published: string | null;
  /** Body paragraphs in page order, each non-empty, whitespace collapsed, words untouched. */
  paragraphs: string[];
}

/** Options of {@link extractPage}. */
export interface ExtractOptions {
  /**
   * Fewer words than this in all the paragraphs together means nothing readable was found (a
   * script-only shell, an error page) and `paragraphs` is []. Default 20; 0 keeps whatever is found.
   */
  minWords?: number;
}

/** The few DOM members used here (the project compiles without the DOM library's types). */
interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}
interface DomDocument {
  title: string;
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

const ELEMENT = 1;
const TEXT = 3;

/** Elements whose content is never read as text. */
const UNREAD = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'iframe',
  'svg',
  'canvas',
  'object',
  'button',
  'select',
  'textarea',
]);

/** Elements that start and end a paragraph. Table cells only get a space between them. */
const BLOCKS = new Set(
  (
    'address article aside blockquote caption dd details dialog div dl dt fieldset figcaption figure footer form ' +
    'h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody tfoot thead tr ul'
  ).split(' '),
);

/** Parts of a page that never hold the statement's text. */
const CLUTTER = [
  'script, style, noscript, template, iframe, svg, form, button, dialog, nav, header, footer, aside',
  '[role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"]',
  '[role="dialog"], [role="alertdialog"], [aria-hidden="true"], [hidden], [aria-modal="true"]',
].join(', ');

/**
 * Class and id names of the parts of a page around a statement: cookie notices, share bars, skip
 * links, related-content boxes, tag lists, bylines and site headers. A name is matched whole, after
 * dropping a BEM element or modifier (`share-links__wrapper` → `share-links`) and allowing a short
 * prefix (`usa-`, `c-`) and a qualifier (`site-`, `article-`), so `main-content-with-sidebar` is
 * not taken for a sidebar.
 */
const CLUTTER_WORDS = [
  'cookies?',
  'consent',
  'gdpr',
  'banner',
  'share',
  'sharing',
  'share-links?',
  'social',
  'social-share',
  'social-links',
  'addthis',
  'skip-?links?',
  'skipnav',
  'related',
  'related-[a-z]+',
  'breadcrumbs?',
  'newsletter',
  'subscribe',
  'sidebar',
  'alert',
  'print-?link',
  'meta',
  'byline',
  'tags',
  'tag-list',
  'pagination',
  'pager',
  'header',
  'footer',
  'navbar',
  'nav',
  'menu',
];
const CLUTTER_QUALIFIERS = ['site', 'page', 'region', 'global', 'article', 'entry', 'post', 'node', 'news', 'block'];
const CLUTTER_SUFFIXES = ['banner', 'bar', 'notice', 'links?', 'buttons?', 'tools', 'block', 'list', 'box', 'wrapper'];
const CLUTTER_NAME = new RegExp(
  `^(?:[a-z]{1,3}-)?(?:(?:${CLUTTER_QUALIFIERS.join('|')})[-_])?(?:${CLUTTER_WORDS.join('|')})` +
    `(?:[-_](?:${CLUTTER_SUFFIXES.join('|')}))?$`,
  'i',
);

/** The mark that ends a US press release (`###`, `- 30 -`): not a paragraph anyone would cite. */
const END_MARK = /^(?:#\s*#\s*#|-\s*30\s*-)$/;

const DATE_META = [
  'meta[property="article:published_time"]',
  'meta[name="article:published_time"]',
  'meta[property="og:article:published_time"]',
  'meta[name="dcterms.date"]',
  'meta[name="dcterms.issued"]',
  'meta[name="DC.date.issued"]',
  'meta[name="DC.date"]',
  'meta[name="citation_publication_date"]',
  'meta[name="publish-date"]',
  'meta[name="date"]',
];

/**
 * Extracts a press release's headline, date and body paragraphs from its HTML.
 *
 * @param url the page's address (kept for messages and future link handling; the text does not depend on it)
 * @example
 * const page = extractPage(html, 'https://www.example.gov/news/2025/01/14/statement');
 * page.paragraphs[0] // 'WASHINGTON – Today the Department …'
 */
export function extractPage(html: string, url: string, options: ExtractOptions = {}): ExtractedPage {
  void url;
  const document = parseDocument(html);
  const title = pageTitle(document);
  const published = pageDate(document);
  removeClutter(document);
  const reader = new Readability<DomNode>(document as never, { serializer: (node) => node as DomNode });
  const article = reader.parse();
  const blocks = article?.content ? textBlocks(article.content) : [];
  const paragraphs = blocks.filter((block) => !END_MARK.test(block));
  const readable = paragraphs.length > 0 && wordCount(paragraphs) >= (options.minWords ?? 20);
  return {
    title: title ?? clean(article?.title) ?? clean(document.title),
    published,
    paragraphs: readable ? paragraphs : [],
  };
}

/**
 * The text of an HTML fragment, one block per paragraph, blocks separated by a blank line.
 * Entities are decoded and scripts dropped; words are kept as written.
 *
 * @example htmlToText('<p>One &amp; two</p><ul><li>three</li></ul>') // 'One & two\n\nthree'
 */
export function htmlToText(html: string): string {
  const document = parseDocument(html);
  return document.body ? textBlocks(document.body).join('\n\n') : '';
}

/**
 * Whether a response is a PDF (which {@link extractPage} cannot read): by its content type, or by
 * a `.pdf` path when the type is missing or generic.
 *
 * @example isPdf('application/pdf', 'https://x.gov/a') // true
 * @example isPdf(null, 'https://x.gov/files/statement.PDF') // true
 */
export function isPdf(contentType: string | null, url: string): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/pdf' || type === 'application/x-pdf') return true;
  if (type !== '' && type !== 'application/octet-stream' && type !== 'binary/octet-stream') return false;
  try {
    return new URL(url).pathname.toLowerCase().endsWith('.pdf');
  } catch {
    return false;
  }
}

/**
 * Parses HTML into a document with html, head and body. linkedom, unlike a browser, does not add
 * the missing ones, and Readability reads only the body.
 */
function parseDocument(html: string): DomDocument {
  let text = html.replace(/^\s*<!doctype[^>]*>/i, '');
  if (!/<body[\s>]/i.test(text)) text = `<head></head><body>${text.replace(/<\/?html[^>]*>/gi, '')}</body>`;
  if (!/<html[\s>]/i.test(text)) text = `<html>${text}</html>`;
  return parseHTML(`<!doctype html>${text}`).document as DomDocument;
}

function pageTitle(document: DomDocument): string | null {
  const og = document.querySelector('meta[property="og:title"]')?.getAttribute('content');
  const h1 = document.querySelector('main h1, article h1, [role="main"] h1') ?? document.querySelector('h1');
  return clean(og) ?? clean(h1?.textContent) ?? null;
}

function pageDate(document: DomDocument): string | null {
  for (const selector of DATE_META) {
    const date = isoDate(document.querySelector(selector)?.getAttribute('content'));
    if (date) return date;
  }
  const fromJsonLd = jsonLdDate(document);
  if (fromJsonLd) return fromJsonLd;
  const time =
    document.querySelector('main time[datetime], article time[datetime]') ?? document.querySelector('time[datetime]');
  return isoDate(time?.getAttribute('datetime'));
}

function jsonLdDate(document: DomDocument): string | null {
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    const match = /"datePublished"\s*:\s*"([^"]+)"/.exec(script.textContent ?? '');
    const date = isoDate(match?.[1]);
    if (date) return date;
  }
  return null;
}

/** A stated ISO 8601 date is kept as stated (its offset too); another parseable date becomes UTC ISO. */
function isoDate(value: string | null | undefined): string | null {
  const text = value?.trim();
  if (!text || Number.isNaN(Date.parse(text))) return null;
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    return text.replace(' ', 'T');
  }
  return new Date(text).toISOString();
}

function removeClutter(document: DomDocument): void {
  for (const element of Array.from(document.querySelectorAll(CLUTTER))) element.remove();
  for (const element of Array.from(document.querySelectorAll('[class], [id]'))) {
    if (isClutterByName(element)) element.remove();
  }
  // The headline is the title, not a paragraph; Readability would turn an h1 into an h2.
  for (const element of Array.from(document.querySelectorAll('h1'))) element.remove();
}

function isClutterByName(element: DomElement): boolean {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`.split(/\s+/);
  return names.some((name) => name !== '' && CLUTTER_NAME.test(name.replace(/(?:__|--).*$/, '')));
}

/** The text of each block under `root`, in document order. */
function textBlocks(root: DomNode): string[] {
  const blocks: string[] = [];
  let current = '';
  const flush = () => {
    const text = collapse(current);
    if (text) blocks.push(text);
    current = '';
  };
  const visit = (node: DomNode) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT) current += child.nodeValue ?? '';
      if (child.nodeType !== ELEMENT) continue;
      const tag = (child as DomElement).tagName.toLowerCase();
      if (UNREAD.has(tag)) continue;
      if (tag === 'br' || tag === 'td' || tag === 'th') current += ' ';
      const block = BLOCKS.has(tag);
      if (block) flush();
      visit(child);
      if (block) flush();
    }
  };
  visit(root);
  flush();
  return blocks;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clean(text: string | null | undefined): string | null {
  const collapsed = collapse(text ?? '');
  return collapsed === '' ? null : collapsed;
}

function wordCount(paragraphs: string[]): number {
  return paragraphs.reduce((sum, paragraph) => sum + paragraph.split(' ').length, 0);
}
