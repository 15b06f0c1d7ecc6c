/**
 * The hull over a chemical system's stable phases along a segment x(t) = (1−t)·a + t·b: its kinks
 * by the LP kernel (hull.ts `hullSegment`), the energy at each breakpoint (the ends' by their own
 * LP, the kinks' on the facet lines, exact there), the facets' chemical potentials, and each
 * breakpoint's phases solved only when read — an interface reaction reports its minimum, not
 * every kink. The stable points come from the index's cache (`stablePoints`).
 */
import type { Entry } from '../core/index.js';
import type { PhaseAmount } from './basis-store.js';
import { hullBatch, type HullBatchResult, HullError, hullSegment, onPlane, type PointSet, type SegmentFacet, shareTolerance, unresolvedFractions } from './hull.js';
import { phasesOf } from './system-solve.js';

/** A breakpoint of the hull along a segment: position, hull energy, and the phases there (solved when read). */
export interface SegmentPoint {
  readonly t: number;
  readonly value: number;
  readonly decomposition: PhaseAmount[];
}

/** The hull along a segment of composition space between two compositions. */
export interface LocalSegment {
  /** Breakpoints: both ends and every kink, ascending t (fraction of the way from a to b). */
  readonly points: readonly SegmentPoint[];
  /** Chemical potentials of the facet between consecutive points (one fewer than points). */
  readonly facetMu: ReadonlyArray<Record<string, number>>;
}

/** What a segment reads of a SystemIndex (not imported: the index's `segment` is this module's). */
export interface SegmentSource {
  readonly entries: readonly Entry[];
  stablePoints(els: readonly string[]): { readonly cols: readonly number[]; readonly set: PointSet };
}

/** The hull over the stable phases of system `els` (any order; a and b per element of `els`) along a → b. */
export function hullAlong(index: SegmentSource, els: readonly string[], a: Float64Array, b: Float64Array): LocalSegment {
  const { sorted, points, facets } = breakpoints(index, els, a, b);
  const facetMu = facets.map((f) => Object.fromEntries(sorted.map((el, k) => [el, f.mu[k]!])));
  return { points, facetMu };
}

/** The breakpoints of `hullAlong`, without the facets' chemical potentials (an interface reaction reads none). */
export function segmentPoints(index: SegmentSource, els: readonly string[], a: Float64Array, b: Float64Array): readonly SegmentPoint[] {
  return breakpoints(index, els, a, b).points;
}

/** The breakpoints along a → b (elements sorted, and a, b with them) and the kink search's facets. */
function breakpoints(index: SegmentSource, els: readonly string[], a: Float64Array, b: Float64Array) {
  const sorted = [...els].sort();
  const perm = sorted.map((el) => els.indexOf(el));
  const as = Float64Array.from(perm, (k) => a[k]!);
  const bs = Float64Array.from(perm, (k) => b[k]!);
  const why = unresolvedFractions(sorted, as) ?? unresolvedFractions(sorted, bs);
  if (why) throw new HullError(`segment between ${[as, bs].map((x) => sorted.map((el, k) => (x[k]! > 0 ? `${el}${x[k]}` : '')).join('')).join(' and ')} (atomic fractions): ${why}`);
  const d = sorted.length;
  const { cols, set } = index.stablePoints(sorted);
  const alive = new Uint8Array(cols.length).fill(1);
  const seg = hullSegment(set, alive, as, bs);
  const ts = [0, ...seg.kinks, 1];
  const at = (t: number) => Float64Array.from(as, (ak, k) => (1 - t) * ak + t * bs[k]!);
  const ends = new Float64Array(2 * d);
  ends.set(at(0));
  ends.set(at(1), d);
  const r = hullBatch(set, alive, ends);
  const last = ts.length - 1;
  const points = ts.map((t, q): SegmentPoint => {
    const end = q === 0 ? 0 : q === last ? 1 : -1;
    if (end >= 0 && Number.isNaN(r.values[end]!)) throw new HullError(`no hull energy found at t=${t} between the two compositions`);
    const f = end < 0 ? seg.facets[q - 1]! : undefined;
    let phases: PhaseAmount[] | undefined;
    return {
      t,
      value: f ? f.c + f.m * t : r.values[end]!,
      get decomposition() {
        if (!phases) {
          const x = end < 0 ? at(t) : ends.subarray(end * d, (end + 1) * d);
          let one = end < 0 ? hullBatch(set, alive, x) : r;
          if (Number.isNaN(one.values[Math.max(end, 0)]!)) throw new HullError(`no hull energy found at t=${t} between the two compositions`);
          if (end < 0) one = onBothPlanes(one, set, seg.facets[q - 1]!, seg.facets[q]!);
          phases = phasesOf(index.entries, one, d, Math.max(end, 0), cols, shareTolerance(x, 0, d));
        }
        return phases;
      },
    };
  });
  return { sorted, points, facets: seg.facets };
}

/**
 * The decomposition at a kink without the phases that are not on both stretches' planes (`onPlane`):
 * the kink is where the two lines meet, a point badly conditioned when they are nearly parallel
 * (steps 1e-5 eV apart), and ~1e-9 off the ridge a phase of one facet only enters with a 1e-8
 * share, enough to change the step's reaction. The others' shares are rescaled to sum to one.
 */
function onBothPlanes(r: HullBatchResult, set: PointSet, left: SegmentFacet, right: SegmentFacet): HullBatchResult {
  const { d, pts } = set;
  const index = r.index.slice(0, d);
  const fraction = r.fraction.slice(0, d);
  let kept = 0;
  let dropped = false;
  for (let s = 0; s < d; s++) {
    const j = index[s]!;
    if (j < 0) continue;
    if (!(fraction[s]! > 0)) index[s] = -1;
    else if (onPlane(pts, d, j, left.mu) && onPlane(pts, d, j, right.mu)) kept += fraction[s]!;
    else {
      index[s] = -1;
      fraction[s] = 0;
      dropped = true;
    }
  }
  if (!dropped || !(kept > 0)) return r;
  for (let s = 0; s < d; s++) if (index[s]! >= 0) fraction[s]! /= kept;
  return { ...r, index, fraction };
}
