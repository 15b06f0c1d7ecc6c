// Monte Carlo over uncertain energies: one sample is one perturbed energy vector; a batch of
// samples is solved here without returning to JavaScript between samples. The linear programs
// are the existing kernels (hullBatch, segmentKinks in index.ts); this module only perturbs the
// energies, decides which points may take part, and records what each sample says.
//
// The perturbation of entry m (eV/atom) in sample s is
//   δ_m = σ_m z_m + Σ_k L_mk z_k
// with z_m one standard normal per entry (independent errors) and z_k one per correction name k
// (an MP2020 correction shared by every entry that carries it: its error is drawn once per sample,
// not per entry). The normals are counter-based — a pure function of (seed, sample, stream) — so a
// sample is the same whichever batch, worker or question computes it: the stability of a candidate,
// its window and its reactions in one sample all see one energy vector.
//
// Formation energies are re-referenced per sample: an element's reference is its lowest elemental
// entry after perturbation, f'_m = f_m + δ_m − Σ_el x_m,el Δr_el with Δr_el = min over the
// element's entries of (f_j + δ_j). With every δ = 0 this is f_m bit for bit. Polymorphs of one
// composition form a group whose point takes the lowest f' of its members (and a group is a point
// of the hull only when that f' lies below the elements, pymatgen's qhull_entries rule).
//
// Pruning, exact per sample: a group whose deterministic decomposition (a mixture of other groups)
// lies strictly below it after perturbation cannot be a vertex of the perturbed hull, so it is left
// out of the LPs; only groups near the hull are ever priced.
import { hullBatch, segmentKinks, segmentLines } from './index';
import { gaussJordanInverse, ld, ldi, st, sti } from './memory';

// ---- counter-based normal deviates ----

@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/**
 * A standard normal deviate as a pure function of (seed, sample, stream): one splitmix64 hash to a
 * uniform u in (0, 1), then the inverse normal CDF by Acklam's rational approximation (relative
 * error below 1.2e-9; a logarithm only in the 5 % of tails) — a few times cheaper than Box–Muller's
 * logarithm, cosine and square root, and samples draw a normal per entry.
 */
export function normalDeviate(seed: u32, sample: i32, stream: i32): f64 {
  const h = mix64(mix64((<u64>seed) * 0x9e3779b97f4a7c15 + <u64>(<u32>stream)) + (<u64>(<u32>sample)) * 0xd1b54a32d192ed03);
  const u = (<f64>(h >> 11) + 0.5) * 1.1102230246251565e-16; // (0, 1), never 0 or 1
  if (u < 0.02425) return tail(u);
  if (u > 0.97575) return -tail(1.0 - u);
  const q = u - 0.5;
  const r = q * q;
  return ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628277459239) * q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1.0);
}

/** The lower tail of the inverse normal CDF (u < 0.02425). */
function tail(u: f64): f64 {
  const q = Math.sqrt(-2.0 * Math.log(u));
  return (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549671010415590) * q + 4.374664141464968) * q + 2.938163982698783) /
    ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1.0);
}

// ---- the model: entries, their uncertainties, groups (read from the caller's header) ----

let nE: i32 = 0;
let pKey: usize = 0; // i32[nE] stream of the entry's independent normal
let pSigma: usize = 0; // f64[nE] independent σ (eV/atom)
let pF: usize = 0; // f64[nE] formation energy (eV/atom)
let pLoadOff: usize = 0; // i32[nE+1]
let pLoadName: usize = 0; // i32[] name of each loading
let pLoadVal: usize = 0; // f64[] eV/atom per unit normal of that name
let nN: i32 = 0;
let pNameKey: usize = 0; // i32[nN] stream of each name's normal
let nEl: i32 = 0;
let pElOff: usize = 0; // i32[nEl+1]
let pElEntries: usize = 0; // i32[] elemental entries of each element
let pCompOff: usize = 0; // i32[nE+1]
let pCompEl: usize = 0; // i32[] element of each term
let pCompFrac: usize = 0; // f64[] its atomic fraction
let nG: i32 = 0;
let pGOff: usize = 0; // i32[nG+1]
let pGMem: usize = 0; // i32[] members of each group, ascending
let pGElem: usize = 0; // u8[nG] 1 for an element's group
let pCertOff: usize = 0; // i32[nG+1]
let pCertG: usize = 0; // i32[] deterministic basis at each group's composition, itself excluded (groups)
let pCertFrac: usize = 0; // f64[] and atom fractions
let pCertPrune: usize = 0; // u8[nG] 1: the basis is a mixture the group lies above (it may prune it)
// per-sample scratch
let sZ: usize = 0; // f64[nN]
let sD: usize = 0; // f64[nE] perturbation, then perturbed formation energy f'
let sR: usize = 0; // f64[nEl] Δr
let sFG: usize = 0; // f64[nG] lowest f' of the group
let sArg: usize = 0; // i32[nG] its member
let sAlive: usize = 0; // u8[nG] candidate (below the elements) and not pruned

const FORMATION_TOL: f64 = 1e-11; // pymatgen's formation_energy_tol
const STABLE_TOL: f64 = 1e-12; // the deterministic default stabilityTolerance
const CERT_TOL: f64 = 1e-9; // a pruned group must lie this far above its mixture
const NUMERICAL_TOL: f64 = 1e-8; // pymatgen's numerical_tol: smaller shares are not phases of a decomposition

/** Header fields (i32 each), in this order; see samplingModel. */
export function samplingModelFields(): i32 {
  return 29;
}

/** Reads the model's sizes and pointers from an i32 header the caller wrote. */
export function samplingModel(h: usize): void {
  nE = ldi(h, 0);
  pKey = <usize>ldi(h, 1);
  pSigma = <usize>ldi(h, 2);
  pF = <usize>ldi(h, 3);
  pLoadOff = <usize>ldi(h, 4);
  pLoadName = <usize>ldi(h, 5);
  pLoadVal = <usize>ldi(h, 6);
  nN = ldi(h, 7);
  pNameKey = <usize>ldi(h, 8);
  nEl = ldi(h, 9);
  pElOff = <usize>ldi(h, 10);
  pElEntries = <usize>ldi(h, 11);
  pCompOff = <usize>ldi(h, 12);
  pCompEl = <usize>ldi(h, 13);
  pCompFrac = <usize>ldi(h, 14);
  nG = ldi(h, 15);
  pGOff = <usize>ldi(h, 16);
  pGMem = <usize>ldi(h, 17);
  pGElem = <usize>ldi(h, 18);
  pCertOff = <usize>ldi(h, 19);
  pCertG = <usize>ldi(h, 20);
  pCertFrac = <usize>ldi(h, 21);
  sZ = <usize>ldi(h, 22);
  sD = <usize>ldi(h, 23);
  sR = <usize>ldi(h, 24);
  sFG = <usize>ldi(h, 25);
  sArg = <usize>ldi(h, 26);
  sAlive = <usize>ldi(h, 27);
  pCertPrune = <usize>ldi(h, 28);
}

/**
 * Perturbs every entry for one sample: fills f' (sD), the groups' lowest f' and member (sFG,
 * sArg) and which groups may be hull points (sAlive). `openGroup` (-1: none): the group of an
 * element open to a reservoir, whose presence in a mixture does not carry to the grand hull (a
 * certificate using it prunes nothing).
 */
function perturb(seed: u32, sample: i32, openGroup: i32): void {
  for (let k = 0; k < nN; k++) st(sZ, k, normalDeviate(seed, sample, 2 * ldi(pNameKey, k) + 1));
  for (let m = 0; m < nE; m++) {
    const sg = ld(pSigma, m);
    let d = sg != 0.0 ? sg * normalDeviate(seed, sample, 2 * ldi(pKey, m)) : 0.0;
    for (let l = ldi(pLoadOff, m); l < ldi(pLoadOff, m + 1); l++) d += ld(pLoadVal, l) * ld(sZ, ldi(pLoadName, l));
    st(sD, m, d);
  }
  for (let e = 0; e < nEl; e++) {
    let r = Infinity;
    for (let l = ldi(pElOff, e); l < ldi(pElOff, e + 1); l++) {
      const m = ldi(pElEntries, l);
      const v = ld(pF, m) + ld(sD, m);
      if (v < r) r = v;
    }
    st(sR, e, r);
  }
  for (let m = 0; m < nE; m++) {
    let f = ld(pF, m) + ld(sD, m);
    for (let l = ldi(pCompOff, m); l < ldi(pCompOff, m + 1); l++) f -= ld(pCompFrac, l) * ld(sR, ldi(pCompEl, l));
    st(sD, m, f);
  }
  for (let g = 0; g < nG; g++) {
    let best = Infinity;
    let arg = -1;
    for (let l = ldi(pGOff, g); l < ldi(pGOff, g + 1); l++) {
      const m = ldi(pGMem, l);
      const v = ld(sD, m);
      if (v < best) {
        best = v;
        arg = m;
      }
    }
    st(sFG, g, best);
    sti(sArg, g, arg);
  }
  for (let g = 0; g < nG; g++) {
    const fg = ld(sFG, g);
    let alive = load<u8>(pGElem + <usize>g) != 0 || fg < -FORMATION_TOL;
    const c0 = ldi(pCertOff, g);
    const c1 = ldi(pCertOff, g + 1);
    if (alive && c1 > c0 && load<u8>(pCertPrune + <usize>g) != 0) {
      let mix = 0.0;
      let usable = true;
      for (let l = c0; l < c1; l++) {
        const k = ldi(pCertG, l);
        const fk = ld(sFG, k);
        if (k == openGroup || !(load<u8>(pGElem + <usize>k) != 0 || fk < -FORMATION_TOL)) {
          usable = false;
          break;
        }
        mix += ld(pCertFrac, l) * fk;
      }
      if (usable && fg > mix + CERT_TOL) alive = false;
    }
    store<u8>(sAlive + <usize>g, alive ? 1 : 0);
  }
}

@inline function isCandidate(g: i32): bool {
  return load<u8>(pGElem + <usize>g) != 0 || ld(sFG, g) < -FORMATION_TOL;
}

/**
 * The groups' perturbed lowest formation energy, member and candidacy, for a list of samples; and
 * (outR ≠ 0) each element's reference shift Δr (f64[nS*nEl]), which re-references an energy that
 * is not in the model (a candidate screened against it).
 */
export function sampleGroups(seed: u32, nS: i32, samples: usize, nq: i32, groups: usize, outF: usize, outArg: usize, outCand: usize, outR: usize): void {
  for (let s = 0; s < nS; s++) {
    perturb(seed, ldi(samples, s), -1);
    for (let q = 0; q < nq; q++) {
      const g = ldi(groups, q);
      st(outF, s * nq + q, ld(sFG, g));
      sti(outArg, s * nq + q, ldi(sArg, g));
      store<u8>(outCand + <usize>(s * nq + q), isCandidate(g) ? 1 : 0);
    }
    if (outR != 0) for (let e = 0; e < nEl; e++) st(outR, s * nEl + e, ld(sR, e));
  }
}

// ---- warm start: the deterministic basis, verified ----
//
// Most samples leave a composition's deterministic LP basis optimal. It stays primal feasible (the
// composition does not move), so it is optimal exactly when no point prices below the plane of its
// duals; one pricing pass checks that, far cheaper than a cold simplex. Anything else — a basis
// member no longer a hull point, a degenerate basis, a point below the plane — goes to the LP.

const WARM_PRICE_TOL: f64 = 1e-12; // the simplex's own optimality tolerance

/**
 * The hull at query row `qrow` (d dims) over the alive points of a system, from group g's
 * deterministic basis (itself excluded) if it is still optimal: the value, the basis groups in
 * `basis` (maxD slots); NaN when it is not (or cannot be checked). `rowOf` maps a group to its
 * point in the system (-1: none). Scratch: wB, wI f64[d*d], wMu f64[d], wDim i32[d].
 */
function warmHull(g: i32, d: i32, n: i32, cols: usize, pts: usize, alive: usize, qrow: usize, rowOf: usize, maxD: i32, basis: usize, wB: usize, wI: usize, wMu: usize, wDim: usize): f64 {
  const c0 = ldi(pCertOff, g);
  const k = ldi(pCertOff, g + 1) - c0;
  let m = 0;
  for (let r = 0; r < d; r++) if (ld(qrow, r) > 0.0) sti(wDim, m++, r);
  if (k != m || m == 0) return NaN;
  const stride = d + 1;
  // Rows of B^T: the basis points at the active dims; right-hand side their energies.
  for (let c = 0; c < m; c++) {
    const kg = ldi(pCertG, c0 + c);
    const j = ldi(rowOf, kg);
    if (j < 0 || kg == g || load<u8>(alive + <usize>j) == 0) return NaN;
    for (let r = 0; r < m; r++) st(wB, c * m + r, ld(pts, j * stride + ldi(wDim, r)));
  }
  if (!gaussJordanInverse(wB, wI, m, 1e-12)) return NaN;
  for (let r = 0; r < m; r++) {
    let s = 0.0;
    for (let c = 0; c < m; c++) s += ld(wI, r * m + c) * ld(pts, ldi(rowOf, ldi(pCertG, c0 + c)) * stride + d);
    st(wMu, r, s);
  }
  // Pricing: every alive point made of the query's elements lies on or above the plane.
  for (let j = 0; j < n; j++) {
    if (load<u8>(alive + <usize>j) == 0 || ldi(cols, j) == g) continue;
    const row = pts + <usize>(j * stride * 8);
    let sum = 0.0;
    let inside = true;
    let on = 0;
    for (let r = 0; r < d; r++) {
      const v = load<f64>(row + <usize>(r * 8));
      if (v == 0.0) continue;
      if (ld(qrow, r) <= 0.0) {
        inside = false;
        break;
      }
      sum += v;
      on++;
    }
    if (!inside || on == 0) continue;
    let red = load<f64>(row + <usize>(d * 8));
    for (let r = 0; r < m; r++) red -= ld(wMu, r) * load<f64>(row + <usize>(ldi(wDim, r) * 8));
    if (red < -WARM_PRICE_TOL) return NaN;
  }
  let value = 0.0;
  for (let c = 0; c < m; c++) value += ld(pCertFrac, c0 + c) * ld(pts, ldi(rowOf, ldi(pCertG, c0 + c)) * stride + d);
  for (let i = 0; i < maxD; i++) sti(basis, g * maxD + i, i < m && ld(pCertFrac, c0 + i) > NUMERICAL_TOL ? ldi(pCertG, c0 + i) : -1);
  return value;
}

// ---- the stability of every entry, system by system (subsystems first) ----
//
// A system's header (i32): d, n, cols (i32[n]: group of each point), pts (f64[n*(d+1)]: atomic
// fractions, the energy column is written here), nq, qGroup (i32[nq]: the groups whose own
// chemical system this is), queries (f64[nq*d]). Per sample and group: the hull at its composition
// over every other group (its own excluded: the phase-separation LP), whether its lowest member is
// a vertex, and the decomposition over the vertices.

const SYS_FIELDS: i32 = 7;

/** Group g's verdict from the hull v of every other composition at its own. */
@inline function settleInto(g: i32, v: f64, gStable: usize, hall: usize): void {
  const fg = ld(sFG, g);
  const cand = isCandidate(g);
  const stable = load<u8>(pGElem + <usize>g) != 0 || (cand && fg - v < -STABLE_TOL);
  store<u8>(gStable + <usize>g, stable ? 1 : 0);
  st(hall, g, cand && fg < v ? fg : v);
}

/**
 * For each sample: every entry's E_hull (outEhull f64[nE*nS], entry-major) and stability (outStable
 * u8[nE*nS]), each group's decomposition (outBasis i32[nG*nS*maxD], groups, -1 unused; entry-major
 * in groups) and lowest member (outArg i32[nG*nS]). Scratch: alive u8[maxN], alive2 u8[maxN],
 * excl i32[maxQ], val f64[maxQ], idx i32[maxQ*maxD], lam f64[maxQ*maxD], hall f64[nG],
 * gStable u8[nG], basis i32[nG*maxD], work (workBytes(maxN, maxD)).
 * Returns the number of LPs that failed (their groups get NaN).
 */
export function sampleStability(
  seed: u32, nS: i32, samples: usize, nSys: i32, sys: usize, maxD: i32,
  outEhull: usize, outStable: usize, outBasis: usize, outArg: usize,
  alive: usize, alive2: usize, excl: usize, val: usize, idx: usize, lam: usize,
  hall: usize, gStable: usize, basis: usize, work: usize, warm: usize, maxQ: i32,
): i32 {
  // The warm-start scratch: rowOf i32[nG], B and its inverse f64[maxD²], μ f64[maxD], the active
  // dims i32[maxD], the queries left for the LP f64[maxQ*maxD] and their positions i32[maxQ].
  const rowOf = warm;
  let w = (warm + <usize>(4 * nG) + 7) & ~7;
  const wB = w; w += <usize>(8 * maxD * maxD);
  const wI = w; w += <usize>(8 * maxD * maxD);
  const wMu = w; w += <usize>(8 * maxD);
  const wDim = w; w += <usize>(8 * maxD);
  const qLeft = w; w += <usize>(8 * maxQ * maxD);
  const qPos = w;
  for (let g = 0; g < nG; g++) sti(rowOf, g, -1);
  let failed = 0;
  for (let s = 0; s < nS; s++) {
    perturb(seed, ldi(samples, s), -1);
    for (let y = 0; y < nSys; y++) {
      const h = sys + <usize>(y * SYS_FIELDS * 4);
      const d = ldi(h, 0);
      const n = ldi(h, 1);
      const cols = <usize>ldi(h, 2);
      const pts = <usize>ldi(h, 3);
      const nq = ldi(h, 4);
      const qGroup = <usize>ldi(h, 5);
      const queries = <usize>ldi(h, 6);
      for (let j = 0; j < n; j++) {
        const g = ldi(cols, j);
        st(pts, j * (d + 1) + d, ld(sFG, g));
        store<u8>(alive + <usize>j, load<u8>(sAlive + <usize>g));
        sti(rowOf, g, j);
      }
      // Each composition against every other one: the deterministic basis if it still holds,
      // the others in one LP batch.
      let left = 0;
      for (let q = 0; q < nq; q++) {
        const g = ldi(qGroup, q);
        const qrow = queries + <usize>(q * d * 8);
        const v = load<u8>(pGElem + <usize>g) != 0 ? <f64>NaN : warmHull(g, d, n, cols, pts, alive, qrow, rowOf, maxD, basis, wB, wI, wMu, wDim);
        if (!isNaN(v)) {
          settleInto(g, v, gStable, hall);
          continue;
        }
        for (let r = 0; r < d; r++) st(qLeft, left * d + r, ld(qrow, r));
        sti(excl, left, load<u8>(pGElem + <usize>g) != 0 ? -1 : g);
        sti(qPos, left, q);
        left++;
      }
      if (left > 0) hullBatch(n, d, pts, alive, cols, left, qLeft, excl, val, idx, lam, 0, work);
      for (let l = 0; l < left; l++) {
        const g = ldi(qGroup, ldi(qPos, l));
        const v = ld(val, l);
        if (isNaN(v)) failed++;
        settleInto(g, v, gStable, hall);
        for (let i = 0; i < maxD; i++) {
          const j = i < d && ld(lam, l * d + i) > NUMERICAL_TOL ? ldi(idx, l * d + i) : -1;
          sti(basis, g * maxD + i, j >= 0 ? ldi(cols, j) : -1);
        }
      }
      // Decompositions over the vertices only (pymatgen's): when a mixture uses a point that is
      // on the hull without being a vertex (a degenerate facet), solve again over the vertices.
      for (let q = 0; q < nq; q++) {
        const g = ldi(qGroup, q);
        if (load<u8>(gStable + <usize>g) != 0) continue;
        let clean = true;
        for (let i = 0; i < d; i++) {
          const k = ldi(basis, g * maxD + i);
          if (k >= 0 && load<u8>(gStable + <usize>k) == 0) clean = false;
        }
        if (clean) continue;
        for (let j = 0; j < n; j++) store<u8>(alive2 + <usize>j, load<u8>(alive + <usize>j) & load<u8>(gStable + <usize>ldi(cols, j)));
        sti(excl, 0, -1);
        hullBatch(n, d, pts, alive2, cols, 1, queries + <usize>(q * d * 8), excl, val, idx, lam, 0, work);
        for (let i = 0; i < maxD; i++) {
          const j = i < d && ld(lam, i) > NUMERICAL_TOL ? ldi(idx, i) : -1;
          sti(basis, g * maxD + i, j >= 0 ? ldi(cols, j) : -1);
        }
      }
      for (let j = 0; j < n; j++) sti(rowOf, ldi(cols, j), -1);
    }
    // Entries: a stable group's lowest member is the vertex; every other entry lies E_hull above.
    for (let g = 0; g < nG; g++) {
      const arg = ldi(sArg, g);
      const gs = load<u8>(gStable + <usize>g) != 0;
      const hv = ld(hall, g);
      for (let l = ldi(pGOff, g); l < ldi(pGOff, g + 1); l++) {
        const m = ldi(pGMem, l);
        const st1 = gs && m == arg;
        const e = ld(sD, m) - hv;
        st(outEhull, m * nS + s, st1 ? 0.0 : e > 0.0 ? e : 0.0);
        store<u8>(outStable + <usize>(m * nS + s), st1 ? 1 : 0);
      }
      sti(outArg, g * nS + s, arg);
      for (let i = 0; i < maxD; i++) sti(outBasis, (g * nS + s) * maxD + i, ldi(basis, g * maxD + i));
    }
  }
  return failed;
}

// ---- one point set: hulls at compositions, and segments ----
//
// Point j is group cols[j]; its energy in the LP is (f'_g − offset_j) · scale_j: the formation
// energy itself (scale 1, offset 0), or a grand potential per non-open atom (Φ = (f − μ x_open) /
// (1 − x_open)) for a system open to an element at a fixed chemical potential.

function fillPoints(n: i32, d: i32, cols: usize, pts: usize, scale: usize, offset: usize, alive: usize): void {
  for (let j = 0; j < n; j++) {
    const g = ldi(cols, j);
    st(pts, j * (d + 1) + d, (ld(sFG, g) - ld(offset, j)) * ld(scale, j));
    store<u8>(alive + <usize>j, load<u8>(sAlive + <usize>g));
  }
}

/**
 * The hull at nq compositions for each sample: outVal f64[nS*nq], outIdx i32[nS*nq*d] (groups of
 * the decomposition, -1 unused), outLam f64[nS*nq*d], and (outMu ≠ 0) the facet's chemical
 * potentials f64[nS*nq*d]. `perSample` 1: the queries are nS*nq rows (each sample its own); 0: nq
 * rows shared. qExclude i32[nq]: a group left out (-1: none). Scratch: alive u8[n], idx i32[nq*d],
 * work. Returns the number of failed LPs (NaN values).
 */
export function sampleHullAt(
  seed: u32, nS: i32, samples: usize, openGroup: i32,
  n: i32, d: i32, cols: usize, pts: usize, scale: usize, offset: usize,
  nq: i32, queries: usize, perSample: i32, qExclude: usize,
  outVal: usize, outIdx: usize, outLam: usize, outMu: usize, alive: usize, idx: usize, work: usize,
): i32 {
  let failed = 0;
  for (let s = 0; s < nS; s++) {
    perturb(seed, ldi(samples, s), openGroup);
    fillPoints(n, d, cols, pts, scale, offset, alive);
    const q0 = perSample != 0 ? queries + <usize>(s * nq * d * 8) : queries;
    const mu = outMu != 0 ? outMu + <usize>(s * nq * d * 8) : 0;
    failed += hullBatch(n, d, pts, alive, cols, nq, q0, qExclude, outVal + <usize>(s * nq * 8), idx, outLam + <usize>(s * nq * d * 8), mu, work);
    for (let i = 0; i < nq * d; i++) {
      const j = ldi(idx, i);
      sti(outIdx, s * nq * d + i, j >= 0 ? ldi(cols, j) : -1);
    }
  }
  return failed;
}

/**
 * The hull along a → b (f64[d] each) for each sample: outN i32[nS] kinks (-1: failed or more than
 * maxK), outT f64[nS*maxK] their positions, outLines f64[nS*(maxK+1)*(2+d)] the facet between
 * consecutive kinks (c, m, μ[d]; h(t) = c + m t on it), from t = 0 to 1. Scratch for segmentKinks:
 * kT f64[maxK], kL, kR i32[maxK], lines f64[maxLines*(2+d)], stack i32[2*maxLines], alive u8[n], work.
 * Returns the number of failed samples.
 */
export function sampleSegments(
  seed: u32, nS: i32, samples: usize, openGroup: i32,
  n: i32, d: i32, cols: usize, pts: usize, scale: usize, offset: usize, a: usize, b: usize,
  maxK: i32, outN: usize, outT: usize, outLines: usize,
  kT: usize, kL: usize, kR: usize, maxLines: i32, lines: usize, stack: usize, alive: usize, work: usize,
): i32 {
  let failed = 0;
  const w = 2 + d;
  for (let s = 0; s < nS; s++) {
    perturb(seed, ldi(samples, s), openGroup);
    fillPoints(n, d, cols, pts, scale, offset, alive);
    const nk = segmentKinks(n, d, pts, alive, cols, a, b, maxK, kT, kL, kR, maxLines, lines, stack, work);
    sti(outN, s, nk);
    if (nk < 0) {
      failed++;
      continue;
    }
    const nl = segmentLines();
    for (let i = 0; i <= nk; i++) {
      const li = nk == 0 ? 0 : i < nk ? ldi(kL, i) : ldi(kR, nk - 1);
      if (li >= nl) continue;
      for (let c = 0; c < w; c++) st(outLines, (s * (maxK + 1) + i) * w + c, ld(lines, li * w + c));
      if (i < nk) st(outT, s * maxK + i, ld(kT, i));
    }
  }
  return failed;
}
