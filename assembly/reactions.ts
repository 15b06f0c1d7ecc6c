// Complete enumeration of the balanced decomposition reactions of one composition into sets of
// phases with release or uptake of an open element (Binninger et al., J. Mater. Chem. A 8, 1347
// (2020)):
//
//   A  ->  Σ_j x_j P_j  +  n M          x_j > 0 (atoms of phase j),  n ∈ R (atoms of M given off)
//
// For each reaction ΔG = Σ x_j e_j − e_A (formation energies, M at its reference) and, with M
// exchanged with a reservoir at μ_M = −z·V, the grand reaction energy ΔG − n·z·V. An oxidation
// (n > 0) becomes favourable above V = ΔG/(n z), a reduction (n < 0) below it; the window is
// [max over reductions, min over oxidations]. The extremes of the linear-fractional ΔG/n over the
// polytope of all balanced reactions are attained at its vertices: the reactions whose phases,
// with M, are linearly independent (a unique balance). Those are enumerated here.
//
// Search: depth-first over phase subsets j1 < j2 < … of at most (elements − 1) phases, the open
// element's unit vector always first. A modified Gram–Schmidt basis of the chosen columns is
// grown one column per level (allocation-free, on the caller's flat work area): a phase in the
// span of the chosen ones is skipped (its subsets are not vertices), and as soon as A lies in the
// span the unique balance is solved by back-substitution and recorded if every x_j > 0; the
// branch then stops (supersets only add zero coefficients). The cost is about
// Σ_k C(np, k)·O(e·k) for np phases in e elements.
import { ld, ldi, st, sti } from './memory';

// ---- caller's flat arrays (set by enumerateReactions) ----
let rE: i32 = 0; // elements (rows)
let rNp: i32 = 0; // candidate phases (columns)
let rPh: usize = 0; // f64[np*e] phase atomic fractions, phase-major
let rEn: usize = 0; // f64[np] phase formation energies per atom
let rA: usize = 0; // f64[e] target (atomic fractions of A)
let rEA: f64 = 0; // formation energy per atom of A
let rMaxK: i32 = 0;
let rMaxOut: i32 = 0;
let rOut: usize = 0; // records, stride recordBytes(e)
let rBest: usize = 0; // two records: [0] best oxidation (min dG/n, n > 0), [1] best reduction (max dG/n, n < 0)
let rTol: f64 = 1e-9;
// work (set by layout): Q f64[e*e] (basis vectors), Rm f64[e*e] (R, column-major: R[i][j] at j*e+i),
// Y f64[e] (q_i . a), Res f64[(e+1)*e] residual of a per level, W f64[e] scratch, X f64[e],
// Sel i32[e] chosen phase per level
let wQ: usize = 0;
let wR: usize = 0;
let wY: usize = 0;
let wRes: usize = 0;
let wW: usize = 0;
let wX: usize = 0;
let wSel: usize = 0;
let nFound: i32 = 0;
let nOx: i32 = 0;
let nRed: i32 = 0;
let hasOx: bool = false;
let hasRed: bool = false;
let bestOx: f64 = 0;
let bestRed: f64 = 0;


/**
 * Bytes of one reaction record for e elements: k (i32), pad, then phase indices i32[e],
 * coefficients f64[e] (atoms per atom of A), n f64, dG f64.
 */
export function recordBytes(e: i32): i32 {
  return 8 + ((4 * e + 7) & ~7) + 8 * e + 16;
}

/** Bytes of work area for e elements. */
export function reactionWorkBytes(e: i32): i32 {
  return 8 * (e * e * 2 + e + (e + 1) * e + e + e) + 4 * e + 64;
}

function writeRecord(at: usize, k: i32, n: f64, dG: f64): void {
  const e = rE;
  store<i32>(at, k);
  const pIdx = at + 8;
  const pCoef = pIdx + <usize>((4 * e + 7) & ~7);
  for (let i = 0; i < e; i++) {
    sti(pIdx, i, i < k ? ldi(wSel, i) : -1);
    st(pCoef, i, i < k ? ld(wX, i + 1) : 0.0);
  }
  st(pCoef, e, n);
  st(pCoef, e + 1, dG);
}

/** Column c of the current selection: c = 0 is the open element's unit vector, else a phase. */
@inline function colEntry(openIdx: i32, c: i32, r: i32): f64 {
  if (c == 0) return r == openIdx ? 1.0 : 0.0;
  return ld(rPh, ldi(wSel, c - 1) * rE + r);
}

/**
 * Adds column `c` (already chosen in wSel, or the open column) to the basis at position c:
 * Gram–Schmidt twice against q_0..q_{c-1}; returns false if it is (numerically) dependent.
 */
function addColumn(openIdx: i32, c: i32): bool {
  const e = rE;
  let norm0 = 0.0;
  for (let r = 0; r < e; r++) {
    const v = colEntry(openIdx, c, r);
    st(wW, r, v);
    norm0 += v * v;
  }
  norm0 = Math.sqrt(norm0);
  for (let i = 0; i < c; i++) st(wR, c * e + i, 0.0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < c; i++) {
      const q = wQ + (<usize>(i * e) << 3);
      let dot = 0.0;
      for (let r = 0; r < e; r++) dot += ld(q, r) * ld(wW, r);
      for (let r = 0; r < e; r++) st(wW, r, ld(wW, r) - dot * ld(q, r));
      st(wR, c * e + i, ld(wR, c * e + i) + dot);
    }
  }
  let norm = 0.0;
  for (let r = 0; r < e; r++) norm += ld(wW, r) * ld(wW, r);
  norm = Math.sqrt(norm);
  if (norm <= rTol * (norm0 > 1.0 ? norm0 : 1.0)) return false;
  st(wR, c * e + c, norm);
  const q = wQ + (<usize>(c * e) << 3);
  for (let r = 0; r < e; r++) st(q, r, ld(wW, r) / norm);
  // Residual of a after projecting on q_c too: Res[c+1] = Res[c] − (q_c . Res[c]) q_c.
  const prev = wRes + (<usize>(c * e) << 3);
  const next = wRes + (<usize>((c + 1) * e) << 3);
  let y = 0.0;
  for (let r = 0; r < e; r++) y += ld(q, r) * ld(prev, r);
  st(wY, c, y);
  for (let r = 0; r < e; r++) st(next, r, ld(prev, r) - y * ld(q, r));
  return true;
}

/** a lies in the span of columns 0..c (residual after c+1 columns ~ 0). */
function inSpan(c: i32): bool {
  const e = rE;
  const res = wRes + (<usize>((c + 1) * e) << 3);
  let s = 0.0;
  for (let r = 0; r < e; r++) s += ld(res, r) * ld(res, r);
  return Math.sqrt(s) <= rTol;
}

/** Solves R x = y for columns 0..c (x_0 = n, x_1.. = phase atoms); records a valid reaction. */
function solveAndRecord(c: i32): void {
  const e = rE;
  // y_i = q_i . a exactly (not the residual recursion) for the back-substitution.
  for (let i = 0; i <= c; i++) {
    const q = wQ + (<usize>(i * e) << 3);
    let s = 0.0;
    for (let r = 0; r < e; r++) s += ld(q, r) * ld(rA, r);
    st(wY, i, s);
  }
  for (let i = c; i >= 0; i--) {
    let s = ld(wY, i);
    for (let j = i + 1; j <= c; j++) s -= ld(wR, j * e + i) * ld(wX, j);
    st(wX, i, s / ld(wR, i * e + i));
  }
  for (let j = 1; j <= c; j++) if (ld(wX, j) <= rTol) return;
  const n = ld(wX, 0);
  let dG = -rEA;
  for (let j = 1; j <= c; j++) dG += ld(wX, j) * ld(rEn, ldi(wSel, j - 1));
  const k = c;
  if (nFound < rMaxOut) writeRecord(rOut + <usize>(nFound * recordBytes(e)), k, n, dG);
  nFound++;
  if (n > rTol) {
    nOx++;
    const u = dG / n;
    if (!hasOx || u < bestOx) {
      hasOx = true; bestOx = u;
      writeRecord(rBest, k, n, dG);
    }
  } else if (n < -rTol) {
    nRed++;
    const u = dG / n;
    if (!hasRed || u > bestRed) {
      hasRed = true; bestRed = u;
      writeRecord(rBest + <usize>recordBytes(e), k, n, dG);
    }
  }
}

/** Depth-first: columns 0..c chosen (c phases); try adding phases from `from` on. */
function dfs(openIdx: i32, c: i32, from: i32): void {
  if (c >= rMaxK) return;
  for (let j = from; j < rNp; j++) {
    sti(wSel, c, j);
    if (!addColumn(openIdx, c + 1)) continue;
    if (inSpan(c + 1)) solveAndRecord(c + 1);
    else dfs(openIdx, c + 1, j + 1);
  }
}

/**
 * Enumerates every balanced reaction A -> phases + n M with a unique balance and positive phase
 * amounts. phases: f64[np*e] atomic fractions (phase-major); energies: f64[np] per atom; target:
 * f64[e] atomic fractions of A; eA its energy per atom; openIdx the row of the open element M;
 * maxK the largest number of phases (≤ e − 1). Records (recordBytes(e) each) go to `out` up to
 * maxOut; `best` receives two records (best oxidation, best reduction). Coefficients are per atom
 * of A. Returns the number of reactions (also those beyond maxOut); counts via reactionCounts().
 */
export function enumerateReactions(
  e: i32, np: i32, phases: usize, energies: usize, target: usize, eA: f64, openIdx: i32,
  maxK: i32, tol: f64, maxOut: i32, out: usize, best: usize, work: usize,
): i32 {
  rE = e; rNp = np; rPh = phases; rEn = energies; rA = target; rEA = eA;
  rMaxK = maxK < e - 1 ? maxK : e - 1;
  rMaxOut = maxOut; rOut = out; rBest = best; rTol = tol;
  let p = (work + 7) & ~7;
  wQ = p; p += <usize>(8 * e * e);
  wR = p; p += <usize>(8 * e * e);
  wY = p; p += <usize>(8 * e);
  wRes = p; p += <usize>(8 * (e + 1) * e);
  wW = p; p += <usize>(8 * e);
  wX = p; p += <usize>(8 * e);
  wSel = p;
  nFound = 0; nOx = 0; nRed = 0; hasOx = false; hasRed = false; bestOx = 0.0; bestRed = 0.0;
  store<i32>(best, 0);
  store<i32>(best + <usize>recordBytes(e), 0);
  // Level 0: the open element's column; Res[0] = a.
  for (let r = 0; r < e; r++) st(wRes, r, ld(target, r));
  if (!addColumn(openIdx, 0)) return 0;
  if (inSpan(0)) return 0; // A is the pure open element: nothing to decompose
  dfs(openIdx, 0, 0);
  return nFound;
}

/** Counts of the last enumeration: which = 0 oxidations, 1 reductions, 2 best-oxidation found, 3 best-reduction found. */
export function reactionCounts(which: i32): i32 {
  if (which == 0) return nOx;
  if (which == 1) return nRed;
  if (which == 2) return hasOx ? 1 : 0;
  return hasRed ? 1 : 0;
}
