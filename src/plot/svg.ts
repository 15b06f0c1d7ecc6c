// The frame of a plot, composed from the modules beside it: the accessible, themed `<svg>`
// root, the axes, legends and the colour bar, and the title. The plots build their body from
// these and the primitives in markup.ts, text.ts, scales.ts and labels.ts.
import { el, escapeXml, line, num, text } from './markup.js';
import type { PlotOptions, ResolvedOptions } from './options.js';
import { type NiceTicks, type Scale, formatNumber, linearScale, niceTicks } from './scales.js';
import { textWidth, truncate } from './text.js';
import { rampColor, styleSheet } from './theme.js';

/** Placeholder for the root id inside a body; never produced by escaped user text. */
export const ID = '\u0001id\u0001';

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
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
/** `invert`: the top of the ramp is `max`, the bottom 0 (a probability: 1 is good). */
export function colorBar(x: number, y: number, height: number, max: number, title: string, fontSize: number, invert = false): { svg: string; height: number } {
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
        line(x + w, s(v), x + w + 4, s(v), { class: 'tick' }) + text(x + w + 7, s(v) + fontSize * 0.35, formatNumber(invert ? max - v : v, ticks.decimals), { class: 'muted' }),
      ),
    ),
  ];
  return { svg: el('g', { class: 'colorbar' }, parts.join('')), height: height + fontSize * 2.1 };
}

/** Title text centred at the top. */
export function titleText(r: ResolvedOptions, title: string): string {
  return text(r.width / 2, r.fontSize * 1.8, truncate(title, r.width - 20, r.fontSize * 1.25), { 'text-anchor': 'middle', class: 'title', 'font-size': r.fontSize * 1.25 });
}
