// Convex-hull diagrams: formation energy vs composition for a binary system, and the Gibbs
// triangle (stable phases, tie-lines, unstable entries coloured by E_hull) for a ternary one.
// What to draw comes from tie-lines.ts, the pieces both share from hull-parts.ts.
import type { Entry } from '../core/index.js';
import type { PhaseDiagram } from '../thermo/index.js';
import { cutoffOf, type HullPlotOptions, markerBox, shownUnstable, hullLegend, sideColumn, stablePoint, unstablePoint } from './hull-parts.js';
import { type LabelItem, labelLayer } from './labels.js';
import { el, line, polyline, tooltip } from './markup.js';
import { resolveOptions } from './options.js';
import type { Box } from './placement.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, type Frame, svgRoot, titleText } from './svg.js';
import { formulaText, formulaWidth } from './text.js';
import { subSystem, tieLinesOf } from './tie-lines.js';

/**
 * Formation energy vs the atomic fraction of the second element: stable phases joined by the
 * convex hull, unstable entries coloured by E_hull up to `eHullCutoff`, stable phases labelled by
 * reduced formula, a tooltip (`<title>`) on every point with id, formula, E_form and E_hull.
 */
export function binaryHullSvg(pd: PhaseDiagram, options: HullPlotOptions = {}): string {
  const fn = 'binaryHullSvg';
  const sub = subSystem(pd, 2, fn, options.elements);
  const [A, B] = sub.elements as [string, string];
  const cutoff = cutoffOf(fn, options);
  const r = resolveOptions(fn, options, 680, 440);
  const fs = r.fontSize;
  const { shown, hidden } = shownUnstable(sub, options, cutoff);
  const side = Math.min(190, r.width * 0.3);
  const frame: Frame = { x: fs * 6, y: fs * 3.6, width: r.width - fs * 6 - side - fs, height: r.height - fs * 3.6 - fs * 4.4 };
  const xOf = (e: Entry) => e.composition.atomicFraction(B);
  const stable = [...sub.stable].sort((a, b) => xOf(a.entry) - xOf(b.entry));
  const ys = [...stable, ...shown].map((s) => s.eFormPerAtom);
  const lo = Math.min(0, ...ys);
  const hi = Math.max(0, ...ys);
  const span = hi - lo || 1;
  const yt = niceTicks(lo - span * 0.16, hi + span * 0.04, 6);
  const xt = niceTicks(0, 1, 5);
  const sx = linearScale([0, 1], [frame.x, frame.x + frame.width]);
  const sy = linearScale([yt.start, yt.stop], [frame.y + frame.height, frame.y]);
  const title = options.title ?? `${A}–${B} convex hull`;

  const parts: string[] = [titleText(r, title)];
  parts.push(axes(frame, { scale: sx, ticks: xt, label: `Atomic fraction of ${B}`, format: (v) => formatNumber(v, xt.decimals) }, { scale: sy, ticks: yt, label: 'Formation energy (eV/atom)' }, fs));
  if (yt.start < 0 && yt.stop > 0) parts.push(line(frame.x, sy(0), frame.x + frame.width, sy(0), { class: 'zero' }));
  const hullPts = stable.map((s) => [sx(xOf(s.entry)), sy(s.eFormPerAtom)] as const);
  parts.push(polyline(hullPts, { class: 'hull' }));
  const rU = Math.max(2.5, fs * 0.27);
  const rS = Math.max(3.5, fs * 0.42);
  parts.push(el('g', { class: 'unstable-points' }, shown.map((s) => unstablePoint(s, sx(xOf(s.entry)), sy(s.eFormPerAtom), cutoff, rU, options.pStable?.[s.entry.id])).join('')));
  parts.push(el('g', { class: 'stable-points' }, stable.map((s, i) => stablePoint(s, hullPts[i]![0], hullPts[i]![1], rS, options.pStable?.[s.entry.id])).join('')));

  const obstacles = stable.map((_, i) => markerBox(hullPts[i]![0], hullPts[i]![1], rS));
  const soft = shown.map((s) => markerBox(sx(xOf(s.entry)), sy(s.eFormPerAtom), rU));
  const segments = hullPts.slice(1).map((p, i) => [hullPts[i]![0], hullPts[i]![1], p[0], p[1]] as const);
  const items: LabelItem[] = stable.map((s, i) => ({
    label: s.entry.composition.reducedFormula,
    x: hullPts[i]![0],
    y: hullPts[i]![1],
    gap: rS + 3,
    formula: true,
    prefer: ['s', 'se', 'sw', 'e', 'w', 'n', 'ne', 'nw'],
  }));
  const bounds: Box = { x0: frame.x + 2, y0: frame.y + 2, x1: frame.x + frame.width - 2, y1: frame.y + frame.height - 2 };
  const layer = labelLayer(items, fs, { bounds, obstacles, segments, soft });
  parts.push(layer.svg);

  const lx = frame.x + frame.width + fs * 1.5;
  parts.push(
    sideColumn(
      lx,
      frame.y,
      r.height - fs,
      fs,
      cutoff,
      hidden,
      options.showUnstable !== false,
      layer,
      hullLegend({ label: 'convex hull', className: 'hull' }, shown.length > 0),
      r.width - lx - fs,
      options.pStable !== undefined,
    ),
  );

  const desc =
    options.description ??
    `Formation energy (eV/atom) against the atomic fraction of ${B} in the ${A}–${B} system. ` +
      `${stable.length} stable phases on the convex hull: ${stable.map((s) => `${s.entry.composition.reducedFormula} (${formatNumber(s.eFormPerAtom, 3)})`).join(', ')}. ` +
      `${shown.length} unstable entries within ${formatNumber(cutoff, 3, true)} eV/atom of the hull, coloured by energy above hull` +
      (hidden ? `; ${hidden} further unstable entries not shown.` : '.');
  return svgRoot('binary-hull', r, options, title, desc, parts.join(''));
}

/**
 * The Gibbs triangle of a ternary (sub-)system: stable phases, the tie-lines between them (edges
 * of the hull's facets, see `tieLines`), unstable entries coloured by E_hull up to `eHullCutoff`,
 * stable phases labelled by reduced formula, tooltips on every point and tie-line.
 */
export function ternaryHullSvg(pd: PhaseDiagram, options: HullPlotOptions = {}): string {
  const fn = 'ternaryHullSvg';
  const sub = subSystem(pd, 3, fn, options.elements);
  const [A, B, C] = sub.elements as [string, string, string];
  const cutoff = cutoffOf(fn, options);
  // Default height: what the triangle needs at the given width.
  const w0 = resolveOptions(fn, { ...options, height: undefined }, 720, 100);
  const fit = (w: number, f: number) => Math.round(f * 4.6 + (w - Math.min(190, w * 0.28) - f * 8) * (Math.sqrt(3) / 2) + f * 3.6);
  const r = resolveOptions(fn, options, 720, Math.max(240, fit(w0.width, w0.fontSize)));
  const fs = r.fontSize;
  const { shown, hidden } = shownUnstable(sub, options, cutoff);
  const ties = tieLinesOf(pd, sub);

  const sideW = Math.min(190, r.width * 0.28);
  const top = fs * 4.6;
  const availW = r.width - sideW - fs * 8;
  const availH = r.height - top - fs * 3.6;
  const s = Math.max(40, Math.min(availW, availH / (Math.sqrt(3) / 2)));
  const h = (s * Math.sqrt(3)) / 2;
  const x0 = fs * 4 + (availW - s) / 2;
  const yBase = top + h;
  const pos = (e: Entry): [number, number] => {
    const fb = e.composition.atomicFraction(B);
    const fc = e.composition.atomicFraction(C);
    return [x0 + s * (fb + fc / 2), yBase - h * fc];
  };
  const corners: Array<[number, number]> = [
    [x0, yBase],
    [x0 + s, yBase],
    [x0 + s / 2, yBase - h],
  ];
  const title = options.title ?? `${A}–${B}–${C} phase diagram`;
  const parts: string[] = [titleText(r, title)];
  parts.push(el('polygon', { points: corners.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' '), class: 'frame' }));

  const tieSegs = ties.map(([a, b]) => [...pos(a), ...pos(b)] as const);
  parts.push(
    el(
      'g',
      { class: 'tie-lines' },
      ties
        .map(([a, b], i) => {
          const [x1, y1, x2, y2] = tieSegs[i]!;
          return el('line', { x1, y1, x2, y2, class: 'tie-line', 'data-a': a.id, 'data-b': b.id }, tooltip(`${a.composition.reducedFormula} – ${b.composition.reducedFormula}`));
        })
        .join(''),
    ),
  );
  const rU = Math.max(2.2, fs * 0.24);
  const rS = Math.max(3.5, fs * 0.4);
  parts.push(el('g', { class: 'unstable-points' }, shown.map((st) => unstablePoint(st, ...pos(st.entry), cutoff, rU, options.pStable?.[st.entry.id])).join('')));
  const stable = [...sub.stable];
  parts.push(el('g', { class: 'stable-points' }, stable.map((st) => stablePoint(st, ...pos(st.entry), rS, options.pStable?.[st.entry.id])).join('')));

  // Corner labels: the elemental phases; the compounds get placed labels.
  const cornerOf = new Map([A, B, C].map((e, k) => [e, k]));
  const cornerBoxes: Box[] = [];
  const cornerLabels: string[] = [];
  const big = fs * 1.3;
  for (const st of stable) {
    if (!st.entry.isElement) continue;
    const k = cornerOf.get(st.entry.composition.elements[0]!)!;
    const [cx, cy] = corners[k]!;
    const label = st.entry.composition.reducedFormula;
    const w = formulaWidth(label, big);
    const [tx, ty, anchor] = k === 0 ? [cx - 8, cy + big * 1.2, 'end'] : k === 1 ? [cx + 8, cy + big * 1.2, 'start'] : [cx, cy - big * 0.7, 'middle'];
    const x1 = anchor === 'end' ? tx - w : anchor === 'middle' ? tx - w / 2 : tx;
    cornerBoxes.push({ x0: x1, x1: x1 + w, y0: ty - big, y1: ty + big * 0.3 });
    cornerLabels.push(formulaText(tx, ty, label, big, { class: 'label corner', 'data-label': label, 'text-anchor': anchor, 'font-size': big }));
  }
  parts.push(el('g', { class: 'corner-labels' }, cornerLabels.join('')));

  const compounds = stable.filter((st) => !st.entry.isElement);
  const items: LabelItem[] = compounds.map((st) => {
    const [x, y] = pos(st.entry);
    return { label: st.entry.composition.reducedFormula, x, y, gap: rS + 3, formula: true };
  });
  const obstacles = [...stable.map((st) => markerBox(...pos(st.entry), rS)), ...cornerBoxes];
  const frameSegs = corners.map((c, k) => [...c, ...corners[(k + 1) % 3]!] as const);
  const bounds: Box = { x0: 4, y0: fs * 2.6, x1: r.width - sideW - fs, y1: r.height - 4 };
  const soft = shown.map((st) => markerBox(...pos(st.entry), rU));
  const layer = labelLayer(items, fs, { bounds, obstacles, soft, segments: [...tieSegs, ...frameSegs] });
  parts.push(layer.svg);

  const lx = r.width - sideW;
  parts.push(
    sideColumn(
      lx,
      top,
      r.height - fs,
      fs,
      cutoff,
      hidden,
      options.showUnstable !== false,
      layer,
      hullLegend({ label: 'tie-line', className: 'tie-line' }, shown.length > 0),
      sideW - fs,
      options.pStable !== undefined,
    ),
  );

  const desc =
    options.description ??
    `Gibbs triangle of the ${A}–${B}–${C} system (${A} bottom left, ${B} bottom right, ${C} top). ` +
      `${stable.length} stable phases: ${stable.map((st) => st.entry.composition.reducedFormula).join(', ')}; ` +
      `${ties.length} tie-lines (edges of the convex hull's facets). ` +
      `${shown.length} unstable entries within ${formatNumber(cutoff, 3, true)} eV/atom of the hull, coloured by energy above hull` +
      (hidden ? `; ${hidden} further unstable entries not shown.` : '.');
  return svgRoot('ternary-hull', r, options, title, desc, parts.join(''));
}
