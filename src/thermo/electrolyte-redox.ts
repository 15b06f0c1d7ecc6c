/**
 * An electrolyte's own redox against a reservoir of its working ion (Li, Na, Mg, …) as a
 * function of the voltage, read off its element profile: the decomposition energy per atom of
 * the electrolyte (Zhu, He & Mo, ACS Appl. Mater. Interfaces 7, 23685 (2015); the 0 V values the
 * review of Xiao et al. quotes: Li3PS4 −1.42, LGPS −1.23, LLZO −0.02 eV/atom) and the capacity
 * its uptake or release of the ion carries (mAh/g of electrolyte) — exactly, step by step.
 *
 * At a voltage V (μ = −z·V relative to the ion's reference) the electrolyte of N atoms per formula
 * unit equilibrates with the reservoir into the phases of the profile step holding V, taking up
 * n ions per formula unit (n < 0: giving them off). Its decomposition energy per atom is
 *     E_D(V) = [E(phases) − n·μ − E(electrolyte)] / N      (formation energies, eV)
 * with E(phases) the hull energy at the composition electrolyte + n·ion: affine in V on every
 * step, 0 inside the window when the electrolyte is stable. E(electrolyte) is its lowest entry
 * (`reference: 'entry'`, the default: a metastable electrolyte's E_hull counts, as it does in
 * the papers) or its hull energy (`reference: 'hull'`: its phase equilibrium's; the same for a
 * stable electrolyte). The capacity at V is |n| · z · F / M, F = 26 801.48 mAh/mol and M the
 * molar mass of a formula unit (pymatgen's atomic masses).
 */
import { atomicMass, Composition } from '../core/index.js';
import { evaluatedIndex, type StabilityWindow, stabilityWindow, type ThermoSource, type WindowOptions } from './element-profile.js';

/** Faraday's constant in mAh/mol (96 485.33212 C/mol / 3.6 C/mAh). */
export const FARADAY_MAH_PER_MOL = 96485.33212 / 3.6;

export interface RedoxOptions extends WindowOptions {
  /** The electrolyte's own energy: its lowest entry (default; the hull energy when it has none) or its hull energy. */
  reference?: 'entry' | 'hull';
}

/** One step of the staircase: the voltages over which the same phases form. */
export interface RedoxStep {
  /** Voltage range (V vs the metal); the last step runs to +∞. */
  readonly fromV: number;
  readonly toV: number;
  /** Ion taken up (> 0) or given off (< 0) per formula unit. */
  readonly evolution: number;
  /** The phases formed (reduced formulas, sorted) and the balanced reaction. */
  readonly products: readonly string[];
  readonly reaction: string;
  /** Decomposition energy per atom of electrolyte at fromV and at toV (eV/atom; affine in between, toV = ∞: at fromV + 1 V). */
  readonly energyFrom: number;
  readonly energyTo: number;
  /** dE_D/dV (eV/atom per V) = z · evolution / N. */
  readonly slope: number;
  /** Capacity of the ion taken up or given off: |evolution| · z · F / M (mAh/g of electrolyte). */
  readonly capacity: number;
}

export interface ElectrolyteRedox {
  readonly composition: Composition;
  readonly element: string;
  readonly valence: number;
  /** g/mol of one formula unit. */
  readonly molarMass: number;
  /** Which energy of the electrolyte the decomposition energies are measured from, and its value (eV/atom, formation). */
  readonly reference: 'entry' | 'hull';
  readonly referenceEnergy: number;
  /** The window the steps surround (reduction and oxidation limits, V). */
  readonly window: StabilityWindow;
  readonly steps: readonly RedoxStep[];
}

/** The electrolyte's decomposition energy and capacity against the open element, step by step (see the module comment). */
export function electrolyteRedox(source: ThermoSource, composition: Composition | string, options: RedoxOptions = {}): ElectrolyteRedox {
  const w = stabilityWindow(source, composition, options);
  const { profile } = w;
  const comp = w.composition;
  const el = w.element;
  const z = w.valence;
  const reference = options.reference ?? 'entry';
  if (reference !== 'entry' && reference !== 'hull') throw new RangeError(`reference must be 'entry' or 'hull', got ${JSON.stringify(reference)}`);
  const index = evaluatedIndex(source);
  const hullPerAtom = (c: Composition) => {
    const els = [...c.elements].sort();
    return index.hullAt(
      els,
      Float64Array.from(els, (e) => c.atomicFraction(e)),
      'stable',
    ).value;
  };
  const N = comp.numAtoms;
  let refE = hullPerAtom(comp);
  if (reference === 'entry') {
    const g = index.groups.byKey.get(comp.key);
    if (g !== undefined) refE = index.eForm[index.groups.lowest[g]!]!;
  }
  const molarMass = comp.elements.reduce((m, e) => m + comp.amount(e) * atomicMass(e), 0);
  const steps = profile.steps.map((st, i, all) => {
    const n = Math.abs(st.evolution) <= 1e-8 * N ? 0 : st.evolution;
    const after = n === 0 ? comp : plus(comp, el, n);
    // Energy of the phases per formula unit of electrolyte, minus n·μ with μ = −z·V: affine in V.
    const phases = after.numAtoms * hullPerAtom(after);
    const at = (v: number) => (phases + n * z * v - N * refE) / N;
    const toV = i + 1 < all.length ? all[i + 1]!.voltage : Infinity;
    return {
      fromV: st.voltage,
      toV,
      evolution: n,
      products: [...st.products],
      reaction: st.reaction.toString(),
      energyFrom: at(st.voltage) + 0,
      energyTo: at(Number.isFinite(toV) ? toV : st.voltage + 1) + 0,
      slope: (n * z) / N + 0,
      capacity: (Math.abs(n) * z * FARADAY_MAH_PER_MOL) / molarMass,
    };
  });
  return { composition: comp, element: el, valence: z, molarMass, reference, referenceEnergy: refE, window: w, steps };
}

/** `c` with `n` more atoms of `el` (n < 0: fewer; an element left with none is dropped). */
function plus(c: Composition, el: string, n: number): Composition {
  const d: Record<string, number> = c.toDict();
  const v = (d[el] ?? 0) + n;
  if (v > 1e-9 * c.numAtoms) d[el] = v;
  else delete d[el];
  return Composition.fromDict(d);
}

/** The decomposition energy per atom of electrolyte at voltage `v` (eV/atom). */
export function decompositionEnergyAt(redox: ElectrolyteRedox, v: number): number {
  const s = stepAt(redox, v);
  return s.energyFrom + s.slope * (v - s.fromV);
}

/** The capacity of the electrolyte's own redox at voltage `v` (mAh/g): what it has taken up (below the window) or given off (above). */
export function redoxCapacityAt(redox: ElectrolyteRedox, v: number): number {
  return stepAt(redox, v).capacity;
}

function stepAt(redox: ElectrolyteRedox, v: number): RedoxStep {
  if (!(typeof v === 'number' && v >= 0 && v < Infinity)) throw new RangeError(`voltage must be a number >= 0, got ${String(v)}`);
  let i = 0;
  while (i + 1 < redox.steps.length && redox.steps[i + 1]!.fromV <= v) i++;
  return redox.steps[i]!;
}
