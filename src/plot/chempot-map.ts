// A chemical-potential map (μ_x–μ_y, e.g. μ_Li–μ_O): the region of each equilibrium of one
// composition open to two elements, as filled polygons labelled with their phases.
import { el, num, text, tooltip } from './markup.js';
import { PlotError, type PlotOptions, requireFinite, resolveOptions } from './options.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, type Frame, svgRoot, titleText } from './svg.js';
import { formulaText, formulaWidth } from './text.js';
import { rampColor } from './theme.js';

/** Plot data: `chemicalPotentialMap` (thermo) as plain numbers. */
export interface ChempotMapPlotData {
  composition: string;
  x: string;
  y: string;
  xRange: readonly [number, number];
  yRange: readonly [number, number];
  regions: Array<{ products: readonly string[]; polygon: ReadonlyArray<readonly [number, number]>; center: readonly [number, number] }>;
  /** Phases of x and y alone that bound the map (shown in the description). */
  feasibleBy?: readonly string[];
}

/** Every region filled (a colour per region), outlined and labelled with its phases. */
export function chempotMapSvg(data: ChempotMapPlotData, options: PlotOptions = {}): string {
  const fn = 'chempotMapSvg';
  const d = validate(fn, data);
  const r = resolveOptions(fn, options, 720, 600);
  const fs = r.fontSize;
  const frame: Frame = { x: fs * 6.5, y: fs * 3.8, width: r.width - fs * 8, height: r.height - fs * 3.8 - fs * 4.4 };
  const xt = niceTicks(d.xRange[0], d.xRange[1], 6);
  const yt = niceTicks(d.yRange[0], d.yRange[1], 6);
  const sx = linearScale([xt.start, xt.stop], [frame.x, frame.x + frame.width]);
  const sy = linearScale([yt.start, yt.stop], [frame.y + frame.height, frame.y]);
  const title = options.title ?? `${d.composition} open to ${d.x} and ${d.y}`;
  const parts: string[] = [titleText(r, title)];
  parts.push(axes(frame, { scale: sx, ticks: xt, label: `μ_${d.x} − μ_${d.x}° (eV/atom)` }, { scale: sy, ticks: yt, label: `μ_${d.y} − μ_${d.y}° (eV/atom)` }, fs));
  const n = d.regions.length;
  const shapes = d.regions.map((g, i) => {
    const pts = g.polygon.map(([px, py]) => `${num(sx(px))},${num(sy(py))}`).join(' ');
    return el(
      'polygon',
      { points: pts, class: 'region', fill: rampColor(n > 1 ? i / (n - 1) : 0), 'fill-opacity': 0.28, stroke: 'currentColor', 'stroke-opacity': 0.55, 'data-products': g.products.join(' + ') },
      tooltip(`${g.products.join(' + ')}`),
    );
  });
  parts.push(el('g', { class: 'regions' }, shapes.join('')));
  const labels = d.regions.map((g) => {
    const label = g.products.join(' + ');
    const size = fs * 0.85;
    const w = formulaWidth(label, size);
    const cx = sx(g.center[0]);
    const cy = sy(g.center[1]);
    // Too wide for its region: the label is left to the tooltip and the description.
    const xs = g.polygon.map((p) => sx(p[0]));
    const ys = g.polygon.map((p) => sy(p[1]));
    if (w > Math.max(...xs) - Math.min(...xs) || Math.max(...ys) - Math.min(...ys) < size * 1.6) return '';
    return formulaText(cx - w / 2, cy + size * 0.35, label, size, { class: 'label' });
  });
  parts.push(el('g', { class: 'labels' }, labels.join('')));
  if (d.regions.every((g) => g.products.length === 0)) parts.push(text(frame.x + fs, frame.y + fs, 'no regions', { class: 'muted' }));
  const desc =
    options.description ??
    `Equilibria of ${d.composition} open to ${d.x} and ${d.y} over μ_${d.x} from ${formatNumber(d.xRange[0], 2)} to ${formatNumber(d.xRange[1], 2)} and μ_${d.y} from ${formatNumber(d.yRange[0], 2)} to ${formatNumber(d.yRange[1], 2)} eV/atom: ` +
      d.regions.map((g) => `${g.products.join(' + ')} around (${formatNumber(g.center[0], 2)}, ${formatNumber(g.center[1], 2)})`).join('; ') +
      (d.feasibleBy?.length ? `. Bounded where ${d.feasibleBy.join(', ')} would form from the reservoirs.` : '.');
  return svgRoot('chempot-map', r, options, title, desc, parts.join(''));
}

function validate(fn: string, d: ChempotMapPlotData): ChempotMapPlotData {
  if (d === null || typeof d !== 'object') throw new PlotError(`${fn}: data must be an object, got ${String(d)}`);
  for (const k of ['composition', 'x', 'y'] as const) if (typeof d[k] !== 'string' || !d[k]) throw new PlotError(`${fn}: data.${k} must be a non-empty string`);
  for (const k of ['xRange', 'yRange'] as const) {
    const v = d[k];
    if (!Array.isArray(v) || v.length !== 2) throw new PlotError(`${fn}: data.${k} must be [low, high]`);
    if (!(requireFinite(fn, `data.${k}[0]`, v[0]) < requireFinite(fn, `data.${k}[1]`, v[1]))) throw new PlotError(`${fn}: data.${k} must have low < high`);
  }
  if (!Array.isArray(d.regions)) throw new PlotError(`${fn}: data.regions must be an array`);
  d.regions.forEach((g, i) => {
    if (!Array.isArray(g?.polygon) || g.polygon.length < 3) throw new PlotError(`${fn}: data.regions[${i}].polygon needs at least 3 points`);
    g.polygon.forEach((p, j) => {
      requireFinite(fn, `data.regions[${i}].polygon[${j}][0]`, p?.[0]);
      requireFinite(fn, `data.regions[${i}].polygon[${j}][1]`, p?.[1]);
    });
  });
  return d;
}
