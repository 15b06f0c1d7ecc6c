// Flat-memory helpers shared by the kernels: typed loads/stores at element indices, and dense
// matrix inversion in place on caller-owned buffers (no allocation).

@inline export function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline export function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline export function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline export function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/**
 * Inverts the n×n row-major matrix `a` into `inv` by Gauss–Jordan with partial pivoting; `a` is
 * destroyed. False when a pivot falls below `minPivot` (singular for the caller's purpose).
 */
export function gaussJordanInverse(a: usize, inv: usize, n: i32, minPivot: f64): bool {
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) st(inv, r * n + c, r == c ? 1.0 : 0.0);
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(ld(a, col * n + col));
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(ld(a, r * n + col));
      if (v > best) { best = v; piv = r; }
    }
    if (best < minPivot) return false;
    if (piv != col) {
      for (let c = 0; c < n; c++) {
        let t = ld(a, col * n + c); st(a, col * n + c, ld(a, piv * n + c)); st(a, piv * n + c, t);
        t = ld(inv, col * n + c); st(inv, col * n + c, ld(inv, piv * n + c)); st(inv, piv * n + c, t);
      }
    }
    const s = 1.0 / ld(a, col * n + col);
    for (let c = 0; c < n; c++) {
      st(a, col * n + c, ld(a, col * n + c) * s);
      st(inv, col * n + c, ld(inv, col * n + c) * s);
    }
    for (let r = 0; r < n; r++) {
      if (r == col) continue;
      const f = ld(a, r * n + col);
      if (f == 0.0) continue;
      for (let c = 0; c < n; c++) {
        st(a, r * n + c, ld(a, r * n + c) - f * ld(a, col * n + c));
        st(inv, r * n + c, ld(inv, r * n + c) - f * ld(inv, col * n + c));
      }
    }
  }
  return true;
}
