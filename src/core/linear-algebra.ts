// Small dense linear algebra for balancing reactions: pseudo-inverse solves and null vectors via a
// one-sided Jacobi SVD (numpy's lstsq / pinv semantics at pymatgen's tolerances), and index
// combinations (itertools.combinations) for trying sign patterns.
interface Svd {
  /** m×k left vectors (columns), k = min(m, n)... stored as columns of the m×n work matrix. */
  u: number[][];
  s: number[];
  /** n×n right vectors (columns). */
  v: number[][];
}

/** One-sided Jacobi SVD of an m×n matrix (rows given): A V = U Σ, columns of U (m×n) scaled. */
function svd(A: readonly (readonly number[])[], m: number, n: number): Svd {
  // Work on columns: W = A (m×n), V = I (n×n).
  const W: number[][] = Array.from({ length: n }, (_, c) => Array.from({ length: m }, (_, r) => A[r]![c]!));
  const V: number[][] = Array.from({ length: n }, (_, c) => Array.from({ length: n }, (_, r) => (r === c ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const wp = W[p]!;
        const wq = W[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < m; r++) {
          alpha += wp[r]! * wp[r]!;
          beta += wq[r]! * wq[r]!;
          gamma += wp[r]! * wq[r]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < m; r++) {
          const a = wp[r]!;
          const b = wq[r]!;
          wp[r] = c * a - s * b;
          wq[r] = s * a + c * b;
        }
        const vp = V[p]!;
        const vq = V[q]!;
        for (let r = 0; r < n; r++) {
          const a = vp[r]!;
          const b = vq[r]!;
          vp[r] = c * a - s * b;
          vq[r] = s * a + c * b;
        }
      }
    }
    if (!rotated) break;
  }
  const s = W.map((col) => Math.sqrt(col.reduce((a, x) => a + x * x, 0)));
  const u = W.map((col, i) => (s[i]! > 0 ? col.map((x) => x / s[i]!) : col.map(() => 0)));
  return { u, s, v: V };
}

/**
 * Rank of the m×n element-balance matrix by Gauss–Jordan elimination with complete pivoting
 * (pivots below 1e-12 of the largest entry count as zero: amounts are O(1) and a rank-deficient
 * balance leaves round-off near 1e-16, as numpy's SVD-based matrix_rank sees it), and the null
 * vector when the null space is one-dimensional.
 */
export function rankAndNullVector(A: readonly (readonly number[])[], m: number, n: number): { rank: number; nullVec?: number[] } {
  const a = new Float64Array(m * n);
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) a[r * n + c] = A[r]![c]!;
  return rankAndNullVectorFlat(a, m, n);
}

/** The same on a flat row-major m×n matrix, eliminated in place (for callers that reuse one buffer). */
export function rankAndNullVectorFlat(a: Float64Array, m: number, n: number): { rank: number; nullVec?: number[] } {
  let amax = 0;
  for (let i = 0; i < m * n; i++) amax = Math.max(amax, Math.abs(a[i]!));
  const tol = 1e-12 * amax;
  const colOf: number[] = []; // pivot column of each pivot row
  const used = new Uint8Array(n);
  let rank = 0;
  while (rank < m) {
    let br = -1;
    let bc = -1;
    let best = tol;
    for (let r = rank; r < m; r++)
      for (let c = 0; c < n; c++)
        if (!used[c] && Math.abs(a[r * n + c]!) > best) {
          best = Math.abs(a[r * n + c]!);
          br = r;
          bc = c;
        }
    if (br < 0) break;
    if (br !== rank) {
      for (let c = 0; c < n; c++) {
        const t = a[rank * n + c]!;
        a[rank * n + c] = a[br * n + c]!;
        a[br * n + c] = t;
      }
    }
    const p = a[rank * n + bc]!;
    for (let c = 0; c < n; c++) a[rank * n + c]! /= p;
    for (let r = 0; r < m; r++) {
      if (r === rank) continue;
      const f = a[r * n + bc]!;
      if (f === 0) continue;
      for (let c = 0; c < n; c++) a[r * n + c]! -= f * a[rank * n + c]!;
    }
    used[bc] = 1;
    colOf.push(bc);
    rank++;
  }
  if (n - rank !== 1) return { rank };
  const free = used.indexOf(0);
  const v = new Array<number>(n).fill(0);
  v[free] = 1;
  colOf.forEach((c, r) => (v[c] = -a[r * n + free]!));
  return { rank, nullVec: v };
}

/**
 * x = pinv(A) b, the minimum-norm least-squares solution. Singular values below 1e-13 of the
 * largest count as zero (numpy's pinv uses 1e-15; the mathematically zero ones of a rank-deficient
 * balance matrix come out near 1e-16 either way).
 */
export function pinvSolve(A: readonly (readonly number[])[], m: number, n: number, b: readonly number[]): number[] {
  const { u, s, v } = svd(A, m, n);
  const smax = Math.max(0, ...s);
  const x = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    if (!(s[k]! > 1e-13 * smax)) continue;
    let ub = 0;
    for (let r = 0; r < m; r++) ub += u[k]![r]! * b[r]!;
    const w = ub / s[k]!;
    for (let c = 0; c < n; c++) x[c]! += v[k]![c]! * w;
  }
  return x;
}

/** Index combinations of size k from [lo, hi), lexicographic (itertools.combinations). */
export function* combinations(lo: number, hi: number, k: number): Generator<number[]> {
  const n = hi - lo;
  if (k > n || k <= 0) return;
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield idx.map((i) => i + lo);
    let i = k - 1;
    while (i >= 0 && idx[i] === i + n - k) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}
