/**
 * The engine: one API that runs any registered job (job.ts) — in this thread (local.ts), on a
 * pool of workers (pool.ts: Node `worker_threads` or browser Web Workers, Comlink in both) or on a
 * Redis-backed queue served by workers on any number of hosts (queue-engine.ts, Node only) — so
 * that the screens above never ask where their jobs run. Data a job needs is prepared once per
 * engine and array (`engine.data(kind, entries)`), sent once to each worker that runs a job on it.
 *
 * Failures (the pool): a worker that dies (exits, crashes, or fails to answer) is replaced, and
 * its job is retried once; a job that fails twice (worker death, or an error thrown by a `retry`
 * job) rejects with a `BatchFailedError` naming it (`describe`). Nothing is dropped silently.
 * Input errors of `input` jobs reject at once, never retried. Cancellation: an aborted signal
 * rejects the job at once with the signal's reason (one already running finishes in its worker
 * and is discarded).
 */
import type { Entry } from '../core/index.js';
import type { DataKind, JobProgress, JobSpec } from './job.js';

export interface EngineOptions {
  /** Number of workers (default: available cores — os.availableParallelism() / navigator.hardwareConcurrency). */
  workers?: number;
  /** Another worker script (a bundler's copy of engine-worker.js, or a wrapper importing it). */
  workerUrl?: string | URL;
  /**
   * Run the jobs on a BullMQ queue in Redis instead (Node only): `redis://[:PASSWORD@]HOST:PORT[/DB]`
   * or `rediss://…` (TLS), or the full options. Workers: `interphase worker --queue URL` on each host.
   */
  queue?: string | QueueOptions;
}

/** A queue engine's options (queue-engine.ts; README "More than one machine"). */
export interface QueueOptions {
  /** `redis://[USER:PASSWORD@]HOST:PORT[/DB]` or `rediss://…` (TLS). */
  url: string;
  /** The password when the URL carries none (keeps it out of command lines). */
  password?: string;
  /** TLS options for `rediss://` (e.g. `{ ca }` for a private certificate authority). */
  tls?: Record<string, unknown>;
  /** The BullMQ queue's name (default `interphase`); workers must serve the same one. */
  name?: string;
  /** This run's id (default: a new one); letters, digits, `_` and `-`. */
  run?: string;
  /** Continue run `resume` of a producer that died: its stored results are used, its jobs kept. */
  resume?: string;
  /** Jobs the screens keep in flight (their look-ahead; default 8; a resumed run keeps its own). */
  size?: number;
  /** Attempts of a job that throws, with exponential backoff from `backoffMs` (default 3, 1000). */
  attempts?: number;
  backoffMs?: number;
  /** How often pending jobs are checked for results or loss beside the event stream (default 2000 ms). */
  pollMs?: number;
  /** The run fails when Redis cannot be reached for this long (default 60000 ms). */
  redisDownMs?: number;
  /** Results, data and run records expire after this long in Redis (default 7 days). */
  ttlSeconds?: number;
}

/** Data prepared for an engine's jobs; `wire` is its packed form (what workers are sent). */
export interface DataHandle<Wire = unknown> {
  readonly id: number;
  /** The data kind's name. */
  readonly kind: string;
  /** Its name in reports (a file name; the embedded table's name). */
  readonly name: string;
  readonly embedded: boolean;
  readonly wire: Wire;
}

export interface EngineStats {
  /** Workers started, replacements included (0 in this thread). */
  spawned: number;
  /** Workers that died or failed while alive. */
  failures: number;
  /** Jobs run a second time after a failure. */
  retries: number;
  /** Jobs completed. */
  batches: number;
  /** Time spent computing those jobs (ms, summed over workers). */
  busyMs: number;
}

export interface RunOptions {
  /** The data the job runs against (required when the job has a data kind). */
  data?: DataHandle;
  signal?: AbortSignal;
  /** Progress reported by the job while it runs (units of the job's own choosing). */
  onProgress?: JobProgress;
  /** Names the job (e.g. its first entries) in a BatchFailedError. */
  describe?: () => string;
}

/**
 * Workers per core at most (createEngine and the CLI's --workers): each worker holds its own copy
 * of the data, so beyond a few per core they only cost memory (1000 took 10 GB for a 5-row job).
 */
export const WORKERS_PER_CORE = 4;

/** The engine cannot run at all (closed, or its workers cannot start). */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** A job failed twice: its message names the job (its first entries); `cause` is the last failure. */
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
  /** Jobs run at once (workers; 1 in this thread). */
  readonly size: number;
  /** Where jobs run: `thread` (this one), `node` (worker_threads), `browser` (Web Workers), `queue` (Redis). */
  readonly platform: 'thread' | 'node' | 'browser' | 'queue';
  readonly stats: Readonly<EngineStats>;
  /**
   * Prepares data of a kind for jobs: `entries` (cached per array: the same unchanged array gives
   * the same handle, and what the workers learned about it is kept), or the embedded table when
   * omitted (kinds that support it).
   */
  data<W>(kind: DataKind<W, unknown, unknown>, entries?: readonly Entry[], name?: string): DataHandle<W>;
  /**
   * Data already packed (by another host: a queue worker received its wire form): a handle for
   * it, as `data` gives one for entries. The wire is trusted to be of this kind (validate it first).
   */
  adopt<W>(kind: DataKind<W, unknown, unknown>, wire: W, name: string): DataHandle<W>;
  /** Frees data in the engine and its workers. */
  release(handle: DataHandle): void;
  /** Runs one job: on the next free worker, or here. */
  run<A, R, C>(job: JobSpec<A, R, C>, args: A, options?: RunOptions): Promise<R>;
  /** Stops the engine; pending jobs reject with EngineError. */
  close(): Promise<void>;
}

/**
 * What a cached packing of an array of entries was made from: an array changed since (grown,
 * shrunk, ends replaced) is packed again. (Replacing entries in the middle of a cached array
 * goes unnoticed: treat a reference array as read-only while it is in use.)
 */
export interface EntriesStamp {
  readonly length: number;
  readonly first: Entry | undefined;
  readonly last: Entry | undefined;
}

export function entriesStamp(entries: readonly Entry[]): EntriesStamp {
  return { length: entries.length, first: entries[0], last: entries[entries.length - 1] };
}

export function sameStamp(a: EntriesStamp, b: EntriesStamp): boolean {
  return a.length === b.length && a.first === b.first && a.last === b.last;
}

let nextDataId = 1;

/** A fresh data id (unique in this thread: engines and workers key data by it). */
export function newDataId(): number {
  return nextDataId++;
}

/** Throws unless a job that needs data of a kind is given a handle of that kind. */
export function checkJobData(job: { readonly name: string; readonly data?: { readonly name: string } }, handle: DataHandle | undefined): void {
  if (!job.data) return;
  if (!handle) throw new EngineError(`job ${job.name} needs data of kind ${job.data.name}`);
  if (handle.kind !== job.data.name) throw new EngineError(`job ${job.name} runs on ${job.data.name} data, not ${handle.kind}`);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
