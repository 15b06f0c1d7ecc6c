// A band around a curve — the 5–95 % range of an uncertainty run's samples — as one shaded polygon
// under the curve it surrounds (staircases, reaction curves).
import { el, num, tooltip } from './markup.js';
import { PlotError, requireFinite } from './options.js';

/** lo[i] … hi[i] at x[i] (x ascending): the band of a sampled curve. */
export interface Band {
  x: readonly number[];
  lo: readonly number[];
  hi: readonly number[];
  /** Tooltip (e.g. "5–95 % of 1000 samples"). */
  label?: string;
}

export function validateBand(fn: string, where: string, b: Band): Band {
  if (b === null || typeof b !== 'object') throw new PlotError(`${fn}: ${where} must be an object with x, lo and hi`);
  const { x, lo, hi } = b;
  if (!Array.isArray(x) || !Array.isArray(lo) || !Array.isArray(hi) || x.length !== lo.length || x.length !== hi.length || x.length < 2) {
    throw new PlotError(`${fn}: ${where} must hold arrays x, lo and hi of equal length >= 2`);
  }
  x.forEach((v, i) => {
    requireFinite(fn, `${where}.x[${i}]`, v);
    if (i > 0 && v < x[i - 1]!) throw new PlotError(`${fn}: ${where}.x must be ascending (x[${i}] = ${v} < ${x[i - 1]})`);
    if (requireFinite(fn, `${where}.lo[${i}]`, lo[i]) > requireFinite(fn, `${where}.hi[${i}]`, hi[i]) + 1e-12) throw new PlotError(`${fn}: ${where}.lo[${i}] is above hi[${i}]`);
  });
  return b;
}

/** The band as a polygon in plot coordinates (energies scaled by k). */
export function bandSvg(b: Band, sx: (v: number) => number, sy: (v: number) => number, k = 1): string {
  const upper = b.x.map((x, i) => `${num(sx(x))},${num(sy(b.hi[i]! * k))}`);
  const lower = b.x.map((x, i) => `${num(sx(x))},${num(sy(b.lo[i]! * k))}`).reverse();
  return el('polygon', { points: [...upper, ...lower].join(' '), class: 'band' }, b.label ? tooltip(b.label) : undefined);
}
