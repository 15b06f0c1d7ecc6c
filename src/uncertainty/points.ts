/**
 * One point set of a scope, sampled: every composition group as a point (closed), or every group
 * but the open element's as a grand-potential point (open to an element at a fixed μ), and the
 * three questions the kernel answers for a batch of samples on it — the hull at compositions, the
 * hull along a segment (kinks and facets), and the groups' own perturbed energies.
 */
import type { SystemIndex } from '../thermo/index.js';
import { Layout, placeModel } from './kernel.js';
import type { UncertaintyModel } from './model.js';
import { buildScope, type Scope, type ScopeErrors, scopeErrors } from './scope.js';

const scopes = new WeakMap<SystemIndex, Map<string, Scope>>();

/** The scope of the chemical system `elements` (all the index's elements when omitted), kept per index. */
export function scopeOf(index: SystemIndex, elements?: readonly string[]): Scope {
  if (!index.isStable.some((v) => v === 1)) for (const _ of index.solveSystems({ decompositions: false }));
  const els = [...new Set(elements ?? [...index.refs.keys()])].sort();
  const key = els.join('-');
  let byKey = scopes.get(index);
  if (!byKey) {
    byKey = new Map();
    scopes.set(index, byKey);
  }
  let s = byKey.get(key);
  if (!s) {
    s = certified(buildScope(index, els));
    if (byKey.size >= 256) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, s);
  }
  return s;
}

/**
 * The scope with its deterministic bases: the hull at every compound's composition over every
 * other group, in one kernel batch with no perturbation — warm starts, and for the compositions
 * that are not vertices certificates too. Any mixture a group lies above will do as a certificate
 * (a point above a feasible mixture is no vertex, whatever the mixture's phases).
 */
function certified(scope: Scope): Scope {
  const { index } = scope;
  const nG = scope.groups.length;
  const queried: number[] = [];
  for (let g = 0; g < nG; g++) if (!scope.gElem[g]) queried.push(g);
  if (queried.length === 0) return scope;
  const exact: ScopeErrors = {
    key: scope.entries,
    sigma: new Float64Array(scope.entries.length),
    loadOff: new Int32Array(scope.entries.length + 1),
    loadName: new Int32Array(0),
    loadVal: new Float64Array(0),
    nameKey: new Int32Array(0),
  };
  const points = closedPoints(scope);
  const d = points.d;
  const queries = new Float64Array(queried.length * d);
  queried.forEach((g, q) => queries.set(scope.fractions.subarray(g * d, (g + 1) * d), q * d));
  const h = hullAtPlaced(points, exact, 0, Int32Array.of(0), queries, { exclude: Int32Array.from(queried) });
  const certOff = new Int32Array(nG + 1);
  const certG: number[] = [];
  const certFrac: number[] = [];
  const certPrune = new Uint8Array(nG);
  let q = 0;
  for (let g = 0; g < nG; g++) {
    if (queried[q] === g) {
      if (!Number.isNaN(h.value[q]!)) {
        // The whole basis (members at 0 included: they make it square for the warm start).
        for (let i = 0; i < d; i++) {
          const k = h.group[q * d + i]!;
          if (k < 0) continue;
          certG.push(k);
          certFrac.push(h.fraction[q * d + i]!);
        }
        certPrune[g] = index.isStable[index.groups.lowest[scope.groups[g]!]!] ? 0 : 1;
      }
      q++;
    }
    certOff[g + 1] = certG.length;
  }
  return { ...scope, certOff, certG: Int32Array.from(certG), certFrac: Float64Array.from(certFrac), certPrune };
}

/** Points for the kernel: group cols[j] at pts row j, its LP energy (f' − offset[j]) · scale[j]. */
export interface PointSet {
  readonly scope: Scope;
  readonly d: number;
  readonly cols: Int32Array;
  readonly pts: Float64Array;
  readonly scale: Float64Array;
  readonly offset: Float64Array;
  /** The open element's group (its certificates prune nothing), -1 when closed. */
  readonly openGroup: number;
  /** Elements of the coordinates (the scope's, without the open element when open). */
  readonly elements: readonly string[];
}

/** Every group of the scope at its atomic fractions and formation energy. */
export function closedPoints(scope: Scope): PointSet {
  const d = scope.elements.length;
  const nG = scope.groups.length;
  const pts = new Float64Array(nG * (d + 1));
  for (let g = 0; g < nG; g++) for (let k = 0; k < d; k++) pts[g * (d + 1) + k] = scope.fractions[g * d + k]!;
  return { scope, d, cols: Int32Array.from({ length: nG }, (_, g) => g), pts, scale: new Float64Array(nG).fill(1), offset: new Float64Array(nG), openGroup: -1, elements: scope.elements };
}

/**
 * The grand-potential points with `open` at μ (relative to its reference, eV/atom): each group
 * but the pure element at its non-open fractions, Φ = (f − μ·x_open) / (1 − x_open) per non-open
 * atom (pymatgen's GrandPotPDEntry, on the formation-energy scale).
 */
export function grandPoints(scope: Scope, open: string, mu: number): PointSet {
  const D = scope.elements.length;
  const o = scope.elements.indexOf(open);
  const elements = scope.elements.filter((el) => el !== open);
  const d = elements.length;
  const cols: number[] = [];
  const rows: number[] = [];
  const scale: number[] = [];
  const offset: number[] = [];
  let openGroup = -1;
  for (let g = 0; g < scope.groups.length; g++) {
    const xo = scope.fractions[g * D + o]!;
    if (xo >= 1) {
      openGroup = g;
      continue;
    }
    cols.push(g);
    for (let k = 0; k < D; k++) if (k !== o) rows.push(scope.fractions[g * D + k]! / (1 - xo));
    rows.push(0);
    scale.push(1 / (1 - xo));
    offset.push(mu * xo);
  }
  return { scope, d, cols: Int32Array.from(cols), pts: Float64Array.from(rows), scale: Float64Array.from(scale), offset: Float64Array.from(offset), openGroup, elements };
}

/** Hull values and decompositions (groups, fractions) of `nq` queries per sample. */
export interface HullAtSamples {
  readonly nq: number;
  readonly d: number;
  /** value[s·nq + q]: the hull (LP scale) at query q in sample s. */
  readonly value: Float64Array;
  /** group[(s·nq + q)·d + i], -1 unused; fraction alike. */
  readonly group: Int32Array;
  readonly fraction: Float64Array;
  /** With `duals`: the facet's chemical potentials per coordinate, mu[(s·nq + q)·d + k]. */
  readonly mu?: Float64Array;
}

/**
 * The hull at compositions for the listed samples: `queries` holds nq rows of d fractions shared
 * by every sample, or samples.length·nq rows, one set per sample (`perSample`).
 */
export function hullAtSamples(
  points: PointSet,
  model: UncertaintyModel,
  seed: number,
  samples: Int32Array,
  queries: Float64Array,
  options: { perSample?: boolean; exclude?: Int32Array; duals?: boolean } = {},
): HullAtSamples {
  return hullAtPlaced(points, scopeErrors(points.scope, model), seed, samples, queries, options);
}

function hullAtPlaced(
  points: PointSet,
  errors: ScopeErrors,
  seed: number,
  samples: Int32Array,
  queries: Float64Array,
  options: { perSample?: boolean; exclude?: Int32Array; duals?: boolean },
): HullAtSamples {
  const { d } = points;
  const nS = samples.length;
  const perSample = options.perSample ?? false;
  const nq = perSample ? queries.length / d / Math.max(1, nS) : queries.length / d;
  const n = points.cols.length;
  const L = new Layout();
  placeModel(L, points.scope, errors);
  const args = [L.put(points.cols), L.put(points.pts), L.put(points.scale), L.put(points.offset)] as const;
  const pQ = L.put(queries);
  const pEx = L.put(options.exclude ?? new Int32Array(nq).fill(-1));
  const pSamples = L.put(samples);
  const pVal = L.out(8 * nS * nq);
  const pIdx = L.out(4 * nS * nq * d);
  const pLam = L.out(8 * nS * nq * d);
  const pMu = options.duals ? L.out(8 * nS * nq * d) : 0;
  const pAlive = L.out(n);
  const pIdxScratch = L.out(4 * nq * d);
  const pWork = L.out(L.x.workBytes(n, d));
  L.flush();
  L.x.sampleHullAt(seed, nS, pSamples, points.openGroup, n, d, ...args, nq, pQ, perSample ? 1 : 0, pEx, pVal, pIdx, pLam, pMu, pAlive, pIdxScratch, pWork);
  return {
    nq,
    d,
    value: L.f64(pVal, nS * nq),
    group: L.i32(pIdx, nS * nq * d),
    fraction: L.f64(pLam, nS * nq * d),
    ...(options.duals ? { mu: L.f64(pMu, nS * nq * d) } : {}),
  };
}

/** The hull along a → b per sample: kinks and the facet lines between them (LP scale). */
export interface SegmentSamples {
  readonly maxK: number;
  readonly d: number;
  /** Kinks of sample s (-1: the segment could not be solved). */
  readonly count: Int32Array;
  /** t[s·maxK + i]: kink i of sample s, ascending in (0, 1). */
  readonly t: Float64Array;
  /** Facet i of sample s (0 … count): c, m, μ[d] at lines[((s·(maxK+1)) + i)·(2 + d)]. */
  readonly lines: Float64Array;
}

const MAX_KINKS = 128;

export function segmentSamples(points: PointSet, model: UncertaintyModel, seed: number, samples: Int32Array, a: Float64Array, b: Float64Array): SegmentSamples {
  const { d } = points;
  const nS = samples.length;
  const n = points.cols.length;
  const maxK = MAX_KINKS;
  const maxLines = 4 * maxK;
  const L = new Layout();
  placeModel(L, points.scope, scopeErrors(points.scope, model));
  const args = [L.put(points.cols), L.put(points.pts), L.put(points.scale), L.put(points.offset), L.put(a), L.put(b)] as const;
  const pSamples = L.put(samples);
  const pN = L.out(4 * nS);
  const pT = L.out(8 * nS * maxK);
  const pLines = L.out(8 * nS * (maxK + 1) * (2 + d));
  const scratch = [L.out(8 * maxK), L.out(4 * maxK), L.out(4 * maxK)] as const;
  const pLinesScratch = L.out(8 * maxLines * (2 + d));
  const pStack = L.out(8 * maxLines);
  const pAlive = L.out(n);
  const pWork = L.out(L.x.workBytes(n, d));
  L.flush();
  L.x.sampleSegments(seed, nS, pSamples, points.openGroup, n, d, ...args, maxK, pN, pT, pLines, ...scratch, maxLines, pLinesScratch, pStack, pAlive, pWork);
  return { maxK, d, count: L.i32(pN, nS), t: L.f64(pT, nS * maxK), lines: L.f64(pLines, nS * (maxK + 1) * (2 + d)) };
}

/**
 * The lowest perturbed formation energy of groups (local), its entry, whether it is below the
 * elements, and each element's reference shift Δr (refShift[s·elements + e]).
 */
export interface GroupSamples {
  readonly f: Float64Array;
  readonly arg: Int32Array;
  readonly candidate: Uint8Array;
  readonly refShift: Float64Array;
}

export function groupSamples(scope: Scope, model: UncertaintyModel, seed: number, samples: Int32Array, groups: Int32Array): GroupSamples {
  const nS = samples.length;
  const nq = groups.length;
  const nEl = scope.elements.length;
  const L = new Layout();
  placeModel(L, scope, scopeErrors(scope, model));
  const pG = L.put(groups);
  const pSamples = L.put(samples);
  const pF = L.out(8 * nS * nq);
  const pArg = L.out(4 * nS * nq);
  const pCand = L.out(nS * nq);
  const pR = L.out(8 * nS * nEl);
  L.flush();
  L.x.sampleGroups(seed, nS, pSamples, nq, pG, pF, pArg, pCand, pR);
  return { f: L.f64(pF, nS * nq), arg: L.i32(pArg, nS * nq), candidate: L.u8(pCand, nS * nq), refShift: L.f64(pR, nS * nEl) };
}
