/**
 * The kinks of an interface reaction (pymatgen get_kinks). The reaction energy at a mixing ratio
 * is the hull energy of the mixture minus the mixing line of the reactants' energies; the hull
 * along the segment comp2 → comp1 is convex and piecewise linear, so the energy's kinks — where
 * the products change — are the hull's, found exactly (no grid): by walking the system's facets
 * (`facetSegmentPoints`, kept for every reaction in the system), else by LPs (`segmentPoints`).
 * Here: each kink's mixing ratio, energy, phases and open-element uptake, converted to the x and
 * energy scale that is reported (pymatgen _convert, norm). Balancing and reporting come after.
 */
import type { Composition, Entry } from '../core/index.js';
import { facetSegmentPoints, HullError, type SegmentPoint, segmentPoints } from '../thermo/index.js';
import { InterfaceReactionError } from './phase-source.js';
import { type InterfaceSetup, reactantEnergies } from './reactants.js';

/** A phase formed at a kink. */
export interface Phase {
  readonly entry: Entry;
  readonly fraction: number;
  /** Open-element atoms per non-open atom (0 when closed). */
  readonly r: number;
}

/** One kink, before its reaction is balanced. */
export interface KinkPoint {
  /** Mixing ratio on the (non-open) atom scale: t·comp1 + (1−t)·comp2 (pymatgen's ratio before _convert). */
  readonly t: number;
  /** Mixing ratio and reaction energy as reported. */
  readonly x: number;
  readonly energy: number;
  /** The phases formed (closed entries, also when open). */
  readonly phases: readonly Phase[];
  /** Open element taken up from the reservoir per (non-open) atom of mixture (< 0: released); 0 when closed. */
  readonly uptake: number;
}

export interface Kinks {
  readonly setup: InterfaceSetup;
  /** pymatgen e1, e2 (see `reactantEnergies`). */
  readonly e1: number;
  readonly e2: number;
  /** Mixing ratio t of each kink, ascending from 0 (comp2) to 1 (comp1). */
  readonly ts: readonly number[];
  /** Reaction energy of each kink per (non-open) atom of mixture, on the t scale. */
  readonly tEnergies: readonly number[];
  /** Reaction energy of each kink as reported (per atom, or per formula unit of mixture when !norm). */
  readonly energies: readonly number[];
  /** From the t scale to the reported x and energy. */
  convert(t: number, e: number): [number, number];
  /** Whether x is linear in the mixture (then a polyline through the kinks is the curve). */
  readonly linearX: boolean;
  /** The kink at index q (0-based). */
  at(q: number): KinkPoint;
}

export function getKinks(s: InterfaceSetup): Kinks {
  const { comp1, comp2, factor1: f1, factor2: f2 } = s;
  const open = s.open?.element;
  const els = unionSorted(comp1.sortedElements, comp2.sortedElements);
  // Segment from comp2 (t = 0) to comp1 (t = 1), in atomic fractions (of non-open atoms when open).
  const d = els.length;
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    a[k] = comp2.atomicFraction(els[k]!);
    b[k] = comp1.atomicFraction(els[k]!);
  }
  // The grand index measures Φ from its own elemental references: add them back (absolute Φ).
  let shift = (_t: number) => 0;
  if (s.open) {
    const refPhi = new Float64Array(d);
    for (let k = 0; k < d; k++) refPhi[k] = s.hull.refs.get(els[k]!)!.energyPerAtom;
    shift = (t) => {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += ((1 - t) * a[k]! + t * b[k]!) * refPhi[k]!;
      return sum;
    };
  }
  // Open systems can have reactants with the same non-open composition (Li2O, Li2O2 with Li
  // open): pymatgen then reports the two ends, both at that composition.
  const same = comp1.key === comp2.key;
  let seg: readonly SegmentPoint[];
  try {
    // From the system's facets, shared by every reaction in it; by LPs where they cannot be had.
    seg = facetSegmentPoints(s.hull, els, a, b) ?? segmentPoints(s.hull, els, a, b);
  } catch (e) {
    if (e instanceof HullError) throw new InterfaceReactionError(`no hull along ${s.c2.formula} → ${s.c1.formula}: ${e.message}`, { cause: e });
    throw e;
  }
  const pts = same ? [seg[0]!, { t: 1, value: seg[0]!.value, decomposition: seg[0]!.decomposition }] : seg;
  const hullAt = (q: number) => pts[q]!.value + shift(same ? 0 : pts[q]!.t);
  const [e1, e2] = reactantEnergies(s, (end) => hullAt(end === 1 ? pts.length - 1 : 0));

  const rOpen = (c: Composition) => (open ? c.amount(open) / (c.numAtoms - c.amount(open)) : 0);
  const r1 = rOpen(s.c1);
  const r2 = rOpen(s.c2);
  // pymatgen _convert: from the non-open-atom scale to the atom scale of c1 and c2.
  const toAtoms = (t: number) => (same ? t : (t * f2) / ((1 - t) * f1 + t * f2));
  // !norm: formula units as written; a formula unit of c1 has n1 (non-open) atoms.
  const n1 = comp1.numAtoms;
  const n2 = comp2.numAtoms;
  const convert = (t: number, e: number): [number, number] => {
    if (s.norm) return [toAtoms(t), e];
    if (same) return [t, e * ((1 - t) * n2 + t * n1)];
    const x = (t * n2) / (n1 + t * (n2 - n1));
    return [x, e * (x * n1 + (1 - x) * n2)];
  };
  const ts = pts.map((p) => p.t);
  const tEnergies = pts.map((p, q) => hullAt(q) - p.t * e1 - (1 - p.t) * e2);
  return {
    setup: s,
    e1,
    e2,
    ts,
    tEnergies,
    energies: pts.map((p, q) => convert(p.t, tEnergies[q]!)[1]),
    convert,
    linearX: same || (s.norm ? f1 === f2 : n1 === n2),
    at(q) {
      const p = pts[q]!;
      const t = p.t;
      const [x, energy] = convert(t, tEnergies[q]!);
      const phases: Phase[] = p.decomposition.map((d) => {
        const o = s.origin?.get(d.entry);
        return { entry: o ? o.entry : d.entry, fraction: d.fraction, r: o ? o.r : 0 };
      });
      const uptake = open ? phases.reduce((sum, ph) => sum + ph.fraction * ph.r, 0) - t * r1 - (1 - t) * r2 : 0;
      return { t, x, energy, phases, uptake };
    },
  };
}

/** The elements of both (each sorted), sorted, once each: a matrix asks this thousands of times. */
function unionSorted(x: readonly string[], y: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    const u = x[i];
    const v = y[j];
    if (v === undefined || (u !== undefined && u < v)) out.push(x[i++]!);
    else if (u === undefined || v < u) out.push(y[j++]!);
    else out.push(x[i++]!), j++;
  }
  return out;
}
