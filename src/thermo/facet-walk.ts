/**
 * The facets of one chemical system's hull, found on demand: from one facet (the LP's), a walk
 * crosses ridges towards a composition until it reaches the facet containing it, each crossing the
 * pivot of assembly/facets.ts (the neighbour across a ridge is the point minimising gap / lift),
 * here in TypeScript on a handful of facets at a time. Facets and their neighbours are kept, so
 * the compositions of a system that is asked again and again walk over what is already known, and
 * a system asked once (the large ones usually are) costs a few pivots, not its thousands of facets.
 */

// As assembly/facets.ts: lifts below this are not across the ridge; coplanar ties keep the lowest index.
const PIVOT_EPS = 1e-12;
const MIN_PIVOT = 1e-13;
/** A facet contains x when no barycentric coordinate of x is below this. */
export const INSIDE = -1e-9;
const MAX_WALK = 10_000;

export class FacetWalker {
  readonly d: number;
  readonly n: number;
  /** Entry index of each point. */
  readonly cols: Int32Array;
  /** Points: rows of d atomic fractions and the formation energy (stride d + 1). */
  readonly pts: Float64Array;
  count = 0;
  /** d point indices per facet, in the order of their coordinates (`byCoordinates`). */
  verts: Int32Array;
  /** d chemical potentials per facet (formation-energy scale). */
  mu: Float64Array;
  /** X^{-1} per facet (X: rows are the vertices' fractions), d × d. */
  private inv: Float64Array;
  /** Facet across the ridge opposite vertex slot r: −2 not yet known, −1 the composition boundary. */
  private nb: Int32Array;
  /** Facet ids by their sorted vertices: a number in base n when that is exact, else a string. */
  private readonly ids = new Map<number | string, number>();
  private readonly numericKeys: boolean;
  /** Barycentric coordinates of the last `barycentric` call. */
  readonly lambda: Float64Array;
  /** The scratch of `invert` and `neighbour`, shared by all walkers (`scratchFor`). */
  private readonly X: Float64Array;
  private readonly tup: Int32Array;
  /** The vertices of a neighbour being found. */
  private readonly next: Int32Array;

  constructor(cols: Int32Array, pts: Float64Array, d: number) {
    this.d = d;
    this.n = cols.length;
    this.cols = cols;
    this.pts = pts;
    // Two buffers per walker, viewed as four arrays: an interface matrix starts hundreds of
    // walkers, and each typed array with its own buffer cost more to make than a walk.
    ({ verts: this.verts, nb: this.nb, mu: this.mu, inv: this.inv } = facetArrays(32, d));
    this.lambda = new Float64Array(d);
    this.X = scratchFor(d);
    this.tup = new Int32Array(d);
    this.next = new Int32Array(d);
    this.numericKeys = this.n ** d < 2 ** 53;
  }

  /** The facet of these d point indices (any order), added when new; −1 when they are affinely dependent. */
  facet(points: ArrayLike<number>): number {
    const d = this.d;
    const tup = this.tup;
    // Sorted by insertion (d is small; a typed array's sort costs more in V8's early tiers).
    for (let i = 0; i < d; i++) {
      const v = points[i]!;
      let j = i;
      for (; j > 0 && tup[j - 1]! > v; j--) tup[j] = tup[j - 1]!;
      tup[j] = v;
    }
    let key: number | string;
    if (this.numericKeys) {
      key = 0;
      for (let i = 0; i < d; i++) key = key * this.n + tup[i]!;
    } else key = tup.join(',');
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.byCoordinates(tup);
    if (!this.invert(tup)) return -1;
    const f = this.count;
    if ((f + 1) * d > this.verts.length) this.grow();
    this.verts.set(tup, f * d);
    for (let k = 0, o = f * d * d; k < d * d; k++) this.inv[o + k] = this.X[d * d + k]!;
    this.nb.fill(-2, f * d, (f + 1) * d);
    // μ = X^{-1} e.
    const w = d + 1;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += this.X[d * d + k * d + r]! * this.pts[tup[r]! * w + d]!;
      this.mu[f * d + k] = s;
    }
    this.ids.set(key, f);
    this.count++;
    return f;
  }

  /** Barycentric coordinates of x in facet f into `lambda`; returns the smallest. */
  barycentric(f: number, x: ArrayLike<number>): number {
    const d = this.d;
    const inv = this.inv;
    const o = f * d * d;
    let min = Infinity;
    // λ = X^{-T} x.
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += inv[o + k * d + r]! * x[k]!;
      this.lambda[r] = s;
      if (s < min) min = s;
    }
    return min;
  }

  /** μ_f·x. */
  planeAt(f: number, x: ArrayLike<number>): number {
    let v = 0;
    for (let k = 0, o = f * this.d; k < this.d; k++, o++) v += this.mu[o]! * x[k]!;
    return v;
  }

  /** The facet containing x, walking from f across the ridge of its most negative coordinate; −1 if lost. */
  walk(f: number, x: ArrayLike<number>): number {
    for (let step = 0; step < MAX_WALK; step++) {
      if (this.barycentric(f, x) >= INSIDE) return f;
      let r = 0;
      for (let s = 1; s < this.d; s++) if (this.lambda[s]! < this.lambda[r]!) r = s;
      const g = this.neighbour(f, r);
      if (g < 0) return -1;
      f = g;
    }
    return -1;
  }

  /** The facet across the ridge of f opposite vertex slot r (−1: the composition boundary, or degenerate). */
  neighbour(f: number, r: number): number {
    const d = this.d;
    const known = this.nb[f * d + r]!;
    if (known !== -2) return known;
    const { pts, inv, mu, n } = this;
    const w = d + 1;
    const o = f * d * d;
    // w = −column r of X^{-1} (0 on the ridge, −1 at the dropped vertex) and μ, in the scratch.
    const lift = this.X;
    for (let k = 0; k < d; k++) {
      lift[k] = -inv[o + k * d + r]!;
      lift[d + k] = mu[f * d + k]!;
    }
    let best = -1;
    let bestRatio = Infinity;
    for (let q = 0, row = 0; q < n; q++, row += w) {
      let a = 0;
      for (let k = 0; k < d; k++) a += lift[k]! * pts[row + k]!;
      if (a <= PIVOT_EPS) continue;
      let m = 0;
      for (let k = 0; k < d; k++) m += lift[d + k]! * pts[row + k]!;
      let g = pts[row + d]! - m;
      if (g < 0) g = 0;
      const ratio = g / a;
      if (best < 0 || ratio < bestRatio - 1e-13 * (1 + Math.abs(bestRatio))) {
        bestRatio = ratio;
        best = q;
      }
    }
    let g = -1;
    if (best >= 0) {
      const next = this.next;
      for (let k = 0; k < d; k++) next[k] = this.verts[f * d + k]!;
      next[r] = best;
      g = this.facet(next);
    }
    this.nb[f * d + r] = g;
    return g;
  }

  /**
   * The vertices in the order of their coordinates (fractions, then energy): a facet's numbers (its
   * inverse, μ, barycentric coordinates) are then the same in every hull of these points, whatever
   * their indices — two indexes of one system (a reaction's own hull and a shared one) agree to
   * the last bit, as the LPs over their columns did.
   */
  private byCoordinates(tup: Int32Array): void {
    const { d, pts } = this;
    const w = d + 1;
    for (let i = 1; i < d; i++) {
      const v = tup[i]!;
      let j = i;
      for (; j > 0; j--) {
        const u = tup[j - 1]!;
        let c = 0;
        for (let k = 0; k <= d && c === 0; k++) c = pts[u * w + k]! - pts[v * w + k]!;
        if (c < 0 || (c === 0 && u < v)) break;
        tup[j] = u;
      }
      tup[j] = v;
    }
  }

  /** Gauss-Jordan with partial pivoting of X (rows: the points of `tup`) into X[d² ..]; false if singular. */
  private invert(tup: Int32Array): boolean {
    const d = this.d;
    const w = d + 1;
    const X = this.X;
    const I = d * d;
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        X[r * d + c] = this.pts[tup[r]! * w + c]!;
        X[I + r * d + c] = r === c ? 1 : 0;
      }
    }
    for (let c = 0; c < d; c++) {
      let p = c;
      for (let r = c + 1; r < d; r++) if (Math.abs(X[r * d + c]!) > Math.abs(X[p * d + c]!)) p = r;
      if (!(Math.abs(X[p * d + c]!) > MIN_PIVOT)) return false;
      if (p !== c) {
        for (let k = 0; k < d; k++) {
          let s = X[c * d + k]!;
          X[c * d + k] = X[p * d + k]!;
          X[p * d + k] = s;
          s = X[I + c * d + k]!;
          X[I + c * d + k] = X[I + p * d + k]!;
          X[I + p * d + k] = s;
        }
      }
      const piv = X[c * d + c]!;
      for (let k = 0; k < d; k++) {
        X[c * d + k]! /= piv;
        X[I + c * d + k]! /= piv;
      }
      for (let r = 0; r < d; r++) {
        if (r === c) continue;
        const fct = X[r * d + c]!;
        if (fct === 0) continue;
        for (let k = 0; k < d; k++) {
          X[r * d + k]! -= fct * X[c * d + k]!;
          X[I + r * d + k]! -= fct * X[I + c * d + k]!;
        }
      }
    }
    return true;
  }

  private grow(): void {
    const d = this.d;
    const { verts, nb, mu, inv } = facetArrays((2 * this.verts.length) / d, d);
    verts.set(this.verts);
    nb.set(this.nb);
    mu.set(this.mu);
    inv.set(this.inv);
    this.verts = verts;
    this.nb = nb;
    this.mu = mu;
    this.inv = inv;
  }
}

/** Room for `cap` facets: vertices and neighbours in one buffer, μ and X^{-1} in another. */
function facetArrays(cap: number, d: number) {
  const ints = new Int32Array(2 * cap * d);
  const floats = new Float64Array(cap * d * (d + 1));
  return { verts: ints.subarray(0, cap * d), nb: ints.subarray(cap * d), mu: floats.subarray(0, cap * d), inv: floats.subarray(cap * d) };
}

let scratch = new Float64Array(2 * 8 * 8);

/** 2d² numbers of scratch, shared: a walker uses it only within one call, and calls run one at a time. */
function scratchFor(d: number): Float64Array {
  if (scratch.length < 2 * d * d) scratch = new Float64Array(2 * d * d);
  return scratch;
}
