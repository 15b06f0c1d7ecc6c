/**
 * Entries from a dropped or picked file (a `File` or any `Blob`), in the browser or a worker: the
 * same formats as the Node loaders (pymatgen entry dicts, formation-energy records, Materials
 * Project API documents, CSV), gzip detected by its magic bytes, the text streamed through
 * `DecompressionStream` / `TextDecoderStream` into the incremental CSV and JSON readers.
 */
import { csvChunks, type CsvCandidates } from './csv-chunks.js';
import type { Entry } from '../core/index.js';
import { CsvEntryReader, JsonArrayReader, LoadError, RecordConverter, type EntryFormat, type MpEnergyChoice } from './parse-entries.js';

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

/** Reads every entry of `file`; errors are `LoadError`s naming the file, line or record, and id. */
export async function entriesFromFile(file: Blob, options: FileLoadOptions = {}): Promise<Entry[]> {
  const name = options.source ?? ((file as Partial<File>).name || 'file');
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  let bytesRead = 0;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      bytesRead += chunk.byteLength;
      ctl.enqueue(chunk);
    },
  });
  let bytes: ReadableStream<Uint8Array> = (file.stream() as ReadableStream<Uint8Array>).pipeThrough(counted);
  if (gzipped) bytes = bytes.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();

  const format = options.format ?? 'auto';
  const base = name.toLowerCase().replace(/\.gz$/, '');
  let kind: 'csv' | 'json' | undefined = format === 'csv' ? 'csv' : format !== 'auto' ? 'json' : base.endsWith('.csv') ? 'csv' : base.endsWith('.json') ? 'json' : undefined;
  const out: Entry[] = [];
  let reported = 0;
  const progress = (): void => {
    if (options.onProgress && out.length - reported >= 1000) {
      reported = out.length;
      options.onProgress(out.length, bytesRead, file.size);
    }
  };
  let csv: CsvEntryReader | undefined;
  let json: JsonArrayReader | undefined;
  let conv: RecordConverter | undefined;
  let carry = '';
  let lineNo = 0;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      let chunk: string;
      try {
        const r = await reader.read();
        if (r.done) break;
        chunk = r.value;
      } catch (e) {
        if (gzipped) throw new LoadError(`${name}: cannot decompress (corrupt or truncated gzip): ${e instanceof Error ? e.message : String(e)}`, { source: name }, { cause: e });
        throw e;
      }
      if (chunk.length === 0) continue;
      if (kind === undefined) {
        const h = chunk.replace(/^[\ufeff\s]+/, '');
        if (h.length === 0) continue;
        kind = h.startsWith('[') || h.startsWith('{') ? 'json' : 'csv';
      }
      if (kind === 'csv') {
        csv ??= new CsvEntryReader({ source: name });
        const text = carry.length ? carry + chunk : chunk;
        let start = 0;
        for (;;) {
          const nl = text.indexOf('\n', start);
          if (nl < 0) break;
          const e = csv.line(text.slice(start, nl), ++lineNo);
          if (e) out.push(e);
          start = nl + 1;
        }
        carry = text.slice(start);
      } else {
        json ??= new JsonArrayReader({ source: name });
        conv ??= new RecordConverter({ source: name, ...(format !== 'auto' ? { format } : {}), ...(options.mpEnergy ? { mpEnergy: options.mpEnergy } : {}) });
        for (const el of json.push(chunk)) out.push(conv.convert(el.value, el.index, el.line));
      }
      progress();
    }
    if (csv && carry.length) {
      const e = csv.line(carry, ++lineNo);
      if (e) out.push(e);
    }
    if (json && conv) for (const el of json.end()) out.push(conv.convert(el.value, el.index, el.line));
  } finally {
    // Stops reading (a no-op once the file is done).
    void reader.cancel().catch(() => {});
  }
  if (out.length === 0) throw new LoadError(`no entries in ${name}`, { source: name });
  options.onProgress?.(out.length, bytesRead, file.size);
  return out;
}

/**
 * Candidates of a dropped CSV file (optionally gzipped) for `screenStability` on an engine: the
 * file's text is cut into chunks of whole lines that the engine's workers parse themselves (see
 * `csvCandidates` in Node), so the page's thread only decompresses and slices.
 */
export function csvCandidatesFromFile(file: Blob, options: Pick<FileLoadOptions, 'source'> = {}): CsvCandidates {
  const name = options.source ?? ((file as Partial<File>).name || 'file');
  async function* text(): AsyncGenerator<string, void, undefined> {
    const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
    let bytes = file.stream() as ReadableStream<Uint8Array>;
    const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (gzipped) bytes = bytes.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
    const reader = bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
    let finished = false;
    try {
      for (;;) {
        let r: ReadableStreamReadResult<string>;
        try {
          r = await reader.read();
        } catch (e) {
          if (gzipped) throw new LoadError(`${name}: cannot decompress (corrupt or truncated gzip): ${e instanceof Error ? e.message : String(e)}`, { source: name }, { cause: e });
          throw e;
        }
        if (r.done) {
          finished = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // Stopped early (an error, a cancelled screen): stop reading the file.
      if (!finished) await reader.cancel().catch(() => {});
    }
  }
  return { kind: 'csv-chunks', source: name, chunks: csvChunks(text(), name) };
}
