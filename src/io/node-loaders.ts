/**
 * Node file loaders (fs, zlib): entries from pymatgen entry dicts, formation-energy records,
 * Materials Project API documents (JSON arrays, optionally gzipped) and CSV tables. Files are
 * read in text pieces and streamed through `EntryStream` (entry-stream.ts, browser-safe, shared
 * with the Blob loader): JSON one record at a time (`structure` values skipped unbuilt), CSV line
 * by line.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Entry } from '../core/index.js';
import { type CsvCandidates, csvChunks } from './csv-chunks.js';
import { EntryStream, formatByName } from './entry-stream.js';
import { LoadError } from './load-error.js';
import { Utf8Text } from './utf8.js';
import { type EntryFormat, entriesFromRecords, type MpEnergyChoice } from './records.js';

export { entriesFromCsv } from './csv-reader.js';
export { LoadError } from './load-error.js';
export { detectRecordFormat, type EntryFormat, entriesFromRecords, type MpEnergyChoice, type RecordFormat } from './records.js';

export interface LoadOptions {
  /**
   * `auto` (default): `.csv`/`.csv.gz` → CSV, `.json`/`.json.gz` → JSON, other names by their
   * first character (`[`/`{` → JSON); a JSON file's record format is then detected from its first
   * record. Give `csv`, `pymatgen`, `formation` or `mp-api` to force one.
   */
  format?: EntryFormat;
  /** Materials Project documents: `total` (corrected total energy), `formation`, or `auto`. */
  mpEnergy?: MpEnergyChoice;
  /** Called with the number of entries loaded so far: after each chunk that adds up to ≥ 1000 entries since the last call, and once at the end. */
  onProgress?: (n: number) => void;
  /** JSON keys whose values are skipped unbuilt (default `DEFAULT_SKIP_KEYS`: structure, …). */
  skipKeys?: Iterable<string>;
}

const CHUNK = 1 << 16;
// Decompressed text read ahead of the reader: the gunzip works on libuv's thread pool while the
// calling thread is busy with what it read (a screen's rows), not only when the next piece is asked for.
const READ_AHEAD = 1 << 21;

/** Text chunks of a (possibly gzipped — detected by magic bytes) file; invalid UTF-8 is a LoadError naming the byte and line. */
async function* textChunks(path: string): AsyncGenerator<string, void, undefined> {
  let gzipped = false;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    gzipped = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  let stream: Readable = raw;
  if (gzipped) {
    // The options reach the stream (Transform) too: Node's ZlibOptions type omits its high-water mark.
    const options = { chunkSize: CHUNK, readableHighWaterMark: READ_AHEAD };
    const gunzip = createGunzip(options);
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  const utf8 = new Utf8Text(path);
  try {
    for await (const chunk of stream) yield utf8.decode(chunk as Buffer);
    const last = utf8.end();
    if (last) yield last;
  } catch (e) {
    if (e instanceof LoadError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (gzipped && err.code?.startsWith('Z_')) {
      throw new LoadError(`${path}: cannot decompress (corrupt or truncated gzip): ${err.message}`, { source: path }, { cause: e });
    }
    throw e;
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** Entries in batches (one batch per text piece that completes any), the core of both public loaders. */
async function* entryBatches(path: string, options: LoadOptions & { uniqueIds?: boolean }): AsyncGenerator<Entry[], void, undefined> {
  const stream = new EntryStream(path, options);
  let reported = 0;
  const progress = (): void => {
    const count = stream.entries;
    if (options.onProgress && count - reported >= 1000) {
      reported = count - (count % 1000);
      options.onProgress(count);
    }
  };
  for await (const piece of textChunks(path)) {
    const batch: Entry[] = [];
    stream.push(piece, batch);
    if (batch.length) {
      progress();
      yield batch;
    }
  }
  const batch: Entry[] = [];
  stream.end(batch);
  if (batch.length) {
    progress();
    yield batch;
  }
  options.onProgress?.(stream.entries);
}

/**
 * Streams the entries of a file, one at a time, without holding the file (or any structure)
 * in memory. Errors (`LoadError`) name the file, record index or line, and the entry id;
 * a file without entries throws "no entries in <file>" once exhausted.
 */
export async function* streamEntries(path: string, options: LoadOptions = {}): AsyncGenerator<Entry, void, undefined> {
  for await (const batch of entryBatches(path, options)) yield* batch;
}

/** Loads all entries of a file (see `streamEntries` and `LoadOptions`); an id given to two compositions is refused, naming both lines. */
export async function loadEntries(path: string, options: LoadOptions = {}): Promise<Entry[]> {
  const whole = await wholeJsonEntries(path, options);
  if (whole) return whole;
  const out: Entry[] = [];
  for await (const batch of entryBatches(path, { ...options, uniqueIds: true })) for (const e of batch) out.push(e);
  return out;
}

// A JSON file up to this size is read whole and parsed by JSON.parse (several times faster than
// the streaming reader, whose point is memory); larger ones stream.
const WHOLE_JSON_BYTES = 32 << 20;

/**
 * The entries of a small JSON file (by name or format) read in one piece, or undefined: then the
 * streaming reader runs, also whenever anything here fails — it names the file, record and line
 * of what is wrong, so every error still comes from it.
 */
async function wholeJsonEntries(path: string, options: LoadOptions): Promise<Entry[] | undefined> {
  const format = options.format ?? 'auto';
  if (options.onProgress || options.skipKeys || format === 'csv' || (format === 'auto' && formatByName(path) !== 'json')) return undefined;
  try {
    if ((await stat(path)).size > WHOLE_JSON_BYTES) return undefined;
    const bytes = await readFile(path);
    const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    // Strict UTF-8: an invalid byte falls through to the streaming reader, which names its line.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(gzipped ? gunzipSync(bytes) : bytes);
    const records: unknown = JSON.parse(text);
    const parse = { source: path, format, ...(options.mpEnergy ? { mpEnergy: options.mpEnergy } : {}) };
    return entriesFromRecords(records as unknown[], parse);
  } catch {
    // Any fault (bad bytes, bad JSON, a bad record): the streaming reader finds it and names it.
    return undefined;
  }
}

/**
 * Candidates of a CSV file (optionally gzipped) for `screenStability`, unparsed: the file is cut
 * into chunks of whole lines that the engine's workers read themselves, so the main thread does
 * not parse millions of rows. Same rows, errors and messages as `streamEntries(file)`.
 * `chunkChars`: the size of a chunk (default CSV_CHUNK_CHARS, 96K characters: a few thousand rows).
 */
export function csvCandidates(path: string, options: { chunkChars?: number } = {}): CsvCandidates {
  const size = options.chunkChars;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) throw new RangeError(`chunkChars must be a whole number >= 1, got ${String(size)}`);
  return { kind: 'csv-chunks', source: path, chunks: csvChunks(textChunks(path), path, size) };
}

/**
 * Candidates of a file for `screenStability`: a CSV file (`.csv`, `.csv.gz`) unparsed, for the
 * engine's workers to read (`csvCandidates`, chunks of `chunkChars`); any other file streamed as entries.
 */
export function candidatesOf(path: string, options: LoadOptions & { chunkChars?: number } = {}): CsvCandidates | AsyncGenerator<Entry, void, undefined> {
  const { chunkChars, ...load } = options;
  const format = load.format ?? 'auto';
  return format === 'csv' || (format === 'auto' && formatByName(path) === 'csv') ? csvCandidates(path, chunkChars === undefined ? {} : { chunkChars }) : streamEntries(path, load);
}
