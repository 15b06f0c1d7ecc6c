/**
 * Drawing samples in rounds until the precision is reached, in this thread or through any async
 * chunk runner (the engine's workers): an analysis says how to compute the samples [from, to)
 * (`chunk`), how to join results of consecutive ranges (`merge`) and how precise a result is
 * (`worstSe`: the largest standard error of its probabilities). Samples are always numbered 0, 1,
 * 2, … and each is a pure function of its number, so the result is the same however the ranges
 * are cut and wherever they run.
 */
import type { ResolvedSampling } from './model.js';
import { chunks, rounds } from './stats.js';

export interface Sampler<P> {
  chunk(from: number, to: number): P;
  merge(parts: readonly P[]): P;
  worstSe(p: P): number;
}

export interface AsyncSampler<P> {
  chunk(from: number, to: number): Promise<P>;
  merge(parts: readonly P[]): P;
  worstSe(p: P): number;
}

export interface DriveOptions {
  /** Ranges per round (the number of workers, say); 1 in this thread. */
  parts?: number;
  /** Samples drawn so far, of at most `samples`. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Samples per chunk at most (memory per chunk grows with it). Default 256. */
  maxChunk?: number;
}

/** Draws in this thread until the precision (or all samples). */
export function drive<P>(s: Sampler<P>, opts: ResolvedSampling, o: DriveOptions = {}): P {
  let merged: P | undefined;
  let done = 0;
  for (const n of rounds(opts.samples, opts.precision)) {
    o.signal?.throwIfAborted();
    const parts: P[] = merged === undefined ? [] : [merged];
    for (const [a, b] of cut(done, n, 1, o.maxChunk)) {
      parts.push(s.chunk(a, b));
      o.onProgress?.(b, opts.samples);
    }
    merged = s.merge(parts);
    done = n;
    if (opts.precision !== undefined && s.worstSe(merged) <= opts.precision) break;
  }
  return merged!;
}

/** Draws through an async runner (e.g. jobs on the engine), `parts` ranges at a time. */
export async function driveAsync<P>(s: AsyncSampler<P>, opts: ResolvedSampling, o: DriveOptions = {}): Promise<P> {
  let merged: P | undefined;
  let done = 0;
  for (const n of rounds(opts.samples, opts.precision)) {
    o.signal?.throwIfAborted();
    let drawn = done;
    const fresh = await Promise.all(
      cut(done, n, o.parts ?? 1, o.maxChunk).map(async ([a, b]) => {
        const p = await s.chunk(a, b);
        drawn += b - a;
        o.onProgress?.(drawn, opts.samples);
        return p;
      }),
    );
    merged = s.merge(merged === undefined ? fresh : [merged, ...fresh]);
    done = n;
    if (opts.precision !== undefined && s.worstSe(merged) <= opts.precision) break;
  }
  return merged!;
}

function cut(from: number, to: number, parts: number, maxChunk = 256): Array<[number, number]> {
  const pieces = Math.max(parts, Math.ceil((to - from) / maxChunk));
  return chunks(from, to, pieces);
}
