/**
 * `screen windows`: the electrochemical stability windows of a list of electrolytes (default: the
 * common solid electrolytes and their decomposition products), each open to its own working ion —
 * Li when the composition contains Li, else Na, K, … (`openElementFor`): Na3PS4 is open to Na,
 * its voltages vs Na/Na+. Per material: window (reduction, oxidation limits in V vs the metal),
 * E_hull (null when the composition has no entry in the data: the window is then that of its
 * phase equilibrium), the phase equilibrium, and the products beyond each limit — pymatgen's
 * element profile, exactly (see element-profile.ts).
 */
import { stabilityWindow, windowPlotData, type StabilityWindow, type WindowPlotData } from '../thermo/index.js';
import { finiteOrNull, openElementFor, resolveMaterial, ScreenWorkflowError, type Material, type ScreenData } from './common.js';

/**
 * The default electrolytes: sulfides, argyrodites, LGPS, oxides (garnet, NASICON, perovskite,
 * LiPON), halides, nitride and the binary/ternary decomposition products. Every one is kept
 * whether the data hold an entry of its composition or not (then its window is that of its phase
 * equilibrium: LATP, LLTO and, in the MP table, Li3YCl6 as LiCl + YCl3). LLTO is written
 * charge balanced (Li1/3La5/9TiO3: the rounded Li0.33La0.56TiO3 carries +6.01 against −6 and its
 * window collapses to a point).
 */
export const DEFAULT_ELECTROLYTES: ReadonlyArray<{ name: string; formula: string }> = Object.freeze([
  { name: 'Li3PS4', formula: 'Li3PS4' },
  { name: 'Li7P3S11', formula: 'Li7P3S11' },
  { name: 'Li6PS5Cl', formula: 'Li6PS5Cl' },
  { name: 'Li6PS5Br', formula: 'Li6PS5Br' },
  { name: 'Li10GeP2S12', formula: 'Li10GeP2S12' },
  { name: 'Li7La3Zr2O12', formula: 'Li7La3Zr2O12' },
  { name: 'LiTi2(PO4)3', formula: 'LiTi2(PO4)3' },
  { name: 'Li1.3Al0.3Ti1.7(PO4)3', formula: 'Li1.3Al0.3Ti1.7(PO4)3' },
  { name: 'Li1/3La5/9TiO3', formula: 'Li1/3La5/9TiO3' },
  { name: 'LiPON', formula: 'Li2PO2N' },
  { name: 'Li3InCl6', formula: 'Li3InCl6' },
  { name: 'Li3YCl6', formula: 'Li3YCl6' },
  { name: 'Li3N', formula: 'Li3N' },
  { name: 'LiF', formula: 'LiF' },
  { name: 'LiCl', formula: 'LiCl' },
  { name: 'Li2S', formula: 'Li2S' },
  { name: 'Li3PO4', formula: 'Li3PO4' },
  { name: 'Na3PS4', formula: 'Na3PS4' },
]);

/** One row of `screen windows`. */
export interface WindowRow {
  /** As given (or the default list's name, e.g. `LiPON`). */
  name: string;
  /** pymatgen reduced formula. */
  formula: string;
  /** The open element (working ion) and its ion charge. */
  open_element: string;
  /** Reduction and oxidation limits (V vs the open element's metal); oxidation null = ∞ (no ion to give off). */
  reduction_V: number;
  oxidation_V: number | null;
  /** E_hull (eV/atom) of the lowest entry of the composition; null when the data have none. */
  e_above_hull: number | null;
  in_data: boolean;
  stable: boolean;
  /** The stable phases the composition is made of (itself when stable). */
  phase_equilibrium: string[];
  /** Products just below the reduction limit / above the oxidation limit (null: none). */
  reduction_products: string[] | null;
  oxidation_products: string[] | null;
  reduction_reaction: string | null;
  oxidation_reaction: string | null;
  /** Products against the metal (0 V) and the reaction. */
  products_at_0V: string[];
  reaction_at_0V: string;
  /** Whether the composition is charge balanced in common oxidation states (null: not judged, e.g. an intermetallic). */
  charge_balanced: boolean | null;
  /** Warnings about the question (a composition not charge balanced: a rounded formula?). */
  warnings: string[];
}

export interface WindowsOptions {
  /** Called after each material: done, total. */
  onProgress?: (done: number, total: number) => void;
  /** Force one open element for every material (default: per composition, `openElementFor`). */
  element?: string;
}

export interface WindowsResult {
  rows: WindowRow[];
  /** Per row, the full window (profile, plot data) for staircases. */
  windows: StabilityWindow[];
}

/** Windows of `materials` (default: DEFAULT_ELECTROLYTES) over `data`. */
export function screenWindows(data: ScreenData, materials?: ReadonlyArray<string | Material>, options: WindowsOptions = {}): WindowsResult {
  const list: Material[] =
    materials === undefined
      ? DEFAULT_ELECTROLYTES.map((d) => ({ name: d.name, composition: resolveMaterial(d.formula, data, 'electrolyte').composition }))
      : materials.map((m) => resolveMaterial(m, data, 'electrolyte'));
  if (list.length === 0) throw new ScreenWorkflowError('no materials to screen');
  const rows: WindowRow[] = [];
  const windows: StabilityWindow[] = [];
  list.forEach((m, k) => {
    const w = windowOf(m, data, options.element);
    windows.push(w);
    rows.push(windowRow(m.name, w));
    options.onProgress?.(k + 1, list.length);
  });
  return { rows, windows };
}

/** The window of one material, open to its working ion (or `element`). */
export function windowOf(m: Material, data: ScreenData, element?: string): StabilityWindow {
  const el = element ?? openElementFor(m.composition);
  if (!data.elements.has(el)) throw new ScreenWorkflowError(`open element ${el} of ${m.name} does not occur in the data ${data.name}`);
  if (m.composition.elements.length === 1 && m.composition.elements[0] === el) {
    throw new ScreenWorkflowError(`${m.name} is the open element ${el} itself: it has no window`);
  }
  return stabilityWindow(data.index, m.composition, { element: el });
}

const formulas = (s: { products: readonly string[] } | null): string[] | null => (s ? [...s.products] : null);

export function windowRow(name: string, w: StabilityWindow): WindowRow {
  return {
    name,
    formula: w.composition.reducedFormula,
    open_element: w.element,
    reduction_V: w.reduction.voltage,
    oxidation_V: finiteOrNull(w.oxidation.voltage),
    e_above_hull: w.eAboveHull,
    in_data: w.eAboveHull !== null,
    stable: w.stable,
    phase_equilibrium: w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula),
    reduction_products: formulas(w.reduction.beyond),
    oxidation_products: formulas(w.oxidation.beyond),
    reduction_reaction: w.reduction.beyond ? w.reduction.beyond.reaction.toString() : null,
    oxidation_reaction: w.oxidation.beyond ? w.oxidation.beyond.reaction.toString() : null,
    products_at_0V: [...w.atZeroVolts.products],
    reaction_at_0V: w.atZeroVolts.reaction.toString(),
    charge_balanced: w.chargeBalanced,
    warnings: [...w.warnings],
  };
}

/** Staircase plot data of one window (for `voltageStaircaseSvg`). */
export function windowStaircase(w: StabilityWindow): WindowPlotData {
  return windowPlotData(w);
}
