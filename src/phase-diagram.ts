import { Composition } from './composition.js';
import { Entry, type EntryInit } from './entry.js';
import { groupByComposition, hullCandidates } from './candidates.js';
import { elementalReferences, formationEnergies, systemElements, withElementalReferences } from './references.js';
import { decompositionOf, hullBatch, HullError, type HullBatchResult, type PointSet } from './hull.js';

/** A phase and its share of atoms in a decomposition. */
export interface PhaseAmount {
  readonly entry: Entry;
  /** Fraction of the atoms of the decomposed composition that sit in this phase. */
  readonly fraction: number;
}

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
  /** get_phase_separation_energy, for stable compounds (not elements): <= 0 */
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

export interface PhaseDiagramOptions {
  /** Elements of the diagram (default: every element of the entries). */
  elements?: readonly string[];
  /**
   * A candidate is stable when it lies more than this below the hull of all other compositions
   * (eV/atom). Points on the hull within it are not vertices: they decompose at E_hull = 0.
   */
  stabilityTolerance?: number;
}

export class PhaseDiagramError extends Error {
  override name = 'PhaseDiagramError';
}

// pymatgen's PhaseDiagram.numerical_tol: smaller shares are dropped from decompositions.
const NUMERICAL_TOL = 1e-8;
const DEFAULT_STABILITY_TOL = 1e-12;

/**
 * The compositional phase diagram of a set of entries: elemental references, formation energies,
 * the lower convex hull (computed in WASM as one linear program per composition), stabilities,
 * decompositions and phase-separation energies. All entries are evaluated at construction in two
 * batches; queries for other compositions cost one LP each.
 */
export class PhaseDiagram {
  readonly elements: readonly string[];
  /** All entries, the elemental references added for formation-energy data included. */
  readonly entries: readonly Entry[];
  readonly elRefs: ReadonlyMap<string, Entry>;
  readonly stableEntries: readonly Entry[];

  private readonly elIndex: Map<string, number>;
  private readonly set: PointSet;
  private readonly eForm: Float64Array;
  private readonly stableMask: Uint8Array;
  /** pymatgen's qhull_entries: what phase-separation energies compare against. */
  private readonly candMask: Uint8Array;
  private readonly groupOf: ReadonlyMap<string, number>;
  private readonly results: EntryStability[];
  private readonly byEntry = new Map<Entry, number>();

  constructor(input: Iterable<Entry | EntryInit>, options: PhaseDiagramOptions = {}) {
    const given: Entry[] = [];
    for (const e of input) given.push(e instanceof Entry ? e : new Entry(e));
    if (given.length === 0) throw new PhaseDiagramError('no entries: a phase diagram needs at least one entry per element');
    const entries = withElementalReferences(given);
    const elements = options.elements ? [...options.elements] : systemElements(entries);
    this.elements = elements;
    this.elIndex = new Map(elements.map((el, i) => [el, i]));
    for (const e of entries) {
      const outside = e.composition.elements.filter((el) => !this.elIndex.has(el));
      if (outside.length) {
        throw new PhaseDiagramError(`entry ${JSON.stringify(e.id)} (${e.composition.formula}) has ${outside.join(', ')} outside the diagram's elements ${elements.join('-')}`);
      }
    }
    this.entries = entries;
    this.elRefs = elementalReferences(entries, elements);

    const d = elements.length;
    const n = entries.length;
    const eForm = formationEnergies(entries, this.elRefs);
    const groups = groupByComposition(entries, eForm);
    const pts = new Float64Array(n * (d + 1));
    entries.forEach((e, i) => {
      this.byEntry.set(e, i);
      for (const el of e.composition.elements) pts[i * (d + 1) + this.elIndex.get(el)!] = e.composition.atomicFraction(el);
      pts[i * (d + 1) + d] = eForm[i]!;
    });
    const group = groups.group;
    const minOfGroup = groups.lowest;
    this.set = { n, d, pts, group };
    this.eForm = eForm;
    this.groupOf = groups.byKey;

    const refIdx = new Set([...this.elRefs.values()].map((e) => this.byEntry.get(e)!));
    const candidates = hullCandidates(eForm, groups, refIdx);
    const candMask = new Uint8Array(n);
    for (const i of candidates) candMask[i] = 1;
    this.candMask = candMask;

    // Pass 1: each candidate against the hull of all other compositions. Below it = a vertex
    // (stable); the gap is pymatgen's phase-separation energy.
    const tol = options.stabilityTolerance ?? DEFAULT_STABILITY_TOL;
    const compounds = candidates.filter((i) => !refIdx.has(i));
    const sep = hullAgainstOthers(this.set, candMask, compounds);
    const stableMask = new Uint8Array(n);
    const phaseSep = new Map<number, number>();
    for (const i of refIdx) stableMask[i] = 1;
    compounds.forEach((i, q) => {
      const s = eForm[i]! - sep[q]!;
      if (s < -tol) {
        stableMask[i] = 1;
        phaseSep.set(i, s);
      }
    });
    this.stableMask = stableMask;
    this.stableEntries = entries.filter((_, i) => stableMask[i] === 1);

    // Pass 2: every composition on the hull of the stable phases: E_hull and decomposition.
    const groupRep = minOfGroup; // one query per composition
    const queries = new Float64Array(groupRep.length * d);
    groupRep.forEach((i, q) => queries.set(pts.subarray(i * (d + 1), i * (d + 1) + d), q * d));
    const hull = hullBatch(this.set, stableMask, queries);
    this.results = entries.map((e, i) => {
      const q = group[i]!;
      if (stableMask[i]) {
        const r: EntryStability = {
          entry: e, eFormPerAtom: eForm[i]!, eAboveHull: 0, stable: true,
          decomposition: [{ entry: e, fraction: 1 }],
        };
        const s = phaseSep.get(i);
        return s === undefined ? r : { ...r, phaseSeparationEnergy: s };
      }
      const h = hull.values[q]!;
      if (Number.isNaN(h)) throw new HullError(`no hull energy found for ${e.id} (${e.composition.formula})`);
      return {
        entry: e, eFormPerAtom: eForm[i]!, eAboveHull: eForm[i]! - h, stable: false,
        decomposition: this.phases(hull, q),
      };
    });
  }

  /** Stability of every entry, in input order (elemental references last). */
  analyze(): readonly EntryStability[] {
    return this.results;
  }

  /** Stability of one entry of this diagram. */
  stability(entry: Entry): EntryStability {
    const i = this.byEntry.get(entry);
    if (i === undefined) throw new PhaseDiagramError(`entry ${JSON.stringify(entry.id)} is not part of this phase diagram`);
    return this.results[i]!;
  }

  isStable(entry: Entry): boolean {
    return this.stability(entry).stable;
  }

  /** Formation energy per atom of any entry (also one outside the diagram's entry list). */
  formationEnergyPerAtom(entry: Entry): number {
    const i = this.byEntry.get(entry);
    if (i !== undefined) return this.eForm[i]!;
    return entry.energyPerAtom - this.referenceEnergyPerAtom(entry.composition);
  }

  /** Energy above hull of an entry; for an entry not in the diagram, against the diagram's hull. */
  eAboveHull(entry: Entry): number {
    const i = this.byEntry.get(entry);
    if (i !== undefined) return this.results[i]!.eAboveHull;
    return this.formationEnergyPerAtom(entry) - this.hullFormationEnergyPerAtom(entry.composition);
  }

  /** Phase-separation energy (pymatgen semantics): against all other compositions; 0 for elemental refs. */
  phaseSeparationEnergy(entry: Entry): number {
    const i = this.byEntry.get(entry);
    if (i !== undefined && this.results[i]!.phaseSeparationEnergy !== undefined) return this.results[i]!.phaseSeparationEnergy!;
    if (entry.isElement) return this.eAboveHull(entry);
    return this.phaseSeparation(entry).energy;
  }

  /** The entry against the hull of all other compositions, with the competing mixture. */
  phaseSeparation(entry: Entry): PhaseSeparation {
    if (entry.isElement) throw new PhaseDiagramError(`${entry.id}: an element has no competing compositions`);
    const x = this.coords(entry.composition);
    const g = this.groupOf.get(entry.composition.key) ?? -1;
    const r = hullBatch(this.set, this.candMask, x, Int32Array.of(g));
    if (Number.isNaN(r.values[0]!)) throw new HullError(`no hull energy found for ${entry.composition.formula} without itself`);
    const chemicalPotentials: Record<string, number> = {};
    for (const el of entry.composition.elements) chemicalPotentials[el] = r.mu[this.elIndex.get(el)!]!;
    return { energy: this.formationEnergyPerAtom(entry) - r.values[0]!, decomposition: this.phases(r, 0), chemicalPotentials };
  }

  /** pymatgen's qhull_entries: the lowest entry of each composition below its elements, and the references. */
  get hullCandidates(): Entry[] {
    return this.entries.filter((_, i) => this.candMask[i] === 1);
  }

  /** Decomposition of any composition of the system into stable phases (atom fractions). */
  decomposition(composition: Composition | string): PhaseAmount[] {
    const comp = toComposition(composition);
    const r = hullBatch(this.set, this.stableMask, this.coords(comp));
    this.assertSolved(r, comp);
    return this.phases(r, 0);
  }

  /** Formation energy per atom of the hull at a composition (eV/atom). */
  hullFormationEnergyPerAtom(composition: Composition | string): number {
    const comp = toComposition(composition);
    const r = hullBatch(this.set, this.stableMask, this.coords(comp));
    this.assertSolved(r, comp);
    return r.values[0]!;
  }

  /** Total energy per atom of the hull at a composition (pymatgen get_hull_energy_per_atom). */
  hullEnergyPerAtom(composition: Composition | string): number {
    const comp = toComposition(composition);
    return this.hullFormationEnergyPerAtom(comp) + this.referenceEnergyPerAtom(comp);
  }

  /** Energy (eV/atom) of a composition's elemental references, mixed at its atomic fractions. */
  referenceEnergyPerAtom(composition: Composition): number {
    let ref = 0;
    for (const el of composition.elements) {
      const r = this.elRefs.get(el);
      if (!r) throw new PhaseDiagramError(`${composition.formula}: element ${el} is outside the diagram's elements ${this.elements.join('-')}`);
      ref += composition.atomicFraction(el) * r.energyPerAtom;
    }
    return ref;
  }

  /** Atomic-fraction vector of a composition in this diagram's element order. */
  coords(comp: Composition): Float64Array {
    const x = new Float64Array(this.elements.length);
    for (const el of comp.elements) {
      const k = this.elIndex.get(el);
      if (k === undefined) throw new PhaseDiagramError(`${comp.formula}: element ${el} is outside the diagram's elements ${this.elements.join('-')}`);
      x[k] = comp.atomicFraction(el);
    }
    return x;
  }

  private phases(r: HullBatchResult, q: number): PhaseAmount[] {
    return decompositionOf(r, this.elements.length, q, NUMERICAL_TOL).map(([i, f]) => ({ entry: this.entries[i]!, fraction: f }));
  }

  private assertSolved(r: HullBatchResult, comp: Composition): void {
    if (Number.isNaN(r.values[0]!)) throw new HullError(`no hull energy found for ${comp.formula}`);
  }


}

/** For each point index in `which`, the hull energy at its composition without its own group. */
function hullAgainstOthers(set: PointSet, alive: Uint8Array, which: readonly number[]): Float64Array {
  const { d, pts, group } = set;
  const queries = new Float64Array(which.length * d);
  const exclude = new Int32Array(which.length);
  which.forEach((i, q) => {
    queries.set(pts.subarray(i * (d + 1), i * (d + 1) + d), q * d);
    exclude[q] = group[i]!;
  });
  return hullBatch(set, alive, queries, exclude).values;
}


function toComposition(c: Composition | string): Composition {
  return typeof c === 'string' ? Composition.parse(c) : c;
}
