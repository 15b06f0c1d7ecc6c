/**
 * The bridge to the sampling kernel (assembly/sampling.ts): its exports, typed, and the layout of a
 * scope and its errors in the kernel's memory. Every call lays out its arrays afresh (the kernel's
 * arena is reset by whoever calls it next), runs a batch of samples and copies the results out.
 */
import { kernel } from '../thermo/index.js';
import type { Scope, ScopeErrors } from './scope.js';

type Kernel = ReturnType<typeof kernel>;

/** The sampling kernel's exports (assembly/sampling.ts). */
export interface SamplingExports {
  workBytes(n: number, d: number): number;
  normalDeviate(seed: number, sample: number, stream: number): number;
  samplingModelFields(): number;
  samplingModel(header: number): void;
  sampleGroups(seed: number, nS: number, samples: number, nq: number, groups: number, outF: number, outArg: number, outCand: number, outR: number): void;
  sampleStability(
    seed: number,
    nS: number,
    samples: number,
    nSys: number,
    sys: number,
    maxD: number,
    outEhull: number,
    outStable: number,
    outBasis: number,
    outArg: number,
    alive: number,
    alive2: number,
    excl: number,
    val: number,
    idx: number,
    lam: number,
    hall: number,
    gStable: number,
    basis: number,
    work: number,
    warm: number,
    maxQ: number,
  ): number;
  sampleHullAt(
    seed: number,
    nS: number,
    samples: number,
    openGroup: number,
    n: number,
    d: number,
    cols: number,
    pts: number,
    scale: number,
    offset: number,
    nq: number,
    queries: number,
    perSample: number,
    qExclude: number,
    outVal: number,
    outIdx: number,
    outLam: number,
    outMu: number,
    alive: number,
    idx: number,
    work: number,
  ): number;
  sampleSegments(
    seed: number,
    nS: number,
    samples: number,
    openGroup: number,
    n: number,
    d: number,
    cols: number,
    pts: number,
    scale: number,
    offset: number,
    a: number,
    b: number,
    maxK: number,
    outN: number,
    outT: number,
    outLines: number,
    kT: number,
    kL: number,
    kR: number,
    maxLines: number,
    lines: number,
    stack: number,
    alive: number,
    work: number,
  ): number;
}

type Typed = Float64Array | Int32Array | Uint8Array;

/**
 * Arrays placed in the kernel's memory for one call: `put` (copied in by `flush`) and `out`
 * (zeroed) reserve space first, `flush` copies once nothing more can grow the memory (growing
 * detaches views), and `f64`/`i32`/`u8` read results back as copies.
 */
export class Layout {
  readonly k: Kernel;
  readonly x: SamplingExports;
  private readonly pending: Array<{ ptr: number; data: Typed }> = [];

  constructor() {
    this.k = kernel();
    this.x = this.k.exports as unknown as SamplingExports;
    this.k.reset();
  }

  put(data: Typed): number {
    const ptr = this.k.alloc(Math.max(8, data.byteLength));
    this.pending.push({ ptr, data });
    return ptr;
  }

  out(bytes: number): number {
    const ptr = this.k.alloc(Math.max(8, bytes));
    this.pending.push({ ptr, data: new Uint8Array(bytes) });
    return ptr;
  }

  flush(): void {
    const buf = this.k.exports.memory.buffer;
    for (const { ptr, data } of this.pending) new Uint8Array(buf, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.pending.length = 0;
  }

  f64(ptr: number, n: number): Float64Array {
    return this.k.f64(ptr, n).slice();
  }
  i32(ptr: number, n: number): Int32Array {
    return this.k.i32(ptr, n).slice();
  }
  u8(ptr: number, n: number): Uint8Array {
    return this.k.u8(ptr, n).slice();
  }
}

/** Places a scope and its errors in the kernel (samplingModel) for the calls that follow. */
export function placeModel(L: Layout, scope: Scope, err: ScopeErrors): void {
  const nE = scope.entries.length;
  const nG = scope.groups.length;
  const nEl = scope.elements.length;
  const nN = err.nameKey.length;
  const fields = [
    nE,
    L.put(err.key),
    L.put(err.sigma),
    L.put(scope.f),
    L.put(err.loadOff),
    L.put(err.loadName),
    L.put(err.loadVal),
    nN,
    L.put(err.nameKey),
    nEl,
    L.put(scope.elOff),
    L.put(scope.elEntries),
    L.put(scope.compOff),
    L.put(scope.compEl),
    L.put(scope.compFrac),
    nG,
    L.put(scope.gOff),
    L.put(scope.gMem),
    L.put(scope.gElem),
    L.put(scope.certOff),
    L.put(scope.certG),
    L.put(scope.certFrac),
    L.out(8 * nN),
    L.out(8 * nE),
    L.out(8 * nEl),
    L.out(8 * nG),
    L.out(4 * nG),
    L.out(nG),
    L.put(scope.certPrune),
  ];
  if (fields.length !== L.x.samplingModelFields()) throw new Error('sampling kernel: model header out of step with assembly/sampling.ts');
  const header = L.put(Int32Array.from(fields));
  L.flush();
  L.x.samplingModel(header);
}

/** A standard normal deviate of the kernel (the sampler's own), for tests of its distribution. */
export function normalDeviate(seed: number, sample: number, stream: number): number {
  return (kernel().exports as unknown as SamplingExports).normalDeviate(seed, sample, stream);
}

/** The sample indices [from, to) as the kernel reads them. */
export function sampleRange(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to - from }, (_, i) => from + i);
}
