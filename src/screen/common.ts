/**
 * Shared pieces of the screening workflows (screen-windows, screen-interfaces, screen-coatings,
 * screen-anode): the data they run on — one SystemIndex over a whole dataset (by default the
 * embedded Materials Project table), evaluated once and reused for every window and interface —
 * name resolution of the default materials, the open element of a composition, and errors.
 *
 * Every window and reaction is computed within the chemical system of its own compositions (the
 * SystemIndex cuts the subsystems out), so the numbers equal those of a PhaseDiagram built on that
 * system alone — e.g. pymatgen's on a chemical system cut out of the MP table.
 */
import { type Composition, FormulaError } from '../core/index.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import type { Entry } from '../core/index.js';
import { InterfaceReactionError, parseReactant } from '../interface/index.js';
import { SystemIndex } from '../thermo/index.js';

/**
 * The screens' reactant energies: their hull energies (pymatgen use_hull_energy=true), so that a
 * reactant's own distance above the hull — NMC111 lies 43 meV/atom above the MP hull — is never
 * counted as reactivity with its partner (a minimum at x = 0 or 1). Every screen takes
 * `useHullEnergy: false` to use the lowest entries instead, and reports which it used.
 */
export const SCREEN_USE_HULL_ENERGY = true;

/** Bad input to a screening workflow (unknown formula, element outside the data, unknown electrode…). */
export class ScreenWorkflowError extends Error {
  override name = 'ScreenWorkflowError';
}

/** A dataset prepared for screening: its entries, one evaluated index, and what it holds. */
export interface ScreenData {
  /** Short name for reports (the embedded table's name, or a file name). */
  readonly name: string;
  /** True for the embedded Materials Project table. */
  readonly embedded: boolean;
  readonly entries: readonly Entry[];
  /** Evaluated (stable flags set) over every chemical system of the entries. */
  readonly index: SystemIndex;
  /** Elements that occur in the data. */
  readonly elements: ReadonlySet<string>;
  /** True when at least one entry carries a band gap. */
  readonly hasBandGaps: boolean;
  /** E_hull (eV/atom, >= 0) of every entry of `index.entries`, within its own chemical system. */
  readonly eAboveHull: Float64Array;
}

const prepared = new WeakMap<readonly Entry[], ScreenData>();

/**
 * Prepares entries for screening (cached per array): the SystemIndex is built and evaluated once
 * — about a second for the embedded 13,248 compositions. Without entries: the embedded data.
 */
export async function screenData(entries?: readonly Entry[], name?: string): Promise<ScreenData> {
  const embedded = entries === undefined;
  const list = entries ?? (await defaultEntries());
  const known = prepared.get(list);
  if (known && (name === undefined || known.name === name)) return known;
  const data = prepareScreenData(list, name ?? (embedded ? DEFAULT_DATA_INFO.name : 'data'), embedded);
  prepared.set(list, data);
  return data;
}

/** Synchronous `screenData` for entries already in memory. */
export function prepareScreenData(entries: readonly Entry[], name = 'data', embedded = false): ScreenData {
  if (entries.length === 0) throw new ScreenWorkflowError(`${name}: no entries`);
  const index = new SystemIndex(entries);
  const eAboveHull = new Float64Array(index.entries.length);
  for (const s of index.evaluate({ decompositions: false })) eAboveHull[s.index] = s.stable ? 0 : Math.max(0, s.signedHullDistance);
  const elements = new Set<string>();
  let hasBandGaps = false;
  for (const e of entries) {
    for (const el of e.composition.elements) elements.add(el);
    if (e.bandGap !== undefined) hasBandGaps = true;
  }
  return { name, embedded, entries, index, elements, hasBandGaps, eAboveHull };
}

/** A material of a screen: the name shown (as given, or a common name) and its composition. */
export interface Material {
  readonly name: string;
  readonly composition: Composition;
}

/** Common names accepted for materials. */
export const MATERIAL_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  LiPON: 'Li2PO2N',
  LLZO: 'Li7La3Zr2O12',
  LGPS: 'Li10GeP2S12',
  LATP: 'Li1.3Al0.3Ti1.7(PO4)3',
  LLTO: 'Li1/3La5/9TiO3',
  LTO: 'Li4Ti5O12',
  LCO: 'LiCoO2',
  LFP: 'LiFePO4',
  LMO: 'LiMn2O4',
  NMC111: 'LiNi1/3Mn1/3Co1/3O2',
  NCA: 'LiNi0.8Co0.15Al0.05O2',
  LPS: 'Li3PS4',
});

/**
 * Parses a material given on a command line or in a list: a formula (fractional amounts such as
 * `LiNi1/3Mn1/3Co1/3O2` allowed), a common name (`LiPON`, `LLZO`, see MATERIAL_ALIASES), and checks
 * that every element occurs in the data. Errors name the material.
 */
export function resolveMaterial(input: string | Material, data: ScreenData, what = 'material'): Material {
  if (typeof input !== 'string') {
    checkElements(input.name, input.composition, data, what);
    return input;
  }
  const name = input.trim();
  if (name === '') throw new ScreenWorkflowError(`${what}: empty formula`);
  const formula = MATERIAL_ALIASES[name] ?? name;
  let composition: Composition;
  try {
    composition = parseReactant(formula, `${what} ${JSON.stringify(name)}:`);
  } catch (e) {
    if (e instanceof InterfaceReactionError || e instanceof FormulaError) {
      const msg = e.message.replace(/^.*?: /, '');
      throw new ScreenWorkflowError(`unknown formula ${JSON.stringify(name)} (${what}): ${msg}`, { cause: e });
    }
    throw e;
  }
  checkElements(name, composition, data, what);
  return { name, composition };
}

function checkElements(name: string, c: Composition, data: ScreenData, what: string): void {
  const missing = c.elements.filter((el) => !data.elements.has(el));
  if (missing.length) {
    const have = [...data.elements].sort();
    throw new ScreenWorkflowError(
      `${what} ${name}: ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not occur in the data ${data.name} (${have.length > 12 ? `${have.length} elements: ${have.join(' ')}` : have.join('-')})`,
    );
  }
}

/**
 * The working ion of a composition, the element a window is open to: Li if it contains Li, else
 * Na, else K, Mg, Ca, Zn, Al (the first present); Li when it contains none of them.
 */
export function openElementFor(c: Composition): string {
  for (const el of WORKING_IONS) if (c.has(el)) return el;
  return 'Li';
}

export const WORKING_IONS: readonly string[] = Object.freeze(['Li', 'Na', 'K', 'Mg', 'Ca', 'Zn', 'Al']);

/** The lowest entry of a composition in the data and its E_hull (null when the data have none). */
export function entryOf(c: Composition, data: ScreenData): { entry: Entry; index: number } | undefined {
  const g = data.index.groups.byKey.get(c.key);
  if (g === undefined) return undefined;
  const i = data.index.groups.lowest[g]!;
  return { entry: data.index.entries[i]!, index: i };
}

/** Band gap (eV) of the lowest entry of a reduced formula, when the data carry one. */
export function bandGapOf(c: Composition, data: ScreenData): number | undefined {
  return entryOf(c, data)?.entry.bandGap;
}

/** Reduced formula, pymatgen's spelling. */
export const reduced = (c: Composition): string => c.reducedFormula;

/** A number for JSON: non-finite values become null. */
export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
