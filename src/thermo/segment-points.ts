/**
 * `SystemIndex.segment`'s breakpoints for callers that read few of them: the kinks by the same LP
 * kernel over the same points (the same numbers, to the last bit), the ends' energies at once,
 * and each breakpoint's phases solved only when read — an interface reaction reports its
 * minimum, not every kink. The stable points come from the index's cache (`stablePoints`).
 */
import { hullBatch, HullError, hullSegment, shareTolerance, unresolvedFractions } from './hull.js';
import type { PhaseAmount, SystemIndex } from './system-hull.js';
import { phasesOf } from './system-solve.js';

/** A breakpoint of the hull along a segment: position, hull energy, and the phases there (solved when read). */
export interface SegmentPoint {
  readonly t: number;
  readonly value: number;
  readonly decomposition: PhaseAmount[];
}

/** The hull over the stable phases along x(t) = (1−t)·a + t·b (`els` sorted): as `SystemIndex.segment`'s points. */
export function segmentPoints(index: SystemIndex, els: readonly string[], a: Float64Array, b: Float64Array): readonly SegmentPoint[] {
  const d = els.length;
  // Anything `segment` refuses, it refuses with its own message.
  if (d > 20 || els.some((el, k) => k > 0 && els[k - 1]! >= el) || unresolvedFractions(els, a) || unresolvedFractions(els, b)) return index.segment(els, a, b).points;
  const { cols, set } = index.stablePoints(els);
  const alive = new Uint8Array(cols.length).fill(1);
  const seg = hullSegment(set, alive, a, b);
  const ts = [0, ...seg.kinks, 1];
  const at = (t: number) => Float64Array.from(a, (ak, k) => (1 - t) * ak + t * b[k]!);
  const ends = new Float64Array(2 * d);
  ends.set(at(0));
  ends.set(at(1), d);
  const r = hullBatch(set, alive, ends);
  const last = ts.length - 1;
  return ts.map((t, q) => {
    const end = q === 0 ? 0 : q === last ? 1 : -1;
    if (end >= 0 && Number.isNaN(r.values[end]!)) throw new HullError(`no hull energy found at t=${t} between the two compositions`);
    // Kink energies from the facet lines (exact at the kink); the ends from their own LP.
    const f = end < 0 ? seg.facets[q - 1]! : undefined;
    let phases: PhaseAmount[] | undefined;
    return {
      t,
      value: f ? f.c + f.m * t : r.values[end]!,
      get decomposition() {
        if (!phases) {
          const x = end < 0 ? at(t) : ends.subarray(end * d, (end + 1) * d);
          const one = end < 0 ? hullBatch(set, alive, x) : r;
          phases = phasesOf(index.entries, one, d, Math.max(end, 0), cols, shareTolerance(x, 0, d));
        }
        return phases;
      },
    };
  });
}
