/**
 * Stability screening straight from CSV text: a chunk of lines (io/csv-chunks.ts) is read into flat
 * rows (csv-rows.ts: no Entry per row), grouped by chemical system and solved where it is screened
 * (an engine worker, or this thread), and the result comes back as flat arrays in input order.
 * Rows, errors and their messages are those of `streamEntries` + `screenStability`: odd lines go
 * through the same `CsvEntryReader` and `CandidatePacker`. Browser-safe.
 */
import { CandidatePacker, describeEntry } from './candidate-packer.js';
import { chunkRows, FormulaCache, type FormulaInfo, readChunkRows } from './csv-rows.js';
import type { ReferenceHull } from '../thermo/index.js';
import { type Entry, entryToData, type EntryData } from '../core/index.js';
import { CsvEntryReader, LineSplitter, LoadError } from '../io/index.js';
import type { CsvChunk } from '../io/index.js';

/** Screened rows of one chunk, in input order (structured-clone friendly). */
export interface CsvChunkResult {
  /** Candidate rows read (blank lines are not rows). */
  readonly rows: number;
  /**
   * Row r's id is the chunk's text[idRanges[2r], idRanges[2r+1]) unless `ids` gives it (rows with
   * quoted cells…): the calling thread has the text, no string per row crosses threads.
   */
  readonly idRanges: Int32Array;
  readonly ids: Array<{ position: number; id: string }>;
  /**
   * pymatgen `formula` of row r: formula j = formulaOf[r] is formulaText[formulaOffsets[j],
   * formulaOffsets[j+1] - 1) (the chunk's formulas once each, `\n`-joined: one string on the wire).
   */
  readonly formulaText: string;
  readonly formulaOffsets: Int32Array;
  readonly formulaOf: Int32Array;
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

// The formula cache of each reference index (one per worker and reference).
const caches = new WeakMap<ReferenceHull, FormulaCache>();
let chunkStamp = 0;

export function formulaCache(hull: ReferenceHull): FormulaCache {
  let cache = caches.get(hull);
  if (!cache) caches.set(hull, (cache = new FormulaCache(hull.ref)));
  return cache;
}

/** The reference's formula cache if a CSV screen made one (Entry screens never need it). */
export function existingFormulaCache(hull: ReferenceHull): FormulaCache | undefined {
  return caches.get(hull);
}

/** Reads, packs and screens one chunk against a reference index. */
export function screenCsvChunk(hull: ReferenceHull, chunk: CsvChunk, unknown: 'error' | 'skip'): CsvChunkResult {
  const cache = formulaCache(hull);
  const reader = new CsvEntryReader({ source: chunk.source });
  const packer = new CandidatePacker(hull.ref, unknown);
  const read = chunkRows();
  let loadError: CsvChunkResult['loadError'];
  try {
    reader.line(chunk.header, chunk.headerLine);
    readChunkRows(chunk.text, chunk.firstLine, reader, cache, packer, read);
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    loadError = { message: e.message, source: e.source, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.id !== undefined ? { id: e.id } : {}) };
  }
  const { infos, n } = read;
  const status = new Uint8Array(n);
  const failures: CsvChunkResult['failures'] = read.failures.map(({ position, error }) => {
    status[position] = 1;
    return { position, message: error.message, entry: entryToData(error.entry) };
  });
  for (const pos of read.skipped) status[pos] = 2;
  // Each formula once on the wire; the hull answered once per formula (it does not depend on the
  // candidate's energy; the workers pass their answers on), the formulas new here solved together.
  const stamp = ++chunkStamp;
  const formulas: string[] = [];
  const formulaOf = new Int32Array(n);
  const formulaOffsets: number[] = [0];
  const todo: FormulaInfo[] = [];
  for (let pos = 0; pos < n; pos++) {
    const info = infos[pos];
    if (!info) continue;
    if (info.stamp !== stamp) {
      info.stamp = stamp;
      info.slot = formulas.length;
      formulas.push(info.formula);
      formulaOffsets.push(formulaOffsets[info.slot]! + info.formula.length + 1);
      if (!info.phases) todo.push(info);
    }
    formulaOf[pos] = info.slot;
  }
  const hullFailures = todo.length ? solveFormulas(hull, todo, cache) : undefined;
  let entries: Entry[] | undefined;
  let phases = 0;
  for (let pos = 0; pos < n; pos++) {
    const info = infos[pos];
    if (!info) continue;
    const why = hullFailures?.get(info);
    if (why === undefined) {
      phases += info.phases!.length;
      continue;
    }
    // A candidate the hull cannot answer (rare): its entry read again, the slow way, to name it.
    entries ??= entriesOf(chunk);
    const entry = entries[pos]!;
    status[pos] = 1;
    failures.push({ position: pos, message: `candidate ${describeEntry(entry)}: ${why}`, entry: entryToData(entry) });
  }
  const eForm = new Float64Array(n);
  const eAboveHull = new Float64Array(n).fill(NaN);
  const decompOffsets = new Int32Array(n + 1);
  const decompPoints = new Int32Array(phases);
  const decompFractions = new Float64Array(phases);
  let at = 0;
  for (let pos = 0; pos < n; pos++) {
    const info = infos[pos];
    if (info && status[pos] === 0) {
      const e = read.eForm[pos]!;
      eForm[pos] = e;
      eAboveHull[pos] = e - info.hull;
      const ph = info.phases!;
      const sh = info.shares!;
      for (let k = 0; k < ph.length; k++, at++) {
        decompPoints[at] = ph[k]!;
        decompFractions[at] = sh[k]!;
      }
    }
    decompOffsets[pos + 1] = at;
  }
  failures.sort((a, b) => a.position - b.position);
  return {
    rows: n,
    idRanges: read.idRanges.slice(0, 2 * n),
    ids: Array.from(read.ids, ([position, id]) => ({ position, id })),
    formulaText: formulas.join('\n'),
    formulaOffsets: Int32Array.from(formulaOffsets),
    formulaOf,
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

/** The entries of a chunk as `CsvEntryReader` reads them (up to a malformed line). */
function entriesOf(chunk: CsvChunk): Entry[] {
  const reader = new CsvEntryReader({ source: chunk.source });
  const entries: Entry[] = [];
  const lines = new LineSplitter(chunk.firstLine);
  lines.push(chunk.text);
  lines.end();
  try {
    reader.line(chunk.header, chunk.headerLine);
    reader.readLines(lines, entries);
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
  }
  return entries;
}

/**
 * The hull's answer at each formula (stored on it), grouped by chemical system in one batch;
 * the formulas it cannot answer, with why (not stored: asked again if met again).
 */
function solveFormulas(hull: ReferenceHull, todo: readonly FormulaInfo[], cache: FormulaCache): Map<FormulaInfo, string> | undefined {
  const groups = new Map<string, FormulaInfo[]>();
  let fracLen = 0;
  for (const info of todo) {
    const list = groups.get(info.key);
    if (list) list.push(info);
    else groups.set(info.key, [info]);
    fracLen += info.fracs.length;
  }
  // Neighbouring systems share subsystems: sorted keys keep them together (CandidatePacker's order).
  const systems = [...groups.keys()].sort();
  const counts = new Int32Array(systems.length);
  const order: FormulaInfo[] = [];
  const fracs = new Float64Array(fracLen);
  let at = 0;
  systems.forEach((key, g) => {
    const list = groups.get(key)!;
    counts[g] = list.length;
    for (const info of list) {
      order.push(info);
      fracs.set(info.fracs, at);
      at += info.fracs.length;
    }
  });
  const r = hull.screen({ systems, counts, eForm: new Float64Array(order.length), fracs }, true);
  const failed = r.failures?.length ? new Map(r.failures.map((f) => [order[f.position]!, f.message])) : undefined;
  for (let c = 0; c < order.length; c++) {
    const info = order[c]!;
    if (failed?.has(info)) continue;
    info.hull = r.hull![c]!;
    info.phases = Array.from(r.decompPoints.subarray(r.decompOffsets[c]!, r.decompOffsets[c + 1]!));
    info.shares = Array.from(r.decompFractions.subarray(r.decompOffsets[c]!, r.decompOffsets[c + 1]!));
    cache.solved(info);
  }
  return failed;
}
