// Writing SVG as strings: XML escaping, coordinates for attributes, and the element builders
// (`el`, lines, polylines, plain text, tooltips) every other module draws with. No DOM, so the
// same code runs in Node (CLI `--plot`) and in browsers (web demo).
import { PlotError } from './options.js';

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

export type Attr = string | number | undefined | null | false;

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
