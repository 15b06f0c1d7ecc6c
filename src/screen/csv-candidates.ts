/**
 * Stability screening straight from CSV text: a chunk of lines (io/csv-chunks.ts) is read, packed
 * and solved where it is screened (an engine worker, or this thread), and the result comes back as
 * flat arrays in input order. Rows, errors and their messages are those of `streamEntries` +
 * `screenStability`: the lines go through the same `CsvEntryReader` and `CandidatePacker`.
 * Browser-safe.
 */
import { CandidatePacker, describeEntry } from './candidate-packer.js';
import type { ReferenceHull } from '../thermo/index.js';
import { entryToData, type Entry, type EntryData } from '../core/index.js';
import { CsvEntryReader, LineSplitter, LoadError } from '../io/index.js';
import type { CsvChunk } from '../io/index.js';

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
  const lines = new LineSplitter(chunk.firstLine);
  lines.push(chunk.text);
  lines.end();
  try {
    reader.line(chunk.header, chunk.headerLine);
    reader.readLines(lines, entries);
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
