// The report of `interphase hull`: every entry's stability within its own chemical system, in
// input order, in pymatgen's reference-file vocabulary. Kept compact (typed arrays, one row object
// at a time) so that a report of millions of rows can be written as it is read.
import type { Entry } from '../core/index.js';
import { SystemIndex, type SystemHullOptions } from './system-hull.js';

/** One row of `interphase hull --json` (the keys of pymatgen's reference files). */
export interface HullReportEntry {
  id: string;
  formula: string;
  e_form_per_atom: number;
  e_above_hull: number;
  stable: boolean;
  decomposition: Record<string, number>;
  phase_separation_energy?: number;
}

export interface HullReport {
  elements: string[];
  entries: HullReportEntry[];
}

/** The report's rows, made one at a time from compact arrays (`rows()` may be iterated again). */
export interface HullRows {
  readonly elements: string[];
  /** Rows (entries, the elemental references added for formation-energy data included). */
  readonly count: number;
  readonly stableCount: number;
  rows(): Generator<HullReportEntry>;
}

/**
 * Stability of every entry of a dataset, each within its own chemical system (identical to one
 * phase diagram over the whole set, and it scales to datasets spanning the periodic table), as
 * rows made on demand: what the results hold is a few numbers per entry, not a row object.
 */
export function hullRows(input: readonly Entry[], options: SystemHullOptions = {}): HullRows {
  const index = new SystemIndex(input);
  const entries = index.entries;
  const n = entries.length;
  const eForm = new Float64Array(n);
  const signed = new Float64Array(n);
  const stable = new Uint8Array(n);
  const start = new Int32Array(n);
  const length = new Uint8Array(n);
  let phases: Int32Array = new Int32Array(Math.max(16, n));
  let shares: Float64Array = new Float64Array(phases.length);
  let used = 0;
  let stableCount = 0;
  // The index's arrays as each system is solved (evaluate's numbers, without a row object per entry).
  for (const { own } of index.solveSystems(options)) {
    for (const i of own) {
      const isStable = index.isStable[i] === 1;
      eForm[i] = index.eForm[i]!;
      signed[i] = index.isRef[i] === 1 ? 0 : isStable ? index.signed[i]! : Math.max(index.signed[i]!, 0);
      stable[i] = isStable ? 1 : 0;
      start[i] = used;
      if (isStable) {
        stableCount++;
        length[i] = 1;
        if (used + 1 > phases.length) [phases, shares] = grown(phases, shares, 1);
        phases[used] = i;
        shares[used++] = 1;
        continue;
      }
      const decomposition = index.decompositionOf(i);
      if (used + decomposition.length > phases.length) [phases, shares] = grown(phases, shares, decomposition.length);
      length[i] = decomposition.length;
      for (const p of decomposition) {
        phases[used] = index.indexOf(p.entry)!;
        shares[used++] = p.fraction;
      }
    }
  }
  return {
    elements: [...index.elements],
    count: n,
    stableCount,
    *rows() {
      for (let i = 0; i < n; i++) {
        const e = entries[i]!;
        const pairs: Array<[string, number]> = [];
        for (let k = start[i]!; k < start[i]! + length[i]!; k++) pairs.push([entries[phases[k]!]!.id, shares[k]!]);
        const decomposition: Record<string, number> = Object.fromEntries(pairs);
        const row: HullReportEntry = {
          id: e.id,
          formula: e.composition.formula,
          e_form_per_atom: eForm[i]!,
          e_above_hull: stable[i] ? 0 : signed[i]!,
          stable: stable[i] === 1,
          decomposition,
        };
        if (stable[i] && !e.isElement) row.phase_separation_energy = signed[i]!;
        yield row;
      }
    },
  };
}

/** The arrays with room for `more` phases beyond their length. */
function grown(phases: Int32Array, shares: Float64Array, more: number): [Int32Array, Float64Array] {
  const p = new Int32Array(2 * phases.length + more);
  p.set(phases);
  const f = new Float64Array(p.length);
  f.set(shares);
  return [p, f];
}

/** The whole report at once (see `hullRows` for one row at a time). */
export function hullReport(entries: readonly Entry[], options: SystemHullOptions = {}): HullReport {
  const r = hullRows(entries, options);
  return { elements: r.elements, entries: [...r.rows()] };
}
