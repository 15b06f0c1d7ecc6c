// Solving one chemical system of a SystemIndex by LPs, where the batch kernel (system-batch.ts)
// declines it: its own candidates' stabilities, the hull at its compositions, decompositions, by two
// batches of independent LPs (hull.ts), written into the index's arrays (signed distances,
// stabilities, the basis store) as the kernel writes them; and a hull answer's phases. Apart from
// system-hull.ts to keep it short.
import type { Entry } from '../core/index.js';
import { type BasisStore, insertByShare, type PhaseAmount } from './basis-store.js';
import type { CompositionGroups } from './hull-points.js';
import { hullBatch, type HullBatchResult, HullError, type PointSet, shareTolerance } from './hull.js';
import type { CandidateRows } from './candidate-rows.js';

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
}

/** One chemical system for the LP fallback: its key, own entries, elements (sorted), and every candidate of its subsystems (entry indices). */
export interface SystemToSolve {
  readonly sys: string;
  readonly own: readonly number[];
  readonly els: readonly string[];
  readonly cols: ArrayLike<number>;
}

/** One system by two batches of independent LPs (hull.ts): the fallback of the batch kernel (system-batch.ts). */
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
function fractionsInto(e: Entry, els: readonly string[], out: Float64Array, at: number): void {
  const own = e.composition.elements;
  const fr = e.composition.fractionArray;
  for (let k = 0; k < els.length; k++) {
    const at2 = own.indexOf(els[k]!);
    out[at + k] = at2 < 0 ? 0 : fr[at2]!;
  }
}
