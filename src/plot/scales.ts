// Numbers on axes: readable number formatting, nice 1/2/5 × 10^k ticks, and linear scales
// from data to px. Pure arithmetic, no markup.
import { PlotError } from './options.js';

/**
 * A number for reading: fixed `decimals`, typographic minus sign (U+2212), no `−0`.
 * `trim` drops trailing zeros (0.500 → 0.5).
 */
export function formatNumber(v: number, decimals = 3, trim = false): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : 'NaN';
  let s = v.toFixed(decimals);
  if (trim && s.includes('.')) s = s.replace(/\.?0+$/, '');
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace('-', '−');
}

/** Ticks at multiples of a step of 1, 2 or 5 × 10^k, covering [start, stop] ⊇ the data range. */
export interface NiceTicks {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  /** Decimals needed to print the ticks exactly. */
  readonly decimals: number;
  readonly values: readonly number[];
}

/** The 1/2/5 × 10^k step closest to span/target. */
export function niceStep(span: number, target = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) throw new PlotError(`nice step of a span ${span}`);
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const m = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return m * mag;
}

/**
 * About `target` ticks at nice numbers; the range is extended outward to whole steps (`nice`,
 * default) or the ticks are just those inside [min, max].
 */
export function niceTicks(min: number, max: number, target = 5, nice = true): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new PlotError(`axis range [${min}, ${max}] is not finite`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, target);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const eps = step * 1e-9;
  const i0 = nice ? Math.floor((min + eps) / step) : Math.ceil((min - eps) / step);
  const i1 = nice ? Math.ceil((max - eps) / step) : Math.floor((max + eps) / step);
  const values: number[] = [];
  for (let i = i0; i <= i1; i++) values.push(clean(i * step, decimals));
  return { start: nice ? values[0]! : min, stop: nice ? values[values.length - 1]! : max, step, decimals, values };
}

function clean(v: number, decimals: number): number {
  const r = Number(v.toFixed(decimals));
  return r === 0 ? 0 : r;
}

/** A linear map from data to px. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  return Object.assign(f, { domain: [d0, d1] as const, range: [r0, r1] as const });
}
