// The report of `interphase hull`: every entry's stability within its own chemical system, in
// input order, in pymatgen's reference-file vocabulary. Kept compact (typed arrays, one row object
// at a time) so that a report of millions of rows can be written as it is read.
import type { Entry } from '../core/index.js';
import { systemElements } from './references.js';
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
  let phases = new Int32Array(Math.max(16, n));
  let shares = new Float64Array(phases.length);
  let used = 0;
  let stableCount = 0;
  for (const r of index.evaluate(options)) {
    const i = r.index;
    eForm[i] = r.eFormPerAtom;
    signed[i] = r.signedHullDistance;
    stable[i] = r.stable ? 1 : 0;
    if (r.stable) stableCount++;
    if (used + r.decomposition.length > phases.length) {
      const grown = new Int32Array(2 * phases.length + r.decomposition.length);
      grown.set(phases);
      phases = grown;
      const g2 = new Float64Array(grown.length);
      g2.set(shares);
      shares = g2;
    }
    start[i] = used;
    length[i] = r.decomposition.length;
    for (const p of r.decomposition) {
      phases[used] = p.entry === r.entry ? i : index.indexOf(p.entry)!;
      shares[used++] = p.fraction;
    }
  }
  return {
    elements: systemElements(entries),
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

/** The whole report at once (see `hullRows` for one row at a time). */
export function hullReport(entries: readonly Entry[], options: SystemHullOptions = {}): HullReport {
  const r = hullRows(entries, options);
  return { elements: r.elements, entries: [...r.rows()] };
}
