/**
 * What an engine worker does, as a plain object that Comlink exposes (engine-worker.ts). One WASM
 * kernel per worker (wasm.ts's `kernel()`, instantiated on first use), and the references the
 * main thread posted, each indexed once and reused by every batch.
 */
import { transfer } from 'comlink';
import { ReferenceHull, type BatchResult, type CandidateBatch, type PackedReference, type StabilityFlags } from './engine-reference.js';
import { kernel } from './wasm.js';

export class EngineService {
  private readonly refs = new Map<number, ReferenceHull>();

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
}
