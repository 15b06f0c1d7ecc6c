/**
 * Element profiles, electrochemical stability windows and voltage staircases of a composition
 * open to one element (Li, Na, K, Mg, O, …), with pymatgen 2022.11's `get_element_profile`
 * semantics — exactly, not on a grid.
 *
 * pymatgen walks the tie line from the pure element E to the composition without E (`gccomp`):
 * at every critical composition (where the decomposition changes) it records the decomposition,
 * the reaction `comp + n E -> phases` and the chemical potential of E of the facet on the E-rich
 * side. `SystemIndex.segment` gives exactly those kinks (the hull along the segment is convex and
 * piecewise linear; its kinks are the critical compositions) and the facet chemical potentials
 * between them, from the WASM LP, so every step is exact.
 *
 * Step i holds for μ between its own μ_i and the next step's μ_{i+1} (lower): at μ_i the phases of
 * step i−1 (richer in E) give way to those of step i. The composition is stable (no uptake, no
 * release) on the step whose evolution is 0; its μ range is the stability window.
 *
 * Voltages: μ_rel = μ − μ_ref(E) = −z·e·V for an ion E^{z+} (V vs the E/E^{z+} couple; z = 1 for
 * Li, Na, K, …; 2 for Mg, Ca, Zn; 3 for Al). Give `valence` for any other open element (e.g. O).
 */
import { type ChargeBalance, chargeBalance, chargeBalanceWarning, Composition } from '../core/index.js';
import type { Entry } from '../core/index.js';
import { PhaseDiagram } from './phase-diagram.js';
import type { PhaseAmount, SystemIndex } from './system-hull.js';
import { facetHullAt, systemFacets } from './system-facets.js';
import { unresolvedFractions } from './hull.js';
import { byFormula, openProfile, type OpenProfile, type ProfileStep } from './profile-steps.js';

export type { ProfileStep } from './profile-steps.js';

export class ElementProfileError extends Error {
  override name = 'ElementProfileError';
}

/** What profiles, windows and reactions are computed over. */
export type ThermoSource = PhaseDiagram | SystemIndex;

/** Charge z of the usual ion of an element (V = −μ_rel / z); undefined when there is none. */
export function ionValence(element: string): number | undefined {
  return VALENCE[element];
}

// biome-ignore format: grouped by valence
const VALENCE: Readonly<Record<string, number>> = {
  H: 1, Li: 1, Na: 1, K: 1, Rb: 1, Cs: 1, Ag: 1, Cu: 1,
  Be: 2, Mg: 2, Ca: 2, Sr: 2, Ba: 2, Zn: 2,
  Al: 3,
};

/** μ relative to the element's reference (eV/atom) at `voltage` vs its metal: −z·V. */
export function muFromVoltage(voltage: number, element: string, valence?: number): number {
  return -resolveValence(element, valence) * voltage + 0; // + 0: no −0
}

/** Voltage vs the metal at μ relative to the element's reference: −μ / z. */
export function voltageFromMu(mu: number, element: string, valence?: number): number {
  return -mu / resolveValence(element, valence) + 0;
}

export function resolveValence(element: string, valence?: number): number {
  if (valence !== undefined) {
    if (typeof valence !== 'number' || !Number.isFinite(valence) || valence <= 0) {
      throw new ElementProfileError(`valence of ${element} must be a finite number > 0, got ${String(valence)}`);
    }
    return valence;
  }
  const z = VALENCE[element];
  if (z === undefined) {
    throw new ElementProfileError(`no ion valence known for ${element}: give { valence } to express its chemical potential as a voltage`);
  }
  return z;
}

export interface ProfileOptions {
  /** Ion charge z for voltages (V = −μ/z); default from `ionValence`, voltages NaN when unknown. */
  valence?: number;
}

export interface ElementProfile {
  readonly composition: Composition;
  readonly element: string;
  /** Ion charge used for voltages (NaN when unknown). */
  readonly valence: number;
  /** From μ = 0 (the pure element) down: pymatgen's order. */
  readonly steps: readonly ProfileStep[];
}

/** The per-system index of a source, evaluated (stable flags filled) if it was not yet. */
export function evaluatedIndex(source: ThermoSource): SystemIndex {
  const index = source instanceof PhaseDiagram ? source.systemIndex : source;
  if (!index.isStable.some((v) => v === 1)) for (const _ of index.solveSystems({ decompositions: false }));
  return index;
}

/** Elements of a source (those with an elemental reference), sorted. */
export function elementsOf(source: ThermoSource): string[] {
  return [...evaluatedIndex(source).refs.keys()].sort();
}

/**
 * Checks a composition and an open element against a source; returns the composition and the
 * elements of the system (the composition's and the open element, sorted).
 */
export function checkOpenSystem(source: ThermoSource, composition: Composition | string, element: string): { comp: Composition; els: readonly string[] } {
  const comp = typeof composition === 'string' ? Composition.parse(composition) : composition;
  const index = evaluatedIndex(source);
  const have = index.refs;
  const all = () => [...have.keys()].sort().join('-');
  if (typeof element !== 'string' || !have.has(element)) {
    throw new ElementProfileError(`open element ${String(element)} is not an element of the phase diagram (${all()})`);
  }
  const outside = comp.elements.filter((el) => !have.has(el));
  if (outside.length) {
    throw new ElementProfileError(`composition ${comp.reducedFormula} lies outside the phase diagram: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not among its elements (${all()})`);
  }
  if (comp.elements.length === 1 && comp.elements[0] === element) {
    throw new ElementProfileError(`composition ${comp.reducedFormula} is made only of the open element ${element}: there is nothing left to react with it`);
  }
  // The composition's own sorted elements when it holds the open element (windows usually do).
  const els = comp.has(element) ? comp.sortedElements : [...comp.elements, element].sort();
  return { comp, els };
}

function fractionsOf(comp: Composition, els: readonly string[]): Float64Array {
  const x = new Float64Array(els.length);
  for (let k = 0; k < els.length; k++) x[k] = comp.atomicFraction(els[k]!);
  return x;
}

/**
 * pymatgen `get_element_profile(element, comp)`: every step from the pure element (μ = 0) to the
 * composition stripped of the element, with μ, voltage, evolution, products and reaction.
 */
export function elementProfile(source: ThermoSource, composition: Composition | string, element: string, options: ProfileOptions = {}): ElementProfile {
  const { comp, els } = checkOpenSystem(source, composition, element);
  const index = evaluatedIndex(source);
  const z = options.valence !== undefined ? resolveValence(element, options.valence) : (VALENCE[element] ?? NaN);
  const steps = openProfile(index, comp, els, element, z).steps();
  return { composition: comp, element, valence: z, steps };
}

export interface WindowOptions extends ProfileOptions {
  /** The open element (default Li). */
  element?: string;
}

/** A limit of the window: where the composition starts to react, and how. */
export interface WindowLimit {
  /** μ of the open element at the limit (relative to its reference, eV/atom). */
  readonly mu: number;
  /** V vs the metal. */
  readonly voltage: number;
  /**
   * The step just beyond the limit (its products and reaction); null when there is none: below a
   * reduction limit at 0 V lies the metal itself, above an infinite oxidation limit nothing.
   */
  readonly beyond: ProfileStep | null;
}

/** The electrochemical stability window of a composition (or of its phase equilibrium). */
export interface StabilityWindow {
  readonly composition: Composition;
  readonly element: string;
  readonly valence: number;
  /** Lower voltage limit: below it the open element is taken up (reduction). */
  readonly reduction: WindowLimit;
  /** Upper voltage limit: above it the open element is given off (oxidation); +∞ without any. */
  readonly oxidation: WindowLimit;
  /** What forms in contact with the metal (μ = 0, 0 V): the first step of the profile. */
  readonly atZeroVolts: ProfileStep;
  /** True when the composition is a stable phase of the diagram. */
  readonly stable: boolean;
  /**
   * E_hull (eV/atom) of the lowest entry of this composition in the data; null when the data
   * have none (the window is then that of the composition's phase equilibrium).
   */
  readonly eAboveHull: number | null;
  /** The composition's phase equilibrium: the stable phases it decomposes into (itself if stable). */
  readonly phaseEquilibrium: readonly PhaseAmount[];
  /** The full element profile the window is read from. */
  readonly profile: ElementProfile;
  /**
   * Whether the composition is charge balanced in common oxidation states (`chargeBalance`);
   * null when that cannot be judged (no element can be an anion, e.g. an intermetallic).
   */
  readonly chargeBalanced: boolean | null;
  /** Warnings about the question: a composition not charge balanced (a rounded formula?). */
  readonly warnings: readonly string[];
}

/** Relative tolerance (per atom of the composition) under which an evolution counts as zero. */
const ZERO_EVOLUTION = 1e-8;
/** Per atom: an uptake from the tie line's kinks this far from zero has its sign beyond doubt (round-off is ~1e-10). */
const APPROX_EVOLUTION = 1e-4;

/**
 * The stability window of a composition against an open element, read off its element profile:
 * the range of μ (voltage) over which it neither takes up nor gives off the element. For a
 * composition above the hull this is the window of its phase equilibrium (the step with no
 * uptake), reported with its E_hull and those phases. When the composition lies inside a facet
 * crossed by the tie line (no step without uptake) the window has zero width.
 */
export function stabilityWindow(source: ThermoSource, composition: Composition | string, options: WindowOptions = {}): StabilityWindow {
  const element = options.element ?? 'Li';
  const { comp, els: openEls } = checkOpenSystem(source, composition, element);
  const index = evaluatedIndex(source);
  const z = options.valence !== undefined ? resolveValence(element, options.valence) : (VALENCE[element] ?? NaN);
  const open = openProfile(index, comp, openEls, element, z);
  const n = open.count;
  const volts = (mu: number) => -mu / z + 0;
  const zero = ZERO_EVOLUTION * comp.numAtoms;
  // The exact uptake only where the approximate one is near zero (or its sign near doubt).
  const clear = APPROX_EVOLUTION * comp.numAtoms;
  const isZero = (s: number) => Math.abs(open.approxEvolution(s)) <= clear && Math.abs(open.evolution(s)) <= zero;
  const isRelease = (s: number) => {
    const e = open.approxEvolution(s);
    return e < -clear || (e <= clear && open.evolution(s) < 0);
  };
  let i0 = -1;
  for (let s = 0; s < n && i0 < 0; s++) if (isZero(s)) i0 = s;
  let redMu: number;
  let oxMu: number;
  let below: number;
  let above: number;
  if (i0 >= 0) {
    redMu = open.mu(i0);
    oxMu = i0 + 1 < n ? open.mu(i0 + 1) : -Infinity;
    below = i0 - 1;
    above = i0 + 1 < n ? i0 + 1 : -1;
  } else {
    // Inside the facet between the last uptake step and the first release step (or, when the
    // first step already releases, the facet touching the pure element: the composition's phase
    // equilibrium contains the element itself, and the window closes at μ = 0).
    for (let s = 0; s < n && i0 < 0; s++) if (isRelease(s)) i0 = s;
    if (i0 < 0) throw new ElementProfileError(`no equilibrium step found in the ${element} profile of ${comp.reducedFormula}`);
    redMu = oxMu = open.mu(i0);
    below = i0 - 1;
    above = i0;
  }
  const els = comp.sortedElements;
  const x = fractionsOf(comp, els);
  const h = unresolvedFractions(els, x) ? undefined : systemFacets(index, els, comp.chemicalSystem);
  // The composition lies on the profile's segment (same system when it holds the open element):
  // the walk to it starts from the facet there.
  const from = els.length === openEls.length ? open.facetAt(1 - x[els.indexOf(element)]!) : -1;
  const hull = (h && facetHullAt(index, h, x, Math.max(from, 0))) ?? lazyHull(index.hullAt(els, x, 'stable'));
  const group = index.groups.byKey.get(comp.key);
  let eAboveHull: number | null = null;
  let stable = false;
  if (group !== undefined) {
    const i = index.groups.lowest[group]!;
    eAboveHull = Math.max(0, index.eForm[i]! - hull.value);
    stable = index.isStable[i] === 1;
  }
  const lowest = stable && group !== undefined ? (index.entries[index.groups.lowest[group]!]! as Entry) : undefined;
  return new Window(comp, element, z, new Limit(redMu, volts(redMu), open, below), new Limit(oxMu, volts(oxMu), open, above), stable, eAboveHull, open, lowest, hull);
}

// A window's result is a class, its parts built when read (the steps, the phases, the charge
// balance): a screen asks for thousands of windows and reads a few numbers of each. `toJSON`
// writes every part, as the interface lists them.
class Limit implements WindowLimit {
  readonly #open: OpenProfile;
  readonly #step: number;
  constructor(
    readonly mu: number,
    readonly voltage: number,
    open: OpenProfile,
    step: number,
  ) {
    this.#open = open;
    this.#step = step;
  }
  get beyond(): ProfileStep | null {
    return this.#step < 0 ? null : this.#open.steps()[this.#step]!;
  }
  toJSON() {
    return { mu: this.mu, voltage: this.voltage, beyond: this.beyond };
  }
}

class Window implements StabilityWindow {
  readonly #open: OpenProfile;
  readonly #lowest: Entry | undefined;
  readonly #hull: { decomposition: () => PhaseAmount[] };
  #profile: ElementProfile | undefined;
  #phaseEquilibrium: readonly PhaseAmount[] | undefined;
  #balance: ChargeBalance | undefined;
  constructor(
    readonly composition: Composition,
    readonly element: string,
    readonly valence: number,
    readonly reduction: Limit,
    readonly oxidation: Limit,
    readonly stable: boolean,
    readonly eAboveHull: number | null,
    open: OpenProfile,
    lowest: Entry | undefined,
    hull: { decomposition: () => PhaseAmount[] },
  ) {
    this.#open = open;
    this.#lowest = lowest;
    this.#hull = hull;
  }
  get atZeroVolts(): ProfileStep {
    return this.#open.steps()[0]!;
  }
  get phaseEquilibrium(): readonly PhaseAmount[] {
    return (this.#phaseEquilibrium ??= this.#lowest ? [{ entry: this.#lowest, fraction: 1 }] : byFormula(this.#hull.decomposition()));
  }
  get profile(): ElementProfile {
    return (this.#profile ??= { composition: this.composition, element: this.element, valence: this.valence, steps: this.#open.steps() });
  }
  get chargeBalanced(): boolean | null {
    return (this.#balance ??= chargeBalance(this.composition)).balanced;
  }
  get warnings(): readonly string[] {
    const comp = this.composition;
    return [chargeBalanceWarning(comp, comp.formula, (this.#balance ??= chargeBalance(comp)))].filter((m): m is string => m !== undefined);
  }
  toJSON() {
    const { composition, element, valence, reduction, oxidation, atZeroVolts, stable, eAboveHull, phaseEquilibrium, profile, chargeBalanced, warnings } = this;
    return { composition, element, valence, reduction, oxidation, atZeroVolts, stable, eAboveHull, phaseEquilibrium, profile, chargeBalanced, warnings };
  }
}

function lazyHull(r: { value: number; decomposition: PhaseAmount[] }) {
  return { value: r.value, decomposition: () => r.decomposition };
}

/** One flat stretch of the voltage staircase. */
export interface StaircaseStep {
  readonly fromV: number;
  readonly toV: number;
  readonly evolution: number;
  readonly products: readonly string[];
}

/** Uptake (+) / release (−) of the open element per formula unit vs voltage, as plot data. */
export interface VoltageStaircase {
  readonly element: string;
  readonly steps: readonly StaircaseStep[];
  /** Polyline of the staircase (vertical risers included): voltage[k], evolution[k]. */
  readonly voltage: readonly number[];
  readonly evolution: readonly number[];
}

/**
 * The staircase of element uptake vs voltage from 0 V up to `maxVoltage` (default: 1 V above the
 * last transition, at least 5 V): each profile step is flat between its own voltage and the next.
 */
export function voltageStaircase(profile: ElementProfile, options: { maxVoltage?: number } = {}): VoltageStaircase {
  const s = profile.steps;
  if (Number.isNaN(profile.valence)) throw new ElementProfileError(`no ion valence for ${profile.element}: give { valence } to the profile`);
  const lastV = s.length ? s[s.length - 1]!.voltage : 0;
  const maxV = options.maxVoltage ?? Math.max(5, lastV + 1);
  const steps: StaircaseStep[] = [];
  for (let i = 0; i < s.length; i++) {
    const fromV = s[i]!.voltage;
    const toV = i + 1 < s.length ? s[i + 1]!.voltage : maxV;
    if (fromV >= maxV) break;
    steps.push({ fromV, toV: Math.min(toV, maxV), evolution: s[i]!.evolution, products: s[i]!.products });
  }
  const voltage: number[] = [];
  const evolution: number[] = [];
  for (const st of steps) {
    voltage.push(st.fromV, st.toV);
    evolution.push(st.evolution, st.evolution);
  }
  return { element: profile.element, steps, voltage, evolution };
}

/** Plot data of a window: the shape `voltageStaircaseSvg` (src/plot) draws. */
export interface WindowPlotData {
  composition: string;
  openElement: string;
  window: { reductionV: number; oxidationV: number };
  /** Each step of the profile over its voltage range (the last one open to +∞). */
  steps: Array<{ voltageRange: [number, number]; evolution: number; products: string[] }>;
}

/** A stability window with its staircase, ready for `voltageStaircaseSvg`. */
export function windowPlotData(w: StabilityWindow): WindowPlotData {
  const s = w.profile.steps;
  if (Number.isNaN(w.valence)) throw new ElementProfileError(`no ion valence for ${w.element}: give { valence } to the window`);
  return {
    composition: w.composition.reducedFormula,
    openElement: w.element,
    window: { reductionV: w.reduction.voltage, oxidationV: w.oxidation.voltage },
    steps: s.map((st, i) => ({
      voltageRange: [st.voltage, i + 1 < s.length ? s[i + 1]!.voltage : Infinity] as [number, number],
      evolution: Math.abs(st.evolution) <= ZERO_EVOLUTION * w.composition.numAtoms ? 0 : st.evolution,
      products: [...st.products],
    })),
  };
}
