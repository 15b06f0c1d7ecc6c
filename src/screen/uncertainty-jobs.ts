/**
 * The uncertainty analyses as jobs on the DATASET kind: each computes the samples [from, to) of one
 * question where it runs (this thread or a worker), so a caller cuts the samples into ranges, runs
 * them anywhere and merges them — the result does not depend on where or in how many pieces (each
 * sample is a pure function of the seed and its number). Set-ups (scopes, deterministic windows and
 * reactions) are kept per prepared dataset, so a worker builds each once. Errors are bad input:
 * reported at once, never retried.
 */
import { Composition, entryFromData, type EntryData } from '../core/index.js';
import { defineJob, type SerializedError } from '../engine/index.js';
import { checkArgsObject } from './wire-checks.js';
import type { InterfaceReactionOptions } from '../interface/index.js';
import {
  candidateDistances,
  compositionEHull,
  type HullLabels,
  hullLabels,
  type HullSamples,
  hullSamples,
  limitsSetup,
  minima,
  modelOf,
  type ReactionInfo,
  reactionInfo,
  type ReactionSamples,
  type ReactionSetup,
  reactionSamples,
  reactionSetup,
  type ResolvedSampling,
  sampleRange,
  UncertaintyError,
  type WindowInfo,
  windowInfo,
  type WindowSamples,
  type WindowSetup,
  windowLimits,
  windowSamples,
  windowSetup,
} from '../uncertainty/index.js';
import { type CoatingOptions, type CoatingPlan, planCoatings } from './coatings.js';
import { resolveMaterial, type ScreenData, ScreenWorkflowError } from './common.js';
import { DATASET } from './dataset.js';

const inputErrors = {
  errors: 'input',
  rebuildError: (e: SerializedError): Error => {
    const err = e.name === 'ScreenWorkflowError' ? new ScreenWorkflowError(e.message) : e.name === 'UncertaintyError' ? new UncertaintyError(e.message) : new Error(e.message);
    err.name = e.name;
    return err;
  },
} as const;

/** A sample range of a question. */
export interface SampleRange {
  sampling: ResolvedSampling;
  from: number;
  to: number;
}

const setups = new WeakMap<ScreenData, Map<string, unknown>>();

/** A set-up kept per dataset and key (built on first use). */
function kept<T>(data: ScreenData, key: string, make: () => T): T {
  let m = setups.get(data);
  if (!m) {
    m = new Map();
    setups.set(data, m);
  }
  if (!m.has(key)) {
    if (m.size >= 4096) m.clear();
    m.set(key, make());
  }
  return m.get(key) as T;
}

const material = (m: string | Record<string, number>, data: ScreenData, what: string): Composition => (typeof m === 'string' ? resolveMaterial(m, data, what).composition : Composition.fromDict(m));

export const UNCERTAIN_HULL = defineJob<SampleRange, HullSamples, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.hull',
  data: DATASET,
  ...inputErrors,
  run: (data, { sampling, from, to }) => hullSamples(data.index, modelOf(data.index, sampling), sampling.seed, from, to),
  buffers: (r) => [r.ehull.buffer, r.stable.buffer],
});

/** What a summary needs to know of the set-up, and the shared errors (correction names) drawn. */
export type WithErrors<T> = T & { sharedErrors: string[] };

const withErrors = <T>(data: ScreenData, sampling: ResolvedSampling, info: T): WithErrors<T> => ({ ...info, sharedErrors: [...modelOf(data.index, sampling).names] });

/** Ids and formulas of the dataset's entries (what the hull's samples are about). */
export const UNCERTAIN_HULL_LABELS = defineJob<{ sampling: ResolvedSampling }, WithErrors<HullLabels>, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.hull.labels',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => withErrors(data, q.sampling, hullLabels(data.index)),
});

export interface WindowQuestion extends SampleRange {
  material: string | Record<string, number>;
  element?: string;
  valence?: number;
}

export function windowSetupOf(data: ScreenData, q: Omit<WindowQuestion, keyof SampleRange>): WindowSetup {
  const { material: m, element, valence } = q;
  return kept(data, `window ${JSON.stringify([m, element, valence])}`, () =>
    windowSetup(data.index, material(m, data, 'material'), { ...(element !== undefined ? { element } : {}), ...(valence !== undefined ? { valence } : {}) }),
  );
}

export const UNCERTAIN_WINDOW = defineJob<WindowQuestion, WindowSamples, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.window',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => windowSamples(windowSetupOf(data, q), modelOf(data.index, q.sampling), q.sampling.seed, q.from, q.to),
  buffers: (r) => [r.reductionV.buffer, r.oxidationV.buffer, r.evolution.buffer],
});

/** The deterministic window and linear error bars its summary needs. */
export const UNCERTAIN_WINDOW_INFO = defineJob<WindowQuestion, WithErrors<WindowInfo>, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.window.info',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => withErrors(data, q.sampling, windowInfo(windowSetupOf(data, q), modelOf(data.index, q.sampling))),
});

export interface ReactionQuestion extends SampleRange {
  c1: string | Record<string, number>;
  c2: string | Record<string, number>;
  options: Pick<InterfaceReactionOptions, 'useHullEnergy' | 'open' | 'includeNoMixingEnergy'>;
}

export function reactionSetupOf(data: ScreenData, q: Omit<ReactionQuestion, keyof SampleRange>): ReactionSetup {
  return kept(data, `reaction ${JSON.stringify([q.c1, q.c2, q.options])}`, () => reactionSetup(material(q.c1, data, 'c1'), material(q.c2, data, 'c2'), data.index, q.options));
}

export const UNCERTAIN_REACTION = defineJob<ReactionQuestion, ReactionSamples, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.reaction',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => reactionSamples(reactionSetupOf(data, q), modelOf(data.index, q.sampling), q.sampling.seed, q.from, q.to),
  buffers: (r) => [r.minimum.buffer, r.x.buffer, r.curve.buffer],
});

export const UNCERTAIN_REACTION_INFO = defineJob<ReactionQuestion, WithErrors<ReactionInfo>, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.reaction.info',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => withErrors(data, q.sampling, reactionInfo(reactionSetupOf(data, q))),
});

/** Candidates of a stability screen against the dataset: their signed distances, cand-major. */
export interface CandidatesQuestion extends SampleRange {
  candidates: EntryData[];
  /** Stream of each candidate's own error (distinct from the reference's entries). */
  keys: number[];
}

export const UNCERTAIN_CANDIDATES = defineJob<CandidatesQuestion, Float64Array, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.candidates',
  data: DATASET,
  ...inputErrors,
  run: (data, q) => candidateDistances(data.index, modelOf(data.index, q.sampling), q.sampling, sampleRange(q.from, q.to), q.candidates.map(entryFromData), Int32Array.from(q.keys)),
  buffers: (r) => [r.buffer],
});

/** Coating candidates as plain data. */
export interface WireCoating {
  amounts: Record<string, number>;
  id: string | null;
}

export interface CoatingsQuestion extends SampleRange {
  options: Omit<CoatingOptions, 'candidates' | 'onProgress' | 'limit'>;
  candidates: WireCoating[];
}

/** Samples (of [from, to)) in which each coating passes every criterion. */
export const UNCERTAIN_COATINGS = defineJob<CoatingsQuestion, Int32Array, ScreenData>({
  validate: checkArgsObject, // from a queue: an object; the samplers check the rest as bad input
  name: 'uncertainty.coatings',
  data: DATASET,
  ...inputErrors,
  run(data, q) {
    const plan = kept(data, `coatings ${JSON.stringify(q.options)}`, () => planCoatings(data, { ...q.options, candidates: [] }));
    return Int32Array.from(q.candidates, (c) => coatingPasses(data, plan, c, q));
  },
  buffers: (r) => [r.buffer],
});

/**
 * In how many samples a coating passes every criterion of the plan, judged on the same perturbed
 * energies. Criteria go cheapest first, each on the samples that passed the ones before: E_hull,
 * the window, then the four reactions. The band gap is not sampled (a data value).
 */
export function coatingPasses(data: ScreenData, plan: CoatingPlan, cand: WireCoating, q: SampleRange): number {
  const c = Composition.fromDict(cand.amounts);
  const model = modelOf(data.index, q.sampling);
  const { seed } = q.sampling;
  const g = data.index.groups.byKey.get(c.key);
  if (g === undefined) return 0; // no entry: E_hull unknown, never passes
  const gap = data.index.entries[data.index.groups.lowest[g]!]!.bandGap;
  if (gap !== undefined && gap < plan.minGap) return 0;
  let samples = sampleRange(q.from, q.to);
  const keep = (ok: (s: number) => boolean) => {
    samples = samples.filter((_, s) => ok(s));
    return samples.length > 0;
  };
  const eh = compositionEHull(data.index, model, seed, samples, c)!;
  if (!keep((s) => eh[s]! <= plan.maxEHull + 1e-12)) return 0;
  const lim = windowLimits(
    kept(data, `limits ${c.key}`, () => limitsSetup(data.index, c, 'Li')),
    model,
    seed,
    samples,
  );
  if (!keep((s) => lim.reductionV[s]! <= plan.range[0] + 1e-9 && lim.oxidationV[s]! >= plan.range[1] - 1e-9)) return 0;
  for (const other of [plan.cathode, plan.electrolyte]) {
    if (other.composition.key === c.key) continue; // no interface with itself: energy 0
    for (const open of plan.openReactions ? [false, true] : [false]) {
      const options = { useHullEnergy: plan.useHullEnergy, ...(open ? { open: { element: 'Li', voltage: plan.range[1] }, includeNoMixingEnergy: false } : {}) };
      const setup = reactionSetupOf(data, { c1: cand.amounts, c2: other.composition.toDict(), options });
      const m = minima(setup, model, seed, samples).minimum;
      if (!keep((s) => m[s]! >= -plan.maxReaction)) return 0;
    }
  }
  return samples.length;
}

export const UNCERTAINTY_JOBS = [
  UNCERTAIN_HULL,
  UNCERTAIN_HULL_LABELS,
  UNCERTAIN_WINDOW,
  UNCERTAIN_WINDOW_INFO,
  UNCERTAIN_REACTION,
  UNCERTAIN_REACTION_INFO,
  UNCERTAIN_CANDIDATES,
  UNCERTAIN_COATINGS,
] as const;
