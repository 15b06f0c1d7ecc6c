// `--uncertainty` on the command line: the flags every command shares (σ, samples, seed, precision,
// workers), the engine the sampling runs on, and how distributions and probabilities are written
// (JSON keys and table text).
import { writeFile } from 'node:fs/promises';
import { createEngine, type Engine, localEngine } from '../engine/index.js';
import type { Distribution, Probability, SamplingOptions, SamplingReport } from '../uncertainty/index.js';
import { availableParallelism } from 'node:os';
import { fileErrorReason, numberFlag, type Parsed, UsageError } from './args.js';
import { workersFlag } from './workers-flag.js';

export { UNCERTAINTY_BOOLEAN, UNCERTAINTY_USAGE, UNCERTAINTY_VALUED } from './uncertainty-flags.js';

/** The sampling options of `--uncertainty …`; undefined without `--uncertainty`. */
export function samplingFlags(p: Parsed): SamplingOptions | undefined {
  const given = ['sigma', 'samples', 'seed', 'precision', 'independent-corrections'].filter((f) => p.flags.has(f));
  if (!p.flags.has('uncertainty')) {
    if (given.length) throw new UsageError(`--${given[0]} needs --uncertainty`);
    return undefined;
  }
  const sigma = numberFlag(p, 'sigma', 0);
  const samples = numberFlag(p, 'samples', 1);
  const seed = numberFlag(p, 'seed', 0);
  const precision = numberFlag(p, 'precision', 0);
  if (samples !== undefined && !Number.isInteger(samples)) throw new UsageError(`--samples needs a whole number >= 1, got ${samples}`);
  if (seed !== undefined && !(Number.isInteger(seed) && seed <= 0xffffffff)) throw new UsageError(`--seed needs a whole number 0 … 4294967295, got ${seed}`);
  if (precision !== undefined && !(precision > 0 && precision < 0.5)) throw new UsageError(`--precision needs a standard error between 0 and 0.5 (e.g. 0.01), got ${precision}`);
  return {
    ...(sigma !== undefined ? { sigma } : {}),
    ...(samples !== undefined ? { samples } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(precision !== undefined ? { precision } : {}),
    ...(p.flags.has('independent-corrections') ? { corrections: 'independent' as const } : {}),
  };
}

/** --workers N for sampling (absent or 0: this thread). */
export function samplingWorkers(p: Parsed): number {
  return workersFlag(p, 0, availableParallelism()) ?? 0;
}

/** Runs `fn` on this thread's engine (0 workers) or on a pool closed afterwards. */
export async function withEngine<T>(workers: number, fn: (engine: Engine) => Promise<T>): Promise<T> {
  if (workers === 0) return fn(localEngine());
  const engine = await createEngine({ workers });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** A distribution in JSON: mean, std, the 5/50/95 % quantiles and the standard error of each. */
export function distributionJson(d: Distribution) {
  return {
    mean: finite(d.mean),
    mean_se: finite(d.meanSe),
    std: finite(d.std),
    q05: finite(d.q05),
    q50: finite(d.q50),
    q95: finite(d.q95),
    q05_se: finite(d.q05Se),
    q50_se: finite(d.q50Se),
    q95_se: finite(d.q95Se),
  };
}

export const probabilityJson = (p: Probability) => ({ p: p.p, se: p.se });

/** How the samples were drawn, in JSON. */
export function samplingJson(r: SamplingReport) {
  return {
    samples: r.samples,
    seed: r.seed,
    sigma: r.sigma,
    precision: r.precision,
    corrections: r.corrections,
    shared_errors: [...r.sharedErrors],
  };
}

/** "1.721 [1.695, 1.748]": median and 5–95 % range. */
export function bandText(d: Distribution, digits = 3): string {
  const f = (v: number) => (v === Infinity ? '∞' : v === -Infinity ? '−∞' : (Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v).toFixed(digits));
  return `${f(d.q50)} [${f(d.q05)}, ${f(d.q95)}]`;
}

export const percent = (p: number): string => `${(100 * p).toFixed(p > 0 && p < 0.001 ? 2 : 1)} %`;

/** The sampling line of a table. */
export function samplingText(r: SamplingReport): string {
  const parts = [`${r.samples} samples`, `seed ${r.seed}`, `σ = ${r.sigma} eV/atom per entry`];
  if (r.sharedErrors.length) parts.push(`${r.sharedErrors.length} shared correction error${r.sharedErrors.length > 1 ? 's' : ''} (${r.corrections})`);
  if (r.precision !== null) parts.push(`precision ${r.precision}`);
  return `uncertainty: ${parts.join(', ')}; ranges are 5–95 % of the samples`;
}

/** --plot FILE.svg (checked), or undefined. */
export function plotFlag(p: Parsed): string | undefined {
  const plot = p.flags.get('plot');
  if (plot === undefined) return undefined;
  if (plot === true || !plot.toLowerCase().endsWith('.svg')) throw new UsageError(`--plot writes an SVG file: give a name ending in .svg, got ${JSON.stringify(plot)}`);
  return plot;
}

export async function writeSvg(file: string, svg: string): Promise<void> {
  await writeFile(file, svg).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot write ${file}: ${reason}`, { cause: err });
  });
}
