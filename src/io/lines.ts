// Text pieces → numbered lines: the one line splitter (with the carry of a line cut between pieces)
// behind every per-line reader — CSV entries from a string, from streamed files and Blobs
// (entry-stream.ts), from a chunk being screened (screen/csv-candidates.ts), and the CSV header
// search of csvChunks. Pull-style (`next()`), so readers loop without a callback per line.

/**
 * Splits text arriving in pieces of any size into lines (without their `\n`; a `\r` is left for
 * the reader), counting line numbers. `push` pieces, take lines with `next` until it returns
 * `undefined`; after `end`, `next` also returns the last line if it has no newline (and is not
 * empty).
 */
export class LineSplitter {
  private text = '';
  /** Start of the first line not yet returned, in `text`. */
  private start = 0;
  private no: number;
  private ended = false;
  /** Pieces without a newline after the text (a line longer than a piece): joined once its end arrives. */
  private parts: string[] = [];

  /** `firstLine`: number of the first line pushed (default 1). */
  constructor(firstLine = 1) {
    this.no = firstLine - 1;
  }

  /** Number of the line `next` returned last. */
  get lineNo(): number {
    return this.no;
  }

  /** Adds a piece of text: a line may span pieces (a long one costs linear time: its pieces are joined once). */
  push(piece: string): void {
    if (this.start < this.text.length && piece.indexOf('\n') < 0) {
      this.parts.push(piece);
      return;
    }
    this.join(piece);
  }

  /** No more pieces: the text after the last newline is a line too. */
  end(): void {
    this.join('');
    this.ended = true;
  }

  private join(piece: string): void {
    const text = this.text;
    const head = this.start < text.length ? text.slice(this.start) : '';
    this.text = this.parts.length ? head + this.parts.join('') + piece : head + piece;
    this.parts = [];
    this.start = 0;
  }

  /** The next whole line, or `undefined` until more text is pushed (or, after `end`, at the end). */
  next(): string | undefined {
    const text = this.text;
    const start = this.start;
    let nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (!this.ended || start >= text.length) return undefined;
      nl = text.length;
    }
    this.start = nl + 1;
    this.no++;
    return text.slice(start, nl);
  }

  /** Takes the text not returned as lines yet (it starts at line `lineNo + 1`); the splitter is then empty. */
  rest(): string {
    this.join('');
    const r = this.start < this.text.length ? this.text.slice(this.start) : '';
    this.text = '';
    this.start = 0;
    return r;
  }
}

/** Lines in `text` (its newlines + 1). */
export function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
