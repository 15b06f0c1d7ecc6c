/**
 * The engine on a pool of workers (Node `worker_threads` or browser Web Workers; Comlink in
 * both). Each worker instantiates the WASM kernel once and keeps the data it was sent, opened
 * once; jobs queue for the next free worker, one job per worker at a time. What a job learns
 * about its data (a reference's point stabilities) is logged here and handed to every other
 * worker before its next job on that data, so no stability is found twice.
 *
 * Failures: see engine.ts. A worker that dies is replaced in its slot; the engine gives up
 * (EngineError) after MAX_START_FAILURES replacements in a row fail to start.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { Entry } from '../core/index.js';
import { BatchFailedError, checkJobData, EngineError, errorMessage, WORKERS_PER_CORE, type DataHandle, type Engine, type EngineOptions, type EngineStats, type RunOptions } from './engine.js';
import { DataHandles } from './handles.js';
import { SignalWatch } from './signals.js';
import { rebuildError, type DataKind, type JobSpec } from './job.js';
import type { EnginePlatform, WorkerHandle } from './platform.js';
import type { EngineService, WorkerRunResult } from './service.js';

/** Worker failed or died: the job may be retried on another one. */
class WorkerFailure extends Error {
  override name = 'WorkerFailure';
}

interface Slot {
  handle: WorkerHandle;
  remote: Remote<EngineService>;
  /** Data this worker has, and how many chunks of its learned log it has been sent. */
  data: Map<number, number>;
  busy: boolean;
  alive: boolean;
  /** Set when the worker dies; `untilDeath` callers are rejected with it. */
  failure?: WorkerFailure;
  /** Rejections of the calls waiting on this worker (see `untilDeath`). */
  readonly onDeath: Set<(e: WorkerFailure) => void>;
}

/**
 * `p`, or a WorkerFailure as soon as the slot's worker dies. Not `Promise.race([p, died])` against
 * one long-lived promise: every race leaves a reaction on it that holds the race's outcome — each
 * job's result stayed reachable until the worker died (a 1M-row screen grew its heap by ~100 MB).
 */
function untilDeath<T>(slot: Slot, p: Promise<T>): Promise<T> {
  if (slot.failure) return Promise.reject(slot.failure);
  return new Promise<T>((resolve, reject) => {
    slot.onDeath.add(reject);
    p.then(
      (v) => {
        slot.onDeath.delete(reject);
        resolve(v);
      },
      (e: unknown) => {
        slot.onDeath.delete(reject);
        reject(e);
      },
    );
  });
}

interface Task {
  job: JobSpec<unknown, unknown, unknown>;
  args: unknown;
  data: DataHandle | undefined;
  options: RunOptions;
  failures: number;
  settled: boolean;
  resolve: (r: WorkerRunResult) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

// Workers that fail before ever becoming ready, in a row, before the engine gives up.
const MAX_START_FAILURES = 3;
// Data kept per kind by the engine and its workers (least recently used dropped first).
const MAX_DATA = 4;

/** Starts a pool of workers and waits until each has its WASM kernel ready. */
export async function createPool(platform: EnginePlatform, options: EngineOptions): Promise<Engine> {
  const size = options.workers ?? platform.defaultWorkers();
  if (!Number.isInteger(size) || size < 1) throw new EngineError(`workers must be an integer >= 1, got ${String(options.workers)}`);
  const max = WORKERS_PER_CORE * platform.defaultWorkers();
  if (size > max) throw new EngineError(`workers ${size}: at most ${max} (${WORKERS_PER_CORE} per core, ${platform.defaultWorkers()} cores here); each worker holds its own copy of the data`);
  const url = options.workerUrl === undefined ? platform.defaultWorkerUrl() : new URL(options.workerUrl);
  const pool = new Pool(platform, url, size);
  await pool.start();
  return pool;
}

class Pool implements Engine {
  readonly platform: 'node' | 'browser';
  readonly stats: EngineStats = { spawned: 0, failures: 0, retries: 0, batches: 0, busyMs: 0 };
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Set<Task>();
  private readonly kinds = new Map<string, DataKind>();
  private readonly handles = new DataHandles(MAX_DATA, (h) => this.dropped(h));
  /** Per data handle: what the workers learned, chunk by chunk with the worker that learned it, to pass on to the others. */
  private readonly logs = new Map<number, Array<{ readonly from: Slot; readonly learned: unknown }>>();
  /** Pending jobs per AbortSignal: an abort takes them out of the queue and rejects them. */
  private readonly watch = new SignalWatch<Task>((tasks, reason) => {
    for (const t of tasks) {
      const i = this.queue.indexOf(t);
      if (i >= 0) this.queue.splice(i, 1);
      this.settle(t, undefined, reason);
    }
  });
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

  data<W>(kind: DataKind<W, unknown, unknown>, entries?: readonly Entry[], name?: string): DataHandle<W> {
    this.checkOpen();
    this.kinds.set(kind.name, kind as DataKind);
    const h = this.handles.get(kind, entries, name);
    if (!this.logs.has(h.id)) this.logs.set(h.id, []);
    return h;
  }

  adopt<W>(kind: DataKind<W, unknown, unknown>, wire: W, name: string): DataHandle<W> {
    this.checkOpen();
    this.kinds.set(kind.name, kind as DataKind);
    const h = this.handles.adopt(kind, wire, name);
    this.logs.set(h.id, []);
    return h;
  }

  release(handle: DataHandle): void {
    this.handles.drop(handle);
  }

  private dropped(h: DataHandle): void {
    this.logs.delete(h.id);
    for (const s of this.slots) {
      if (s.alive && s.data.delete(h.id)) s.remote.dropData(h.id).catch(() => {});
    }
  }

  async run<A, R, C>(job: JobSpec<A, R, C>, args: A, options: RunOptions = {}): Promise<R> {
    checkJobData(job, options.data);
    const r = await this.submit(job as JobSpec<unknown, unknown, unknown>, args, options);
    if ('error' in r.outcome) throw rebuildError(job as JobSpec<never, unknown, never>, r.outcome.error);
    return r.outcome.ok as R;
  }

  /** Queues a job for the next free worker. */
  private submit(job: JobSpec<unknown, unknown, unknown>, args: unknown, options: RunOptions): Promise<WorkerRunResult> {
    return new Promise<WorkerRunResult>((resolve, reject) => {
      if (this.closed) return reject(this.closed);
      const { signal } = options;
      if (signal?.aborted) return reject(signal.reason);
      const task: Task = { job, args, data: job.data ? options.data : undefined, options, failures: 0, settled: false, resolve, reject, cleanup: () => {} };
      if (signal) task.cleanup = this.watch.add(signal, task);
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
    const slot: Slot = { handle, remote, data: new Map(), busy: false, alive: true, onDeath: new Set() };
    handle.onFailure((e) => {
      if (!slot.alive) return;
      slot.alive = false;
      this.stats.failures++;
      slot.failure = new WorkerFailure(e.message, { cause: e });
      for (const reject of slot.onDeath) reject(slot.failure);
      slot.onDeath.clear();
      this.replace(slot);
    });
    return slot;
  }

  private async ready(slot: Slot): Promise<void> {
    slot.handle.setBusy(true);
    try {
      await untilDeath(slot, slot.remote.ready());
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
      void this.execute(slot, task);
    }
  }

  /** Sends a worker the job's data (once) and what the other workers learned about it since it last heard. */
  private async prepare(slot: Slot, h: DataHandle): Promise<unknown> {
    if (!this.handles.has(h)) throw new EngineError(`data ${h.id} (${h.name}) was released`);
    if (!slot.data.has(h.id)) {
      this.stats.busyMs += await slot.remote.setData(h.id, h.kind, h.wire);
      slot.data.set(h.id, 0);
    }
    const log = this.logs.get(h.id);
    const sent = slot.data.get(h.id)!;
    const kind = this.kinds.get(h.kind);
    // Only the others' chunks: a worker already has what it learned itself.
    const news = log && kind?.learned ? log.slice(sent).filter((c) => c.from !== slot) : [];
    const known = news.length ? kind!.learned!.concat(news.map((c) => c.learned)) : undefined;
    slot.data.set(h.id, log?.length ?? 0);
    return known;
  }

  private async execute(slot: Slot, task: Task): Promise<void> {
    slot.busy = true;
    slot.handle.setBusy(true);
    this.running.add(task);
    try {
      const h = task.data;
      const { onProgress } = task.options;
      const call = async (): Promise<WorkerRunResult> => {
        const known = h ? await this.prepare(slot, h) : undefined;
        return slot.remote.run(task.job.name, h ? h.id : null, task.args, known, onProgress ? proxy(onProgress) : undefined);
      };
      const result = await untilDeath(slot, call());
      this.stats.batches++;
      this.stats.busyMs += result.elapsedMs;
      if (result.learned !== undefined && h) this.logs.get(h.id)?.push({ from: slot, learned: result.learned });
      this.settle(task, result);
    } catch (e) {
      if (!task.settled) {
        task.failures++;
        if (task.failures >= 2 || this.closed || e instanceof EngineError) {
          const what = task.options.describe?.() ?? `job ${task.job.name}`;
          const why = e instanceof WorkerFailure ? `its worker died (${e.message})` : errorMessage(e);
          this.settle(task, undefined, this.closed ?? (e instanceof EngineError ? e : new BatchFailedError(`${what} failed twice, last: ${why}`, what, { cause: e })));
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

  private settle(task: Task, result: WorkerRunResult | undefined, error?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.cleanup();
    if (result) task.resolve(result);
    else task.reject(error);
  }
}
