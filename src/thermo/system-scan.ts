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
  /** i32[nq] the order the queries are answered in (`writeFacetOrder`). */
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
 * The smallest atomic fraction the scan takes. Its tolerances are absolute and sized for fractions
 * of real cells (1/400 and up); with far smaller ones (Ti50000001S2, S at 1e-8) its kept basis
 * drifts by more than 1e-9 eV/atom (test/hull.fuzz.test.ts against an exact rational LP), so such
 * a system goes to the per-query LPs, which that test holds exact down to MIN_ATOMIC_FRACTION.
 */
export const SCAN_MIN_FRACTION = 1e-3;

/** Whether a fraction in (0, SCAN_MIN_FRACTION) is among the points or queries laid out in `L`. */
function hasTinyFraction(f64: Float64Array, L: ScanLayout): boolean {
  const { n, d, nq } = L;
  const pts = L.pts >> 3;
  for (let j = 0; j < n; j++) {
    const row = pts + j * (d + 1);
    for (let c = 0; c < d; c++) {
      const v = f64[row + c]!;
      if (v > 0 && v < SCAN_MIN_FRACTION) return true;
    }
  }
  const qs = L.queries >> 3;
  for (let i = 0; i < nq * d; i++) {
    const v = f64[qs + i]!;
    if (v > 0 && v < SCAN_MIN_FRACTION) return true;
  }
  return false;
}

/**
 * Runs the scan laid out in `L` (filled); false when the kernel hit numerical trouble or the
 * system has fractions below SCAN_MIN_FRACTION (the caller then solves it by LPs).
 */
export function runScan(k: Kernel, L: ScanLayout, tol: number): boolean {
  const { n, d, nu, nq } = L;
  if (hasTinyFraction(k.heap().f64, L)) return false;
  const rc = k.exports.scanSystem(n, d, L.pts, L.group, L.state, L.elems, nu, L.order, tol, nq, L.queries, L.qorder, L.qOfPoint, L.signed, L.values, L.index, L.fraction, L.work);
  return rc === 0;
}

let keyScratch = new Float64Array(0);

/**
 * Writes into `qorder` an order of the nq queries (d fractions each, at `queries` in f64 units) in
 * which neighbours tend to share a facet, so the kept basis walks few facet boundaries:
 * lexicographic by fractions, each coordinate coarsened to a grid of 1/64 with the direction of
 * the next one alternating (a boustrophedon sweep).
 */
export function writeFacetOrder(f64: Float64Array, queries: number, i32: Int32Array, qorder: number, d: number, nq: number): void {
  for (let i = 0; i < nq; i++) i32[qorder + i] = i;
  if (nq < 3 || d < 2) return;
  if (keyScratch.length < nq) keyScratch = new Float64Array(nq);
  const keys = keyScratch;
  for (let i = 0; i < nq; i++) {
    let key = 0;
    let flip = false;
    for (let c = 0; c < Math.min(d - 1, 3); c++) {
      const cell = Math.min(63, Math.floor(f64[queries + i * d + c]! * 64));
      key = key * 64 + (flip ? 63 - cell : cell);
      if (cell & 1) flip = !flip;
    }
    keys[i] = key;
  }
  // Insertion sort: a system has few compositions of its own (a table's largest, a few hundred).
  for (let a = 1; a < nq; a++) {
    const v = i32[qorder + a]!;
    const kv = keys[v]!;
    let b = a - 1;
    while (b >= 0 && keys[i32[qorder + b]!]! > kv) {
      i32[qorder + b + 1] = i32[qorder + b]!;
      b--;
    }
    i32[qorder + b + 1] = v;
  }
}
