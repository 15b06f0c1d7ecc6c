/**
 * The screening workflows on an engine: the same results as `screenCoatings` and
 * `screenInterfaces`, computed as jobs (jobs.ts) in slices — on the pool each worker indexes the
 * data once. The plan (thresholds, materials, candidates) is a job too, so the calling thread
 * never builds the index: it only sends slices and ranks the rows.
 */
import { Composition, type Entry } from '../core/index.js';
import type { SamplingOptions } from '../uncertainty/index.js';
import type { DataHandle, Engine } from '../engine/index.js';
import { rankCoatings, type CoatingOptions, type CoatingRow, type CoatingsResult } from './coatings.js';
import { type Material, SCREEN_USE_HULL_ENERGY } from './common.js';
import type { InterfaceRow, InterfacesOptions, InterfacesResult } from './interfaces.js';
import { coatingPassProbabilities } from './uncertainty.js';
import { COATINGS_PLAN, COATINGS_ROWS, DATASET, INTERFACES_PLAN, INTERFACES_ROWS, PREPARE, toWire, type DatasetWire, type WireCoatingOptions, type WireInterfacesOptions } from './jobs.js';

export interface EngineScreenOptions {
  /** The data (default: the embedded table). */
  data?: readonly Entry[];
  /** Its name in reports (default `data`; the embedded table's own name). */
  dataName?: string;
  signal?: AbortSignal;
  /**
   * Coatings: sample the energies' uncertainty and report P(every criterion passes) per row
   * (`p_pass`); each row stops at `precision` (default 0.01 here) or `samples`.
   */
  uncertainty?: SamplingOptions;
}

const materialToWire = (m: string | Material) => (typeof m === 'string' ? m : toWire(m));

/** `screenCoatings` on the engine: candidates in slices, ranked here. */
export async function screenCoatingsOnEngine(engine: Engine, options: CoatingOptions & EngineScreenOptions = {}): Promise<CoatingsResult> {
  const { data, dataName, signal, onProgress, limit, candidates, uncertainty, ...rest } = options;
  const ds = engine.data(DATASET, data, dataName);
  const wire: WireCoatingOptions = { ...rest, ...(candidates ? { candidates: candidates.map(materialToWire) as WireCoatingOptions['candidates'] } : {}) };
  const run = { data: ds, ...(signal ? { signal } : {}) };
  const plan = await planWhileWarming(engine, ds, () => engine.run(COATINGS_PLAN, wire, run), signal);
  const list = plan.candidates;
  // Slices small enough to keep every worker busy to the end, large enough to amortise a message.
  const size = Math.max(4, Math.min(64, Math.ceil(list.length / (engine.size * 8))));
  let done = 0;
  const parts = await Promise.all(
    slices(list, size).map(async (slice) => {
      const r = await engine.run(COATINGS_ROWS, { options: wire, given: plan.given, candidates: slice }, run);
      done += slice.length;
      onProgress?.(done, list.length);
      return r;
    }),
  );
  const rows: CoatingRow[] = parts.flatMap((p) => p.rows);
  rankCoatings(rows);
  if (uncertainty) {
    const ps = await coatingPassProbabilities(
      engine,
      rows.map((r) => ({ amounts: Composition.parse(r.formula).toDict(), id: r.id })),
      rest,
      { precision: 0.01, ...uncertainty, ...(data ? { data } : {}), ...(dataName ? { dataName } : {}), ...(signal ? { signal } : {}) },
    );
    rows.forEach((r, i) => {
      r.p_pass = ps[i]!.probability.p;
      r.p_pass_se = ps[i]!.probability.se;
      r.pass_samples = ps[i]!.samples;
    });
  }
  return { thresholds: plan.thresholds, rows: limit !== undefined ? rows.slice(0, limit) : rows, candidates: list.length, failed: parts.flatMap((p) => p.failed) };
}

/** `screenInterfaces` on the engine: one job per electrolyte (its row of electrodes). */
export async function screenInterfacesOnEngine(engine: Engine, options: InterfacesOptions & EngineScreenOptions = {}): Promise<InterfacesResult> {
  const { data, dataName, signal, onProgress, electrolytes, ...rest } = options;
  const ds = engine.data(DATASET, data, dataName);
  const wire: WireInterfacesOptions = { ...rest, ...(electrolytes ? { electrolytes: electrolytes.map(materialToWire) } : {}) } as WireInterfacesOptions;
  const run = { data: ds, ...(signal ? { signal } : {}) };
  const plan = await planWhileWarming(engine, ds, () => engine.run(INTERFACES_PLAN, wire, run), signal);
  const total = plan.electrolytes.length * plan.electrodes.length;
  let done = 0;
  const rows: InterfaceRow[][] = await Promise.all(
    plan.electrolytes.map(async (electrolyte) => {
      const r = await engine.run(
        INTERFACES_ROWS,
        { electrolyte, electrodes: plan.electrodes.map((e) => ({ material: e.material, voltage: e.voltage })), useHullEnergy: options.useHullEnergy ?? SCREEN_USE_HULL_ENERGY },
        run,
      );
      done += r.length;
      onProgress?.(done, total);
      return r;
    }),
  );
  return {
    use_hull_energy: options.useHullEnergy ?? SCREEN_USE_HULL_ENERGY,
    rows: rows.flat(),
    electrolytes: plan.electrolytes.map((m) => m.name),
    electrodes: plan.electrodes.map(({ name, formula, voltage }) => ({ name, formula, voltage })),
  };
}

/** Runs the plan on one worker while the others index the data (each worker does so once). */
async function planWhileWarming<T>(engine: Engine, ds: DataHandle<DatasetWire>, plan: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const p = plan();
  const warm = Array.from({ length: engine.size - 1 }, () => engine.run(PREPARE, {}, { data: ds, ...(signal ? { signal } : {}) }).catch(() => null));
  const r = await p;
  await Promise.all(warm);
  return r;
}

function slices<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
