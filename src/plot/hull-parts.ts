// The pieces both hull diagrams (binary and ternary) draw the same way: their options, which
// unstable entries to show, the stable and unstable point markers with their tooltips, and the
// side column (legend, E_hull colour bar, hidden count, key of numbered labels).
import type { EntryStability } from '../thermo/index.js';
import { type LabelLayer, labelKey } from './labels.js';
import { el, text, tooltip } from './markup.js';
import { PlotError, type PlotOptions } from './options.js';
import type { Box } from './placement.js';
import { formatNumber } from './scales.js';
import { colorBar, type LegendItem, legend } from './svg.js';
import { truncate } from './text.js';
import { rampColor } from './theme.js';
import type { SubSystem } from './tie-lines.js';

export interface HullPlotOptions extends PlotOptions {
  /**
   * The 2 (binary) or 3 (ternary) elements to plot, in axis order: for a diagram of more elements,
   * the sub-system of the entries made of these elements only. Default: the diagram's elements.
   * Binary: x is the atomic fraction of the second. Ternary: first bottom-left, second
   * bottom-right, third at the top.
   */
  elements?: readonly string[];
  /** Unstable entries up to this energy above hull (eV/atom) are drawn, coloured by it. Default 0.2. */
  eHullCutoff?: number;
  /** Draw unstable entries (default true). */
  showUnstable?: boolean;
  /**
   * P(stable) by entry id (an uncertainty run's): every point is then coloured by it, green (1)
   * to red (0), and its tooltip says it; the colour bar is P(stable)'s.
   */
  pStable?: Readonly<Record<string, number>>;
}

const DEFAULT_CUTOFF = 0.2;

export function pointTooltip(r: EntryStability, p?: number): string {
  const lines = [
    `${r.entry.id}: ${r.entry.composition.reducedFormula}`,
    `E_form = ${formatNumber(r.eFormPerAtom, 4)} eV/atom`,
    r.stable ? `E_hull = 0 (stable)` : `E_hull = ${formatNumber(r.eAboveHull, 4)} eV/atom`,
  ];
  if (r.phaseSeparationEnergy !== undefined) lines.push(`phase separation energy = ${formatNumber(r.phaseSeparationEnergy, 4)} eV/atom`);
  if (p !== undefined) lines.push(`P(stable) = ${formatNumber(p, 3)}`);
  return lines.join('\n');
}

export function cutoffOf(fn: string, o: HullPlotOptions): number {
  if (o.pStable !== undefined) {
    if (o.pStable === null || typeof o.pStable !== 'object') throw new PlotError(`${fn}: option pStable must map entry ids to probabilities`);
    for (const [id, p] of Object.entries(o.pStable)) {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new PlotError(`${fn}: option pStable[${JSON.stringify(id)}] must be a probability 0 … 1, got ${String(p)}`);
    }
  }
  const c = o.eHullCutoff ?? DEFAULT_CUTOFF;
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new PlotError(`${fn}: option eHullCutoff must be a finite number >= 0 (eV/atom), got ${String(c)}`);
  return c;
}

export function shownUnstable(sub: SubSystem, o: HullPlotOptions, cutoff: number): { shown: EntryStability[]; hidden: number } {
  const unstable = sub.rows.filter((r) => !r.stable);
  if (o.showUnstable === false) return { shown: [], hidden: unstable.length };
  // Highest E_hull first, so the entries nearest the hull are drawn on top.
  const shown = unstable.filter((r) => r.eAboveHull <= cutoff).sort((a, b) => b.eAboveHull - a.eAboveHull);
  return { shown, hidden: unstable.length - shown.length };
}

export function unstablePoint(r: EntryStability, cx: number, cy: number, cutoff: number, radius: number, p?: number): string {
  const color = p !== undefined ? rampColor(1 - p) : rampColor(cutoff > 0 ? r.eAboveHull / cutoff : 0);
  return el('circle', { cx, cy, r: radius, class: 'point unstable', fill: color, 'data-id': r.entry.id, ...pAttr(p) }, tooltip(pointTooltip(r, p)));
}

export function stablePoint(r: EntryStability, cx: number, cy: number, radius: number, p?: number): string {
  // An inline style: the stylesheet's fill of .stable would win over a fill attribute.
  const style = p !== undefined ? { style: `fill:${rampColor(1 - p)}` } : {};
  return el('circle', { cx, cy, r: radius, class: 'point stable', 'data-id': r.entry.id, ...style, ...pAttr(p) }, tooltip(pointTooltip(r, p)));
}

const pAttr = (p: number | undefined) => (p !== undefined ? { 'data-p-stable': String(p) } : {});

export function markerBox(x: number, y: number, r: number): Box {
  return { x0: x - r, y0: y - r, x1: x + r, y1: y + r };
}

/** Legend column: symbols, E_hull colour bar, what is hidden, and the key of numbered labels. */
/** The legend of a hull plot: stable phases, its line (hull or tie-lines), unstable entries when shown. */
export function hullLegend(line: { label: string; className: string }, unstableShown: boolean): LegendItem[] {
  return [
    { label: 'stable phase', kind: 'point', className: 'stable' },
    { label: line.label, kind: 'line', className: line.className },
    ...(unstableShown ? [{ label: 'unstable entry', kind: 'point' as const, className: 'unstable', color: rampColor(0.5) }] : []),
  ];
}

export function sideColumn(
  x: number,
  y: number,
  bottom: number,
  fs: number,
  cutoff: number,
  hidden: number,
  showUnstable: boolean,
  layer: LabelLayer,
  items: readonly LegendItem[],
  width: number,
  pStable = false,
): string {
  const parts: string[] = [];
  const lg = legend(items, x, y, fs);
  parts.push(lg.svg);
  let at = y + lg.height + fs;
  if (pStable) {
    const cb = colorBar(x, at, 110, 1, 'P(stable)', fs, true);
    parts.push(cb.svg);
    at += cb.height + fs * 1.5;
  } else if (showUnstable && cutoff > 0) {
    const cb = colorBar(x, at, 110, cutoff, 'E_hull (eV/atom)', fs);
    parts.push(cb.svg);
    at += cb.height + fs * 1.5;
  }
  if (hidden > 0) {
    const small = fs * 0.9;
    const lines = showUnstable ? [`${hidden} more unstable entries,`, `E_hull > ${formatNumber(cutoff, 3, true)} eV/atom`] : [`${hidden} unstable entries`, 'not shown'];
    lines.forEach((l, i) => parts.push(text(x, at + i * small * 1.3, truncate(l, width, small), { class: 'muted note', 'font-size': small })));
    at += small * 1.3 * lines.length + fs * 0.6;
  }
  parts.push(labelKey(layer.unplaced, x, at, fs, bottom - at, width));
  return parts.join('');
}
