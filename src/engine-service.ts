/**
 * What an engine worker does, as a plain object that Comlink exposes (engine-worker.ts). One WASM
 * kernel per worker (wasm.ts's `kernel()`, instantiated on first use), and the references the
 * main thread posted, each indexed once and reused by every batch.
 */
import { transfer } from 'comlink';
import { screenCsvChunk, type CsvChunk, type CsvChunkResult } from './candidate-csv.js';
import { ReferenceHull, type BatchResult, type CandidateBatch, type PackedReference, type StabilityFlags } from './engine-reference.js';
import { defaultEntries } from './default-data.js';
import { entryFromData, type EntryData } from './entry.js';
import { prepareScreenData, type ScreenData } from './screen-common.js';
import { runScreenJob, type JobOutcome, type ScreenJobName, type ScreenJobs } from './screen-jobs.js';
import { kernel } from './wasm.js';

export class EngineService {
  private readonly refs = new Map<number, ReferenceHull>();
  private readonly datasets = new Map<number, { entries: readonly EntryData[] | null; name: string; embedded: boolean; data?: ScreenData }>();

  /** Instantiates the WASM kernel; answers once the worker is ready. */
  ready(): string {
    kernel();
    return 'ready';
  }

  /** Indexes a reference; returns the time it took (ms). */
  setReference(id: number, packed: PackedReference): number {
    const t0 = performance.now();
    this.refs.set(id, new ReferenceHull(packed));
    return performance.now() - t0;
  }

  dropReference(id: number): void {
    this.refs.delete(id);
  }

  hasReference(id: number): boolean {
    return this.refs.has(id);
  }

  /**
   * Screens a batch against reference `refId`, first taking the stabilities other workers found
   * (`known`); the result carries those this batch found.
   */
  screen(refId: number, batch: CandidateBatch, known?: StabilityFlags): BatchResult {
    const ref = this.refs.get(refId);
    if (!ref) throw new Error(`engine worker: reference ${refId} was not sent to this worker`);
    const t0 = performance.now();
    if (known) ref.applyFlags(known);
    const screened = ref.screen(batch);
    const learned = ref.takeLearned();
    const r: BatchResult = { ...screened, ...(learned ? { learned } : {}), elapsedMs: performance.now() - t0 };
    const buffers: ArrayBufferLike[] = [r.eAboveHull.buffer, r.decompOffsets.buffer, r.decompPoints.buffer, r.decompFractions.buffer];
    if (learned) buffers.push(learned.points.buffer, learned.flags.buffer);
    return transfer(r, buffers as ArrayBuffer[]);
  }

  /** Reads, packs and screens a chunk of CSV lines against reference `refId` (see candidate-csv.ts). */
  screenCsv(refId: number, chunk: CsvChunk, unknown: 'error' | 'skip', known?: StabilityFlags): CsvChunkResult {
    const ref = this.refs.get(refId);
    if (!ref) throw new Error(`engine worker: reference ${refId} was not sent to this worker`);
    const t0 = performance.now();
    if (known) ref.applyFlags(known);
    const screened = screenCsvChunk(ref, chunk, unknown);
    const learned = ref.takeLearned();
    const r: CsvChunkResult = { ...screened, ...(learned ? { learned } : {}), elapsedMs: performance.now() - t0 };
    const buffers: ArrayBufferLike[] = [r.eForm.buffer, r.eAboveHull.buffer, r.status.buffer, r.decompOffsets.buffer, r.decompPoints.buffer, r.decompFractions.buffer];
    if (learned) buffers.push(learned.points.buffer, learned.flags.buffer);
    return transfer(r, buffers as ArrayBuffer[]);
  }

  /** Keeps a dataset for screening jobs (its index is built by the first job that needs it). */
  setDataset(id: number, entries: readonly EntryData[] | null, name: string, embedded: boolean): void {
    this.datasets.set(id, { entries, name, embedded });
  }

  dropDataset(id: number): void {
    this.datasets.delete(id);
  }

  /** Runs a screening job on dataset `id`; bad input comes back as `{ error }` (not thrown: no retry). */
  async job<K extends ScreenJobName>(id: number, name: K, args: ScreenJobs[K]['args']): Promise<JobOutcome<ScreenJobs[K]['result']> & { elapsedMs: number }> {
    const ds = this.datasets.get(id);
    if (!ds) throw new Error(`engine worker: dataset ${id} was not sent to this worker`);
    const t0 = performance.now();
    if (!ds.data) {
      const entries = ds.embedded ? await defaultEntries() : ds.entries!.map(entryFromData);
      ds.data = prepareScreenData(entries, ds.name, ds.embedded);
    }
    return { ...runScreenJob(ds.data, name, args), elapsedMs: performance.now() - t0 };
  }
}
