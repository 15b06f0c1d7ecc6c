// The hull's points: entries grouped by composition (ids checked on the way), and pymatgen's
// qhull_entries — the only entries that can be stable or enter a phase-separation energy.
import type { Entry } from '../core/index.js';
import type { EntryColumns } from './entry-columns.js';
import { HullError } from './hull.js';
import { FORMATION_ENERGY_TOL } from './references.js';

/** Entries grouped by reduced composition (polymorphs and duplicates share a group). */
export interface CompositionGroups {
  /** Group id of each entry. */
  readonly group: Int32Array;
  /** Per group, the entry with the lowest formation energy (the first of equal ones, as pymatgen). */
  readonly lowest: readonly number[];
  readonly byKey: ReadonlyMap<string, number>;
}

// Datasets of this many entries are grouped by their fractions unless their keys are made.
const GROUP_BY_FRACTIONS_FROM = 4096;

/**
 * Groups entries by composition. Decompositions and screen rows name phases by id, so two entries
 * of different compositions may not share one (their shares would merge under one name): that is
 * refused, naming both. Entries of one composition may (polymorphs of a CSV without an id column
 * are named by their formula; MP documents of one material by its id): at most one of them is a
 * hull phase. A large dataset of whole amounts (nearly every one) is grouped by its fractions
 * (`cols`: its columns), without its keys (85k strings for the MP table), `byKey` made when first
 * read; a small one, or one whose keys are made already, by its keys.
 */
export function groupByComposition(entries: readonly Entry[], eForm: Float64Array, cols: EntryColumns): CompositionGroups {
  // A small dataset by its keys: made once, kept by the compositions, cheaper to group by again
  // (a diagram built again from the same entries) than fractions compared afresh.
  if (entries.length < GROUP_BY_FRACTIONS_FROM || !cols.allWhole || (entries[0]!.composition.keyKnown && entries[entries.length - 1]!.composition.keyKnown)) return groupByKey(entries, eForm);
  return groupByFractions(entries, eForm, cols);
}

/** groupByComposition by the entries' fractions (a function of its own: small datasets never compile it). */
function groupByFractions(entries: readonly Entry[], eForm: Float64Array, cols: EntryColumns): CompositionGroups {
  const hashes = new Int32Array(entries.length);
  for (let i = 0; i < entries.length; i++) hashes[i] = cols.fractionHash(i);
  const group = new Int32Array(entries.length);
  const lowest: number[] = [];
  const first: number[] = [];
  // Open addressing by hash (a group per slot), linear probing; an equal hash is settled exactly.
  let size = 16;
  while (size < 2 * entries.length) size <<= 1;
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  const byId = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const h = hashes[i]!;
    let p = Math.imul(h, 0x9e3779b1) >>> 0;
    let g = slots[(p = (p ^ (p >>> 15)) & mask)]!;
    while (g >= 0 && !(hashes[first[g]!] === h && cols.sameFractions(i, first[g]!))) g = slots[(p = (p + 1) & mask)]!;
    if (g < 0) {
      g = lowest.length;
      slots[p] = g;
      lowest.push(i);
      first.push(i);
    } else if (eForm[i]! < eForm[lowest[g]!]!) {
      lowest[g] = i;
    }
    group[i] = g;
    const id = entries[i]!.id;
    const seen = byId.get(id);
    if (seen === undefined) byId.set(id, i);
    else if (group[seen] !== g) throw sharedId(entries, seen, i);
  }
  let byKey: Map<string, number> | undefined;
  return {
    group,
    lowest,
    get byKey() {
      if (!byKey) {
        byKey = new Map();
        for (let g = 0; g < first.length; g++) byKey.set(entries[first[g]!]!.composition.key, g);
      }
      return byKey;
    },
  };
}

/** groupByComposition by the compositions' keys (some amount is not whole, or the keys are made). */
function groupByKey(entries: readonly Entry[], eForm: Float64Array): CompositionGroups {
  const group = new Int32Array(entries.length);
  const lowest: number[] = [];
  const byKey = new Map<string, number>();
  const byId = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const key = e.composition.key;
    const first = byId.get(e.id);
    if (first === undefined) byId.set(e.id, i);
    else if (entries[first]!.composition.key !== key) throw sharedId(entries, first, i);
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

function sharedId(entries: readonly Entry[], first: number, i: number): HullError {
  const f = entries[first]!;
  const e = entries[i]!;
  return new HullError(
    `entries ${first} and ${i} (0-based) share the id ${JSON.stringify(e.id)} but are different compositions (${f.composition.formula} and ${e.composition.formula}): decompositions name phases by id, so give them different ids`,
  );
}

/**
 * pymatgen's qhull_entries: the lowest entry of each composition that lies below its elements,
 * and the elemental references. Only these can be stable or enter a phase-separation energy.
 */
export function hullCandidates(eForm: Float64Array, groups: CompositionGroups, refIndices: ReadonlySet<number>): number[] {
  const flags = hullCandidateFlags(eForm, groups, refIndices);
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] === 1) out.push(i);
  return out;
}

/** The same as flags per entry (1: a hull candidate). */
export function hullCandidateFlags(eForm: Float64Array, groups: CompositionGroups, refIndices: ReadonlySet<number>): Uint8Array {
  const flags = new Uint8Array(groups.group.length);
  for (const i of groups.lowest) if (eForm[i]! < -FORMATION_ENERGY_TOL || refIndices.has(i)) flags[i] = 1;
  return flags;
}
