/**
 * Summaries of Monte Carlo samples, each with its Monte Carlo standard error, and the schedule of
 * rounds that stops early at a requested precision.
 *
 * - A probability p̂ = k/n has standard error sqrt(p̃(1−p̃)/n), p̃ = (k + ½)/(n + 1): a small
 *   continuity correction so that 0/n and n/n do not claim zero error.
 * - Quantiles are numpy's default (linear between order statistics). The standard error of the
 *   q-quantile is half the distance between the order statistics n·q ± sqrt(n·q·(1−q)) (a
 *   distribution-free ±1σ interval of the quantile).
 */

/** A probability with its Monte Carlo standard error. */
export interface Probability {
  readonly p: number;
  readonly se: number;
}

export function probability(k: number, n: number): Probability {
  const pt = (k + 0.5) / (n + 1);
  return { p: n > 0 ? k / n : NaN, se: Math.sqrt((pt * (1 - pt)) / n) };
}

/** Mean, standard deviation and the 5, 50 and 95 % quantiles of a sampled quantity, with standard errors. */
export interface Distribution {
  readonly mean: number;
  /** Standard error of the mean: std / sqrt(n). */
  readonly meanSe: number;
  readonly std: number;
  readonly q05: number;
  readonly q50: number;
  readonly q95: number;
  /** Standard errors of q05, q50, q95. */
  readonly q05Se: number;
  readonly q50Se: number;
  readonly q95Se: number;
}

/** The distribution of `values` (sorted in place). Infinite values sort to the ends. */
export function distribution(values: Float64Array): Distribution {
  const n = values.length;
  values.sort();
  let sum = 0;
  let finite = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      finite++;
    }
  }
  const all = finite === n;
  const mean = all ? sum / n : finite === 0 ? values[0]! : NaN;
  let ss = 0;
  if (all) for (const v of values) ss += (v - mean) ** 2;
  const std = all ? (n > 1 ? Math.sqrt(ss / (n - 1)) : 0) : NaN;
  return {
    mean,
    meanSe: all ? std / Math.sqrt(n) : NaN,
    std,
    q05: quantile(values, 0.05),
    q50: quantile(values, 0.5),
    q95: quantile(values, 0.95),
    q05Se: quantileSe(values, 0.05),
    q50Se: quantileSe(values, 0.5),
    q95Se: quantileSe(values, 0.95),
  };
}

/** numpy's default quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (a === b || h === lo) return a;
  return a + (h - lo) * (b - a);
}

/** Distribution-free standard error of the q-quantile of sorted values. */
export function quantileSe(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n < 2) return NaN;
  const half = Math.sqrt(n * q * (1 - q));
  const lo = Math.max(0, Math.floor(n * q - half));
  const hi = Math.min(n - 1, Math.ceil(n * q + half));
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (a === b) return 0;
  return (b - a) / 2;
}

/** How often each outcome was seen, most frequent first (ties: first seen first). */
export interface Frequency<T> {
  readonly value: T;
  readonly p: number;
  readonly se: number;
}

/** Counts outcomes by key, keeping the first value seen for each. */
export class Tally<T> {
  private readonly counts = new Map<string, { value: T; count: number; first: number }>();
  private n = 0;

  add(key: string, value: () => T, times = 1): void {
    const c = this.counts.get(key);
    if (c) c.count += times;
    else this.counts.set(key, { value: value(), count: times, first: this.n });
    this.n += times;
  }

  get total(): number {
    return this.n;
  }

  /** The outcomes, most frequent first; at most `limit`. */
  top(limit = Infinity): Frequency<T>[] {
    return [...this.counts.values()]
      .sort((a, b) => b.count - a.count || a.first - b.first)
      .slice(0, limit)
      .map((c) => ({ value: c.value, ...probability(c.count, this.n) }));
  }

  /** The largest standard error of any outcome's frequency. */
  maxSe(): number {
    let m = 0;
    for (const c of this.counts.values()) m = Math.max(m, probability(c.count, this.n).se);
    return m;
  }
}

/**
 * The sample counts after which to check the precision: 250, 500, 1000, … up to `samples` (all at
 * once without a precision). Fixed by (samples, precision) alone, so the answer never depends on
 * how many workers drew the samples.
 */
export function rounds(samples: number, precision: number | undefined): number[] {
  if (precision === undefined) return [samples];
  const out: number[] = [];
  for (let n = 250; n < samples; n *= 2) out.push(n);
  out.push(samples);
  return out;
}

/** Sample ranges [from, to) cutting [from, to) into `parts` nearly equal pieces. */
export function chunks(from: number, to: number, parts: number): Array<[number, number]> {
  const n = to - from;
  const k = Math.max(1, Math.min(parts, n));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) out.push([from + Math.floor((n * i) / k), from + Math.floor((n * (i + 1)) / k)]);
  return out.filter(([a, b]) => b > a);
}
