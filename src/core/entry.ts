import { Composition, FormulaError } from './composition.js';

/** How an entry's energy was given: a total energy, or a formation energy per atom. */
export type EnergyKind = 'total' | 'formation';

/** What a loader or a user hands over to build an entry. */
export interface EntryInit {
  id?: string;
  composition: Composition | string | Record<string, number>;
  /** Total energy (eV) of the composition as written, before `correction`. */
  energy?: number;
  /** Formation energy per atom (eV/atom) against elemental references at 0. */
  eFormPerAtom?: number;
  /** Energy correction (eV, total for the composition as written), added to `energy`. */
  correction?: number;
  /** Uncertainty of the correction (eV, total): pymatgen's `correction_uncertainty`. */
  correctionUncertainty?: number;
  /**
   * The correction's uncertainty item by item, keyed by pymatgen's adjustment `name` (eV, total for
   * the composition as written: `uncertainty_per_atom × n_atoms`). One name is one error shared
   * by every entry that carries it (all oxides share "MP2020 anion correction (oxide)").
   */
  correctionUncertainties?: Readonly<Record<string, number>>;
  /** Standard deviation of this entry's own energy (eV/atom), independent of every other entry's. */
  uncertaintyPerAtom?: number;
  volumePerAtom?: number;
  bandGap?: number;
}

const NO_UNCERTAINTIES: Readonly<Record<string, number>> = Object.freeze({});

/** How errors name an entry. */
function where(id: string, comp: Composition): string {
  return `entry ${JSON.stringify(id)} (${comp.formula})`;
}

/** A number field that must be finite when given (undefined and null: not given). */
function checkFinite(name: string, v: unknown, id: string, comp: Composition): void {
  if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
    throw new EntryError(`${where(id, comp)}: ${name} is not a finite number (${typeof v === 'string' ? `string ${JSON.stringify(v)}` : String(v)})`);
  }
}

export class EntryError extends Error {
  override name = 'EntryError';
}

/**
 * An immutable (composition, energy) pair. `energy` is always the corrected total energy for
 * `kind === 'total'`, and formation energy × atoms for `kind === 'formation'`, so
 * `energyPerAtom` is the quantity hulls are built from in both cases.
 */
export class Entry {
  readonly id: string;
  readonly composition: Composition;
  readonly kind: EnergyKind;
  /** Corrected total energy (eV) for the composition as written. */
  readonly energy: number;
  /** Energy per atom: the quantity hulls are built from. */
  readonly energyPerAtom: number;
  readonly correction: number;
  readonly correctionUncertainty: number;
  /** Named parts of the correction's uncertainty (eV, total); empty when none were given. */
  readonly correctionUncertainties: Readonly<Record<string, number>>;
  /** Independent standard deviation of the energy (eV/atom); 0 when none was given. */
  readonly uncertaintyPerAtom: number;
  readonly volumePerAtom?: number;
  readonly bandGap?: number;

  constructor(init: EntryInit) {
    let comp: Composition;
    try {
      comp = init.composition instanceof Composition ? init.composition : typeof init.composition === 'string' ? Composition.parse(init.composition) : Composition.fromDict(init.composition);
    } catch (e) {
      // Name the entry: a bad {element: amount} map says nothing of where it came from.
      if (e instanceof FormulaError && init.id !== undefined) throw new FormulaError(`entry ${JSON.stringify(init.id)}: ${e.message}`, { cause: e });
      throw e;
    }
    const id = init.id ?? comp.formula;
    const hasTotal = init.energy !== undefined && init.energy !== null;
    const hasForm = init.eFormPerAtom !== undefined && init.eFormPerAtom !== null;
    if (hasTotal === hasForm) {
      throw new EntryError(`${where(id, comp)}: give exactly one of a total energy or a formation energy per atom`);
    }
    const correction = init.correction ?? 0;
    // One check per field, no arrays: entries are made by the million in a screen's workers.
    checkFinite('energy', init.energy, id, comp);
    checkFinite('e_form_per_atom', init.eFormPerAtom, id, comp);
    checkFinite('correction', correction, id, comp);
    checkFinite('correction uncertainty', init.correctionUncertainty, id, comp);
    checkFinite('volume_per_atom', init.volumePerAtom, id, comp);
    checkFinite('band_gap', init.bandGap, id, comp);
    checkFinite('uncertainty', init.uncertaintyPerAtom, id, comp);
    if (init.uncertaintyPerAtom !== undefined && init.uncertaintyPerAtom < 0) throw new EntryError(`${where(id, comp)}: uncertainty must be >= 0 eV/atom, got ${init.uncertaintyPerAtom}`);
    const named = init.correctionUncertainties ?? NO_UNCERTAINTIES;
    if (named === null || typeof named !== 'object') throw new EntryError(`${where(id, comp)}: correction uncertainties must map names to numbers`);
    if (named !== NO_UNCERTAINTIES) {
      for (const [name, v] of Object.entries(named)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw new EntryError(`${where(id, comp)}: uncertainty of correction ${JSON.stringify(name)} must be a finite number >= 0 eV, got ${String(v)}`);
      }
    }
    this.id = id;
    this.composition = comp;
    if (hasForm) {
      this.kind = 'formation';
      this.energy = (init.eFormPerAtom as number) * comp.numAtoms + correction;
      // Kept as given: e × N / N is not always e in floating point.
      this.energyPerAtom = correction === 0 ? (init.eFormPerAtom as number) : this.energy / comp.numAtoms;
    } else {
      this.kind = 'total';
      this.energy = (init.energy as number) + correction;
      this.energyPerAtom = this.energy / comp.numAtoms;
    }
    this.correction = correction;
    this.correctionUncertainty = init.correctionUncertainty ?? 0;
    this.correctionUncertainties = named !== NO_UNCERTAINTIES && Object.keys(named).length ? Object.freeze({ ...named }) : NO_UNCERTAINTIES;
    this.uncertaintyPerAtom = init.uncertaintyPerAtom ?? 0;
    if (init.volumePerAtom !== undefined) this.volumePerAtom = init.volumePerAtom;
    if (init.bandGap !== undefined) this.bandGap = init.bandGap;
  }

  get isElement(): boolean {
    return this.composition.elements.length === 1;
  }

  toString(): string {
    return `${this.id} ${this.composition.formula} ${this.energyPerAtom} eV/atom`;
  }
}

/**
 * An entry as plain data, for crossing to a worker (structured clone keeps no classes): the same
 * composition and energy per atom (formation entries keep theirs as given, total entries their
 * corrected total energy), volume, band gap and uncertainties.
 */
export interface EntryData {
  id: string;
  amounts: Record<string, number>;
  energy?: number;
  eFormPerAtom?: number;
  volumePerAtom?: number;
  bandGap?: number;
  correctionUncertainty?: number;
  correctionUncertainties?: Record<string, number>;
  uncertaintyPerAtom?: number;
}

export function entryToData(e: Entry): EntryData {
  const d: EntryData = { id: e.id, amounts: e.composition.toDict() };
  if (e.kind === 'formation') d.eFormPerAtom = e.energyPerAtom;
  else d.energy = e.energy;
  if (e.volumePerAtom !== undefined) d.volumePerAtom = e.volumePerAtom;
  if (e.bandGap !== undefined) d.bandGap = e.bandGap;
  // Uncertainties travel too: a worker sampling energies needs them.
  if (e.correctionUncertainty) d.correctionUncertainty = e.correctionUncertainty;
  if (Object.keys(e.correctionUncertainties).length) d.correctionUncertainties = { ...e.correctionUncertainties };
  if (e.uncertaintyPerAtom) d.uncertaintyPerAtom = e.uncertaintyPerAtom;
  return d;
}

export function entryFromData({ amounts, ...rest }: EntryData): Entry {
  return new Entry({ ...rest, composition: amounts });
}

/** Builds entries, naming the offending one when a record is malformed. */
export function toEntries(inits: Iterable<EntryInit | Entry>): Entry[] {
  const out: Entry[] = [];
  for (const e of inits) out.push(e instanceof Entry ? e : new Entry(e));
  return out;
}
