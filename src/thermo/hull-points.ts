import type { Entry } from '../core/index.js';
import { FORMATION_ENERGY_TOL } from './references.js';

/** Entries grouped by reduced composition (polymorphs and duplicates share a group). */
export interface CompositionGroups {
  /** Group id of each entry. */
  readonly group: Int32Array;
  /** Per group, the entry with the lowest formation energy (the first of equal ones, as pymatgen). */
  readonly lowest: readonly number[];
  readonly byKey: ReadonlyMap<string, number>;
}

export function groupByComposition(entries: readonly Entry[], eForm: Float64Array): CompositionGroups {
  const group = new Int32Array(entries.length);
  const lowest: number[] = [];
  const byKey = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]!.composition.key;
    let g = byKey.get(key);
    if (g === undefined) {
      g = lowest.length;
      byKey.set(key, g);
      lowest.push(i);
    } else if (eForm[i]! < eForm[lowest[g]!]!) {
      lowest[g] = i;
    }
    group[i] = g;
  }
  return { group, lowest, byKey };
}

/**
 * pymatgen's qhull_entries: the lowest entry of each composition that lies below its elements,
 * and the elemental references. Only these can be stable or enter a phase-separation energy.
 */
export function hullCandidates(eForm: Float64Array, groups: CompositionGroups, refIndices: ReadonlySet<number>): number[] {
  return groups.lowest.filter((i) => refIndices.has(i) || eForm[i]! < -FORMATION_ENERGY_TOL).sort((a, b) => a - b);
}
