// SystemIndex: a dataset's entries indexed by chemical system, every question answered over the
// subsystems of one system (the stabilities of all entries, a hull at a composition, along a
// segment, a system's stable points); and systemStabilities, the whole-table stream built on it.
import { type CandidateRows, packCandidateRows, writePoints } from './candidate-rows.js';
import { groupByComposition, hullCandidateFlags, type CompositionGroups } from './hull-points.js';
import type { Entry } from '../core/index.js';
import { hullBatch, HullError, shareTolerance, type PointSet, unresolvedFractions } from './hull.js';
import { EntryColumns } from './entry-columns.js';
import { elementalReferences } from './references.js';
import type { SystemList } from './system-members.js';
import { BasisStore, type PhaseAmount } from './basis-store.js';
import { hullAlong, type LocalSegment } from './segment-points.js';
import { closureColumns, subsystemKeys, type SystemKey, systemKey } from './system-closure.js';
import { phasesOf, solveByLP } from './system-solve.js';
import { solveBatch, type SystemTable, systemTable } from './system-batch.js';

export type { PhaseAmount } from './basis-store.js';
export type { LocalSegment } from './segment-points.js';

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

/** The hull at one composition over a chemical system's phases. */
export interface LocalHull {
  /** Energy per atom of the hull (formation-energy scale). */
  readonly value: number;
  readonly decomposition: PhaseAmount[];
  /** Chemical potentials (formation-energy scale) of the facet, per element of the composition. */
  readonly mu: Record<string, number>;
}

/** A chemical system as `SystemIndex.solveSystems` yields it (its answers are in the index). */
export interface SolvedSystem {
  readonly sys: string;
  /** Indices of the system's own entries (ascending). */
  readonly own: Int32Array;
}
const DEFAULT_STABILITY_TOL = 1e-12;
// Systems whose stable points SystemIndex keeps (an interface matrix asks a few hundred per hull).
const POINT_CACHE_SYSTEMS = 1024;
// Systems are solved in batches of about this many entries, each yielded once solved (progress).
const BATCH_ENTRIES = 32768;

/**
 * Entries of a dataset indexed by chemical system. Any question about a composition only involves
 * phases made of its own elements, so every hull is built over the subsystems of one chemical
 * system and never over the whole element set — like pymatgen's PatchedPhaseDiagram, but exact
 * and with one WASM batch per system. Works the same for 3 elements or the periodic table.
 */
export class SystemIndex {
  /** The elements of the index: those given, or every element of the entries (alphabetical). */
  readonly elements: readonly string[];
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
  /**
   * Filled by `evaluate()`, per entry: E_hull when unstable (raw: may be a round-off below 0),
   * the phase-separation energy within its system when stable, 0 for the elemental references.
   */
  readonly signed: Float64Array;
  /** Filled by `evaluate()` with decompositions: those of the unstable entries (`decompositionOf`). */
  readonly basis: BasisStore;
  private candidateLists: Map<string, number[]> | undefined;
  /** Built on first `indexOf`: evaluating never needs it. */
  private entryIndex: Map<Entry, number> | undefined;
  /** 1 for the elemental references (refIndex as flags). */
  readonly isRef: Uint8Array;
  /** The candidates (and each composition's first entry) as flat rows, system by system in solve order. */
  readonly rows: CandidateRows;
  /** `isStable` by row of `rows` (read for every system a stable phase is in). */
  readonly stableRow: Uint8Array;
  /** The chemical systems in the order they are solved (subsystems first): their elements and own entries. */
  private readonly systems: SystemList;
  /** The systems as the batch kernel reads them (system-batch.ts). */
  private readonly table: SystemTable;
  /** How many times stabilities were (re)found: per-system caches elsewhere (system-facets.ts) compare it. */
  evaluations = 0;
  /** The stable phases' rows of each system solved, by key (made when stablePoints first needs it). */
  private stableLists: Map<SystemKey, number[]> | undefined;
  /** systemPoints' cache, least recently used first. */
  private readonly pointCache = new Map<string, { cols: number[]; set: PointSet }>();

  constructor(input: readonly Entry[], elements?: readonly string[]) {
    if (input.length === 0) throw new HullError('no entries: a phase diagram needs at least one entry per element');
    // The entries as columns, by chemical system: the elements come from the (fewer) systems.
    const { cols, entries, elements: found } = EntryColumns.withReferences(input);
    const systems = cols.members.solveOrder();
    this.systems = systems;
    this.elements = elements ? [...elements].sort() : found;
    this.entries = entries;
    this.refs = elementalReferences(entries, elements ?? found);
    this.eForm = cols.formationEnergies(entries, this.refs);
    this.groups = groupByComposition(entries, this.eForm, cols);
    // A reference is among its element's single-element system (a few entries), not searched for.
    const refIndex = new Set<number>();
    for (const [el, ref] of this.refs) for (const i of systems.ownOfElement(el)) if (entries[i] === ref) refIndex.add(i);
    this.refIndex = refIndex;
    this.isRef = new Uint8Array(entries.length);
    for (const i of this.refIndex) this.isRef[i] = 1;
    this.isCandidate = hullCandidateFlags(this.eForm, this.groups, this.refIndex);
    this.isStable = new Uint8Array(entries.length);
    this.signed = new Float64Array(entries.length);
    this.basis = new BasisStore(entries.length);
    // One pass over the systems in solve order: the rows, system by system: its hull candidates,
    // then the first entry of each of its compositions that is not one (a scan's query is a
    // composition's first entry: its fractions, as before).
    const group = this.groups.group;
    const isCandidate = this.isCandidate;
    const seen = new Uint8Array(this.groups.lowest.length);
    const { ownAt, own } = systems;
    const order = new Int32Array(entries.length);
    const nCands = new Int32Array(systems.count);
    const nRows = new Int32Array(systems.count);
    let rows = 0;
    for (let s = 0; s < systems.count; s++) {
      const start = rows;
      // Candidates first, then (a second pass) the other compositions' first entries.
      for (let q = ownAt[s]!; q < ownAt[s + 1]!; q++) if (isCandidate[own[q]!] === 1) order[rows++] = own[q]!;
      nCands[s] = rows - start;
      for (let q = ownAt[s]!; q < ownAt[s + 1]!; q++) {
        const i = own[q]!;
        if (seen[group[i]!] === 0 && isCandidate[i] !== 1) order[rows++] = i;
        seen[group[i]!] = 1;
      }
      nRows[s] = rows - start;
    }
    this.rows = packCandidateRows(cols, entries.length, order.subarray(0, rows), this.eForm, group, this.isRef);
    this.stableRow = new Uint8Array(this.rows.entryOf.length);
    this.table = systemTable(systems, nCands, nRows, this.rows.indexByRank);
  }

  /** Hull candidates of each chemical system, by key (the LP fallback's and phase separations' columns; made when first read). */
  get candidatesOf(): ReadonlyMap<string, readonly number[]> {
    if (!this.candidateLists) {
      const lists = new Map<string, number[]>();
      const { candStart, candCount } = this.table;
      for (let s = 0; s < this.systems.count; s++) {
        if (candCount[s]! > 0) lists.set(this.systems.keyOf(s), Array.from(this.rows.entryOf.subarray(candStart[s]!, candStart[s]! + candCount[s]!)));
      }
      this.candidateLists = lists;
    }
    return this.candidateLists;
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
    const { entries, eForm, isRef, isStable, signed } = this;
    for (const { sys, own } of this.solveSystems(options)) {
      for (let q = 0; q < own.length; q++) {
        const i = own[q]!;
        const e = entries[i]!;
        const stable = isStable[i] === 1;
        yield {
          entry: e,
          index: i,
          chemicalSystem: sys,
          eFormPerAtom: eForm[i]!,
          signedHullDistance: isRef[i] === 1 ? 0 : stable ? signed[i]! : Math.max(signed[i]!, 0),
          stable,
          decomposition: this.decompositionOf(i),
        };
      }
    }
  }

  /**
   * The decomposition of entry i found by the last evaluation: itself when stable; the stable
   * phases with atom fractions when not (empty when decompositions were not asked for).
   */
  decompositionOf(i: number): PhaseAmount[] {
    if (this.isStable[i] === 1) return [{ entry: this.entries[i]!, fraction: 1 }];
    const q = this.basis.queryOf[i]!;
    return q < 0 ? [] : this.basis.phases(this.entries, q);
  }

  /**
   * `evaluate` one chemical system at a time, yielded once its own entries' `isStable`, `signed`
   * and decompositions (`decompositionOf`) are filled in. For callers that build their own rows.
   */
  *solveSystems(options: SystemHullOptions = {}): Generator<SolvedSystem> {
    const tol = options.stabilityTolerance ?? DEFAULT_STABILITY_TOL;
    if (!(Number.isFinite(tol) && tol >= 0)) throw new HullError(`stabilityTolerance must be a finite number >= 0 (got ${String(tol)})`);
    const withDecomp = options.decompositions ?? true;
    this.pointCache.clear(); // stabilities are about to be (re)found
    this.basis.clear();
    this.evaluations++;
    this.stableRow.fill(0);
    this.stableLists = undefined;
    const { systems, table } = this;
    // The kernel scans each system over the stable phases of its subsystems and its own candidates
    // (a subsystem's unstable candidate lies on or above its hull, within tol, so it cannot lower
    // any hull here); the fallback takes every candidate, as it always did.
    const fallback = (s: number): void => {
      const els = systems.elementsOf(s);
      const all = this.subsystemCandidates(els);
      solveByLP(this, { sys: systems.keyOf(s), own: Array.from(systems.ownOf(s)), els, cols: all, set: this.pointSet(all, els) }, tol, withDecomp);
    };
    const { ownAt } = systems;
    let done = 0;
    for (let s = 0; s < systems.count; ) {
      let end = s + 1;
      while (end < systems.count && ownAt[end]! - ownAt[s]! < BATCH_ENTRIES) end++;
      solveBatch(this, table, s, end, tol, withDecomp, fallback);
      this.stableLists = undefined;
      for (; s < end; s++) {
        const own = systems.ownOf(s);
        yield { sys: systems.keyOf(s), own };
        done += own.length;
        options.onProgress?.(done, this.entries.length);
      }
    }
  }

  /** The stable phases' rows of every system with any, by key (for stablePoints). */
  private stableRowsOf(): Map<SystemKey, number[]> {
    if (this.stableLists) return this.stableLists;
    const lists = new Map<SystemKey, number[]>();
    const { dimsAt, dims, ownAt, own } = this.table;
    const { isStable } = this;
    const rowOf = this.rows.rowOf;
    for (let s = 0; s < this.table.count; s++) {
      let list: number[] | undefined;
      for (let q = ownAt[s]!; q < ownAt[s + 1]!; q++) if (isStable[own[q]!] === 1) (list ??= []).push(rowOf[own[q]!]!);
      if (list) lists.set(systemKey(dims.subarray(dimsAt[s]!, dimsAt[s + 1]!)), list);
    }
    this.stableLists = lists;
    return lists;
  }

  /**
   * The hull at atomic fractions `x` (per element of `els`) over the stable phases of the
   * system (`over: 'stable'`, after `evaluate()`), or over all candidates except the group
   * `excludeGroup` (`over: 'candidates'`, for phase-separation energies).
   */
  hullAt(els: readonly string[], x: Float64Array, over: 'stable' | 'candidates', excludeGroup = -1): LocalHull {
    const sorted = [...els].sort();
    let cols: readonly number[];
    let set: PointSet;
    if (over === 'stable') ({ cols, set } = this.stablePoints(sorted));
    else {
      cols = this.subsystemCandidates(sorted);
      set = this.pointSet(cols, sorted);
    }
    const xs = Float64Array.from(sorted, (el) => x[els.indexOf(el)]!);
    const why = unresolvedFractions(sorted, xs);
    if (why) throw new HullError(`composition ${sorted.map((el, k) => `${el}${xs[k]}`).join(' ')} (atomic fractions): ${why}`);
    const r = hullBatch(set, new Uint8Array(cols.length).fill(1), xs, Int32Array.of(excludeGroup));
    const value = r.values[0]!;
    if (Number.isNaN(value)) throw new HullError(`no hull energy found at ${sorted.map((el, k) => `${el}${xs[k]}`).join(' ')}`);
    const mu: Record<string, number> = {};
    sorted.forEach((el, k) => (mu[el] = r.mu[k]!));
    return { value, decomposition: phasesOf(this.entries, r, sorted.length, 0, cols, shareTolerance(xs, 0, sorted.length)), mu };
  }

  /**
   * The hull over the stable phases along x(t) = (1−t)·a + t·b (atomic fractions per element of
   * `els`): its exact kinks with energies and decompositions (solved when read), and the facets
   * between them (segment-points.ts).
   */
  segment(els: readonly string[], a: Float64Array, b: Float64Array): LocalSegment {
    return hullAlong(this, els, a, b);
  }

  /**
   * The stable phases of system `els` (sorted; after `evaluate()`) and their point set, kept for
   * the most recently used systems: windows, interface reactions and screens ask the same systems
   * again and again, and gathering a large system's points costs more than its linear programs.
   * Only the stable phases: the hull is theirs, and they are a small part of a system's entries.
   * Shared by facet walks and segment points (read, never written); the same order always, so the
   * same points give the LPs the same numbers.
   */
  stablePoints(els: readonly string[]): { readonly cols: readonly number[]; readonly set: PointSet } {
    const key = els.join('-');
    let hit = this.pointCache.get(key);
    if (hit) {
      this.pointCache.delete(key);
    } else {
      // The stable rows of every subsystem, gathered by numeric keys: the same points in the same
      // order as the candidates of every subsystem (subsystemCandidates) that are stable.
      const dims = els.map((el) => this.rows.index.get(el) ?? -1);
      let rows: Int32Array;
      let cols: number[];
      if (dims.includes(-1)) {
        cols = this.subsystemCandidates(els).filter((i) => this.isStable[i] === 1);
        rows = Int32Array.from(cols, (i) => this.rows.rowOf[i]!);
      } else {
        rows = closureColumns(dims, this.stableRowsOf()).slice();
        cols = Array.from(rows, (r) => this.rows.entryOf[r]!);
      }
      hit = { cols, set: this.pointSetOfRows(rows, els) };
      if (this.pointCache.size >= POINT_CACHE_SYSTEMS) this.pointCache.delete(this.pointCache.keys().next().value!);
    }
    this.pointCache.set(key, hit);
    return hit;
  }

  /** Candidates of every subsystem of `els` (sorted), the elements included. */
  private subsystemCandidates(els: readonly string[]): number[] {
    const out: number[] = [];
    if (els.length > 20) throw new HullError(`a chemical system of ${els.length} elements is too large to enumerate its subsystems`);
    for (const key of subsystemKeys(els)) {
      const list = this.candidatesOf.get(key);
      if (list) for (const i of list) out.push(i);
    }
    return out;
  }

  private pointSet(cols: readonly number[], els: readonly string[]): PointSet {
    const rowOf = this.rows.rowOf;
    return this.pointSetOfRows(
      Int32Array.from(cols, (i) => rowOf[i]!),
      els,
    );
  }

  private pointSetOfRows(rows: Int32Array, els: readonly string[]): PointSet {
    const d = els.length;
    const pts = new Float64Array(rows.length * (d + 1));
    const group = new Int32Array(rows.length);
    writePoints(this.rows, rows, els, pts, 0, group, 0);
    return { n: rows.length, d, pts, group };
  }
}

/**
 * Every entry's stability within its own chemical system, over a dataset spanning any number of
 * elements (the whole Materials Project, say), streamed one chemical system at a time.
 */
export function systemStabilities(input: readonly Entry[], options: SystemHullOptions = {}): Generator<SystemStability> {
  return new SystemIndex(input).evaluate(options);
}
