/**
 * Stability screen: the energy above hull and decomposition of candidate compositions
 * (hypothetical or ML-predicted materials) against a reference dataset, each candidate within its
 * own chemical system and against the reference alone — candidates never enter each other's
 * hulls (pymatgen: `PhaseDiagram(reference).get_decomp_and_e_above_hull(candidate,
 * allow_negative=True)` for every candidate).
 *
 * `e_above_hull` is signed: the candidate's formation energy per atom minus the reference hull's
 * at its composition. Negative = the candidate lies below the reference hull (it would be a new
 * stable phase, by that margin); its decomposition is then the reference phases it competes with.
 * A candidate whose composition is in the reference is compared with the reference phase too (its
 * e_above_hull is its energy minus that phase's when the phase is on the hull).
 *
 * Streams: candidates are read a window at a time (an array, any iterable, or an async iterable
 * such as `streamEntries(file)`), grouped by chemical system within the window, cut into batches
 * and evaluated in this thread or on an engine's workers; rows come out in input order, window by
 * window, so a million-row job holds a few windows, never the whole job. CSV candidates
 * (`csvCandidates(file)`) skip the main thread's parsing: chunks of lines go to the workers,
 * which read, group and solve them (csv-candidates.ts, csv-rows.ts).
 */
import type { CsvChunkResult } from './csv-candidates.js';
import { describeChunk, isCsvCandidates, type CsvCandidates, type CsvChunk } from '../io/index.js';
import { CandidatePacker, describeEntry, ScreenError, type PackedBatch } from './candidate-packer.js';
import { entryFromData, type Entry } from '../core/index.js';
import { createEngine, localEngine, type Engine } from '../engine/index.js';
import type { BatchResult, PackedReference } from '../thermo/index.js';
import { REFERENCE, STABILITY_BATCH, STABILITY_CSV } from './jobs.js';
import { LoadError } from '../io/index.js';

export { ScreenError } from './candidate-packer.js';

/** One screened candidate (the keys of `interphase screen stability --json`). */
export interface ScreenRow {
  id: string;
  formula: string;
  /** The candidate's formation energy per atom in the reference's scale (eV/atom). */
  e_form_per_atom: number;
  /** Signed: > 0 above the reference hull, < 0 below it (eV/atom). */
  e_above_hull: number;
  /**
   * Reference phases (ids) and their atom fractions at the candidate's composition, largest
   * first (a null-prototype record).
   */
  decomposition: Record<string, number>;
}

export interface ScreenOptions {
  /** Run on this engine's workers (it stays open: reuse it across screens). */
  engine?: Engine;
  /**
   * Without `engine`: the number of workers of an engine started for this screen and closed at
   * its end; 0 or absent: in this thread.
   */
  workers?: number;
  signal?: AbortSignal;
  /**
   * Called as batches complete, with the number of candidates done (evaluated, failed or skipped)
   * and the total when known (the length of an array, or `total`).
   */
  onProgress?: (done: number, total: number | undefined) => void;
  /** The number of candidates, when they come from a stream (for onProgress). */
  total?: number;
  /** Candidates per batch (default 2048; CSV candidates come in chunks of ~96K characters instead). */
  batchSize?: number;
  /** Candidates grouped by chemical system at a time (default: batchSize × 2 × workers; entries only). */
  window?: number;
  /**
   * A candidate with an element the reference lacks: `error` (default) fails the candidate,
   * `skip` leaves it out (counted in onProgress, reported nowhere else).
   */
  unknownElements?: 'error' | 'skip';
  /**
   * Failed candidates (ScreenError) and batches (BatchFailedError) go here and the screen goes
   * on; without it the first failure is thrown by the iterator.
   */
  onError?: (error: Error) => void;
}

const DEFAULT_BATCH = 2048;

/**
 * E_hull (signed) and decomposition of every candidate against the reference, streamed in input
 * order (see the module comment). The reference is packed once per screen (per engine: once per
 * array, cached); `await defaultEntries()` is the embedded Materials Project data.
 */
export function screenStability(
  candidates: AsyncIterable<Entry> | Iterable<Entry> | CsvCandidates,
  reference: readonly Entry[],
  options: ScreenOptions = {},
): AsyncGenerator<ScreenRow, void, undefined> {
  // CSV rows come straight from their own generator: a layer of `yield*` costs every row a few
  // promise turns on the calling thread.
  return isCsvCandidates(candidates) ? screenCsvCandidates(candidates, reference, options) : screenEntries(candidates, reference, options);
}

/** The engine of a screen, and whether the screen started it (and closes it). */
async function screenEngine(options: ScreenOptions): Promise<{ engine: Engine; own: boolean }> {
  options.signal?.throwIfAborted();
  const own = !options.engine && (options.workers ?? 0) > 0;
  return { engine: options.engine ?? (own ? await createEngine({ workers: options.workers! }) : localEngine()), own };
}

async function* screenEntries(candidates: AsyncIterable<Entry> | Iterable<Entry>, reference: readonly Entry[], options: ScreenOptions): AsyncGenerator<ScreenRow, void, undefined> {
  const { signal } = options;
  const { engine, own } = await screenEngine(options);
  try {
    const ref = engine.data(REFERENCE, reference);
    const threads = engine.platform === 'thread';
    const batchSize = positiveInt(options.batchSize ?? DEFAULT_BATCH, 'batchSize');
    const windowSize = positiveInt(options.window ?? batchSize * 2 * engine.size, 'window');
    const total = options.total ?? (Array.isArray(candidates) ? candidates.length : undefined);
    const run: Runner = {
      packed: ref.wire,
      run: (b) => engine.run(STABILITY_BATCH, b.batch, { data: ref, describe: b.describe, ...(signal ? { signal } : {}) }),
    };
    const packer = new CandidatePacker(ref.wire, options.unknownElements ?? 'error');
    let done = 0;
    let index = 0;
    const progress = (n: number): void => {
      done += n;
      options.onProgress?.(done, total);
    };
    // Windows in flight: rows of the oldest are yielded while the next ones compute.
    const inFlight: Array<Promise<Array<ScreenRow | undefined>>> = [];
    const maxInFlight = threads ? 1 : 2;
    let window: Entry[] = [];
    const launch = (): void => {
      const p = screenWindow(window, index, packer, run, batchSize, progress, options);
      p.catch(() => {}); // awaited below, in order
      inFlight.push(p);
      index += window.length;
      window = [];
    };
    async function* drain(keep: number): AsyncGenerator<ScreenRow, void, undefined> {
      while (inFlight.length > keep) {
        const rows = await inFlight.shift()!;
        // A window holds thousands of rows: none is yielded once the screen is aborted.
        for (const r of rows) {
          signal?.throwIfAborted();
          if (r) yield r;
        }
      }
    }
    for await (const entry of candidates as AsyncIterable<Entry>) {
      window.push(entry);
      if (window.length >= windowSize) {
        signal?.throwIfAborted();
        launch();
        yield* drain(maxInFlight - 1);
      }
    }
    if (window.length) launch();
    yield* drain(0);
    signal?.throwIfAborted();
  } finally {
    if (own) await engine.close();
  }
}

/**
 * CSV candidates: chunks of lines are read, packed and screened where they run (the engine's
 * workers, or this thread), a few chunks per worker in flight; rows come back in input order.
 */
async function* screenCsvCandidates(source: CsvCandidates, reference: readonly Entry[], options: ScreenOptions): AsyncGenerator<ScreenRow, void, undefined> {
  const { signal } = options;
  const { engine, own } = await screenEngine(options);
  // Each chunk's text stays here until its rows are out: their ids are ranges of it.
  const inFlight: Array<{ text: string; result: Promise<CsvChunkResult> }> = [];
  try {
    const ref = engine.data(REFERENCE, reference);
    const unknownElements = options.unknownElements ?? 'error';
    const run = (chunk: CsvChunk): Promise<CsvChunkResult> =>
      engine.run(STABILITY_CSV, { chunk, unknownElements }, { data: ref, describe: () => `a chunk of CSV (${describeChunk(chunk)})`, ...(signal ? { signal } : {}) });
    const maxInFlight = engine.platform === 'thread' ? 1 : 2 * engine.size + 1;
    let index = 0; // rows of the chunks screened so far (a failed chunk's count is not known)
    // A chunk that failed twice (BatchFailedError): reported, and the screen goes on.
    const failed = (e: Error): void => {
      if (!options.onError || signal?.aborted) throw e;
      options.onError(e);
    };
    const after = (r: CsvChunkResult): void => {
      index += r.rows;
      options.onProgress?.(index, options.total);
      if (r.loadError) {
        const { message, ...where } = r.loadError;
        throw new LoadError(message, where);
      }
    };
    let ended = false;
    const chunks = (source.chunks as AsyncIterable<CsvChunk>)[Symbol.asyncIterator]?.() ?? toAsync(source.chunks as Iterable<CsvChunk>);
    try {
      while (!ended || inFlight.length) {
        if (!ended) {
          const next = await chunks.next();
          signal?.throwIfAborted();
          if (next.done) ended = true;
          else {
            const p = run(next.value);
            p.catch(() => {}); // awaited below, in order
            inFlight.push({ text: next.value.text, result: p });
          }
          if (!ended && inFlight.length < maxInFlight) continue;
          if (!inFlight.length) continue;
        }
        const { text, result } = inFlight.shift()!;
        const r = await settled(result);
        if (r instanceof Error) {
          failed(r);
          continue;
        }
        // Rows made one at a time as they are taken, here, not in a nested generator: the calling
        // thread's time per row is the screen's ceiling (each generator layer costs every row a
        // few promise turns; a chunk's rows made at once outlive the young generation).
        const failures = r.failures.length ? new Map(r.failures.map((f) => [f.position, f])) : undefined;
        const ids = r.ids.length ? new Map(r.ids.map((x) => [x.position, x.id])) : undefined;
        for (let pos = 0; pos < r.rows; pos++) {
          signal?.throwIfAborted(); // a chunk holds thousands of rows: none once aborted
          const st = r.status[pos]!;
          if (st === 0) yield chunkRow(r, pos, ref.wire.ids, text, ids);
          else if (st === 1) {
            const f = failures!.get(pos)!;
            const err = new ScreenError(f.message, entryFromData(f.entry), index + pos);
            if (!options.onError) throw err;
            options.onError(err);
          }
        }
        after(r);
      }
    } finally {
      if (!ended) await chunks.return?.();
    }
    signal?.throwIfAborted();
    if (index === 0) throw new LoadError(`no entries in ${source.source}`, { source: source.source });
  } finally {
    for (const p of inFlight.splice(0)) p.result.catch(() => {});
    if (own) await engine.close();
  }
}

/** Row `pos` of a chunk's result (screened). */
function chunkRow(r: CsvChunkResult, pos: number, phases: readonly string[], text: string, ids: Map<number, string> | undefined): ScreenRow {
  const decomposition = decompositionOf(r, pos, phases);
  const f = r.formulaOf[pos]!;
  const id = ids?.get(pos) ?? text.slice(r.idRanges[2 * pos]!, r.idRanges[2 * pos + 1]!);
  const formula = r.formulaText.slice(r.formulaOffsets[f]!, r.formulaOffsets[f + 1]! - 1);
  return { id, formula, e_form_per_atom: r.eForm[pos]!, e_above_hull: r.eAboveHull[pos]!, decomposition };
}

/**
 * Row `at`'s decomposition in a result (a batch's or a CSV chunk's): fraction by phase id. A
 * null-prototype record: V8 keeps it a dictionary, ~4× cheaper to fill with arbitrary ids than a
 * literal (calling-thread time per row).
 */
function decompositionOf(r: Pick<BatchResult, 'decompOffsets' | 'decompPoints' | 'decompFractions'>, at: number, phases: readonly string[]): Record<string, number> {
  const decomposition: Record<string, number> = Object.create(null);
  for (let k = r.decompOffsets[at]!; k < r.decompOffsets[at + 1]!; k++) decomposition[phases[r.decompPoints[k]!]!] = r.decompFractions[k]!;
  return decomposition;
}

/** A sync iterable's values as an async iterator. */
async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T, void, undefined> {
  yield* items;
}

/** A job's result, or the error it failed with. */
function settled<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
}

/**
 * The synchronous in-thread screen, for small jobs: the same rows as `screenStability`, in input
 * order (an array of candidates; failures throw).
 */
export function screenStabilitySync(candidates: Iterable<Entry>, reference: readonly Entry[], options: Pick<ScreenOptions, 'unknownElements'> = {}): ScreenRow[] {
  const engine = localEngine();
  const ref = engine.data(REFERENCE, reference);
  const packer = new CandidatePacker(ref.wire, options.unknownElements ?? 'error');
  const entries = [...candidates];
  const out: ScreenRow[] = [];
  const packed = packer.pack(entries, 0, (e) => {
    throw e;
  });
  const rows = new Array<ScreenRow | undefined>(entries.length);
  for (const b of packed.batches(Number.MAX_SAFE_INTEGER)) {
    assemble(b, engine.runSync(STABILITY_BATCH, b.batch, { data: ref }), ref.wire, entries, 0, rows, (e) => {
      throw e;
    });
  }
  for (const row of rows) if (row) out.push(row);
  return out;
}

// ---------------------------------------------------------------------------------------------

interface Runner {
  readonly packed: PackedReference;
  run(batch: PackedBatch): Promise<BatchResult>;
}

async function screenWindow(
  window: readonly Entry[],
  start: number,
  packer: CandidatePacker,
  run: Runner,
  batchSize: number,
  progress: (n: number) => void,
  options: ScreenOptions,
): Promise<Array<ScreenRow | undefined>> {
  const rows = new Array<ScreenRow | undefined>(window.length);
  const fail = (e: Error): void => {
    if (!options.onError) throw e;
    options.onError(e);
  };
  const packed = packer.pack(window, start, fail);
  if (packed.excluded) progress(packed.excluded);
  await Promise.all(
    packed.batches(batchSize).map(async (b) => {
      let result: BatchResult;
      try {
        result = await run.run(b);
      } catch (e) {
        if (!options.onError || options.signal?.aborted) throw e;
        options.onError(e as Error);
        progress(b.positions.length);
        return;
      }
      assemble(b, result, run.packed, window, start, rows, fail);
      progress(b.positions.length);
    }),
  );
  return rows;
}

/** Rows of a batch's results, at their window positions. */
function assemble(b: PackedBatch, r: BatchResult, ref: PackedReference, window: readonly Entry[], start: number, rows: Array<ScreenRow | undefined>, fail: (e: Error) => void): void {
  const failed = new Map((r.failures ?? []).map((f) => [f.position, f.message]));
  for (let c = 0; c < b.positions.length; c++) {
    const pos = b.positions[c]!;
    const entry = window[pos]!;
    const why = failed.get(c);
    if (why !== undefined) {
      fail(new ScreenError(`candidate ${describeEntry(entry)}: ${why}`, entry, start + pos));
      continue;
    }
    const decomposition = decompositionOf(r, c, ref.ids);
    rows[pos] = {
      id: entry.id,
      formula: entry.composition.formula,
      e_form_per_atom: b.batch.eForm[c]!,
      e_above_hull: r.eAboveHull[c]!,
      decomposition,
    };
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer >= 1, got ${String(v)}`);
  return v;
}
