/**
 * Entries from a dropped or picked file (a `File` or any `Blob`), in the browser or a worker: the
 * same formats as the Node loaders (pymatgen entry dicts, formation-energy records, Materials
 * Project API documents, CSV), gzip detected by its magic bytes, the text streamed through
 * `DecompressionStream` and a strict UTF-8 decoder (utf8.ts) into the reader both loaders share (`EntryStream`).
 */
import type { Entry } from '../core/index.js';
import { type CsvCandidates, csvChunks } from './csv-chunks.js';
import { EntryStream } from './entry-stream.js';
import { errorMessage, LoadError } from './load-error.js';
import { Utf8Text } from './utf8.js';
import type { EntryFormat, MpEnergyChoice } from './records.js';

export interface FileLoadOptions {
  /** `auto` (default): by name (`.csv`, `.json`, `.gz` stripped), else by the first character. */
  format?: EntryFormat;
  mpEnergy?: MpEnergyChoice;
  /** Name in error messages (default: the file's name). */
  source?: string;
  /** Entries read so far (about every 1000), and once at the end. */
  onProgress?: (entries: number, bytesRead: number, bytesTotal: number) => void;
  signal?: AbortSignal;
}

function nameOf(file: Blob, options: { source?: string }): string {
  return options.source ?? ((file as Partial<File>).name || 'file');
}

/**
 * Text pieces of a Blob (gunzipped when it starts with gzip's magic bytes). `signal` is checked
 * before each read; `onBytes` is told the size of each (compressed) byte chunk read. Stopped early,
 * it stops reading the file.
 */
async function* blobText(file: Blob, name: string, signal?: AbortSignal, onBytes?: (n: number) => void): AsyncGenerator<string, void, undefined> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  let bytes = file.stream() as ReadableStream<Uint8Array>;
  if (onBytes) {
    bytes = bytes.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, ctl) {
          onBytes(chunk.byteLength);
          ctl.enqueue(chunk);
        },
      }),
    );
  }
  if (gzipped) bytes = bytes.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = bytes.getReader();
  const utf8 = new Utf8Text(name);
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        if (gzipped) throw new LoadError(`${name}: cannot decompress (corrupt or truncated gzip): ${errorMessage(e)}`, { source: name }, { cause: e });
        throw e;
      }
      if (r.done) {
        finished = true;
        const last = utf8.end();
        if (last) yield last;
        return;
      }
      const text = utf8.decode(r.value);
      if (text) yield text;
    }
  } finally {
    // Stopped early (an error, a cancelled read): stop reading the file.
    if (!finished) await reader.cancel().catch(() => {});
  }
}

/** Reads every entry of `file`; errors are `LoadError`s naming the file, line or record, and id. */
export async function entriesFromFile(file: Blob, options: FileLoadOptions = {}): Promise<Entry[]> {
  const name = nameOf(file, options);
  let bytesRead = 0;
  const stream = new EntryStream(name, { ...options, uniqueIds: true });
  const out: Entry[] = [];
  let reported = 0;
  for await (const piece of blobText(file, name, options.signal, (n) => (bytesRead += n))) {
    stream.push(piece, out);
    if (options.onProgress && out.length - reported >= 1000) {
      reported = out.length;
      options.onProgress(out.length, bytesRead, file.size);
    }
  }
  stream.end(out);
  options.onProgress?.(out.length, bytesRead, file.size);
  return out;
}

/**
 * Candidates of a dropped CSV file (optionally gzipped) for `screenStability` on an engine: the
 * file's text is cut into chunks of whole lines that the engine's workers parse themselves (see
 * `csvCandidates` in Node), so the page's thread only decompresses and slices.
 */
export function csvCandidatesFromFile(file: Blob, options: Pick<FileLoadOptions, 'source'> = {}): CsvCandidates {
  const name = nameOf(file, options);
  return { kind: 'csv-chunks', source: name, chunks: csvChunks(blobText(file, name), name) };
}
