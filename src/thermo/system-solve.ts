// Solving one chemical system of a SystemIndex: its own candidates' stabilities, the hull at its
// compositions, decompositions. `scanOneSystem` runs the system through the scan kernel
// (system-scan.ts: one call, the basis kept between queries); `solveByLP`, the fallback, through
// two batches of independent LPs (hull.ts). Both write into the index's arrays (signed distances,
// stabilities, the basis store), allocating nothing per system. Apart from system-hull.ts to keep
// both files short.
import type { Entry } from '../core/index.js';
import { type BasisStore, insertByShare, type PhaseAmount } from './basis-store.js';
import type { CompositionGroups } from './hull-points.js';
import { hullBatch, type HullBatchResult, HullError, type PointSet, shareTolerance } from './hull.js';
import { allocScan, runScan, writeFacetOrder } from './system-scan.js';
import { kernel } from './wasm.js';
import { type CandidateRows, dimsOf, writeFractions, writePoints } from './candidate-rows.js';
import type { SystemPlan } from './system-closure.js';

/** What solving reads from (and writes `isStable`, `signed` and `basis` of) a SystemIndex. */
export interface SolveContext {
  readonly entries: readonly Entry[];
  readonly eForm: Float64Array;
  readonly groups: CompositionGroups;
  readonly isRef: Uint8Array;
  readonly isCandidate: Uint8Array;
  readonly isStable: Uint8Array;
  /**
   * Per entry: E_hull when unstable (raw: may be a round-off below 0), the phase-separation
   * energy when stable, 0 for the elemental references.
   */
  readonly signed: Float64Array;
  /** The decompositions of unstable entries (when asked for). */
  readonly basis: BasisStore;
  readonly rows: CandidateRows;
  /** `isStable` by row of `rows` (written with it). */
  readonly stableRow: Uint8Array;
  readonly scratch: SolveScratch;
}

/** Arrays reused from one system to the next. */
export interface SolveScratch {
  pointOfEntry?: Int32Array;
  groupSlot?: Int32Array;
  /** Per own entry its query; the representative entry of each query. */
  queryOf?: Int32Array;
  reps?: Int32Array;
}

/** One chemical system for the LP fallback: its key, own entries, elements (sorted), and every candidate of its subsystems (entry indices). */
export interface SystemToSolve {
  readonly sys: string;
  readonly own: readonly number[];
  readonly els: readonly string[];
  readonly cols: ArrayLike<number>;
}

/**
 * One system in one kernel call (system-scan.ts): stabilities of its own candidates, then the
 * hull of the stable phases at each of its compositions, once per composition group. `cols`: the
 * candidate rows of the scan (closureColumns: the subsystems' stable phases, its own candidates last).
 * False when the kernel reports numerical trouble (nothing is written then).
 */
export function scanOneSystem(index: SolveContext, system: SystemPlan, cols: ArrayLike<number>, tol: number, withDecomp: boolean): boolean {
  const { own, els } = system;
  const { entries, eForm, groups, isCandidate, isStable, isRef } = index;
  const d = els.length;
  const n = cols.length;
  // The system's own candidates come last in `cols` (closureColumns ends with the full mask).
  const nOwn = system.cands.length;
  let nu = 0;
  const rows = index.rows;
  for (let j = n - nOwn; j < n; j++) if (!rows.isRef[cols[j]!]) nu++;
  // One query per composition group of the system's entries.
  const scratch = index.scratch;
  const slot = (scratch.groupSlot ??= new Int32Array(groups.lowest.length).fill(-1));
  if (!scratch.queryOf || scratch.queryOf.length < own.length) {
    scratch.queryOf = new Int32Array(Math.max(own.length, 256));
    scratch.reps = new Int32Array(scratch.queryOf.length);
  }
  const queryOf = scratch.queryOf;
  const reps = scratch.reps!;
  let nq = 0;
  for (let q = 0; q < own.length; q++) {
    const g = groups.group[own[q]!]!;
    let t = slot[g]!;
    if (t < 0) {
      t = slot[g] = nq;
      reps[nq++] = own[q]!;
    }
    queryOf[q] = t;
  }
  for (let t = 0; t < nq; t++) slot[groups.group[reps[t]!]!] = -1;
  const k = kernel();
  const L = allocScan(k, n, d, nu, nq);
  const { f64, i32, u8 } = k.heap();
  writePoints(rows, cols, els, f64, L.pts >> 3, i32, L.group >> 2);
  const pointOf = (scratch.pointOfEntry ??= new Int32Array(entries.length));
  const elems = L.elems >> 2;
  i32.fill(-1, elems, elems + d);
  const qOfPoint = L.qOfPoint >> 2;
  i32.fill(-1, qOfPoint, qOfPoint + n);
  const order = L.order >> 2;
  const { entryOf, isRef: refRow, offsets, elem } = rows;
  const dimOf = dimsOf(rows, els);
  const stableRow = index.stableRow;
  let u = 0;
  for (let j = 0; j < n; j++) {
    const r = cols[j]!;
    if (refRow[r]) {
      u8[L.state + j] = 1;
      i32[elems + dimOf[elem[offsets[r]!]!]!] = j;
    } else if (j < n - nOwn) u8[L.state + j] = stableRow[r]!;
    else {
      u8[L.state + j] = 2;
      i32[order + u++] = j;
      pointOf[entryOf[r]!] = j;
    }
  }
  // The query of each point to decide: its group's, found through the system's own entries.
  for (let q = 0; q < own.length; q++) {
    const i = own[q]!;
    if (isCandidate[i] === 1 && !isRef[i]) i32[qOfPoint + pointOf[i]!] = queryOf[q]!;
  }
  for (let c = 0; c < d; c++) if (i32[elems + c]! < 0) return false;
  sortByEnergy(i32, order, nu, cols, rows.eForm);
  const qs = L.queries >> 3;
  // Each query's fractions from its row (the rows of a system's compositions lie together).
  for (let t = 0; t < nq; t++) reps[t] = rows.rowOf[reps[t]!]!;
  writeFractions(rows, reps, nq, els, f64, qs);
  writeFacetOrder(f64, qs, i32, L.qorder >> 2, d, nq);
  if (!runScan(k, L, tol)) return false;
  const { signed, basis } = index;
  const values = L.values >> 3;
  const sig = L.signed >> 3;
  for (let q = 0; q < own.length; q++) {
    const i = own[q]!;
    const j = isCandidate[i] === 1 && !isRef[i] ? pointOf[i]! : -1;
    const stable = isRef[i] === 1 || (j >= 0 && u8[L.state + j] === 1);
    isStable[i] = stable ? 1 : 0;
    if (isCandidate[i] === 1) stableRow[rows.rowOf[i]!] = stable ? 1 : 0;
    signed[i] = isRef[i] === 1 ? 0 : stable ? f64[sig + j]! : eForm[i]! - f64[values + queryOf[q]!]!;
  }
  if (!withDecomp) return true;
  // Each query's basis, as entry indices, into the store (the kernel's memory and the columns
  // are the next system's), with its share tolerance while its fractions are in memory.
  let first = -1;
  for (let t = 0; t < nq; t++) {
    const id = basis.add(d, shareTolerance(f64, qs + t * d, d), i32, (L.index >> 2) + t * d, f64, (L.fraction >> 3) + t * d, cols, entryOf);
    if (t === 0) first = id;
  }
  for (let q = 0; q < own.length; q++) if (!isStable[own[q]!]) basis.queryOf[own[q]!] = first + queryOf[q]!;
  return true;
}

/** The same as `scanOneSystem`, by two batches of independent LPs (index.ts): the fallback. */
export function solveByLP(index: SolveContext, system: SystemToSolve & { readonly set: PointSet }, tol: number, withDecomp: boolean): void {
  const { sys, own, els, cols, set } = system;
  const { entries, eForm, groups, isRef, isCandidate, isStable, signed, basis } = index;
  const d = els.length;
  // Pass 1: each candidate against all other compositions (phase separation); the others
  // against everything (E_hull).
  const queries = new Float64Array(own.length * d);
  const exclude = new Int32Array(own.length);
  own.forEach((i, q) => {
    fractionsInto(entries[i]!, els, queries, q * d);
    exclude[q] = isCandidate[i] && !isRef[i] ? groups.group[i]! : -1;
  });
  const r1 = hullBatch(set, new Uint8Array(cols.length).fill(1), queries, exclude);
  own.forEach((i, q) => {
    const v = r1.values[q]!;
    if (Number.isNaN(v)) throw new HullError(`no hull energy found for ${entries[i]!.id} (${entries[i]!.composition.formula}) in ${sys}`);
    const s = eForm[i]! - v;
    isStable[i] = isRef[i] || (isCandidate[i] === 1 && s < -tol) ? 1 : 0;
    if (isCandidate[i] === 1) index.stableRow[index.rows.rowOf[i]!] = isStable[i]!;
    signed[i] = isRef[i] ? 0 : s;
  });
  // Pass 2: unstable entries on the hull of the stable phases only (the vertices, as
  // pymatgen's facets), for their decompositions.
  if (!withDecomp || !own.some((i) => !isStable[i])) return;
  const r2 = hullBatch(
    set,
    Uint8Array.from(cols, (i) => isStable[i]!),
    queries,
  );
  own.forEach((i, q) => {
    if (isStable[i]) return;
    const id = basis.add(d, shareTolerance(queries, q * d, d), r2.index, q * d, r2.fraction, q * d, cols);
    basis.queryOf[i] = id;
  });
}

/**
 * The phases of query q's basis with a share above `minShare` (shareTolerance: pymatgen's
 * numerical_tol, less for compositions with tiny fractions), largest share first.
 */
export function phasesOf(entries: readonly Entry[], r: Pick<HullBatchResult, 'index' | 'fraction'>, d: number, q: number, cols: ArrayLike<number>, minShare: number): PhaseAmount[] {
  // decompositionOf's pairs, without the pairs: a few phases, largest share first.
  const out: PhaseAmount[] = [];
  for (let s = 0; s < d; s++) {
    const j = r.index[q * d + s]!;
    const f = r.fraction[q * d + s]!;
    if (j >= 0 && f > minShare) insertByShare(out, entries[cols[j]!]!, f);
  }
  return out;
}
/** Points `idx` (into `cols`, rows) by formation energy (by row) ascending, ties by position (a system's own candidates are few). */
function sortByEnergy(i32: Int32Array, at: number, len: number, cols: ArrayLike<number>, eForm: Float64Array): void {
  const idx = i32.subarray(at, at + len);
  if (len > 64) {
    const sorted = Array.from(idx).sort((a, b) => eForm[cols[a]!]! - eForm[cols[b]!]! || a - b);
    idx.set(sorted);
    return;
  }
  for (let a = 1; a < len; a++) {
    const v = idx[a]!;
    const e = eForm[cols[v]!]!;
    let b = a - 1;
    while (b >= 0 && (eForm[cols[idx[b]!]!]! > e || (eForm[cols[idx[b]!]!]! === e && idx[b]! > v))) {
      idx[b + 1] = idx[b]!;
      b--;
    }
    idx[b + 1] = v;
  }
}

function fractionsInto(e: Entry, els: readonly string[], out: Float64Array, at: number): void {
  const own = e.composition.elements;
  const fr = e.composition.fractionArray;
  for (let k = 0; k < els.length; k++) {
    const at2 = own.indexOf(els[k]!);
    out[at + k] = at2 < 0 ? 0 : fr[at2]!;
  }
}
