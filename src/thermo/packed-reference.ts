/**
 * A reference dataset packed for the stability screen: its hull candidates (pymatgen's
 * qhull_entries: the lowest entry per composition below its elements, and the elemental
 * references) as flat arrays — cheap to post to a worker or store by content, no class instances —
 * and the key of a chemical system by element indices. Browser-safe.
 */
import type { Entry, EnergyKind } from '../core/index.js';
import { EntryColumns } from './entry-columns.js';
import { HullError } from './hull.js';
import { groupByComposition, hullCandidates } from './hull-points.js';
import { elementalReferences } from './references.js';

/** A reference dataset reduced to its hull candidates, as flat arrays (structured-clone friendly). */
export interface PackedReference {
  readonly kind: EnergyKind;
  /** Elements of the dataset, alphabetical; points and candidates refer to them by index. */
  readonly elements: readonly string[];
  /** Energy per atom of each element's reference (0 for formation-energy data). */
  readonly refEnergy: Float64Array;
  /** Id of each point (`ref-El` for the elemental references added to formation-energy data). */
  readonly ids: readonly string[];
  /** Formation energy per atom of each point. */
  readonly eForm: Float64Array;
  /** Point p's elements are elems[offsets[p] .. offsets[p+1]) (ascending), fractions alike. */
  readonly offsets: Int32Array;
  readonly elems: Uint8Array;
  readonly fracs: Float64Array;
  /** 1 for elemental references. */
  readonly isRef: Uint8Array;
  /** Number of entries the dataset had (with the added elemental references). */
  readonly entries: number;
}

/** Packs a reference dataset (any number of elements; formation or total energies, not mixed). */
export function packReference(input: readonly Entry[]): PackedReference {
  if (input.length === 0) throw new HullError('no reference entries: a phase diagram needs at least one entry per element');
  const { cols, entries, elements } = EntryColumns.withReferences(input, 'reference entry');
  const refs = elementalReferences(entries, elements);
  const eFormAll = cols.formationEnergies(entries, refs);
  const groups = groupByComposition(entries, eFormAll, cols);
  const refSet = new Set<number>();
  entries.forEach((e, i) => {
    if (refs.get(e.composition.elements[0]!) === e && e.isElement) refSet.add(i);
  });
  const points = hullCandidates(eFormAll, groups, refSet);
  const elIndex = new Map(elements.map((el, k) => [el, k]));
  const P = points.length;
  const offsets = new Int32Array(P + 1);
  for (let p = 0; p < P; p++) offsets[p + 1] = offsets[p]! + entries[points[p]!]!.composition.elements.length;
  const elems = new Uint8Array(offsets[P]!);
  const fracs = new Float64Array(offsets[P]!);
  const eForm = new Float64Array(P);
  const isRef = new Uint8Array(P);
  const ids: string[] = new Array(P);
  for (let p = 0; p < P; p++) {
    const i = points[p]!;
    const e = entries[i]!;
    ids[p] = e.id;
    eForm[p] = eFormAll[i]!;
    isRef[p] = refSet.has(i) ? 1 : 0;
    const els = [...e.composition.elements].sort();
    els.forEach((el, k) => {
      elems[offsets[p]! + k] = elIndex.get(el)!;
      fracs[offsets[p]! + k] = e.composition.atomicFraction(el);
    });
  }
  const refEnergy = Float64Array.from(elements, (el) => refs.get(el)!.energyPerAtom);
  return { kind: entries[0]!.kind, elements, refEnergy, ids, eForm, offsets, elems, fracs, isRef, entries: entries.length };
}

/** Key of a chemical system in a batch: its element indices (ascending) as char codes. */
export function systemKey(indices: ArrayLike<number>): string {
  const i = indices;
  switch (i.length) {
    case 1:
      return String.fromCharCode(i[0]!);
    case 2:
      return String.fromCharCode(i[0]!, i[1]!);
    case 3:
      return String.fromCharCode(i[0]!, i[1]!, i[2]!);
    case 4:
      return String.fromCharCode(i[0]!, i[1]!, i[2]!, i[3]!);
    default:
      return String.fromCharCode(...Array.from(i));
  }
}
