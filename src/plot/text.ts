// Text on a plot: estimated widths of a sans-serif font (for layout without a DOM), chemical
// formulas drawn with subscripted counts, and truncation with an ellipsis.
import { type Attr, el, escapeXml } from './markup.js';

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
