/**
 * What an engine worker does, as a plain object that Comlink exposes (the worker scripts
 * engine-worker.ts and browser-worker.ts): it keeps the data the calling thread sent, opened once
 * per worker, and runs jobs of its table by name on it. One WASM kernel per worker, instantiated
 * by `ready()`.
 */
import { transfer } from 'comlink';
import { kernel } from '../thermo/index.js';
import { runOutcome, type DataKind, type JobOutcome, type JobProgress, type JobTable } from './job.js';

/** What a job run in a worker returns. */
export interface WorkerRunResult {
  readonly outcome: JobOutcome<unknown>;
  /** What the job learned about its data, for the other workers. */
  readonly learned?: unknown;
  /** Compute time (ms). */
  readonly elapsedMs: number;
}

interface Opened {
  kind: DataKind;
  ctx: Promise<unknown>;
}

export class EngineService {
  private readonly data = new Map<number, Opened>();

  constructor(private readonly table: JobTable) {}

  /** Instantiates the WASM kernel; answers once the worker is ready. */
  ready(): string {
    kernel();
    return 'ready';
  }

  /** Opens data of a kind (e.g. indexes a reference); returns the time it took (ms). */
  async setData(id: number, kind: string, wire: unknown): Promise<number> {
    const k = this.table.kinds.get(kind);
    if (!k) throw new Error(`engine worker: unknown data kind ${JSON.stringify(kind)}`);
    const t0 = performance.now();
    const ctx = Promise.resolve(k.open(wire));
    this.data.set(id, { kind: k, ctx });
    ctx.catch(() => this.data.delete(id));
    await ctx;
    return performance.now() - t0;
  }

  dropData(id: number): void {
    this.data.delete(id);
  }

  hasData(id: number): boolean {
    return this.data.has(id);
  }

  /**
   * Runs job `name` on data `dataId`, first taking what other workers learned about it
   * (`known`); the result carries what this job learned. Input errors come back as values.
   */
  async run(name: string, dataId: number | null, args: unknown, known?: unknown, progress?: JobProgress): Promise<WorkerRunResult> {
    const job = this.table.jobs.get(name);
    if (!job) throw new Error(`engine worker: unknown job ${JSON.stringify(name)}`);
    let ctx: unknown;
    let kind: DataKind | undefined;
    if (job.data) {
      const d = dataId === null ? undefined : this.data.get(dataId);
      if (!d) throw new Error(`engine worker: data ${dataId} was not sent to this worker`);
      kind = d.kind;
      ctx = await d.ctx;
    }
    const t0 = performance.now();
    if (known !== undefined) kind?.learned?.apply(ctx, known);
    const outcome = runOutcome(job, ctx, args, progress);
    const learned = kind?.learned?.take(ctx);
    const r: WorkerRunResult = { outcome, ...(learned !== undefined ? { learned } : {}), elapsedMs: performance.now() - t0 };
    const buffers: ArrayBufferLike[] = [];
    if ('ok' in outcome && job.buffers) buffers.push(...job.buffers(outcome.ok));
    if (learned !== undefined && kind?.learned?.buffers) buffers.push(...kind.learned.buffers(learned));
    return buffers.length ? transfer(r, buffers as ArrayBuffer[]) : r;
  }
}
