/**
 * The uncertainty analyses on an engine (this thread, the worker pool, later a queue): samples are
 * drawn in ranges by the jobs of uncertainty-jobs.ts, merged here in sample order and summarised —
 * the same numbers as the synchronous `sampledStabilities` / `sampledWindow` /
 * `sampledInterfaceReaction` on the same data. Also the screens' probability columns: P(stable) of
 * candidates against a reference, P(a coating passes every criterion).
 */
import type { Entry } from '../core/index.js';
import type { Engine, RunOptions } from '../engine/index.js';
import type { InterfaceReactionOptions } from '../interface/index.js';
import {
  checkRange,
  type Distribution,
  distribution,
  driveAsync,
  type EntryUncertainty,
  hullWorstSe,
  mergeHullSamples,
  mergeReactionSamples,
  mergeWindowSamples,
  type Probability,
  probability,
  reactionWorstSe,
  type ResolvedSampling,
  resolveSampling,
  rounds,
  type SampledReaction,
  type SampledWindow,
  type SamplingOptions,
  type SamplingReport,
  summarizeHull,
  summarizeReaction,
  summarizeWindow,
  type UncertaintyOptions,
  windowWorstSe,
} from '../uncertainty/index.js';
import { DATASET } from './dataset.js';
import {
  type CoatingsQuestion,
  UNCERTAIN_CANDIDATES,
  UNCERTAIN_COATINGS,
  UNCERTAIN_HULL,
  UNCERTAIN_HULL_LABELS,
  UNCERTAIN_REACTION,
  UNCERTAIN_REACTION_INFO,
  UNCERTAIN_WINDOW,
  UNCERTAIN_WINDOW_INFO,
  type WireCoating,
} from './uncertainty-jobs.js';

export interface EngineUncertaintyOptions extends UncertaintyOptions {
  /** The data (default: the embedded table). */
  data?: readonly Entry[];
  /** Its name in reports. */
  dataName?: string;
}

const report = (o: ResolvedSampling, samples: number, sharedErrors: readonly string[]): SamplingReport => ({
  samples,
  seed: o.seed,
  sigma: o.sigma,
  precision: o.precision ?? null,
  corrections: o.corrections,
  dataUncertainties: o.dataUncertainties,
  sharedErrors,
});

function runOptions(engine: Engine, options: EngineUncertaintyOptions): RunOptions {
  return { data: engine.data(DATASET, options.data, options.dataName), ...(options.signal ? { signal: options.signal } : {}) };
}

const drive = (engine: Engine, options: UncertaintyOptions) => ({
  parts: engine.size,
  ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  ...(options.signal ? { signal: options.signal } : {}),
});

/** `sampledStabilities` of a dataset on an engine: every entry's P(stable), E_hull band, decompositions. */
export async function sampledStabilitiesOnEngine(engine: Engine, options: EngineUncertaintyOptions = {}): Promise<SamplingReport & { entries: EntryUncertainty[] }> {
  const o = resolveSampling(options);
  const run = runOptions(engine, options);
  const labels = await engine.run(UNCERTAIN_HULL_LABELS, { sampling: o }, run);
  const merged = await driveAsync({ chunk: (from, to) => engine.run(UNCERTAIN_HULL, { sampling: o, from, to }, run), merge: mergeHullSamples, worstSe: hullWorstSe }, o, drive(engine, options));
  return { ...report(o, merged.to - merged.from, labels.sharedErrors), entries: summarizeHull(labels, merged) };
}

/** `sampledWindow` on an engine (a material: formula or common name). */
export async function sampledWindowOnEngine(
  engine: Engine,
  material: string | Record<string, number>,
  options: EngineUncertaintyOptions & { element?: string; valence?: number; covers?: readonly [number, number] } = {},
): Promise<SampledWindow & SamplingReport> {
  const o = resolveSampling(options);
  const range = checkRange(options.covers);
  const run = runOptions(engine, options);
  const q = { material, ...(options.element !== undefined ? { element: options.element } : {}), ...(options.valence !== undefined ? { valence: options.valence } : {}) };
  const info = await engine.run(UNCERTAIN_WINDOW_INFO, { ...q, sampling: o, from: 0, to: 0 }, run);
  const merged = await driveAsync(
    { chunk: (from, to) => engine.run(UNCERTAIN_WINDOW, { ...q, sampling: o, from, to }, run), merge: mergeWindowSamples, worstSe: (s) => windowWorstSe(s, range) },
    o,
    drive(engine, options),
  );
  return { ...summarizeWindow(info, merged, range), ...report(o, merged.reductionV.length, info.sharedErrors) };
}

/** `sampledInterfaceReaction` on an engine. */
export async function sampledReactionOnEngine(
  engine: Engine,
  c1: string | Record<string, number>,
  c2: string | Record<string, number>,
  options: EngineUncertaintyOptions & Pick<InterfaceReactionOptions, 'useHullEnergy' | 'open' | 'includeNoMixingEnergy'> = {},
): Promise<SampledReaction & SamplingReport> {
  const o = resolveSampling(options);
  const run = runOptions(engine, options);
  const { useHullEnergy, open, includeNoMixingEnergy } = options;
  const q = {
    c1,
    c2,
    options: { ...(useHullEnergy !== undefined ? { useHullEnergy } : {}), ...(open !== undefined ? { open } : {}), ...(includeNoMixingEnergy !== undefined ? { includeNoMixingEnergy } : {}) },
  };
  const info = await engine.run(UNCERTAIN_REACTION_INFO, { ...q, sampling: o, from: 0, to: 0 }, run);
  const merged = await driveAsync(
    { chunk: (from, to) => engine.run(UNCERTAIN_REACTION, { ...q, sampling: o, from, to }, run), merge: mergeReactionSamples, worstSe: reactionWorstSe },
    o,
    drive(engine, options),
  );
  return { ...summarizeReaction(info, merged), ...report(o, merged.minimum.length, info.sharedErrors) };
}

/** A candidate's stability against a reference under uncertainty. */
export interface CandidateUncertainty {
  /** P(the candidate lies on or below the reference hull: signed E_hull ≤ 0). */
  readonly pStable: Probability;
  /** The signed E_hull (eV/atom) over the samples. */
  readonly eAboveHull: Distribution;
  readonly samples: number;
}

/** First stream of the candidates' own errors: beyond every reference entry's position. */
export const CANDIDATE_STREAMS = 1 << 28;

/**
 * Candidates against a reference (`options.data`, default the embedded table) under uncertainty:
 * the candidate at input position `rows[i]` draws its own error on a stream of its own, so a row's
 * answer does not depend on the rows screened with it.
 */
export async function sampledCandidatesOnEngine(engine: Engine, candidates: readonly Entry[], rows: readonly number[], options: EngineUncertaintyOptions = {}): Promise<CandidateUncertainty[]> {
  const o = resolveSampling(options);
  const run = runOptions(engine, options);
  const wire = candidates.map((e) => entryWire(e));
  const keys = rows.map((r) => CANDIDATE_STREAMS + r);
  const n = candidates.length;
  type Part = { from: number; to: number; d: Float64Array };
  const merged = await driveAsync<Part>(
    {
      chunk: async (from, to) => ({ from, to, d: await engine.run(UNCERTAIN_CANDIDATES, { sampling: o, from, to, candidates: wire, keys }, run) }),
      merge: (parts) => {
        const sorted = [...parts].sort((a, b) => a.from - b.from);
        const from = sorted[0]!.from;
        const to = sorted[sorted.length - 1]!.to;
        const d = new Float64Array(n * (to - from));
        for (const p of sorted) for (let c = 0; c < n; c++) d.set(p.d.subarray(c * (p.to - p.from), (c + 1) * (p.to - p.from)), c * (to - from) + p.from - from);
        return { from, to, d };
      },
      worstSe: (p) => {
        let worst = 0;
        for (let c = 0; c < n; c++) worst = Math.max(worst, stableCount(p, c).se);
        return worst;
      },
    },
    o,
    drive(engine, options),
  );
  const m = merged.to - merged.from;
  return candidates.map((_, c) => ({ pStable: stableCount(merged, c), eAboveHull: distribution(merged.d.slice(c * m, (c + 1) * m)), samples: m }));
}

function stableCount(p: { from: number; to: number; d: Float64Array }, c: number): Probability {
  const m = p.to - p.from;
  let k = 0;
  for (let s = 0; s < m; s++) if (p.d[c * m + s]! <= 0) k++;
  return probability(k, m);
}

function entryWire(e: Entry) {
  return {
    id: e.id,
    amounts: e.composition.toDict(),
    ...(e.kind === 'formation' ? { eFormPerAtom: e.energyPerAtom } : { energy: e.energy }),
    ...(e.correctionUncertainty ? { correctionUncertainty: e.correctionUncertainty } : {}),
    ...(Object.keys(e.correctionUncertainties).length ? { correctionUncertainties: { ...e.correctionUncertainties } } : {}),
    ...(e.uncertaintyPerAtom ? { uncertaintyPerAtom: e.uncertaintyPerAtom } : {}),
  };
}

/** The probability that each coating passes every criterion, candidates stopped one by one at the precision. */
export async function coatingPassProbabilities(
  engine: Engine,
  candidates: readonly WireCoating[],
  coatingOptions: CoatingsQuestion['options'],
  options: EngineUncertaintyOptions & SamplingOptions = {},
): Promise<Array<{ probability: Probability; samples: number }>> {
  const o = resolveSampling(options);
  const run = runOptions(engine, options);
  const count = new Int32Array(candidates.length);
  const drawn = new Int32Array(candidates.length);
  let pending = candidates.map((_, i) => i);
  let done = 0;
  for (const n of rounds(o.samples, o.precision)) {
    options.signal?.throwIfAborted();
    const size = Math.max(1, Math.ceil(pending.length / (engine.size * 4)));
    const slices: number[][] = [];
    for (let i = 0; i < pending.length; i += size) slices.push(pending.slice(i, i + size));
    await Promise.all(
      slices.map(async (slice) => {
        const passes = await engine.run(UNCERTAIN_COATINGS, { sampling: o, from: done, to: n, options: coatingOptions, candidates: slice.map((i) => candidates[i]!) }, run);
        slice.forEach((i, k) => {
          count[i]! += passes[k]!;
          drawn[i] = n;
        });
      }),
    );
    done = n;
    options.onProgress?.(done, o.samples);
    if (o.precision === undefined) continue;
    const precision = o.precision;
    pending = pending.filter((i) => probability(count[i]!, drawn[i]!).se > precision);
    if (pending.length === 0) break;
  }
  return candidates.map((_, i) => ({ probability: probability(count[i]!, drawn[i]!), samples: drawn[i]! }));
}
