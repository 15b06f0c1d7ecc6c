// The bridge to assembly/system-scan.ts: one chemical system's stabilities and hull energies in one
// kernel call, the basis kept from query to query and columns priced over the stable phases only.
// The caller (reference-hull.ts) writes the system straight into the kernel's memory through
// `Kernel.heap()` and reads the answers from it before the next call; a SystemIndex's systems go
// through system-batch.ts, whose kernel calls scanSystem itself.
import type { Kernel } from './wasm.js';

/** Where one scanSystem call's arrays live (byte addresses in the kernel's memory). */
export interface ScanLayout {
  readonly n: number;
  readonly d: number;
  readonly nu: number;
  readonly nq: number;
  /** f64[n*(d+1)] points: fractions, formation energy. */
  readonly pts: number;
  /** i32[n] composition group of each point. */
  readonly group: number;
  /** u8[n] 1 stable, 0 unstable, 2 to decide; the decisions on return. */
  readonly state: number;
  /** i32[d] the point of each element. */
  readonly elems: number;
  /** i32[nu] the points to decide, deepest first. */
  readonly order: number;
  /** f64[nq*d] query compositions (every fraction > 0). */
  readonly queries: number;
  /** i32[nq] out: the order the queries are answered in (the kernel's facet order). */
  readonly qorder: number;
  /** i32[n] the query of each point to decide (-1: none). */
  readonly qOfPoint: number;
  /** f64[n] out: phase-separation energy of the points found stable. */
  readonly signed: number;
  /** f64[nq] out: hull energy at each query over the stable points. */
  readonly values: number;
  /** i32[nq*d], f64[nq*d] out: basis point and its atom fraction, per slot. */
  readonly index: number;
  readonly fraction: number;
  readonly work: number;
}

/** Resets the kernel's memory and lays out a scan of n points in d dimensions, nu to decide, nq queries. */
export function allocScan(k: Kernel, n: number, d: number, nu: number, nq: number): ScanLayout {
  k.reset();
  return {
    n,
    d,
    nu,
    nq,
    pts: k.alloc(8 * n * (d + 1)),
    group: k.alloc(4 * n),
    state: k.alloc(n),
    elems: k.alloc(4 * d),
    order: k.alloc(4 * nu),
    queries: k.alloc(8 * nq * d),
    qorder: k.alloc(4 * nq),
    qOfPoint: k.alloc(4 * n),
    signed: k.alloc(8 * n),
    values: k.alloc(8 * nq),
    index: k.alloc(4 * nq * d),
    fraction: k.alloc(8 * nq * d),
    work: k.alloc(k.exports.scanWorkBytes(n, d, nq)),
  };
}

/**
 * Runs the scan laid out in `L` (filled; the kernel writes the queries' order into `qorder`); false
 * when the kernel hit numerical trouble or the system has fractions below the scan's range (the
 * caller then solves it by LPs).
 */
export function runScan(k: Kernel, L: ScanLayout, tol: number): boolean {
  const rc = k.exports.scanSystem(L.n, L.d, L.pts, L.group, L.state, L.elems, L.nu, L.order, tol, L.nq, L.queries, L.qorder, L.qOfPoint, L.signed, L.values, L.index, L.fraction, L.work);
  return rc === 0;
}
