// The voltage profile of an electrochemical stability window: element uptake (reduction, below
// the window) or release (oxidation, above it) per formula unit against the voltage.
import { type Band, bandSvg, validateBand } from './band.js';
import { labelKey, labelLayer, type LabelItem } from './labels.js';
import { el, line, text, tooltip } from './markup.js';
import { PlotError, requireFinite, resolveOptions, type PlotOptions } from './options.js';
import type { Box } from './placement.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, svgRoot, titleText, type Frame } from './svg.js';

/** The voltage profile of a composition against an open element (what the window computation yields). */
export interface VoltageProfile {
  /** The material, e.g. `Li3PS4`. */
  composition: string;
  /** The open element, e.g. `Li`: voltages are vs its metal (Li/Li+). */
  openElement: string;
  /** Stability window (V vs the open element): stable from reductionV to oxidationV. */
  window: { reductionV: number; oxidationV: number };
  /**
   * Phase equilibria over voltage ranges: `evolution` is the open element taken up per formula
   * unit (> 0, reduction, below the window) or released (< 0, oxidation, above it); 0 inside the
   * window. Bounds may be ±Infinity (open ends).
   */
  steps: Array<{ voltageRange: [number, number]; evolution: number; products: string[] }>;
  /** The 5–95 % band of the uptake over an uncertainty run's samples (x: voltage). */
  band?: Band;
  /** The 5–95 % ranges of the two limits over the samples (V), shaded at each limit. */
  limitRanges?: { reduction?: [number, number]; oxidation?: [number, number] };
}

export interface StaircaseOptions extends PlotOptions {
  /** Voltage axis range (V); default: the finite step bounds and the window, padded. */
  voltageRange?: [number, number];
  /** Decimals of the limit labels (default 2). */
  decimals?: number;
  /** Axis titles (defaults name the open element and the composition). */
  xLabel?: string;
  yLabel?: string;
}

/**
 * One horizontal step per voltage range at its uptake (+) / release (−) of the open element per
 * formula unit, dashed risers between neighbouring steps, the stability window shaded, its limits
 * marked and labelled with their voltages, and the products of each step labelled.
 */
export function voltageStaircaseSvg(profile: VoltageProfile, options: StaircaseOptions = {}): string {
  const fn = 'voltageStaircaseSvg';
  const p = validate(fn, profile);
  const r = resolveOptions(fn, options, 720, 420);
  const fs = r.fontSize;
  const dec = options.decimals ?? 2;
  if (!Number.isInteger(dec) || dec < 0 || dec > 6) throw new PlotError(`${fn}: option decimals must be an integer 0..6, got ${String(dec)}`);
  const { reductionV: vRed, oxidationV: vOx } = p.window;
  const el0 = p.openElement;

  // Voltage axis.
  let v0: number;
  let v1: number;
  if (options.voltageRange) {
    const [a, b] = options.voltageRange;
    v0 = requireFinite(fn, 'voltageRange[0]', a);
    v1 = requireFinite(fn, 'voltageRange[1]', b);
    if (!(v1 > v0)) throw new PlotError(`${fn}: option voltageRange must be increasing, got [${v0}, ${v1}]`);
  } else {
    const vs = [vRed, vOx, ...p.steps.flatMap((s) => s.voltageRange)].filter(Number.isFinite);
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    const pad = Math.max(0.25, (hi - lo) * 0.08);
    v0 = lo - pad;
    v1 = hi + pad;
  }
  const xt = niceTicks(v0, v1, 8, false);
  const ys = [...p.steps.map((s) => s.evolution), ...(p.band ? [...p.band.lo, ...p.band.hi] : [])];
  const yLo = Math.min(0, ...ys);
  const yHi = Math.max(0, ...ys);
  const ySpan = yHi - yLo || 1;
  const yt = niceTicks(yLo - ySpan * 0.06, yHi + ySpan * 0.14, 6);

  const frame: Frame = { x: fs * 6, y: fs * 6.2, width: r.width - fs * 7.5, height: r.height - fs * 6.2 - fs * 4.4 };
  const sx = linearScale([v0, v1], [frame.x, frame.x + frame.width]);
  const sy = linearScale([yt.start, yt.stop], [frame.y + frame.height, frame.y]);
  const clampV = (v: number) => Math.min(v1, Math.max(v0, v));
  const title = options.title ?? `${p.composition}: stability window vs ${el0}/${el0}⁺`;
  const parts: string[] = [titleText(r, title)];

  // The window, shaded, below everything else.
  const wx0 = sx(clampV(vRed));
  const wx1 = sx(clampV(vOx));
  if (vOx > vRed && wx1 > wx0)
    parts.push(
      el('rect', { x: wx0, y: frame.y, width: wx1 - wx0, height: frame.height, class: 'window' }, tooltip(`stable from ${formatNumber(vRed, dec)} to ${formatNumber(vOx, dec)} V vs ${el0}/${el0}⁺`)),
    );
  parts.push(
    axes(
      frame,
      { scale: sx, ticks: xt, label: options.xLabel ?? `Voltage vs ${el0}/${el0}⁺ (V)` },
      { scale: sy, ticks: yt, label: options.yLabel ?? `${el0} per ${p.composition} (+ uptake, − release)` },
      fs,
    ),
  );
  if (yt.start < 0 && yt.stop > 0) parts.push(line(frame.x, sy(0), frame.x + frame.width, sy(0), { class: 'zero' }));
  // Uncertainty: the limits' ranges and the uptake's band, under the steps.
  for (const [kind, range] of Object.entries(p.limitRanges ?? {})) {
    if (!range) continue;
    const a = sx(clampV(range[0]));
    const b = sx(clampV(range[1]));
    if (b > a)
      parts.push(
        el(
          'rect',
          { x: a, y: frame.y, width: b - a, height: frame.height, class: 'limit-band', 'data-limit': kind },
          tooltip(`${kind} limit, 5–95 %: ${formatNumber(range[0], dec)}–${formatNumber(range[1], dec)} V`),
        ),
      );
  }
  if (p.band) {
    const keep = p.band.x.map((_, i) => i).filter((i) => p.band!.x[i]! >= v0 && p.band!.x[i]! <= v1);
    if (keep.length >= 2) parts.push(bandSvg({ ...p.band, x: keep.map((i) => p.band!.x[i]!), lo: keep.map((i) => p.band!.lo[i]!), hi: keep.map((i) => p.band!.hi[i]!) }, sx, sy));
  }

  // Limits: dashed lines, labelled above the frame (reduction to the left, oxidation to the right).
  const limits: string[] = [];
  const limitLabel = (v: number, kind: 'reduction' | 'oxidation') => {
    if (v < v0 || v > v1) return;
    const x = sx(v);
    limits.push(line(x, frame.y - fs * 0.6, x, frame.y + frame.height, { class: 'limit', 'data-voltage': String(v) }));
    const anchor = kind === 'reduction' ? 'end' : 'start';
    const dx = kind === 'reduction' ? -4 : 4;
    limits.push(text(x + dx, frame.y - fs * 2.0, kind, { 'text-anchor': anchor, class: 'limit-label muted', 'font-size': fs * 0.9 }));
    limits.push(text(x + dx, frame.y - fs * 0.8, `${formatNumber(v, dec)} V`, { 'text-anchor': anchor, class: 'limit-label', 'data-limit': kind, 'font-weight': 600 }));
  };
  limitLabel(vRed, 'reduction');
  limitLabel(vOx, 'oxidation');
  parts.push(el('g', { class: 'limits' }, limits.join('')));

  // Steps and risers.
  const steps = p.steps.map((s) => {
    const a = clampV(Math.min(...s.voltageRange));
    const b = clampV(Math.max(...s.voltageRange));
    return { ...s, a, b, y: sy(s.evolution), visible: b > a };
  });
  const stepSvg: string[] = [];
  const segs: Array<readonly [number, number, number, number]> = [];
  steps.forEach((s, i) => {
    if (!s.visible) return;
    const [lo, hi] = [Math.min(...s.voltageRange), Math.max(...s.voltageRange)];
    const tip = `${formatNumber(lo, dec)} to ${formatNumber(hi, dec)} V: ${s.products.join(' + ') || '(no products)'}\n${el0} ${s.evolution >= 0 ? 'uptake' : 'release'} ${formatNumber(Math.abs(s.evolution), 3, true)} per ${p.composition}`;
    stepSvg.push(el('line', { x1: sx(s.a), y1: s.y, x2: sx(s.b), y2: s.y, class: 'step', 'data-step': i, 'data-evolution': String(s.evolution) }, tooltip(tip)));
    segs.push([sx(s.a), s.y, sx(s.b), s.y]);
    const next = steps[i + 1];
    if (next?.visible && Math.abs(Math.max(...s.voltageRange) - Math.min(...next.voltageRange)) < 1e-9 && next.evolution !== s.evolution) {
      const x = sx(s.b);
      stepSvg.push(line(x, s.y, x, next.y, { class: 'riser' }));
      segs.push([x, s.y, x, next.y]);
    }
  });
  parts.push(el('g', { class: 'steps' }, stepSvg.join('')));

  // Products of each step, above its middle (the staircase descends to the right, so that is free).
  const items: LabelItem[] = [];
  steps.forEach((s) => {
    if (!s.visible || s.products.length === 0) return;
    items.push({ label: s.products.join(' + '), x: (sx(s.a) + sx(s.b)) / 2, y: s.y, gap: 5, formula: true, prefer: ['n', 'ne', 'nw', 's', 'se', 'sw'] });
  });
  const bounds: Box = { x0: frame.x + 2, y0: frame.y + 2, x1: frame.x + frame.width - 2, y1: frame.y + frame.height - 2 };
  const layer = labelLayer(items, fs * 0.92, { bounds, segments: segs, rings: 5 });
  parts.push(layer.svg);
  if (layer.unplaced.length) parts.push(labelKey(layer.unplaced, frame.x + fs, frame.y + fs * 0.4, fs * 0.9, frame.height * 0.5, frame.width * 0.45));

  const inside = vOx >= vRed;
  const desc =
    options.description ??
    `Voltage profile of ${p.composition} against ${el0}: ` +
      (inside
        ? `stable between ${formatNumber(vRed, dec)} and ${formatNumber(vOx, dec)} V vs ${el0}/${el0}⁺. `
        : `no stability window (reduction limit ${formatNumber(vRed, dec)} V above the oxidation limit ${formatNumber(vOx, dec)} V). `) +
      p.steps.map((s) => `${formatNumber(s.voltageRange[0], dec)}–${formatNumber(s.voltageRange[1], dec)} V: ${formatNumber(s.evolution, 3, true)} ${el0}, ${s.products.join(' + ')}`).join('; ') +
      '.';
  return svgRoot('staircase', r, options, title, desc, parts.join(''));
}

function validate(fn: string, p: VoltageProfile): VoltageProfile {
  if (p === null || typeof p !== 'object') throw new PlotError(`${fn}: the profile must be an object, got ${String(p)}`);
  if (typeof p.composition !== 'string' || !p.composition) throw new PlotError(`${fn}: profile.composition must be a non-empty string`);
  if (typeof p.openElement !== 'string' || !p.openElement) throw new PlotError(`${fn}: profile.openElement must be a non-empty string`);
  if (!p.window || typeof p.window !== 'object') throw new PlotError(`${fn}: profile.window is missing`);
  const w = p.window;
  for (const k of ['reductionV', 'oxidationV'] as const) {
    if (typeof w[k] !== 'number' || Number.isNaN(w[k])) throw new PlotError(`${fn}: profile.window.${k} must be a number, got ${String(w[k])}`);
  }
  if (!Array.isArray(p.steps)) throw new PlotError(`${fn}: profile.steps must be an array`);
  const steps = p.steps.map((s, i) => {
    const where = `profile.steps[${i}]`;
    if (!s || !Array.isArray(s.voltageRange) || s.voltageRange.length !== 2) throw new PlotError(`${fn}: ${where}.voltageRange must be [from, to]`);
    for (const v of s.voltageRange) if (typeof v !== 'number' || Number.isNaN(v)) throw new PlotError(`${fn}: ${where}.voltageRange holds ${String(v)}, not a number`);
    if (s.voltageRange[0] > s.voltageRange[1]) throw new PlotError(`${fn}: ${where}.voltageRange [${s.voltageRange.join(', ')}] is decreasing`);
    requireFinite(fn, `${where}.evolution`, s.evolution);
    if (!Array.isArray(s.products) || s.products.some((x) => typeof x !== 'string')) throw new PlotError(`${fn}: ${where}.products must be an array of strings`);
    return s;
  });
  if (p.band !== undefined) validateBand(fn, 'profile.band', p.band);
  for (const [kind, range] of Object.entries(p.limitRanges ?? {})) {
    if (range === undefined) continue;
    if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && !Number.isNaN(v)) || range[0] > range[1]) {
      throw new PlotError(`${fn}: profile.limitRanges.${kind} must be [low, high] voltages`);
    }
  }
  const finite = [w.reductionV, w.oxidationV, ...steps.flatMap((s) => s.voltageRange)].filter(Number.isFinite);
  if (finite.length === 0) throw new PlotError(`${fn}: no finite voltage in the profile (window and steps are all infinite)`);
  return { ...p, steps: [...steps].sort((a, b) => a.voltageRange[0] - b.voltageRange[0] || a.voltageRange[1] - b.voltageRange[1]) };
}
