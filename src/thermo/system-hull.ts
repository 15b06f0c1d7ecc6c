import { groupByComposition, hullCandidates, type CompositionGroups } from './hull-points.js';
import type { Entry } from '../core/index.js';
import { hullBatch, HullError, hullSegment, type HullBatchResult, type PointSet } from './hull.js';
import { elementalReferences, formationEnergies, systemElements, withElementalReferences } from './references.js';
import { scanSystem } from './system-scan.js';

/** A phase and its share of atoms in a decomposition. */
export interface PhaseAmount {
  readonly entry: Entry;
  /** Fraction of the atoms of the decomposed composition that sit in this phase. */
  readonly fraction: number;
}

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
  /**
   * A candidate is stable when it lies more than this below the hull of all other compositions
   * (eV/atom). Points on the hull within it are not vertices: they decompose at E_hull = 0.
   */
  stabilityTolerance?: number;
  /** Called after each chemical system with the number of entries done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** The hull along a segment of composition space between two compositions. */
export interface LocalSegment {
  /** Breakpoints: both ends and every kink, ascending t (fraction of the way from a to b). */
  readonly points: ReadonlyArray<{ readonly t: number; readonly value: number; readonly decomposition: PhaseAmount[] }>;
  /** Chemical potentials of the facet between consecutive points (one fewer than points). */
  readonly facetMu: ReadonlyArray<Record<string, number>>;
}

/** The hull at one composition over a chemical system's phases. */
export interface LocalHull {
  /** Energy per atom of the hull (formation-energy scale). */
  readonly value: number;
  readonly decomposition: PhaseAmount[];
  /** Chemical potentials (formation-energy scale) of the facet, per element of the composition. */
  readonly mu: Record<string, number>;
}

/** One chemical system solved: per own entry its signed distance, and its decomposition on demand. */
export interface SystemOutcome {
  readonly signed: Float64Array;
  readonly decomposition: (q: number) => PhaseAmount[];
}

/** A chemical system as `SystemIndex.solveSystems` yields it. */
export interface SolvedSystem {
  readonly sys: string;
  /** Indices of the system's own entries. */
  readonly own: readonly number[];
  readonly outcome: SystemOutcome;
}

// pymatgen's PhaseDiagram.numerical_tol: smaller shares are dropped from decompositions.
const NUMERICAL_TOL = 1e-8;
const DEFAULT_STABILITY_TOL = 1e-12;
// Systems whose points SystemIndex keeps (a few MB for the largest).
const POINT_CACHE_SYSTEMS = 64;

/**
 * Entries of a dataset indexed by chemical system. Any question about a composition only involves
 * phases made of its own elements, so every hull is built over the subsystems of one chemical
 * system and never over the whole element set — like pymatgen's PatchedPhaseDiagram, but exact
 * and with one WASM batch per system. Works the same for 3 elements or the periodic table.
 */
export class SystemIndex {
  /** The entries, elemental references for formation-energy data added at the end. */
  readonly entries: readonly Entry[];
  readonly refs: ReadonlyMap<string, Entry>;
  readonly eForm: Float64Array;
  readonly groups: CompositionGroups;
  /** Indices of the elemental references. */
  readonly refIndex: ReadonlySet<number>;
  /** pymatgen's qhull_entries: lowest entry per composition below the elements, and the references. */
  readonly isCandidate: Uint8Array;
  /** Filled by `evaluate()`: 1 for hull vertices. */
  readonly isStable: Uint8Array;
  private readonly members = new Map<string, number[]>();
  private readonly candidatesOf = new Map<string, number[]>();
  /** Built on first `indexOf`: evaluating never needs it. */
  private entryIndex: Map<Entry, number> | undefined;
  /** 1 for the elemental references (refIndex as flags). */
  private readonly isRef: Uint8Array;
  /** Scratch of `scan`: a candidate's position among its system's points; a group's query. */
  private pointOfEntry: Int32Array | undefined;
  private groupSlot: Int32Array | undefined;
  /** systemPoints' cache, least recently used first. */
  private readonly pointCache = new Map<string, { cols: number[]; set: PointSet }>();

  constructor(input: readonly Entry[], elements?: readonly string[]) {
    if (input.length === 0) throw new HullError('no entries: a phase diagram needs at least one entry per element');
    const entries = withElementalReferences([...input]);
    this.entries = entries;
    this.refs = elementalReferences(entries, elements ?? systemElements(entries));
    this.eForm = formationEnergies(entries, this.refs);
    this.groups = groupByComposition(entries, this.eForm);
    const refSet = new Set(this.refs.values());
    const refIndex = new Set<number>();
    for (let i = 0; i < entries.length && refIndex.size < refSet.size; i++) if (refSet.has(entries[i]!)) refIndex.add(i);
    this.refIndex = refIndex;
    this.isRef = new Uint8Array(entries.length);
    for (const i of this.refIndex) this.isRef[i] = 1;
    this.isCandidate = new Uint8Array(entries.length);
    for (const i of hullCandidates(this.eForm, this.groups, this.refIndex)) this.isCandidate[i] = 1;
    this.isStable = new Uint8Array(entries.length);
    entries.forEach((e, i) => {
      const sys = e.composition.chemicalSystem;
      push(this.members, sys, i);
      if (this.isCandidate[i]) push(this.candidatesOf, sys, i);
    });
  }

  indexOf(entry: Entry): number | undefined {
    if (!this.entryIndex) {
      const map = new Map<Entry, number>();
      this.entries.forEach((e, i) => map.set(e, i));
      this.entryIndex = map;
    }
    return this.entryIndex.get(entry);
  }

  /**
   * Stability of every entry within its own chemical system, one system at a time, subsystems
   * before supersets (a system's decompositions need the stable phases of all its subsystems).
   */
  *evaluate(options: SystemHullOptions = {}): Generator<SystemStability> {
    const { entries, eForm, refIndex, isStable } = this;
    for (const { sys, own, outcome } of this.solveSystems(options)) {
      for (let q = 0; q < own.length; q++) {
        const i = own[q]!;
        const e = entries[i]!;
        const stable = isStable[i] === 1;
        const signed = outcome.signed[q]!;
        yield {
          entry: e,
          index: i,
          chemicalSystem: sys,
          eFormPerAtom: eForm[i]!,
          signedHullDistance: refIndex.has(i) ? 0 : stable ? signed : Math.max(signed, 0),
          stable,
          decomposition: stable ? [{ entry: e, fraction: 1 }] : outcome.decomposition(q),
        };
      }
    }
  }

  /**
   * `evaluate` one chemical system at a time: its own entries (indices), and per entry the signed
   * distance (raw: E_hull may be a round-off below 0) and the decomposition on demand; `isStable`
   * is filled for them before the system is yielded. For callers that build their own rows.
   */
  *solveSystems(options: SystemHullOptions = {}): Generator<SolvedSystem> {
    const tol = options.stabilityTolerance ?? DEFAULT_STABILITY_TOL;
    if (!(Number.isFinite(tol) && tol >= 0)) throw new HullError(`stabilityTolerance must be a finite number >= 0 (got ${String(tol)})`);
    const withDecomp = options.decompositions ?? true;
    this.pointCache.clear(); // stabilities are about to be (re)found
    const order = [...this.members.keys()].sort((a, b) => systemSize(a) - systemSize(b));
    let done = 0;
    for (const sys of order) {
      const own = this.members.get(sys)!;
      const els = sys.split('-');
      const cols = this.subsystemCandidates(els);
      const set = this.pointSet(cols, els);
      const outcome = this.scan(sys, own, els, cols, set, tol, withDecomp) ?? this.solveByLP(sys, own, els, cols, set, tol, withDecomp);
      yield { sys, own, outcome };
      done += own.length;
      options.onProgress?.(done, this.entries.length);
    }
  }

  /**
   * One system in one kernel call (system-scan.ts): stabilities of its own candidates, then the
   * hull of the stable phases at each of its compositions, once per composition group.
   * Undefined when the kernel reports numerical trouble.
   */
  private scan(sys: string, own: readonly number[], els: readonly string[], cols: readonly number[], set: PointSet, tol: number, withDecomp: boolean): SystemOutcome | undefined {
    const { entries, eForm, groups, isCandidate, isStable } = this;
    const isRef = this.isRef;
    const d = els.length;
    const n = cols.length;
    // The system's own candidates come last in `cols` (subsystemCandidates ends with the full mask).
    const nOwn = this.candidatesOf.get(sys)?.length ?? 0;
    const state = new Uint8Array(n);
    const elems = new Int32Array(d).fill(-1);
    const pointOf = (this.pointOfEntry ??= new Int32Array(entries.length));
    let undecided = new Int32Array(nOwn);
    let nu = 0;
    for (let j = 0; j < n; j++) {
      const i = cols[j]!;
      if (isRef[i]) {
        state[j] = 1;
        elems[els.indexOf(entries[i]!.composition.elements[0]!)] = j;
      } else if (j < n - nOwn) state[j] = isStable[i]!;
      else {
        state[j] = 2;
        undecided[nu++] = j;
        pointOf[i] = j;
      }
    }
    if (elems.includes(-1)) return undefined;
    undecided = undecided.subarray(0, nu);
    sortByEnergy(undecided, cols, eForm);
    // One query per composition group of the system's entries.
    const slot = (this.groupSlot ??= new Int32Array(groups.lowest.length).fill(-1));
    const queryOf = new Int32Array(own.length);
    const reps: number[] = [];
    for (let q = 0; q < own.length; q++) {
      const i = own[q]!;
      const g = groups.group[i]!;
      let t = slot[g]!;
      if (t < 0) {
        t = slot[g] = reps.length;
        reps.push(i);
      }
      queryOf[q] = t;
    }
    const queries = new Float64Array(reps.length * d);
    for (let t = 0; t < reps.length; t++) fractionsInto(entries[reps[t]!]!, els, queries, t * d);
    const queryOfPoint = new Int32Array(n).fill(-1);
    for (let u = 0; u < nu; u++) {
      const j = undecided[u]!;
      queryOfPoint[j] = slot[groups.group[cols[j]!]!]!;
    }
    for (const i of reps) slot[groups.group[i]!] = -1;
    const r = scanSystem(set, { state, elems, order: undecided, tol, queries, queryOfPoint });
    if (!r) return undefined;
    const signed = new Float64Array(own.length);
    for (let q = 0; q < own.length; q++) {
      const i = own[q]!;
      const j = isCandidate[i] === 1 && !isRef[i] ? pointOf[i]! : -1;
      const stable = isRef[i] === 1 || (j >= 0 && r.state[j] === 1);
      isStable[i] = stable ? 1 : 0;
      signed[q] = stable && j >= 0 ? r.signed[j]! : eForm[i]! - r.values[queryOf[q]!]!;
    }
    const cache: Array<PhaseAmount[] | undefined> = [];
    const decomposition = (q: number): PhaseAmount[] => {
      if (!withDecomp) return [];
      const t = queryOf[q]!;
      return (cache[t] ??= this.phases({ index: r.index, fraction: r.fraction }, d, t, cols));
    };
    return { signed, decomposition };
  }

  /** The same as `scan`, by two batches of independent LPs (index.ts): the fallback. */
  private solveByLP(sys: string, own: readonly number[], els: readonly string[], cols: readonly number[], set: PointSet, tol: number, withDecomp: boolean): SystemOutcome {
    const { entries, eForm, groups, refIndex, isCandidate, isStable } = this;
    const d = els.length;
    // Pass 1: each candidate against all other compositions (phase separation); the others
    // against everything (E_hull).
    const queries = new Float64Array(own.length * d);
    const exclude = new Int32Array(own.length);
    own.forEach((i, q) => {
      fractionsInto(entries[i]!, els, queries, q * d);
      exclude[q] = isCandidate[i] && !refIndex.has(i) ? groups.group[i]! : -1;
    });
    const r1 = hullBatch(set, new Uint8Array(cols.length).fill(1), queries, exclude);
    const signed = Float64Array.from(own, (i, q) => {
      const v = r1.values[q]!;
      if (Number.isNaN(v)) throw new HullError(`no hull energy found for ${entries[i]!.id} (${entries[i]!.composition.formula}) in ${sys}`);
      return eForm[i]! - v;
    });
    own.forEach((i, q) => {
      isStable[i] = refIndex.has(i) || (isCandidate[i] === 1 && signed[q]! < -tol) ? 1 : 0;
    });
    // Pass 2: unstable entries on the hull of the stable phases only (the vertices, as
    // pymatgen's facets), for their decompositions.
    let r2: HullBatchResult | undefined;
    if (withDecomp && own.some((i) => !isStable[i])) {
      r2 = hullBatch(
        set,
        Uint8Array.from(cols, (i) => isStable[i]!),
        queries,
      );
    }
    return { signed, decomposition: (q) => (r2 ? this.phases(r2, d, q, cols) : []) };
  }

  /**
   * The hull at atomic fractions `x` (per element of `els`) over the stable phases of the
   * system (`over: 'stable'`, after `evaluate()`), or over all candidates except the group
   * `excludeGroup` (`over: 'candidates'`, for phase-separation energies).
   */
  hullAt(els: readonly string[], x: Float64Array, over: 'stable' | 'candidates', excludeGroup = -1): LocalHull {
    const sorted = [...els].sort();
    let cols: number[];
    let set: PointSet;
    if (over === 'stable') ({ cols, set } = this.stablePoints(sorted));
    else {
      cols = this.subsystemCandidates(sorted);
      set = this.pointSet(cols, sorted);
    }
    const xs = Float64Array.from(sorted, (el) => x[els.indexOf(el)]!);
    const r = hullBatch(set, new Uint8Array(cols.length).fill(1), xs, Int32Array.of(excludeGroup));
    const value = r.values[0]!;
    if (Number.isNaN(value)) throw new HullError(`no hull energy found at ${sorted.map((el, k) => `${el}${xs[k]}`).join(' ')}`);
    const mu: Record<string, number> = {};
    sorted.forEach((el, k) => (mu[el] = r.mu[k]!));
    return { value, decomposition: this.phases(r, sorted.length, 0, cols), mu };
  }

  /**
   * The hull over the stable phases along x(t) = (1−t)·a + t·b (atomic fractions per element of
   * `els`): its exact kinks with energies and decompositions, and the facets between them.
   */
  segment(els: readonly string[], a: Float64Array, b: Float64Array): LocalSegment {
    const sorted = [...els].sort();
    const perm = sorted.map((el) => els.indexOf(el));
    const as = Float64Array.from(perm, (k) => a[k]!);
    const bs = Float64Array.from(perm, (k) => b[k]!);
    const { cols, set } = this.stablePoints(sorted);
    const alive = new Uint8Array(cols.length).fill(1);
    const seg = hullSegment(set, alive, as, bs);
    const ts = [0, ...seg.kinks, 1];
    const d = sorted.length;
    const queries = new Float64Array(ts.length * d);
    ts.forEach((t, q) => sorted.forEach((_, k) => (queries[q * d + k] = (1 - t) * as[k]! + t * bs[k]!)));
    const r = hullBatch(set, alive, queries);
    const points = ts.map((t, q) => {
      if (Number.isNaN(r.values[q]!)) throw new HullError(`no hull energy found at t=${t} between the two compositions`);
      // Kink energies from the facet lines (exact at the kink); the ends from their own LP.
      const f = q === 0 || q === ts.length - 1 ? undefined : seg.facets[q - 1]!;
      return { t, value: f ? f.c + f.m * t : r.values[q]!, decomposition: this.phases(r, d, q, cols) };
    });
    const facetMu = seg.facets.map((f) => Object.fromEntries(sorted.map((el, k) => [el, f.mu[k]!])));
    return { points, facetMu };
  }

  /**
   * The stable phases of system `els` (sorted; after `evaluate()`) and their point set, kept for
   * the most recently used systems: windows, interface reactions and screens ask the same systems
   * again and again, and gathering a large system's points costs more than its linear programs.
   * Only the stable phases: the hull is theirs, and they are a small part of a system's entries.
   */
  private stablePoints(els: readonly string[]): { cols: number[]; set: PointSet } {
    const key = els.join('-');
    let hit = this.pointCache.get(key);
    if (hit) {
      this.pointCache.delete(key);
    } else {
      const cols = this.subsystemCandidates(els).filter((i) => this.isStable[i] === 1);
      hit = { cols, set: this.pointSet(cols, els) };
      if (this.pointCache.size >= POINT_CACHE_SYSTEMS) this.pointCache.delete(this.pointCache.keys().next().value!);
    }
    this.pointCache.set(key, hit);
    return hit;
  }

  /** Candidates of every subsystem of `els` (sorted), the elements included. */
  private subsystemCandidates(els: readonly string[]): number[] {
    const out: number[] = [];
    const k = els.length;
    if (k > 20) throw new HullError(`a chemical system of ${k} elements is too large to enumerate its subsystems`);
    for (let mask = 1; mask < 1 << k; mask++) {
      let key = '';
      for (let b = 0; b < k; b++) if (mask & (1 << b)) key += key ? `-${els[b]}` : els[b];
      const list = this.candidatesOf.get(key);
      if (list) for (const i of list) out.push(i);
    }
    return out;
  }

  private pointSet(cols: readonly number[], els: readonly string[]): PointSet {
    const d = els.length;
    const pts = new Float64Array(cols.length * (d + 1));
    const group = new Int32Array(cols.length);
    for (let j = 0; j < cols.length; j++) {
      const i = cols[j]!;
      const row = j * (d + 1);
      // Only the point's own elements: the other fractions stay 0.
      const c = this.entries[i]!.composition;
      const own = c.elements;
      const fr = c.fractionArray;
      for (let k = 0; k < own.length; k++) pts[row + els.indexOf(own[k]!)] = fr[k]!;
      pts[row + d] = this.eForm[i]!;
      group[j] = this.groups.group[i]!;
    }
    return { n: cols.length, d, pts, group };
  }

  private phases(r: Pick<HullBatchResult, 'index' | 'fraction'>, d: number, q: number, cols: readonly number[]): PhaseAmount[] {
    // decompositionOf's pairs, without the pairs: a few phases, largest share first.
    const out: PhaseAmount[] = [];
    for (let s = 0; s < d; s++) {
      const j = r.index[q * d + s]!;
      const f = r.fraction[q * d + s]!;
      if (j < 0 || !(f > NUMERICAL_TOL)) continue;
      const amount = { entry: this.entries[cols[j]!]!, fraction: f };
      let at = out.length;
      while (at > 0 && out[at - 1]!.fraction < f) at--;
      out.splice(at, 0, amount);
    }
    return out;
  }
}

/**
 * Every entry's stability within its own chemical system, over a dataset spanning any number of
 * elements (the whole Materials Project, say), streamed one chemical system at a time.
 */
export function systemStabilities(input: readonly Entry[], options: SystemHullOptions = {}): Generator<SystemStability> {
  return new SystemIndex(input).evaluate(options);
}

/** Points `idx` (into `cols`) by formation energy ascending, ties by position (a system's own candidates are few). */
function sortByEnergy(idx: Int32Array, cols: readonly number[], eForm: Float64Array): void {
  if (idx.length > 64) {
    const sorted = Array.from(idx).sort((a, b) => eForm[cols[a]!]! - eForm[cols[b]!]! || a - b);
    idx.set(sorted);
    return;
  }
  for (let a = 1; a < idx.length; a++) {
    const v = idx[a]!;
    const e = eForm[cols[v]!]!;
    let b = a - 1;
    while (b >= 0 && (eForm[cols[idx[b]!]!]! > e || (eForm[cols[idx[b]!]!]! === e && idx[b]! > v))) {
      idx[b + 1] = idx[b]!;
      b--;
    }
    idx[b + 1] = v;
  }
}

/** Elements in a chemical system key ('Li-O-P' → 3). */
function systemSize(key: string): number {
  let n = 1;
  for (let c = 0; c < key.length; c++) if (key.charCodeAt(c) === 45) n++;
  return n;
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

function fractionsInto(e: Entry, els: readonly string[], out: Float64Array, at: number): void {
  const own = e.composition.elements;
  const fr = e.composition.fractionArray;
  for (let k = 0; k < els.length; k++) {
    const at2 = own.indexOf(els[k]!);
    out[at + k] = at2 < 0 ? 0 : fr[at2]!;
  }
}
