/**
 * A pool of workers for high-throughput jobs, one API over Node `worker_threads` and browser Web
 * Workers (Comlink in both). Each worker instantiates the WASM kernel once and keeps the
 * reference datasets it was sent, indexed by chemical system; work then arrives one job per
 * worker at a time: batches of candidates grouped by chemical system, or chunks of CSV lines the
 * worker reads itself (screen-stability.ts, candidate-csv.ts), or slices of a screening workflow
 * over a dataset the worker indexed once (screen-jobs.ts, screen-parallel.ts).
 *
 * Failures: a worker that dies (exits, crashes, or fails to answer) is replaced, and the batch it
 * was running is retried once; a batch that fails twice (worker death or an error thrown while
 * running it) rejects with a `BatchFailedError` naming the batch's first entries. Nothing is
 * dropped silently. Cancellation: an aborted `AbortSignal` rejects the batch at once with the
 * signal's reason (a batch already running finishes in its worker and is discarded).
 */
import { wrap, type Remote } from 'comlink';
import { entryToData, type Entry, type EntryData } from './entry.js';
import { describeChunk, type CsvChunk, type CsvChunkResult } from './candidate-csv.js';
import { packReference, referenceStamp, sameStamp, type BatchResult, type ReferenceStamp, type CandidateBatch, type PackedReference, type StabilityFlags } from './engine-reference.js';
import type { EngineService } from './engine-service.js';
import { jobError, type JobOutcome, type ScreenJobName, type ScreenJobs } from './screen-jobs.js';
import { currentPlatform, type EnginePlatform, type WorkerHandle } from './engine-platform.js';

export interface EngineOptions {
  /** Number of workers (default: available cores — os.availableParallelism() / navigator.hardwareConcurrency). */
  workers?: number;
  /** Another worker script (a bundler's copy of engine-worker.js, or a wrapper importing it). */
  workerUrl?: string | URL;
}

/** A reference dataset packed once for the engine's workers (each receives it once, on first use). */
export interface PreparedReference {
  readonly id: number;
  readonly packed: PackedReference;
}

/** A dataset for the engine's screening workflows (each worker prepares it once, on first use). */
export interface PreparedDataset {
  readonly id: number;
  readonly name: string;
  /** The embedded table (the workers load their own copy). */
  readonly embedded: boolean;
  /** The entries as plain data; null for the embedded table. */
  readonly entries: readonly EntryData[] | null;
}

export interface EngineStats {
  /** Workers started, replacements included. */
  spawned: number;
  /** Workers that died or failed while alive. */
  failures: number;
  /** Batches run a second time after a failure. */
  retries: number;
  /** Batches completed. */
  batches: number;
  /** Time the workers spent computing those batches (ms, summed over workers). */
  busyMs: number;
}

export interface BatchOptions {
  /** Names the batch (its first entries) in a BatchFailedError. */
  describe?: () => string;
  signal?: AbortSignal;
}

/** The engine cannot run at all (closed, or its workers cannot start). */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** A batch failed twice: its message names the batch's first entries; `cause` is the last failure. */
export class BatchFailedError extends Error {
  override name = 'BatchFailedError';
  constructor(
    message: string,
    readonly batch: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Engine extends AsyncDisposable {
  /** Number of workers. */
  readonly size: number;
  readonly platform: 'node' | 'browser';
  readonly stats: Readonly<EngineStats>;
  /**
   * Packs a reference dataset for the workers; cached per array (the same, unchanged array → the
   * same handle, and the workers keep what they found about it).
   */
  reference(entries: readonly Entry[]): PreparedReference;
  /** Frees a reference in the engine and its workers. */
  release(ref: PreparedReference): void;
  /** Evaluates one batch of candidates against a reference on the next free worker. */
  screenBatch(ref: PreparedReference, batch: CandidateBatch, options?: BatchOptions): Promise<BatchResult>;
  /**
   * Reads, packs and evaluates one chunk of CSV lines against a reference on the next free
   * worker (the main thread does not parse them): see candidate-csv.ts.
   */
  screenCsv(ref: PreparedReference, chunk: CsvChunk, options?: BatchOptions & { unknownElements?: 'error' | 'skip' }): Promise<CsvChunkResult>;
  /**
   * A dataset for the screening workflows (screen-parallel.ts): entries (or the embedded table when
   * omitted) sent once to each worker that needs them; cached per array.
   */
  dataset(entries?: readonly Entry[], name?: string): PreparedDataset;
  /** Runs one screening job (screen-jobs.ts) on the next free worker; bad input rejects at once (no retry). */
  job<K extends ScreenJobName>(data: PreparedDataset, name: K, args: ScreenJobs[K]['args'], options?: BatchOptions): Promise<ScreenJobs[K]['result']>;
  /** Terminates the workers; pending batches reject with EngineError. */
  close(): Promise<void>;
}

/** Starts a pool of workers and waits until each has its WASM kernel ready. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const platform = await currentPlatform();
  const size = options.workers ?? platform.defaultWorkers();
  if (!Number.isInteger(size) || size < 1) throw new EngineError(`workers must be an integer >= 1, got ${String(options.workers)}`);
  const url = options.workerUrl === undefined ? platform.defaultWorkerUrl() : new URL(options.workerUrl);
  const pool = new Pool(platform, url, size);
  await pool.start();
  return pool;
}

/** Worker failed or died: the batch may be retried on another one. */
class WorkerFailure extends Error {
  override name = 'WorkerFailure';
}

interface Slot {
  handle: WorkerHandle;
  remote: Remote<EngineService>;
  /** References this worker has, and how many chunks of their stability log it has been sent. */
  refs: Map<number, number>;
  /** Datasets this worker has. */
  datasets: Set<number>;
  busy: boolean;
  alive: boolean;
  /** Rejects with a WorkerFailure when the worker dies. */
  died: Promise<never>;
}

/** What a screen job returns: the stabilities it found and its compute time, if any. */
interface JobResult {
  readonly learned?: StabilityFlags;
  readonly elapsedMs?: number;
}

interface Task {
  /** The reference of a stability job (its stabilities are passed between workers). */
  ref: PreparedReference | undefined;
  /** Sends the worker what the job needs; resolves with stabilities it has not heard of yet. */
  prepare: (slot: Slot) => Promise<StabilityFlags | undefined>;
  /** The job, on a prepared worker. */
  call: (remote: Remote<EngineService>, known: StabilityFlags | undefined) => Promise<JobResult>;
  /** Fallback name of the job in a BatchFailedError. */
  what: string;
  options: BatchOptions;
  failures: number;
  settled: boolean;
  resolve: (r: JobResult) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

// Workers that fail before ever becoming ready, in a row, before the engine gives up.
const MAX_START_FAILURES = 3;
// References kept by the engine and its workers (least recently used dropped first).
const MAX_REFERENCES = 4;

let nextRefId = 1;

class Pool implements Engine {
  readonly platform: 'node' | 'browser';
  readonly stats: EngineStats = { spawned: 0, failures: 0, retries: 0, batches: 0, busyMs: 0 };
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Set<Task>();
  private readonly cache = new WeakMap<readonly Entry[], { ref: PreparedReference; stamp: ReferenceStamp }>();
  private readonly live = new Map<number, PreparedReference>();
  /** Per reference: the stabilities the workers found, chunk by chunk, to pass on to the others. */
  private readonly logs = new Map<number, StabilityFlags[]>();
  /** Pending jobs per AbortSignal (one abort listener per signal). */
  private readonly bySignal = new WeakMap<AbortSignal, { tasks: Set<Task>; off: () => void }>();
  private readonly datasetCache = new WeakMap<readonly Entry[], { ds: PreparedDataset; stamp: ReferenceStamp }>();
  private embeddedDataset: PreparedDataset | undefined;
  private readonly liveDatasets = new Map<number, PreparedDataset>();
  private startFailures = 0;
  private closed: EngineError | undefined;

  constructor(
    private readonly impl: EnginePlatform,
    private readonly url: URL,
    readonly size: number,
  ) {
    this.platform = impl.name;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
    try {
      await Promise.all(this.slots.map((s) => this.ready(s)));
    } catch (e) {
      await this.close();
      throw new EngineError(`cannot start engine workers (${this.url.href}): ${errorMessage(e)}`, { cause: e });
    }
  }

  reference(entries: readonly Entry[]): PreparedReference {
    this.checkOpen();
    const cached = this.cache.get(entries);
    let ref = cached?.ref;
    const stamp = referenceStamp(entries);
    if (!cached || !ref || !this.live.has(ref.id) || !sameStamp(cached.stamp, stamp)) {
      if (ref && this.live.has(ref.id)) this.release(ref);
      ref = { id: nextRefId++, packed: packReference(entries) };
      this.cache.set(entries, { ref, stamp });
      this.logs.set(ref.id, []);
    }
    // Most recently used last.
    this.live.delete(ref.id);
    this.live.set(ref.id, ref);
    while (this.live.size > MAX_REFERENCES) this.release(this.live.values().next().value!);
    return ref;
  }

  release(ref: PreparedReference): void {
    this.live.delete(ref.id);
    this.logs.delete(ref.id);
    for (const s of this.slots) {
      if (s.alive && s.refs.delete(ref.id)) s.remote.dropReference(ref.id).catch(() => {});
    }
  }

  screenBatch(ref: PreparedReference, batch: CandidateBatch, options: BatchOptions = {}): Promise<BatchResult> {
    return this.submit(ref, (slot) => this.sendReference(slot, ref), (remote, known) => (known ? remote.screen(ref.id, batch, known) : remote.screen(ref.id, batch)), `a batch of ${batch.eForm.length} candidates`, options);
  }

  screenCsv(ref: PreparedReference, chunk: CsvChunk, options: BatchOptions & { unknownElements?: 'error' | 'skip' } = {}): Promise<CsvChunkResult> {
    const unknown = options.unknownElements ?? 'error';
    return this.submit(ref, (slot) => this.sendReference(slot, ref), (remote, known) => remote.screenCsv(ref.id, chunk, unknown, known), `a chunk of CSV (${describeChunk(chunk)})`, options);
  }

  dataset(entries?: readonly Entry[], name?: string): PreparedDataset {
    this.checkOpen();
    let ds: PreparedDataset;
    if (entries === undefined) ds = this.embeddedDataset ??= { id: nextRefId++, name: name ?? 'embedded', embedded: true, entries: null };
    else {
      const stamp = referenceStamp(entries);
      const cached = this.datasetCache.get(entries);
      if (cached && this.liveDatasets.has(cached.ds.id) && sameStamp(cached.stamp, stamp) && (name === undefined || cached.ds.name === name)) ds = cached.ds;
      else {
        ds = { id: nextRefId++, name: name ?? 'data', embedded: false, entries: entries.map(entryToData) };
        this.datasetCache.set(entries, { ds, stamp });
      }
    }
    this.liveDatasets.delete(ds.id);
    this.liveDatasets.set(ds.id, ds);
    while (this.liveDatasets.size > MAX_REFERENCES) {
      const old = this.liveDatasets.values().next().value!;
      this.liveDatasets.delete(old.id);
      if (old === this.embeddedDataset) this.embeddedDataset = undefined;
      for (const s of this.slots) if (s.alive && s.datasets.delete(old.id)) s.remote.dropDataset(old.id).catch(() => {});
    }
    return ds;
  }

  async job<K extends ScreenJobName>(data: PreparedDataset, name: K, args: ScreenJobs[K]['args'], options: BatchOptions = {}): Promise<ScreenJobs[K]['result']> {
    const prepare = async (slot: Slot): Promise<undefined> => {
      if (!slot.datasets.has(data.id)) {
        await slot.remote.setDataset(data.id, data.entries, data.name, data.embedded);
        slot.datasets.add(data.id);
      }
      return undefined;
    };
    const out = await this.submit<JobOutcome<ScreenJobs[K]['result']> & JobResult>(
      undefined,
      prepare,
      (remote) => remote.job(data.id, name, args) as Promise<JobOutcome<ScreenJobs[K]['result']> & JobResult>,
      `screening job ${name}`,
      options,
    );
    if ('error' in out) throw jobError(out.error);
    return out.ok;
  }

  /** Sends a reference to a worker (once) and the stabilities the others found since it last heard. */
  private async sendReference(slot: Slot, ref: PreparedReference): Promise<StabilityFlags | undefined> {
    if (!slot.refs.has(ref.id)) {
      this.stats.busyMs += await slot.remote.setReference(ref.id, ref.packed);
      slot.refs.set(ref.id, 0);
    }
    const log = this.logs.get(ref.id);
    const sent = slot.refs.get(ref.id)!;
    const known = log && log.length > sent ? concatFlags(log.slice(sent)) : undefined;
    slot.refs.set(ref.id, log?.length ?? 0);
    return known;
  }

  /** Queues a job for the next free worker. */
  private submit<R extends JobResult>(
    ref: PreparedReference | undefined,
    prepare: (slot: Slot) => Promise<StabilityFlags | undefined>,
    call: (remote: Remote<EngineService>, known: StabilityFlags | undefined) => Promise<R>,
    what: string,
    options: BatchOptions,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.closed) return reject(this.closed);
      const { signal } = options;
      if (signal?.aborted) return reject(signal.reason);
      const task: Task = { ref, prepare, call, what, options, failures: 0, settled: false, resolve: resolve as (r: JobResult) => void, reject, cleanup: () => {} };
      if (signal) {
        // One listener per signal, however many of its jobs are pending (a screen queues dozens).
        let watch = this.bySignal.get(signal);
        if (!watch) {
          const tasks = new Set<Task>();
          const onAbort = (): void => {
            this.bySignal.delete(signal);
            for (const t of [...tasks]) {
              const i = this.queue.indexOf(t);
              if (i >= 0) this.queue.splice(i, 1);
              this.settle(t, undefined, signal.reason);
            }
          };
          signal.addEventListener('abort', onAbort, { once: true });
          watch = { tasks, off: () => signal.removeEventListener('abort', onAbort) };
          this.bySignal.set(signal, watch);
        }
        const w = watch;
        w.tasks.add(task);
        task.cleanup = () => {
          w.tasks.delete(task);
          if (w.tasks.size === 0 && this.bySignal.get(signal) === w) {
            this.bySignal.delete(signal);
            w.off();
          }
        };
      }
      this.queue.push(task);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed ??= new EngineError('the engine is closed');
    for (const t of this.queue.splice(0)) this.settle(t, undefined, this.closed);
    for (const t of this.running) this.settle(t, undefined, this.closed);
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => ((s.alive = false), s.handle.terminate().catch(() => {}))));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private checkOpen(): void {
    if (this.closed) throw this.closed;
  }

  private spawn(): Slot {
    this.stats.spawned++;
    const handle = this.impl.spawn(this.url);
    const remote = wrap<EngineService>(handle.endpoint);
    let fail!: (e: WorkerFailure) => void;
    const died = new Promise<never>((_, reject) => (fail = reject));
    died.catch(() => {});
    const slot: Slot = { handle, remote, refs: new Map(), datasets: new Set(), busy: false, alive: true, died };
    handle.onFailure((e) => {
      if (!slot.alive) return;
      slot.alive = false;
      this.stats.failures++;
      fail(new WorkerFailure(e.message, { cause: e }));
      this.replace(slot);
    });
    return slot;
  }

  private async ready(slot: Slot): Promise<void> {
    slot.handle.setBusy(true);
    try {
      await Promise.race([slot.remote.ready(), slot.died]);
    } finally {
      if (slot.alive) slot.handle.setBusy(false);
    }
  }

  /** A dead worker's replacement, started in its slot; the engine gives up if none can start. */
  private replace(dead: Slot): void {
    const i = this.slots.indexOf(dead);
    if (i < 0 || this.closed) return;
    void dead.handle.terminate().catch(() => {});
    const slot = this.spawn();
    slot.busy = true; // until ready
    this.slots[i] = slot;
    this.ready(slot).then(
      () => {
        this.startFailures = 0;
        slot.busy = false;
        this.dispatch();
      },
      (e: unknown) => {
        if (++this.startFailures >= MAX_START_FAILURES) {
          const err = new EngineError(`engine workers keep failing to start (${this.url.href}): ${errorMessage(e)}`, { cause: e });
          void this.close().then(() => (this.closed = err));
          for (const t of this.queue.splice(0)) this.settle(t, undefined, err);
        }
      },
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || !slot.alive) continue;
      const task = this.queue.shift()!;
      void this.run(slot, task);
    }
  }

  private async run(slot: Slot, task: Task): Promise<void> {
    slot.busy = true;
    slot.handle.setBusy(true);
    this.running.add(task);
    try {
      const log = task.ref ? this.logs.get(task.ref.id) : undefined;
      const call = async (): Promise<JobResult> => task.call(slot.remote, await task.prepare(slot));
      const result = await Promise.race([call(), slot.died]);
      this.stats.batches++;
      this.stats.busyMs += result.elapsedMs ?? 0;
      if (result.learned && log) log.push(result.learned);
      this.settle(task, result);
    } catch (e) {
      if (!task.settled) {
        task.failures++;
        if (task.failures >= 2 || this.closed) {
          const what = task.options.describe?.() ?? task.what;
          const why = e instanceof WorkerFailure ? `its worker died (${e.message})` : errorMessage(e);
          this.settle(task, undefined, this.closed ?? new BatchFailedError(`${what} failed twice, last: ${why}`, what, { cause: e }));
        } else {
          this.stats.retries++;
          this.queue.unshift(task);
        }
      }
    } finally {
      this.running.delete(task);
      if (slot.alive) {
        slot.busy = false;
        slot.handle.setBusy(false);
      }
      this.dispatch();
    }
  }

  private settle(task: Task, result: JobResult | undefined, error?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.cleanup();
    if (result) task.resolve(result);
    else task.reject(error);
  }
}

function concatFlags(chunks: readonly StabilityFlags[]): StabilityFlags {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.points.length;
  const points = new Int32Array(n);
  const flags = new Int8Array(n);
  let at = 0;
  for (const c of chunks) {
    points.set(c.points, at);
    flags.set(c.flags, at);
    at += c.points.length;
  }
  return { points, flags };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
