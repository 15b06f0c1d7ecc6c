/**
 * Hulls of a chemical system's stable phases from its facets, kept per SystemIndex and evaluation
 * and shared by every element profile and window of the system: the thousands of Li compositions
 * of a dataset fall in a few hundred systems, and the facets one composition needed are there for
 * the next (facet-walk.ts finds them on demand), with no linear program per question.
 *
 * Each facet's plane μ·x supports the convex hull, so along a segment x(t) = (1−t)·a + t·b the
 * hull is the upper envelope of the lines μ_f·a + t·μ_f·(b − a) over all facets — and over the
 * known ones it is the hull wherever each line's facet contains both ends of its stretch. So: the
 * envelope of the known facets, each stretch's ends walked to the facet containing them, repeated
 * until no walk finds a new plane. Its breakpoints are the kinks `SystemIndex.segment` finds by
 * LPs, with the same tolerances. Anything unusual (a degenerate hull, a lost walk) returns
 * undefined and the caller keeps to the LP path.
 */
import type { Entry } from '../core/index.js';
import { insertByShare } from './basis-store.js';
import { startFacet } from './facet-enumeration.js';
import { FacetWalker } from './facet-walk.js';
import { crossedStretches, EDGE, grazedAt, LINE_TOL, pointOn, samePlane } from './segment-walk.js';
import { onPlane, shareTolerance, unresolvedFractions } from './hull.js';
import type { SegmentPoint } from './segment-points.js';
import type { PhaseAmount, SystemIndex } from './system-hull.js';

/** The hull along a segment: breakpoints (0, kinks…, 1), the facet of each stretch, the facet containing each breakpoint. */
export interface FacetSegment {
  readonly ts: readonly number[];
  readonly facets: readonly number[];
  readonly at: readonly number[];
}

const MAX_ROUNDS = 200;
// Facets' vertex numbers kept per SystemIndex (each facet also keeps its d×d inverse: ~30 MB at
// six elements), the oldest systems dropped beyond it.
const BUDGET = 500_000;

interface Cache {
  evaluations: number;
  size: number;
  readonly systems: Map<string, FacetWalker | null>;
}
const caches = new WeakMap<SystemIndex, Cache>();

/**
 * The facet walker of system `els` (sorted) after `evaluate()`; undefined when its hull is
 * degenerate. `key`: els joined by '-' (a composition's `chemicalSystem`, when the caller has it).
 */
export function systemFacets(index: SystemIndex, els: readonly string[], key = els.join('-')): FacetWalker | undefined {
  let cache = caches.get(index);
  if (!cache || cache.evaluations !== index.evaluations) caches.set(index, (cache = { evaluations: index.evaluations, size: 0, systems: new Map() }));
  let hit = cache.systems.get(key);
  if (hit === undefined) {
    hit = start(index, els) ?? null;
    while (cache.size > BUDGET && cache.systems.size) {
      const [oldest, f] = cache.systems.entries().next().value!;
      cache.systems.delete(oldest);
      cache.size -= f ? f.count * f.d : 0;
    }
    cache.systems.set(key, hit);
  }
  return hit ?? undefined;
}

/** Counts facets found since the last call against the cache's budget. */
function account(index: SystemIndex, h: FacetWalker, before: number): void {
  const cache = caches.get(index);
  if (cache) cache.size += (h.count - before) * h.d;
}

function start(index: SystemIndex, els: readonly string[]): FacetWalker | undefined {
  const d = els.length;
  if (d < 2 || d > 20) return undefined;
  const { cols, set } = index.stablePoints(els);
  const first = startFacet(set.pts, cols.length, d);
  if (!first) return undefined;
  const h = new FacetWalker(Int32Array.from(cols), set.pts, d);
  return h.facet(first) < 0 ? undefined : h;
}

let lineC = new Float64Array(0);
let lineM = new Float64Array(0);

/**
 * The hull along x(t) = (1−t)·a + t·b (atomic fractions over the system's elements): by walking the
 * facets the segment crosses (segment-walk.ts), or where that cannot be completed (or `walk` is
 * false) by the envelope of known facets; undefined if a walk is lost. The walk's kinks are where
 * the segment crosses a ridge, not where the facets' lines meet: two stretches of nearly one plane
 * (steps 1e-5 eV apart) meet at a badly conditioned point, ~1e-9 off the ridge, which a phase of
 * the next facet enters with a 1e-8 share — enough to change the step's reaction and uptake.
 */
export function facetSegment(index: SystemIndex, h: FacetWalker, a: Float64Array, b: Float64Array, walk = true): FacetSegment | undefined {
  const before = h.count;
  const d = h.d;
  const x = new Float64Array(d);
  let lines = 0;
  try {
    const walked = walk ? crossedStretches(h, a, b) : undefined;
    if (walked) return breakpointFacets(h, a, b, walked.ts, walked.facets, x);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      lines = addLines(h, a, b, lines);
      const { ts, facets } = envelope(h.count);
      // Every stretch's facet must contain both its ends; else the walk there finds a higher plane.
      const known = h.count;
      let found = false;
      for (let i = 0; i < ts.length; i++) {
        pointOn(a, b, ts[i]!, x);
        // The stretches on either side (one at the ends).
        for (let j = Math.max(0, i - 1); j <= i && j < facets.length; j++) {
          const f = facets[j]!;
          const g = h.walk(f, x);
          if (g < 0) return undefined;
          if (g !== f && !samePlane(h, g, f, a, b)) found = true;
        }
      }
      if (!found) return canonical(h, a, b, ts, facets, x);
      if (h.count === known) return undefined; // a higher plane already known: round-off, leave it to the LPs
    }
    return undefined;
  } finally {
    account(index, h, before);
  }
}

/**
 * The envelope with its facets made independent of the order the system's questions came in:
 * where several facets hold a stretch (the segment along a face between them, or a flat piece of
 * the hull cut into several), which one the envelope met first depends on what was found before.
 * The one a walk from the system's first facet meets does not, so a window computed in a worker
 * that asked other questions first has the same numbers to the last bit. The kinks are then the
 * meeting points of those facets' lines, and each breakpoint's phases its facet's.
 */
function canonical(h: FacetWalker, a: Float64Array, b: Float64Array, ts: number[], facets: number[], x: Float64Array): FacetSegment | undefined {
  // Twice: the second time from kinks that are the first facets' (not the envelope's, whose
  // round-off depends on the lines met first). When the first pass moved no kink, the second
  // would walk to the same points and find the same facets and kinks: skipped.
  for (let pass = 0; pass < 2; pass++) {
    // Each walk starts where the last one ended (the first from facet 0): a walk's end depends
    // only on the facet it starts from (its vertices) and the point, so the chain is as
    // independent of the system's past questions as walks from facet 0, and far shorter.
    let from = 0;
    for (let j = 0; j < facets.length; j++) {
      const g = h.walk(from, pointOn(a, b, (ts[j]! + ts[j + 1]!) / 2, x));
      if (g < 0) return undefined;
      facets[j] = g;
      from = g;
    }
    if (!lineKinks(h, a, b, ts, facets)) break;
  }
  return breakpointFacets(h, a, b, ts, facets, x);
}

/**
 * The kinks of the stretches' facets where their lines meet (the same numbers whichever way the
 * facets were found) into `ts`; whether any moved. For the envelope only (the walk has its ridge
 * crossings).
 */
function lineKinks(h: FacetWalker, a: Float64Array, b: Float64Array, ts: number[], facets: readonly number[]): boolean {
  let moved = false;
  for (let j = 1; j < facets.length; j++) {
    const l = facets[j - 1]!;
    const r = facets[j]!;
    const cl = h.planeAt(l, a);
    const cr = h.planeAt(r, a);
    const dm = h.planeAt(r, b) - cr - (h.planeAt(l, b) - cl);
    if (dm > LINE_TOL) {
      const t = (cl - cr) / dm;
      if (t !== ts[j]) moved = true;
      ts[j] = t;
    }
  }
  return moved;
}

/** The segment with the facet holding each breakpoint (walked from its stretch's); undefined if a walk is lost. */
function breakpointFacets(h: FacetWalker, a: Float64Array, b: Float64Array, ts: number[], facets: number[], x: Float64Array): FacetSegment | undefined {
  const at: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const g = h.walk(facets[Math.min(i, facets.length - 1)]!, pointOn(a, b, ts[i]!, x));
    if (g < 0) return undefined;
    at.push(g);
  }
  return { ts, facets, at };
}

/** Lines c + m·t of facets [from, count) into lineC / lineM; returns count. */
function addLines(h: FacetWalker, a: Float64Array, b: Float64Array, from: number): number {
  const { count, d, mu } = h;
  if (lineC.length < count) {
    const c = new Float64Array(Math.max(count, 2 * lineC.length));
    const m = new Float64Array(c.length);
    c.set(lineC.subarray(0, from));
    m.set(lineM.subarray(0, from));
    lineC = c;
    lineM = m;
  }
  for (let f = from; f < count; f++) {
    let ca = 0;
    let cb = 0;
    for (let k = 0, o = f * d; k < d; k++, o++) {
      ca += mu[o]! * a[k]!;
      cb += mu[o]! * b[k]!;
    }
    lineC[f] = ca;
    lineM[f] = cb - ca;
  }
  return count;
}

/** The upper envelope on [0, 1] of lines [0, count): breakpoints and the line of each stretch. */
function envelope(count: number): { ts: number[]; facets: number[] } {
  const c = lineC;
  const m = lineM;
  let cmax = -Infinity;
  for (let f = 0; f < count; f++) if (c[f]! > cmax) cmax = c[f]!;
  // The line just past t = 0: highest there, and the steepest of those.
  let cur = -1;
  for (let f = 0; f < count; f++) if (c[f]! >= cmax - LINE_TOL && (cur < 0 || m[f]! > m[cur]!)) cur = f;
  const ts = [0];
  const facets = [cur];
  let t = 0;
  for (;;) {
    // The nearest line overtaking the current one.
    let best = Infinity;
    const cc = c[cur]!;
    const mc = m[cur]!;
    for (let f = 0; f < count; f++) {
      const dm = m[f]! - mc;
      if (dm <= LINE_TOL) continue;
      const tf = (cc - c[f]!) / dm;
      if (tf < best) best = tf;
    }
    if (!(best < 1 - EDGE)) break;
    if (best < t) best = t;
    // Of the lines meeting there, the steepest holds past it (skips lines touching at one point).
    const v = cc + mc * best - LINE_TOL;
    let next = -1;
    for (let f = 0; f < count; f++) {
      if (m[f]! - mc <= LINE_TOL || c[f]! + m[f]! * best < v) continue;
      if (next < 0 || m[f]! > m[next]!) next = f;
    }
    // A line the segment only grazes is no stretch of its own (grazedAt).
    let tk = best;
    while (facets.length >= 2) {
      const l = facets[facets.length - 2]!;
      const mid = facets[facets.length - 1]!;
      const tl = grazedAt(c[l]!, m[l]!, c[mid]!, m[mid]!, c[next]!, m[next]!);
      if (tl === undefined) break;
      facets.pop();
      ts.pop();
      tk = tl;
    }
    ts.push(tk);
    facets.push(next);
    cur = next;
    t = best;
  }
  ts.push(1);
  return { ts, facets };
}

/**
 * The hull along a → b (over `els`, sorted) as `segmentPoints` gives it by LPs — breakpoints, the
 * hull energy at each, phases when read — from the system's facets, shared by every question in
 * the system (an interface matrix asks hundreds per system and μ); undefined when they cannot give
 * it (a tiny fraction, a degenerate hull, a lost walk): then the LPs. A breakpoint's energy is the
 * plane of the facet holding it; a kink's phases lie on both its stretches' planes (phasesIn).
 */
export function facetSegmentPoints(index: SystemIndex, els: readonly string[], a: Float64Array, b: Float64Array): SegmentPoint[] | undefined {
  if (unresolvedFractions(els, a) ?? unresolvedFractions(els, b)) return undefined;
  const h = systemFacets(index, els);
  const seg = h && facetSegment(index, h, a, b);
  if (!h || !seg) return undefined;
  const out: SegmentPoint[] = [];
  for (let i = 0; i < seg.ts.length; i++) out.push(new FacetPoint(index.entries, h, seg, i, pointOn(a, b, seg.ts[i]!, new Float64Array(h.d))));
  return out;
}

/** Breakpoint i of a facet segment: its energy on the facet holding it, its phases when read (a reaction reads its minimum's). */
class FacetPoint implements SegmentPoint {
  readonly t: number;
  readonly value: number;
  #phases: PhaseAmount[] | undefined;
  constructor(
    private readonly entries: readonly Entry[],
    private readonly h: FacetWalker,
    private readonly seg: FacetSegment,
    private readonly i: number,
    private readonly x: Float64Array,
  ) {
    this.t = seg.ts[i]!;
    this.value = h.planeAt(seg.at[i]!, x);
  }

  get decomposition(): PhaseAmount[] {
    return (this.#phases ??= breakpointPhases(this.entries, this.h, this.seg, this.i, this.x));
  }
}

/**
 * The phases at breakpoint i of a facet segment (x: its point), from the facet holding it; at a
 * kink, only those on both stretches' planes (phasesIn). Element profiles and interface reactions
 * read their breakpoints' phases through it.
 */
export function breakpointPhases(entries: readonly Entry[], h: FacetWalker, seg: FacetSegment, i: number, x: Float64Array): PhaseAmount[] {
  const { facets, at } = seg;
  const kink = i > 0 && i < facets.length ? ([facets[i - 1]!, facets[i]!] as const) : undefined;
  return phasesIn(entries, h, at[i]!, x, kink);
}

/**
 * The hull value at x and its decomposition (as `SystemIndex.hullAt` over stable phases); undefined
 * if the walk is lost. The walk starts from facet `from`, the system's first by default: from a
 * facet that was itself found without depending on the system's past questions, the facet met (of
 * several, when x is on a face between them) does not depend on them either.
 */
export function facetHullAt(index: SystemIndex, h: FacetWalker, x: Float64Array, from = 0): { value: number; decomposition: () => PhaseAmount[] } | undefined {
  const before = h.count;
  const f = h.walk(from, x);
  account(index, h, before);
  if (f < 0) return undefined;
  return { value: h.planeAt(f, x), decomposition: () => phasesIn(index.entries, h, f, x) };
}

/**
 * Phases of facet f (which contains x) with a share above shareTolerance, largest first (as
 * phasesOf). At a kink, `planes`: the facets of the stretches either side — a phase present there
 * lies on both their planes, and one that does not (a point placed off the ridge, where two
 * nearly parallel lines meet) is dropped, the others' shares rescaled.
 */
export function phasesIn(entries: readonly Entry[], h: FacetWalker, f: number, x: Float64Array, planes?: readonly [number, number]): PhaseAmount[] {
  const { d, verts, cols, lambda, pts, mu } = h;
  h.barycentric(f, x);
  const minShare = shareTolerance(x, 0, d);
  let kept = 0;
  let dropped = false;
  for (let r = 0; planes && r < d; r++) {
    if (!(lambda[r]! > minShare)) continue;
    const v = verts[f * d + r]!;
    if (onPlane(pts, d, v, mu, planes[0] * d) && onPlane(pts, d, v, mu, planes[1] * d)) kept += lambda[r]!;
    else {
      lambda[r] = 0; // (the walker's scratch, rewritten by its next barycentric)
      dropped = true;
    }
  }
  const out: PhaseAmount[] = [];
  for (let r = 0; r < d; r++) {
    const share = lambda[r]!;
    if (share > minShare) insertByShare(out, entries[cols[verts[f * d + r]!]!]!, dropped ? share / kept : share);
  }
  return out;
}
