/**
 * The steps of an element profile, read off the hull along the tie line from the open element E
 * to the composition without it (pymatgen's gccomp): μ of each step, its uptake of E, its phases,
 * products and reaction. Apart from element-profile.ts so that a window can ask for what it
 * needs — μ everywhere, the exact uptake only near zero — and leave the phases, formulas and
 * reactions of the other steps to be built when (if ever) they are read.
 */
import { Composition, Reaction, uniqueCoefficient } from '../core/index.js';
import { unresolvedFractions } from './hull.js';
import { phasesIn, systemFacets, facetSegment } from './system-facets.js';
import type { PhaseAmount, SystemIndex } from './system-hull.js';

/** One step of an element profile (pymatgen's `get_element_profile` item). */
export interface ProfileStep {
  /** μ of the open element relative to its reference (eV/atom): pymatgen's chempot − el_ref. */
  readonly mu: number;
  /** −μ / z: V vs the metal (NaN when the element has no known valence and none was given). */
  readonly voltage: number;
  /** Open element taken up (> 0) or given off (< 0) per formula unit of the composition. */
  readonly evolution: number;
  /** The phases in equilibrium (stable entries), alphabetical by reduced formula. */
  readonly phases: readonly PhaseAmount[];
  /** Reduced formulas of `phases`, sorted (as the `products` of the references). */
  readonly products: readonly string[];
  /** comp + n E -> phases, normalised to one formula unit of the composition. */
  readonly reaction: Reaction;
}

/** A profile before its steps are built: step s (0-based) is breakpoint s + 1 of the tie line. */
export interface OpenProfile {
  readonly count: number;
  mu(s: number): number;
  /** Uptake from the breakpoint's position alone: within round-off of `evolution`. */
  approxEvolution(s: number): number;
  /** The uptake from the step's phases (exact stoichiometry), as the built step has it. */
  evolution(s: number): number;
  /** Every step, built once. */
  steps(): ProfileStep[];
  /**
   * The facet of the system's walker holding the hull along the profile's segment at t (0 at the
   * pure element, 1 at the composition without it), −1 when the segment came from the LPs: where
   * a walk to a point on the segment starts without depending on the system's past questions.
   */
  facetAt(t: number): number;
}

/** Phases alphabetical by reduced formula (then id), the order reaction strings list them in. */
export function byFormula(phases: readonly PhaseAmount[]): PhaseAmount[] {
  return [...phases].sort((a, b) => {
    const fa = a.entry.composition.reducedFormula;
    const fb = b.entry.composition.reducedFormula;
    return fa < fb ? -1 : fa > fb ? 1 : a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0;
  });
}

/** The profile of `comp` (elements `els`, sorted, with `element`) open to `element`; ion charge z. */
export function openProfile(index: SystemIndex, comp: Composition, els: readonly string[], element: string, z: number): OpenProfile {
  const d = els.length;
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  // The composition without the open element (pymatgen's gccomp), as atomic fractions.
  let nRest = 0;
  for (const el of comp.elements) if (el !== element) nRest += comp.amount(el);
  for (let k = 0; k < d; k++) {
    a[k] = els[k] === element ? 1 : 0;
    b[k] = els[k] === element ? 0 : comp.amount(els[k]!) / nRest;
  }
  const seg = openSegment(index, els, a, b, element);
  const nE = comp.amount(element);
  let elComp: Composition | undefined;
  const phases: Array<PhaseAmount[] | undefined> = [];
  const phasesOf = (s: number) => (phases[s] ??= byFormula(seg.phases(s + 1)));
  const productsOf = (s: number) => [...phasesOf(s).map((p) => p.entry.composition), (elComp ??= Composition.fromDict({ [element]: 1 }))];
  const reactions: Array<Reaction | undefined> = [];
  const reaction = (s: number) => (reactions[s] ??= Reaction.balance([comp], productsOf(s)).normalizeTo(comp));
  const evolutions: Array<number | undefined> = [];
  const evolution = (s: number): number => {
    let e = evolutions[s];
    if (e === undefined) {
      // The stoichiometry of the step's phases fixes the uptake by itself, without balancing the reaction.
      const products = productsOf(s);
      const c = uniqueCoefficient(comp, products, products.length - 1);
      e = evolutions[s] = c !== undefined ? -c + 0 : -reaction(s).coefficients[reaction(s).indexOf(elComp!)]!;
    }
    return e;
  };
  const mu = (s: number) => seg.mu(s) + 0;
  let built: ProfileStep[] | undefined;
  const steps = () => {
    if (built) return built;
    built = [];
    for (let s = 0; s + 1 < seg.count; s++) {
      const m = mu(s);
      const ph = phasesOf(s);
      const step = { mu: m, voltage: -m / z + 0, evolution: evolution(s), phases: ph, products: ph.map((p) => p.entry.composition.reducedFormula).sort() };
      // The balanced reaction only when read.
      built.push(Object.defineProperty(step, 'reaction', { get: () => reaction(s), enumerable: true }) as typeof step & { readonly reaction: Reaction });
    }
    return built;
  };
  // comp + n E sits at t = nRest / (atoms of comp + n) on the tie line.
  const approxEvolution = (s: number) => nRest / seg.t(s + 1) - nRest - nE;
  return { count: seg.count - 1, mu, approxEvolution, evolution, steps, facetAt: seg.facetAt };
}

/**
 * The hull along a → b over the stable phases of system `els` (sorted): its breakpoints, the
 * phases at each and μ of the open element on each stretch. From the system's facets, shared by
 * all its compositions (system-facets.ts); by LPs (`SystemIndex.segment`) when they cannot be
 * had, or when a fraction is below what hulls are solved for (segment then says why).
 */
function openSegment(index: SystemIndex, els: readonly string[], a: Float64Array, b: Float64Array, element: string) {
  const h = (unresolvedFractions(els, a) ?? unresolvedFractions(els, b)) ? undefined : systemFacets(index, els);
  const seg = h && facetSegment(index, h, a, b);
  if (!h || !seg) {
    const lp = index.segment(els, a, b);
    return {
      count: lp.points.length,
      t: (i: number) => lp.points[i]!.t,
      phases: (i: number) => lp.points[i]!.decomposition,
      mu: (i: number) => lp.facetMu[i]![element]!,
      facetAt: () => -1,
    };
  }
  const { ts, facets, at } = seg;
  const k = els.indexOf(element);
  const d = els.length;
  const x = new Float64Array(d);
  const phases = (i: number) => {
    const t = ts[i]!;
    for (let c = 0; c < d; c++) x[c] = (1 - t) * a[c]! + t * b[c]!;
    return phasesIn(index.entries, h, at[i]!, x);
  };
  const facetAt = (t: number) => {
    let j = 0;
    while (j + 1 < facets.length && ts[j + 1]! <= t) j++;
    return facets[j]!;
  };
  return { count: ts.length, t: (i: number) => ts[i]!, phases, mu: (i: number) => h.mu[facets[i]! * d + k]!, facetAt };
}
