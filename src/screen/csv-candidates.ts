/**
 * Stability screening straight from CSV text: the high-throughput path. The main thread only cuts
 * the file into chunks of whole lines; parsing, packing and solving happen where the chunk is
 * screened (an engine worker, or this thread), and the result comes back as flat arrays in input
 * order. Rows, errors and their messages are those of `streamEntries` + `screenStability`: the
 * lines go through the same `CsvEntryReader` and `CandidatePacker`. Browser-safe.
 */
import { CandidatePacker, describeEntry } from './candidate-packer.js';
import type { ReferenceHull, StabilityFlags } from '../thermo/reference-hull.js';
import { entryToData, type Entry, type EntryData } from '../core/entry.js';
import { CsvEntryReader, LoadError } from '../io/parse-entries.js';

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

/** Screened rows of one chunk, in input order (structured-clone friendly). */
export interface CsvChunkResult {
  /** Candidate rows read (blank lines are not rows). */
  readonly rows: number;
  readonly ids: string[];
  /** pymatgen `formula` of each row. */
  readonly formulas: string[];
  /** Formation energy per atom in the reference's scale. */
  readonly eForm: Float64Array;
  readonly eAboveHull: Float64Array;
  /** 0 screened, 1 failed (see `failures`), 2 skipped (unknown elements, `skip`). */
  readonly status: Uint8Array;
  readonly decompOffsets: Int32Array;
  readonly decompPoints: Int32Array;
  readonly decompFractions: Float64Array;
  /** Failed rows: position, message, and what rebuilds the entry for a ScreenError. */
  readonly failures: Array<{ position: number; message: string; entry: EntryData }>;
  /** A malformed line ends the chunk: the rows before it are valid. */
  readonly loadError?: { message: string; source: string; line?: number; id?: string };
}

/** Reads, packs and screens one chunk against a reference index. */
export function screenCsvChunk(hull: ReferenceHull, chunk: CsvChunk, unknown: 'error' | 'skip'): CsvChunkResult {
  const reader = new CsvEntryReader({ source: chunk.source });
  const entries: Entry[] = [];
  let loadError: CsvChunkResult['loadError'];
  const text = chunk.text;
  let start = 0;
  let lineNo = chunk.firstLine;
  try {
    reader.line(chunk.header, chunk.headerLine);
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const e = reader.line(text.slice(start, end), lineNo++);
      if (e) entries.push(e);
      start = end + 1;
    }
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    loadError = { message: e.message, source: e.source, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.id !== undefined ? { id: e.id } : {}) };
  }
  const n = entries.length;
  const status = new Uint8Array(n);
  const failures: Array<{ position: number; message: string; entry: EntryData }> = [];
  const failAt = (pos: number, message: string): void => {
    status[pos] = 1;
    failures.push({ position: pos, message, entry: entryToData(entries[pos]!) });
  };
  const packer = new CandidatePacker(hull.ref, unknown);
  const packed = packer.pack(entries, 0, (err) => failAt(err.index, err.message));
  const eForm = new Float64Array(n);
  const eAboveHull = new Float64Array(n).fill(NaN);
  // Where each screened row's phases are in the batch result (-1: not screened).
  const from = new Int32Array(n).fill(-1);
  const to = new Int32Array(n);
  // One batch: every candidate of the chunk, grouped by chemical system.
  const [b] = packed.batches(Math.max(1, n));
  const r = b ? hull.screen(b.batch) : undefined;
  if (b && r) {
    const failed = new Map((r.failures ?? []).map((f) => [f.position, f.message]));
    for (let c = 0; c < b.positions.length; c++) {
      const pos = b.positions[c]!;
      const why = failed.get(c);
      if (why !== undefined) {
        failAt(pos, `candidate ${describeEntry(entries[pos]!)}: ${why}`);
        continue;
      }
      eForm[pos] = b.batch.eForm[c]!;
      eAboveHull[pos] = r.eAboveHull[c]!;
      from[pos] = r.decompOffsets[c]!;
      to[pos] = r.decompOffsets[c + 1]!;
    }
  }
  let phases = 0;
  for (let pos = 0; pos < n; pos++) if (from[pos]! >= 0) phases += to[pos]! - from[pos]!;
  const decompOffsets = new Int32Array(n + 1);
  const decompPoints = new Int32Array(phases);
  const decompFractions = new Float64Array(phases);
  let at = 0;
  for (let pos = 0; pos < n; pos++) {
    if (from[pos]! >= 0) {
      decompPoints.set(r!.decompPoints.subarray(from[pos]!, to[pos]!), at);
      decompFractions.set(r!.decompFractions.subarray(from[pos]!, to[pos]!), at);
      at += to[pos]! - from[pos]!;
    } else if (status[pos] === 0) status[pos] = 2; // left out while packing, without a failure
    decompOffsets[pos + 1] = at;
  }
  failures.sort((a, b) => a.position - b.position);
  const ids = new Array<string>(n);
  const formulas = new Array<string>(n);
  for (let pos = 0; pos < n; pos++) {
    ids[pos] = entries[pos]!.id;
    formulas[pos] = entries[pos]!.composition.formula;
  }
  return {
    rows: n,
    ids,
    formulas,
    eForm,
    eAboveHull,
    status,
    decompOffsets,
    decompPoints,
    decompFractions,
    failures,
    ...(loadError ? { loadError } : {}),
  };
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
