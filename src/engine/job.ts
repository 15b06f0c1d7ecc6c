/**
 * The job API: what a unit of work is, independent of where it runs. A `JobSpec` is a named pure
 * function of (prepared data, plain arguments) → plain result; a `DataKind` says how the data a
 * job runs against is packed on the calling side (once), opened where the job runs (once per
 * worker, host or thread) and what a job may learn about it that others can reuse. Engines
 * (local.ts: this thread, pool.ts: worker threads / Web Workers) run any registered job; the
 * layers above declare their jobs (screen/jobs.ts) and never ask which engine runs them.
 */
import type { Entry } from '../core/index.js';

/** Progress inside a job: units done (and the total, when known). */
export type JobProgress = (done: number, total?: number) => void;

/**
 * A kind of data jobs run against. `Wire` crosses threads (structured-clone friendly: plain
 * objects, typed arrays); `Ctx` is what the job works on, built from it once per worker.
 */
export interface DataKind<Wire = unknown, Ctx = unknown, Learned = unknown> {
  readonly name: string;
  /** Calling side: the wire form of a dataset; `entries` null = the embedded table. */
  pack(entries: readonly Entry[] | null, name: string | undefined): Wire;
  /** Where jobs run: the context, built once per worker (may load the embedded table). */
  open(wire: Wire): Ctx | Promise<Ctx>;
  /**
   * Checks a wire form that arrived from elsewhere (another host, through a queue): throws an
   * error naming what is wrong. Plain data is checked before (`checkPlainData`).
   */
  validate?(wire: unknown): void;
  /**
   * What a job found about the data that other workers need not find again (point stabilities
   * of a reference): taken after each job, logged by the engine and handed to every other worker
   * before its next job on this data.
   */
  readonly learned?: {
    take(ctx: Ctx): Learned | undefined;
    apply(ctx: Ctx, learned: Learned): void;
    concat(chunks: readonly Learned[]): Learned;
    buffers?(learned: Learned): ArrayBufferLike[];
  };
}

/** A registered kind of work. */
export interface JobSpec<Args = unknown, Result = unknown, Ctx = unknown> {
  /** Unique: how a worker (or a queue) finds the function. */
  readonly name: string;
  /** The data it runs against (absent: none). */
  readonly data?: DataKind<unknown, Ctx, unknown>;
  run(ctx: Ctx, args: Args, progress: JobProgress | undefined): Result;
  /** Buffers of the result moved, not copied, to the calling thread. */
  buffers?(result: Result): ArrayBufferLike[];
  /**
   * `input`: an error thrown by `run` is the input's fault — reported at once, never retried
   * (screening workflows). Default `retry`: a thrown error counts as a failure of the worker and
   * the job is retried once (stability batches, whose bad candidates are part of the result).
   */
  readonly errors?: 'input' | 'retry';
  /** Rebuilds an input error from its name and message on the calling side (default: `Error`). */
  rebuildError?(e: SerializedError): Error;
  /**
   * Checks arguments that arrived from elsewhere (another host, through a queue) before `run`:
   * throws an error naming what is wrong. Plain data is checked before (`checkPlainData`).
   */
  validate?(args: unknown): void;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

/** A job's outcome as plain data (input errors do not become rejections across threads). */
export type JobOutcome<T> = { ok: T } | { error: SerializedError };

/** Declares a job (identity function: keeps the argument and result types). */
export function defineJob<Args, Result, Ctx = undefined>(spec: JobSpec<Args, Result, Ctx>): JobSpec<Args, Result, Ctx> {
  return spec;
}

/** Declares a data kind. */
export function defineDataKind<Wire, Ctx, Learned = never>(kind: DataKind<Wire, Ctx, Learned>): DataKind<Wire, Ctx, Learned> {
  return kind;
}

export type ArgsOf<J> = J extends JobSpec<infer A, unknown, never> ? A : never;
export type ResultOf<J> = J extends JobSpec<unknown, infer R, never> ? R : never;

/** Jobs by name, and their data kinds by name: what a worker can run. */
export interface JobTable {
  readonly jobs: ReadonlyMap<string, JobSpec<unknown, unknown, unknown>>;
  readonly kinds: ReadonlyMap<string, DataKind>;
}

/** Any job, whatever its types (for tables: the name picks the function). */
// biome-ignore lint/suspicious/noExplicitAny: a table holds jobs of every argument and result type
export type AnyJob = JobSpec<any, any, any>;

/** The table of a list of jobs; names must be unique (a second job of one name is a bug). */
export function jobTable(specs: readonly AnyJob[]): JobTable {
  const jobs = new Map<string, JobSpec<unknown, unknown, unknown>>();
  const kinds = new Map<string, DataKind>();
  for (const s of specs) {
    if (jobs.has(s.name)) throw new Error(`job ${JSON.stringify(s.name)} is registered twice`);
    jobs.set(s.name, s);
    if (s.data) {
      const known = kinds.get(s.data.name);
      if (known && known !== s.data) throw new Error(`data kind ${JSON.stringify(s.data.name)} is registered twice`);
      kinds.set(s.data.name, s.data as DataKind);
    }
  }
  return { jobs, kinds };
}

/** Runs a job on its context, with input errors as values (the shape every engine passes on). */
export function runOutcome<A, R, C>(job: JobSpec<A, R, C>, ctx: C, args: A, progress: JobProgress | undefined): JobOutcome<R> {
  if (job.errors !== 'input') return { ok: job.run(ctx, args, progress) };
  try {
    return { ok: job.run(ctx, args, progress) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { error: { name: err.name, message: err.message } };
  }
}

/** The calling side's error for an input error a job reported. */
export function rebuildError(job: JobSpec<never, unknown, never>, e: SerializedError): Error {
  if (job.rebuildError) return job.rebuildError(e);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * Throws unless `value` is plain data: null, booleans, numbers, strings, arrays and plain objects
 * of plain data, typed arrays (what a job's arguments and a data kind's wire form may be). `what`
 * names the value in the message; the path of the offending part follows it.
 */
export function checkPlainData(value: unknown, what: string, depth = 0): void {
  if (depth > 64) throw new TypeError(`${what}: nested too deeply`);
  if (value === null) return;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`${what}: a ${typeof value} is not plain data`);
  }
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) throw new TypeError(`${what}: a DataView is not plain data`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkPlainData(value[i], `${what}[${i}]`, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new TypeError(`${what}: a ${(value as object).constructor?.name ?? 'non-plain object'} is not plain data`);
  for (const k of Object.keys(value)) checkPlainData((value as Record<string, unknown>)[k], `${what}.${k}`, depth + 1);
}
