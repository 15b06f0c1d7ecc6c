import type { Composition } from '../core/index.js';
import { kernel, type Kernel } from './wasm.js';

/**
 * Points in composition space for the WASM hull kernel: n rows of d atomic fractions followed by
 * an energy per atom (stride d + 1). `group` ties points of the same composition together so a
 * query can exclude them all (phase-separation energy of a composition against all others).
 */
export interface PointSet {
  readonly n: number;
  readonly d: number;
  readonly pts: Float64Array;
  readonly group: Int32Array;
}

/** Hull energies of a batch of queries: value, and the decomposition as (point, fraction) pairs. */
export interface HullBatchResult {
  /** Lowest energy per atom reachable at each query; NaN when the points cannot make it. */
  readonly values: Float64Array;
  /** d slots per query: point index of each basis member (-1 = unused slot). */
  readonly index: Int32Array;
  /** d slots per query: atom fraction of that point in the mixture. */
  readonly fraction: Float64Array;
  /**
   * d per query: the duals, i.e. the chemical potentials (energy scale of the points) of the
   * hull facet at the query; 0 for elements the query lacks.
   */
  readonly mu: Float64Array;
}

export class HullError extends Error {
  override name = 'HullError';
}

/**
 * The smallest atomic fraction of an element in a composition that hulls are solved for. Below
 * it (S in Ti800000000S1 is 1.25e-9, in {Ti: 8, S: 1e-8} too) the facets' chemical potentials
 * reach ~1e8 eV per atom, and double-precision round-off in the simplex then exceeds the 1e-9
 * eV/atom and the decompositions the results are checked to (test/hull.fuzz.test.ts, against an
 * exact rational LP: exact down to 1e-8, wrong decompositions and E_hull off by ~1e-9 at 1e-9).
 * Such compositions are refused with this reason rather than answered wrongly.
 */
export const MIN_ATOMIC_FRACTION = 1e-8;

/** Why a composition is outside what hulls are solved for (an element below MIN_ATOMIC_FRACTION), or undefined. */
export function unresolvedFraction(comp: Composition): string | undefined {
  // Through the cached fractions: hull builds check every entry.
  const fr = comp.fractionArray;
  for (let k = 0; k < fr.length; k++) if (fr[k]! < MIN_ATOMIC_FRACTION) return fractionTooSmall(comp.elements[k]!, fr[k]!);
  return undefined;
}

/** The reason an element's atomic fraction f is refused (below MIN_ATOMIC_FRACTION). */
export function fractionTooSmall(el: string, f: number): string {
  return `${el} is ${f.toPrecision(3)} of its atoms, below ${MIN_ATOMIC_FRACTION}, the smallest atomic fraction hulls are solved for (smaller ones put double-precision round-off above 1e-9 eV/atom): leave the element out or give its real amount`;
}

/** The same check on atomic fractions per element (zeros are absent elements). */
export function unresolvedFractions(els: readonly string[], x: ArrayLike<number>): string | undefined {
  for (let k = 0; k < els.length; k++) {
    const f = x[k]!;
    if (f > 0 && f < MIN_ATOMIC_FRACTION) return fractionTooSmall(els[k]!, f);
  }
  return undefined;
}

/** Where the arrays of one `hullBatch` kernel call live in its memory (pPi 0: no duals). */
export interface HullBatchLayout {
  readonly pPts: number;
  readonly pAlive: number;
  readonly pGroup: number;
  readonly pQ: number;
  readonly pEx: number;
  readonly pVal: number;
  readonly pIdx: number;
  readonly pLam: number;
  readonly pPi: number;
  readonly pWork: number;
}

/** Resets the kernel's memory and lays out one hullBatch call of n points, d elements, nq queries. */
export function allocHullBatch(k: Kernel, n: number, d: number, nq: number, duals: boolean): HullBatchLayout {
  k.reset();
  return {
    pPts: k.alloc(8 * n * (d + 1)),
    pAlive: k.alloc(n),
    pGroup: k.alloc(4 * n),
    pQ: k.alloc(8 * nq * d),
    pEx: k.alloc(4 * nq),
    pVal: k.alloc(8 * nq),
    pIdx: k.alloc(4 * nq * d),
    pLam: k.alloc(8 * nq * d),
    pPi: duals ? k.alloc(8 * nq * d) : 0,
    pWork: k.alloc(k.exports.workBytes(n, d)),
  };
}

/**
 * Lower-hull energy at each query composition over the `alive` points, excluding for query q the
 * points whose group is `exclude[q]` (-1 for none). One boundary crossing for the whole batch.
 */
export function hullBatch(set: PointSet, alive: Uint8Array, queries: Float64Array, exclude?: Int32Array): HullBatchResult {
  const { n, d } = set;
  const nq = queries.length / d;
  if (!Number.isInteger(nq)) throw new HullError(`query array length ${queries.length} is not a multiple of ${d}`);
  const k = kernel();
  const { pPts, pAlive, pGroup, pQ, pEx, pVal, pIdx, pLam, pPi, pWork } = allocHullBatch(k, n, d, nq, true);
  // Views are taken after every alloc: growing memory detaches earlier views.
  k.f64(pPts, n * (d + 1)).set(set.pts.subarray(0, n * (d + 1)));
  k.u8(pAlive, n).set(alive.subarray(0, n));
  k.i32(pGroup, n).set(set.group.subarray(0, n));
  k.f64(pQ, nq * d).set(queries);
  if (exclude) k.i32(pEx, nq).set(exclude);
  else k.i32(pEx, nq).fill(-1);
  k.exports.hullBatch(n, d, pPts, pAlive, pGroup, nq, pQ, pEx, pVal, pIdx, pLam, pPi, pWork);
  return {
    values: k.f64(pVal, nq).slice(),
    index: k.i32(pIdx, nq * d).slice(),
    fraction: k.f64(pLam, nq * d).slice(),
    mu: k.f64(pPi, nq * d).slice(),
  };
}

// pymatgen's PhaseDiagram.numerical_tol: smaller shares are dropped from decompositions.
const NUMERICAL_TOL = 1e-8;

/**
 * The share below which a phase is dropped from the decomposition of a composition (its d atomic
 * fractions at `fractions[at ..]`): pymatgen's numerical_tol (1e-8), lowered to 1e-3 of the smallest
 * fraction for compositions with an element below 1e-5 (S in Ti800000000S1), whose phases
 * carrying that element have shares below 1e-8 and would otherwise vanish from the decomposition.
 */
export function shareTolerance(fractions: ArrayLike<number>, at: number, d: number): number {
  let min = 1;
  for (let k = 0; k < d; k++) {
    const v = fractions[at + k]!;
    if (v > 0 && v < min) min = v;
  }
  return Math.min(NUMERICAL_TOL, 1e-3 * min);
}

// A plane's round-off is ~1e-12 eV/atom; the phase off a kink's other plane in Mn3Fe2Sb(PO4)6 open
// to O lies 4.7e-7 from it.
const PLANE_TOL = 1e-9;

/**
 * Whether point p of `pts` (rows of d atomic fractions and the energy) lies on the plane μ·x,
 * μ = mu[o .. o + d), within PLANE_TOL. Every phase present at a kink of a segment lies on the
 * planes of both stretches beside it (they support the hull there): what the kinks' phases are
 * checked by, where a kink is where two nearly parallel lines meet.
 */
export function onPlane(pts: Float64Array, d: number, p: number, mu: ArrayLike<number>, o = 0): boolean {
  let e = 0;
  for (let k = 0; k < d; k++) e += mu[o + k]! * pts[p * (d + 1) + k]!;
  return Math.abs(pts[p * (d + 1) + d]! - e) <= PLANE_TOL;
}

/** The (point, fraction) pairs of query q with fraction above `minFraction`, largest first. */
export function decompositionOf(result: Pick<HullBatchResult, 'index' | 'fraction'>, d: number, q: number, minFraction: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) {
    const idx = result.index[q * d + i]!;
    const f = result.fraction[q * d + i]!;
    if (idx >= 0 && f > minFraction) out.push([idx, f]);
  }
  out.sort((a, b) => b[1] - a[1]);
  return out;
}

/** A facet crossed by a segment: the hull is c + m·t on it, with chemical potentials mu. */
export interface SegmentFacet {
  readonly c: number;
  readonly m: number;
  /** Duals (chemical potentials, energy scale of the points) per dimension of the set. */
  readonly mu: Float64Array;
}

/** The hull along x(t) = (1−t)·a + t·b: kinks at ascending t in (0, 1), facets between them. */
export interface SegmentHull {
  /** Kink positions, ascending. */
  readonly kinks: readonly number[];
  /** facets[i] holds on [t_{i−1}, t_i] (t_{−1} = 0, t_k = 1): one more than kinks. */
  readonly facets: readonly SegmentFacet[];
}

const MAX_KINKS = 4096;
const MAX_LINES = 4 * MAX_KINKS;

/** Exact kinks of the lower hull along a segment, in one WASM call (see assembly/index.ts). */
export function hullSegment(set: PointSet, alive: Uint8Array, a: Float64Array, b: Float64Array): SegmentHull {
  const { n, d } = set;
  const k = kernel();
  k.reset();
  const pPts = k.alloc(8 * n * (d + 1));
  const pAlive = k.alloc(n);
  const pGroup = k.alloc(4 * n);
  const pA = k.alloc(8 * d);
  const pB = k.alloc(8 * d);
  const pT = k.alloc(8 * MAX_KINKS);
  const pL = k.alloc(4 * MAX_KINKS);
  const pR = k.alloc(4 * MAX_KINKS);
  const pLines = k.alloc(8 * MAX_LINES * (2 + d));
  const pStack = k.alloc(8 * MAX_LINES);
  const pWork = k.alloc(k.exports.workBytes(n, d));
  k.f64(pPts, n * (d + 1)).set(set.pts.subarray(0, n * (d + 1)));
  k.u8(pAlive, n).set(alive.subarray(0, n));
  k.i32(pGroup, n).set(set.group.subarray(0, n));
  k.f64(pA, d).set(a);
  k.f64(pB, d).set(b);
  const nk = k.exports.segmentKinks(n, d, pPts, pAlive, pGroup, pA, pB, MAX_KINKS, pT, pL, pR, MAX_LINES, pLines, pStack, pWork);
  if (nk < 0) throw new HullError('the hull along the segment could not be solved (a composition is not reachable by the phases)');
  const lines = k.f64(pLines, k.exports.segmentLines() * (2 + d));
  const line = (i: number): SegmentFacet => ({ c: lines[i * (2 + d)]!, m: lines[i * (2 + d) + 1]!, mu: lines.slice(i * (2 + d) + 2, (i + 1) * (2 + d)) });
  const t = k.f64(pT, nk);
  const left = k.i32(pL, nk);
  const right = k.i32(pR, nk);
  const kinks = Array.from(t);
  if (nk === 0) return { kinks, facets: [line(0)] };
  const facets = [...Array.from(left, line), line(right[nk - 1]!)];
  return { kinks, facets };
}
