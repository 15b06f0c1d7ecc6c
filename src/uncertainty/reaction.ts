/**
 * Interface reactions under uncertain energies. Each sample's reaction curve is the hull along the
 * mixing line comp2 → comp1 (closed, or grand-potential points when open to an element) minus the
 * line joining the reactants' energies in that sample (pymatgen e1, e2: the reactant's lowest entry
 * when it lies below its elements and `useHullEnergy` is off, else the hull at its composition;
 * open, its grand potential from the closed energy). The most negative kink is the sample's
 * minimum; its products come from the hull at that mixture.
 */
import type { Composition } from '../core/index.js';
import { type InterfaceReaction, type InterfaceReactionOptions, type InterfaceSetup, interfaceReaction, interfaceSetup, type ReactionDiagram } from '../interface/index.js';
import { UncertaintyError, type UncertaintyModel } from './model.js';
import { sampleRange } from './kernel.js';
import { closedPoints, grandPoints, groupSamples, hullAtSamples, type PointSet, type SegmentSamples, scopeOf, segmentSamples } from './points.js';
import { type Distribution, distribution, type Frequency, probability, Tally } from './stats.js';

/** What every sample of one interface shares. */
export interface ReactionSetup {
  readonly reaction: InterfaceReaction;
  readonly setup: InterfaceSetup;
  /** The points the kinks lie on (closed, or grand when open) and the closed ones (reactant energies). */
  readonly points: PointSet;
  readonly closed: PointSet;
  /** comp2 (t = 0) and comp1 (t = 1) in the points' coordinates; c1, c2 in the closed ones. */
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly closedQueries: Float64Array;
  /** Local group of c1 and c2 (-1: absent from the data). */
  readonly groups: Int32Array;
  /** Mixing ratios x of the curve band. */
  readonly grid: Float64Array;
}

const GRID_POINTS = 101;
const NUMERICAL_TOL = 1e-8;

export function reactionSetup(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions = {}): ReactionSetup {
  const reaction = interfaceReaction(c1, c2, diagram, options);
  if (!reaction.norm) throw new UncertaintyError('interface reactions under uncertainty are per atom of mixture: norm must stay true');
  const setup = interfaceSetup(c1, c2, diagram, options);
  const index = setup.source.index;
  const open = setup.open?.element;
  const els = [...new Set([...setup.c1.elements, ...setup.c2.elements, ...(open ? [open] : [])])].sort();
  const scope = scopeOf(index, els);
  const closed = closedPoints(scope);
  const points = open ? grandPoints(scope, open, setup.open!.mu) : closed;
  const coords = (c: Composition, els2: readonly string[]) => Float64Array.from(els2, (el) => c.atomicFraction(el));
  const groupOf = (c: Composition) => {
    const g = index.groups.byKey.get(c.key);
    return g === undefined ? -1 : (scope.localGroup.get(g) ?? -1);
  };
  return {
    reaction,
    setup,
    points,
    closed,
    a: coords(setup.comp2, points.elements),
    b: coords(setup.comp1, points.elements),
    closedQueries: Float64Array.from([...coords(setup.c1, closed.elements), ...coords(setup.c2, closed.elements)]),
    groups: Int32Array.of(groupOf(setup.c1), groupOf(setup.c2)),
    grid: Float64Array.from({ length: GRID_POINTS }, (_, i) => i / (GRID_POINTS - 1)),
  };
}

/** Samples [from, to) of an interface: the minimum, where it lies, what forms there, the curve. */
export interface ReactionSamples {
  readonly from: number;
  readonly to: number;
  /** Most negative reaction energy per atom of mixture (per non-open atom when open). */
  readonly minimum: Float64Array;
  /** x (fraction of c1) at the minimum. */
  readonly x: Float64Array;
  /** Reaction energy at grid x k in sample s: curve[s·grid + k]. */
  readonly curve: Float64Array;
  /** Products at the minimum (reduced formulas joined by ' + '), counted. */
  readonly products: ReadonlyArray<readonly [string, number]>;
}

export function reactionSamples(r: ReactionSetup, model: UncertaintyModel, seed: number, from: number, to: number): ReactionSamples {
  const samples = sampleRange(from, to);
  const { points, a, b } = r;
  const d = points.d;
  const nS = samples.length;
  const G = r.grid.length;
  const curve = new Float64Array(nS * G);
  const { minimum, t, seg, e1, e2 } = minima(r, model, seed, samples);
  const x = Float64Array.from(t, (tt) => toX(r, tt));
  const probes = new Float64Array(nS * d);
  for (let s = 0; s < nS; s++) {
    for (let k = 0; k < d; k++) probes[s * d + k] = (1 - t[s]!) * a[k]! + t[s]! * b[k]!;
    const nk = seg.count[s]!;
    let i = 0;
    for (let k = 0; k < G; k++) {
      const xx = r.grid[k]!;
      const tt = (xx * r.setup.factor1) / (r.setup.factor2 + xx * (r.setup.factor1 - r.setup.factor2));
      while (i < nk && seg.t[s * seg.maxK + i]! < tt) i++;
      curve[s * G + k] = lineAt(seg, s, i, tt) - tt * e1[s]! - (1 - tt) * e2[s]!;
    }
  }
  const at = hullAtSamples(points, model, seed, samples, probes, { perSample: true });
  const counts = new Map<string, number>();
  const scope = points.scope;
  for (let s = 0; s < nS; s++) {
    const names = new Set<string>();
    for (let i = 0; i < d; i++) {
      const g = at.group[s * d + i]!;
      if (g >= 0 && at.fraction[s * d + i]! > NUMERICAL_TOL) names.add(scope.index.entries[scope.entries[scope.gMem[scope.gOff[g]!]!]!]!.composition.reducedFormula);
    }
    const key = [...names].sort().join(' + ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { from, to, minimum, x, curve, products: [...counts] };
}

/** pymatgen _convert (norm): the mixing ratio on the atom scale of c1 and c2. */
function toX(r: ReactionSetup, t: number): number {
  const f1 = r.setup.factor1;
  const f2 = r.setup.factor2;
  return (t * f2) / ((1 - t) * f1 + t * f2);
}

/** h(t) on facet i of sample s. */
function lineAt(seg: SegmentSamples, s: number, i: number, t: number): number {
  const at = (s * (seg.maxK + 1) + i) * (2 + seg.d);
  return seg.lines[at]! + seg.lines[at + 1]! * t;
}

/**
 * The most negative reaction energy of each listed sample, and its mixing ratio t: the ends and
 * every kink (on the facet to its left), the first of the most negative.
 */
export function minima(
  r: ReactionSetup,
  model: UncertaintyModel,
  seed: number,
  samples: Int32Array,
): { minimum: Float64Array; t: Float64Array; seg: SegmentSamples; e1: Float64Array; e2: Float64Array } {
  const { setup, points, a, b } = r;
  const nS = samples.length;
  const seg = segmentSamples(points, model, seed, samples, a, b);
  const e1 = new Float64Array(nS);
  const e2 = new Float64Array(nS);
  reactantEnergies(r, model, seed, samples, seg, e1, e2);
  const minimum = new Float64Array(nS);
  const t = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    const nk = seg.count[s]!;
    if (nk < 0) throw new UncertaintyError(`the sampled hull along ${setup.c2.formula} → ${setup.c1.formula} could not be solved (sample ${samples[s]})`);
    const energy = (h: number, tt: number) => h - tt * e1[s]! - (1 - tt) * e2[s]!;
    let bestE = energy(lineAt(seg, s, 0, 0), 0);
    let bestT = 0;
    for (let i = 0; i <= nk; i++) {
      const tt = i < nk ? seg.t[s * seg.maxK + i]! : 1;
      const e = energy(lineAt(seg, s, i, tt), tt);
      if (e < bestE - 1e-12) {
        bestE = e;
        bestT = tt;
      }
    }
    minimum[s] = bestE;
    t[s] = bestT;
  }
  return { minimum, t, seg, e1, e2 };
}

/** pymatgen e1, e2 of each sample, on the scale of the points (see the module comment). */
function reactantEnergies(r: ReactionSetup, model: UncertaintyModel, seed: number, samples: Int32Array, seg: SegmentSamples, e1: Float64Array, e2: Float64Array): void {
  const { setup, points } = r;
  const nS = samples.length;
  const hullEnd = (s: number, end: 0 | 1) => lineAt(seg, s, end === 1 ? seg.count[s]! : 0, end);
  if (setup.open && !setup.includeNoMixingEnergy) {
    for (let s = 0; s < nS; s++) {
      e1[s] = hullEnd(s, 1);
      e2[s] = hullEnd(s, 0);
    }
    return;
  }
  const own = groupSamples(
    points.scope,
    model,
    seed,
    samples,
    Int32Array.from(r.groups, (g) => Math.max(g, 0)),
  );
  const closedHull = setup.open ? hullAtSamples(r.closed, model, seed, samples, r.closedQueries).value : undefined;
  for (let s = 0; s < nS; s++) {
    for (const q of [0, 1] as const) {
      const g = r.groups[q]!;
      const useEntry = !setup.useHullEnergy && g >= 0 && own.candidate[s * 2 + q] === 1;
      let e: number;
      if (!setup.open) e = useEntry ? own.f[s * 2 + q]! : hullEnd(s, q === 0 ? 1 : 0);
      else {
        const closedE = useEntry ? own.f[s * 2 + q]! : closedHull![s * 2 + q]!;
        const c = q === 0 ? setup.c1 : setup.c2;
        const factor = q === 0 ? setup.factor1 : setup.factor2;
        e = (closedE - c.atomicFraction(setup.open.element) * setup.open.mu) / factor;
      }
      (q === 0 ? e1 : e2)[s] = e;
    }
  }
}

export function mergeReactionSamples(parts: readonly ReactionSamples[]): ReactionSamples {
  if (parts.length === 1) return parts[0]!;
  const sorted = [...parts].sort((p, q) => p.from - q.from);
  const cat = (f: (p: ReactionSamples) => Float64Array) => {
    const out = new Float64Array(sorted.reduce((n, p) => n + f(p).length, 0));
    let at = 0;
    for (const p of sorted) {
      out.set(f(p), at);
      at += f(p).length;
    }
    return out;
  };
  const m = new Map<string, number>();
  for (const p of sorted) for (const [k, c] of p.products) m.set(k, (m.get(k) ?? 0) + c);
  return { from: sorted[0]!.from, to: sorted[sorted.length - 1]!.to, minimum: cat((p) => p.minimum), x: cat((p) => p.x), curve: cat((p) => p.curve), products: [...m] };
}

/** The largest standard error of the product sets' frequencies. */
export function reactionWorstSe(s: ReactionSamples): number {
  const n = s.minimum.length;
  let worst = 0;
  for (const [, c] of s.products) worst = Math.max(worst, probability(c, n).se);
  return worst;
}

/** What the summary of an interface's samples needs from its set-up (plain data). */
export interface ReactionInfo {
  readonly c1: string;
  readonly c2: string;
  readonly open: { readonly element: string; readonly voltage: number } | null;
  /** The deterministic minimum. */
  readonly minimum: { readonly x: number; readonly energyPerAtom: number; readonly products: readonly string[] };
  readonly grid: readonly number[];
}

export function reactionInfo(r: ReactionSetup): ReactionInfo {
  const m = r.reaction.minimum;
  return {
    c1: r.reaction.c1.reducedFormula,
    c2: r.reaction.c2.reducedFormula,
    open: r.reaction.open ? { element: r.reaction.open.element, voltage: r.reaction.open.voltage } : null,
    minimum: { x: m.x, energyPerAtom: m.energyPerAtom, products: m.kink.products.map((p) => p.formula).sort() },
    grid: Array.from(r.grid),
  };
}

/** An interface reaction under uncertainty (plain data). */
export interface SampledReaction {
  readonly c1: string;
  readonly c2: string;
  readonly open: { readonly element: string; readonly voltage: number } | null;
  /** The most negative reaction energy (eV per atom of mixture; per non-open atom when open). */
  readonly minimum: Distribution;
  /** x at the minimum. */
  readonly x: Distribution;
  /** Products at the minimum (reduced formulas, sorted), most frequent first. */
  readonly products: ReadonlyArray<Frequency<readonly string[]>>;
  /** Reaction energy vs x: 5, 50, 95 % quantiles. */
  readonly curve: { readonly x: readonly number[]; readonly q05: readonly number[]; readonly q50: readonly number[]; readonly q95: readonly number[] };
}

export function summarizeReaction(info: ReactionInfo, s: ReactionSamples): SampledReaction {
  const n = s.minimum.length;
  const G = info.grid.length;
  const col = new Float64Array(n);
  const q05: number[] = [];
  const q50: number[] = [];
  const q95: number[] = [];
  for (let k = 0; k < G; k++) {
    for (let i = 0; i < n; i++) col[i] = s.curve[i * G + k]!;
    const dist = distribution(col);
    q05.push(dist.q05);
    q50.push(dist.q50);
    q95.push(dist.q95);
  }
  const tally = new Tally<readonly string[]>();
  for (const [k, c] of s.products) tally.add(k, () => (k === '' ? [] : k.split(' + ')), c);
  return {
    c1: info.c1,
    c2: info.c2,
    open: info.open,
    minimum: distribution(s.minimum.slice()),
    x: distribution(s.x.slice()),
    products: tally.top(5),
    curve: { x: [...info.grid], q05, q50, q95 },
  };
}
