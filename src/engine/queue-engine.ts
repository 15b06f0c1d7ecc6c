/**
 * The engine on a BullMQ queue in Redis — the producer's side; `interphase worker` processes on any
 * number of hosts take the jobs (queue-worker.ts). The screens see one more `Engine`: `run()`
 * resolves with the job's result, whatever host computed it.
 *
 * A job carries its run id, its index in the run (the order of `run()` calls: a screen that cuts
 * the same input the same way makes the same jobs, which is what `resume` relies on), the content
 * hash of its data and its arguments (encoded). Data is stored once in Redis under its hash; each
 * worker host fetches it once. A worker stores each result under (run, index) — a duplicate
 * delivery writes the same key, so it never yields a row twice — and the producer takes it (and
 * deletes it) when the job's `completed` event arrives, or when its periodic check finds it.
 *
 * Faults: a job that throws is retried by BullMQ with exponential backoff, then fails the run
 * (`BatchFailedError` naming the job by `describe`); a worker that dies leaves its jobs to
 * BullMQ's stalled-job check (re-delivered); a job that vanished without a result (Redis restarted
 * without its data) is submitted again; Redis out of reach for `redisDownMs` fails the run.
 * Cancellation (the signal, or `close()`) removes the run's pending jobs and deletes any result
 * they still store. Node only: opened by queue-open.ts, loaded by createEngine({ queue }) on demand.
 */
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Entry } from '../core/index.js';
import { BatchFailedError, checkJobData, EngineError, errorMessage, type DataHandle, type Engine, type EngineStats, type RunOptions } from './engine.js';
import { DataHandles } from './handles.js';
import { SignalWatch } from './signals.js';
import { rebuildError, type DataKind, type JobSpec } from './job.js';
import {
  dataKey,
  decode,
  encode,
  jobId,
  redisRunId,
  resultKey,
  resultPattern,
  runKey,
  withTimeout,
  sha256,
  type JobEnvelope,
  type QueueTarget,
  type QueueSettings as Settings,
  type QueueTask as Task,
  type StoredResult,
} from './queue-common.js';

const MAX_DATA = 4;

export class QueueEngine implements Engine {
  readonly platform = 'queue' as const;
  readonly stats: EngineStats = { spawned: 0, failures: 0, retries: 0, batches: 0, busyMs: 0 };
  /** Results a resumed run found stored (computed while no producer was there). */
  found = 0;
  private next = 0;
  private readonly pending = new Map<string, Task>();
  private readonly handles = new DataHandles(MAX_DATA, (h) => this.packed.delete(h.id));
  private readonly packed = new Map<number, { hash: string; bytes: Buffer; stored?: Promise<void> }>();
  /** An aborted signal rejects its pending jobs at once and removes them from the queue. */
  private readonly watch = new SignalWatch<Task>((tasks, reason) => {
    for (const t of tasks) this.settle(t, undefined, reason);
    this.abandon(tasks);
  });
  /** Cleanups of abandoned jobs (close() waits for them). */
  private readonly cleanups = new Set<Promise<void>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking = false;
  private downSince: number | undefined;
  private closed: EngineError | undefined;
  /** The Redis server's run_id as last seen (INFO server; refreshed on every reconnection). */
  private serverRun: string | undefined;

  constructor(
    readonly target: QueueTarget,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    /** This run's id (`--resume` takes it). */
    readonly runId: string,
    /** Jobs the screens keep in flight. */
    readonly size: number,
    private readonly resumed: boolean,
    private readonly settings: Settings,
  ) {}

  async start(): Promise<void> {
    this.serverRun = await redisRunId(this.redis).catch(() => undefined);
    this.redis.on('ready', () => {
      redisRunId(this.redis).then(
        (id) => (this.serverRun = id),
        () => {},
      );
    });
    const ours = (id: string): boolean => id.startsWith(`${this.runId}.`);
    this.events.on('completed', ({ jobId: id }) => {
      const t = this.pending.get(id);
      if (t) void this.take(t, true);
      else if (ours(id)) void this.discard(id);
    });
    this.events.on('failed', ({ jobId: id, failedReason }) => {
      const t = this.pending.get(id);
      if (t) this.fail(t, failedReason);
      else if (ours(id)) void this.discard(id);
    });
    this.events.on('progress', ({ jobId: id, data }) => {
      const p = data as { done?: unknown; total?: unknown } | null;
      if (p && typeof p.done === 'number') this.pending.get(id)?.options.onProgress?.(p.done, typeof p.total === 'number' ? p.total : undefined);
    });
    this.events.on('stalled', ({ jobId: id }) => {
      if (this.pending.has(id)) this.stats.retries++;
    });
    this.events.on('delayed', ({ jobId: id }) => {
      if (this.pending.has(id)) this.stats.failures++, this.stats.retries++;
    });
    void this.events.run().catch(() => {});
    await this.events.waitUntilReady();
    await this.queue.waitUntilReady();
    this.timer = setInterval(() => void this.check(), this.settings.pollMs);
    this.timer.unref?.();
  }

  data<W>(kind: DataKind<W, unknown, unknown>, entries?: readonly Entry[], name?: string): DataHandle<W> {
    this.checkOpen();
    return this.pack(this.handles.get(kind, entries, name));
  }

  adopt<W>(kind: DataKind<W, unknown, unknown>, wire: W, name: string): DataHandle<W> {
    this.checkOpen();
    return this.pack(this.handles.adopt(kind, wire, name));
  }

  private pack<W>(h: DataHandle<W>): DataHandle<W> {
    if (!this.packed.has(h.id)) {
      const bytes = encode(h.wire);
      this.packed.set(h.id, { hash: sha256(bytes), bytes });
    }
    return h;
  }

  release(handle: DataHandle): void {
    this.handles.drop(handle);
  }

  /** Stores a handle's packed copy in Redis once (kept there for every run that uses it). */
  private store(h: DataHandle, again = false): Promise<void> {
    const p = this.packed.get(h.id);
    if (!p) throw new EngineError(`data ${h.id} (${h.name}) was released`);
    if (!p.stored || again) {
      const key = dataKey(p.hash);
      p.stored = (async () => {
        if (await this.redis.expire(key, this.settings.ttl)) return;
        await this.redis.set(key, p.bytes, 'EX', this.settings.ttl);
      })();
      p.stored.catch(() => (p.stored = undefined));
    }
    return p.stored;
  }

  async run<A, R, C>(job: JobSpec<A, R, C>, args: A, options: RunOptions = {}): Promise<R> {
    this.checkOpen();
    options.signal?.throwIfAborted();
    checkJobData(job, options.data);
    const h = job.data ? options.data : undefined;
    if (h && !this.handles.has(h)) throw new EngineError(`data ${h.id} (${h.name}) was released`);
    const index = this.next++;
    const stored = await new Promise<StoredResult>((resolve, reject) => {
      const task: Task = {
        index,
        id: jobId(this.runId, index),
        job: job as JobSpec<unknown, unknown, unknown>,
        options,
        added: false,
        taking: false,
        settled: false,
        resolve,
        reject,
        cleanup: () => {},
      };
      this.pending.set(task.id, task);
      if (options.signal) task.cleanup = this.watch.add(options.signal, task);
      this.submit(task, args, h).catch((e: unknown) => this.settle(task, undefined, e));
    });
    this.stats.batches++;
    this.stats.busyMs += stored.elapsedMs;
    if ('error' in stored.outcome) throw rebuildError(job as JobSpec<never, unknown, never>, stored.outcome.error);
    return stored.outcome.ok as R;
  }

  /** Puts a job in the queue — unless a resumed run finds its result stored or its job still there. */
  private async submit(task: Task, args: unknown, h: DataHandle | undefined): Promise<void> {
    const bytes = encode(args);
    let data: JobEnvelope['data'] = null;
    if (h) {
      await this.store(h);
      data = { kind: h.kind, hash: this.packed.get(h.id)!.hash, name: h.name };
    }
    task.envelope = { v: 1, run: this.runId, index: task.index, data, digest: sha256(bytes), args: bytes.toString('base64'), ttl: this.settings.ttl };
    if (task.settled) return;
    if (this.resumed) {
      if (await this.take(task, false)) {
        this.found++;
        return;
      }
      const state = await this.queue.getJobState(task.id);
      if (state === 'failed') await this.queue.remove(task.id);
    }
    await this.add(task);
  }

  private async add(task: Task): Promise<void> {
    await this.queue.add(task.job.name, task.envelope!, {
      jobId: task.id,
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      removeOnComplete: true,
      removeOnFail: { age: this.settings.ttl },
    });
    task.added = true;
    task.redisRun = this.serverRun;
    if (task.settled) this.abandon([task]); // cancelled while being added
  }

  /** Adds a job Redis lost again (storing its data again if that was lost too). */
  private async resubmit(task: Task): Promise<void> {
    const h = task.options.data;
    const p = h && this.packed.get(h.id);
    if (h && p && !(await this.redis.exists(dataKey(p.hash)))) await this.store(h, true);
    this.stats.retries++;
    await this.add(task);
  }

  /**
   * Takes a task's stored result, if there is one (deleting it: a result is read once). `expected`:
   * the job completed, so a missing result means Redis lost it (evicted: see README).
   */
  private async take(task: Task, expected: boolean): Promise<boolean> {
    if (task.taking || task.settled) return true;
    task.taking = true;
    try {
      const key = resultKey(this.target, this.runId, task.index);
      const bytes = await this.redis.getBuffer(key);
      if (!bytes) {
        if (expected && !task.settled) {
          // Completed, yet no result: Redis restarted since the job was added and lost it (no
          // persistence, or not yet written) — computed again; else it was evicted — fail loudly.
          const now = await redisRunId(this.redis).catch(() => undefined);
          if (now !== undefined && task.redisRun !== undefined && now !== task.redisRun) await this.resubmit(task);
          else this.settle(task, undefined, new EngineError(`${this.what(task)} completed, but its result is missing from Redis at ${this.target.shown} (evicted? set maxmemory-policy noeviction)`));
        }
        return false;
      }
      await this.redis.del(key);
      const r = decode(bytes, `the result of ${this.what(task)}`) as StoredResult;
      if (r.digest !== task.envelope?.digest) {
        this.settle(task, undefined, new EngineError(`run ${this.runId}: the stored result of job ${task.index} was computed from other arguments — resume a run with the same input and options`));
        return true;
      }
      this.settle(task, r);
      return true;
    } finally {
      task.taking = false;
    }
  }

  private fail(task: Task, reason: string): void {
    const what = this.what(task);
    this.settle(task, undefined, new BatchFailedError(`${what} failed on the queue after ${this.settings.attempts} attempts, last: ${reason}`, what));
    void this.discard(task.id);
  }

  private what(task: Task): string {
    return task.options.describe?.() ?? `job ${task.job.name} #${task.index} of run ${this.runId}`;
  }

  /** Removes a job of this run that is no longer wanted, and any result it stored. */
  private async discard(id: string): Promise<void> {
    const index = Number(id.slice(this.runId.length + 1));
    await Promise.all([this.queue.remove(id).catch(() => 0), this.redis.del(resultKey(this.target, this.runId, index)).catch(() => 0)]);
  }

  /**
   * Beside the event stream, every pollMs: pending jobs that finished without our hearing (a
   * result to take, a failure), jobs lost with their result (Redis restarted without them: added
   * again, data stored again), and Redis out of reach too long (the run fails).
   */
  private async check(): Promise<void> {
    if (this.checking || this.closed) return;
    this.checking = true;
    try {
      // Bounded: with Redis away, a command waits for it (and would hold every later check).
      await withTimeout(this.reconcile(), 5 * this.settings.pollMs, 'checking the pending jobs');
      this.downSince = undefined;
    } catch (e) {
      const now = Date.now();
      this.downSince ??= now;
      if (now - this.downSince >= this.settings.redisDownMs) {
        const err = new EngineError(
          `Redis at ${this.target.shown} out of reach for ${Math.round((now - this.downSince) / 1000)} s (${errorMessage(e)}): run ${this.runId} stopped, resume it with --resume ${this.runId}`,
        );
        for (const t of [...this.pending.values()]) this.settle(t, undefined, err);
      }
    } finally {
      this.checking = false;
    }
  }

  private async reconcile(): Promise<void> {
    await this.redis.ping();
    for (const task of [...this.pending.values()]) {
      if (!task.added || task.settled || task.taking) continue;
      const state = await this.queue.getJobState(task.id);
      if (state === 'failed') {
        const job = await this.queue.getJob(task.id);
        this.fail(task, job?.failedReason ?? 'unknown');
      } else if ((state === 'unknown' || state === 'completed') && !(await this.take(task, false)) && !task.settled) {
        // Gone without a result: Redis lost the job (restarted without it), and maybe its data.
        await this.resubmit(task);
      }
    }
  }

  /**
   * Removes abandoned jobs from the queue; one a worker is running (locked) is waited for, then its
   * result deleted. close() waits for these.
   */
  private abandon(tasks: readonly Task[]): void {
    const added = tasks.filter((t) => t.added);
    if (!added.length) return;
    const p = (async () => {
      for (const t of added) {
        for (let waited = 0; ; waited += 100) {
          const removed = await this.queue.remove(t.id).catch(() => 0);
          const state = removed ? 'unknown' : await this.queue.getJobState(t.id).catch(() => 'unknown');
          if (state === 'unknown' || state === 'completed' || state === 'failed' || waited > 120_000) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await this.discard(t.id).catch(() => {});
      }
    })();
    this.cleanups.add(p);
    void p.finally(() => this.cleanups.delete(p));
  }

  private settle(task: Task, result: StoredResult | undefined, error?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    this.pending.delete(task.id);
    task.cleanup();
    if (result) task.resolve(result);
    else task.reject(error);
  }

  private checkOpen(): void {
    if (this.closed) throw this.closed;
  }

  /**
   * Stops the engine: pending jobs are removed (their run() calls reject), results left by
   * duplicate deliveries deleted, the run's record removed; then the connections close.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = new EngineError('the engine is closed');
    clearInterval(this.timer);
    const left = [...this.pending.values()];
    for (const t of left) this.settle(t, undefined, this.closed);
    this.abandon(left);
    try {
      // Bounded: with Redis away, commands would wait for it forever.
      await withTimeout(this.cleanUp(), this.settings.redisDownMs, 'cleaning up the run');
    } catch {
      // What is left expires with its TTL.
    } finally {
      // BullMQ's closes wait for Redis too: not longer than a few seconds.
      await withTimeout(Promise.allSettled([this.events.close(), this.queue.close()]), 3000, 'closing').catch(() => {});
      this.redis.disconnect();
    }
  }

  /** Waits for abandoned jobs, deletes results left by duplicate deliveries and the run's record. */
  private async cleanUp(): Promise<void> {
    while (this.cleanups.size) await Promise.all([...this.cleanups]);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', resultPattern(this.target, this.runId), 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(runKey(this.target, this.runId));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
