/**
 * The engine in this thread: the same jobs as the worker pool, run here one at a time, each after
 * a turn of the event loop (so consumers, timers and abort signals run between jobs). Data is
 * opened once per handle and kept: a screen run twice against one reference finds its
 * stabilities once. `localEngine()` is shared by every caller that passes no engine.
 */
import type { Entry } from '../core/index.js';
import { EngineError, type DataHandle, type Engine, type EngineStats, type RunOptions } from './engine.js';
import { DataHandles } from './handles.js';
import { rebuildError, runOutcome, type DataKind, type JobSpec } from './job.js';

// Prepared data kept per kind (least recently used dropped first).
const MAX_DATA = 4;

export class LocalEngine implements Engine {
  readonly size = 1;
  readonly platform = 'thread' as const;
  readonly stats: EngineStats = { spawned: 0, failures: 0, retries: 0, batches: 0, busyMs: 0 };
  /** Opened data: the context itself once known (sync kinds at once), else its promise. */
  private readonly contexts = new Map<number, { ready: boolean; value: unknown; promise: Promise<unknown> }>();
  private readonly handles = new DataHandles(MAX_DATA, (h) => this.contexts.delete(h.id));
  private readonly kinds = new Map<number, DataKind>();
  private closed: EngineError | undefined;

  constructor(private readonly shared: boolean) {}

  data<W>(kind: DataKind<W, unknown, unknown>, entries?: readonly Entry[], name?: string): DataHandle<W> {
    if (this.closed) throw this.closed;
    const handle = this.handles.get(kind, entries, name);
    this.kinds.set(handle.id, kind as DataKind);
    return handle;
  }

  adopt<W>(kind: DataKind<W, unknown, unknown>, wire: W, name: string): DataHandle<W> {
    if (this.closed) throw this.closed;
    const handle = this.handles.adopt(kind, wire, name);
    this.kinds.set(handle.id, kind as DataKind);
    return handle;
  }

  release(handle: DataHandle): void {
    this.handles.drop(handle);
  }

  async run<A, R, C>(job: JobSpec<A, R, C>, args: A, options: RunOptions = {}): Promise<R> {
    const { signal } = options;
    if (this.closed) throw this.closed;
    signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, 0));
    signal?.throwIfAborted();
    if (job.data) await this.context(job, options.data).promise;
    return this.runSync(job, args, options);
  }

  /**
   * Runs a job now, synchronously (the synchronous API's path): its data must open synchronously
   * or have been opened by an earlier `run`.
   */
  runSync<A, R, C>(job: JobSpec<A, R, C>, args: A, options: Omit<RunOptions, 'signal'> = {}): R {
    if (this.closed) throw this.closed;
    let ctx: unknown;
    if (job.data) {
      const c = this.context(job, options.data);
      if (!c.ready) throw new EngineError(`job ${job.name}: its data (${options.data!.name}) is still being opened`);
      ctx = c.value;
    }
    const t0 = performance.now();
    const out = runOutcome(job, ctx as C, args, options.onProgress);
    this.stats.busyMs += performance.now() - t0;
    this.stats.batches++;
    if ('error' in out) throw rebuildError(job as JobSpec<never, unknown, never>, out.error);
    return out.ok;
  }

  private context(job: JobSpec<never, unknown, unknown>, handle: DataHandle | undefined): { ready: boolean; value: unknown; promise: Promise<unknown> } {
    if (!handle) throw new EngineError(`job ${job.name} needs data of kind ${job.data!.name}`);
    if (handle.kind !== job.data!.name) throw new EngineError(`job ${job.name} runs on ${job.data!.name} data, not ${handle.kind}`);
    let c = this.contexts.get(handle.id);
    if (!c) {
      if (!this.handles.has(handle)) throw new EngineError(`data ${handle.id} (${handle.name}) was released`);
      const opened = this.kinds.get(handle.id)!.open(handle.wire);
      if (opened instanceof Promise) {
        const entry = { ready: false, value: undefined as unknown, promise: opened };
        opened.then(
          (v) => Object.assign(entry, { ready: true, value: v }),
          () => this.contexts.delete(handle.id),
        );
        c = entry;
      } else c = { ready: true, value: opened, promise: Promise.resolve(opened) };
      this.contexts.set(handle.id, c);
    }
    return c;
  }

  async close(): Promise<void> {
    // The shared engine serves every caller without one: closing it would break the others.
    if (this.shared) return;
    this.closed ??= new EngineError('the engine is closed');
    this.contexts.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

let shared: LocalEngine | undefined;

/** The engine of this thread, shared by every caller (its close() does nothing). */
export function localEngine(): LocalEngine {
  return (shared ??= new LocalEngine(true));
}

/** A private engine in this thread (its own prepared data; close() frees it). */
export function createLocalEngine(): LocalEngine {
  return new LocalEngine(false);
}
