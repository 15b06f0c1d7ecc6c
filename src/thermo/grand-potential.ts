/**
 * Grand-potential phase diagrams: a system open to one or more elements held at fixed chemical
 * potentials (a Li reservoir at a voltage, an O2 atmosphere). pymatgen's GrandPotPDEntry /
 * GrandPotentialPhaseDiagram, exactly:
 *
 *   Φ = E − Σ_open μ_el · N_el
 *
 * per entry, and the hull is built over the remaining (closed) elements: a grand entry's
 * composition is the entry's without the open elements, so its energy per atom is per NON-OPEN
 * atom. Entries made only of open elements are dropped. The grand entries are ordinary total-energy
 * entries, so the whole PhaseDiagram / SystemIndex machinery (WASM hull) applies unchanged; the
 * elemental references of the closed elements are the lowest grand potentials per atom of each
 * (e.g. with Li open, Li3P can be the reference of P).
 *
 * Chemical potentials can be given absolute (eV/atom, the energy scale of the entries — for
 * formation-energy data that is relative to the elements), relative to the open element's own
 * reference (its lowest energy per atom among the entries), or as a voltage vs the metal:
 * μ_rel = −z·V for the ion E^{z+} (z = 1 for Li, Na, K; 2 for Mg, Ca, Zn; 3 for Al; `valence`
 * for anything else).
 */
import { Composition } from '../core/index.js';
import { Entry, type EntryInit } from '../core/index.js';
import { isElementSymbol } from '../core/index.js';
import { muFromVoltage } from './element-profile.js';
import { PhaseDiagram, PhaseDiagramError, type PhaseDiagramOptions } from './phase-diagram.js';
import { elementalReferences, withElementalReferences } from './references.js';

/** How a chemical potential is given. A bare number is absolute (pymatgen's convention). */
export type OpenPotential = number | { readonly mu: number } | { readonly muRelative: number } | { readonly voltage: number; readonly valence?: number };

export class GrandPotentialError extends PhaseDiagramError {
  override name = 'GrandPotentialError';
}

/** An entry of a grand-potential diagram: the original entry with its open elements removed. */
export class GrandPotentialEntry extends Entry {
  /** The entry of the closed system. */
  readonly originalEntry: Entry;
  /** Σ μ_el · N_el over the open elements (eV, absolute μ). */
  readonly chemicalEnergy: number;

  constructor(original: Entry, chempots: Readonly<Record<string, number>>) {
    const comp = original.composition;
    let chem = 0;
    let open = '';
    for (const el of comp.elements) {
      const mu = chempots[el];
      if (mu !== undefined) {
        chem += comp.amount(el) * mu;
        open += ` ${el}`;
      }
    }
    super({ id: original.id, composition: closedComposition(comp, open, chempots), energy: original.energy - chem });
    this.originalEntry = original;
    this.chemicalEnergy = chem;
  }
}

// The closed part of each composition, by its open elements: grand hulls at many μ (a voltage
// sweep, an interface matrix) are built over the same phases, and a shared composition keeps
// what hulls read of it (key, chemical system, fractions) from one build to the next.
const closedParts = new WeakMap<Composition, Map<string, Composition>>();

/** `comp` without the elements of `chempots` (`open`: those of them it has, each after a space). */
function closedComposition(comp: Composition, open: string, chempots: Readonly<Record<string, number>>): Composition {
  let parts = closedParts.get(comp);
  const hit = parts?.get(open);
  if (hit) return hit;
  const closed: Record<string, number> = {};
  for (const el of comp.elements) if (chempots[el] === undefined) closed[el] = comp.amount(el);
  const made = Composition.fromDict(closed);
  if (!parts) closedParts.set(comp, (parts = new Map()));
  parts.set(open, made);
  return made;
}

/**
 * pymatgen `GrandPotentialPhaseDiagram(entries, chempots)`: the hull of Φ = E − μ·N_open per
 * non-open atom over the closed elements. Every PhaseDiagram question (stable entries, E_hull,
 * decompositions, chemical potentials of the closed elements) is then asked in the grand scale;
 * its entries are GrandPotentialEntry objects (`originalEntry` gives the closed entry).
 */
export class GrandPotentialPhaseDiagram extends PhaseDiagram {
  /** Open elements, sorted. */
  readonly openElements: readonly string[];
  /** Absolute chemical potentials of the open elements (eV/atom, the entries' scale). */
  readonly chempots: Readonly<Record<string, number>>;
  /** The same, relative to each open element's reference energy per atom. */
  readonly chempotsRelative: Readonly<Record<string, number>>;
  /** Energy per atom of each open element's reference in the original entries. */
  readonly openReferences: Readonly<Record<string, number>>;

  constructor(input: Iterable<Entry | EntryInit>, chempots: Readonly<Record<string, OpenPotential>>, options: PhaseDiagramOptions = {}) {
    const prepared = prepare(input, chempots);
    super(prepared.entries, options);
    this.openElements = prepared.open;
    this.chempots = prepared.abs;
    this.chempotsRelative = prepared.rel;
    this.openReferences = prepared.refs;
  }

  /** The grand entry of an original entry of this diagram (undefined if it was dropped). */
  grandEntry(original: Entry): GrandPotentialEntry | undefined {
    return this.entries.find((e) => e instanceof GrandPotentialEntry && e.originalEntry === original) as GrandPotentialEntry | undefined;
  }
}

/** Absolute μ from any form of OpenPotential, given the element's reference energy per atom. */
export function absoluteChemicalPotential(element: string, p: OpenPotential, reference: number): number {
  let mu: number;
  if (typeof p === 'number') mu = p;
  else if (p !== null && typeof p === 'object' && 'mu' in p) mu = p.mu;
  else if (p !== null && typeof p === 'object' && 'muRelative' in p) mu = reference + p.muRelative;
  else if (p !== null && typeof p === 'object' && 'voltage' in p) {
    if (typeof p.voltage !== 'number' || !Number.isFinite(p.voltage)) {
      throw new GrandPotentialError(`voltage for ${element} must be a finite number, got ${String(p.voltage)}`);
    }
    mu = reference + muFromVoltage(p.voltage, element, p.valence);
  } else {
    throw new GrandPotentialError(`chemical potential of ${element} must be a number or { mu } / { muRelative } / { voltage }, got ${JSON.stringify(p)}`);
  }
  if (typeof mu !== 'number' || !Number.isFinite(mu)) throw new GrandPotentialError(`chemical potential of ${element} must be a finite number, got ${String(mu)}`);
  return mu;
}

function prepare(input: Iterable<Entry | EntryInit>, chempots: Readonly<Record<string, OpenPotential>>) {
  const given: Entry[] = [];
  for (const e of input) given.push(e instanceof Entry ? e : new Entry(e));
  if (given.length === 0) throw new GrandPotentialError('no entries: a grand-potential diagram needs entries');
  if (chempots === null || typeof chempots !== 'object') throw new GrandPotentialError('chempots must be an object {element: potential}');
  const open = Object.keys(chempots).sort();
  if (open.length === 0) throw new GrandPotentialError('no open element: give at least one {element: potential}');
  const present = new Set(given.flatMap((e) => e.composition.elements));
  for (const el of open) {
    if (!isElementSymbol(el)) throw new GrandPotentialError(`open element ${JSON.stringify(el)} is not an element`);
    if (!present.has(el)) throw new GrandPotentialError(`open element ${el} is absent from the entries (elements ${[...present].sort().join('-')})`);
  }
  const closedEls = [...present].filter((el) => !open.includes(el));
  if (closedEls.length === 0) {
    throw new GrandPotentialError(`every element of the entries is open (${open.join(', ')}): a grand-potential diagram needs at least one closed element`);
  }
  const withRefs = withElementalReferences(given);
  const refEntries = elementalReferences(withRefs, open);
  const refs: Record<string, number> = {};
  const abs: Record<string, number> = {};
  const rel: Record<string, number> = {};
  for (const el of open) {
    refs[el] = refEntries.get(el)!.energyPerAtom;
    abs[el] = absoluteChemicalPotential(el, chempots[el]!, refs[el]);
    rel[el] = abs[el] - refs[el];
  }
  // Formation-energy data become total energies on the formation scale (elements at 0 eV/atom).
  const entries = withRefs.filter((e) => e.composition.elements.some((el) => !(el in abs))).map((e) => new GrandPotentialEntry(e, abs));
  return { entries, open, abs, rel, refs };
}
