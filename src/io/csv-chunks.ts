/**
 * Candidates as chunks of whole CSV lines: the high-throughput path of the stability screen. The
 * calling thread only cuts the text into chunks (about 64K characters each, whole lines, each
 * with its header and line numbers); whoever screens a chunk reads it (screen/csv-candidates.ts).
 * Browser-safe.
 */
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

/** Target size of a chunk of CSV text (characters): a few thousand rows. */
export const CSV_CHUNK_CHARS = 1 << 16;

/**
 * Cuts a stream of text pieces (any sizes) into `CsvChunk`s of whole lines: the first non-blank
 * line is the header; a file without one yields nothing (the screen then reports "no entries").
 */
export async function* csvChunks(pieces: AsyncIterable<string> | Iterable<string>, source: string, chunkChars = CSV_CHUNK_CHARS): AsyncGenerator<CsvChunk, void, undefined> {
  let header: string | undefined;
  let headerLine = 0;
  let lineNo = 1; // number of the first line in `pending`
  let pending = '';
  const take = (final: boolean): CsvChunk | undefined => {
    for (;;) {
      if (header === undefined) {
        const nl = pending.indexOf('\n');
        if (nl < 0 && !final) return undefined;
        const line = nl < 0 ? pending : pending.slice(0, nl);
        const bare = lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
        if (nl < 0 && line.length === 0) return undefined;
        pending = nl < 0 ? '' : pending.slice(nl + 1);
        if (bare.trim() === '') {
          lineNo++;
          continue;
        }
        header = bare;
        headerLine = lineNo++;
        continue;
      }
      if (pending.length === 0) return undefined;
      if (!final && pending.length < chunkChars) return undefined;
      // Whole lines, about chunkChars of them (a longer line whole).
      let cut = pending.length <= chunkChars ? -1 : pending.lastIndexOf('\n', chunkChars);
      if (cut < 0) cut = pending.indexOf('\n', chunkChars);
      if (cut < 0) {
        if (!final) return undefined;
        cut = pending.length;
      }
      const text = pending.slice(0, cut);
      pending = pending.slice(cut + 1);
      const chunk: CsvChunk = { source, header, headerLine, text, firstLine: lineNo };
      lineNo += countLines(text);
      return chunk;
    }
  };
  for await (const piece of pieces as AsyncIterable<string>) {
    pending += piece;
    let c: CsvChunk | undefined;
    while ((c = take(false))) yield c;
  }
  let c: CsvChunk | undefined;
  while ((c = take(true))) yield c;
}

/** Names a chunk in messages: its file and lines. */
export function describeChunk(chunk: CsvChunk): string {
  return `${chunk.source} lines ${chunk.firstLine}-${chunk.firstLine + countLines(chunk.text) - 1}`;
}

/** Lines in `text` (its newlines + 1). */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** CSV candidates from text in memory (a dropped file's contents, a string). */
export function csvCandidatesFromText(text: string, source = 'CSV'): CsvCandidates {
  return { kind: 'csv-chunks', source, chunks: csvChunks([text], source) };
}
