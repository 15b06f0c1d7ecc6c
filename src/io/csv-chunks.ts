/**
 * Candidates as chunks of whole CSV lines: the high-throughput path of the stability screen. The
 * calling thread only cuts the text into chunks (about 96K characters each, whole lines, each
 * with its header and line numbers); whoever screens a chunk reads it (screen/csv-candidates.ts).
 * Browser-safe.
 */
import { headerText } from './csv-reader.js';
import { countLines, LineSplitter } from './lines.js';

/** Whole lines of a CSV file, with the header they belong to. */
export interface CsvChunk {
  /** File name (or another label) for messages. */
  readonly source: string;
  /** The header line, and its line number (1-based). */
  readonly header: string;
  readonly headerLine: number;
  /** Lines after the header, `\n`-separated (no partial line). */
  readonly text: string;
  /** Line number of the first line of `text`. */
  readonly firstLine: number;
}

/** Candidates as CSV chunks (`csvCandidates(file)` in Node, `csvCandidatesFromText` anywhere). */
export interface CsvCandidates {
  readonly kind: 'csv-chunks';
  readonly source: string;
  readonly chunks: AsyncIterable<CsvChunk> | Iterable<CsvChunk>;
}

export function isCsvCandidates(x: unknown): x is CsvCandidates {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'csv-chunks';
}

/**
 * Target size of a chunk of CSV text (characters): a few thousand rows, and under V8's
 * large-object size (~128K), so that a chunk's strings die young instead of waiting for a full GC
 * (a million-row screen's heap grew by ~100 MB of dead chunks).
 */
export const CSV_CHUNK_CHARS = 96 * 1024;

/**
 * Cuts a stream of text pieces (any sizes) into `CsvChunk`s of whole lines: the first non-blank
 * line is the header (found line by line, as `CsvEntryReader` finds it); a file without one yields
 * nothing (the screen then reports "no entries"). After the header the text is cut in blocks, not
 * split into lines; the pieces are kept apart until cut (no string longer than a chunk is built).
 */
export async function* csvChunks(pieces: AsyncIterable<string> | Iterable<string>, source: string, chunkChars = CSV_CHUNK_CHARS): AsyncGenerator<CsvChunk, void, undefined> {
  const lines = new LineSplitter(); // until the header
  let header: string | undefined;
  let headerLine = 0;
  let lineNo = 0; // number of the first line in `pending`
  const pending = new PendingText(); // text after the header, not cut yet
  const findHeader = (): void => {
    for (let line = lines.next(); line !== undefined; line = lines.next()) {
      header = headerText(line, lines.lineNo, source);
      if (header === undefined) continue;
      headerLine = lines.lineNo;
      lineNo = headerLine + 1;
      pending.push(lines.rest());
      return;
    }
  };
  const take = (final: boolean): CsvChunk | undefined => {
    if (header === undefined || pending.length === 0) return undefined;
    if (!final && pending.length < chunkChars) return undefined;
    // Whole lines, about chunkChars of them (a longer line whole).
    let cut = pending.length <= chunkChars ? -1 : pending.lastNewline(chunkChars);
    if (cut < 0) cut = pending.nextNewline(chunkChars);
    if (cut < 0) {
      if (!final) return undefined;
      cut = pending.length;
    }
    const text = pending.take(cut);
    const chunk: CsvChunk = { source, header, headerLine, text, firstLine: lineNo };
    lineNo += countLines(text);
    return chunk;
  };
  for await (const piece of pieces as AsyncIterable<string>) {
    if (header !== undefined) pending.push(piece);
    else {
      lines.push(piece);
      findHeader();
    }
    let c: CsvChunk | undefined;
    while ((c = take(false))) yield c;
  }
  if (header === undefined) {
    lines.end();
    findHeader();
  }
  let c: CsvChunk | undefined;
  while ((c = take(true))) yield c;
}

/** Text in pieces, cut from the front at newlines. */
class PendingText {
  private parts: string[] = [];
  length = 0;

  push(piece: string): void {
    if (!piece) return;
    this.parts.push(piece);
    this.length += piece.length;
  }

  /** Position of the last '\n' at or before `at`, or -1. */
  lastNewline(at: number): number {
    let start = 0;
    let found = -1;
    for (const p of this.parts) {
      if (start > at) break;
      const i = p.lastIndexOf('\n', at - start);
      if (i >= 0) found = start + i;
      start += p.length;
    }
    return found;
  }

  /** Position of the first '\n' at or after `at`, or -1. */
  nextNewline(at: number): number {
    let start = 0;
    for (const p of this.parts) {
      if (start + p.length > at) {
        const i = p.indexOf('\n', Math.max(0, at - start));
        if (i >= 0) return start + i;
      }
      start += p.length;
    }
    return -1;
  }

  /** The text before position `cut` (a newline, dropped, or the end). */
  take(cut: number): string {
    const head: string[] = [];
    let start = 0;
    let k = 0;
    while (k < this.parts.length && start + this.parts[k]!.length <= cut) {
      head.push(this.parts[k]!);
      start += this.parts[k++]!.length;
    }
    const rest = this.parts.slice(k);
    if (rest.length) {
      // The cut falls inside this part (with none left, the whole text is taken).
      head.push(rest[0]!.slice(0, cut - start));
      rest[0] = rest[0]!.slice(cut - start + 1);
    }
    this.parts = rest.filter((p) => p.length > 0);
    this.length = Math.max(0, this.length - cut - 1);
    return head.length === 1 ? head[0]! : head.join('');
  }
}

/** Names a chunk in messages: its file and lines. */
export function describeChunk(chunk: CsvChunk): string {
  return `${chunk.source} lines ${chunk.firstLine}-${chunk.firstLine + countLines(chunk.text) - 1}`;
}

/** CSV candidates from text in memory (a dropped file's contents, a string). */
export function csvCandidatesFromText(text: string, source = 'CSV'): CsvCandidates {
  return { kind: 'csv-chunks', source, chunks: csvChunks([text], source) };
}
