import { groupByComposition, hullCandidates } from './candidates.js';
import { Entry } from './entry.js';
import { decompositionOf, hullBatch, HullError, type PointSet } from './hull.js';
import type { PhaseAmount } from './phase-diagram.js';
import { elementalReferences, formationEnergies, systemElements, withElementalReferences } from './references.js';

/** Stability of one entry within its own chemical system. */
export interface SystemStability {
  readonly entry: Entry;
  /** Position of the entry in the input (elemental references added at the end). */
  readonly index: number;
  /** Elements of the entry, alphabetical, joined by '-'. */
  readonly chemicalSystem: string;
  readonly eFormPerAtom: number;
  /**
   * E_hull when unstable; the (negative) phase-separation energy when stable — the "decomposition
   * energy" of Bartel et al. 2020, both measured within the entry's own chemical system.
   */
  readonly signedHullDistance: number;
  readonly stable: boolean;
  /** Stable phases with atom fractions ({itself: 1} when stable); empty when not requested. */
  readonly decomposition: readonly PhaseAmount[];
}

export interface SystemHullOptions {
  /** Also find decompositions of unstable entries (a second, smaller LP per entry). Default true. */
  decompositions?: boolean;
  stabilityTolerance?: number;
  /** Called after each chemical system with the number of entries done so far. */
  onProgress?: (done: number, total: number) => void;
}

const NUMERICAL_TOL = 1e-8;

/**
 * Every entry's stability within its own chemical system, over a dataset spanning any number of
 * elements (the whole Materials Project, say). Like pymatgen's PatchedPhaseDiagram it never builds
 * one hull over all elements: each chemical system of the data gets the entries of all its
 * subsystems, and its own entries are evaluated against them in one WASM batch. The answer is
 * exact, since a composition can only decompose into phases made of its own elements.
 */
export function* systemStabilities(input: readonly Entry[], options: SystemHullOptions = {}): Generator<SystemStability> {
  if (input.length === 0) throw new HullError('no entries');
  const entries = withElementalReferences([...input]);
  const refs = elementalReferences(entries, systemElements(entries));
  const eForm = formationEnergies(entries, refs);
  const groups = groupByComposition(entries, eForm);
  const refIdx = new Set([...refs.values()].map((e) => entries.indexOf(e)));
  const isCandidate = new Uint8Array(entries.length);
  for (const i of hullCandidates(eForm, groups, refIdx)) isCandidate[i] = 1;
  const tol = options.stabilityTolerance ?? 1e-12;
  const withDecomp = options.decompositions ?? true;

  // Entries and candidates indexed by chemical system.
  const members = new Map<string, number[]>();
  const candidatesOf = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const sys = e.composition.chemicalSystem;
    let list = members.get(sys);
    if (!list) members.set(sys, (list = []));
    list.push(i);
    if (isCandidate[i]) {
      let c = candidatesOf.get(sys);
      if (!c) candidatesOf.set(sys, (c = []));
      c.push(i);
    }
  });

  // Subsystems before supersets: pass 2 of a system needs the stability of all its subsystems.
  const order = [...members.keys()].sort((a, b) => a.split('-').length - b.split('-').length);
  const stableAll = new Uint8Array(entries.length);
  let done = 0;
  for (const sys of order) {
    const own = members.get(sys)!;
    const els = sys.split('-');
    const d = els.length;
    const cols = subsystemCandidates(els, candidatesOf);
    const set = pointSet(entries, eForm, groups.group, cols, els);
    const alive = new Uint8Array(cols.length).fill(1);

    // Pass 1: candidates against all other compositions (phase separation); others against all.
    const queries = new Float64Array(own.length * d);
    const exclude = new Int32Array(own.length);
    own.forEach((i, q) => {
      fractionsInto(entries[i]!, els, queries, q * d);
      exclude[q] = isCandidate[i] && !refIdx.has(i) ? groups.group[i]! : -1;
    });
    const r1 = hullBatch(set, alive, queries, exclude);
    const signed = own.map((i, q) => {
      const v = r1.values[q]!;
      if (Number.isNaN(v)) throw new HullError(`no hull energy found for ${entries[i]!.id} (${entries[i]!.composition.formula}) in ${sys}`);
      return eForm[i]! - v;
    });
    const stable = own.map((i, q) => (refIdx.has(i) ? true : isCandidate[i] === 1 && signed[q]! < -tol));
    own.forEach((i, q) => (stableAll[i] = stable[q] ? 1 : 0));

    // Pass 2: unstable entries on the hull of the stable phases only (vertices, as pymatgen's facets).
    let r2: ReturnType<typeof hullBatch> | undefined;
    if (withDecomp && own.length) {
      const stableCols = new Uint8Array(cols.length);
      cols.forEach((i, j) => (stableCols[j] = stableAll[i]!));
      r2 = hullBatch(set, stableCols, queries);
    }
    for (let q = 0; q < own.length; q++) {
      const i = own[q]!;
      const e = entries[i]!;
      const st = stable[q]!;
      let decomposition: PhaseAmount[] = [];
      if (st) decomposition = [{ entry: e, fraction: 1 }];
      else if (r2) decomposition = decompositionOf(r2, d, q, NUMERICAL_TOL).map(([j, f]) => ({ entry: entries[cols[j]!]!, fraction: f }));
      yield {
        entry: e,
        index: i,
        chemicalSystem: sys,
        eFormPerAtom: eForm[i]!,
        signedHullDistance: refIdx.has(i) ? 0 : st ? signed[q]! : Math.max(signed[q]!, 0),
        stable: st,
        decomposition,
      };
    }
    done += own.length;
    options.onProgress?.(done, entries.length);
  }
}

/** Candidates of every subsystem of `els` (including the elements), in index order. */
function subsystemCandidates(els: readonly string[], candidatesOf: ReadonlyMap<string, number[]>): number[] {
  const out: number[] = [];
  const k = els.length;
  for (let mask = 1; mask < 1 << k; mask++) {
    const parts: string[] = [];
    for (let b = 0; b < k; b++) if (mask & (1 << b)) parts.push(els[b]!);
    const list = candidatesOf.get(parts.join('-'));
    if (list) for (const i of list) out.push(i);
  }
  return out;
}

function fractionsInto(e: Entry, els: readonly string[], out: Float64Array, at: number): void {
  for (let k = 0; k < els.length; k++) out[at + k] = e.composition.atomicFraction(els[k]!);
}

function pointSet(entries: readonly Entry[], eForm: Float64Array, group: Int32Array, cols: readonly number[], els: readonly string[]): PointSet {
  const d = els.length;
  const pts = new Float64Array(cols.length * (d + 1));
  const g = new Int32Array(cols.length);
  cols.forEach((i, j) => {
    fractionsInto(entries[i]!, els, pts, j * (d + 1));
    pts[j * (d + 1) + d] = eForm[i]!;
    g[j] = group[i]!;
  });
  return { n: cols.length, d, pts, group: g };
}
