// What a hull diagram shows of a phase diagram: the entries of its 2- or 3-element (sub-)system,
// and the tie-lines between stable phases (the edges of the lower convex hull), with the plane
// geometry that tells edges from diagonals. No drawing here: hull-diagram.ts draws it.
import { Composition } from '../core/index.js';
import type { Entry } from '../core/index.js';
import type { EntryStability, PhaseDiagram } from '../thermo/index.js';
import { PlotError } from './options.js';

/** A pair of stable phases is a tie-line candidate when the hull at its midpoint is this close to the chord (eV/atom). */
const ON_HULL_TOL = 1e-6;
/** A third stable phase this close (atomic fraction) to a candidate segment lies on it. */
const COLLINEAR_TOL = 1e-9;
/** Orientations (twice the signed area, atomic fractions²) below this do not count as a crossing. */
const CROSS_EPS = 1e-12;

export interface SubSystem {
  readonly elements: readonly string[];
  /** Entries made of these elements only, with their stability in the diagram. */
  readonly rows: readonly EntryStability[];
  readonly stable: readonly EntryStability[];
}

/** The entries of a 2- or 3-element (sub-)system of a phase diagram. */
export function subSystem(pd: PhaseDiagram, n: number, fn: string, elements?: readonly string[]): SubSystem {
  let els: readonly string[];
  if (elements !== undefined) {
    if (!Array.isArray(elements) || elements.length !== n) {
      throw new PlotError(`${fn}: option elements must list ${n} elements, got ${Array.isArray(elements) ? `${elements.length} (${elements.join('-')})` : String(elements)}`);
    }
    const seen = new Set<string>();
    for (const e of elements) {
      if (!pd.elements.includes(e)) throw new PlotError(`${fn}: element ${JSON.stringify(e)} is not in the phase diagram (${pd.elements.join('-')})`);
      if (seen.has(e)) throw new PlotError(`${fn}: element ${e} is listed twice in option elements`);
      seen.add(e);
    }
    els = [...elements];
  } else {
    if (pd.elements.length !== n) {
      const which = n === 2 ? 'binary' : 'ternary';
      throw new PlotError(
        `${fn} plots a ${n}-element (${which}) phase diagram, but this one has ${pd.elements.length} element${pd.elements.length === 1 ? '' : 's'} (${pd.elements.join('-')})` +
          (pd.elements.length > n ? `: pass options.elements (${n} of them) to plot a ${n}-element sub-system` : ''),
      );
    }
    els = pd.elements;
  }
  const set = new Set(els);
  const rows = pd.analyze().filter((r) => r.entry.composition.elements.every((e) => set.has(e)));
  return { elements: els, rows, stable: rows.filter((r) => r.stable) };
}

/**
 * The tie-lines of a binary or ternary (sub-)system: pairs of stable phases joined by an edge of
 * the lower convex hull (for a ternary, the edges of its triangular facets, the sides of the Gibbs
 * triangle between neighbouring stable phases included; for a binary, neighbouring stable phases).
 *
 * Method: for every pair of stable phases, the hull energy at the midpoint of their compositions
 * (`pd.hullFormationEnergyPerAtom`, the LP over all stable phases) is compared with the chord, the
 * mean of their formation energies. The hull is convex, so the chord lies on the hull over the
 * whole segment iff it does at the midpoint: those pairs (gap ≤ 1e-6 eV/atom) are candidates.
 * A candidate passing through a third stable phase is not an edge (it is two). What remains are
 * the edges of the hull's faces plus, where four or more stable phases are coplanar (a face that
 * is not a triangle), the diagonals of such faces: candidates are taken in order of gap (then
 * length) and one that properly crosses an edge already taken is dropped. A true edge never
 * crosses another, and every non-edge segment between two vertices crosses an edge or passes
 * through a vertex, so this yields the facets' edges exactly, and a triangulation (shortest
 * diagonals first) of any non-triangular face. Each tie-line is [a, b] with a listed before b in
 * the diagram's entries.
 */
export function tieLines(pd: PhaseDiagram, elements?: readonly string[]): Array<[Entry, Entry]> {
  const n = elements?.length ?? pd.elements.length;
  if (n !== 2 && n !== 3) throw new PlotError(`tieLines: needs a 2- or 3-element (sub-)system, got ${n} elements (${(elements ?? pd.elements).join('-')}); pass 2 or 3 elements`);
  return tieLinesOf(pd, subSystem(pd, n, 'tieLines', elements));
}

export function tieLinesOf(pd: PhaseDiagram, sub: SubSystem): Array<[Entry, Entry]> {
  const els = sub.elements;
  const pts = sub.stable.map((r) => {
    const f = els.map((e) => r.entry.composition.atomicFraction(e));
    return { entry: r.entry, e: r.eFormPerAtom, f, p: [f[1]!, f[2] ?? 0] as const };
  });
  const cands: Array<{ i: number; j: number; gap: number; len: number }> = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const a = pts[i]!;
      const b = pts[j]!;
      const mid: Record<string, number> = {};
      els.forEach((e, k) => {
        const v = (a.f[k]! + b.f[k]!) / 2;
        if (v > 0) mid[e] = v;
      });
      const gap = (a.e + b.e) / 2 - pd.hullFormationEnergyPerAtom(Composition.fromDict(mid));
      if (gap <= ON_HULL_TOL) cands.push({ i, j, gap, len: Math.hypot(a.p[0] - b.p[0], a.p[1] - b.p[1]) });
    }
  }
  cands.sort((x, y) => x.gap - y.gap || x.len - y.len || x.i - y.i || x.j - y.j);
  const taken: Array<{ i: number; j: number }> = [];
  for (const c of cands) {
    const a = pts[c.i]!.p;
    const b = pts[c.j]!.p;
    const through = pts.some((q, k) => k !== c.i && k !== c.j && onSegment(a, b, q.p));
    if (through) continue;
    if (taken.some((t) => crosses(a, b, pts[t.i]!.p, pts[t.j]!.p))) continue;
    taken.push(c);
  }
  return taken.sort((x, y) => x.i - y.i || x.j - y.j).map((t) => [pts[t.i]!.entry, pts[t.j]!.entry]);
}

type P = readonly [number, number];

function orient(a: P, b: P, c: P): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** q lies on the open segment ab (within COLLINEAR_TOL). */
function onSegment(a: P, b: P, q: P): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return false;
  const t = ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2;
  if (t <= COLLINEAR_TOL || t >= 1 - COLLINEAR_TOL) return false;
  return Math.hypot(a[0] + t * dx - q[0], a[1] + t * dy - q[1]) <= COLLINEAR_TOL;
}

/** ab and cd cross at a point interior to both. */
function crosses(a: P, b: P, c: P, d: P): boolean {
  const same = (u: P, v: P) => u[0] === v[0] && u[1] === v[1];
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  const strict = (u: number, v: number) => (u > CROSS_EPS && v < -CROSS_EPS) || (u < -CROSS_EPS && v > CROSS_EPS);
  return strict(o1, o2) && strict(o3, o4);
}
