// Where labels go: boxes, the greedy placement of labels around their points that avoids other
// labels and obstacles and crosses few lines, and the geometry it needs. Pure geometry in px,
// no markup: labels.ts draws what this decides.

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
