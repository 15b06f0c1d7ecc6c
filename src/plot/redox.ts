// An electrolyte's own redox against voltage: its decomposition energy per atom (top) and the
// capacity its uptake or release of the ion carries (bottom), the stability window shaded.
import { el, line, polyline, text, tooltip } from './markup.js';
import { PlotError, type PlotOptions, requireFinite, resolveOptions } from './options.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, type Frame, svgRoot, titleText } from './svg.js';

/** Plot data: the steps of `electrolyteRedox` (thermo), as plain numbers. */
export interface RedoxPlotData {
  composition: string;
  element: string;
  window: { reductionV: number; oxidationV: number };
  /** Consecutive voltage ranges (the last may run to Infinity); energies in eV/atom of electrolyte at both ends, capacity in mAh/g. */
  steps: Array<{ fromV: number; toV: number; energyFrom: number; energyTo: number; capacity: number; products: string[] }>;
}

export interface RedoxPlotOptions extends PlotOptions {
  /** Right end of the voltage axis (default: 1 V beyond the last transition, at least 5 V). */
  maxVoltage?: number;
}

/** Decomposition energy and capacity against voltage, one panel each, sharing the voltage axis. */
export function redoxSvg(data: RedoxPlotData, options: RedoxPlotOptions = {}): string {
  const fn = 'redoxSvg';
  const d = validate(fn, data);
  const r = resolveOptions(fn, options, 720, 560);
  const fs = r.fontSize;
  const last = d.steps[d.steps.length - 1]!.fromV;
  const maxV = options.maxVoltage ?? Math.max(5, last + 1);
  if (!(Number.isFinite(maxV) && maxV > 0)) throw new PlotError(`${fn}: option maxVoltage must be a number > 0, got ${String(options.maxVoltage)}`);
  // Each step clipped to [0, maxV], with its energy at the clipped ends (affine in between).
  const seg = d.steps
    .filter((s) => s.fromV < maxV)
    .map((s) => {
      const to = Math.min(s.toV, maxV);
      const slope = Number.isFinite(s.toV) ? (s.energyTo - s.energyFrom) / (s.toV - s.fromV || 1) : s.energyTo - s.energyFrom;
      return { ...s, to, eTo: s.energyFrom + slope * (to - s.fromV) };
    });
  const gap = fs * 3.2;
  const left = fs * 6.5;
  const top = fs * 4.6;
  const panelH = (r.height - top - fs * 4.6 - gap) / 2;
  const width = r.width - left - fs * 2;
  const eFrame: Frame = { x: left, y: top, width, height: panelH };
  const qFrame: Frame = { x: left, y: top + panelH + gap, width, height: panelH };
  const xt = niceTicks(0, maxV, 6);
  const sx = linearScale([0, xt.stop], [left, left + width]);
  const es = seg.flatMap((s) => [s.energyFrom, s.eTo]);
  const yE = niceTicks(Math.min(0, ...es), Math.max(0, ...es) || 0.1, 5);
  const sE = linearScale([yE.start, yE.stop], [eFrame.y + eFrame.height, eFrame.y]);
  const qs = seg.map((s) => s.capacity);
  const yQ = niceTicks(0, Math.max(1, ...qs), 5);
  const sQ = linearScale([yQ.start, yQ.stop], [qFrame.y + qFrame.height, qFrame.y]);
  const title = options.title ?? `${d.composition}: its own redox against ${d.element}`;
  const parts: string[] = [titleText(r, title)];
  for (const f of [eFrame, qFrame]) {
    const a = sx(Math.max(0, d.window.reductionV));
    const b = sx(Math.min(maxV, Number.isFinite(d.window.oxidationV) ? d.window.oxidationV : maxV));
    if (b > a) parts.push(el('rect', { class: 'window', x: a, y: f.y, width: b - a, height: f.height }));
  }
  parts.push(axes(eFrame, { scale: sx, ticks: xt }, { scale: sE, ticks: yE, label: 'E_D (eV/atom)' }, fs));
  parts.push(axes(qFrame, { scale: sx, ticks: xt, label: `Voltage (V vs ${d.element})` }, { scale: sQ, ticks: yQ, label: 'Capacity (mAh/g)' }, fs));
  parts.push(line(eFrame.x, sE(0), eFrame.x + width, sE(0), { class: 'zero' }));
  parts.push(
    polyline(
      seg.flatMap((s) => [[sx(s.fromV), sE(s.energyFrom)] as const, [sx(s.to), sE(s.eTo)] as const]),
      { class: 'curve' },
    ),
  );
  const steps = seg.map((s) =>
    el(
      'g',
      { class: 'redox-step', 'data-from': String(s.fromV), 'data-capacity': String(s.capacity) },
      line(sx(s.fromV), sQ(s.capacity), sx(s.to), sQ(s.capacity), { class: 'step' }) +
        tooltip(
          `${formatNumber(s.fromV, 3)}–${formatNumber(s.to, 3)} V: ${s.products.join(' + ')}, ${formatNumber(s.capacity, 0)} mAh/g, E_D ${formatNumber(s.energyFrom, 3)} → ${formatNumber(s.eTo, 3)} eV/atom`,
        ),
    ),
  );
  parts.push(el('g', { class: 'steps' }, steps.join('')));
  const w = d.window;
  parts.push(
    text(
      left + fs * 0.5,
      eFrame.y + fs * 1.2,
      `window ${formatNumber(w.reductionV, 2)}–${formatNumber(w.oxidationV, 2)} V; at 0 V: ${formatNumber(seg[0]!.energyFrom, 3)} eV/atom, ${formatNumber(seg[0]!.capacity, 0)} mAh/g`,
      { class: 'muted' },
    ),
  );
  const desc =
    options.description ??
    `Decomposition energy per atom of ${d.composition} and the capacity of its own redox against ${d.element} from 0 to ${formatNumber(maxV, 1)} V: ` +
      seg.map((s) => `${formatNumber(s.fromV, 2)}–${formatNumber(s.to, 2)} V ${s.products.join(' + ')} (${formatNumber(s.capacity, 0)} mAh/g)`).join('; ');
  return svgRoot('redox', r, options, title, desc, parts.join(''));
}

function validate(fn: string, d: RedoxPlotData): RedoxPlotData {
  if (d === null || typeof d !== 'object') throw new PlotError(`${fn}: data must be an object, got ${String(d)}`);
  if (typeof d.composition !== 'string' || typeof d.element !== 'string') throw new PlotError(`${fn}: data.composition and data.element must be strings`);
  if (!Array.isArray(d.steps) || d.steps.length === 0) throw new PlotError(`${fn}: data.steps must be a non-empty array`);
  d.steps.forEach((s, i) => {
    for (const k of ['fromV', 'energyFrom', 'energyTo', 'capacity'] as const) requireFinite(fn, `data.steps[${i}].${k}`, s?.[k]);
    if (!(s.toV > s.fromV || (i === d.steps.length - 1 && s.toV === Infinity) || s.toV === s.fromV)) throw new PlotError(`${fn}: data.steps[${i}] runs from ${s.fromV} to ${s.toV} V`);
  });
  return d;
}
