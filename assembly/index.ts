// interphase WASM kernels. Memory is owned by the JS side (a bump region above __heap_base);
// every function works on raw pointers into flat f64/i32/u8 arrays and allocates nothing.
//
// The hull kernel answers "lowest energy reachable at composition q by mixing points":
//   minimise  sum_j lam_j * e_j   subject to   sum_j lam_j * x_j = q,  lam >= 0
// over points x_j (atomic fractions, rows of `pts`, energy in the last column). Its optimum is the
// lower convex hull at q, the basis is the decomposition (lam_j = atom fraction of phase j), and
// the duals are the chemical potentials of the facet. A dense revised simplex on m <= d rows is
// far cheaper than building facets when d is small and each query needs one facet only.

import { gaussJordanInverse, ld as f64At, ldi as i32At, st as setF64, sti as setI32 } from './memory';

export function heapBase(): usize {
  return __heap_base;
}

// Reduced costs above -PRICE_TOL count as optimal; energies are O(1) eV/atom.
const PRICE_TOL: f64 = 1e-12;
const PIVOT_TOL: f64 = 1e-11;
const REFACTOR_EVERY: i32 = 24;

/** Whether wBasis holds an optimal basis over the current columns (segmentKinks' queries). */
let warmBasis: bool = false;

// ---- working set of one solve (pointers into the caller's work area) ----
let wAct: usize = 0; // i32[d]  active dims (q_k > 0)
let wCols: usize = 0; // i32[n] eligible point indices
let wA: usize = 0; // f64[n*m] eligible points restricted to active dims
let wC: usize = 0; // f64[n] their energies
let wBinv: usize = 0; // f64[m*m]
let wB: usize = 0; // f64[m*m] scratch for refactorisation
let wBasis: usize = 0; // i32[m] compact column index, or -1-k for artificial unit vector k
let wXB: usize = 0; // f64[m]
let wPi: usize = 0; // f64[m]
let wAlpha: usize = 0; // f64[m]
let wQ: usize = 0; // f64[m]
let lastIterations: i32 = 0;

/** Bytes of work area needed for n points in d dimensions. */
export function workBytes(n: i32, d: i32): i32 {
  return 4 * d + 4 * n + 8 * n * d + 8 * n + 8 * d * d * 2 + 4 * d + 8 * d * 4 + 64;
}

function layout(work: usize, n: i32, d: i32): void {
  let p = work;
  wAct = p; p += <usize>(4 * d);
  wCols = p; p += <usize>(4 * n);
  p = (p + 7) & ~7;
  wA = p; p += <usize>(8 * n * d);
  wC = p; p += <usize>(8 * n);
  wBinv = p; p += <usize>(8 * d * d);
  wB = p; p += <usize>(8 * d * d);
  wXB = p; p += <usize>(8 * d);
  wPi = p; p += <usize>(8 * d);
  wAlpha = p; p += <usize>(8 * d);
  wQ = p; p += <usize>(8 * d);
  wBasis = p;
}


/** Column k of the current basis matrix, row r. */
@inline function basisEntry(m: i32, bi: i32, r: i32): f64 {
  if (bi < 0) return (-1 - bi) == r ? 1.0 : 0.0;
  return f64At(wA, bi * m + r);
}

/** Rebuilds B^-1 from the basis by Gauss-Jordan with partial pivoting; false if singular. */
function refactor(m: i32): bool {
  // B (row-major, B[r][c] = component r of basis column c) copied into wB; wBinv := I.
  for (let c = 0; c < m; c++) {
    const bi = i32At(wBasis, c);
    for (let r = 0; r < m; r++) setF64(wB, r * m + c, basisEntry(m, bi, r));
  }
  if (!gaussJordanInverse(wB, wBinv, m, 1e-14)) return false;
  // xB = B^-1 q, with round-off negatives clipped (they are zeros of a degenerate vertex).
  for (let r = 0; r < m; r++) {
    let s = 0.0;
    for (let c = 0; c < m; c++) s += f64At(wBinv, r * m + c) * f64At(wQ, c);
    setF64(wXB, r, s < 0.0 && s > -1e-12 ? 0.0 : s);
  }
  return true;
}

@inline function basisCost(bi: i32, bigM: f64): f64 {
  return bi < 0 ? bigM : f64At(wC, bi);
}

function computeDuals(m: i32, bigM: f64): void {
  for (let k = 0; k < m; k++) {
    let s = 0.0;
    for (let i = 0; i < m; i++) s += basisCost(i32At(wBasis, i), bigM) * f64At(wBinv, i * m + k);
    setF64(wPi, k, s);
  }
}

/**
 * Solves one query over `nc` compact columns in m active dims (wA, wC, wQ filled).
 * Returns the optimum, or NaN when q is not reachable (an artificial stays in the basis) or
 * the iteration cap is hit.
 */
function simplex(nc: i32, m: i32): f64 {
  let cmax = 0.0;
  for (let j = 0; j < nc; j++) cmax = Math.max(cmax, Math.abs(f64At(wC, j)));
  const bigM = 1e4 + 10.0 * cmax;
  // A segment's queries share their columns: the last optimal basis, where it is still primal
  // feasible at the new point (a kink being confirmed lies on its facet), starts the next solve
  // a few pivots from the optimum instead of m pivots of artificials away.
  let warm = warmBasis && refactor(m);
  for (let i = 0; warm && i < m; i++) if (f64At(wXB, i) < 0.0) warm = false;
  if (!warm) {
    for (let i = 0; i < m; i++) setI32(wBasis, i, -1 - i);
    refactor(m);
  }
  let iter = 0;
  let sinceRefactor = 0;
  let degenerate = 0;
  const maxIter = 50 * (m + 10) + 2 * nc;
  while (true) {
    computeDuals(m, bigM);
    // Pricing: Dantzig (most negative reduced cost); Bland (first) once degenerate pivots stall.
    const bland = degenerate > 2 * m + 8;
    let enter = -1;
    let bestR = -PRICE_TOL;
    for (let j = 0; j < nc; j++) {
      let r = f64At(wC, j);
      const row = wA + (<usize>(j * m) << 3);
      for (let k = 0; k < m; k++) r -= f64At(wPi, k) * load<f64>(row + (<usize>k << 3));
      // A basic column prices at zero; round-off must not let it "enter" its own place (a stall).
      if (r < bestR && !inBasis(j, m)) {
        bestR = r; enter = j;
        if (bland) break;
      }
    }
    if (enter < 0) {
      if (sinceRefactor == 0) break; // optimal on a fresh factorisation
      if (!refactor(m)) return NaN;
      sinceRefactor = 0;
      continue; // re-price with exact duals before declaring optimality
    }
    if (++iter > maxIter) return NaN;
    // alpha = B^-1 a_enter
    const row = wA + (<usize>(enter * m) << 3);
    for (let i = 0; i < m; i++) {
      let s = 0.0;
      for (let k = 0; k < m; k++) s += f64At(wBinv, i * m + k) * load<f64>(row + (<usize>k << 3));
      setF64(wAlpha, i, s);
    }
    let leave = -1;
    let bestT = Infinity;
    let bestA = 0.0;
    for (let i = 0; i < m; i++) {
      const a = f64At(wAlpha, i);
      if (a <= PIVOT_TOL) continue;
      const t = f64At(wXB, i) / a;
      // Ties: prefer pushing out artificials, then the larger pivot (stability), Bland: lowest index.
      if (t < bestT - 1e-15 || (t <= bestT + 1e-15 && leave >= 0 && tieBetter(i, a, leave, bestA, bland))) {
        bestT = t; leave = i; bestA = a;
      }
    }
    if (leave < 0) return NaN; // unbounded cannot happen for a bounded simplex; treat as failure
    if (bestT <= 1e-15) degenerate++; else degenerate = 0;
    // Pivot B^-1 and xB.
    const ar = f64At(wAlpha, leave);
    for (let c = 0; c < m; c++) setF64(wBinv, leave * m + c, f64At(wBinv, leave * m + c) / ar);
    for (let i = 0; i < m; i++) {
      if (i == leave) continue;
      const a = f64At(wAlpha, i);
      if (a == 0.0) continue;
      for (let c = 0; c < m; c++) setF64(wBinv, i * m + c, f64At(wBinv, i * m + c) - a * f64At(wBinv, leave * m + c));
      const x = f64At(wXB, i) - a * bestT;
      setF64(wXB, i, x < 0.0 ? 0.0 : x);
    }
    setF64(wXB, leave, bestT);
    setI32(wBasis, leave, enter);
    if (++sinceRefactor >= REFACTOR_EVERY) {
      if (!refactor(m)) return NaN;
      sinceRefactor = 0;
    }
  }
  lastIterations = iter;
  driveOutArtificials(nc, m);
  let value = 0.0;
  for (let i = 0; i < m; i++) {
    const bi = i32At(wBasis, i);
    const x = f64At(wXB, i);
    if (bi < 0) {
      if (x > 1e-9) return NaN; // composition not spanned by the points
      continue;
    }
    value += f64At(wC, bi) * x;
  }
  return value;
}

/**
 * An artificial left in the optimal basis at level zero (degenerate vertex) would put its big-M
 * cost into the duals; swapping in any real column with a non-zero pivot keeps the primal and
 * makes the duals the true chemical potentials of the facet.
 */
function driveOutArtificials(nc: i32, m: i32): void {
  for (let r = 0; r < m; r++) {
    if (i32At(wBasis, r) >= 0 || f64At(wXB, r) > 1e-9) continue;
    let best = -1;
    let bestA = 1e-9;
    for (let j = 0; j < nc; j++) {
      // (B^-1 a_j)_r: only row r of B^-1 is needed.
      let a = 0.0;
      const row = wA + (<usize>(j * m) << 3);
      for (let k = 0; k < m; k++) a += f64At(wBinv, r * m + k) * load<f64>(row + (<usize>k << 3));
      if (Math.abs(a) > bestA && !inBasis(j, m)) { bestA = Math.abs(a); best = j; }
    }
    if (best < 0) continue;
    setI32(wBasis, r, best);
    refactor(m);
  }
}

function inBasis(j: i32, m: i32): bool {
  for (let i = 0; i < m; i++) if (i32At(wBasis, i) == j) return true;
  return false;
}

@inline function tieBetter(i: i32, a: f64, cur: i32, curA: f64, bland: bool): bool {
  const bi = i32At(wBasis, i);
  const bc = i32At(wBasis, cur);
  if ((bi < 0) != (bc < 0)) return bi < 0;
  if (bland) return bi < bc;
  return a > curA;
}

/** Active dims of a query (its elements): fills wAct and wQ, returns their count m. */
function activeDims(d: i32, qrow: usize): i32 {
  let m = 0;
  for (let k = 0; k < d; k++) {
    const v = load<f64>(qrow + (<usize>k << 3));
    if (v > 0.0) { setI32(wAct, m, k); setF64(wQ, m, v); m++; }
  }
  return m;
}

/**
 * Compacts the usable points into wA/wC/wCols: alive, not in group `excl`, and made only of the
 * query's elements (no other point can take part in its decomposition). Returns their count.
 */
function gatherColumns(n: i32, d: i32, pts: usize, alive: usize, group: usize, qrow: usize, excl: i32, m: i32): i32 {
  const stride = d + 1;
  let nc = 0;
  for (let j = 0; j < n; j++) {
    if (load<u8>(alive + <usize>j) == 0) continue;
    if (excl >= 0 && i32At(group, j) == excl) continue;
    const prow = pts + (<usize>(j * stride) << 3);
    let inside = true;
    let sum = 0.0;
    for (let k = 0; k < d; k++) {
      const v = load<f64>(prow + (<usize>k << 3));
      if (v != 0.0 && load<f64>(qrow + (<usize>k << 3)) <= 0.0) { inside = false; break; }
      sum += v;
    }
    if (!inside || sum <= 0.0) continue;
    const arow = wA + (<usize>(nc * m) << 3);
    for (let k = 0; k < m; k++) store<f64>(arow + (<usize>k << 3), load<f64>(prow + (<usize>i32At(wAct, k) << 3)));
    setF64(wC, nc, load<f64>(prow + (<usize>d << 3)));
    setI32(wCols, nc, j);
    nc++;
  }
  return nc;
}

/**
 * Hull energies for a batch of queries over one point set.
 * pts: f64[n*(d+1)] rows (x_0..x_{d-1}, e); alive: u8[n]; group: i32[n];
 * queries: f64[nq*d]; qExclude: i32[nq] group whose points are not usable for that query (-1: none);
 * outputs per query: outVal f64, outIdx i32[d] (point index of each basis member, -1 unused),
 * outLam f64[d] (its atom fraction), outPi f64[d] (duals = chemical potentials of the facet in
 * the energy scale of `pts`; 0 for elements absent from the query; skipped when outPi is 0).
 * Returns the number of failed queries (outVal NaN).
 */
export function hullBatch(
  n: i32, d: i32, pts: usize, alive: usize, group: usize,
  nq: i32, queries: usize, qExclude: usize,
  outVal: usize, outIdx: usize, outLam: usize, outPi: usize, work: usize,
): i32 {
  layout(work, n, d);
  warmBasis = false; // each query has its own columns
  let failed = 0;
  for (let q = 0; q < nq; q++) {
    const qrow = queries + (<usize>(q * d) << 3);
    const excl = i32At(qExclude, q);
    const m = activeDims(d, qrow);
    const nc = gatherColumns(n, d, pts, alive, group, qrow, excl, m);
    const val = m == 0 ? <f64>NaN : simplex(nc, m);
    setF64(outVal, q, val);
    if (isNaN(val)) failed++;
    for (let i = 0; i < d; i++) {
      let idx = -1;
      let lam = 0.0;
      if (!isNaN(val) && i < m) {
        const bi = i32At(wBasis, i);
        if (bi >= 0) { idx = i32At(wCols, bi); lam = f64At(wXB, i); }
      }
      setI32(outIdx, q * d + i, idx);
      setF64(outLam, q * d + i, lam);
    }
    if (outPi != 0) {
      for (let k = 0; k < d; k++) setF64(outPi, q * d + k, 0.0);
      if (!isNaN(val)) {
        computeDuals(m, 0.0);
        for (let k = 0; k < m; k++) setF64(outPi, q * d + i32At(wAct, k), f64At(wPi, k));
      }
    }
  }
  return failed;
}

/** Simplex iterations of the last query (diagnostics for benchmarks). */
export function iterations(): i32 {
  return lastIterations;
}

// ---- the hull along a segment: kinks of a convex piecewise-linear function ----
//
// h(t) = hull energy at x(t) = (1-t) a + t b is convex and piecewise linear in t; its kinks are
// where the segment crosses facet boundaries (pymatgen's critical compositions, the kinks of an
// interface reaction). Each LP at an interior t gives, through its duals mu, a supporting line
// l(s) = mu . x(s) that is exact on the whole facet. Two lines from the left and the right meet
// at t*; if h(t*) lies on them, t* is a kink, else the new line splits the interval. Every LP
// adds a facet or confirms a kink, so a segment crossing F facets costs about 2F LPs.

const SEG_LINE_TOL: f64 = 1e-11;
const SEG_EDGE: f64 = 1e-9; // lines at the ends are taken this far inside, where support is full

let segN: i32 = 0; // lines stored so far
let segLines: usize = 0; // f64[maxLines * (2 + d)]: c, m, mu[d]
let segA: usize = 0;
let segB: usize = 0;

/** LP at x(t) over the gathered columns; stores its line, returns its index (or -1). */
function segOracle(t: f64, nc: i32, m: i32, d: i32, maxLines: i32): i32 {
  if (segN >= maxLines) return -1;
  for (let k = 0; k < m; k++) {
    const dim = i32At(wAct, k);
    setF64(wQ, k, (1.0 - t) * f64At(segA, dim) + t * f64At(segB, dim));
  }
  const v = simplex(nc, m);
  warmBasis = !isNaN(v);
  if (isNaN(v)) return -1;
  computeDuals(m, 0.0);
  const row = segLines + (<usize>(segN * (2 + d)) << 3);
  let ca = 0.0;
  let cb = 0.0;
  for (let k = 0; k < d; k++) store<f64>(row + (<usize>(2 + k) << 3), 0.0);
  for (let k = 0; k < m; k++) {
    const dim = i32At(wAct, k);
    const mu = f64At(wPi, k);
    ca += mu * f64At(segA, dim);
    cb += mu * f64At(segB, dim);
    store<f64>(row + (<usize>(2 + dim) << 3), mu);
  }
  store<f64>(row, ca);
  store<f64>(row + 8, cb - ca);
  return segN++;
}

@inline function lineC(i: i32, d: i32): f64 {
  return load<f64>(segLines + (<usize>(i * (2 + d)) << 3));
}
@inline function lineM(i: i32, d: i32): f64 {
  return load<f64>(segLines + (<usize>(i * (2 + d)) << 3) + 8);
}

/**
 * Kinks of the hull along a -> b (both f64[d], atomic fractions) over the alive points.
 * Outputs: outT f64[maxKinks] kink positions t in (0,1), ascending; outLeft/outRight i32[maxKinks]
 * the line (facet) on either side; lines f64[maxLines*(2+d)] (c, m, mu) with h(t) = c + m t on a
 * facet. Returns the number of kinks, -1 when an LP failed or a buffer was too small; the number
 * of lines is then available from segmentLines(). Work area: workBytes(n, d).
 */
export function segmentKinks(
  n: i32, d: i32, pts: usize, alive: usize, group: usize, a: usize, b: usize,
  maxKinks: i32, outT: usize, outLeft: usize, outRight: usize,
  maxLines: i32, lines: usize, stack: usize, work: usize,
): i32 {
  layout(work, n, d);
  warmBasis = false;
  segA = a; segB = b; segLines = lines; segN = 0;
  // Columns for the union of both ends' elements: the midpoint has exactly that support.
  for (let k = 0; k < d; k++) setF64(wB, k, 0.5 * (f64At(a, k) + f64At(b, k)));
  // (wB is free until the first refactorisation: use it as the midpoint row.)
  const mid = wB;
  const m = activeDims(d, mid);
  if (m == 0) return -1;
  const nc = gatherColumns(n, d, pts, alive, group, mid, -1, m);
  const left = segOracle(SEG_EDGE, nc, m, d, maxLines);
  const right = segOracle(1.0 - SEG_EDGE, nc, m, d, maxLines);
  if (left < 0 || right < 0) return -1;
  let nk = 0;
  let sp = 0;
  if (!sameLine(left, right, d)) {
    setI32(stack, 0, left); setI32(stack, 1, right); sp = 1;
  }
  while (sp > 0) {
    sp--;
    const l = i32At(stack, 2 * sp);
    const r = i32At(stack, 2 * sp + 1);
    const dm = lineM(r, d) - lineM(l, d);
    if (dm <= SEG_LINE_TOL) continue; // parallel: one facet within tolerance
    const t = (lineC(l, d) - lineC(r, d)) / dm;
    const tc = t < SEG_EDGE ? SEG_EDGE : t > 1.0 - SEG_EDGE ? 1.0 - SEG_EDGE : t;
    const k = segOracle(tc, nc, m, d, maxLines);
    if (k < 0) return -1;
    const onLines = lineC(l, d) + lineM(l, d) * tc;
    const h = lineC(k, d) + lineM(k, d) * tc;
    if (h <= onLines + SEG_LINE_TOL || sameLine(k, l, d) || sameLine(k, r, d)) {
      if (nk >= maxKinks) return -1;
      setF64(outT, nk, t); setI32(outLeft, nk, l); setI32(outRight, nk, r); nk++;
    } else {
      // Right half first on the stack so the left one pops first (order is sorted below anyway).
      setI32(stack, 2 * sp, k); setI32(stack, 2 * sp + 1, r); sp++;
      setI32(stack, 2 * sp, l); setI32(stack, 2 * sp + 1, k); sp++;
    }
  }
  // Insertion sort of the (few) kinks by t.
  for (let i = 1; i < nk; i++) {
    const t = f64At(outT, i); const l = i32At(outLeft, i); const r = i32At(outRight, i);
    let j = i - 1;
    while (j >= 0 && f64At(outT, j) > t) {
      setF64(outT, j + 1, f64At(outT, j)); setI32(outLeft, j + 1, i32At(outLeft, j)); setI32(outRight, j + 1, i32At(outRight, j));
      j--;
    }
    setF64(outT, j + 1, t); setI32(outLeft, j + 1, l); setI32(outRight, j + 1, r);
  }
  return nk;
}

function sameLine(i: i32, j: i32, d: i32): bool {
  return Math.abs(lineC(i, d) - lineC(j, d)) <= SEG_LINE_TOL && Math.abs(lineM(i, d) - lineM(j, d)) <= SEG_LINE_TOL;
}

/** Lines stored by the last segmentKinks call. */
export function segmentLines(): i32 {
  return segN;
}

export * from './reactions';
export * from './facets';
export * from './system-scan';
export * from './system-batch';
// Monte Carlo sampling over uncertain energies (issue 12): calls hullBatch / segmentKinks above.
export * from './sampling';
