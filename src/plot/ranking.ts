// Horizontal bars for a screening ranking.
import { el, line, text, tooltip } from './markup.js';
import { PlotError, requireFinite, resolveOptions, type PlotOptions } from './options.js';
import { formatNumber, linearScale, niceTicks } from './scales.js';
import { axes, legend, svgRoot, titleText, type Frame } from './svg.js';
import { textWidth, truncate } from './text.js';

export interface RankingRow {
  /** Candidate name (a formula, an id, …). */
  name: string;
  score: number;
  /** Passed the screen (green), failed (red), or not judged (grey) when absent. */
  pass?: boolean;
  /** Per-criterion values, shown as small annotations after the bars: `{ 'E_hull': 0.012, window: '1.7–2.3 V' }`. */
  values?: Record<string, number | string>;
}

export interface RankingOptions extends PlotOptions {
  /** Title of the score axis (default `score`). */
  scoreLabel?: string;
  /** Sort by score (`desc`, `asc`) or keep the given order (`none`, default). */
  sort?: 'desc' | 'asc' | 'none';
  /** A vertical line at this score (the screening threshold). */
  threshold?: number;
  /** Show at most this many rows (the rest are summarised in the description). */
  maxRows?: number;
  /** Decimals of numeric values and scores (default 3, trailing zeros trimmed). */
  decimals?: number;
}

/**
 * One bar per row from 0 to its score, coloured pass / fail / not judged, the score printed at
 * its end, per-criterion values annotated in a column on the right, an optional threshold line.
 * The height grows with the number of rows unless `height` is given.
 */
export function rankingSvg(rows: readonly RankingRow[], options: RankingOptions = {}): string {
  const fn = 'rankingSvg';
  if (!Array.isArray(rows)) throw new PlotError(`${fn}: rows must be an array`);
  rows.forEach((row, i) => {
    if (!row || typeof row.name !== 'string') throw new PlotError(`${fn}: rows[${i}].name must be a string`);
    requireFinite(fn, `rows[${i}].score (${JSON.stringify(row.name)})`, row.score);
    if (row.pass !== undefined && typeof row.pass !== 'boolean') throw new PlotError(`${fn}: rows[${i}].pass must be a boolean`);
    for (const [k, v] of Object.entries(row.values ?? {})) {
      if (typeof v === 'number' ? Number.isNaN(v) : typeof v !== 'string') throw new PlotError(`${fn}: rows[${i}].values[${JSON.stringify(k)}] must be a number or a string, got ${String(v)}`);
    }
  });
  const sort = options.sort ?? 'none';
  if (!['desc', 'asc', 'none'].includes(sort)) throw new PlotError(`${fn}: option sort must be 'desc', 'asc' or 'none', got ${JSON.stringify(sort)}`);
  const maxRows = options.maxRows ?? Infinity;
  if (!(maxRows >= 1)) throw new PlotError(`${fn}: option maxRows must be >= 1, got ${String(maxRows)}`);
  const threshold = options.threshold === undefined ? undefined : requireFinite(fn, 'option threshold', options.threshold);
  const dec = options.decimals ?? 3;
  if (!Number.isInteger(dec) || dec < 0 || dec > 8) throw new PlotError(`${fn}: option decimals must be an integer 0..8, got ${String(dec)}`);

  const ordered = sort === 'none' ? [...rows] : [...rows].sort((a, b) => (sort === 'desc' ? b.score - a.score : a.score - b.score));
  const shown = ordered.slice(0, Math.min(ordered.length, maxRows));
  const fsBase = options.fontSize ?? 12;
  const top = fsBase * 4.2;
  const bottom = fsBase * 4.2;
  const rowH0 = fsBase * 1.9;
  const r = resolveOptions(fn, options, 720, Math.max(160, top + bottom + Math.max(1, shown.length) * rowH0));
  const fs = r.fontSize;
  const rowH = shown.length ? (r.height - top - bottom) / shown.length : rowH0;

  const val = (v: number | string) => (typeof v === 'number' ? formatNumber(v, dec, true) : v);
  const annotation = (row: RankingRow) =>
    Object.entries(row.values ?? {})
      .map(([k, v]) => `${k} ${val(v)}`)
      .join(' · ');
  const small = fs * 0.85;
  const nameW = Math.min(r.width * 0.28, Math.max(fs * 3, ...shown.map((row) => textWidth(row.name, fs))) + fs);
  const annW = Math.min(r.width * 0.34, Math.max(0, ...shown.map((row) => textWidth(annotation(row), small))));
  const annGap = annW > 0 ? fs * 1.2 : 0;
  const frame: Frame = { x: nameW + fs, y: top, width: r.width - nameW - fs * 2 - annW - annGap, height: rowH * Math.max(1, shown.length) };
  if (frame.width < 60) throw new PlotError(`${fn}: width ${r.width} px leaves no room for the bars; give a larger width`);

  const scores = shown.map((row) => row.score);
  const lo = Math.min(0, ...scores, threshold ?? 0);
  const hi = Math.max(0, ...scores, threshold ?? 0);
  const xt = niceTicks(lo, hi === lo ? lo + 1 : hi + (hi - lo) * 0.1, 6);
  const sx = linearScale([xt.start, xt.stop], [frame.x, frame.x + frame.width]);
  const title = options.title ?? 'Screening ranking';
  const parts: string[] = [titleText(r, title)];
  parts.push(axes(frame, { scale: sx, ticks: xt, label: options.scoreLabel ?? 'score' }, null, fs));
  const x0 = sx(0);
  parts.push(line(x0, frame.y, x0, frame.y + frame.height, { class: 'axis' }));

  const barH = Math.max(2, Math.min(rowH * 0.66, fs * 1.5));
  const bars = shown.map((row, i) => {
    const cy = frame.y + rowH * (i + 0.5);
    const xs = sx(row.score);
    const cls = row.pass === undefined ? 'neutral' : row.pass ? 'pass' : 'fail';
    const status = row.pass === undefined ? '' : row.pass ? ' (pass)' : ' (fail)';
    const ann = annotation(row);
    const tip = `${row.name}: ${formatNumber(row.score, dec, true)}${status}${ann ? `\n${ann}` : ''}`;
    const bar = el(
      'rect',
      { x: Math.min(x0, xs), y: cy - barH / 2, width: Math.max(0.5, Math.abs(xs - x0)), height: barH, class: `bar ${cls}`, 'data-name': row.name, 'data-score': String(row.score) },
      tooltip(tip),
    );
    const name = text(nameW, cy + fs * 0.35, truncate(row.name, nameW - fs * 0.5, fs), { 'text-anchor': 'end', class: 'name', 'data-name': row.name });
    const neg = row.score < 0;
    const scoreText = text(xs + (neg ? -4 : 4), cy + small * 0.35, formatNumber(row.score, dec, true), { 'text-anchor': neg ? 'end' : 'start', class: 'score muted', 'font-size': small });
    const annText = ann ? text(frame.x + frame.width + annGap, cy + small * 0.35, truncate(ann, annW, small), { class: 'annotation muted', 'font-size': small }) : '';
    return el('g', { class: 'row', 'data-rank': i + 1 }, `${bar}${name}${scoreText}${annText}`);
  });
  parts.push(el('g', { class: 'bars' }, bars.join('')));
  const kinds = new Set(shown.map((row) => (row.pass === undefined ? 'neutral' : row.pass ? 'pass' : 'fail')));
  let legendEnd = frame.x;
  if (kinds.has('pass') || kinds.has('fail')) {
    const items = [
      ...(kinds.has('pass') ? [{ label: 'pass', kind: 'box' as const, className: 'pass' }] : []),
      ...(kinds.has('fail') ? [{ label: 'fail', kind: 'box' as const, className: 'fail' }] : []),
      ...(kinds.has('neutral') ? [{ label: 'not judged', kind: 'box' as const, className: 'neutral' }] : []),
    ];
    // One row of legend under the title.
    let lx = frame.x;
    const lg = items.map((it) => {
      const g = legend([it], lx, fs * 2.5, small);
      lx += 30 + textWidth(it.label, small);
      return g.svg;
    });
    parts.push(el('g', { class: 'legend-row', 'font-size': small }, lg.join('')));
    legendEnd = lx;
  }
  if (threshold !== undefined) {
    const tx = sx(threshold);
    parts.push(line(tx, frame.y - fs * 0.4, tx, frame.y + frame.height, { class: 'threshold', 'data-value': String(threshold) }));
    // Above the line, clear of the legend row (shifted right of it if they would meet).
    const label = `threshold ${formatNumber(threshold, dec, true)}`;
    const w = textWidth(label, small);
    const x = Math.min(r.width - fs - w / 2, Math.max(tx, legendEnd + w / 2));
    parts.push(text(x, frame.y - fs * 0.7, label, { 'text-anchor': 'middle', class: 'threshold-label muted', 'font-size': small }));
  }
  if (shown.length < ordered.length) {
    parts.push(text(r.width - fs, r.height - fs * 0.6, `${ordered.length - shown.length} more not shown`, { 'text-anchor': 'end', class: 'muted', 'font-size': small }));
  }
  const desc =
    options.description ??
    `${ordered.length} candidates ranked by ${options.scoreLabel ?? 'score'}${shown.length < ordered.length ? ` (top ${shown.length} shown)` : ''}: ` +
      shown.map((row, i) => `${i + 1}. ${row.name} ${formatNumber(row.score, dec, true)}${row.pass === undefined ? '' : row.pass ? ' pass' : ' fail'}`).join('; ') +
      '.';
  return svgRoot('ranking', r, options, title, desc, parts.join(''));
}
