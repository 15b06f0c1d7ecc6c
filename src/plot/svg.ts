// SVG building blocks shared by every plot: escaping, number formatting, nice ticks, scales,
// axes, legends, colour ramps, formula text with subscripts, label placement with simple
// collision avoidance, and the accessible, themed root element. Everything returns strings:
// no DOM, so the same code runs in Node (CLI `--plot`) and in browsers (web demo).

export class PlotError extends Error {
  override name = 'PlotError';
}

/** `auto` follows the viewer's light/dark preference (`prefers-color-scheme`); the others are fixed. */
export type Theme = 'auto' | 'light' | 'dark';

/** Options common to every plot. */
export interface PlotOptions {
  /** Width in px (the viewBox too). */
  width?: number;
  /** Height in px (the viewBox too). */
  height?: number;
  /** Plot title, also the accessible name (`<title>`). */
  title?: string;
  /** Accessible description (`<desc>`); a summary of the data by default. */
  description?: string;
  /** Default `auto`. */
  theme?: Theme;
  /** Base font size in px. Default 12. */
  fontSize?: number;
  /** Paint a background (default true); false leaves it transparent. */
  background?: boolean;
  /** id of the root `<svg>` (inner ids and the CSS scope derive from it); default: a hash of the content. */
  id?: string;
}

// ---------------------------------------------------------------------------------------------
// Escaping and numbers

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text or an attribute value for XML; characters XML forbids become U+FFFD. */
export function escapeXml(value: string): string {
  return String(value).replace(CONTROL, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A coordinate or length for an attribute: at most `digits` decimals, no `-0`; throws on NaN/∞. */
export function num(v: number, digits = 2): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PlotError(`internal: a coordinate is not a finite number (${String(v)})`);
  const r = Number(v.toFixed(digits));
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

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

// ---------------------------------------------------------------------------------------------
// Nice ticks and scales

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

// ---------------------------------------------------------------------------------------------
// Elements

type Attr = string | number | undefined | null | false;

/** `<tag attr="…">children</tag>` (self-closing without children); attribute values are escaped. */
export function el(tag: string, attrs: Record<string, Attr>, children?: string): string {
  let s = `<${tag}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    s += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return children === undefined || children === '' ? `${s}/>` : `${s}>${children}</${tag}>`;
}

/** A `<title>` child: the tooltip of the element that contains it. */
export function tooltip(text: string): string {
  return `<title>${escapeXml(text)}</title>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: Record<string, Attr> = {}): string {
  return el('line', { x1, y1, x2, y2, ...attrs });
}

export function polyline(points: ReadonlyArray<readonly [number, number]>, attrs: Record<string, Attr> = {}): string {
  return el('polyline', { points: points.map(([x, y]) => `${num(x)},${num(y)}`).join(' '), fill: 'none', ...attrs });
}

/** Plain text (escaped). */
export function text(x: number, y: number, content: string, attrs: Record<string, Attr> = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

// ---------------------------------------------------------------------------------------------
// Text metrics and formulas

// Rough advance widths (em) of a sans-serif font: enough to keep labels apart.
function charWidth(c: string): number {
  if ("il.,:;|!'’ ".includes(c)) return 0.3;
  if ('fjrtI()[]{}'.includes(c)) return 0.38;
  if ('mwMW'.includes(c)) return 0.88;
  if (c >= '0' && c <= '9') return 0.56;
  if ('+−-=<>~'.includes(c)) return 0.6;
  if (c >= 'A' && c <= 'Z') return 0.68;
  return 0.56;
}

/** Estimated width (px) of plain text at a font size. */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const c of s) w += charWidth(c);
  return w * fontSize;
}

const SUB_SCALE = 0.72;
const SUB_SHIFT = 0.28;

interface Run {
  readonly text: string;
  readonly sub: boolean;
}

/** Digits directly after an element symbol or a closing bracket are subscripts: Li10Ge(PS6)2. */
function formulaRuns(s: string): Run[] {
  const runs: Run[] = [];
  const re = /(?<=[A-Za-z)\]])\d+(?:\.\d+)?/g;
  let at = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index > at) runs.push({ text: s.slice(at, m.index), sub: false });
    runs.push({ text: m[0], sub: true });
    at = m.index + m[0].length;
  }
  if (at < s.length) runs.push({ text: s.slice(at), sub: false });
  return runs;
}

/** Estimated width (px) of a formula (or `A + B` list of formulas) drawn with subscripts. */
export function formulaWidth(s: string, fontSize: number): number {
  return formulaRuns(s).reduce((w, r) => w + textWidth(r.text, r.sub ? fontSize * SUB_SCALE : fontSize), 0);
}

/** Content of a `<text>`: the formula with subscripted counts (tspans shifted with dy). */
export function formulaSpans(s: string, fontSize: number): string {
  const shift = fontSize * SUB_SHIFT;
  let out = '';
  let down = false;
  for (const r of formulaRuns(s)) {
    if (r.sub) {
      out += el('tspan', { dy: down ? undefined : shift, 'font-size': fontSize * SUB_SCALE }, escapeXml(r.text));
      down = true;
    } else if (down) {
      out += el('tspan', { dy: -shift }, escapeXml(r.text));
      down = false;
    } else {
      out += escapeXml(r.text);
    }
  }
  return out;
}

/** A `<text>` showing a formula with subscripts; `data-label` carries the plain formula. */
export function formulaText(x: number, y: number, formula: string, fontSize: number, attrs: Record<string, Attr> = {}): string {
  // xml:space="preserve": without it a renderer may drop the space at the start of a tspan (librsvg does, even for U+00A0).
  return el('text', { x, y, 'xml:space': 'preserve', ...attrs }, formulaSpans(formula, fontSize));
}

/** Shortens text to a width with an ellipsis. */
export function truncate(s: string, width: number, fontSize: number): string {
  if (textWidth(s, fontSize) <= width) return s;
  const chars = [...s];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > width) chars.pop();
  return `${chars.join('')}…`;
}

// ---------------------------------------------------------------------------------------------
// Label placement

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export type Direction = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';

export interface LabelRequest {
  /** Point the label belongs to (px). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Distance from the point to the nearest edge of the label (the marker radius plus a gap). */
  readonly gap: number;
  /** Directions to try, best first (default: e, w, n, s, ne, nw, se, sw). */
  readonly prefer?: readonly Direction[];
}

export interface PlacedLabel {
  readonly box: Box;
  /** Baseline anchor for `<text>` with text-anchor `start`. */
  readonly x: number;
  readonly y: number;
  /** The label sits away from its point: draw a leader line from (x, y) of the point to `leaderTo`. */
  readonly leaderTo?: readonly [number, number];
}

export interface PlacementOptions {
  /** Labels must lie inside. */
  readonly bounds: Box;
  /** Boxes labels must not overlap (markers, legend). */
  readonly obstacles?: readonly Box[];
  /** Lines labels should not cross (a soft penalty). */
  readonly segments?: ReadonlyArray<readonly [number, number, number, number]>;
  /** Boxes labels had better not cover (small markers: a soft penalty each). */
  readonly soft?: readonly Box[];
  /** How many rings of growing distance to try before giving up (default 4). */
  readonly rings?: number;
}

const ALL_DIRECTIONS: readonly Direction[] = ['e', 'w', 'n', 's', 'ne', 'nw', 'se', 'sw'];

export function overlaps(a: Box, b: Box, pad = 0): boolean {
  return a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;
}

function inside(a: Box, b: Box): boolean {
  return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;
}

/** Whether the segment crosses the box (Liang–Barsky clipping). */
export function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  for (const [p, q] of [
    [-dx, x1 - b.x0],
    [dx, b.x1 - x1],
    [-dy, y1 - b.y0],
    [dy, b.y1 - y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}

function candidateBox(r: LabelRequest, dir: Direction, d: number): Box {
  const { x, y, width: w, height: h } = r;
  const diag = d * 0.75;
  switch (dir) {
    case 'e':
      return { x0: x + d, x1: x + d + w, y0: y - h / 2, y1: y + h / 2 };
    case 'w':
      return { x0: x - d - w, x1: x - d, y0: y - h / 2, y1: y + h / 2 };
    case 'n':
      return { x0: x - w / 2, x1: x + w / 2, y0: y - d - h, y1: y - d };
    case 's':
      return { x0: x - w / 2, x1: x + w / 2, y0: y + d, y1: y + d + h };
    case 'ne':
      return { x0: x + diag, x1: x + diag + w, y0: y - diag - h, y1: y - diag };
    case 'nw':
      return { x0: x - diag - w, x1: x - diag, y0: y - diag - h, y1: y - diag };
    case 'se':
      return { x0: x + diag, x1: x + diag + w, y0: y + diag, y1: y + diag + h };
    case 'sw':
      return { x0: x - diag - w, x1: x - diag, y0: y + diag, y1: y + diag + h };
  }
}

/** Nearest point of a box to (x, y). */
function nearestOnBox(b: Box, x: number, y: number): [number, number] {
  return [Math.min(Math.max(x, b.x0), b.x1), Math.min(Math.max(y, b.y0), b.y1)];
}

/**
 * Greedy label placement: each label in turn takes the best free spot around its point (in the
 * preferred directions, then farther away on up to `rings` rings, with a leader line), never
 * overlapping a label placed before it or an obstacle, and crossing as few segments as it can.
 * A label with no free spot gets `null`: the caller numbers it or lists it elsewhere.
 */
export function placeLabels(requests: readonly LabelRequest[], options: PlacementOptions): Array<PlacedLabel | null> {
  const placed: Box[] = [];
  const obstacles = options.obstacles ?? [];
  const segments = options.segments ?? [];
  const soft = options.soft ?? [];
  const rings = options.rings ?? 4;
  return requests.map((r) => {
    const dirs = r.prefer ?? ALL_DIRECTIONS;
    let best: { box: Box; cost: number; ring: number } | undefined;
    for (let ring = 0; ring < rings; ring++) {
      const d = r.gap + ring * (r.height * 1.1);
      dirs.forEach((dir, k) => {
        const box = candidateBox(r, dir, d);
        if (!inside(box, options.bounds)) return;
        if (placed.some((p) => overlaps(p, box, r.height * 0.3))) return;
        if (obstacles.some((o) => overlaps(o, box))) return;
        let cost = ring * 4 + k * 0.25;
        for (const [x1, y1, x2, y2] of segments) if (segmentHitsBox(x1, y1, x2, y2, box)) cost += 3;
        for (const b of soft) if (overlaps(b, box)) cost += 1;
        if (!best || cost < best.cost) best = { box, cost, ring };
      });
      if (best && best.cost < (ring + 1) * 4) break; // nothing farther can beat it
    }
    if (!best) return null;
    placed.push(best.box);
    const b = best.box;
    const out: PlacedLabel = { box: b, x: b.x0, y: baseline(b) };
    return best.ring > 0 ? { ...out, leaderTo: nearestOnBox(b, r.x, r.y) } : out;
  });
}

/** Baseline of a single text line drawn in a label box of height ≈ 1.25 em. */
function baseline(b: Box): number {
  return b.y0 + (b.y1 - b.y0) * 0.72;
}

/** Box of a label height for a font size (room for subscripts). */
export function labelHeight(fontSize: number): number {
  return fontSize * 1.25;
}

// ---------------------------------------------------------------------------------------------
// Colours

/** Sequential ramp green → amber → red, legible on light and dark backgrounds. */
const RAMP: ReadonlyArray<readonly [number, number, number]> = [
  [26, 152, 80],
  [145, 191, 60],
  [230, 171, 2],
  [240, 113, 30],
  [215, 48, 39],
];

/** Colour of t ∈ [0, 1] on the ramp (clamped), as #rrggbb. */
export function rampColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const f = u - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return (
    '#' +
    [0, 1, 2]
      .map((k) =>
        Math.round(a[k]! + (b[k]! - a[k]!) * f)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

interface Palette {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  accent: string;
  shade: string;
  pass: string;
  fail: string;
  neutral: string;
  highlight: string;
}

const LIGHT: Palette = {
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#59636e',
  grid: '#d8dee4',
  accent: '#0969da',
  shade: '#2da44e',
  pass: '#1a7f37',
  fail: '#cf222e',
  neutral: '#818b98',
  highlight: '#bf3989',
};

const DARK: Palette = {
  bg: '#0d1117',
  fg: '#e6edf3',
  muted: '#9198a1',
  grid: '#30363d',
  accent: '#4493f8',
  shade: '#3fb950',
  pass: '#3fb950',
  fail: '#f85149',
  neutral: '#6e7681',
  highlight: '#db61a2',
};

function themeRules(scope: string, p: Palette): string {
  const r = (sel: string, body: string) =>
    `${sel
      .split(',')
      .map((s) => `${scope} ${s.trim()}`)
      .join(',')}{${body}}`;
  return [
    r('.bg', `fill:${p.bg}`),
    r('text', `fill:${p.fg}`),
    r('text.label, text.label-ref', `stroke:${p.bg}`),
    r('.muted', `fill:${p.muted}`),
    r('.grid', `stroke:${p.grid}`),
    r('.axis, .tick', `stroke:${p.muted}`),
    r('.zero', `stroke:${p.muted}`),
    r('.frame', `stroke:${p.fg}`),
    r('.hull, .curve, .step', `stroke:${p.accent}`),
    r('.riser', `stroke:${p.accent}`),
    r('.stable', `fill:${p.fg};stroke:${p.bg}`),
    r('.unstable', `stroke:${p.fg}`),
    r('.tie-line', `stroke:${p.muted}`),
    r('.leader', `stroke:${p.muted}`),
    r('.kink', `fill:${p.accent};stroke:${p.bg}`),
    r('.min', `fill:${p.highlight};stroke:${p.bg}`),
    r('text.min-label', `fill:${p.highlight}`),
    r('.window', `fill:${p.shade}`),
    r('.limit', `stroke:${p.shade}`),
    r('text.limit-label', `fill:${p.shade}`),
    r('.threshold', `stroke:${p.highlight}`),
    r('.pass', `fill:${p.pass}`),
    r('.fail', `fill:${p.fail}`),
    r('.neutral', `fill:${p.neutral}`),
    r('.swatch-line', `stroke:${p.accent}`),
  ].join('');
}

function styleSheet(scope: string, theme: Theme, fontSize: number): string {
  const base =
    `${scope}{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue','DejaVu Sans',Arial,sans-serif;font-size:${num(fontSize)}px}` +
    `${scope} .title{font-weight:600}` +
    `${scope} .axis-label{font-weight:500}` +
    `${scope} .grid{stroke-width:1}` +
    `${scope} .axis{stroke-width:1}` +
    `${scope} .zero{stroke-dasharray:4 3;stroke-width:1}` +
    `${scope} .hull, ${scope} .curve{fill:none;stroke-width:2;stroke-linejoin:round}` +
    `${scope} .step{stroke-width:3;stroke-linecap:round}` +
    `${scope} .riser{stroke-width:1.2;stroke-dasharray:3 3}` +
    `${scope} .tie-line{stroke-width:1}` +
    `${scope} .frame{fill:none;stroke-width:1.5}` +
    `${scope} .leader{stroke-width:0.75}` +
    `${scope} .unstable{stroke-width:0.6;stroke-opacity:0.45}` +
    `${scope} .stable, ${scope} .kink, ${scope} .min{stroke-width:1.2}` +
    `${scope} .window{fill-opacity:0.13}` +
    `${scope} .limit{stroke-width:1.5;stroke-dasharray:5 3}` +
    `${scope} .threshold{stroke-width:1.5;stroke-dasharray:5 3}` +
    `${scope} .corner{font-weight:600}` +
    // A halo in the background colour keeps labels legible over points and lines.
    `${scope} text.label, ${scope} text.label-ref{paint-order:stroke;stroke-width:3px;stroke-linejoin:round;stroke-opacity:0.85}`;
  if (theme === 'light') return base + themeRules(scope, LIGHT);
  if (theme === 'dark') return base + themeRules(scope, DARK);
  return `${base + themeRules(scope, LIGHT)}@media (prefers-color-scheme: dark){${themeRules(scope, DARK)}}`;
}

// ---------------------------------------------------------------------------------------------
// Root, axes, legend

/** Placeholder for the root id inside a body; never produced by escaped user text. */
export const ID = '\u0001id\u0001';

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export interface ResolvedOptions {
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  readonly theme: Theme;
  readonly background: boolean;
}

/** Validates the common options and fills in defaults. */
export function resolveOptions(fn: string, o: PlotOptions, width: number, height: number): ResolvedOptions {
  const size = (name: string, v: unknown, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new PlotError(`${fn}: option ${name} must be a number >= ${min}, got ${String(v)}`);
    return v;
  };
  const theme = o.theme ?? 'auto';
  if (theme !== 'auto' && theme !== 'light' && theme !== 'dark') throw new PlotError(`${fn}: option theme must be 'auto', 'light' or 'dark', got ${JSON.stringify(theme)}`);
  if (o.id !== undefined && !/^[A-Za-z_][\w.-]*$/.test(o.id)) throw new PlotError(`${fn}: option id must be an XML name (letters, digits, _ . -), got ${JSON.stringify(o.id)}`);
  return {
    width: size('width', o.width, width, 120),
    height: size('height', o.height, height, 100),
    fontSize: size('fontSize', o.fontSize, 12, 4),
    theme,
    background: o.background ?? true,
  };
}

/**
 * The `<svg>` root around a body: `role="img"`, `<title>` and `<desc>` referenced by
 * `aria-labelledby`, a stylesheet scoped to the root id, an optional background.
 * Occurrences of `ID` in the body are replaced by the root id.
 */
export function svgRoot(kind: string, r: ResolvedOptions, o: PlotOptions, title: string, desc: string, body: string): string {
  const id = o.id ?? `interphase-${kind}-${hash(title + desc + body)}`;
  const scope = `#${id}`;
  const head =
    el('title', { id: `${id}-title` }, escapeXml(title)) +
    el('desc', { id: `${id}-desc` }, escapeXml(desc)) +
    el('style', {}, styleSheet(scope, r.theme, r.fontSize)) +
    (r.background ? el('rect', { class: 'bg', x: 0, y: 0, width: r.width, height: r.height }) : '');
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      id,
      class: `interphase-plot interphase-${kind}`,
      width: r.width,
      height: r.height,
      viewBox: `0 0 ${num(r.width)} ${num(r.height)}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
    },
    head + body.split(ID).join(id),
  )}\n`;
}

/** Plot area in px. */
export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface AxisSpec {
  readonly scale: Scale;
  readonly ticks: NiceTicks;
  readonly label?: string;
  readonly format?: (v: number) => string;
  /** Grid lines across the frame (default true). */
  readonly grid?: boolean;
}

/**
 * Bottom x axis and left y axis with ticks at `ticks.values` (each tick carries `data-value`),
 * optional grid lines and axis titles (the y title rotated).
 */
export function axes(frame: Frame, x: AxisSpec | null, y: AxisSpec | null, fontSize: number): string {
  const parts: string[] = [];
  const bottom = frame.y + frame.height;
  const right = frame.x + frame.width;
  const tickLen = 5;
  const inRange = (s: Scale, v: number) => {
    const p = s(v);
    const [a, b] = s.range;
    return p >= Math.min(a, b) - 0.5 && p <= Math.max(a, b) + 0.5;
  };
  if (x) {
    const fmt = x.format ?? ((v: number) => formatNumber(v, x.ticks.decimals));
    const ticks = x.ticks.values.filter((v) => inRange(x.scale, v));
    if (x.grid ?? true) for (const v of ticks) parts.push(line(x.scale(v), frame.y, x.scale(v), bottom, { class: 'grid' }));
    parts.push(line(frame.x, bottom, right, bottom, { class: 'axis' }));
    for (const v of ticks) {
      const px = x.scale(v);
      parts.push(
        el(
          'g',
          { class: 'tick x-tick', 'data-value': String(v) },
          line(px, bottom, px, bottom + tickLen, { class: 'tick' }) + text(px, bottom + tickLen + fontSize, fmt(v), { 'text-anchor': 'middle', class: 'muted' }),
        ),
      );
    }
    if (x.label) parts.push(text(frame.x + frame.width / 2, bottom + tickLen + fontSize * 2.6, x.label, { 'text-anchor': 'middle', class: 'axis-label' }));
  }
  if (y) {
    const fmt = y.format ?? ((v: number) => formatNumber(v, y.ticks.decimals));
    const ticks = y.ticks.values.filter((v) => inRange(y.scale, v));
    if (y.grid ?? true) for (const v of ticks) parts.push(line(frame.x, y.scale(v), right, y.scale(v), { class: 'grid' }));
    parts.push(line(frame.x, frame.y, frame.x, bottom, { class: 'axis' }));
    let widest = 0;
    for (const v of ticks) {
      const py = y.scale(v);
      const label = fmt(v);
      widest = Math.max(widest, textWidth(label, fontSize));
      parts.push(
        el(
          'g',
          { class: 'tick y-tick', 'data-value': String(v) },
          line(frame.x - tickLen, py, frame.x, py, { class: 'tick' }) + text(frame.x - tickLen - 3, py + fontSize * 0.35, label, { 'text-anchor': 'end', class: 'muted' }),
        ),
      );
    }
    if (y.label) {
      const lx = frame.x - tickLen - 3 - widest - fontSize * 0.9;
      const ly = frame.y + frame.height / 2;
      parts.push(text(lx, ly, y.label, { 'text-anchor': 'middle', transform: `rotate(-90 ${num(lx)} ${num(ly)})`, class: 'axis-label' }));
    }
  }
  return el('g', { class: 'axes' }, parts.join(''));
}

export interface LegendItem {
  readonly label: string;
  /** Swatch: a marker, a line or a filled box; `className` styles it, `color` overrides the fill. */
  readonly kind: 'point' | 'line' | 'box';
  readonly className?: string;
  readonly color?: string;
}

/** A vertical legend with its top-left corner at (x, y); returns the markup and its height. */
export function legend(items: readonly LegendItem[], x: number, y: number, fontSize: number): { svg: string; height: number } {
  const rowH = fontSize * 1.5;
  const parts = items.map((it, i) => {
    const cy = y + rowH * i + rowH / 2;
    const sw =
      it.kind === 'point'
        ? el('circle', { cx: x + 8, cy, r: 4.5, class: it.className, fill: it.color })
        : it.kind === 'line'
          ? line(x, cy, x + 16, cy, { class: it.className ?? 'swatch-line', 'stroke-width': 2 })
          : el('rect', { x, y: cy - 5, width: 16, height: 10, class: it.className, fill: it.color });
    return sw + text(x + 22, cy + fontSize * 0.35, it.label);
  });
  return { svg: el('g', { class: 'legend' }, parts.join('')), height: rowH * items.length };
}

/**
 * A vertical colour bar for the ramp from 0 (top) to `max` (bottom) with nice tick labels;
 * the gradient id derives from the root id.
 */
export function colorBar(x: number, y: number, height: number, max: number, title: string, fontSize: number): { svg: string; height: number } {
  const gid = `${ID}-ramp`;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => el('stop', { offset: t, 'stop-color': rampColor(t) })).join('');
  const top = y + fontSize * 2.1;
  const w = 12;
  const s = linearScale([0, max], [top, top + height]);
  const ticks = niceTicks(0, max, 4, false);
  const parts = [
    text(x, y + fontSize, title),
    el('defs', {}, el('linearGradient', { id: gid, x1: 0, y1: 0, x2: 0, y2: 1 }, stops)),
    el('rect', { x, y: top, width: w, height, fill: `url(#${gid})` }),
    ...ticks.values.map((v) =>
      el(
        'g',
        { class: 'tick', 'data-value': String(v) },
        line(x + w, s(v), x + w + 4, s(v), { class: 'tick' }) + text(x + w + 7, s(v) + fontSize * 0.35, formatNumber(v, ticks.decimals), { class: 'muted' }),
      ),
    ),
  ];
  return { svg: el('g', { class: 'colorbar' }, parts.join('')), height: height + fontSize * 2.1 };
}

/** Title text centred at the top. */
export function titleText(r: ResolvedOptions, title: string): string {
  return text(r.width / 2, r.fontSize * 1.8, truncate(title, r.width - 20, r.fontSize * 1.25), { 'text-anchor': 'middle', class: 'title', 'font-size': r.fontSize * 1.25 });
}

/** Throws a PlotError unless v is a finite number. */
export function requireFinite(fn: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PlotError(`${fn}: ${what} must be a finite number, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Labels with a fallback

export interface LabelItem {
  /** The label (a formula when `formula` is true, drawn with subscripts). */
  readonly label: string;
  readonly x: number;
  readonly y: number;
  /** Marker radius + gap. */
  readonly gap: number;
  readonly prefer?: readonly Direction[];
  readonly formula?: boolean;
  readonly className?: string;
  /** Font size (px) of this label; default the base size. */
  readonly fontSize?: number;
}

export interface LabelLayer {
  readonly svg: string;
  /** Labels that found no room: drawn as numbers at their points, to be listed by `labelKey`. */
  readonly unplaced: ReadonlyArray<{ readonly n: number; readonly item: LabelItem }>;
}

/**
 * Places labels (`placeLabels`); each label that finds no room is replaced by a small number at its
 * point, listed by `labelKey`. Every label's text element has `data-label` with the plain label.
 */
export function labelLayer(items: readonly LabelItem[], fontSize: number, options: PlacementOptions): LabelLayer {
  const size = (it: LabelItem) => it.fontSize ?? fontSize;
  const requests = items.map((it) => {
    const fs = size(it);
    const width = it.formula ? formulaWidth(it.label, fs) : textWidth(it.label, fs);
    return { x: it.x, y: it.y, width, height: labelHeight(fs), gap: it.gap, ...(it.prefer ? { prefer: it.prefer } : {}) };
  });
  const placed = placeLabels(requests, options);
  const parts: string[] = [];
  const taken: Box[] = [];
  placed.forEach((p, i) => {
    if (!p) return;
    const it = items[i]!;
    taken.push(p.box);
    if (p.leaderTo) parts.push(leader(it, p.leaderTo));
    const attrs = { class: `label${it.className ? ` ${it.className}` : ''}`, 'data-label': it.label, 'font-size': it.fontSize };
    parts.push(it.formula ? formulaText(p.x, p.y, it.label, size(it), attrs) : text(p.x, p.y, it.label, attrs));
  });
  const unplaced: Array<{ n: number; item: LabelItem }> = [];
  const missing = items.filter((_, i) => !placed[i]);
  const small = fontSize * 0.85;
  const numbers = placeLabels(
    missing.map((it, k) => ({ x: it.x, y: it.y, width: textWidth(String(k + 1), small), height: labelHeight(small), gap: it.gap - 1 })),
    { ...options, obstacles: [...(options.obstacles ?? []), ...taken], rings: 3 },
  );
  missing.forEach((it, k) => {
    const n = k + 1;
    unplaced.push({ n, item: it });
    const p = numbers[k];
    const x = p ? p.x : it.x + it.gap;
    const y = p ? p.y : it.y + small * 0.35;
    if (p?.leaderTo) parts.push(leader(it, p.leaderTo));
    parts.push(text(x, y, String(n), { class: 'label-ref muted', 'font-size': small, 'data-ref': n }));
  });
  return { svg: el('g', { class: 'labels' }, parts.join('')), unplaced };
}

function leader(it: LabelItem, to: readonly [number, number]): string {
  const dx = to[0] - it.x;
  const dy = to[1] - it.y;
  const len = Math.hypot(dx, dy);
  const r = Math.max(0, it.gap - 3);
  if (len <= r + 1) return '';
  return line(it.x + (dx / len) * r, it.y + (dy / len) * r, to[0], to[1], { class: 'leader' });
}

/** The list of numbered labels (`n  label`), top-left at (x, y), cut to `maxHeight` with "…". */
export function labelKey(unplaced: LabelLayer['unplaced'], x: number, y: number, fontSize: number, maxHeight: number, maxWidth: number): string {
  if (unplaced.length === 0) return '';
  const rowH = fontSize * 1.35;
  const rows = Math.max(1, Math.floor(maxHeight / rowH));
  const parts: string[] = [];
  unplaced.forEach(({ n, item }, i) => {
    if (i >= rows) return;
    const yy = y + rowH * (i + 0.8);
    if (i === rows - 1 && unplaced.length > rows) {
      parts.push(text(x, yy, `… ${unplaced.length - i} more`, { class: 'muted' }));
      // Still name them, so every label exists once in the document.
      parts.push(
        el(
          'g',
          { class: 'label-overflow' },
          unplaced
            .slice(i)
            .map(({ n: m, item: it }) => el('text', { x, y: yy, 'data-label': it.label, 'data-ref': m, visibility: 'hidden' }, escapeXml(it.label)))
            .join(''),
        ),
      );
      return;
    }
    const label = truncate(item.label, maxWidth - fontSize * 2, fontSize);
    parts.push(text(x, yy, String(n), { class: 'muted', 'data-ref': n }));
    const attrs = { class: 'label key-label', 'data-label': item.label };
    parts.push(item.formula ? formulaText(x + fontSize * 1.8, yy, label, fontSize, attrs) : text(x + fontSize * 1.8, yy, label, attrs));
  });
  return el('g', { class: 'label-key' }, parts.join(''));
}
