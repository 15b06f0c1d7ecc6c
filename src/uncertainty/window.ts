/**
 * Electrochemical stability windows under uncertain energies. Each sample's element profile is the
 * hull along the tie line from the open element to the composition without it (as the exact
 * deterministic profile, element-profile.ts): its kinks give the uptake per formula unit
 * (n_rest·(1 − t)/t − n_open at kink t) and its facets the open element's chemical potential, so
 * each sample yields both limits and the whole staircase. Also here: the first-order (linear) error
 * of each limit from the reaction that sets it, the estimate of the IBM Phase-stability-analyzer,
 *   σ_V = sqrt(Σ_i (ν_i σ_i)² + Σ_k (Σ_i ν_i L_ik)²) / (n z)
 * with ν_i the atoms of entry i made (+) or used (−) per formula unit between the two phase
 * equilibria the limit separates (the open element's reference among them, for the n atoms taken
 * up), σ_i its independent error and L_ik its loading on a shared correction k (added before
 * squaring: a shared error cancels where it enters both sides).
 */
import type { Composition } from '../core/index.js';
import { type ProfileStep, type StabilityWindow, stabilityWindow, type ThermoSource, type WindowOptions } from '../thermo/index.js';
import { UncertaintyError, type UncertaintyModel } from './model.js';
import { sampleRange } from './kernel.js';
import { closedPoints, hullAtSamples, type PointSet, scopeOf, segmentSamples } from './points.js';
import { type Distribution, distribution, type Frequency, type Probability, probability, Tally } from './stats.js';

/** What every sample of one window shares. */
export interface WindowSetup {
  /** The deterministic window (validates the input; its profile gives the linear error bars). */
  readonly window: StabilityWindow;
  readonly points: PointSet;
  /** The tie line: the pure open element (a) to the composition without it (b). */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Position of the open element among the coordinates. */
  readonly open: number;
  /** Atoms per formula unit: not the open element, the open element, all. */
  readonly nRest: number;
  readonly nOpen: number;
  readonly nAtoms: number;
  /** Voltages of the staircase band, 0 … vMax. */
  readonly grid: Float64Array;
}

const GRID_POINTS = 501;
const ZERO_EVOLUTION = 1e-8; // element-profile.ts: |evolution| ≤ this × atoms counts as none
const NUMERICAL_TOL = 1e-8;

export function windowSetup(source: ThermoSource, composition: Composition | string, options: WindowOptions = {}): WindowSetup {
  const window = stabilityWindow(source, composition, options);
  const comp = window.composition;
  const el = window.element;
  if (Number.isNaN(window.valence)) throw new UncertaintyError(`no ion valence for ${el}: give { valence } to sample its window in volts`);
  const index = scopeIndex(source);
  const els = [...new Set([...comp.elements, el])].sort();
  const scope = scopeOf(index, els);
  const points = closedPoints(scope);
  const open = els.indexOf(el);
  const nOpen = comp.amount(el);
  const nRest = comp.numAtoms - nOpen;
  const a = Float64Array.from(els, (x) => (x === el ? 1 : 0));
  const b = Float64Array.from(els, (x) => (x === el ? 0 : comp.amount(x) / nRest));
  const steps = window.profile.steps;
  const last = steps.length ? steps[steps.length - 1]!.voltage : 0;
  const vMax = Math.ceil(Math.max(5, (Number.isFinite(last) ? last : 0) + 1));
  const grid = Float64Array.from({ length: GRID_POINTS }, (_, i) => (vMax * i) / (GRID_POINTS - 1));
  return { window, points, a, b, open, nRest, nOpen, nAtoms: comp.numAtoms, grid };
}

function scopeIndex(source: ThermoSource) {
  return 'systemIndex' in source ? source.systemIndex : source;
}

/** Samples [from, to) of a window: both limits (V), the staircase on the grid, the products beyond. */
export interface WindowSamples {
  readonly from: number;
  readonly to: number;
  readonly reductionV: Float64Array;
  readonly oxidationV: Float64Array;
  /** Uptake per formula unit at grid voltage k in sample s: evolution[s·grid + k]. */
  readonly evolution: Float64Array;
  /** Products (reduced formulas joined by ' + ') beyond each limit, counted; 'none' where there is none. */
  readonly beyond: readonly [ReadonlyArray<readonly [string, number]>, ReadonlyArray<readonly [string, number]>];
}

export function windowSamples(setup: WindowSetup, model: UncertaintyModel, seed: number, from: number, to: number): WindowSamples {
  const { points, a, b, open, nRest, nOpen, nAtoms, grid } = setup;
  const z = setup.window.valence;
  const nS = to - from;
  const d = points.d;
  const samples = sampleRange(from, to);
  const seg = segmentSamples(points, model, seed, samples, a, b);
  const reductionV = new Float64Array(nS);
  const oxidationV = new Float64Array(nS);
  const G = grid.length;
  const evolution = new Float64Array(nS * G);
  // The compositions beyond each limit, per sample (the composition itself where there is none).
  const probes = new Float64Array(nS * 2 * d);
  const none = new Uint8Array(nS * 2);
  const w = 2 + d;
  const zero = ZERO_EVOLUTION * nAtoms;
  for (let s = 0; s < nS; s++) {
    const nk = seg.count[s]!;
    if (nk < 0) throw new UncertaintyError(`the sampled ${setup.window.element} profile of ${setup.window.composition.reducedFormula} could not be solved (sample ${from + s})`);
    const ts: number[] = [];
    const mus: number[] = [];
    const evols: number[] = [];
    for (let i = 0; i <= nk; i++) {
      const t = i < nk ? seg.t[s * seg.maxK + i]! : 1;
      ts.push(t);
      mus.push(seg.lines[(s * (seg.maxK + 1) + i) * w + 2 + open]! + 0);
      evols.push((nRest * (1 - t)) / t - nOpen);
    }
    let i0 = evols.findIndex((e) => Math.abs(e) <= zero);
    let red: number;
    let ox: number;
    let below: number;
    let above: number;
    if (i0 >= 0) {
      red = mus[i0]!;
      ox = i0 + 1 < mus.length ? mus[i0 + 1]! : -Infinity;
      below = i0 - 1;
      above = i0 + 1 < mus.length ? i0 + 1 : -1;
    } else {
      i0 = evols.findIndex((e) => e < 0);
      red = ox = mus[i0]!;
      below = i0 - 1;
      above = i0;
    }
    reductionV[s] = -red / z + 0;
    oxidationV[s] = -ox / z + 0;
    const probe = (slot: number, step: number) => {
      const t = step >= 0 ? ts[step]! : 1;
      if (step < 0) none[s * 2 + slot] = 1;
      for (let k = 0; k < d; k++) probes[(s * 2 + slot) * d + k] = (1 - t) * a[k]! + t * b[k]!;
    };
    probe(0, below);
    probe(1, above);
    // The staircase: step i holds from its voltage up to the next one's.
    let i = 0;
    for (let k = 0; k < G; k++) {
      const v = grid[k]!;
      while (i + 1 < mus.length && -mus[i + 1]! / z <= v) i++;
      evolution[s * G + k] = Math.abs(evols[i]!) <= zero ? 0 : evols[i]!;
    }
  }
  const at = hullAtSamples(points, model, seed, samples, probes, { perSample: true });
  const tallies = [new Map<string, number>(), new Map<string, number>()];
  for (let s = 0; s < nS; s++) {
    for (let slot = 0; slot < 2; slot++) {
      let key = 'none';
      if (!none[s * 2 + slot]) {
        const names: string[] = [];
        for (let i = 0; i < d; i++) {
          const j = (s * 2 + slot) * d + i;
          const g = at.group[j]!;
          if (g >= 0 && at.fraction[j]! > NUMERICAL_TOL) names.push(groupFormula(points, g));
        }
        key = names.sort().join(' + ');
      }
      tallies[slot]!.set(key, (tallies[slot]!.get(key) ?? 0) + 1);
    }
  }
  return { from, to, reductionV, oxidationV, evolution, beyond: [[...tallies[0]!], [...tallies[1]!]] };
}

function groupFormula(points: PointSet, g: number): string {
  const { scope } = points;
  return scope.index.entries[scope.entries[scope.gMem[scope.gOff[g]!]!]!]!.composition.reducedFormula;
}

export function mergeWindowSamples(parts: readonly WindowSamples[]): WindowSamples {
  if (parts.length === 1) return parts[0]!;
  const sorted = [...parts].sort((x, y) => x.from - y.from);
  const cat = (f: (p: WindowSamples) => Float64Array) => {
    const out = new Float64Array(sorted.reduce((n, p) => n + f(p).length, 0));
    let at = 0;
    for (const p of sorted) {
      out.set(f(p), at);
      at += f(p).length;
    }
    return out;
  };
  const join = (slot: 0 | 1) => {
    const m = new Map<string, number>();
    for (const p of sorted) for (const [k, c] of p.beyond[slot]) m.set(k, (m.get(k) ?? 0) + c);
    return [...m];
  };
  return {
    from: sorted[0]!.from,
    to: sorted[sorted.length - 1]!.to,
    reductionV: cat((p) => p.reductionV),
    oxidationV: cat((p) => p.oxidationV),
    evolution: cat((p) => p.evolution),
    beyond: [join(0), join(1)],
  };
}

/** P(the window covers [lo, hi] V): reduction limit ≤ lo and oxidation limit ≥ hi. */
export function coverProbability(s: WindowSamples, range: readonly [number, number]): Probability {
  let k = 0;
  for (let i = 0; i < s.reductionV.length; i++) if (s.reductionV[i]! <= range[0] && s.oxidationV[i]! >= range[1]) k++;
  return probability(k, s.reductionV.length);
}

/** The largest standard error of the window's probabilities (coverage, products beyond). */
export function windowWorstSe(s: WindowSamples, range?: readonly [number, number]): number {
  let worst = range ? coverProbability(s, range).se : 0;
  const n = s.reductionV.length;
  for (const slot of s.beyond) for (const [, c] of slot) worst = Math.max(worst, probability(c, n).se);
  return worst;
}

/** What the summary of a window's samples needs from its set-up (plain data). */
export interface WindowInfo {
  /** Reduced formula, open element, ion charge. */
  readonly composition: string;
  readonly element: string;
  readonly valence: number;
  /** The deterministic limits (V; +∞ without oxidation). */
  readonly reductionV: number;
  readonly oxidationV: number;
  /** First-order errors of the deterministic limits (V; 0 at 0 V, null when infinite). */
  readonly linearSigma: readonly [number | null, number | null];
  readonly grid: readonly number[];
}

export function windowInfo(setup: WindowSetup, model: UncertaintyModel): WindowInfo {
  const w = setup.window;
  return {
    composition: w.composition.reducedFormula,
    element: w.element,
    valence: w.valence,
    reductionV: w.reduction.voltage,
    oxidationV: w.oxidation.voltage,
    linearSigma: [linearSigma(setup, model, 0), linearSigma(setup, model, 1)],
    grid: Array.from(setup.grid),
  };
}

/** One limit of a sampled window. */
export interface LimitUncertainty {
  /** The deterministic limit (V). */
  readonly voltage: number;
  /** Over the samples (V). */
  readonly distribution: Distribution;
  /** First-order error (V) from the reaction that sets the deterministic limit; 0 at 0 V, null when infinite. */
  readonly linearSigma: number | null;
  /** Products beyond the limit (reduced formulas, sorted), most frequent first; [] where there is none. */
  readonly beyond: ReadonlyArray<Frequency<readonly string[]>>;
}

/** A window under uncertainty (plain data). */
export interface SampledWindow {
  readonly composition: string;
  readonly element: string;
  readonly reduction: LimitUncertainty;
  readonly oxidation: LimitUncertainty;
  /** P(the window covers the range asked for). */
  readonly covers?: { readonly range: readonly [number, number]; readonly probability: Probability };
  /** Uptake (+) / release (−) per formula unit vs voltage: 5, 50, 95 % quantiles on a grid. */
  readonly staircase: { readonly voltage: readonly number[]; readonly q05: readonly number[]; readonly q50: readonly number[]; readonly q95: readonly number[] };
}

export function summarizeWindow(info: WindowInfo, s: WindowSamples, range?: readonly [number, number]): SampledWindow {
  const n = s.reductionV.length;
  const G = info.grid.length;
  const q05: number[] = [];
  const q50: number[] = [];
  const q95: number[] = [];
  const col = new Float64Array(n);
  for (let k = 0; k < G; k++) {
    for (let i = 0; i < n; i++) col[i] = s.evolution[i * G + k]!;
    const dist = distribution(col);
    q05.push(dist.q05);
    q50.push(dist.q50);
    q95.push(dist.q95);
  }
  const limit = (slot: 0 | 1): LimitUncertainty => {
    const tally = new Tally<readonly string[]>();
    for (const [k, c] of s.beyond[slot]) tally.add(k, () => (k === 'none' ? [] : k.split(' + ')), c);
    return {
      voltage: slot === 0 ? info.reductionV : info.oxidationV,
      distribution: distribution((slot === 0 ? s.reductionV : s.oxidationV).slice()),
      linearSigma: info.linearSigma[slot],
      beyond: tally.top(5),
    };
  };
  return {
    composition: info.composition,
    element: info.element,
    reduction: limit(0),
    oxidation: limit(1),
    ...(range ? { covers: { range, probability: coverProbability(s, range) } } : {}),
    staircase: { voltage: [...info.grid], q05, q50, q95 },
  };
}

/**
 * The first-order error (V) of a deterministic limit (0: reduction, 1: oxidation): the facet μ
 * between two consecutive phase equilibria of the profile moves by (Σ ν_i δ_i)/n, see the module
 * comment.
 */
export function linearSigma(setup: WindowSetup, model: UncertaintyModel, which: 0 | 1): number | null {
  const w = setup.window;
  const steps = w.profile.steps;
  const zero = ZERO_EVOLUTION * setup.nAtoms;
  let i0 = steps.findIndex((st) => Math.abs(st.evolution) <= zero);
  let j: number;
  if (i0 >= 0) j = which === 0 ? i0 : i0 + 1;
  else {
    i0 = steps.findIndex((st) => st.evolution < 0);
    j = i0;
  }
  if (j >= steps.length) return null;
  if (j === 0) return 0; // the facet touching the pure element: μ = 0 by definition
  const index = setup.points.scope.index;
  const coef = new Map<number, number>();
  const add = (step: ProfileStep, sign: number) => {
    const atoms = setup.nAtoms + step.evolution;
    for (const p of step.phases) {
      const i = index.indexOf(p.entry)!;
      coef.set(i, (coef.get(i) ?? 0) + sign * p.fraction * atoms);
    }
  };
  add(steps[j - 1]!, 1);
  add(steps[j]!, -1);
  const n = steps[j - 1]!.evolution - steps[j]!.evolution;
  const ref = index.indexOf(index.refs.get(w.element)!)!;
  coef.set(ref, (coef.get(ref) ?? 0) - n);
  let var2 = 0;
  const shared = new Map<number, number>();
  for (const [i, c] of coef) {
    var2 += (c * model.sigma[i]!) ** 2;
    for (let l = model.loadOff[i]!; l < model.loadOff[i + 1]!; l++) shared.set(model.loadName[l]!, (shared.get(model.loadName[l]!) ?? 0) + c * model.loadVal[l]!);
  }
  for (const v of shared.values()) var2 += v * v;
  return Math.sqrt(var2) / Math.abs(n) / w.valence;
}
