/**
 * The steps of an element profile, read off the hull along the tie line from the open element E
 * to the composition without it (pymatgen's gccomp): μ of each step, its uptake of E, its phases,
 * products and reaction. Apart from element-profile.ts so that a window can ask for what it
 * needs — μ everywhere, the exact uptake only near zero — and leave the phases, formulas and
 * reactions of the other steps to be built when (if ever) they are read.
 */
import { Composition, Reaction, uniqueCoefficient } from '../core/index.js';
import { unresolvedFractions } from './hull.js';
import type { FacetWalker } from './facet-walk.js';
import { pointOn } from './segment-walk.js';
import { breakpointPhases, systemFacets, facetSegment, type FacetSegment } from './system-facets.js';
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
  const seg = openSegment(index, els, a, b, element, els === comp.sortedElements ? comp.chemicalSystem : undefined);
  return new Profile(seg, comp, element, z, nRest);
}

// Classes rather than closures: a window builds one of each, thousands of times in a screen, and
// reads a few numbers of it; its phases, reactions and steps are built when (if ever) read.
class Profile implements OpenProfile {
  readonly count: number;
  #elComp: Composition | undefined;
  #phases: Array<PhaseAmount[] | undefined> | undefined;
  #reactions: Array<Reaction | undefined> | undefined;
  #evolutions: Array<number | undefined> | undefined;
  #built: ProfileStep[] | undefined;
  /** Atoms of the open element in the composition. */
  readonly #nE: number;

  constructor(
    private readonly seg: Segment,
    private readonly comp: Composition,
    private readonly element: string,
    private readonly z: number,
    private readonly nRest: number,
  ) {
    this.count = seg.count - 1;
    this.#nE = comp.amount(element);
  }

  mu(s: number): number {
    return this.seg.mu(s) + 0;
  }

  // comp + n E sits at t = nRest / (atoms of comp + n) on the tie line.
  approxEvolution(s: number): number {
    return this.nRest / this.seg.t(s + 1) - this.nRest - this.#nE;
  }

  evolution(s: number): number {
    const evolutions = (this.#evolutions ??= []);
    let e = evolutions[s];
    if (e === undefined) {
      // The stoichiometry of the step's phases fixes the uptake by itself, without balancing the reaction.
      const products = this.#productsOf(s);
      const c = uniqueCoefficient(this.comp, products, products.length - 1);
      e = evolutions[s] = c !== undefined ? -c + 0 : -this.#reaction(s).coefficients[this.#reaction(s).indexOf(this.#elComp!)]!;
    }
    return e;
  }

  steps(): ProfileStep[] {
    if (this.#built) return this.#built;
    const built: ProfileStep[] = (this.#built = []);
    for (let s = 0; s < this.count; s++) {
      const m = this.mu(s);
      const ph = this.#phasesOf(s);
      const step = { mu: m, voltage: -m / this.z + 0, evolution: this.evolution(s), phases: ph, products: ph.map((p) => p.entry.composition.reducedFormula).sort() };
      // The balanced reaction only when read.
      built.push(Object.defineProperty(step, 'reaction', { get: () => this.#reaction(s), enumerable: true }) as typeof step & { readonly reaction: Reaction });
    }
    return built;
  }

  facetAt(t: number): number {
    return this.seg.facetAt(t);
  }

  #phasesOf(s: number): PhaseAmount[] {
    const phases = (this.#phases ??= []);
    return (phases[s] ??= byFormula(this.seg.phases(s + 1)));
  }

  #productsOf(s: number): Composition[] {
    return [...this.#phasesOf(s).map((p) => p.entry.composition), (this.#elComp ??= Composition.fromDict({ [this.element]: 1 }))];
  }

  #reaction(s: number): Reaction {
    const reactions = (this.#reactions ??= []);
    return (reactions[s] ??= Reaction.balance([this.comp], this.#productsOf(s)).normalizeTo(this.comp));
  }
}

/** The hull along the profile's tie line: its breakpoints (0 … count − 1), their phases, μ of each stretch. */
interface Segment {
  readonly count: number;
  t(i: number): number;
  phases(i: number): PhaseAmount[];
  mu(i: number): number;
  facetAt(t: number): number;
}

/**
 * The hull along a → b over the stable phases of system `els` (sorted): its breakpoints, the
 * phases at each and μ of the open element on each stretch. From the system's facets, shared by
 * all its compositions (system-facets.ts); by LPs (`SystemIndex.segment`) when they cannot be
 * had, or when a fraction is below what hulls are solved for (segment then says why).
 */
function openSegment(index: SystemIndex, els: readonly string[], a: Float64Array, b: Float64Array, element: string, key?: string): Segment {
  const h = (unresolvedFractions(els, a) ?? unresolvedFractions(els, b)) ? undefined : systemFacets(index, els, key);
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
  return new WalkedSegment(index, h, seg, a, b, els.indexOf(element));
}

/** A segment from the system's facets (system-facets.ts). */
class WalkedSegment implements Segment {
  readonly count: number;
  constructor(
    private readonly index: SystemIndex,
    private readonly h: FacetWalker,
    private readonly seg: FacetSegment,
    private readonly a: Float64Array,
    private readonly b: Float64Array,
    /** The open element's column. */
    private readonly k: number,
  ) {
    this.count = seg.ts.length;
  }

  t(i: number): number {
    return this.seg.ts[i]!;
  }

  phases(i: number): PhaseAmount[] {
    const { a, b, h, seg } = this;
    return breakpointPhases(this.index.entries, h, seg, i, pointOn(a, b, seg.ts[i]!, new Float64Array(h.d)));
  }

  mu(i: number): number {
    return this.h.mu[this.seg.facets[i]! * this.h.d + this.k]!;
  }

  facetAt(t: number): number {
    const { ts, facets } = this.seg;
    let j = 0;
    while (j + 1 < facets.length && ts[j + 1]! <= t) j++;
    return facets[j]!;
  }
}
