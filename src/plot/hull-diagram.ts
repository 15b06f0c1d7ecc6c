// Convex-hull diagrams: formation energy vs composition for a binary system, and the Gibbs
// triangle (stable phases, tie-lines, unstable entries coloured by E_hull) for a ternary one.
import { Composition } from '../core/index.js';
import type { Entry } from '../core/index.js';
import type { EntryStability, PhaseDiagram } from '../thermo/index.js';
import {
  PlotError,
  axes,
  colorBar,
  el,
  formatNumber,
  labelKey,
  labelLayer,
  legend,
  line,
  linearScale,
  niceTicks,
  polyline,
  rampColor,
  resolveOptions,
  svgRoot,
  text,
  titleText,
  tooltip,
  truncate,
  formulaText,
  formulaWidth,
  type Box,
  type Frame,
  type LabelItem,
  type PlotOptions,
} from './svg.js';

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
}

const DEFAULT_CUTOFF = 0.2;
/** A pair of stable phases is a tie-line candidate when the hull at its midpoint is this close to the chord (eV/atom). */
const ON_HULL_TOL = 1e-6;
/** A third stable phase this close (atomic fraction) to a candidate segment lies on it. */
const COLLINEAR_TOL = 1e-9;
/** Orientations (twice the signed area, atomic fractions²) below this do not count as a crossing. */
const CROSS_EPS = 1e-12;

interface SubSystem {
  readonly elements: readonly string[];
  /** Entries made of these elements only, with their stability in the diagram. */
  readonly rows: readonly EntryStability[];
  readonly stable: readonly EntryStability[];
}

/** The entries of a 2- or 3-element (sub-)system of a phase diagram. */
function subSystem(pd: PhaseDiagram, n: number, fn: string, elements?: readonly string[]): SubSystem {
  let els: readonly string[];
  if (elements !== undefined) {
    if (!Array.isArray(elements) || elements.length !== n) {
      throw new PlotError(`${fn}: option elements must list ${n} elements, got ${Array.isArray(elements) ? `${elements.length} (${elements.join('-')})` : String(elements)}`);
    }
    const seen = new Set<string>();
    for (const e of elements) {
      if (!pd.elements.includes(e)) throw new PlotError(`${fn}: element ${JSON.stringify(e)} is not in the phase diagram (${pd.elements.join('-')})`);
      if (seen.has(e)) throw new PlotError(`${fn}: element ${e} is listed twice in option elements`);
      seen.add(e);
    }
    els = [...elements];
  } else {
    if (pd.elements.length !== n) {
      const which = n === 2 ? 'binary' : 'ternary';
      throw new PlotError(
        `${fn} plots a ${n}-element (${which}) phase diagram, but this one has ${pd.elements.length} element${pd.elements.length === 1 ? '' : 's'} (${pd.elements.join('-')})` +
          (pd.elements.length > n ? `: pass options.elements (${n} of them) to plot a ${n}-element sub-system` : ''),
      );
    }
    els = pd.elements;
  }
  const set = new Set(els);
  const rows = pd.analyze().filter((r) => r.entry.composition.elements.every((e) => set.has(e)));
  return { elements: els, rows, stable: rows.filter((r) => r.stable) };
}

/**
 * The tie-lines of a binary or ternary (sub-)system: pairs of stable phases joined by an edge of
 * the lower convex hull (for a ternary, the edges of its triangular facets, the sides of the Gibbs
 * triangle between neighbouring stable phases included; for a binary, neighbouring stable phases).
 *
 * Method: for every pair of stable phases, the hull energy at the midpoint of their compositions
 * (`pd.hullFormationEnergyPerAtom`, the LP over all stable phases) is compared with the chord, the
 * mean of their formation energies. The hull is convex, so the chord lies on the hull over the
 * whole segment iff it does at the midpoint: those pairs (gap ≤ 1e-6 eV/atom) are candidates.
 * A candidate passing through a third stable phase is not an edge (it is two). What remains are
 * the edges of the hull's faces plus, where four or more stable phases are coplanar (a face that
 * is not a triangle), the diagonals of such faces: candidates are taken in order of gap (then
 * length) and one that properly crosses an edge already taken is dropped. A true edge never
 * crosses another, and every non-edge segment between two vertices crosses an edge or passes
 * through a vertex, so this yields the facets' edges exactly, and a triangulation (shortest
 * diagonals first) of any non-triangular face. Each tie-line is [a, b] with a listed before b in
 * the diagram's entries.
 */
export function tieLines(pd: PhaseDiagram, elements?: readonly string[]): Array<[Entry, Entry]> {
  const n = elements?.length ?? pd.elements.length;
  if (n !== 2 && n !== 3) throw new PlotError(`tieLines: needs a 2- or 3-element (sub-)system, got ${n} elements (${(elements ?? pd.elements).join('-')}); pass 2 or 3 elements`);
  return tieLinesOf(pd, subSystem(pd, n, 'tieLines', elements));
}

function tieLinesOf(pd: PhaseDiagram, sub: SubSystem): Array<[Entry, Entry]> {
  const els = sub.elements;
  const pts = sub.stable.map((r) => {
    const f = els.map((e) => r.entry.composition.atomicFraction(e));
    return { entry: r.entry, e: r.eFormPerAtom, f, p: [f[1]!, f[2] ?? 0] as const };
  });
  const cands: Array<{ i: number; j: number; gap: number; len: number }> = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const a = pts[i]!;
      const b = pts[j]!;
      const mid: Record<string, number> = {};
      els.forEach((e, k) => {
        const v = (a.f[k]! + b.f[k]!) / 2;
        if (v > 0) mid[e] = v;
      });
      const gap = (a.e + b.e) / 2 - pd.hullFormationEnergyPerAtom(Composition.fromDict(mid));
      if (gap <= ON_HULL_TOL) cands.push({ i, j, gap, len: Math.hypot(a.p[0] - b.p[0], a.p[1] - b.p[1]) });
    }
  }
  cands.sort((x, y) => x.gap - y.gap || x.len - y.len || x.i - y.i || x.j - y.j);
  const taken: Array<{ i: number; j: number }> = [];
  for (const c of cands) {
    const a = pts[c.i]!.p;
    const b = pts[c.j]!.p;
    const through = pts.some((q, k) => k !== c.i && k !== c.j && onSegment(a, b, q.p));
    if (through) continue;
    if (taken.some((t) => crosses(a, b, pts[t.i]!.p, pts[t.j]!.p))) continue;
    taken.push(c);
  }
  return taken.sort((x, y) => x.i - y.i || x.j - y.j).map((t) => [pts[t.i]!.entry, pts[t.j]!.entry]);
}

type P = readonly [number, number];

function orient(a: P, b: P, c: P): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** q lies on the open segment ab (within COLLINEAR_TOL). */
function onSegment(a: P, b: P, q: P): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return false;
  const t = ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2;
  if (t <= COLLINEAR_TOL || t >= 1 - COLLINEAR_TOL) return false;
  return Math.hypot(a[0] + t * dx - q[0], a[1] + t * dy - q[1]) <= COLLINEAR_TOL;
}

/** ab and cd cross at a point interior to both. */
function crosses(a: P, b: P, c: P, d: P): boolean {
  const same = (u: P, v: P) => u[0] === v[0] && u[1] === v[1];
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  const strict = (u: number, v: number) => (u > CROSS_EPS && v < -CROSS_EPS) || (u < -CROSS_EPS && v > CROSS_EPS);
  return strict(o1, o2) && strict(o3, o4);
}

function pointTooltip(r: EntryStability): string {
  const lines = [
    `${r.entry.id}: ${r.entry.composition.reducedFormula}`,
    `E_form = ${formatNumber(r.eFormPerAtom, 4)} eV/atom`,
    r.stable ? `E_hull = 0 (stable)` : `E_hull = ${formatNumber(r.eAboveHull, 4)} eV/atom`,
  ];
  if (r.phaseSeparationEnergy !== undefined) lines.push(`phase separation energy = ${formatNumber(r.phaseSeparationEnergy, 4)} eV/atom`);
  return lines.join('\n');
}

function cutoffOf(fn: string, o: HullPlotOptions): number {
  const c = o.eHullCutoff ?? DEFAULT_CUTOFF;
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new PlotError(`${fn}: option eHullCutoff must be a finite number >= 0 (eV/atom), got ${String(c)}`);
  return c;
}

function shownUnstable(sub: SubSystem, o: HullPlotOptions, cutoff: number): { shown: EntryStability[]; hidden: number } {
  const unstable = sub.rows.filter((r) => !r.stable);
  if (o.showUnstable === false) return { shown: [], hidden: unstable.length };
  // Highest E_hull first, so the entries nearest the hull are drawn on top.
  const shown = unstable.filter((r) => r.eAboveHull <= cutoff).sort((a, b) => b.eAboveHull - a.eAboveHull);
  return { shown, hidden: unstable.length - shown.length };
}

function unstablePoint(r: EntryStability, cx: number, cy: number, cutoff: number, radius: number): string {
  const color = rampColor(cutoff > 0 ? r.eAboveHull / cutoff : 0);
  return el('circle', { cx, cy, r: radius, class: 'point unstable', fill: color, 'data-id': r.entry.id }, tooltip(pointTooltip(r)));
}

function stablePoint(r: EntryStability, cx: number, cy: number, radius: number): string {
  return el('circle', { cx, cy, r: radius, class: 'point stable', 'data-id': r.entry.id }, tooltip(pointTooltip(r)));
}

function markerBox(x: number, y: number, r: number): Box {
  return { x0: x - r, y0: y - r, x1: x + r, y1: y + r };
}

/** Legend column: symbols, E_hull colour bar, what is hidden, and the key of numbered labels. */
function sideColumn(
  x: number,
  y: number,
  bottom: number,
  fs: number,
  cutoff: number,
  hidden: number,
  showUnstable: boolean,
  layer: ReturnType<typeof labelLayer>,
  items: Parameters<typeof legend>[0],
  width: number,
): string {
  const parts: string[] = [];
  const lg = legend(items, x, y, fs);
  parts.push(lg.svg);
  let at = y + lg.height + fs;
  if (showUnstable && cutoff > 0) {
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
  parts.push(el('g', { class: 'unstable-points' }, shown.map((s) => unstablePoint(s, sx(xOf(s.entry)), sy(s.eFormPerAtom), cutoff, rU)).join('')));
  parts.push(el('g', { class: 'stable-points' }, stable.map((s, i) => stablePoint(s, hullPts[i]![0], hullPts[i]![1], rS)).join('')));

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
      [
        { label: 'stable phase', kind: 'point', className: 'stable' },
        { label: 'convex hull', kind: 'line', className: 'hull' },
        ...(shown.length ? [{ label: 'unstable entry', kind: 'point' as const, className: 'unstable', color: rampColor(0.5) }] : []),
      ],
      r.width - lx - fs,
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
  parts.push(el('g', { class: 'unstable-points' }, shown.map((st) => unstablePoint(st, ...pos(st.entry), cutoff, rU)).join('')));
  const stable = [...sub.stable];
  parts.push(el('g', { class: 'stable-points' }, stable.map((st) => stablePoint(st, ...pos(st.entry), rS)).join('')));

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
      [
        { label: 'stable phase', kind: 'point', className: 'stable' },
        { label: 'tie-line', kind: 'line', className: 'tie-line' },
        ...(shown.length ? [{ label: 'unstable entry', kind: 'point' as const, className: 'unstable', color: rampColor(0.5) }] : []),
      ],
      sideW - fs,
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
