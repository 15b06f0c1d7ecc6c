// One chemical system's stabilities and hull energies in one call, by a simplex that is never
// restarted ("scan"). The LP is the hull kernel's (index.ts): minimise Σλ_j e_j subject to
// Σλ_j x_j = q, λ >= 0. What changes is how it is solved when many queries share one system:
//
// - Columns are priced over the stable phases S only (the vertices of the hull; a small part of a
//   system's points). Every other point lies on or above their hull, so it can never improve an
//   optimum over S — except in a phase-separation query, where the queried vertex is missing.
//   There (and only there) the remaining points are priced too, after S (partial pricing).
// - The basis is kept from one query to the next. A basis optimal for one composition is dual
//   feasible for every composition (reduced costs do not depend on q), so the next query starts
//   with a dual simplex: it stays on the same facet when q lies in it (no pivot at all) and walks
//   across facet boundaries otherwise, one pivot per boundary. Queries are given in an order
//   where neighbours share facets.
// - The elemental references start the basis: primal feasible for any q, no artificials.
//
// Stabilities (phase A). The own candidates (points of exactly this system, undecided) are taken
// in the caller's order (deepest formation energies first). Candidate p is unstable as soon as it
// lies on or above the hull of the stable phases found so far (within tol): that hull is never
// below the hull of all other points. Otherwise its phase-separation energy is solved over all
// other points (excluding its composition group); if it lies more than tol below, it joins S. The
// basis over S is saved before and restored after each such query, so S's basis stays valid.
// Hull energies (phase B): every query composition over the final S, decompositions from the
// basis (point index and atom fraction per slot).
//
// Any numerical trouble (singular basis, iteration cap) returns -1 and the caller falls back to
// the per-query LPs of index.ts. Memory is the caller's; nothing is allocated.
import { gaussJordanInverse, ld, ldi, st, sti } from './memory';

const PRICE_TOL: f64 = 1e-12;
const PIVOT_TOL: f64 = 1e-11;
// Basic variables above -FEAS_TOL count as feasible (round-off of a degenerate vertex).
const FEAS_TOL: f64 = 1e-12;
// B^-1 is updated in product form and rebuilt this often; the duals are recomputed from it at
// every pivot and x_B from it at every answer, so no drift accumulates across queries.
const REFACTOR_EVERY: i32 = 8;
// A basic point above this share is in the support of an answer; below, a degenerate zero.
const SUPPORT_TOL: f64 = 1e-11;
// The smallest atomic fraction the scan takes. Its tolerances are absolute and sized for fractions
// of real cells (1/400 and up); with far smaller ones (Ti50000001S2, S at 1e-8) its kept basis
// drifts by more than 1e-9 eV/atom (test/hull.fuzz.test.ts against an exact rational LP), so such
// a system is declined (-1) and goes to the per-query LPs, which that test holds exact down to
// MIN_ATOMIC_FRACTION.
const MIN_FRACTION: f64 = 1e-3;

let sD: i32 = 0;
let sStride: i32 = 0;
let sN: i32 = 0;
let sPts: usize = 0; // f64[n*(d+1)]: fractions, energy
let sGroup: usize = 0; // i32[n]
let sState: usize = 0; // u8[n]: 0 unstable, 1 stable (in S), 2 undecided
let sS: usize = 0; // i32[n]: the stable points (S), sNS of them
let sNS: i32 = 0;
let sBinv: usize = 0; // f64[d*d]
let sB: usize = 0; // f64[d*d] scratch for refactorisation
let sBasis: usize = 0; // i32[d] point index per row
let sX: usize = 0; // f64[d] basic values
let sMu: usize = 0; // f64[d] duals
let sAlpha: usize = 0; // f64[d]
let sQ: usize = 0; // f64[d]
let sSaveBinv: usize = 0;
let sSaveBasis: usize = 0;
let sSaveX: usize = 0;
let sSaveMu: usize = 0;
let sSup: usize = 0; // i32[d] support of an answer
let sM: usize = 0; // f64[d*d] its normal equations
let sMinv: usize = 0; // f64[d*d]
let sR: usize = 0; // f64[d]
let sXs: usize = 0; // f64[d] the support's fractions
let sPolished: f64 = 0.0;
let sSince: i32 = 0;
let sPivots: i32 = 0;
let sFull: i32 = 0;

/** Bytes of work area scanSystem needs for n points in d dimensions and nq queries. */
export function scanWorkBytes(n: i32, d: i32, nq: i32): i32 {
  return 4 * n + 4 * nq + 8 * nq + 8 * d * d * 5 + 8 * d * 8 + 4 * d * 3 + 64;
}

@inline function px(j: i32, k: i32): f64 {
  return load<f64>(sPts + (<usize>(j * sStride + k) << 3));
}

@inline function cost(j: i32): f64 {
  return load<f64>(sPts + (<usize>(j * sStride + sD) << 3));
}

function updateX(): void {
  const d = sD;
  for (let r = 0; r < d; r++) {
    let s = 0.0;
    for (let c = 0; c < d; c++) s += ld(sBinv, r * d + c) * ld(sQ, c);
    st(sX, r, s < 0.0 && s > -FEAS_TOL ? 0.0 : s);
  }
}

function updateMu(): void {
  const d = sD;
  for (let k = 0; k < d; k++) {
    let s = 0.0;
    for (let i = 0; i < d; i++) s += cost(ldi(sBasis, i)) * ld(sBinv, i * d + k);
    st(sMu, k, s);
  }
}

/** B^-1 afresh from the basis, then x_B and the duals; false if the basis is singular. */
function refactor(): bool {
  const d = sD;
  for (let c = 0; c < d; c++) {
    const j = ldi(sBasis, c);
    for (let r = 0; r < d; r++) st(sB, r * d + c, px(j, r));
  }
  if (!gaussJordanInverse(sB, sBinv, d, 1e-14)) return false;
  sSince = 0;
  updateX();
  updateMu();
  return true;
}

@inline function reduced(j: i32): f64 {
  let r = cost(j);
  const row = sPts + (<usize>(j * sStride) << 3);
  for (let k = 0; k < sD; k++) r -= ld(sMu, k) * load<f64>(row + (<usize>k << 3));
  return r;
}

function computeAlpha(j: i32): void {
  const d = sD;
  const row = sPts + (<usize>(j * sStride) << 3);
  for (let i = 0; i < d; i++) {
    let s = 0.0;
    for (let k = 0; k < d; k++) s += ld(sBinv, i * d + k) * load<f64>(row + (<usize>k << 3));
    st(sAlpha, i, s);
  }
}

/** Column j replaces row r of the basis (sAlpha = B^-1 a_j computed). */
function pivot(r: i32, j: i32): bool {
  const d = sD;
  const ar = ld(sAlpha, r);
  for (let c = 0; c < d; c++) st(sBinv, r * d + c, ld(sBinv, r * d + c) / ar);
  for (let i = 0; i < d; i++) {
    if (i == r) continue;
    const a = ld(sAlpha, i);
    if (a == 0.0) continue;
    for (let c = 0; c < d; c++) st(sBinv, i * d + c, ld(sBinv, i * d + c) - a * ld(sBinv, r * d + c));
  }
  const t = ld(sX, r) / ar;
  for (let i = 0; i < d; i++) {
    if (i == r) continue;
    const x = ld(sX, i) - ld(sAlpha, i) * t;
    st(sX, i, x < 0.0 && x > -FEAS_TOL ? 0.0 : x);
  }
  st(sX, r, t);
  sti(sBasis, r, j);
  sPivots++;
  if (++sSince >= REFACTOR_EVERY) return refactor();
  updateMu();
  return true;
}

/**
 * Primal simplex from a primal-feasible basis: prices S first and, when `full`, every other
 * point not in group `excl` once S has no improving column. False on trouble.
 */
function primal(excl: i32, full: bool): bool {
  const d = sD;
  let degenerate = 0;
  let iter = 0;
  const maxIter = 50 * (d + 10) + 2 * sN;
  while (true) {
    const bland = degenerate > 2 * d + 8;
    let enter = -1;
    let best = -PRICE_TOL;
    for (let s = 0; s < sNS; s++) {
      const j = ldi(sS, s);
      if (ldi(sGroup, j) == excl) continue;
      const r = reduced(j);
      if (r < best) {
        best = r;
        enter = j;
        if (bland) break;
      }
    }
    if (enter < 0 && full) {
      for (let j = 0; j < sN; j++) {
        if (load<u8>(sState + <usize>j) == 1 || ldi(sGroup, j) == excl) continue;
        const r = reduced(j);
        if (r < best) {
          best = r;
          enter = j;
          if (bland) break;
        }
      }
    }
    if (enter < 0) {
      return true;
    }
    if (++iter > maxIter) return false;
    computeAlpha(enter);
    let leave = -1;
    let bestT = Infinity;
    let bestA = 0.0;
    for (let i = 0; i < d; i++) {
      const a = ld(sAlpha, i);
      if (a <= PIVOT_TOL) continue;
      const t = ld(sX, i) / a;
      if (t < bestT - 1e-15 || (t <= bestT + 1e-15 && (bland ? ldi(sBasis, i) < ldi(sBasis, leave) : a > bestA))) {
        bestT = t;
        leave = i;
        bestA = a;
      }
    }
    if (leave < 0) return false;
    if (bestT <= 1e-15) degenerate++;
    else degenerate = 0;
    if (!pivot(leave, enter)) return false;
  }
}

/** Dual simplex over S from a dual-feasible basis, to primal feasibility at sQ. False on trouble. */
function dual(): bool {
  const d = sD;
  let iter = 0;
  const maxIter = 50 * (d + 10) + 2 * sN;
  while (true) {
    let r = -1;
    let worst = -FEAS_TOL;
    for (let i = 0; i < d; i++) {
      const x = ld(sX, i);
      if (x < worst) {
        worst = x;
        r = i;
      }
    }
    if (r < 0) return true;
    if (++iter > maxIter) return false;
    const row = sBinv + (<usize>(r * d) << 3);
    let enter = -1;
    let bestRatio = Infinity;
    let bestA = 0.0;
    for (let s = 0; s < sNS; s++) {
      const j = ldi(sS, s);
      const prow = sPts + (<usize>(j * sStride) << 3);
      let a = 0.0;
      for (let k = 0; k < d; k++) a += load<f64>(row + (<usize>k << 3)) * load<f64>(prow + (<usize>k << 3));
      if (a >= -PIVOT_TOL) continue;
      let dj = reduced(j);
      if (dj < 0.0) dj = 0.0;
      const ratio = dj / -a;
      if (ratio < bestRatio - 1e-15 || (ratio <= bestRatio + 1e-15 && -a > bestA)) {
        bestRatio = ratio;
        enter = j;
        bestA = -a;
      }
    }
    if (enter < 0) return false; // q outside the span of S: cannot happen with the elements in S
    computeAlpha(enter);
    if (!pivot(r, enter)) return false;
  }
}

function loadQ(from: usize): void {
  for (let k = 0; k < sD; k++) st(sQ, k, load<f64>(from + (<usize>k << 3)));
  updateX();
}

function objective(): f64 {
  updateX();
  let v = 0.0;
  for (let i = 0; i < sD; i++) v += cost(ldi(sBasis, i)) * ld(sX, i);
  return v;
}

/**
 * Query q's answer from the current basis, made independent of the path that led to it (screens
 * compare batchings bit for bit): the support (basic points with x > SUPPORT_TOL; a degenerate
 * basis also holds points at 0, which depend on the path) sorted by point index, its fractions
 * solved afresh from the normal equations of those columns. The same support gives the same bits
 * however the queries were ordered or batched. The basis itself is left as it is.
 */
function record(q: i32, outVal: usize, outIdx: usize, outLam: usize): bool {
  const d = sD;
  const k = polish();
  if (k < 0) return false;
  for (let a = 0; a < d; a++) {
    sti(outIdx, q * d + a, a < k ? ldi(sSup, a) : -1);
    st(outLam, q * d + a, a < k ? ld(sXs, a) : 0.0);
  }
  st(outVal, q, sPolished);
  return true;
}

/** The canonical answer at sQ from the current basis (see record): support in sSup, fractions in sXs, value in sPolished; its size, or -1. */
function polish(): i32 {
  const d = sD;
  updateX();
  let k = 0;
  for (let i = 0; i < d; i++) {
    if (ld(sX, i) <= SUPPORT_TOL) continue;
    // Insertion into sSup by point index.
    const v = ldi(sBasis, i);
    let j = k - 1;
    while (j >= 0 && ldi(sSup, j) > v) {
      sti(sSup, j + 1, ldi(sSup, j));
      j--;
    }
    sti(sSup, j + 1, v);
    k++;
  }
  // M = A'^T A' (k×k), r = A'^T q over the support's columns, then x' = M^-1 r.
  for (let a = 0; a < k; a++) {
    const pa = ldi(sSup, a);
    let r = 0.0;
    for (let t = 0; t < d; t++) r += px(pa, t) * ld(sQ, t);
    st(sR, a, r);
    for (let b = 0; b < k; b++) {
      const pb = ldi(sSup, b);
      let m = 0.0;
      for (let t = 0; t < d; t++) m += px(pa, t) * px(pb, t);
      st(sM, a * k + b, m);
    }
  }
  if (k == 0 || !gaussJordanInverse(sM, sMinv, k, 1e-30)) return -1;
  let value = 0.0;
  for (let a = 0; a < k; a++) {
    let x = 0.0;
    for (let b = 0; b < k; b++) x += ld(sMinv, a * k + b) * ld(sR, b);
    st(sXs, a, x);
    value += cost(ldi(sSup, a)) * x;
  }
  sPolished = value;
  return k;
}

function save(): void {
  const d = sD;
  memory.copy(sSaveBinv, sBinv, <usize>(8 * d * d));
  memory.copy(sSaveBasis, sBasis, <usize>(4 * d));
  memory.copy(sSaveX, sX, <usize>(8 * d));
  memory.copy(sSaveMu, sMu, <usize>(8 * d));
}

function restore(since: i32): void {
  const d = sD;
  memory.copy(sBinv, sSaveBinv, <usize>(8 * d * d));
  memory.copy(sBasis, sSaveBasis, <usize>(4 * d));
  memory.copy(sX, sSaveX, <usize>(8 * d));
  memory.copy(sMu, sSaveMu, <usize>(8 * d));
  sSince = since;
}

/**
 * Stabilities and hull energies of one chemical system (see the module comment).
 * n points, rows of d atomic fractions and a formation energy (stride d + 1); group i32[n]
 * (composition groups); state u8[n] in/out: 1 stable, 0 unstable, 2 undecided (the own
 * candidates, decided here); elems i32[d]: the point of each element (unit vectors, stable);
 * order i32[nu]: the undecided points in the order to decide them; tol: stability tolerance.
 * Queries f64[nq*d] (every q_k > 0), taken in the order written into qorder i32[nq] (facetOrder);
 * qOfPoint i32[n]: the
 * query of each undecided point's composition (-1: none). A query answered while its point was
 * decided is not solved again when no stable point was found after it (phase B skips it): the
 * candidates come deepest first, so the stable ones are usually found early.
 * Outputs: signed f64[n] (phase-separation energy e_p − hull of the others, for points found
 * stable), outVal f64[nq] (hull energy over the stable points), outIdx i32[nq*d] / outLam
 * f64[nq*d] (basis point and its atom fraction per slot). Returns 0, or -1 on numerical trouble
 * or a fraction below MIN_FRACTION among the points or queries (nothing is decided then).
 */
export function scanSystem(
  n: i32, d: i32, pts: usize, group: usize, state: usize, elems: usize,
  nu: i32, order: usize, tol: f64,
  nq: i32, queries: usize, qorder: usize, qOfPoint: usize,
  signed: usize, outVal: usize, outIdx: usize, outLam: usize, work: usize,
): i32 {
  if (hasTinyFraction(n, d, pts, nq, queries)) return -1;
  sD = d; sStride = d + 1; sN = n; sPts = pts; sGroup = group; sState = state;
  let p = (work + 7) & ~7;
  sBinv = p; p += <usize>(8 * d * d);
  sB = p; p += <usize>(8 * d * d);
  sSaveBinv = p; p += <usize>(8 * d * d);
  sX = p; p += <usize>(8 * d);
  sMu = p; p += <usize>(8 * d);
  sAlpha = p; p += <usize>(8 * d);
  sQ = p; p += <usize>(8 * d);
  sSaveX = p; p += <usize>(8 * d);
  sSaveMu = p; p += <usize>(8 * d);
  sBasis = p; p += <usize>(4 * d);
  sSaveBasis = p; p += <usize>(4 * d);
  sSup = p; p += <usize>(4 * d);
  p = (p + 7) & ~7;
  sM = p; p += <usize>(8 * d * d);
  sMinv = p; p += <usize>(8 * d * d);
  sR = p; p += <usize>(8 * d);
  sXs = p; p += <usize>(8 * d);
  const keys = p; p += <usize>(8 * nq);
  facetOrder(d, nq, queries, qorder, keys);
  const stamp = p; p += <usize>(4 * nq); // per query: size of S when answered, -1 not yet
  for (let q = 0; q < nq; q++) sti(stamp, q, -1);
  sS = p;
  sNS = 0;
  for (let j = 0; j < n; j++) if (load<u8>(state + <usize>j) == 1) sti(sS, sNS++, j);
  for (let i = 0; i < d; i++) sti(sBasis, i, ldi(elems, i));
  // Any composition to start from: the first query (the elements' basis is feasible for it).
  if (nq == 0 && nu == 0) return 0;
  loadQ(nu > 0 ? pts + (<usize>(ldi(order, 0) * sStride) << 3) : queries + (<usize>(ldi(qorder, 0) * d) << 3));
  if (!refactor()) return -1;
  if (!primal(-1, false)) return -1;
  // Phase A: decide the undecided points.
  for (let u = 0; u < nu; u++) {
    const j = ldi(order, u);
    loadQ(pts + (<usize>(j * sStride) << 3));
    if (!dual()) return -1;
    const e = cost(j);
    const qj = ldi(qOfPoint, j);
    if (e - objective() >= -tol) {
      store<u8>(state + <usize>j, 0);
      if (qj >= 0) {
        if (!record(qj, outVal, outIdx, outLam)) return -1;
        sti(stamp, qj, sNS);
      }
      continue;
    }
    // Below the hull of S: its phase separation against every other point decides.
    save();
    const since = sSince;
    sFull++;
    if (!primal(ldi(group, j), true)) return -1;
    if (polish() < 0) return -1;
    const sep = e - sPolished; // canonical, as every answer
    restore(since);
    if (sep < -tol) {
      store<u8>(state + <usize>j, 1);
      st(signed, j, sep);
      sti(sS, sNS++, j);
      if (!primal(-1, false)) return -1; // j enters: the basis is optimal over the new S again
      if (qj >= 0) {
        // A vertex is its own decomposition, whatever is found later.
        st(outVal, qj, e);
        for (let i = 0; i < d; i++) {
          sti(outIdx, qj * d + i, i == 0 ? j : -1);
          st(outLam, qj * d + i, i == 0 ? 1.0 : 0.0);
        }
        sti(stamp, qj, 0x7fffffff);
      }
    } else {
      store<u8>(state + <usize>j, 0);
      if (qj >= 0) {
        if (!record(qj, outVal, outIdx, outLam)) return -1;
        sti(stamp, qj, sNS);
      }
    }
  }
  // Phase B: hull energies and decompositions over the stable points.
  for (let t = 0; t < nq; t++) {
    const q = ldi(qorder, t);
    const sq = ldi(stamp, q);
    if (sq == sNS || sq == 0x7fffffff) continue; // answered over the final S already
    loadQ(queries + (<usize>(q * d) << 3));
    if (!dual()) return -1;
    if (!record(q, outVal, outIdx, outLam)) return -1;
  }
  return 0;
}

/**
 * Writes into qorder an order of the nq queries in which neighbours tend to share a facet, so the
 * kept basis walks few facet boundaries: lexicographic by fractions, each coordinate coarsened to
 * a grid of 1/64 with the direction of the next one alternating (a boustrophedon sweep). Stable
 * insertion sort by key (f64 keys[nq]): a system has few compositions of its own (a table's
 * largest, a few hundred).
 */
function facetOrder(d: i32, nq: i32, queries: usize, qorder: usize, keys: usize): void {
  for (let i = 0; i < nq; i++) sti(qorder, i, i);
  if (nq < 3 || d < 2) return;
  const m = d - 1 < 3 ? d - 1 : 3;
  for (let i = 0; i < nq; i++) {
    let key = 0.0;
    let flip = false;
    for (let c = 0; c < m; c++) {
      const cell = <i32>Math.min(63.0, Math.floor(ld(queries, i * d + c) * 64.0));
      key = key * 64.0 + <f64>(flip ? 63 - cell : cell);
      if (cell & 1) flip = !flip;
    }
    st(keys, i, key);
  }
  for (let a = 1; a < nq; a++) {
    const v = ldi(qorder, a);
    const kv = ld(keys, v);
    let b = a - 1;
    while (b >= 0 && ld(keys, ldi(qorder, b)) > kv) {
      sti(qorder, b + 1, ldi(qorder, b));
      b--;
    }
    sti(qorder, b + 1, v);
  }
}

/** Whether a fraction in (0, MIN_FRACTION) is among the n points (stride d + 1) or nq queries. */
function hasTinyFraction(n: i32, d: i32, pts: usize, nq: i32, queries: usize): bool {
  const stride = d + 1;
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < d; c++) {
      const v = ld(pts, j * stride + c);
      if (v > 0.0 && v < MIN_FRACTION) return true;
    }
  }
  for (let i = 0; i < nq * d; i++) {
    const v = ld(queries, i);
    if (v > 0.0 && v < MIN_FRACTION) return true;
  }
  return false;
}

/** Pivots and full-pricing solves of the last scanSystem call (diagnostics for benchmarks). */
export function scanPivots(): i32 {
  return sPivots;
}
export function scanFullSolves(): i32 {
  return sFull;
}
export function scanResetCounters(): void {
  sPivots = 0;
  sFull = 0;
}
