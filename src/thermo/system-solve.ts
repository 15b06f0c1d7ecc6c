// Solving one chemical system of a SystemIndex: its own candidates' stabilities, the hull at its
// compositions, decompositions. `scanOneSystem` runs the system through the scan kernel
// (system-scan.ts: one call, the basis kept between queries); `solveByLP`, the fallback, through
// two batches of independent LPs (hull.ts). Apart from system-hull.ts to keep both files short.
import type { Entry } from '../core/index.js';
import type { CompositionGroups } from './hull-points.js';
import { hullBatch, type HullBatchResult, HullError, type PointSet, shareTolerance } from './hull.js';
import { allocScan, runScan, writeFacetOrder } from './system-scan.js';
import { kernel } from './wasm.js';
import { type CandidateRows, writePoints } from './candidate-rows.js';

/** A phase and its share of atoms in a decomposition. */
export interface PhaseAmount {
  readonly entry: Entry;
  /** Fraction of the atoms of the decomposed composition that sit in this phase. */
  readonly fraction: number;
}

/** One chemical system solved: per own entry its signed distance, and its decomposition on demand. */
export interface SystemOutcome {
  readonly signed: Float64Array;
  readonly decomposition: (q: number) => PhaseAmount[];
}

/** What solving reads from (and writes `isStable` of) a SystemIndex. */
export interface SolveContext {
  readonly entries: readonly Entry[];
  readonly eForm: Float64Array;
  readonly groups: CompositionGroups;
  readonly refIndex: ReadonlySet<number>;
  readonly isRef: Uint8Array;
  readonly isCandidate: Uint8Array;
  readonly isStable: Uint8Array;
  readonly candidatesOf: ReadonlyMap<string, readonly number[]>;
  readonly rows: CandidateRows;
  readonly scratch: SolveScratch;
}

/** Arrays reused from one system to the next. */
export interface SolveScratch {
  pointOfEntry?: Int32Array;
  groupSlot?: Int32Array;
}

/** One chemical system: its key, own entries, elements (sorted), hull candidates and their points. */
export interface SystemToSolve {
  readonly sys: string;
  readonly own: readonly number[];
  readonly els: readonly string[];
  readonly cols: readonly number[];
}

/**
 * One system in one kernel call (system-scan.ts): stabilities of its own candidates, then the
 * hull of the stable phases at each of its compositions, once per composition group.
 * Undefined when the kernel reports numerical trouble.
 */
export function scanOneSystem(index: SolveContext, system: SystemToSolve, tol: number, withDecomp: boolean): SystemOutcome | undefined {
  const { sys, own, els, cols } = system;
  const { entries, eForm, groups, isCandidate, isStable, isRef } = index;
  const d = els.length;
  const n = cols.length;
  // The system's own candidates come last in `cols` (subsystemCandidates ends with the full mask).
  const nOwn = index.candidatesOf.get(sys)?.length ?? 0;
  let nu = 0;
  for (let j = n - nOwn; j < n; j++) if (!isRef[cols[j]!]) nu++;
  // One query per composition group of the system's entries.
  const slot = (index.scratch.groupSlot ??= new Int32Array(groups.lowest.length).fill(-1));
  const queryOf = new Int32Array(own.length);
  const reps: number[] = [];
  for (let q = 0; q < own.length; q++) {
    const i = own[q]!;
    const g = groups.group[i]!;
    let t = slot[g]!;
    if (t < 0) {
      t = slot[g] = reps.length;
      reps.push(i);
    }
    queryOf[q] = t;
  }
  const nq = reps.length;
  const k = kernel();
  const L = allocScan(k, n, d, nu, nq);
  const { f64, i32, u8 } = k.heap();
  writePoints(index, cols, els, f64, L.pts >> 3, i32, L.group >> 2);
  const pointOf = (index.scratch.pointOfEntry ??= new Int32Array(entries.length));
  const elems = L.elems >> 2;
  i32.fill(-1, elems, elems + d);
  i32.fill(-1, L.qOfPoint >> 2, (L.qOfPoint >> 2) + n);
  const order = L.order >> 2;
  let u = 0;
  for (let j = 0; j < n; j++) {
    const i = cols[j]!;
    if (isRef[i]) {
      u8[L.state + j] = 1;
      i32[elems + els.indexOf(entries[i]!.composition.elements[0]!)] = j;
    } else if (j < n - nOwn) u8[L.state + j] = isStable[i]!;
    else {
      u8[L.state + j] = 2;
      i32[order + u++] = j;
      pointOf[i] = j;
      i32[(L.qOfPoint >> 2) + j] = slot[groups.group[i]!]!;
    }
  }
  for (const i of reps) slot[groups.group[i]!] = -1;
  for (let c = 0; c < d; c++) if (i32[elems + c]! < 0) return undefined;
  sortByEnergy(i32, order, nu, cols, eForm);
  for (let t = 0; t < nq; t++) fractionsInto(entries[reps[t]!]!, els, f64, (L.queries >> 3) + t * d);
  // Each query's share tolerance, while its fractions are in the kernel's memory.
  const minShare = withDecomp ? Float64Array.from({ length: nq }, (_, t) => shareTolerance(f64, (L.queries >> 3) + t * d, d)) : undefined;
  writeFacetOrder(f64, L.queries >> 3, i32, L.qorder >> 2, d, nq);
  if (!runScan(k, L, tol)) return undefined;
  const signed = new Float64Array(own.length);
  for (let q = 0; q < own.length; q++) {
    const i = own[q]!;
    const j = isCandidate[i] === 1 && !isRef[i] ? pointOf[i]! : -1;
    const stable = isRef[i] === 1 || (j >= 0 && u8[L.state + j] === 1);
    isStable[i] = stable ? 1 : 0;
    signed[q] = stable && j >= 0 ? f64[(L.signed >> 3) + j]! : eForm[i]! - f64[(L.values >> 3) + queryOf[q]!]!;
  }
  if (!withDecomp) return { signed, decomposition: () => [] };
  // The bases outlive the kernel's memory (the next system overwrites it): copied.
  const basis = { index: i32.slice(L.index >> 2, (L.index >> 2) + nq * d), fraction: f64.slice(L.fraction >> 3, (L.fraction >> 3) + nq * d) };
  const cache: Array<PhaseAmount[] | undefined> = [];
  const decomposition = (q: number): PhaseAmount[] => {
    const t = queryOf[q]!;
    return (cache[t] ??= phasesOf(entries, basis, d, t, cols, minShare![t]!));
  };
  return { signed, decomposition };
}

/** The same as `scan`, by two batches of independent LPs (index.ts): the fallback. */
export function solveByLP(index: SolveContext, system: SystemToSolve & { readonly set: PointSet }, tol: number, withDecomp: boolean): SystemOutcome {
  const { sys, own, els, cols, set } = system;
  const { entries, eForm, groups, refIndex, isCandidate, isStable } = index;
  const d = els.length;
  // Pass 1: each candidate against all other compositions (phase separation); the others
  // against everything (E_hull).
  const queries = new Float64Array(own.length * d);
  const exclude = new Int32Array(own.length);
  own.forEach((i, q) => {
    fractionsInto(entries[i]!, els, queries, q * d);
    exclude[q] = isCandidate[i] && !refIndex.has(i) ? groups.group[i]! : -1;
  });
  const r1 = hullBatch(set, new Uint8Array(cols.length).fill(1), queries, exclude);
  const signed = Float64Array.from(own, (i, q) => {
    const v = r1.values[q]!;
    if (Number.isNaN(v)) throw new HullError(`no hull energy found for ${entries[i]!.id} (${entries[i]!.composition.formula}) in ${sys}`);
    return eForm[i]! - v;
  });
  own.forEach((i, q) => {
    isStable[i] = refIndex.has(i) || (isCandidate[i] === 1 && signed[q]! < -tol) ? 1 : 0;
  });
  // Pass 2: unstable entries on the hull of the stable phases only (the vertices, as
  // pymatgen's facets), for their decompositions.
  let r2: HullBatchResult | undefined;
  if (withDecomp && own.some((i) => !isStable[i])) {
    r2 = hullBatch(
      set,
      Uint8Array.from(cols, (i) => isStable[i]!),
      queries,
    );
  }
  return { signed, decomposition: (q) => (r2 ? phasesOf(entries, r2, d, q, cols, shareTolerance(queries, q * d, d)) : []) };
}

/**
 * The phases of query q's basis with a share above `minShare` (shareTolerance: pymatgen's
 * numerical_tol, less for compositions with tiny fractions), largest share first.
 */
export function phasesOf(entries: readonly Entry[], r: Pick<HullBatchResult, 'index' | 'fraction'>, d: number, q: number, cols: readonly number[], minShare: number): PhaseAmount[] {
  // decompositionOf's pairs, without the pairs: a few phases, largest share first.
  const out: PhaseAmount[] = [];
  for (let s = 0; s < d; s++) {
    const j = r.index[q * d + s]!;
    const f = r.fraction[q * d + s]!;
    if (j < 0 || !(f > minShare)) continue;
    const amount = { entry: entries[cols[j]!]!, fraction: f };
    let at = out.length;
    while (at > 0 && out[at - 1]!.fraction < f) at--;
    out.splice(at, 0, amount);
  }
  return out;
}
/** Points `idx` (into `cols`) by formation energy ascending, ties by position (a system's own candidates are few). */
function sortByEnergy(i32: Int32Array, at: number, len: number, cols: readonly number[], eForm: Float64Array): void {
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
