/**
 * The uncertainty-aware analyses in this thread: P(stable) and E_hull bands of every entry, a
 * window's limits with their distributions, linear error bars and staircase band, an interface
 * reaction's minimum with its distribution and product sets. The same computations run on the
 * engine's workers through the jobs of screen/uncertainty-jobs.ts, with identical results.
 */
import { Entry, type EntryInit } from '../core/index.js';
import type { InterfaceReactionOptions, ReactionDiagram } from '../interface/index.js';
import { PhaseDiagram, SystemIndex, type ThermoSource, type WindowOptions } from '../thermo/index.js';
import type { Composition } from '../core/index.js';
import { type EntryUncertainty, hullLabels, hullSamples, hullWorstSe, mergeHullSamples, summarizeHull } from './hull.js';
import { type ResolvedSampling, resolveSampling, type SamplingOptions, UncertaintyError, type UncertaintyModel, uncertaintyModel } from './model.js';
import type { InterfaceReaction } from '../interface/index.js';
import type { StabilityWindow } from '../thermo/index.js';
import { mergeReactionSamples, reactionInfo, reactionSamples, reactionSetup, reactionWorstSe, type SampledReaction, summarizeReaction } from './reaction.js';
import { drive } from './run.js';
import { mergeWindowSamples, type SampledWindow, summarizeWindow, windowInfo, windowSamples, windowSetup, windowWorstSe } from './window.js';

/** Sampling options, and where the run reports. */
export interface UncertaintyOptions extends SamplingOptions {
  /** Samples drawn so far, of at most `samples`. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** How a result was sampled (every uncertainty result carries it). */
export interface SamplingReport {
  /** Samples drawn (fewer than asked when the precision was reached). */
  readonly samples: number;
  readonly seed: number;
  /** The global independent σ (eV/atom). */
  readonly sigma: number;
  readonly precision: number | null;
  readonly corrections: 'shared' | 'independent';
  /** Whether the entries' own uncertainties were used (else only `sigma`). */
  readonly dataUncertainties: boolean;
  /** The shared errors drawn once per sample (MP2020 correction names), in order of first use. */
  readonly sharedErrors: readonly string[];
}

export function samplingReport(o: ResolvedSampling, model: UncertaintyModel, samples: number): SamplingReport {
  return { samples, seed: o.seed, sigma: o.sigma, precision: o.precision ?? null, corrections: o.corrections, dataUncertainties: o.dataUncertainties, sharedErrors: model.names };
}

const models = new WeakMap<SystemIndex, Map<string, UncertaintyModel>>();

/** The model of an index's entries under resolved options (kept per index and options). */
export function modelOf(index: SystemIndex, o: ResolvedSampling): UncertaintyModel {
  let byKey = models.get(index);
  if (!byKey) {
    byKey = new Map();
    models.set(index, byKey);
  }
  const key = `${o.sigma} ${o.corrections} ${o.dataUncertainties}`;
  let m = byKey.get(key);
  if (!m) {
    m = uncertaintyModel(index.entries, o);
    byKey.set(key, m);
  }
  return m;
}

/** An evaluated SystemIndex of a source (entries are indexed and evaluated). */
export function indexOfSource(source: PhaseDiagram | SystemIndex | Iterable<Entry | EntryInit>): SystemIndex {
  if (source instanceof PhaseDiagram) return source.systemIndex;
  if (source instanceof SystemIndex) return source;
  const entries: Entry[] = [];
  for (const e of source) entries.push(e instanceof Entry ? e : new Entry(e));
  return new SystemIndex(entries);
}

export interface SampledStabilities extends SamplingReport {
  /** Every entry of the index (added elemental references last), in order. */
  readonly entries: readonly EntryUncertainty[];
}

/**
 * P(stable), E_hull's distribution and the decompositions seen, for every entry of a dataset (a
 * PhaseDiagram, a SystemIndex or entries), each within its own chemical system.
 */
export function sampledStabilities(source: PhaseDiagram | SystemIndex | Iterable<Entry | EntryInit>, options: UncertaintyOptions = {}): SampledStabilities {
  const o = resolveSampling(options);
  const index = indexOfSource(source);
  const model = modelOf(index, o);
  const merged = drive({ chunk: (a, b) => hullSamples(index, model, o.seed, a, b), merge: mergeHullSamples, worstSe: hullWorstSe }, o, driveOptions(options));
  return { ...samplingReport(o, model, merged.to - merged.from), entries: summarizeHull(hullLabels(index), merged) };
}

export interface SampledWindowOptions extends WindowOptions, UncertaintyOptions {
  /** Also report P(the window covers [lo, hi] V): reduction limit ≤ lo, oxidation limit ≥ hi. */
  covers?: readonly [number, number];
}

export interface SampledWindowResult extends SampledWindow, SamplingReport {
  /** The deterministic window. */
  readonly window: StabilityWindow;
}

/** The stability window of a composition under uncertainty (see uncertainty/window.ts). */
export function sampledWindow(source: ThermoSource, composition: Composition | string, options: SampledWindowOptions = {}): SampledWindowResult {
  const o = resolveSampling(options);
  const range = checkRange(options.covers);
  const { element, valence } = options;
  const setup = windowSetup(source, composition, { ...(element !== undefined ? { element } : {}), ...(valence !== undefined ? { valence } : {}) });
  const model = modelOf(setup.points.scope.index, o);
  const merged = drive({ chunk: (a, b) => windowSamples(setup, model, o.seed, a, b), merge: mergeWindowSamples, worstSe: (s) => windowWorstSe(s, range) }, o, driveOptions(options));
  return { ...summarizeWindow(windowInfo(setup, model), merged, range), ...samplingReport(o, model, merged.to - merged.from), window: setup.window };
}

export interface SampledReactionResult extends SampledReaction, SamplingReport {
  /** The deterministic reaction. */
  readonly reaction: InterfaceReaction;
}

/** The interface reaction between c1 and c2 under uncertainty (see uncertainty/reaction.ts). */
export function sampledInterfaceReaction(
  c1: string | Composition,
  c2: string | Composition,
  diagram: ReactionDiagram,
  options: InterfaceReactionOptions & UncertaintyOptions = {},
): SampledReactionResult {
  const o = resolveSampling(options);
  const setup = reactionSetup(c1, c2, diagram, options);
  const model = modelOf(setup.points.scope.index, o);
  const merged = drive({ chunk: (a, b) => reactionSamples(setup, model, o.seed, a, b), merge: mergeReactionSamples, worstSe: reactionWorstSe }, o, driveOptions(options));
  return { ...summarizeReaction(reactionInfo(setup), merged), ...samplingReport(o, model, merged.to - merged.from), reaction: setup.reaction };
}

function driveOptions(o: UncertaintyOptions): { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } {
  return { ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) };
}

/** A voltage range [lo, hi] for `covers`, checked. */
export function checkRange(range: readonly [number, number] | undefined): readonly [number, number] | undefined {
  if (range === undefined) return undefined;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(range[0] <= range[1])) {
    throw new UncertaintyError(`covers must be a voltage range [lo, hi] with lo <= hi, got ${JSON.stringify(range)}`);
  }
  return [range[0], range[1]];
}
