/**
 * `screen air`: air and moisture stability — each material against H2O, CO2 and O2 (or the
 * gases given): the minimum closed reaction energy of x·material + (1−x)·gas (pymatgen
 * InterfacialReactivity `minimum`, reactants at their hull energies as in every screen), its
 * products, and the gases among them that matter in practice (H2S from sulfides in moist air;
 * Li2CO3 from garnets in CO2 is a solid, listed with the products). A material is called
 * `stable` against a gas when the minimum is above −smallEnergy (default 0.01 eV/atom).
 *
 * Energies are per atom of mixture. Gases are treated as the data's solid/molecular entries of
 * their compositions (MP's H2O, CO2, O2 — no partial pressure, no temperature): the numbers say
 * which reactions are downhill at 0 K, as the review's reaction energies do. A gas whose
 * elements are absent from the data (H2O in the embedded table, which holds no H) is skipped and
 * reported in `skipped`.
 */
import { interfaceReactionMinimum } from '../interface/index.js';
import { resolveMaterial, SCREEN_USE_HULL_ENERGY, ScreenWorkflowError, type Material, type ScreenData } from './common.js';
import { defaultElectrolyteMaterials, minimumOf, type ReactionMinimum } from './interfaces.js';

/** The default gases of air. */
export const AIR_GASES: readonly string[] = Object.freeze(['H2O', 'CO2', 'O2']);

/** Gaseous products worth flagging (toxic or corrosive), by reduced formula. */
export const HARMFUL_GASES: Readonly<Record<string, string>> = Object.freeze({
  H2S: 'toxic',
  SO2: 'toxic',
  PH3: 'toxic',
  HCl: 'corrosive',
  HF: 'toxic, corrosive',
  HBr: 'corrosive',
  HI: 'corrosive',
  NH3: 'toxic',
  Cl2: 'toxic',
  H2Se: 'toxic',
});

export interface AirOptions {
  materials?: ReadonlyArray<string | Material>;
  /** Gases (formulas), default H2O, CO2, O2. */
  gases?: readonly string[];
  /** A minimum above −smallEnergy (eV/atom of mixture) counts as stable (default 0.01). */
  smallEnergy?: number;
  /** pymatgen use_hull_energy (default true, as every screen). */
  useHullEnergy?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface AirRow {
  material: string;
  formula: string;
  gas: string;
  /** The minimum: x of x·material + (1−x)·gas, eV/atom of mixture, reaction, products. */
  minimum: ReactionMinimum;
  stable: boolean;
  /** Harmful gases among the products, with why (e.g. `H2S: toxic`). */
  harmful: string[];
}

export interface AirResult {
  use_hull_energy: boolean;
  gases: string[];
  /** Gases left out: their elements are not in the data. */
  skipped: Array<{ gas: string; reason: string }>;
  rows: AirRow[];
}

export function screenAir(data: ScreenData, options: AirOptions = {}): AirResult {
  const materials = options.materials ? options.materials.map((m) => resolveMaterial(m, data, 'material')) : defaultElectrolyteMaterials(data);
  if (!materials.length) throw new ScreenWorkflowError('no materials to screen');
  const small = options.smallEnergy ?? 0.01;
  if (!(Number.isFinite(small) && small >= 0)) throw new ScreenWorkflowError(`small energy must be a number >= 0, got ${String(small)}`);
  const useHullEnergy = options.useHullEnergy ?? SCREEN_USE_HULL_ENERGY;
  const gases: Material[] = [];
  const skipped: AirResult['skipped'] = [];
  for (const g of options.gases ?? AIR_GASES) {
    try {
      gases.push(resolveMaterial(g, data, 'gas'));
    } catch (e) {
      if (!(e instanceof ScreenWorkflowError) || !/does not occur in the data/.test(e.message) || options.gases) throw e;
      skipped.push({ gas: g, reason: e.message });
    }
  }
  if (!gases.length) throw new ScreenWorkflowError(`no gas to screen against in ${data.name}: ${skipped.map((s) => s.reason).join('; ')}`);
  const rows: AirRow[] = [];
  const total = materials.length * gases.length;
  for (const m of materials) {
    for (const g of gases) {
      const same = m.composition.key === g.composition.key;
      const minimum: ReactionMinimum = same
        ? { x: 0, energy: 0, reaction: `${g.composition.reducedFormula} -> ${g.composition.reducedFormula}`, products: [g.composition.reducedFormula] }
        : minimumOf(interfaceReactionMinimum(m.composition, g.composition, data.index, { useHullEnergy, names: [`material ${m.name}`, `gas ${g.name}`] }));
      const harmful = minimum.products.filter((p) => HARMFUL_GASES[p] !== undefined && p !== g.composition.reducedFormula).map((p) => `${p}: ${HARMFUL_GASES[p]}`);
      rows.push({ material: m.name, formula: m.composition.reducedFormula, gas: g.composition.reducedFormula, minimum, stable: minimum.energy > -small, harmful });
      options.onProgress?.(rows.length, total);
    }
  }
  return { use_hull_energy: useHullEnergy, gases: gases.map((g) => g.composition.reducedFormula), skipped, rows };
}
