/**
 * `screen interfaces`: every electrolyte × electrode pair, its chemical (closed) interface
 * reaction and its reaction open to Li at the electrode's operating voltage: the minimum reaction
 * energy along x·electrode + (1−x)·electrolyte (pymatgen InterfacialReactivity /
 * GrandPotentialInterfacialReactivity `minimum`, exact kinks) and the products there.
 *
 * Default electrodes and voltages (V vs Li/Li+; typical open-circuit / operating values):
 * Li metal 0 V; LiCoO2 3.9 V (discharged, average); Li0.5CoO2 4.2 V (charged); LiNiO2 3.8 V;
 * NCA LiNi0.8Co0.15Al0.05O2 3.7 V; NMC111 3.7 V; LiMn2O4 4.0 V; LiFePO4 3.45 V; Li4Ti5O12
 * 1.55 V; Si 0.4 V; In 0.6 V; LiIn 0.6 V (the Li–In alloy anode, ≈0.62 V vs Li).
 *
 * Energies: closed, eV per atom of mixture; open, eV per non-Li atom of mixture (grand potential,
 * pymatgen's normalisation). `at_voltage` is the interface alone (include_no_mixing_energy=false,
 * the convention of every command and screen by default): each material's own decomposition at
 * that voltage does not count, 0 at both ends. `at_voltage_total` counts it too
 * (include_no_mixing_energy=true): a minimum at x = 0 (electrolyte alone) or 1 (electrode alone)
 * is then that material decomposing by itself, flagged in `open_minimum_alone`. Li metal is the
 * Li reservoir at 0 V itself, so for it only the closed reaction (with Li metal) is given.
 *
 * Reactant energies: their hull energies by default (pymatgen use_hull_energy=true), so that a
 * metastable electrode or electrolyte (NMC111 lies 43 meV/atom above the MP hull) does not count
 * its own decomposition as reactivity with the other; `useHullEnergy: false` takes the lowest
 * entry of each composition instead (its hull energy when the data have none).
 */
import { interfaceReactionMinimum, type InterfaceReaction } from '../interface/index.js';
import { resolveMaterial, SCREEN_USE_HULL_ENERGY, ScreenWorkflowError, type Material, type ScreenData } from './common.js';
import { DEFAULT_ELECTROLYTES } from './windows.js';

export interface Electrode {
  name: string;
  formula: string;
  /** Operating voltage vs Li/Li+ (V). */
  voltage: number;
}

export const DEFAULT_ELECTRODES: readonly Electrode[] = Object.freeze([
  { name: 'Li', formula: 'Li', voltage: 0 },
  { name: 'LiCoO2', formula: 'LiCoO2', voltage: 3.9 },
  { name: 'Li0.5CoO2', formula: 'Li0.5CoO2', voltage: 4.2 },
  { name: 'LiNiO2', formula: 'LiNiO2', voltage: 3.8 },
  { name: 'NCA', formula: 'LiNi0.8Co0.15Al0.05O2', voltage: 3.7 },
  { name: 'NMC111', formula: 'LiNi1/3Mn1/3Co1/3O2', voltage: 3.7 },
  { name: 'LiMn2O4', formula: 'LiMn2O4', voltage: 4.0 },
  { name: 'LiFePO4', formula: 'LiFePO4', voltage: 3.45 },
  { name: 'Li4Ti5O12', formula: 'Li4Ti5O12', voltage: 1.55 },
  { name: 'Si', formula: 'Si', voltage: 0.4 },
  { name: 'In', formula: 'In', voltage: 0.6 },
  { name: 'LiIn', formula: 'LiIn', voltage: 0.6 },
]);

/** Looks an electrode up by name or formula among the defaults (case-sensitive formulas). */
export function knownElectrode(name: string): Electrode | undefined {
  const n = name.trim();
  return DEFAULT_ELECTRODES.find((e) => e.name === n || e.formula === n || (n === 'Li-In' || n === 'Li–In' ? e.name === 'LiIn' : false));
}

/** The electrode a user named: a default (by name or formula) or `FORMULA@VOLTAGE`. */
export function parseElectrode(spec: string, data: ScreenData): Electrode & { material: Material } {
  const s = spec.trim();
  const at = s.lastIndexOf('@');
  let e: Electrode | undefined;
  if (at > 0) {
    const v = Number(s.slice(at + 1));
    if (s.slice(at + 1).trim() === '' || !Number.isFinite(v) || v < 0 || v > 100)
      throw new ScreenWorkflowError(`electrode ${JSON.stringify(s)}: the voltage after @ must be a number from 0 to 100 (V vs Li/Li+)`);
    const base = s.slice(0, at).trim();
    const known = knownElectrode(base);
    e = { name: known?.name ?? base, formula: known?.formula ?? base, voltage: v };
  } else {
    e = knownElectrode(s);
    if (!e) {
      throw new ScreenWorkflowError(`unknown electrode ${JSON.stringify(s)}: give one of ${DEFAULT_ELECTRODES.map((d) => d.name).join(', ')}, or FORMULA@VOLTAGE (e.g. LiCoO2@4.3)`);
    }
  }
  const material = resolveMaterial(e.formula, data, `electrode ${e.name}`);
  return { ...e, material: { name: e.name, composition: material.composition } };
}

/** The minimum of one reaction. */
export interface ReactionMinimum {
  /** x of x·electrode + (1−x)·electrolyte at the minimum. */
  x: number;
  /** eV/atom of mixture (closed) or eV per non-Li atom (open). */
  energy: number;
  reaction: string;
  products: string[];
}

export interface InterfaceRow {
  electrolyte: string;
  electrolyte_formula: string;
  electrode: string;
  electrode_formula: string;
  /** The voltage (V vs Li/Li+) of the open reaction. */
  voltage: number;
  /** Chemical reaction (closed system). */
  chemical: ReactionMinimum;
  /**
   * Open to Li at `voltage`, the interface alone (include_no_mixing_energy=false): reactant
   * energies are their grand-potential hull energies, so each material's own decomposition at
   * that voltage does not count; 0 at both ends. Null for Li metal (it is the reservoir).
   */
  at_voltage: ReactionMinimum | null;
  /** Open to Li at `voltage`, the total (include_no_mixing_energy=true: each material's own reaction with the reservoir counts); null for Li metal. */
  at_voltage_total: ReactionMinimum | null;
  /** 'electrolyte' / 'electrode' when the total's open minimum is that material alone reacting with the reservoir. */
  open_minimum_alone: 'electrolyte' | 'electrode' | null;
  /** The more negative of the chemical and the interface-only open minimum (the ranking score). */
  min_energy: number;
}

export interface InterfacesOptions {
  /** Electrolytes (default: the default electrolyte list, those present in the data). */
  electrolytes?: ReadonlyArray<string | Material>;
  /** Electrodes: specs (`LiCoO2`, `LiCoO2@4.3`) or Electrode objects (default: DEFAULT_ELECTRODES). */
  electrodes?: ReadonlyArray<string | Electrode>;
  /** One voltage for every electrode's open reaction instead of its operating voltage. */
  voltage?: number;
  /** pymatgen use_hull_energy for every reactant (default true; false: own entry, hull energy when absent). */
  useHullEnergy?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface InterfacesResult {
  /** Whether the reactants were at their hull energies (pymatgen use_hull_energy). */
  use_hull_energy: boolean;
  rows: InterfaceRow[];
  electrolytes: string[];
  electrodes: Electrode[];
}

/** Default electrolytes for interface screens: the window list (absent compositions at their hull energy). */
export function defaultElectrolyteMaterials(data: ScreenData): Material[] {
  return DEFAULT_ELECTROLYTES.map((d) => ({ name: d.name, composition: resolveMaterial(d.formula, data, 'electrolyte').composition }));
}

/** The materials of an interface screen, resolved against the data (see `screenInterfaces`). */
export interface InterfacesPlan {
  electrolytes: Material[];
  electrodes: Array<Electrode & { material: Material }>;
}

/** Resolves and checks the electrolytes and electrodes (one voltage for all when `voltage` is given). */
export function planInterfaces(data: ScreenData, options: Omit<InterfacesOptions, 'onProgress'> = {}): InterfacesPlan {
  const electrolytes = options.electrolytes ? options.electrolytes.map((m) => resolveMaterial(m, data, 'electrolyte')) : defaultElectrolyteMaterials(data);
  if (options.voltage !== undefined && !(Number.isFinite(options.voltage) && options.voltage >= 0)) {
    throw new ScreenWorkflowError(`voltage must be a number >= 0, got ${String(options.voltage)}`);
  }
  const electrodes = (options.electrodes ?? DEFAULT_ELECTRODES).map((e) => {
    const r = typeof e === 'string' ? parseElectrode(e, data) : { ...e, material: { name: e.name, composition: resolveMaterial(e.formula, data, `electrode ${e.name}`).composition } };
    return options.voltage !== undefined ? { ...r, voltage: options.voltage } : r;
  });
  if (!electrolytes.length) throw new ScreenWorkflowError('no electrolytes to screen');
  if (!electrodes.length) throw new ScreenWorkflowError('no electrodes to screen');
  if (!data.elements.has('Li')) throw new ScreenWorkflowError(`the data ${data.name} hold no Li: the open reactions need Li`);
  return { electrolytes, electrodes };
}

export function screenInterfaces(data: ScreenData, options: InterfacesOptions = {}): InterfacesResult {
  const { electrolytes, electrodes } = planInterfaces(data, options);
  const rows: InterfaceRow[] = [];
  const total = electrolytes.length * electrodes.length;
  const useHullEnergy = options.useHullEnergy ?? SCREEN_USE_HULL_ENERGY;
  for (const el of electrolytes) {
    for (const ed of electrodes) {
      rows.push(interfaceRow(el, ed.material, ed.voltage, data, useHullEnergy));
      options.onProgress?.(rows.length, total);
    }
  }
  return { use_hull_energy: useHullEnergy, rows, electrolytes: electrolytes.map((m) => m.name), electrodes: electrodes.map(({ name, formula, voltage }) => ({ name, formula, voltage })) };
}

/** The closed and open minima of one electrolyte | electrode pair. */
export function interfaceRow(electrolyte: Material, electrode: Material, voltage: number, data: ScreenData, useHullEnergy = SCREEN_USE_HULL_ENERGY): InterfaceRow {
  const names: [string, string] = [`electrode ${electrode.name}`, `electrolyte ${electrolyte.name}`];
  const same = electrode.composition.key === electrolyte.composition.key;
  const zero = (): ReactionMinimum => ({
    x: 0,
    energy: 0,
    reaction: `${electrolyte.composition.reducedFormula} -> ${electrolyte.composition.reducedFormula}`,
    products: [electrolyte.composition.reducedFormula],
  });
  const chemical = same ? zero() : minimumOf(interfaceReactionMinimum(electrode.composition, electrolyte.composition, data.index, { useHullEnergy, names }));
  const isLiMetal = electrode.composition.elements.length === 1 && electrode.composition.elements[0] === 'Li';
  const isLiOnly = electrolyte.composition.elements.length === 1 && electrolyte.composition.elements[0] === 'Li';
  let atVoltage: ReactionMinimum | null = null;
  let atVoltageTotal: ReactionMinimum | null = null;
  let alone: InterfaceRow['open_minimum_alone'] = null;
  if (!isLiMetal && !isLiOnly && !same) {
    const open = { element: 'Li', voltage };
    atVoltageTotal = minimumOf(interfaceReactionMinimum(electrode.composition, electrolyte.composition, data.index, { useHullEnergy, names, open, includeNoMixingEnergy: true }));
    if (atVoltageTotal.x <= 1e-9) alone = 'electrolyte';
    else if (atVoltageTotal.x >= 1 - 1e-9) alone = 'electrode';
    atVoltage = minimumOf(interfaceReactionMinimum(electrode.composition, electrolyte.composition, data.index, { useHullEnergy, names, open, includeNoMixingEnergy: false }));
  }
  return {
    electrolyte: electrolyte.name,
    electrolyte_formula: electrolyte.composition.reducedFormula,
    electrode: electrode.name,
    electrode_formula: electrode.composition.reducedFormula,
    voltage,
    chemical,
    at_voltage: atVoltage,
    at_voltage_total: atVoltageTotal,
    open_minimum_alone: alone,
    min_energy: Math.min(chemical.energy, atVoltage?.energy ?? 0),
  };
}

export function minimumOf(m: InterfaceReaction['minimum']): ReactionMinimum {
  const k = m.kink;
  return { x: m.x, energy: m.energyPerAtom, reaction: k.reaction, products: k.products.map((p) => p.formula).sort() };
}
