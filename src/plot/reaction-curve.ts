// Interface reaction energy against the mixing ratio of two compositions.
import { type Band, bandSvg, validateBand } from './band.js';
import { labelKey, labelLayer, type LabelItem } from './labels.js';
import { el, line, polyline, tooltip } from './markup.js';
import { PlotError, requireFinite, resolveOptions, type PlotOptions } from './options.js';
import type { Box } from './placement.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, svgRoot, titleText, type Frame } from './svg.js';

/** The reaction energy of x·c1 + (1−x)·c2 at its kinks (what the interface computation yields). */
export interface ReactionCurve {
  c1: string;
  c2: string;
  /** An element open to a reservoir at a voltage (grand-potential reaction energies). */
  open?: { element: string; voltage: number };
  /** Kinks of the piecewise-linear curve (ends included), `energy` in eV/atom, x ∈ [0, 1]. */
  kinks: Array<{ x: number; energy: number; products: string[] }>;
  /**
   * Optional samples of the curve (eV/atom) where it is not linear between kinks (an open element
   * whose share differs between c1 and c2); default: straight lines through the kinks.
   */
  curve?: { x: number[]; energy: number[] };
  /** The 5–95 % band of the reaction energy over an uncertainty run's samples (eV/atom vs x). */
  band?: Band;
}

export interface ReactionCurveOptions extends PlotOptions {
  /** Unit of the energy axis (the input is eV/atom). Default `eV/atom`. */
  unit?: 'eV/atom' | 'meV/atom';
}

/**
 * The piecewise-linear reaction energy through the kinks, each kink marked and labelled with its
 * products, the most negative kink highlighted with its energy and ratio.
 */
export function reactionCurveSvg(curve: ReactionCurve, options: ReactionCurveOptions = {}): string {
  const fn = 'reactionCurveSvg';
  const c = validate(fn, curve);
  const unit = options.unit ?? 'eV/atom';
  if (unit !== 'eV/atom' && unit !== 'meV/atom') throw new PlotError(`${fn}: option unit must be 'eV/atom' or 'meV/atom', got ${JSON.stringify(unit)}`);
  const k = unit === 'meV/atom' ? 1000 : 1;
  const dec = unit === 'meV/atom' ? 0 : 3;
  const r = resolveOptions(fn, options, 720, 440);
  const fs = r.fontSize;

  const es = [...c.kinks.map((p) => p.energy), ...(c.curve?.energy ?? []), ...(c.band ? [...c.band.lo, ...c.band.hi] : [])].map((e) => e * k);
  const lo = Math.min(0, ...es);
  const hi = Math.max(0, ...es);
  const span = hi - lo || 1;
  const yt = niceTicks(lo - span * 0.22, hi + span * 0.08, 6);
  const xt = niceTicks(0, 1, 5);
  const frame: Frame = { x: fs * 6.5, y: fs * 3.8, width: r.width - fs * 8, height: r.height - fs * 3.8 - fs * 4.4 };
  const sx = linearScale([0, 1], [frame.x, frame.x + frame.width]);
  const sy = linearScale([yt.start, yt.stop], [frame.y + frame.height, frame.y]);
  const openText = c.open ? ` (${c.open.element} open at ${formatNumber(c.open.voltage, 2)} V)` : '';
  const title = options.title ?? `Interface reaction ${c.c1} | ${c.c2}${openText}`;
  const parts: string[] = [titleText(r, title)];
  parts.push(axes(frame, { scale: sx, ticks: xt, label: `Mixing ratio x in x·${c.c1} + (1−x)·${c.c2}` }, { scale: sy, ticks: yt, label: `Reaction energy (${unit})` }, fs));
  if (yt.start < 0 && yt.stop > 0) parts.push(line(frame.x, sy(0), frame.x + frame.width, sy(0), { class: 'zero' }));

  if (c.band) parts.push(bandSvg(c.band, sx, sy, k));
  const pts = c.kinks.map((p) => [sx(p.x), sy(p.energy * k)] as const);
  const line0 = c.curve ? c.curve.x.map((x, i) => [sx(x), sy(c.curve!.energy[i]! * k)] as const) : pts;
  parts.push(polyline(line0, { class: 'curve' }));
  let iMin = 0;
  c.kinks.forEach((p, i) => {
    if (p.energy < c.kinks[iMin]!.energy) iMin = i;
  });
  const rK = Math.max(3.5, fs * 0.36);
  const rM = rK * 1.6;
  const markers = c.kinks.map((p, i) => {
    const tip = `x = ${formatNumber(p.x, 4, true)}: ${p.products.join(' + ') || '(no products)'}\nE = ${formatNumber(p.energy * k, dec + 1)} ${unit}`;
    return el('circle', { cx: pts[i]![0], cy: pts[i]![1], r: i === iMin ? rM : rK, class: i === iMin ? 'kink min' : 'kink', 'data-x': String(p.x), 'data-energy': String(p.energy) }, tooltip(tip));
  });
  parts.push(el('g', { class: 'kinks' }, markers.join('')));

  // The minimum first (it matters most), then the products of every kink; below the curve is free.
  const min = c.kinks[iMin]!;
  const items: LabelItem[] = [
    {
      label: `min ${formatNumber(min.energy * k, dec)} ${unit} at x = ${formatNumber(min.x, 3, true)}`,
      x: pts[iMin]![0],
      y: pts[iMin]![1],
      gap: rM + 4,
      className: 'min-label',
      prefer: ['s', 'se', 'sw', 'e', 'w'],
    },
    ...c.kinks
      .map((p, i) => ({
        label: p.products.join(' + '),
        x: pts[i]![0],
        y: pts[i]![1],
        gap: (i === iMin ? rM : rK) + 3,
        formula: true,
        fontSize: fs * 0.9,
        prefer: ['n', 'ne', 'nw', 'e', 'w', 's', 'se', 'sw'] as const,
      }))
      .filter((it) => it.label !== ''),
  ];
  const obstacles = pts.map(([x, y], i) => {
    const rr = i === iMin ? rM : rK;
    return { x0: x - rr, y0: y - rr, x1: x + rr, y1: y + rr };
  });
  const segments = line0.slice(1).map((p, i) => [line0[i]![0], line0[i]![1], p[0], p[1]] as const);
  const bounds: Box = { x0: frame.x + 2, y0: frame.y + 2, x1: frame.x + frame.width - 2, y1: frame.y + frame.height - 2 };
  const layer = labelLayer(items, fs, { bounds, obstacles, segments, rings: 5 });
  parts.push(layer.svg);
  if (layer.unplaced.length) parts.push(labelKey(layer.unplaced, frame.x + fs, frame.y + frame.height * 0.55, fs * 0.9, frame.height * 0.43, frame.width * 0.6));

  const desc =
    options.description ??
    `Reaction energy (${unit}) of x·${c.c1} + (1−x)·${c.c2}${openText} against the mixing ratio x, through ${c.kinks.length} kinks: ` +
      c.kinks.map((p) => `x = ${formatNumber(p.x, 3, true)}: ${formatNumber(p.energy * k, dec)} (${p.products.join(' + ')})`).join('; ') +
      `. Most negative: ${formatNumber(min.energy * k, dec)} ${unit} at x = ${formatNumber(min.x, 3, true)}.`;
  return svgRoot('reaction-curve', r, options, title, desc, parts.join(''));
}

function validate(fn: string, c: ReactionCurve): ReactionCurve {
  if (c === null || typeof c !== 'object') throw new PlotError(`${fn}: the curve must be an object, got ${String(c)}`);
  for (const key of ['c1', 'c2'] as const) if (typeof c[key] !== 'string' || !c[key]) throw new PlotError(`${fn}: curve.${key} must be a non-empty string`);
  if (c.open !== undefined) {
    if (!c.open || typeof c.open.element !== 'string' || !c.open.element) throw new PlotError(`${fn}: curve.open.element must be an element symbol`);
    requireFinite(fn, 'curve.open.voltage', c.open.voltage);
  }
  if (!Array.isArray(c.kinks) || c.kinks.length === 0) throw new PlotError(`${fn}: curve.kinks must be a non-empty array`);
  c.kinks.forEach((p, i) => {
    const x = requireFinite(fn, `curve.kinks[${i}].x`, p?.x);
    if (x < -1e-9 || x > 1 + 1e-9) throw new PlotError(`${fn}: curve.kinks[${i}].x = ${x} is outside [0, 1]`);
    requireFinite(fn, `curve.kinks[${i}].energy`, p.energy);
    if (!Array.isArray(p.products) || p.products.some((s) => typeof s !== 'string')) throw new PlotError(`${fn}: curve.kinks[${i}].products must be an array of strings`);
  });
  let curve: ReactionCurve['curve'];
  if (c.curve !== undefined) {
    const { x, energy } = c.curve ?? {};
    if (!Array.isArray(x) || !Array.isArray(energy) || x.length !== energy.length || x.length < 2) throw new PlotError(`${fn}: curve.curve must hold arrays x and energy of equal length >= 2`);
    const order = x.map((_, i) => i);
    x.forEach((v, i) => {
      if (requireFinite(fn, `curve.curve.x[${i}]`, v) < -1e-9 || v > 1 + 1e-9) throw new PlotError(`${fn}: curve.curve.x[${i}] = ${v} is outside [0, 1]`);
      requireFinite(fn, `curve.curve.energy[${i}]`, energy[i]);
    });
    order.sort((a, b) => x[a]! - x[b]!);
    curve = { x: order.map((i) => x[i]!), energy: order.map((i) => energy[i]!) };
  }
  if (c.band !== undefined) {
    validateBand(fn, 'curve.band', c.band);
    if (c.band.x[0]! < -1e-9 || c.band.x[c.band.x.length - 1]! > 1 + 1e-9) throw new PlotError(`${fn}: curve.band.x must lie in [0, 1]`);
  }
  return { ...c, kinks: [...c.kinks].sort((a, b) => a.x - b.x), ...(curve ? { curve } : {}) };
}
