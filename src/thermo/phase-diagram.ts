import { Composition } from '../core/index.js';
import { isElementSymbol } from '../core/index.js';
import { Entry, type EntryInit } from '../core/index.js';
import { unresolvedFraction } from './hull.js';
import { SystemIndex, type PhaseAmount, type SystemHullOptions } from './system-hull.js';

export type { PhaseAmount } from './system-hull.js';

/** Stability of one entry in its phase diagram (pymatgen's names in comments). */
export interface EntryStability {
  readonly entry: Entry;
  /** get_form_energy_per_atom */
  readonly eFormPerAtom: number;
  /** get_e_above_hull (0 for stable entries) */
  readonly eAboveHull: number;
  readonly stable: boolean;
  /** get_decomposition: stable phases with atom fractions ({itself: 1} when stable) */
  readonly decomposition: readonly PhaseAmount[];
  /** get_phase_separation_energy, for stable compounds (not elements): < 0 */
  readonly phaseSeparationEnergy?: number;
}

/** A composition against the hull of every other composition (pymatgen get_decomp_and_phase_separation_energy). */
export interface PhaseSeparation {
  /** Energy per atom relative to the competing mixture: < 0 for stable compounds. */
  readonly energy: number;
  /** The competing mixture: lowest-energy phases of other compositions, atom fractions. */
  readonly decomposition: readonly PhaseAmount[];
  /**
   * Chemical potentials (eV/atom, relative to the elemental references) of the competing facet:
   * every candidate j satisfies e_form(j) >= Σ μ_el x_el(j), with equality on the decomposition.
   */
  readonly chemicalPotentials: Readonly<Record<string, number>>;
}

export interface PhaseDiagramOptions extends Pick<SystemHullOptions, 'stabilityTolerance' | 'onProgress'> {
  /** Elements of the diagram (default: every element of the entries). */
  elements?: readonly string[];
}

export class PhaseDiagramError extends Error {
  override name = 'PhaseDiagramError';
}

/**
 * The compositional phase diagram of a set of entries: elemental references, formation energies,
 * the lower convex hull, stabilities, decompositions and phase-separation energies of every entry
 * (evaluated at construction), and the hull at any composition of the system. Hulls are solved in
 * WASM per chemical system, so a diagram over the whole periodic table costs what its systems cost.
 */
export class PhaseDiagram {
  readonly elements: readonly string[];
  /** All entries, the elemental references added for formation-energy data included (`ref-El`). */
  readonly entries: readonly Entry[];
  readonly elRefs: ReadonlyMap<string, Entry>;
  readonly stableEntries: readonly Entry[];
  private readonly index: SystemIndex;
  private readonly results: EntryStability[];

  constructor(input: Iterable<Entry | EntryInit>, options: PhaseDiagramOptions = {}) {
    const given: Entry[] = [];
    for (const e of input) given.push(e instanceof Entry ? e : new Entry(e));
    if (given.length === 0) throw new PhaseDiagramError('no entries: a phase diagram needs at least one entry per element');
    if (options.elements) {
      const seen = new Set<string>();
      for (const el of options.elements) {
        if (!isElementSymbol(el)) throw new PhaseDiagramError(`option elements: unknown element ${JSON.stringify(el)}`);
        if (seen.has(el)) throw new PhaseDiagramError(`option elements: ${el} is listed twice`);
        seen.add(el);
      }
    }
    const tol = options.stabilityTolerance;
    if (tol !== undefined && !(typeof tol === 'number' && Number.isFinite(tol) && tol >= 0)) {
      throw new PhaseDiagramError(`option stabilityTolerance must be a finite number >= 0 (eV/atom), got ${String(tol)}`);
    }
    // Elements found in the entries themselves (by the index) leave nothing outside; only given ones are checked.
    if (options.elements) {
      const known = new Set(options.elements);
      for (const e of given) {
        const outside = e.composition.elements.filter((el) => !known.has(el));
        if (outside.length) {
          throw new PhaseDiagramError(`entry ${JSON.stringify(e.id)} (${e.composition.formula}) has ${outside.join(', ')} outside the diagram's elements ${[...known].sort().join('-')}`);
        }
      }
    }
    this.index = new SystemIndex(given, options.elements);
    this.elements = this.index.elements;
    this.entries = this.index.entries;
    this.elRefs = this.index.refs;
    const results: EntryStability[] = new Array(this.entries.length);
    const evalOptions: SystemHullOptions = {};
    if (options.stabilityTolerance !== undefined) evalOptions.stabilityTolerance = options.stabilityTolerance;
    if (options.onProgress) evalOptions.onProgress = options.onProgress;
    const { isStable, eForm, isRef, signed } = this.index;
    for (const { own } of this.index.solveSystems(evalOptions)) {
      for (let q = 0; q < own.length; q++) {
        const i = own[q]!;
        const entry = this.entries[i]!;
        const eFormPerAtom = eForm[i]!;
        if (isStable[i] !== 1) {
          results[i] = { entry, eFormPerAtom, stable: false, decomposition: this.index.decompositionOf(i), eAboveHull: Math.max(signed[i]!, 0) };
          continue;
        }
        const decomposition = [{ entry, fraction: 1 }];
        results[i] =
          entry.isElement || isRef[i] === 1
            ? { entry, eFormPerAtom, stable: true, decomposition, eAboveHull: 0 }
            : { entry, eFormPerAtom, stable: true, decomposition, eAboveHull: 0, phaseSeparationEnergy: signed[i]! };
      }
    }
    this.results = results;
    this.stableEntries = this.entries.filter((_, i) => this.index.isStable[i] === 1);
  }

  /** The per-chemical-system hull index the diagram is evaluated on (segments, local hulls). */
  get systemIndex(): SystemIndex {
    return this.index;
  }

  /** Stability of every entry, in input order (added elemental references last). */
  analyze(): readonly EntryStability[] {
    return this.results;
  }

  /** Stability of one entry of this diagram. */
  stability(entry: Entry): EntryStability {
    const i = this.index.indexOf(entry);
    if (i === undefined) throw new PhaseDiagramError(`entry ${JSON.stringify(entry.id)} is not part of this phase diagram`);
    return this.results[i]!;
  }

  isStable(entry: Entry): boolean {
    return this.stability(entry).stable;
  }

  /** Formation energy per atom of any entry (also one outside the diagram's entry list). */
  formationEnergyPerAtom(entry: Entry): number {
    const i = this.index.indexOf(entry);
    if (i !== undefined) return this.index.eForm[i]!;
    const kind = this.entries[0]!.kind;
    if (entry.kind !== kind) {
      throw new PhaseDiagramError(`entry ${JSON.stringify(entry.id)} (${entry.composition.formula}) has a ${entry.kind} energy, but this phase diagram is built from ${kind} energies`);
    }
    return entry.energyPerAtom - this.referenceEnergyPerAtom(entry.composition);
  }

  /** Energy above hull of an entry; for an entry not in the diagram, against the diagram's hull. */
  eAboveHull(entry: Entry): number {
    const i = this.index.indexOf(entry);
    if (i !== undefined) return this.results[i]!.eAboveHull;
    return this.formationEnergyPerAtom(entry) - this.hullFormationEnergyPerAtom(entry.composition);
  }

  /** Phase-separation energy (pymatgen semantics): against all other compositions; E_hull for elements. */
  phaseSeparationEnergy(entry: Entry): number {
    const i = this.index.indexOf(entry);
    const known = i === undefined ? undefined : this.results[i]!.phaseSeparationEnergy;
    if (known !== undefined) return known;
    if (entry.isElement) return this.eAboveHull(entry);
    return this.phaseSeparation(entry).energy;
  }

  /** The entry against the hull of all other compositions, with the competing mixture. */
  phaseSeparation(entry: Entry): PhaseSeparation {
    if (entry.isElement) throw new PhaseDiagramError(`${entry.id}: an element has no competing compositions`);
    const comp = entry.composition;
    const group = this.index.groups.byKey.get(comp.key) ?? -1;
    const h = this.index.hullAt(comp.elements, this.fractions(comp), 'candidates', group);
    return { energy: this.formationEnergyPerAtom(entry) - h.value, decomposition: h.decomposition, chemicalPotentials: h.mu };
  }

  /** pymatgen's qhull_entries: the lowest entry of each composition below its elements, and the references. */
  get hullCandidates(): Entry[] {
    return this.entries.filter((_, i) => this.index.isCandidate[i] === 1);
  }

  /** Decomposition of any composition of the system into stable phases (atom fractions). */
  decomposition(composition: Composition | string): PhaseAmount[] {
    return this.hull(toComposition(composition)).decomposition;
  }

  /** Formation energy per atom of the hull at a composition (eV/atom). */
  hullFormationEnergyPerAtom(composition: Composition | string): number {
    return this.hull(toComposition(composition)).value;
  }

  /** Total energy per atom of the hull at a composition (pymatgen get_hull_energy_per_atom). */
  hullEnergyPerAtom(composition: Composition | string): number {
    const comp = toComposition(composition);
    return this.hull(comp).value + this.referenceEnergyPerAtom(comp);
  }

  /** Chemical potentials (relative to the elemental references) of the facet at a composition. */
  chemicalPotentials(composition: Composition | string): Record<string, number> {
    return this.hull(toComposition(composition)).mu;
  }

  /** Energy (eV/atom) of a composition's elemental references, mixed at its atomic fractions. */
  referenceEnergyPerAtom(composition: Composition): number {
    this.checkInside(composition);
    let ref = 0;
    for (const el of composition.elements) ref += composition.atomicFraction(el) * this.elRefs.get(el)!.energyPerAtom;
    return ref;
  }

  private hull(comp: Composition) {
    return this.index.hullAt(comp.elements, this.fractions(comp), 'stable');
  }

  private fractions(comp: Composition): Float64Array {
    this.checkInside(comp);
    const why = unresolvedFraction(comp);
    if (why) throw new PhaseDiagramError(`${comp.formula}: ${why}`);
    return Float64Array.from(comp.elements, (el) => comp.atomicFraction(el));
  }

  private checkInside(comp: Composition): void {
    const outside = comp.elements.filter((el) => !this.elRefs.has(el));
    if (outside.length) throw new PhaseDiagramError(`${comp.formula}: ${outside.join(', ')} outside the diagram's elements ${this.elements.join('-')}`);
  }
}

function toComposition(c: Composition | string): Composition {
  return typeof c === 'string' ? Composition.parse(c) : c;
}
