import { Composition } from '../core/index.js';
import { Entry, EntryError } from '../core/index.js';

// pymatgen's PhaseDiagram.formation_energy_tol: only compounds below it enter the hull.
export const FORMATION_ENERGY_TOL = 1e-11;

/** An element of the system has no elemental entry to reference formation energies to. */
export class MissingReferenceError extends Error {
  override name = 'MissingReferenceError';
}

export function systemElements(entries: readonly Entry[]): string[] {
  // Through the (few, cached) chemical systems: a set of strings per entry, not of its elements.
  const systems = new Set<string>();
  for (const e of entries) systems.add(e.composition.chemicalSystem);
  return elementsOfSystems(systems.keys());
}

/** The elements of chemical system keys ('Li-O-P'), alphabetical. */
export function elementsOfSystems(keys: Iterable<string>): string[] {
  const s = new Set<string>();
  for (const sys of keys) for (const el of sys.split('-')) s.add(el);
  return [...s].sort();
}

/**
 * Formation-energy data carries no elemental entries: its references sit at 0 eV/atom. They are
 * added (id `ref-El`) for every element that has no elemental entry. Total-energy data must bring
 * its own. Mixing the two kinds has no common energy scale, so it is refused.
 */
export function withElementalReferences(entries: Entry[], elements?: readonly string[]): Entry[] {
  const total = entries.find((e) => e.kind === 'total');
  const form = entries.find((e) => e.kind === 'formation');
  if (total && form) {
    throw new EntryError(`cannot mix total energies (e.g. ${JSON.stringify(total.id)}) with formation energies (e.g. ${JSON.stringify(form.id)}) in one phase diagram`);
  }
  if (total) return entries;
  const haveElement = new Set(entries.filter((e) => e.isElement).map((e) => e.composition.elements[0]!));
  const refs: Entry[] = [];
  for (const el of elements ?? systemElements(entries)) {
    if (!haveElement.has(el)) refs.push(new Entry({ id: `ref-${el}`, composition: Composition.fromDict({ [el]: 1 }), eFormPerAtom: 0 }));
  }
  return refs.length ? [...entries, ...refs] : entries;
}

export function elementalReferences(entries: readonly Entry[], elements: readonly string[]): Map<string, Entry> {
  const refs = new Map<string, Entry>();
  for (const e of entries) {
    if (!e.isElement) continue;
    const el = e.composition.elements[0]!;
    const cur = refs.get(el);
    if (!cur || e.energyPerAtom < cur.energyPerAtom) refs.set(el, e);
  }
  const missing = elements.filter((el) => !refs.has(el));
  if (missing.length) {
    // Formation-energy data gets its references for every element of its entries, so what is
    // missing there is an element (of the requested `elements`) that no entry contains.
    throw new MissingReferenceError(
      entries.some((e) => e.kind === 'formation')
        ? `no elemental reference for ${missing.join(', ')}: no entry contains ${missing.length > 1 ? 'these elements' : 'it'} (formation-energy data gets 0 eV/atom references only for the elements of its entries)`
        : `no elemental reference entry for ${missing.join(', ')}: total-energy data needs an entry of each pure element`,
    );
  }
  return refs;
}
