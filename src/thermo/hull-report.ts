import type { Entry } from '../core/index.js';
import { systemElements } from './references.js';
import { systemStabilities, type SystemHullOptions } from './system-hull.js';

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

/**
 * Stability of every entry of a dataset, each within its own chemical system (identical to one
 * phase diagram over the whole set, and it scales to datasets spanning the periodic table).
 */
export function hullReport(entries: readonly Entry[], options: SystemHullOptions = {}): HullReport {
  const rows: HullReportEntry[] = [];
  const all: Entry[] = [];
  const results = [...systemStabilities(entries, options)].sort((a, b) => a.index - b.index);
  for (const r of results) {
    all.push(r.entry);
    const row: HullReportEntry = {
      id: r.entry.id,
      formula: r.entry.composition.formula,
      e_form_per_atom: r.eFormPerAtom,
      e_above_hull: r.stable ? 0 : r.signedHullDistance,
      stable: r.stable,
      decomposition: Object.fromEntries(r.decomposition.map((p) => [p.entry.id, p.fraction])),
    };
    if (r.stable && !r.entry.isElement) row.phase_separation_energy = r.signedHullDistance;
    rows.push(row);
  }
  return { elements: systemElements(all), entries: rows };
}
