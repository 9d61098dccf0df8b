/**
 * A small terminal emulator for tests: an output stream that keeps a grid of rows, as a terminal
 * would show them. It understands what node:readline writes (printable text wrapping at `columns`,
 * `\r`, `\n`, and the CSI sequences for moving the cursor, `G` for column and `J`/`K` for erasing),
 * which is enough to check what a person would see after a redraw.
 */
import { Writable } from 'node:stream';

export class VirtualScreen extends Writable {
  /** Everything written, escape codes included. */
  raw = '';
  readonly isTTY = false;
  private grid: string[][] = [[]];
  private row = 0;
  private col = 0;

  constructor(readonly columns: number) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    const text = chunk.toString();
    this.raw += text;
    this.feed(text);
    done();
  }

  /** The visible rows, trailing spaces and trailing empty rows removed. */
  lines(): string[] {
    const rows = this.grid.map((r) =>
      Array.from(r, (c) => c ?? ' ')
        .join('')
        .trimEnd(),
    );
    while (rows.length > 0 && rows.at(-1) === '') rows.pop();
    return rows;
  }

  /** The row the cursor is on, trailing spaces removed. */
  cursorLine(): string {
    return Array.from(this.grid[this.row] ?? [], (c) => c ?? ' ')
      .join('')
      .trimEnd();
  }

  private feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (ch === '\u001b' && text[i + 1] === '[') {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: parsing escape sequences is the point.
        const m = /^\u001b\[([0-9;]*)([A-Za-z])/.exec(text.slice(i));
        if (!m) throw new Error(`screen: unknown escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.csi(m[2] as string, m[1] ? Number(m[1]) : undefined);
        i += m[0].length - 1;
      } else if (ch === '\r') this.col = 0;
      else if (ch === '\n') {
        // A terminal's output processing turns "\n" into a new line at column 0.
        this.row++;
        this.col = 0;
      } else {
        // Pending wrap, as in xterm: the cursor stays past the last column until the next character.
        if (this.col >= this.columns) {
          this.row++;
          this.col = 0;
        }
        this.rowCells()[this.col] = ch;
        this.col++;
      }
    }
  }

  private csi(final: string, n: number | undefined): void {
    const by = n ?? 1;
    if (final === 'A') this.row = Math.max(0, this.row - by);
    else if (final === 'B') this.row += by;
    else if (final === 'C') this.col = Math.min(this.columns - 1, this.col + by);
    else if (final === 'D') this.col = Math.max(0, this.col - by);
    else if (final === 'G') this.col = by - 1;
    else if (final === 'J' && (n ?? 0) === 0) {
      this.rowCells().length = Math.min(this.rowCells().length, this.col);
      this.grid.length = this.row + 1;
    } else if (final === 'K' && (n ?? 0) === 0) this.rowCells().length = Math.min(this.rowCells().length, this.col);
    else if (final === 'K' && n === 2) this.grid[this.row] = [];
    else throw new Error(`screen: unsupported CSI ${n ?? ''}${final}`);
  }

  private rowCells(): string[] {
    while (this.grid.length <= this.row) this.grid.push([]);
    return this.grid[this.row] as string[];
  }
}
