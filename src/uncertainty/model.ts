/**
 * The uncertainty of every entry of a dataset, as the sampler draws it: an independent standard
 * deviation per entry (eV/atom) and loadings on named errors shared across entries.
 *
 * Where the numbers come from (pymatgen's vocabulary):
 *  - `energy_adjustments`: each adjustment's uncertainty (`uncertainty_per_atom × n_atoms`, eV for
 *    the entry as written) is a loading on the adjustment's `name`. Every oxide carries "MP2020
 *    anion correction (oxide)": one error per O atom, the same for all of them, so it is drawn once
 *    per sample and shared (`corrections: 'independent'` draws it per entry instead, for comparison).
 *  - `correction_uncertainty`, where that is all there is: the entry's own error.
 *  - `uncertaintyPerAtom` (a CSV column `e_form_per_atom_std` / `uncertainty`): the entry's own error.
 *  - `sigma`: an independent error of every entry, elemental references included, on top.
 * Independent parts add in quadrature. Bad options fail with an UncertaintyError naming them.
 */
import type { Entry } from '../core/index.js';

/** Bad uncertainty input: a negative or non-finite σ, no samples, a bad seed or precision. */
export class UncertaintyError extends Error {
  override name = 'UncertaintyError';
}

/** How to sample, shared by every uncertainty-aware analysis. */
export interface SamplingOptions {
  /** Independent σ (eV/atom) added to every entry, elemental references included. Default 0. */
  sigma?: number;
  /** Samples to draw at most (default 1000). */
  samples?: number;
  /** Seed of the normal deviates (an integer 0 … 2³²−1; default 1). Same seed, same answer. */
  seed?: number;
  /**
   * Stop early once every reported probability has a Monte Carlo standard error ≤ this (e.g.
   * 0.01); samples are drawn in rounds of 250, 500, 1000, … up to `samples`. Default: draw all.
   */
  precision?: number;
  /**
   * `shared` (default): a named correction's error is drawn once per sample for every entry that
   * carries it. `independent`: drawn per entry (what ignoring the correlation would do).
   */
  corrections?: 'shared' | 'independent';
  /**
   * Use the uncertainties the entries carry (correction uncertainties, an uncertainty column).
   * Default true; false: only `sigma` (with sigma 0 the answers are the deterministic ones).
   */
  dataUncertainties?: boolean;
}

export interface ResolvedSampling {
  readonly sigma: number;
  readonly samples: number;
  readonly seed: number;
  readonly precision: number | undefined;
  readonly corrections: 'shared' | 'independent';
  readonly dataUncertainties: boolean;
}

export const DEFAULT_SAMPLES = 1000;

/** Checks sampling options; errors name the option and the value. */
export function resolveSampling(options: SamplingOptions = {}): ResolvedSampling {
  if (options === null || typeof options !== 'object') throw new UncertaintyError(`uncertainty options must be an object, got ${String(options)}`);
  const { sigma = 0, samples = DEFAULT_SAMPLES, seed = 1, precision, corrections = 'shared', dataUncertainties = true } = options;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) throw new UncertaintyError(`sigma must be a finite number >= 0 (eV/atom), got ${show(sigma)}`);
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 1) throw new UncertaintyError(`samples must be a whole number >= 1, got ${show(samples)}`);
  if (samples > 1e7) throw new UncertaintyError(`samples must be at most 10,000,000, got ${samples}`);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UncertaintyError(`seed must be a whole number 0 … 4294967295, got ${show(seed)}`);
  if (precision !== undefined && (typeof precision !== 'number' || !Number.isFinite(precision) || precision <= 0 || precision >= 0.5)) {
    throw new UncertaintyError(`precision must be a standard error between 0 and 0.5 (e.g. 0.01), got ${show(precision)}`);
  }
  if (corrections !== 'shared' && corrections !== 'independent') throw new UncertaintyError(`corrections must be 'shared' or 'independent', got ${show(corrections)}`);
  if (typeof dataUncertainties !== 'boolean') throw new UncertaintyError(`dataUncertainties must be true or false, got ${show(dataUncertainties)}`);
  return { sigma, samples, seed, precision, corrections, dataUncertainties };
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** The errors of a list of entries: what the kernel draws. */
export interface UncertaintyModel {
  /** Independent σ of each entry (eV/atom). */
  readonly sigma: Float64Array;
  /** Entry i's loadings are names[loadName[loadOff[i] … loadOff[i+1])] with loadVal (eV/atom per unit normal). */
  readonly loadOff: Int32Array;
  readonly loadName: Int32Array;
  readonly loadVal: Float64Array;
  /** The shared errors' names, in order of first appearance. */
  readonly names: readonly string[];
  /** True when every σ and loading is zero (the answers are the deterministic ones). */
  readonly exact: boolean;
}

/**
 * The model of `entries` (a SystemIndex's entries, added elemental references included) under
 * `options`: entry i's stream of normals is keyed by its position, each name by its order.
 */
export function uncertaintyModel(entries: readonly Entry[], options: ResolvedSampling): UncertaintyModel {
  const n = entries.length;
  const sigma = new Float64Array(n);
  const loadOff = new Int32Array(n + 1);
  const loadName: number[] = [];
  const loadVal: number[] = [];
  const nameIds = new Map<string, number>();
  const shared = options.corrections === 'shared';
  let exact = true;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const atoms = e.composition.numAtoms;
    const own = options.dataUncertainties;
    const named = own ? Object.entries(e.correctionUncertainties) : [];
    // correction_uncertainty counts only when no named parts itemise it.
    const whole = own && named.length === 0 ? e.correctionUncertainty / atoms : 0;
    let var2 = options.sigma ** 2 + (own ? e.uncertaintyPerAtom ** 2 : 0) + whole ** 2;
    for (const [name, u] of named) {
      const perAtom = u / atoms;
      if (perAtom === 0) continue;
      if (!shared) {
        var2 += perAtom * perAtom;
        continue;
      }
      let id = nameIds.get(name);
      if (id === undefined) {
        id = nameIds.size;
        nameIds.set(name, id);
      }
      loadName.push(id);
      loadVal.push(perAtom);
    }
    sigma[i] = Math.sqrt(var2);
    loadOff[i + 1] = loadName.length;
    if (var2 > 0) exact = false;
  }
  if (loadName.length) exact = false;
  return { sigma, loadOff, loadName: Int32Array.from(loadName), loadVal: Float64Array.from(loadVal), names: [...nameIds.keys()], exact };
}
