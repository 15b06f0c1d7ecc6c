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
 * which read, group and solve them (candidate-csv.ts).
 */
import { screenCsvChunk, isCsvCandidates, type CsvCandidates, type CsvChunk, type CsvChunkResult } from './candidate-csv.js';
import { CandidatePacker, describeEntry, ScreenError, type PackedBatch } from './candidate-packer.js';
import { entryFromData, type Entry } from './entry.js';
import { createEngine, type Engine, type PreparedReference } from './engine.js';
import { packReference, ReferenceHull, referenceStamp, sameStamp, type BatchResult, type PackedReference, type ReferenceStamp } from './engine-reference.js';
import { LoadError } from './parse-entries.js';

export { ScreenError } from './candidate-packer.js';
export { csvCandidatesFromText, type CsvCandidates } from './candidate-csv.js';

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
  /** Candidates per batch (default 2048; CSV candidates come in chunks of ~64K characters instead). */
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
export async function* screenStability(
  candidates: AsyncIterable<Entry> | Iterable<Entry> | CsvCandidates,
  reference: readonly Entry[],
  options: ScreenOptions = {},
): AsyncGenerator<ScreenRow, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  let engine = options.engine;
  const own = !engine && (options.workers ?? 0) > 0;
  if (own) engine = await createEngine({ workers: options.workers! });
  try {
    if (isCsvCandidates(candidates)) {
      yield* screenCsvCandidates(candidates, reference, engine, options);
      return;
    }
    const workers = engine ? engine.size : 1;
    const batchSize = positiveInt(options.batchSize ?? DEFAULT_BATCH, 'batchSize');
    const windowSize = positiveInt(options.window ?? batchSize * 2 * workers, 'window');
    const total = options.total ?? (Array.isArray(candidates) ? candidates.length : undefined);
    const run = engine ? engineRunner(engine, engine.reference(reference), signal) : threadRunner(inThreadReference(reference), signal);
    const packer = new CandidatePacker(run.packed, options.unknownElements ?? 'error');
    let done = 0;
    let index = 0;
    const progress = (n: number): void => {
      done += n;
      options.onProgress?.(done, total);
    };
    // Windows in flight: rows of the oldest are yielded while the next ones compute.
    const inFlight: Array<Promise<Array<ScreenRow | undefined>>> = [];
    const maxInFlight = engine ? 2 : 1;
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
        for (const r of rows) if (r) yield r;
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
    if (own) await engine!.close();
  }
}

/**
 * CSV candidates: chunks of lines are read, packed and screened where they run (the engine's
 * workers, or this thread), a few chunks per worker in flight; rows come back in input order.
 */
async function* screenCsvCandidates(source: CsvCandidates, reference: readonly Entry[], engine: Engine | undefined, options: ScreenOptions): AsyncGenerator<ScreenRow, void, undefined> {
  const { signal } = options;
  const unknown = options.unknownElements ?? 'error';
  let run: (chunk: CsvChunk) => Promise<CsvChunkResult>;
  let packed: PackedReference;
  if (engine) {
    const ref = engine.reference(reference);
    packed = ref.packed;
    run = (chunk) => engine.screenCsv(ref, chunk, { unknownElements: unknown, ...(signal ? { signal } : {}) });
  } else {
    const hull = inThreadReference(reference);
    packed = hull.ref;
    run = async (chunk) => {
      await new Promise((r) => setTimeout(r, 0));
      signal?.throwIfAborted();
      return screenCsvChunk(hull, chunk, unknown);
    };
  }
  const maxInFlight = engine ? 2 * engine.size + 1 : 1;
  const inFlight: Array<Promise<CsvChunkResult>> = [];
  let index = 0;
  let done = 0;
  const rowsOf = function* (r: CsvChunkResult): Generator<ScreenRow, void, undefined> {
    const failures = new Map(r.failures.map((f) => [f.position, f]));
    for (let pos = 0; pos < r.rows; pos++) {
      const st = r.status[pos]!;
      if (st === 0) {
        const decomposition: Record<string, number> = Object.create(null);
        for (let k = r.decompOffsets[pos]!; k < r.decompOffsets[pos + 1]!; k++) decomposition[packed.ids[r.decompPoints[k]!]!] = r.decompFractions[k]!;
        yield { id: r.ids[pos]!, formula: r.formulas[pos]!, e_form_per_atom: r.eForm[pos]!, e_above_hull: r.eAboveHull[pos]!, decomposition };
      } else if (st === 1) {
        const f = failures.get(pos)!;
        const err = new ScreenError(f.message, entryFromData(f.entry), index + pos);
        if (!options.onError) throw err;
        options.onError(err);
      }
    }
  };
  const finish = function* (r: CsvChunkResult | Error): Generator<ScreenRow, void, undefined> {
    if (r instanceof Error) {
      // A chunk that failed twice (BatchFailedError): reported, and the screen goes on.
      if (!options.onError || signal?.aborted) throw r;
      options.onError(r);
      return;
    }
    yield* rowsOf(r);
    index += r.rows;
    done += r.rows;
    options.onProgress?.(done, options.total);
    if (r.loadError) {
      const { message, ...where } = r.loadError;
      throw new LoadError(message, where);
    }
  };
  try {
    for await (const chunk of source.chunks) {
      signal?.throwIfAborted();
      const p = run(chunk);
      p.catch(() => {}); // awaited below, in order
      inFlight.push(p);
      while (inFlight.length >= maxInFlight) yield* finish(await settled(inFlight.shift()!));
    }
    while (inFlight.length) yield* finish(await settled(inFlight.shift()!));
  } finally {
    for (const p of inFlight.splice(0)) p.catch(() => {});
  }
  signal?.throwIfAborted();
  if (index === 0) throw new LoadError(`no entries in ${source.source}`, { source: source.source });
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
  const hull = inThreadReference(reference);
  const packer = new CandidatePacker(hull.ref, options.unknownElements ?? 'error');
  const entries = [...candidates];
  const out: ScreenRow[] = [];
  const packed = packer.pack(entries, 0, (e) => {
    throw e;
  });
  const rows = new Array<ScreenRow | undefined>(entries.length);
  for (const b of packed.batches(Number.MAX_SAFE_INTEGER)) {
    assemble(b, hull.screen(b.batch), hull.ref, entries, 0, rows, (e) => {
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

function engineRunner(engine: Engine, ref: PreparedReference, signal: AbortSignal | undefined): Runner {
  return {
    packed: ref.packed,
    run: (b) => engine.screenBatch(ref, b.batch, { describe: b.describe, ...(signal ? { signal } : {}) }),
  };
}

function threadRunner(hull: ReferenceHull, signal: AbortSignal | undefined): Runner {
  return {
    packed: hull.ref,
    run: async (b) => {
      // Let the consumer, timers and abort signals run between batches.
      await new Promise((r) => setTimeout(r, 0));
      signal?.throwIfAborted();
      return hull.screen(b.batch);
    },
  };
}

const threadHulls = new WeakMap<readonly Entry[], { hull: ReferenceHull; stamp: ReferenceStamp }>();

/** The in-thread index of a reference, kept per (unchanged) array: stabilities found once. */
function inThreadReference(reference: readonly Entry[]): ReferenceHull {
  const cached = threadHulls.get(reference);
  const stamp = referenceStamp(reference);
  if (cached && sameStamp(cached.stamp, stamp)) return cached.hull;
  const hull = new ReferenceHull(packReference(reference));
  threadHulls.set(reference, { hull, stamp });
  return hull;
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
function assemble(
  b: PackedBatch,
  r: BatchResult,
  ref: PackedReference,
  window: readonly Entry[],
  start: number,
  rows: Array<ScreenRow | undefined>,
  fail: (e: Error) => void,
): void {
  const failed = new Map((r.failures ?? []).map((f) => [f.position, f.message]));
  for (let c = 0; c < b.positions.length; c++) {
    const pos = b.positions[c]!;
    const entry = window[pos]!;
    const why = failed.get(c);
    if (why !== undefined) {
      fail(new ScreenError(`candidate ${describeEntry(entry)}: ${why}`, entry, start + pos));
      continue;
    }
    // A null-prototype record: V8 keeps it a dictionary, ~4× cheaper to fill with arbitrary ids
    // than a literal (main-thread time per row).
    const decomposition: Record<string, number> = Object.create(null);
    for (let k = r.decompOffsets[c]!; k < r.decompOffsets[c + 1]!; k++) decomposition[ref.ids[r.decompPoints[k]!]!] = r.decompFractions[k]!;
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
