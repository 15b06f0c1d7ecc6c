/**
 * The sampled quantities screens judge by, for any list of samples (a screen evaluates a costly
 * criterion only on the samples that passed the cheap ones): a composition's E_hull, a window's
 * two limits (two LPs beside the composition on the open element's tie line, no staircase), and
 * candidates' signed distance to a reference hull they are not part of.
 */
import type { Composition, Entry } from '../core/index.js';
import { ElementProfileError, resolveValence, type SystemIndex } from '../thermo/index.js';
import { normalDeviate } from './kernel.js';
import type { ResolvedSampling, UncertaintyModel } from './model.js';
import { closedPoints, groupSamples, hullAtSamples, scopeOf } from './points.js';

/** E_hull (eV/atom) of the lowest entry of `c` in each listed sample; null when the data have no entry of `c`. */
export function compositionEHull(index: SystemIndex, model: UncertaintyModel, seed: number, samples: Int32Array, c: Composition): Float64Array | null {
  const g = index.groups.byKey.get(c.key);
  if (g === undefined) return null;
  const scope = scopeOf(index, c.elements);
  const lg = scope.localGroup.get(g)!;
  const points = closedPoints(scope);
  const own = groupSamples(scope, model, seed, samples, Int32Array.of(lg));
  const h = hullAtSamples(points, model, seed, samples, scope.fractions.slice(lg * points.d, (lg + 1) * points.d), { exclude: Int32Array.of(lg) });
  return Float64Array.from(own.f, (f, s) => Math.max(0, f - h.value[s]!));
}

/** A composition on its open element's tie line, for `windowLimits`. */
export interface LimitsSetup {
  readonly index: SystemIndex;
  readonly composition: Composition;
  readonly element: string;
  readonly valence: number;
  /** Coordinates, and where the composition lies on the tie line (t = 1: without the element). */
  readonly elements: readonly string[];
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly tc: number;
}

// How far beside the composition (in t) the two LPs sit: inside the facets that meet there.
const BESIDE = 1e-7;

export function limitsSetup(index: SystemIndex, c: Composition, element = 'Li', valence?: number): LimitsSetup {
  const z = resolveValence(element, valence);
  if (c.elements.length === 1 && c.elements[0] === element) throw new ElementProfileError(`composition ${c.reducedFormula} is made only of the open element ${element}`);
  const elements = [...new Set([...c.elements, element])].sort();
  const nOpen = c.amount(element);
  const nRest = c.numAtoms - nOpen;
  return {
    index,
    composition: c,
    element,
    valence: z,
    elements,
    a: Float64Array.from(elements, (x) => (x === element ? 1 : 0)),
    b: Float64Array.from(elements, (x) => (x === element ? 0 : c.amount(x) / nRest)),
    tc: nRest / c.numAtoms,
  };
}

/**
 * Both limits (V) of the window in each listed sample: the open element's chemical potential of
 * the facet just on its richer side (reduction) and just on its poorer side (oxidation; +∞ for a
 * composition without the element). Equal when the composition lies inside a facet.
 */
export function windowLimits(setup: LimitsSetup, model: UncertaintyModel, seed: number, samples: Int32Array): { reductionV: Float64Array; oxidationV: Float64Array } {
  const { a, b, tc, elements } = setup;
  const scope = scopeOf(setup.index, elements);
  const points = closedPoints(scope);
  const d = points.d;
  const ts = tc < 1 ? [tc - BESIDE, tc + BESIDE] : [tc - BESIDE];
  const queries = new Float64Array(ts.length * d);
  ts.forEach((t, q) => {
    for (let k = 0; k < d; k++) queries[q * d + k] = (1 - t) * a[k]! + t * b[k]!;
  });
  const h = hullAtSamples(points, model, seed, samples, queries, { duals: true });
  const o = elements.indexOf(setup.element);
  const nq = ts.length;
  const z = setup.valence;
  const reductionV = new Float64Array(samples.length);
  const oxidationV = new Float64Array(samples.length);
  for (let s = 0; s < samples.length; s++) {
    reductionV[s] = -h.mu![s * nq * d + o]! / z + 0;
    oxidationV[s] = nq > 1 ? -h.mu![(s * nq + 1) * d + o]! / z + 0 : Infinity;
  }
  return { reductionV, oxidationV };
}

/**
 * Candidates screened against a reference they are not part of: the signed distance (eV/atom) of
 * each to the reference hull at its composition, in each listed sample (cand-major:
 * out[c·samples + s]). A candidate's own error is drawn on stream `keys[c]` (distinct from every
 * reference entry's); its named corrections share the reference's normals of the same name.
 */
export function candidateDistances(index: SystemIndex, model: UncertaintyModel, o: ResolvedSampling, samples: Int32Array, candidates: readonly Entry[], keys: Int32Array): Float64Array {
  const nS = samples.length;
  const out = new Float64Array(candidates.length * nS);
  const bySystem = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    const k = c.composition.chemicalSystem;
    const l = bySystem.get(k);
    if (l) l.push(i);
    else bySystem.set(k, [i]);
  });
  const names = new Map(model.names.map((n, k) => [n, k]));
  for (const [sys, list] of bySystem) {
    const scope = scopeOf(index, sys.split('-'));
    const points = closedPoints(scope);
    const d = points.d;
    const queries = new Float64Array(list.length * d);
    list.forEach((i, q) => scope.elements.forEach((el, k) => (queries[q * d + k] = candidates[i]!.composition.atomicFraction(el))));
    const h = hullAtSamples(points, model, o.seed, samples, queries);
    const refs = groupSamples(scope, model, o.seed, samples, new Int32Array(0)).refShift;
    list.forEach((i, q) => {
      const e = candidates[i]!;
      const comp = e.composition;
      let f = e.energyPerAtom;
      for (const el of comp.elements) f -= comp.atomicFraction(el) * index.refs.get(el)!.energyPerAtom;
      const atoms = comp.numAtoms;
      const own = o.dataUncertainties;
      const named = own ? Object.entries(e.correctionUncertainties) : [];
      const whole = own && named.length === 0 ? e.correctionUncertainty / atoms : 0;
      let var2 = o.sigma ** 2 + (own ? e.uncertaintyPerAtom ** 2 : 0) + whole ** 2;
      const loads: Array<[number, number]> = [];
      for (const [name, u] of named) {
        if (o.corrections === 'independent') var2 += (u / atoms) ** 2;
        else loads.push([names.get(name) ?? nameStream(name), u / atoms]);
      }
      const sigma = Math.sqrt(var2);
      for (let s = 0; s < nS; s++) {
        const sample = samples[s]!;
        let delta = sigma > 0 ? sigma * normalDeviate(o.seed, sample, 2 * keys[i]!) : 0;
        for (const [id, v] of loads) delta += v * normalDeviate(o.seed, sample, 2 * id + 1);
        let shift = 0;
        scope.elements.forEach((el, k) => (shift += comp.atomicFraction(el) * refs[s * scope.elements.length + k]!));
        out[i * nS + s] = f + delta - shift - h.value[s * list.length + q]!;
      }
    });
  }
  return out;
}

/** A stable stream id for a correction name the reference does not carry (beyond every index the reference uses). */
function nameStream(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (1 << 29) + (h & 0x0fffffff);
}
