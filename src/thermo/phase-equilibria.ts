/**
 * Phase equilibria of a closed phase diagram: every facet of the lower convex hull (d stable
 * phases in equilibrium, d = number of elements) with its chemical potentials, the stability
 * region of each stable phase in chemical-potential space, pymatgen's `get_chempot_range_map` and
 * `get_transition_chempots` — all chemical potentials relative to the elemental references (eV/atom;
 * pymatgen's absolute values minus each element's reference energy per atom).
 *
 * Facets are enumerated in WASM (assembly/facets.ts) by pivoting from facet to neighbouring facet
 * through their dual chemical potentials, starting from the facet the LP finds at an interior
 * composition: each facet is a vertex μ of the polyhedron {μ : μ·x_p ≤ E_p for every phase}, and
 * crossing a ridge is one simplex-like pivot. Exactly coplanar stable points (a non-simplicial
 * facet) are triangulated consistently by lowest point index, as any triangulation (qhull's `Qt` in
 * pymatgen) is arbitrary there.
 */
import type { Entry } from '../core/index.js';
import { evaluatedIndex, type ThermoSource } from './element-profile.js';
import { runFacets, startFacet } from './facet-enumeration.js';
import { PhaseDiagram } from './phase-diagram.js';

export class PhaseEquilibriaError extends Error {
  override name = 'PhaseEquilibriaError';
}

/** One facet of the hull: d phases in equilibrium and the chemical potentials fixed by them. */
export interface Facet {
  /** The phases (stable entries), in the diagram's point order. */
  readonly phases: readonly Entry[];
  /** Chemical potential of every element of the diagram (relative to its reference, eV/atom). */
  readonly mu: Readonly<Record<string, number>>;
}

/** The region of chemical potentials where a stable phase exists. */
export interface StabilityRegion {
  readonly entry: Entry;
  /** Indices into `facets` of the facets containing the phase: the vertices of its region. */
  readonly facets: readonly number[];
  /** Per element, the [min, max] of μ over the vertices (relative, eV/atom). */
  readonly ranges: Readonly<Record<string, readonly [number, number]>>;
}

export interface PhaseEquilibriaOptions {
  /** The chemical system (default: the diagram's elements; required for a SystemIndex). */
  elements?: readonly string[];
}

// pymatgen's PhaseDiagram.numerical_tol, used to merge equal transition chemical potentials.
const NUMERICAL_TOL = 1e-8;
const MAX_FACETS = 1 << 24;

/** Every facet of the closed diagram of a chemical system, with neighbours and regions. */
export class PhaseEquilibria {
  /** Elements of the system, sorted. */
  readonly elements: readonly string[];
  /** The stable phases (points of the hull), in point order. */
  readonly phases: readonly Entry[];
  readonly facets: readonly Facet[];
  /** For facet f, the facet across the ridge opposite its i-th phase (-1: composition boundary). */
  readonly neighbours: readonly (readonly number[])[];
  private readonly muRows: Float64Array;
  private readonly facetIdx: Int32Array;

  constructor(source: ThermoSource, options: PhaseEquilibriaOptions = {}) {
    const index = evaluatedIndex(source);
    let els: string[];
    if (options.elements) els = [...options.elements].sort();
    else if (source instanceof PhaseDiagram) els = [...source.elements];
    else throw new PhaseEquilibriaError('give { elements } to enumerate the facets of one chemical system of a SystemIndex');
    const seen = new Set<string>();
    for (const el of els) {
      if (!index.refs.has(el)) throw new PhaseEquilibriaError(`element ${el} is not an element of the data (${[...index.refs.keys()].sort().join('-')})`);
      if (seen.has(el)) throw new PhaseEquilibriaError(`element ${el} is listed twice`);
      seen.add(el);
    }
    if (els.length === 0) throw new PhaseEquilibriaError('no elements');
    this.elements = els;
    const inSys = new Set(els);
    const pointIdx: number[] = [];
    index.entries.forEach((e, i) => {
      if (index.isStable[i] === 1 && e.composition.elements.every((el) => inSys.has(el))) pointIdx.push(i);
    });
    this.phases = pointIdx.map((i) => index.entries[i]!);
    const d = els.length;
    const n = pointIdx.length;
    const pts = new Float64Array(n * (d + 1));
    pointIdx.forEach((i, j) => {
      els.forEach((el, k) => (pts[j * (d + 1) + k] = index.entries[i]!.composition.atomicFraction(el)));
      pts[j * (d + 1) + d] = index.eForm[i]!;
    });
    let count: number;
    let facetIdx: Int32Array;
    let mu: Float64Array;
    let nb: Int32Array;
    if (d === 1) {
      count = 1;
      facetIdx = Int32Array.of(0);
      mu = Float64Array.of(pts[1]!);
      nb = Int32Array.of(-1);
    } else {
      const start = startFacet(pts, n, d);
      if (!start) throw new PhaseEquilibriaError('could not find a starting facet (degenerate hull)');
      let maxF = Math.max(64, 8 * n);
      for (;;) {
        const r = runFacets(pts, n, d, start, maxF);
        if (r.count === -1) {
          if (maxF >= MAX_FACETS) throw new PhaseEquilibriaError(`more than ${MAX_FACETS} facets in ${els.join('-')}`);
          maxF *= 4;
          continue;
        }
        if (r.count === -2) throw new PhaseEquilibriaError(`a degenerate facet was met in ${els.join('-')} (affinely dependent stable points)`);
        ({ count, facets: facetIdx, mu, neighbours: nb } = r);
        break;
      }
    }
    this.facetIdx = facetIdx.slice(0, count * d);
    this.muRows = mu.slice(0, count * d);
    const facets: Facet[] = [];
    const neighbours: number[][] = [];
    for (let f = 0; f < count; f++) {
      const m: Record<string, number> = {};
      els.forEach((el, k) => (m[el] = this.muRows[f * d + k]! + 0));
      facets.push({ phases: Array.from(this.facetIdx.subarray(f * d, (f + 1) * d), (j) => this.phases[j]!), mu: m });
      neighbours.push(Array.from(nb.subarray(f * d, (f + 1) * d)));
    }
    this.facets = facets;
    this.neighbours = neighbours;
  }

  /**
   * pymatgen `get_transition_chempots(element)`: the distinct μ of the element over all facets,
   * from the least negative down (relative to its reference; merged within 1e-8).
   */
  transitionChemicalPotentials(element: string): number[] {
    const k = this.elements.indexOf(element);
    if (k < 0) throw new PhaseEquilibriaError(`element ${element} is not in the system ${this.elements.join('-')}`);
    const d = this.elements.length;
    const all = Array.from({ length: this.facets.length }, (_, f) => this.muRows[f * d + k]!).sort((a, b) => a - b);
    const clean: number[] = [];
    for (const c of all) if (clean.length === 0 || Math.abs(c - clean[clean.length - 1]!) > NUMERICAL_TOL) clean.push(c);
    return clean.reverse().map((x) => x + 0);
  }

  /**
   * pymatgen `get_chempot_range_map(elements)` with `elements` = all but one element of the system
   * (its use: the dependent element's μ follows from the others): for each stable phase, the edges
   * of its stability region as segments between the μ (over `elements`, in that order, relative) of
   * two neighbouring facets that share it.
   */
  chempotRangeMap(elements: readonly string[]): Map<Entry, Array<[number[], number[]]>> {
    const d = this.elements.length;
    if (elements.length !== d - 1) {
      throw new PhaseEquilibriaError(`chempotRangeMap needs all but one element of ${this.elements.join('-')} (${d - 1} elements), got ${elements.length}`);
    }
    const ks = elements.map((el) => {
      const k = this.elements.indexOf(el);
      if (k < 0) throw new PhaseEquilibriaError(`element ${el} is not in the system ${this.elements.join('-')}`);
      return k;
    });
    if (new Set(ks).size !== ks.length) throw new PhaseEquilibriaError('an element is listed twice');
    const out = new Map<Entry, Array<[number[], number[]]>>();
    const point = (f: number) => ks.map((k) => this.muRows[f * d + k]! + 0);
    this.neighbours.forEach((nbs, f) => {
      nbs.forEach((g, r) => {
        if (g < 0 || g < f) return; // each ridge once
        const seg: [number[], number[]] = [point(f), point(g)];
        for (let i = 0; i < d; i++) {
          if (i === r) continue;
          const e = this.phases[this.facetIdx[f * d + i]!]!;
          let list = out.get(e);
          if (!list) out.set(e, (list = []));
          list.push(seg);
        }
      });
    });
    return out;
  }

  /** For each stable phase: the facets containing it and the range of each μ over them. */
  stabilityRegions(): StabilityRegion[] {
    const d = this.elements.length;
    const byPoint = new Map<number, number[]>();
    for (let f = 0; f < this.facets.length; f++) {
      for (let i = 0; i < d; i++) {
        const p = this.facetIdx[f * d + i]!;
        let list = byPoint.get(p);
        if (!list) byPoint.set(p, (list = []));
        list.push(f);
      }
    }
    return this.phases.map((entry, p) => {
      const fs = byPoint.get(p) ?? [];
      const ranges: Record<string, readonly [number, number]> = {};
      this.elements.forEach((el, k) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const f of fs) {
          lo = Math.min(lo, this.muRows[f * d + k]!);
          hi = Math.max(hi, this.muRows[f * d + k]!);
        }
        ranges[el] = [lo + 0, hi + 0];
      });
      return { entry, facets: fs, ranges };
    });
  }
}

/** pymatgen `get_transition_chempots` (relative to the element's reference). */
export function transitionChemicalPotentials(source: ThermoSource, element: string, options: PhaseEquilibriaOptions = {}): number[] {
  return new PhaseEquilibria(source, options).transitionChemicalPotentials(element);
}
