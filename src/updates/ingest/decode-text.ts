/**
 * Bytes of a document to ingest → normalised text. Only whitespace and line endings change; every
 * word stays as written, so a paragraph cited later is the paragraph as published.
 */

/** Why a document's bytes are not usable text. */
export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes UTF-8 strictly: invalid bytes, a UTF-16 byte-order mark, NUL or other control
 * characters (a binary file, or UTF-16 read as bytes) are refused rather than guessed at. A
 * UTF-8 BOM is dropped.
 *
 * @example decodeText(Buffer.from('title: T\r\n')) // 'title: T\r\n'
 */
export function decodeText(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new EncodingError('is UTF-16; save it as UTF-8');
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new EncodingError(`is not valid UTF-8 (${whereInvalid(bytes)}); save it as UTF-8`);
  }
  // The loader treats U+FFFD as the mark of a botched conversion; refusing it here says so early.
  if (text.includes('\uFFFD')) throw new EncodingError('contains U+FFFD replacement characters from a bad conversion');
  const control = firstControl(text);
  if (control >= 0) {
    const code = text.charCodeAt(control).toString(16).padStart(4, '0');
    throw new EncodingError(`contains control character U+${code}; is it a binary file?`);
  }
  return text;
}

/** Index of the first C0 control character other than tab, LF, CR (or DEL), else -1. */
function firstControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) return i;
  }
  return -1;
}

/** `line N, byte M` of the first byte that is not UTF-8, for the error message. */
function whereInvalid(bytes: Uint8Array): string {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const prefix = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
  const line = prefix.split('\n').length;
  return `line ${line}, byte ${Buffer.byteLength(prefix, 'utf8')}`;
}

/**
 * Normalises whitespace and line endings without touching words: Unicode NFC, CRLF / CR → LF, form
 * feeds → blank lines, no
 * trailing spaces, lines holding only spaces made empty, runs of blank lines collapsed to one,
 * no leading or trailing blank lines. Lines inside a paragraph are kept as they are.
 *
 * @example normalizeText('A \r\n\r\n\r\n\r\nB\r\n') // 'A\n\nB\n'
 */
export function normalizeText(text: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // A form feed (a page break in text taken from a PDF) separates paragraphs.
    .replace(/\f/g, '\n\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0\u2000-\u200b\u3000]+$/u, ''));
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length ? `${out.join('\n')}\n` : '';
}
