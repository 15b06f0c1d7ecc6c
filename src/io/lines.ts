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

  /** `firstLine`: number of the first line pushed (default 1). */
  constructor(firstLine = 1) {
    this.no = firstLine - 1;
  }

  /** Number of the line `next` returned last. */
  get lineNo(): number {
    return this.no;
  }

  /** Adds a piece of text: a line may span pieces. */
  push(piece: string): void {
    const text = this.text;
    this.text = this.start < text.length ? text.slice(this.start) + piece : piece;
    this.start = 0;
  }

  /** No more pieces: the text after the last newline is a line too. */
  end(): void {
    this.ended = true;
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
