// Facet enumeration of the lower convex hull (all phase equilibria of a closed phase diagram)
// by pivoting between neighbouring facets through their dual chemical potentials.
//
// A facet F (d affinely independent stable points, rows x_v of atomic fractions, energies e_v)
// has chemical potentials mu with mu . x_v = e_v, and every point lies on or above the plane:
// gap g_p = e_p − mu . x_p >= 0 (mu is a vertex of the dual polyhedron {mu : mu . x_p <= e_p}).
// Dropping vertex r leaves a ridge R. The planes through R are mu + s w with w . x_v = 0 on R and
// w . x_r = −1 (w = −X^{-1} e_r, a column of the facet's inverse); raising s lifts the plane on
// the far side of R, until it touches the point p* minimising g_p / (w . x_p) over w . x_p > 0 —
// the neighbour across R is R + p*. A ridge on the boundary of the composition simplex has no
// point with w . x_p > 0 and no neighbour. Breadth-first from one facet (found by the LP) with a
// hash set of visited facets (sorted vertex tuples) this visits every facet once: O(F d n) for
// F facets of n points in d elements, each step a d×d inversion and one pass over the points.
// Everything lives in caller-provided flat arrays; nothing is allocated.
import { gaussJordanInverse, ld, ldi, st, sti } from './memory';

let fD: i32 = 0;
let fN: i32 = 0;
let fPts: usize = 0; // f64[n*(d+1)]
let fFacets: usize = 0; // i32[maxF*d] sorted vertex indices
let fMu: usize = 0; // f64[maxF*d]
let fNb: usize = 0; // i32[maxF*d] neighbour across the ridge opposite vertex slot r (-1: boundary)
let fHash: usize = 0; // i32[hcap] facet id + 1, 0 empty
let fHcap: i32 = 0;
let fMaxF: i32 = 0;
let fCount: i32 = 0;
// work: X f64[d*d], Xinv f64[d*d], W f64[d], Tmp i32[d]
let fX: usize = 0;
let fXi: usize = 0;
let fW: usize = 0;
let fTmp: usize = 0;

const PIVOT_EPS: f64 = 1e-12;


/** Bytes of work area for dimension d. */
export function facetWorkBytes(d: i32): i32 {
  return 16 * d * d + 8 * d + 4 * d + 32;
}

/** Inverts the d×d matrix X (rows = facet points) into Xinv; false if singular. */
function invert(d: i32): bool {
  return gaussJordanInverse(fX, fXi, d, 1e-13);
}

/** Loads facet f's points into X and inverts; false if degenerate. */
function loadFacet(f: i32): bool {
  const d = fD;
  const stride = d + 1;
  for (let r = 0; r < d; r++) {
    const p = ldi(fFacets, f * d + r);
    for (let c = 0; c < d; c++) st(fX, r * d + c, ld(fPts, p * stride + c));
  }
  return invert(d);
}

/** mu = X^{-1} e for facet f (X, Xinv loaded). mu_k = Σ_r Xinv[k][r] e_r. */
function solveMu(f: i32): void {
  const d = fD;
  const stride = d + 1;
  for (let k = 0; k < d; k++) {
    let s = 0.0;
    for (let r = 0; r < d; r++) s += ld(fXi, k * d + r) * ld(fPts, ldi(fFacets, f * d + r) * stride + d);
    st(fMu, f * d + k, s);
  }
}

function hashOf(base: usize, d: i32): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < d; i++) {
    h ^= <u32>ldi(base, i);
    h *= 16777619;
  }
  return h;
}

/** Facet id of the sorted tuple at `tup`, adding it when new; -1 when full, -2 if degenerate. */
function findOrAdd(tup: usize): i32 {
  const d = fD;
  const mask = <u32>(fHcap - 1);
  let slot = hashOf(tup, d) & mask;
  while (true) {
    const id = ldi(fHash, <i32>slot) - 1;
    if (id < 0) break;
    let same = true;
    for (let i = 0; i < d; i++) if (ldi(fFacets, id * d + i) != ldi(tup, i)) { same = false; break; }
    if (same) return id;
    slot = (slot + 1) & mask;
  }
  if (fCount >= fMaxF) return -1;
  const id = fCount++;
  for (let i = 0; i < d; i++) sti(fFacets, id * d + i, ldi(tup, i));
  for (let i = 0; i < d; i++) sti(fNb, id * d + i, -1);
  sti(fHash, <i32>slot, id + 1);
  return id;
}

/**
 * Enumerates the facets of the lower hull of n points in d dimensions (rows of d atomic fractions
 * and an energy, stride d + 1), starting from the facet `start` (i32[d] point indices, any order).
 * Outputs: facets i32[maxF*d] (sorted indices), mu f64[maxF*d] (chemical potentials of each facet),
 * neighbours i32[maxF*d] (facet across the ridge opposite vertex slot r, -1 on the boundary).
 * hash: i32[hcap] zeroed, hcap a power of two > maxF. Returns the number of facets, -1 when
 * maxF is too small, -2 when a facet is degenerate (affinely dependent points).
 */
export function enumerateFacets(
  n: i32, d: i32, pts: usize, start: usize,
  maxF: i32, facets: usize, mu: usize, neighbours: usize, hash: usize, hcap: i32, work: usize,
): i32 {
  fD = d; fN = n; fPts = pts; fFacets = facets; fMu = mu; fNb = neighbours; fHash = hash; fHcap = hcap; fMaxF = maxF; fCount = 0;
  let p = (work + 7) & ~7;
  fX = p; p += <usize>(8 * d * d);
  fXi = p; p += <usize>(8 * d * d);
  fW = p; p += <usize>(8 * d);
  fTmp = p;
  const stride = d + 1;
  // Sort the start tuple into fTmp.
  for (let i = 0; i < d; i++) sti(fTmp, i, ldi(start, i));
  sortTmp(d);
  if (findOrAdd(fTmp) < 0) return -1;
  let head = 0;
  while (head < fCount) {
    if (!loadFacet(head)) return -2;
    solveMu(head);
    for (let r = 0; r < d; r++) {
      // w = −column r of X^{-1}: w . x_v = 0 on the ridge, −1 at the dropped vertex.
      for (let k = 0; k < d; k++) st(fW, k, -ld(fXi, k * d + r));
      let best = -1;
      let bestRatio = Infinity;
      for (let q = 0; q < n; q++) {
        const row = fPts + (<usize>(q * stride) << 3);
        let a = 0.0;
        let m = 0.0;
        for (let k = 0; k < d; k++) {
          const x = load<f64>(row + (<usize>k << 3));
          a += ld(fW, k) * x;
          m += ld(fMu, head * d + k) * x;
        }
        if (a <= PIVOT_EPS) continue;
        let g = load<f64>(row + (<usize>d << 3)) - m;
        if (g < 0.0) g = 0.0;
        const ratio = g / a;
        // Ties (exactly coplanar points) keep the lowest index, so every pivot chooses alike.
        if (best < 0 || ratio < bestRatio - 1e-13 * (1.0 + Math.abs(bestRatio))) {
          bestRatio = ratio;
          best = q;
        }
      }
      if (best < 0) continue; // boundary ridge
      // New tuple: the facet without slot r, plus best, sorted.
      let k = 0;
      for (let i = 0; i < d; i++) if (i != r) sti(fTmp, k++, ldi(fFacets, head * d + i));
      sti(fTmp, k, best);
      sortTmp(d);
      const id = findOrAdd(fTmp);
      if (id == -1) return -1;
      sti(fNb, head * d + r, id);
    }
    head++;
  }
  return fCount;
}

function sortTmp(d: i32): void {
  for (let i = 1; i < d; i++) {
    const v = ldi(fTmp, i);
    let j = i - 1;
    while (j >= 0 && ldi(fTmp, j) > v) { sti(fTmp, j + 1, ldi(fTmp, j)); j--; }
    sti(fTmp, j + 1, v);
  }
}
