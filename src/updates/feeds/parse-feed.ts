/**
 * A newsroom feed's body → its items (guid, link, title, summary, date), whatever the format:
 * RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed. The format is told from the content, not from the
 * Content-Type header, which agencies often get wrong.
 *
 * XML is checked before it is read, so a malformed feed is an error rather than an empty list,
 * and a document that declares its own entities is refused outright (no entity expansion, so
 * no billion-laughs). Titles and summaries come out as plain text, with HTML stripped and
 * entities decoded; links are made absolute against the feed's URL.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { htmlToText } from './extract-page.ts';

/** One entry of a feed. */
export interface FeedItem {
  /** RSS guid / RSS 1.0 rdf:about / Atom id / JSON Feed id. */
  guid: string | null;
  /** Absolute http(s) URL of the item's page, resolved against the feed URL; null when it has none. */
  link: string | null;
  /** Plain text, entities decoded, whitespace collapsed; '' when the item has no title. */
  title: string;
  /** Plain text of the description / summary / content; paragraphs separated by a blank line; may be ''. */
  summary: string;
  /**
   * ISO 8601 date-time (a date alone when only a date is given). A stated offset is kept, so the
   * date part is the publisher's own calendar date: `Tue, 14 Jan 2025 20:00:00 EST` → `2025-01-14T20:00:00-05:00`.
   */
  published: string | null;
}

/** Why a body is not a feed; the message is one line, e.g. `not a feed: malformed XML at line 3 (…)`. */
export class FeedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFormatError';
  }
}

/**
 * Parses a feed body into its items, in feed order.
 *
 * @param contentType the response's Content-Type, used only to word the error for a non-feed
 * @param feedUrl the feed's final URL; relative links are resolved against it
 * @throws FeedFormatError when the body is malformed or not RSS, Atom or JSON Feed
 * @example
 * const items = parseFeed(body.toString('utf8'), result.contentType, result.url);
 * items[0] // { guid: '…', link: 'https://www.example.gov/news/…', title: '…', summary: '…', published: '2025-01-14T10:00:00-05:00' }
 */
export function parseFeed(body: string, contentType: string | null, feedUrl: string): FeedItem[] {
  const text = body.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return parseJsonFeed(start, feedUrl);
  if (start.startsWith('<')) return parseXmlFeed(start, feedUrl);
  const got = contentType ? ` (got ${contentType.split(';')[0]!.trim()})` : '';
  throw new FeedFormatError(`not RSS, Atom or JSON Feed${got}`);
}

// ---- XML: RSS 2.0, RSS 1.0 and Atom ----

/** A node as fast-xml-parser gives it with preserveOrder: `{ tag: children, ':@': attributes }` or text. */
type XmlNode = Record<string, unknown>;

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, after CDATA has been told apart from text.
  processEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The XML declaration, comments and a DOCTYPE before the root element. */
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\]\s*)?>)*/i;

function parseXmlFeed(xml: string, feedUrl: string): FeedItem[] {
  const prolog = PROLOG.exec(xml)?.[0] ?? '';
  const root = /^<([A-Za-z_][\w:.-]*)/.exec(xml.slice(prolog.length))?.[1];
  if (!root) throw new FeedFormatError('not a feed: no XML root element');
  if (root.toLowerCase() === 'html') throw new FeedFormatError('not RSS, Atom or JSON Feed (got an HTML page)');
  const kind = localName(root);
  if (kind !== 'rss' && kind !== 'feed' && kind !== 'RDF') {
    throw new FeedFormatError(`not RSS, Atom or JSON Feed (root element <${root}>)`);
  }
  if (/<!ENTITY/i.test(prolog)) throw new FeedFormatError('not a feed: declares its own XML entities (refused)');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const why = valid.err.msg.replace(/\s+/g, ' ');
    throw new FeedFormatError(`not a feed: malformed XML at line ${valid.err.line} (${why})`);
  }
  const rootNode = (xmlParser.parse(xml) as XmlNode[]).find((node) => tagName(node) === root);
  if (!rootNode) throw new FeedFormatError('not a feed: no XML root element');
  if (kind === 'rss') return rssItems(rootNode, feedUrl);
  if (kind === 'feed') return atomItems(rootNode, feedUrl);
  return rdfItems(rootNode, feedUrl);
}

function rssItems(rss: XmlNode, feedUrl: string): FeedItem[] {
  const channel = child(rss, 'channel');
  if (!channel) throw new FeedFormatError('not a feed: RSS without a <channel>');
  return childrenNamed(channel, 'item').map((item) => {
    const guidNode = child(item, 'guid');
    const guid = nonEmpty(collapse(textOf(guidNode)));
    const permalink = guid && attribute(guidNode, 'isPermaLink')?.toLowerCase() !== 'false' ? guid : null;
    return {
      guid,
      link: absoluteLink(collapse(textOf(child(item, 'link'))), feedUrl) ?? absoluteLink(permalink, feedUrl),
      title: htmlLine(textOf(child(item, 'title'))),
      summary: htmlToText(textOf(child(item, 'description'))) || htmlToText(textOf(child(item, 'content:encoded'))),
      published: isoDateTime(textOf(child(item, 'pubDate')) || textOf(child(item, 'dc:date'))),
    };
  });
}

function rdfItems(rdf: XmlNode, feedUrl: string): FeedItem[] {
  return childrenNamed(rdf, 'item').map((item) => ({
    guid: nonEmpty(attribute(item, 'rdf:about') ?? ''),
    link: absoluteLink(collapse(textOf(child(item, 'link'))), feedUrl),
    title: htmlLine(textOf(child(item, 'title'))),
    summary: htmlToText(textOf(child(item, 'description'))) || htmlToText(textOf(child(item, 'content:encoded'))),
    published: isoDateTime(textOf(child(item, 'dc:date'))),
  }));
}

function atomItems(feed: XmlNode, feedUrl: string): FeedItem[] {
  const feedBase = resolveUrl(attribute(feed, 'xml:base'), feedUrl) ?? feedUrl;
  return childrenNamed(feed, 'entry').map((entry) => {
    const base = resolveUrl(attribute(entry, 'xml:base'), feedBase) ?? feedBase;
    const content = child(entry, 'content');
    return {
      guid: nonEmpty(collapse(textOf(child(entry, 'id')))),
      link: absoluteLink(atomLink(entry), base),
      title: collapse(atomText(child(entry, 'title'))),
      summary: atomText(child(entry, 'summary')) || (attribute(content, 'src') ? '' : atomText(content)),
      published: isoDateTime(textOf(child(entry, 'published')) || textOf(child(entry, 'updated'))),
    };
  });
}

/** The entry's page: the `alternate` link (an HTML one first), else the first link without a rel. */
function atomLink(entry: XmlNode): string | null {
  const links = childrenNamed(entry, 'link').filter((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate');
  const html = links.find((link) => /html/i.test(attribute(link, 'type') ?? 'text/html'));
  return attribute(html ?? links[0], 'href');
}

/** An Atom text construct as plain text, by its type: text, html or xhtml. */
function atomText(node: XmlNode | undefined): string {
  if (!node) return '';
  const type = attribute(node, 'type') ?? 'text';
  if (type === 'html' || type === 'text/html') return htmlToText(textOf(node));
  if (type === 'xhtml' || type === 'application/xhtml+xml') return htmlToText(markupOf(children(node)));
  return collapse(textOf(node));
}

function tagName(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function children(node: XmlNode | undefined): XmlNode[] {
  const name = node && tagName(node);
  const value = name ? node[name] : undefined;
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return children(node).filter((c) => tagName(c) === name);
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  return children(node).find((c) => tagName(c) === name);
}

function attribute(node: XmlNode | undefined, name: string): string | null {
  const attributes = node?.[':@'] as Record<string, string> | undefined;
  const value = attributes?.[`@_${name}`];
  return typeof value === 'string' ? decodeXml(value) : null;
}

/** The decoded text of a node and its descendants; CDATA sections are taken as they are. */
function textOf(node: XmlNode | undefined): string {
  if (!node) return '';
  if (typeof node['#text'] === 'string') return decodeXml(node['#text']);
  if (Array.isArray(node['#cdata'])) return (node['#cdata'] as XmlNode[]).map((c) => String(c['#text'] ?? '')).join('');
  return children(node).map(textOf).join('');
}

/** Nodes written back as markup, for Atom's xhtml content. */
function markupOf(nodes: XmlNode[]): string {
  return nodes
    .map((node) => {
      if (typeof node['#text'] === 'string') return node['#text'];
      if (node['#cdata'] !== undefined) return escapeXml(textOf(node));
      const name = tagName(node);
      return name ? `<${localName(name)}>${markupOf(children(node))}</${localName(name)}>` : '';
    })
    .join('');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else is left as written. */
function decodeXml(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi, (whole, dec, hex, name) => {
    if (name) return XML_ENTITIES[(name as string).toLowerCase()] ?? whole;
    const code = dec ? Number.parseInt(dec as string, 10) : Number.parseInt(hex as string, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---- JSON Feed ----

function parseJsonFeed(text: string, feedUrl: string): FeedItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FeedFormatError(`not a feed: malformed JSON (${(e as Error).message})`);
  }
  if (
    !isRecord(data) ||
    typeof data.version !== 'string' ||
    !/^https?:\/\/jsonfeed\.org\/version\//.test(data.version)
  ) {
    throw new FeedFormatError('not RSS, Atom or JSON Feed (JSON without a jsonfeed.org version)');
  }
  if (!Array.isArray(data.items)) throw new FeedFormatError('not a feed: JSON Feed without an items array');
  return data.items.filter(isRecord).map((item) => ({
    guid: item.id === undefined || item.id === null ? null : nonEmpty(String(item.id).trim()),
    link: absoluteLink(stringField(item, 'url') ?? stringField(item, 'external_url'), feedUrl),
    title: collapse(stringField(item, 'title') ?? ''),
    summary:
      stringField(item, 'summary')?.trim() ||
      stringField(item, 'content_text')?.trim() ||
      htmlToText(stringField(item, 'content_html') ?? ''),
    published: isoDateTime(stringField(item, 'date_published') ?? stringField(item, 'date_modified') ?? ''),
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(item: Record<string, unknown>, name: string): string | null {
  const value = item[name];
  return typeof value === 'string' ? value : null;
}

// ---- shared ----

/** A one-line field that may carry HTML or escaped entities (RSS titles often do). */
function htmlLine(text: string): string {
  return collapse(/[<&]/.test(text) ? htmlToText(text) : text);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function nonEmpty(text: string): string | null {
  return text === '' ? null : text;
}

function resolveUrl(href: string | null, base: string): string | null {
  if (!href) return null;
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}

/** An item link made absolute; only http(s) links are kept. */
function absoluteLink(href: string | null, base: string): string | null {
  const url = resolveUrl(href?.trim() || null, base);
  return url && /^https?:/.test(url) ? url : null;
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const ZONES: Record<string, string> = {
  GMT: 'Z',
  UT: 'Z',
  UTC: 'Z',
  Z: 'Z',
  EST: '-05:00',
  EDT: '-04:00',
  CST: '-06:00',
  CDT: '-05:00',
  MST: '-07:00',
  MDT: '-06:00',
  PST: '-08:00',
  PDT: '-07:00',
};
const ISO = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;
const RFC822 =
  /^(?:[a-z]{3,9},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?$/i;

/** A feed date (RFC 3339 or RFC 822, or anything Date.parse reads) as ISO 8601, else null. */
function isoDateTime(value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (ISO.test(text)) return Number.isNaN(Date.parse(text)) ? null : text.replace(/[t ]/, 'T').replace(/z$/, 'Z');
  const rfc = RFC822.exec(text);
  const fromRfc = rfc ? rfc822ToIso(rfc) : null;
  if (fromRfc) return fromRfc;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function rfc822ToIso(match: RegExpExecArray): string | null {
  const [, day, monthName, yearText, hour, minute, second = '00', zoneText = 'GMT'] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase()) + 1;
  const zone = /^[+-]\d{4}$/.test(zoneText)
    ? `${zoneText.slice(0, 3)}:${zoneText.slice(3)}`
    : ZONES[zoneText.toUpperCase()];
  if (month === 0 || !zone) return null;
  const year = yearText!.length === 2 ? 2000 + Number(yearText) - (Number(yearText) >= 70 ? 100 : 0) : Number(yearText);
  const two = (n: string | number) => String(n).padStart(2, '0');
  const iso = `${year}-${two(month)}-${two(day!)}T${two(hour!)}:${minute}:${second}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}
