/**
 * The hull along a segment by walking the facets it crosses, in order: from the facet holding the
 * segment's first point, across the ridge each facet's segment piece leaves by, to the facet
 * holding its last — each facet met once, no envelope to confirm. The first choice of
 * system-facets.ts; anything unusual (a walk that makes no progress, the composition boundary, a
 * degenerate facet, a stretch the segment only grazes) returns undefined and it keeps to its
 * envelope of known facets.
 *
 * Where the segment passes through a face shared by several facets (a phase on the tie line: the
 * composition's own, among others), the facet taken is the one holding the segment just past the
 * point — barycentric coordinates compared first by value, then, where zero, by their slope along
 * the segment. Every step depends only on the facet it starts from (its vertices) and the segment,
 * so the facets found do not depend on what the system was asked before.
 */
import type { FacetWalker } from './facet-walk.js';

/** A barycentric coordinate within this of 0 is on its ridge; a slope within it, along it. */
const ZERO = 1e-12;
/** As the LP segment kernel (assembly/index.ts), for the walk and the envelope alike: lines within this are one facet. */
export const LINE_TOL = 1e-11;
/** Kinks this near t = 1 are not kinks. */
export const EDGE = 1e-9;
/** Ridges crossed at one point before giving up (a cycle round a degenerate face). */
const MAX_TURNS = 64;
const MAX_FACETS = 10_000;

let p = new Float64Array(8);
let q = new Float64Array(8);

/**
 * The stretches of the hull along x(t) = (1−t)·a + t·b: their facets (consecutive facets of one
 * plane merged, the first kept) and the t each is entered at (0 first, then 1 closing the last);
 * undefined when the walk cannot be completed.
 */
export function crossedStretches(h: FacetWalker, a: Float64Array, b: Float64Array): { ts: number[]; facets: number[] } | undefined {
  const d = h.d;
  if (p.length < d) {
    p = new Float64Array(d);
    q = new Float64Array(d);
  }
  let f = h.walk(0, a);
  if (f < 0) return undefined;
  const ts: number[] = [];
  const facets: number[] = [];
  let t = 0;
  let turns = 0;
  for (let count = 0; count < MAX_FACETS; count++) {
    // λ(t) = p + t·q in facet f.
    h.barycentric(f, a);
    for (let r = 0; r < d; r++) p[r] = h.lambda[r]!;
    h.barycentric(f, b);
    for (let r = 0; r < d; r++) q[r] = h.lambda[r]! - p[r]!;
    // Does f hold x(t + ε)? The ridge most in the way if not: a negative coordinate first, else
    // the steepest falling one of those at zero.
    let worst = -1;
    let worstV = -ZERO;
    let zeroR = -1;
    let zeroQ = -ZERO;
    for (let r = 0; r < d; r++) {
      const v = p[r]! + t * q[r]!;
      if (v < worstV) {
        worstV = v;
        worst = r;
      } else if (v <= ZERO && q[r]! < zeroQ) {
        zeroQ = q[r]!;
        zeroR = r;
      }
    }
    const across = worst >= 0 ? worst : zeroR;
    if (across >= 0) {
      if (++turns > MAX_TURNS) return undefined;
      f = h.neighbour(f, across);
      if (f < 0) return undefined;
      count--;
      continue;
    }
    turns = 0;
    if (!push(h, a, b, ts, facets, t, f)) return undefined;
    // Where the segment leaves f: the first falling coordinate to reach zero.
    let exit = Infinity;
    for (let r = 0; r < d; r++) {
      if (q[r]! >= -ZERO) continue;
      const te = t - (p[r]! + t * q[r]!) / q[r]!;
      if (te < exit) exit = te;
    }
    if (!(exit < 1 - EDGE)) {
      ts.push(1);
      return { ts, facets };
    }
    t = exit;
  }
  return undefined;
}

/**
 * Facet f entered at t: a new stretch unless it has the last one's plane. False where the stretch
 * before it only grazes its facet (`grazedAt`): the envelope drops such a stretch, and keeps that
 * rule in one place.
 */
function push(h: FacetWalker, a: Float64Array, b: Float64Array, ts: number[], facets: number[], t: number, f: number): boolean {
  const n = facets.length;
  if (n > 0 && (facets[n - 1] === f || samePlane(h, facets[n - 1]!, f, a, b))) return true;
  if (n >= 2) {
    // The three facets' planes along the segment, lines c + m·t.
    const l = facets[n - 2]!;
    const mid = facets[n - 1]!;
    const cl = h.planeAt(l, a);
    const cm = h.planeAt(mid, a);
    const c = h.planeAt(f, a);
    if (grazedAt(cl, h.planeAt(l, b) - cl, cm, h.planeAt(mid, b) - cm, c, h.planeAt(f, b) - c) !== undefined) return false;
  }
  facets.push(f);
  ts.push(t);
  return true;
}

/** Whether facets g and f have one line along the segment (within LINE_TOL). */
export function samePlane(h: FacetWalker, g: number, f: number, a: Float64Array, b: Float64Array): boolean {
  const cg = h.planeAt(g, a);
  const cf = h.planeAt(f, a);
  return Math.abs(cg - cf) <= LINE_TOL && Math.abs(h.planeAt(g, b) - cg - (h.planeAt(f, b) - cf)) <= LINE_TOL;
}

/**
 * Where the lines before and after a stretch (cl + ml·t, cn + mn·t) meet, if the stretch's own line
 * (cm + mm·t) is within LINE_TOL of them there — the segment only grazes its facet, and the LP
 * kernel confirms its neighbours' kink there — else undefined.
 */
export function grazedAt(cl: number, ml: number, cm: number, mm: number, cn: number, mn: number): number | undefined {
  const dm = mn - ml;
  if (!(dm > LINE_TOL)) return undefined;
  const tl = (cl - cn) / dm;
  return cm + mm * tl - (cl + ml * tl) <= LINE_TOL ? tl : undefined;
}

/** x(t) = (1−t)·a + t·b into x. */
export function pointOn(a: Float64Array, b: Float64Array, t: number, x: Float64Array): Float64Array {
  for (let k = 0; k < x.length; k++) x[k] = (1 - t) * a[k]! + t * b[k]!;
  return x;
}
