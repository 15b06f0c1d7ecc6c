// The bridge to assembly/system-scan.ts: one chemical system's stabilities and hull energies in one
// kernel call, the basis kept from query to query and columns priced over the stable phases only.
// `SystemIndex.evaluate` runs every system through it and falls back to per-query LPs (hull.ts)
// when the kernel reports numerical trouble.
import type { PointSet } from './hull.js';
import { kernel } from './wasm.js';

/** What the scan of one system needs besides its point set. */
export interface ScanRequest {
  /** Per point: 1 stable, 0 unstable (known from subsystems), 2 to be decided here. */
  readonly state: Uint8Array;
  /** The point of each element (its elemental reference), per dimension. */
  readonly elems: Int32Array;
  /** The points to decide, in the order to decide them. */
  readonly order: Int32Array;
  readonly tol: number;
  /** Query compositions, d fractions each, every one > 0 (the system's own compositions). */
  readonly queries: Float64Array;
  /** Per point, the query of its composition (-1: none); lets a query be answered in passing. */
  readonly queryOfPoint: Int32Array;
}

export interface ScanResult {
  /** Per point: 1 stable, 0 unstable. */
  readonly state: Uint8Array;
  /** Phase-separation energy of the points found stable here (e − hull of the others). */
  readonly signed: Float64Array;
  /** Hull energy at each query over the stable points. */
  readonly values: Float64Array;
  /** d slots per query: point of each basis member and its atom fraction. */
  readonly index: Int32Array;
  readonly fraction: Float64Array;
}

/**
 * Runs one system through the scan kernel; undefined when the kernel hit numerical trouble (the
 * caller then solves the system query by query).
 */
export function scanSystem(set: PointSet, req: ScanRequest): ScanResult | undefined {
  const { n, d } = set;
  const nq = req.queries.length / d;
  const nu = req.order.length;
  const k = kernel();
  k.reset();
  const pPts = k.alloc(8 * n * (d + 1));
  const pGroup = k.alloc(4 * n);
  const pState = k.alloc(n);
  const pElems = k.alloc(4 * d);
  const pOrder = k.alloc(4 * nu);
  const pQ = k.alloc(8 * nq * d);
  const pQorder = k.alloc(4 * nq);
  const pQofP = k.alloc(4 * n);
  const pSigned = k.alloc(8 * n);
  const pVal = k.alloc(8 * nq);
  const pIdx = k.alloc(4 * nq * d);
  const pLam = k.alloc(8 * nq * d);
  const pWork = k.alloc(k.exports.scanWorkBytes(n, d, nq));
  k.f64(pPts, n * (d + 1)).set(set.pts.subarray(0, n * (d + 1)));
  k.i32(pGroup, n).set(set.group.subarray(0, n));
  k.u8(pState, n).set(req.state);
  k.i32(pElems, d).set(req.elems);
  k.i32(pOrder, nu).set(req.order);
  k.f64(pQ, nq * d).set(req.queries);
  k.i32(pQorder, nq).set(facetOrder(req.queries, d, nq));
  k.i32(pQofP, n).set(req.queryOfPoint);
  const rc = k.exports.scanSystem(n, d, pPts, pGroup, pState, pElems, nu, pOrder, req.tol, nq, pQ, pQorder, pQofP, pSigned, pVal, pIdx, pLam, pWork);
  if (rc !== 0) return undefined;
  return {
    state: k.u8(pState, n).slice(),
    signed: k.f64(pSigned, n).slice(),
    values: k.f64(pVal, nq).slice(),
    index: k.i32(pIdx, nq * d).slice(),
    fraction: k.f64(pLam, nq * d).slice(),
  };
}

/**
 * An order of the queries in which neighbours tend to share a facet, so the kept basis walks few
 * facet boundaries: lexicographic by fractions, each coordinate coarsened to a grid of 1/64 with
 * the direction of the next one alternating (a boustrophedon sweep).
 */
function facetOrder(q: Float64Array, d: number, nq: number): Int32Array {
  const idx = new Int32Array(nq);
  for (let i = 0; i < nq; i++) idx[i] = i;
  if (nq < 3 || d < 2) return idx;
  const keys = new Float64Array(nq);
  for (let i = 0; i < nq; i++) {
    let key = 0;
    let flip = false;
    for (let c = 0; c < Math.min(d - 1, 3); c++) {
      const cell = Math.min(63, Math.floor(q[i * d + c]! * 64));
      key = key * 64 + (flip ? 63 - cell : cell);
      if (cell & 1) flip = !flip;
    }
    keys[i] = key;
  }
  return idx.sort((a, b) => keys[a]! - keys[b]!);
}
