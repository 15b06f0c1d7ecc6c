/**
 * The second, independent stability-window method: complete enumeration of the balanced
 * decomposition reactions of a composition A into sets of phases with release or uptake of an
 * open element M (Binninger, Marcolongo, Mottet, Weber, Laino, J. Mater. Chem. A 8, 1347 (2020)).
 *
 *   A -> Σ_j x_j P_j + n M        (x_j > 0; n > 0: M given off, oxidation; n < 0: taken up, reduction)
 *
 * Each reaction has a reaction energy ΔG = Σ x_j G_j − G_A (formation energies, M at its
 * reference) and an equilibrium potential U = ΔG / (n·z) vs the M/M^{z+} couple: with M exchanged
 * at μ_M = −z·e·V the reaction's grand energy ΔG − n·z·V is negative above U for an oxidation and
 * below U for a reduction. The window is [max U over reductions (≥ 0 V: below 0 V the metal
 * itself plates), min U over oxidations]. ΔG/n is linear-fractional, so its extremes over all
 * balanced reactions are reached at reactions with a unique balance (phases and M linearly
 * independent); the WASM kernel (assembly/reactions.ts) enumerates every one of those over the
 * stable phases of A's chemical system.
 *
 * It shares nothing with the element-profile method but the phase energies: no hull, no LP, no
 * facets — just linear balances — which is what makes the agreement of the two windows a check.
 * By default G_A is the hull energy at A, i.e. the window of A's phase equilibrium (what the
 * element profile reports for compositions above the hull); `reactantEnergy: 'entry'` uses the
 * lowest entry of A instead (a metastable A then has reactions with n = 0 and ΔG < 0).
 */
import { Composition } from '../core/index.js';
import type { Entry } from '../core/index.js';
import { checkOpenSystem, evaluatedIndex, resolveValence, stabilityWindow, type StabilityWindow, type ThermoSource } from './element-profile.js';
import { Reaction } from '../core/index.js';
import { kernel } from './wasm.js';

export class DecompositionReactionError extends Error {
  override name = 'DecompositionReactionError';
}

interface ReactionExports {
  recordBytes(e: number): number;
  reactionWorkBytes(e: number): number;
  enumerateReactions(
    e: number,
    np: number,
    phases: number,
    energies: number,
    target: number,
    eA: number,
    openIdx: number,
    maxK: number,
    tol: number,
    maxOut: number,
    out: number,
    best: number,
    work: number,
  ): number;
  reactionCounts(which: number): number;
}

export interface EnumerationOptions {
  /** The open element (default Li). */
  element?: string;
  /** Ion charge z (default from the element: 1 for Li, Na, K; 2 for Mg, …). */
  valence?: number;
  /** Energy of A: `hull` (default; the window of its phase equilibrium) or `entry` (its lowest entry). */
  reactantEnergy?: 'hull' | 'entry';
  /** Keep at most this many reactions in `reactions` (all are counted). Default 100000. */
  maxReactions?: number;
  /**
   * Refuse when the phase subsets to search, Σ_{k < elements} C(phases, k), exceed this (the
   * search is combinatorial: a 7-element system with 200 phases has ~10^11). Default 1e9.
   */
  maxSubsets?: number;
}

/** One balanced decomposition reaction, per formula unit of A as given. */
export interface DecompositionReaction {
  /** The product phases (stable entries). */
  readonly phases: readonly Entry[];
  /** Atoms of each phase formed per formula unit of A. */
  readonly atoms: readonly number[];
  /** Atoms of the open element given off (> 0) or taken up (< 0) per formula unit of A. */
  readonly released: number;
  /** ΔG = Σ G_products − G_A (eV per formula unit of A; M at its reference). */
  readonly reactionEnergy: number;
  /** Equilibrium potential ΔG/(n z) (V vs the metal); NaN when nothing is exchanged. */
  readonly potential: number;
  /** The reaction as a balanced Reaction (pymatgen string with toString()). */
  reaction(): Reaction;
}

export interface EnumeratedWindow {
  readonly composition: Composition;
  readonly element: string;
  readonly valence: number;
  /** Energy per atom (formation scale) used for A. */
  readonly reactantEnergyPerAtom: number;
  readonly reactantEnergy: 'hull' | 'entry';
  /** Number of candidate product phases. */
  readonly phaseCount: number;
  /** Reactions found (all with a unique balance and positive phase amounts). */
  readonly reactionCount: number;
  readonly oxidationCount: number;
  readonly reductionCount: number;
  /** Max over reductions of U, and 0 V when none is above 0 V (the metal plates below). */
  readonly reductionV: number;
  /** Min over oxidations of U; +∞ without any. */
  readonly oxidationV: number;
  /** The reduction defining `reductionV` (null when that is 0 V by the metal). */
  readonly reductionReaction: DecompositionReaction | null;
  readonly oxidationReaction: DecompositionReaction | null;
  /** Lowest ΔG (eV per formula unit) of the reactions exchanging nothing (0 for a stable A). */
  readonly minNeutralEnergy: number;
  /** The reactions kept (at most maxReactions), in enumeration order. */
  readonly reactions: readonly DecompositionReaction[];
  readonly truncated: boolean;
  /** Phase subsets the search could visit at most, Σ_{k < elements} C(phases, k). */
  readonly subsetBound: number;
}

const TOL = 1e-9;

/**
 * Every balanced decomposition reaction of `composition` into stable phases of its chemical system
 * (with the open element), each with its equilibrium potential, and the window they imply.
 */
export function enumerateDecompositionReactions(source: ThermoSource, composition: Composition | string, options: EnumerationOptions = {}): EnumeratedWindow {
  const element = options.element ?? 'Li';
  const { comp, els } = checkOpenSystem(source, composition, element);
  const z = resolveValence(element, options.valence);
  const mode = options.reactantEnergy ?? 'hull';
  if (mode !== 'hull' && mode !== 'entry') throw new DecompositionReactionError(`reactantEnergy must be 'hull' or 'entry', got ${JSON.stringify(mode)}`);
  const maxReactions = options.maxReactions ?? 100000;
  if (!Number.isInteger(maxReactions) || maxReactions < 0) throw new DecompositionReactionError(`maxReactions must be an integer >= 0, got ${String(maxReactions)}`);
  const index = evaluatedIndex(source);
  const e = els.length;
  const compEls = [...comp.elements].sort();
  const frac = Float64Array.from(els, (el) => comp.atomicFraction(el));
  // Energy of A.
  const hull = index.hullAt(
    compEls,
    Float64Array.from(compEls, (el) => comp.atomicFraction(el)),
    'stable',
  ).value;
  let eA = hull;
  const group = index.groups.byKey.get(comp.key);
  if (mode === 'entry') {
    if (group === undefined) throw new DecompositionReactionError(`no entry of ${comp.reducedFormula} in the data: use reactantEnergy 'hull'`);
    eA = index.eForm[index.groups.lowest[group]!]!;
  }
  // Candidate phases: stable entries made of the system's elements, but not M itself nor A.
  const inSystem = new Set(els);
  const phases: number[] = [];
  index.entries.forEach((entry, i) => {
    if (index.isStable[i] !== 1) return;
    const ce = entry.composition.elements;
    if (!ce.every((el) => inSystem.has(el))) return;
    if (ce.length === 1 && ce[0] === element) return;
    if (group !== undefined && index.groups.group[i] === group) return;
    phases.push(i);
  });
  const np = phases.length;
  const maxSubsets = options.maxSubsets ?? 1e9;
  let subsets = 0;
  for (let kk = 1, c = 1; kk <= e - 1 && kk <= np; kk++) {
    c = (c * (np - kk + 1)) / kk;
    subsets += c;
  }
  if (subsets > maxSubsets) {
    throw new DecompositionReactionError(`${comp.reducedFormula}: ${subsets.toExponential(2)} phase subsets (${np} phases in ${els.join('-')}) exceed maxSubsets ${maxSubsets.toExponential(2)}`);
  }
  const k = kernel();
  const ex = k.exports as unknown as ReactionExports;
  const rb = ex.recordBytes(e);
  k.reset();
  const pPh = k.alloc(8 * Math.max(1, np * e));
  const pEn = k.alloc(8 * Math.max(1, np));
  const pA = k.alloc(8 * e);
  const pOut = k.alloc(rb * Math.max(1, maxReactions));
  const pBest = k.alloc(rb * 2);
  const pWork = k.alloc(ex.reactionWorkBytes(e));
  const ph = k.f64(pPh, np * e);
  phases.forEach((i, j) => els.forEach((el, r) => (ph[j * e + r] = index.entries[i]!.composition.atomicFraction(el))));
  const en = k.f64(pEn, np);
  phases.forEach((i, j) => (en[j] = index.eForm[i]!));
  k.f64(pA, e).set(frac);
  const found = ex.enumerateReactions(e, np, pPh, pEn, pA, eA, els.indexOf(element), e - 1, TOL, maxReactions, pOut, pBest, pWork);
  const nOx = ex.reactionCounts(0);
  const nRed = ex.reactionCounts(1);
  const hasOx = ex.reactionCounts(2) === 1;
  const hasRed = ex.reactionCounts(3) === 1;
  const perFU = comp.numAtoms;
  const mem = k.exports.memory.buffer;
  const read = (at: number): DecompositionReaction => {
    const view = new DataView(mem, at, rb);
    const kk = view.getInt32(0, true);
    const coefAt = 8 + ((4 * e + 7) & ~7);
    const ents: Entry[] = [];
    const atoms: number[] = [];
    for (let i = 0; i < kk; i++) {
      ents.push(index.entries[phases[view.getInt32(8 + 4 * i, true)]!]!);
      atoms.push(view.getFloat64(coefAt + 8 * i, true) * perFU);
    }
    const n = view.getFloat64(coefAt + 8 * e, true) * perFU;
    const dG = view.getFloat64(coefAt + 8 * e + 8, true) * perFU;
    return makeReaction(comp, element, ents, atoms, n, dG, z);
  };
  const kept = Math.min(found, maxReactions);
  const reactions: DecompositionReaction[] = [];
  let minNeutral = Infinity;
  for (let r = 0; r < kept; r++) {
    const rx = read(pOut + r * rb);
    reactions.push(rx);
    if (Math.abs(rx.released) <= TOL * perFU) minNeutral = Math.min(minNeutral, rx.reactionEnergy);
  }
  const ox = hasOx ? read(pBest) : null;
  const red = hasRed ? read(pBest + rb) : null;
  const redV = red && red.potential > 0 ? red.potential : 0;
  return {
    composition: comp,
    element,
    valence: z,
    reactantEnergyPerAtom: eA,
    reactantEnergy: mode,
    phaseCount: np,
    reactionCount: found,
    oxidationCount: nOx,
    reductionCount: nRed,
    reductionV: redV,
    oxidationV: ox ? ox.potential : Infinity,
    reductionReaction: red && red.potential > 0 ? red : null,
    oxidationReaction: ox,
    minNeutralEnergy: minNeutral === Infinity ? 0 : minNeutral,
    reactions,
    truncated: found > kept,
    subsetBound: subsets,
  };
}

function makeReaction(comp: Composition, element: string, phases: Entry[], atoms: number[], n: number, dG: number, z: number): DecompositionReaction {
  let cached: Reaction | undefined;
  return {
    phases,
    atoms,
    released: n,
    reactionEnergy: dG,
    potential: Math.abs(n) > TOL * comp.numAtoms ? dG / (n * z) : NaN,
    reaction() {
      if (!cached) {
        const products: Array<[Composition, number]> = phases.map((p, i) => [p.composition, atoms[i]! / p.composition.numAtoms]);
        const el = Composition.fromDict({ [element]: 1 });
        if (n > 0) products.push([el, n]);
        const reactants: Array<[Composition, number]> = [[comp, 1]];
        if (n < 0) reactants.push([el, -n]);
        cached = Reaction.fromCoefficients(reactants, products);
      }
      return cached;
    },
  };
}

/** Both windows of a composition side by side: element profile (grand potential) and enumeration. */
export interface WindowComparison {
  readonly composition: Composition;
  readonly element: string;
  readonly profile: StabilityWindow;
  readonly enumeration: EnumeratedWindow;
  /** Largest difference between the two methods' limits (V; 0 when both oxidation limits are +∞). */
  readonly maxDifferenceV: number;
}

/** The stability window by both methods (the enumeration with A at its hull energy, like the profile). */
export function compareWindows(source: ThermoSource, composition: Composition | string, options: { element?: string; valence?: number } = {}): WindowComparison {
  const profile = stabilityWindow(source, composition, options);
  const enumeration = enumerateDecompositionReactions(source, profile.composition, { ...options, reactantEnergy: 'hull', maxReactions: 0 });
  const diff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b));
  return {
    composition: profile.composition,
    element: profile.element,
    profile,
    enumeration,
    maxDifferenceV: Math.max(diff(profile.reduction.voltage, enumeration.reductionV), diff(profile.oxidation.voltage, enumeration.oxidationV)),
  };
}
