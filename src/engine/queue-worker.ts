/**
 * A queue worker — what `interphase worker --queue URL` runs on each host: it takes jobs from the
 * BullMQ queue, runs them on this host's worker pool (pool.ts) and stores each result in Redis
 * under its run and index (queue-engine.ts takes it from there). Nothing from the queue is ever
 * run as code: a job's name must be one of the table's jobs, its envelope, arguments and data are
 * checked (plain data, the job's and the data kind's own checks, the data's content hash) before
 * the job runs. Data is fetched once per content hash and kept (the last few). Node only.
 *
 * Faults: an error thrown by a job (or a pool that lost a worker twice) fails the attempt — BullMQ
 * retries it with backoff; a malformed job fails at once, never retried (UnrecoverableError).
 * `close()` finishes the jobs in hand; `close(true)` hands them back to the queue at once.
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createEngine } from './create.js';
import { BatchFailedError, EngineError, errorMessage, type DataHandle, type Engine, type QueueOptions } from './engine.js';
import { checkPlainData, type DataKind, type JobOutcome, type JobTable } from './job.js';
import { checkEnvelope, dataKey, decode, encode, queueLibraries, queueTarget, resultKey, sha256, type JobEnvelope, type QueueTarget, type StoredResult } from './queue-common.js';

export interface QueueWorkerOptions {
  /** The queue: its Redis URL, or the full options (password, TLS, queue name). */
  queue: string | QueueOptions;
  /** The jobs this worker runs (the screens' SCREEN_JOBS): nothing else is ever run. */
  table: JobTable;
  /** Worker threads of this host's pool (default: the available cores). */
  concurrency?: number;
  /** Another worker script for the pool (see EngineOptions.workerUrl). */
  workerUrl?: string | URL;
  /** Its name in BullMQ (jobs record who processed them; default HOST:PID). */
  name?: string;
  /**
   * How long a job's lock lasts without renewal (default 10000 ms), and how often workers look
   * for jobs whose lock expired — a dead worker's (default 5000 ms): a job of a dead worker is
   * delivered again within about the sum.
   */
  lockDuration?: number;
  stalledInterval?: number;
  /** Times a job may be found stalled before it fails (default 2). */
  maxStalledCount?: number;
  /** Log lines (data fetched, job failures); default none. */
  log?: (line: string) => void;
}

export interface QueueWorkerStats {
  /** Jobs completed (results stored), failed attempts, data sets fetched from Redis. */
  completed: number;
  failed: number;
  fetched: number;
}

export interface QueueWorker {
  readonly name: string;
  /** Worker threads. */
  readonly size: number;
  readonly target: QueueTarget;
  readonly stats: Readonly<QueueWorkerStats>;
  /** Stops taking jobs; `force` hands the jobs in hand back to the queue instead of finishing them. */
  close(force?: boolean): Promise<void>;
}

const MAX_DATA = 4;
const PROGRESS_MS = 250;

/** Connects to the queue and starts taking jobs. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const target = queueTarget(options.queue);
  const { bullmq, Redis } = await queueLibraries();
  const redis = new Redis({ ...target.redis, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new EngineError(`cannot reach Redis at ${target.shown}: ${errorMessage(e)}`, { cause: e });
  }
  let engine: Engine;
  try {
    engine = await createEngine({ ...(options.concurrency !== undefined ? { workers: options.concurrency } : {}), ...(options.workerUrl !== undefined ? { workerUrl: options.workerUrl } : {}) });
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const w = new QueueWorkerImpl(target, redis, engine, options);
  // Two jobs per thread in hand: the next one's Redis round trips overlap this one's computing.
  w.worker = new bullmq.Worker(target.name, (job, token) => w.process(job, token), {
    connection: target.redis,
    prefix: target.prefix,
    concurrency: 2 * engine.size,
    name: w.name,
    lockDuration: options.lockDuration ?? 10_000,
    stalledInterval: options.stalledInterval ?? 5_000,
    maxStalledCount: options.maxStalledCount ?? 2,
  });
  w.worker.on('error', (e) => options.log?.(`queue error: ${errorMessage(e)}`));
  w.worker.on('failed', (job, e) => {
    w.stats.failed++;
    if (job) options.log?.(`job ${job.name} ${job.id} failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${errorMessage(e)}`);
  });
  await w.worker.waitUntilReady();
  return w;
}

class QueueWorkerImpl implements QueueWorker {
  readonly name: string;
  readonly size: number;
  readonly stats: QueueWorkerStats = { completed: 0, failed: 0, fetched: 0 };
  worker!: Worker;
  private readonly data = new Map<string, Promise<DataHandle>>();
  /** Jobs in hand and their lock tokens (close(true) hands them back). */
  private readonly active = new Map<Job, string>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly target: QueueTarget,
    private readonly redis: Redis,
    private readonly engine: Engine,
    private readonly options: QueueWorkerOptions,
  ) {
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    this.size = engine.size;
  }

  async process(job: Job, token: string | undefined): Promise<null> {
    const { bullmq } = await queueLibraries();
    const spec = this.options.table.jobs.get(job.name);
    if (!spec) throw new bullmq.UnrecoverableError(`unknown job ${JSON.stringify(job.name)}: this worker runs ${[...this.options.table.jobs.keys()].join(', ')}`);
    let env: JobEnvelope;
    let args: unknown;
    try {
      env = checkEnvelope(job.data);
      const bytes = Buffer.from(env.args, 'base64');
      if (sha256(bytes) !== env.digest) throw new EngineError('arguments do not match their digest');
      args = decode(bytes, 'arguments');
      checkPlainData(args, 'arguments');
      spec.validate?.(args);
      if (spec.data && (!env.data || env.data.kind !== spec.data.name)) throw new EngineError(`job ${spec.name} needs data of kind ${spec.data.name}`);
    } catch (e) {
      throw new bullmq.UnrecoverableError(`job ${job.name} ${job.id}: ${errorMessage(e)}`);
    }
    if (token) this.active.set(job, token);
    try {
      const data = spec.data ? await this.dataFor(env.data!, spec.data) : undefined;
      let last = 0;
      const onProgress = (done: number, total?: number): void => {
        const now = performance.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        void job.updateProgress({ done, ...(total !== undefined ? { total } : {}) }).catch(() => {});
      };
      const t0 = performance.now();
      let outcome: JobOutcome<unknown>;
      try {
        outcome = { ok: await this.engine.run(spec, args, { ...(data ? { data } : {}), onProgress }) };
      } catch (e) {
        // Input errors are results (reported by the producer at once, never retried).
        if (spec.errors !== 'input' || e instanceof BatchFailedError || e instanceof EngineError) throw e;
        const err = e instanceof Error ? e : new Error(String(e));
        outcome = { error: { name: err.name, message: err.message } };
      }
      const stored: StoredResult = { v: 1, digest: env.digest, outcome, elapsedMs: performance.now() - t0, worker: this.name };
      await this.redis.set(resultKey(this.target, env.run, env.index), encode(stored), 'EX', env.ttl);
      this.stats.completed++;
      return null;
    } finally {
      this.active.delete(job);
    }
  }

  /** The data of a content hash: fetched from Redis once, checked, opened by the pool; the last few kept. */
  private dataFor(ref: NonNullable<JobEnvelope['data']>, kind: DataKind): Promise<DataHandle> {
    let p = this.data.get(ref.hash);
    if (p) {
      this.data.delete(ref.hash);
      this.data.set(ref.hash, p);
      return p;
    }
    p = (async () => {
      const bytes = await this.redis.getBuffer(dataKey(ref.hash));
      if (!bytes) throw new EngineError(`data ${ref.name} (${ref.hash.slice(0, 12)}…) is not in Redis (expired or evicted; the producer stores it again)`);
      if (sha256(bytes) !== ref.hash) throw new EngineError(`data ${ref.name} (${ref.hash.slice(0, 12)}…) does not match its content hash`);
      const wire = decode(bytes, `data ${ref.name}`);
      checkPlainData(wire, `data ${ref.name}`);
      kind.validate?.(wire);
      this.stats.fetched++;
      this.options.log?.(`fetched data ${ref.name} (${ref.hash.slice(0, 12)}…, ${(bytes.length / 1e6).toFixed(1)} MB)`);
      return this.engine.adopt(kind, wire, ref.name);
    })();
    p.catch(() => this.data.delete(ref.hash));
    this.data.set(ref.hash, p);
    while (this.data.size > MAX_DATA) {
      const [hash, old] = this.data.entries().next().value!;
      this.data.delete(hash);
      old.then((h) => this.engine.release(h)).catch(() => {});
    }
    return p;
  }

  close(force = false): Promise<void> {
    // Forced: never waiting long for a Redis that may be away.
    const bounded = (p: Promise<unknown>): Promise<unknown> => Promise.race([p, new Promise((r) => setTimeout(r, 2000).unref())]);
    if (force && this.closing) return bounded(this.handBack()).then(() => {}); // a close in progress waits for its jobs: hand them back
    this.closing ??= (async () => {
      if (force) await bounded(this.handBack());
      await (force ? bounded(this.worker.close(true)) : this.worker.close());
      await this.engine.close();
      this.redis.disconnect();
    })();
    return this.closing;
  }

  /** Jobs in hand go back to the queue now (another worker takes them) instead of when their lock expires. */
  private async handBack(): Promise<void> {
    const jobs = [...this.active];
    this.active.clear();
    await Promise.all(jobs.map(([job, token]) => job.moveToWait(token).catch(() => 0)));
  }
}
