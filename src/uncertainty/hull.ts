/**
 * The stability of every entry under uncertain energies: for each sample, the whole dataset's
 * hulls system by system (subsystems first, as SystemIndex.evaluate), in one kernel call per batch
 * of samples; per entry P(stable), E_hull's distribution and the decompositions seen.
 *
 * An entry is stable in a sample when its composition's lowest entry is a vertex of the perturbed
 * hull (it lies below the hull of every other composition). E_hull is 0 for it, and its energy
 * above the hull for every other entry, as in the deterministic report.
 */
import type { SystemIndex } from '../thermo/index.js';
import { Layout, placeModel, sampleRange } from './kernel.js';
import { UncertaintyError, type UncertaintyModel } from './model.js';
import { scopeOf } from './points.js';
import { type Scope, scopeErrors } from './scope.js';
import { type Distribution, distribution, type Frequency, type Probability, probability, Tally } from './stats.js';

/** Samples [from, to) of every entry of a dataset (entry-major arrays). */
export interface HullSamples {
  readonly from: number;
  readonly to: number;
  /** E_hull (eV/atom) of entry i in sample s: ehull[i·n + (s − from)], n = to − from. */
  readonly ehull: Float64Array;
  readonly stable: Uint8Array;
  /** Per entry, its decompositions seen (dataset positions joined by ',') and their counts. */
  readonly decompositions: ReadonlyArray<ReadonlyArray<readonly [string, number]>>;
}

/** One system's points and queries, laid out for sampleStability. */
interface SystemBlock {
  readonly d: number;
  readonly cols: Int32Array;
  readonly pts: Float64Array;
  readonly qGroup: Int32Array;
  readonly queries: Float64Array;
}

const blocksCache = new WeakMap<Scope, SystemBlock[]>();

/** The systems of a scope, subsystems first, each with the groups of all its subsystems as points. */
function systemBlocks(scope: Scope): SystemBlock[] {
  const hit = blocksCache.get(scope);
  if (hit) return hit;
  const bySystem = new Map<string, number[]>();
  scope.system.forEach((sys, g) => {
    const l = bySystem.get(sys);
    if (l) l.push(g);
    else bySystem.set(sys, [g]);
  });
  const D = scope.elements.length;
  const elPos = new Map(scope.elements.map((el, k) => [el, k]));
  const order = [...bySystem.keys()].sort((a, b) => a.split('-').length - b.split('-').length);
  const blocks = order.map((sys) => {
    const els = sys.split('-');
    const d = els.length;
    const cols: number[] = [];
    for (let mask = 1; mask < 1 << d; mask++) {
      const key = els.filter((_, b) => mask & (1 << b)).join('-');
      for (const g of bySystem.get(key) ?? []) cols.push(g);
    }
    const pos = els.map((el) => elPos.get(el)!);
    const row = (g: number, out: Float64Array, at: number) => pos.forEach((p, k) => (out[at + k] = scope.fractions[g * D + p]!));
    const pts = new Float64Array(cols.length * (d + 1));
    cols.forEach((g, j) => row(g, pts, j * (d + 1)));
    const own = bySystem.get(sys)!;
    const queries = new Float64Array(own.length * d);
    own.forEach((g, q) => row(g, queries, q * d));
    return { d, cols: Int32Array.from(cols), pts, qGroup: Int32Array.from(own), queries };
  });
  blocksCache.set(scope, blocks);
  return blocks;
}

const SYS_FIELDS = 7;

/** Samples [from, to) of the stability of every entry of `index` under `model`. */
/**
 * How large a dataset `hullSamples` takes at once: its scope holds every entry, and setting it up
 * (the deterministic basis of every composition over all of them) costs about compositions² ×
 * elements. The MP2020 8-element set is 1.8e6 of it; the embedded 32-element table 5e9.
 */
export const MAX_HULL_WORK = 1e9;

export function hullSamples(index: SystemIndex, model: UncertaintyModel, seed: number, from: number, to: number): HullSamples {
  const els = index.refs.size;
  const groups = index.groups.lowest.length;
  if (groups * groups * els > MAX_HULL_WORK) {
    throw new UncertaintyError(
      `the stability of every entry under uncertainty is sampled for one dataset at once, and this one is too large (${groups} compositions of ${els} elements): ` +
        `cut the data to the chemical systems in question (windows, reactions and screens sample their own systems only)`,
    );
  }
  const scope = scopeOf(index);
  const blocks = systemBlocks(scope);
  const nS = to - from;
  const nE = scope.entries.length;
  const nG = scope.groups.length;
  const maxD = Math.max(...blocks.map((b) => b.d));
  const maxN = Math.max(...blocks.map((b) => b.cols.length));
  const maxQ = Math.max(...blocks.map((b) => b.qGroup.length));
  const L = new Layout();
  placeModel(L, scope, scopeErrors(scope, model));
  const header = new Int32Array(blocks.length * SYS_FIELDS);
  blocks.forEach((b, y) => header.set([b.d, b.cols.length, L.put(b.cols), L.put(b.pts), b.qGroup.length, L.put(b.qGroup), L.put(b.queries)], y * SYS_FIELDS));
  const pSys = L.put(header);
  const pSamples = L.put(sampleRange(from, to));
  const pEhull = L.out(8 * nE * nS);
  const pStable = L.out(nE * nS);
  const pBasis = L.out(4 * nG * nS * maxD);
  const pArg = L.out(4 * nG * nS);
  const scratch = [L.out(maxN), L.out(maxN), L.out(4 * maxQ), L.out(8 * maxQ), L.out(4 * maxQ * maxD), L.out(8 * maxQ * maxD), L.out(8 * nG), L.out(nG), L.out(4 * nG * maxD)] as const;
  const pWork = L.out(L.x.workBytes(maxN, maxD));
  const pWarm = L.out(4 * nG + 16 + 16 * maxD * maxD + 16 * maxD + 8 * maxQ * maxD + 4 * maxQ + 16);
  L.flush();
  const failed = L.x.sampleStability(seed, nS, pSamples, blocks.length, pSys, maxD, pEhull, pStable, pBasis, pArg, ...scratch, pWork, pWarm, maxQ);
  if (failed > 0) throw new UncertaintyError(`${failed} sampled hull problems of samples ${from}–${to - 1} could not be solved`);
  const ehull = L.f64(pEhull, nE * nS);
  const stable = L.u8(pStable, nE * nS);
  const basis = L.i32(pBasis, nG * nS * maxD);
  const arg = L.i32(pArg, nG * nS);
  return { from, to, ehull, stable, decompositions: tallyDecompositions(scope, nS, maxD, stable, basis, arg) };
}

/**
 * Per entry, the phases (dataset positions) of each sample's decomposition, counted. Every entry of
 * a composition shares one decomposition per sample — the lowest entry when it is a vertex (itself
 * for that entry), else the mixture of vertices — so they are counted once per composition.
 */
function tallyDecompositions(scope: Scope, nS: number, maxD: number, stable: Uint8Array, basis: Int32Array, arg: Int32Array): Array<Array<[string, number]>> {
  const phases: number[] = [];
  // The phases of group g in sample s, sorted, into `phases`.
  const phasesOf = (g: number, s: number): void => {
    phases.length = 0;
    const lowest = arg[g * nS + s]!;
    if (stable[lowest * nS + s]) {
      phases.push(lowest);
      return;
    }
    for (let i = 0; i < maxD; i++) {
      const k = basis[(g * nS + s) * maxD + i]!;
      if (k < 0) continue;
      // Insertion into the sorted list (a handful of phases).
      const p = arg[k * nS + s]!;
      let j = phases.length;
      phases.push(p);
      while (j > 0 && phases[j - 1]! > p) {
        phases[j] = phases[j - 1]!;
        j--;
      }
      phases[j] = p;
    }
  };
  // Sample s decomposes group g as sample s − 1 did when its slots read the same (a shortcut: the
  // slots may also differ in order only, which the full comparison then finds).
  const sameSlots = (g: number, s: number): boolean => {
    const lowest = arg[g * nS + s]!;
    if (lowest !== arg[g * nS + s - 1] || stable[lowest * nS + s] !== stable[lowest * nS + s - 1]) return false;
    if (stable[lowest * nS + s]) return true;
    for (let i = 0; i < maxD; i++) {
      const k = basis[(g * nS + s) * maxD + i]!;
      if (k !== basis[(g * nS + s - 1) * maxD + i]) return false;
      if (k >= 0 && arg[k * nS + s] !== arg[k * nS + s - 1]) return false;
    }
    return true;
  };
  const byGroup: Array<Array<[string, number]>> = [];
  for (let g = 0; g < scope.groups.length; g++) {
    // The distinct decompositions of this group (few), their counts, and the current one.
    const seen: number[][] = [];
    const counts: number[] = [];
    let cur = -1;
    for (let s = 0; s < nS; s++) {
      if (cur >= 0 && sameSlots(g, s)) {
        counts[cur]!++;
        continue;
      }
      phasesOf(g, s);
      cur = -1;
      for (let i = 0; i < seen.length && cur < 0; i++) if (sameList(seen[i]!, phases)) cur = i;
      if (cur < 0) {
        cur = seen.length;
        seen.push([...phases]);
        counts.push(0);
      }
      counts[cur]!++;
    }
    byGroup.push(seen.map((p, i) => [p.map((x) => scope.entries[x]!).join(','), counts[i]!]));
  }
  return Array.from(scope.groupOf, (g) => byGroup[g]!);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Joins samples of consecutive ranges (in any order) into one, ordered by sample. */
export function mergeHullSamples(parts: readonly HullSamples[]): HullSamples {
  if (parts.length === 1) return parts[0]!;
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  const from = sorted[0]!.from;
  const to = sorted[sorted.length - 1]!.to;
  const n = to - from;
  const nE = sorted[0]!.decompositions.length;
  const ehull = new Float64Array(nE * n);
  const stable = new Uint8Array(nE * n);
  for (const p of sorted) {
    const k = p.to - p.from;
    for (let i = 0; i < nE; i++) {
      ehull.set(p.ehull.subarray(i * k, (i + 1) * k), i * n + (p.from - from));
      stable.set(p.stable.subarray(i * k, (i + 1) * k), i * n + (p.from - from));
    }
  }
  const decompositions = Array.from({ length: nE }, (_, i) => {
    const m = new Map<string, number>();
    for (const p of sorted) for (const [key, c] of p.decompositions[i]!) m.set(key, (m.get(key) ?? 0) + c);
    return [...m];
  });
  return { from, to, ehull, stable, decompositions };
}

/** The largest standard error of any entry's P(stable). */
export function hullWorstSe(s: HullSamples): number {
  const n = s.to - s.from;
  let worst = 0;
  for (let i = 0; i < s.decompositions.length; i++) {
    let k = 0;
    for (let j = 0; j < n; j++) k += s.stable[i * n + j]!;
    worst = Math.max(worst, probability(k, n).se);
  }
  return worst;
}

/** Who the entries of samples are: ids and formulas of a dataset's entries, in index order. */
export interface HullLabels {
  readonly ids: readonly string[];
  readonly formulas: readonly string[];
}

export function hullLabels(index: SystemIndex): HullLabels {
  return { ids: index.entries.map((e) => e.id), formulas: index.entries.map((e) => e.composition.reducedFormula) };
}

/** An entry's stability under uncertainty (plain data). */
export interface EntryUncertainty {
  readonly id: string;
  /** Reduced formula. */
  readonly formula: string;
  /** Probability that the entry is a vertex of the hull. */
  readonly pStable: Probability;
  /** E_hull (eV/atom, 0 when stable) over the samples. */
  readonly eAboveHull: Distribution;
  /** The decompositions seen (ids; itself when stable), most frequent first. */
  readonly decompositions: ReadonlyArray<Frequency<readonly string[]>>;
}

/** Per-entry summaries of merged samples; `limit` decompositions per entry (default 5). */
export function summarizeHull(labels: HullLabels, s: HullSamples, limit = 5): EntryUncertainty[] {
  const n = s.to - s.from;
  return labels.ids.map((id, i) => {
    let k = 0;
    for (let j = 0; j < n; j++) k += s.stable[i * n + j]!;
    const tally = new Tally<readonly string[]>();
    for (const [key, c] of s.decompositions[i]!) tally.add(key, () => key.split(',').map((p) => labels.ids[Number(p)]!), c);
    return {
      id,
      formula: labels.formulas[i]!,
      pStable: probability(k, n),
      eAboveHull: distribution(s.ehull.slice(i * n, (i + 1) * n)),
      decompositions: tally.top(limit),
    };
  });
}
