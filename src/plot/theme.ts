// Colour: the sequential ramp for values (E_hull and the like), the light and dark palettes, and
// the stylesheet that applies them to a plot's classes, scoped to its root id.
import { num } from './markup.js';
import type { Theme } from './options.js';

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
    r('.band', `fill:${p.accent}`),
    r('.limit-band', `fill:${p.shade}`),
    r('.limit', `stroke:${p.shade}`),
    r('text.limit-label', `fill:${p.shade}`),
    r('.threshold', `stroke:${p.highlight}`),
    r('.pass', `fill:${p.pass}`),
    r('.fail', `fill:${p.fail}`),
    r('.neutral', `fill:${p.neutral}`),
    r('.swatch-line', `stroke:${p.accent}`),
  ].join('');
}

export function styleSheet(scope: string, theme: Theme, fontSize: number): string {
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
    `${scope} .band{fill-opacity:0.2;stroke:none}` +
    `${scope} .limit-band{fill-opacity:0.18;stroke:none}` +
    `${scope} .limit{stroke-width:1.5;stroke-dasharray:5 3}` +
    `${scope} .threshold{stroke-width:1.5;stroke-dasharray:5 3}` +
    `${scope} .corner{font-weight:600}` +
    // A halo in the background colour keeps labels legible over points and lines.
    `${scope} text.label, ${scope} text.label-ref{paint-order:stroke;stroke-width:3px;stroke-linejoin:round;stroke-opacity:0.85}`;
  if (theme === 'light') return base + themeRules(scope, LIGHT);
  if (theme === 'dark') return base + themeRules(scope, DARK);
  return `${base + themeRules(scope, LIGHT)}@media (prefers-color-scheme: dark){${themeRules(scope, DARK)}}`;
}
