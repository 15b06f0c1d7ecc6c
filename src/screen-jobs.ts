/**
 * The screening workflows cut into jobs an engine worker can run on its own copy of the data:
 * a plan (thresholds, materials and candidates resolved against the data) and rows for a slice of
 * the candidates. Everything crossing the thread boundary is plain data (compositions as
 * {element: amount} maps, which rebuild exactly). Browser-safe.
 */
import { Composition } from './composition.js';
import { coatingRow, planCoatings, type CoatingOptions, type CoatingRow, type CoatingThresholds } from './screen-coatings.js';
import { ScreenWorkflowError, type Material, type ScreenData } from './screen-common.js';
import { interfaceRow, planInterfaces, type Electrode, type InterfaceRow, type InterfacesOptions } from './screen-interfaces.js';

/** A material as plain data. */
export interface WireMaterial {
  name: string;
  amounts: Record<string, number>;
}

export const toWire = (m: Material): WireMaterial => ({ name: m.name, amounts: m.composition.toDict() });
export const fromWire = (w: WireMaterial): Material => ({ name: w.name, composition: Composition.fromDict(w.amounts) });

/** Coating options that cross threads (no callbacks; candidates as plain materials). */
export type WireCoatingOptions = Omit<CoatingOptions, 'candidates' | 'onProgress' | 'limit'> & { candidates?: WireMaterial[] | string[] };

export interface WireCoatingCandidate {
  amounts: Record<string, number>;
  id: string | null;
  eHull: number | null;
}

export type WireInterfacesOptions = Omit<InterfacesOptions, 'electrolytes' | 'electrodes' | 'onProgress'> & {
  electrolytes?: Array<string | WireMaterial>;
  electrodes?: Array<string | Electrode>;
};

/** What each job takes and returns. */
export interface ScreenJobs {
  /** Nothing but preparing the data (index built): warms a worker while another plans. */
  prepare: { args: Record<string, never>; result: null };
  'coatings.plan': { args: WireCoatingOptions; result: { thresholds: CoatingThresholds; given: boolean; candidates: WireCoatingCandidate[] } };
  'coatings.rows': {
    args: { options: WireCoatingOptions; given: boolean; candidates: WireCoatingCandidate[] };
    result: { rows: CoatingRow[]; failed: Array<{ formula: string; error: string }> };
  };
  'interfaces.plan': {
    args: WireInterfacesOptions;
    result: { electrolytes: WireMaterial[]; electrodes: Array<Electrode & { material: WireMaterial }> };
  };
  'interfaces.rows': {
    args: { electrolyte: WireMaterial; electrodes: Array<{ material: WireMaterial; voltage: number }>; useHullEnergy: boolean };
    result: InterfaceRow[];
  };
}
export type ScreenJobName = keyof ScreenJobs;

const materialArg = (m: string | WireMaterial): string | Material => (typeof m === 'string' ? m : fromWire(m));

const handlers: { [K in ScreenJobName]: (data: ScreenData, args: ScreenJobs[K]['args']) => ScreenJobs[K]['result'] } = {
  prepare: () => null,
  'coatings.plan': (data, args) => {
    const plan = planCoatings(data, { ...args, ...(args.candidates ? { candidates: args.candidates.map(materialArg) } : {}) } as CoatingOptions);
    return {
      thresholds: plan.thresholds,
      given: plan.given,
      candidates: plan.candidates.map((c) => ({ amounts: c.composition.toDict(), id: c.id, eHull: c.eHull })),
    };
  },
  'coatings.rows': (data, { options, given, candidates }) => {
    const plan = { ...planCoatings(data, { ...options, candidates: [] } as CoatingOptions), given, candidates: [] };
    const rows: CoatingRow[] = [];
    const failed: Array<{ formula: string; error: string }> = [];
    for (const w of candidates) {
      const cand = { composition: Composition.fromDict(w.amounts), id: w.id, eHull: w.eHull };
      try {
        rows.push(coatingRow(cand, plan, data));
      } catch (err) {
        if (given) throw err;
        failed.push({ formula: cand.composition.reducedFormula, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { rows, failed };
  },
  'interfaces.plan': (data, args) => {
    const { electrolytes, ...rest } = args;
    const plan = planInterfaces(data, { ...rest, ...(electrolytes ? { electrolytes: electrolytes.map(materialArg) } : {}) });
    return {
      electrolytes: plan.electrolytes.map(toWire),
      electrodes: plan.electrodes.map((e) => ({ name: e.name, formula: e.formula, voltage: e.voltage, material: toWire(e.material) })),
    };
  },
  'interfaces.rows': (data, { electrolyte, electrodes, useHullEnergy }) =>
    electrodes.map((e) => interfaceRow(fromWire(electrolyte), fromWire(e.material), e.voltage, data, useHullEnergy)),
};

/** A job's outcome: its result, or the error it threw as plain data (bad input is not retried). */
export type JobOutcome<T> = { ok: T } | { error: { name: string; message: string } };

export function runScreenJob<K extends ScreenJobName>(data: ScreenData, name: K, args: ScreenJobs[K]['args']): JobOutcome<ScreenJobs[K]['result']> {
  const handler = handlers[name] as ((data: ScreenData, args: ScreenJobs[K]['args']) => ScreenJobs[K]['result']) | undefined;
  if (!handler) return { error: { name: 'ScreenWorkflowError', message: `unknown screening job ${JSON.stringify(name)}` } };
  try {
    return { ok: handler(data, args) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { error: { name: err.name, message: err.message } };
  }
}

/** The error a job returned, rebuilt on the calling side. */
export function jobError(e: { name: string; message: string }): Error {
  if (e.name === 'ScreenWorkflowError') return new ScreenWorkflowError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
