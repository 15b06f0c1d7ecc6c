// Labels drawn on a plot: placed where they fit (placement.ts), with leader lines, and a small
// number at the point for each one that does not fit, listed in a key beside the plot.
import { el, escapeXml, line, text } from './markup.js';
import { type Box, type Direction, type PlacementOptions, labelHeight, placeLabels } from './placement.js';
import { formulaText, formulaWidth, textWidth, truncate } from './text.js';

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
