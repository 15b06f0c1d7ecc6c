// An independent, exact hull method for tests: BigInt rationals (every double is one exactly) and a
// two-phase simplex with Bland's rule, which terminates without any tolerance. It answers what
// interphase's floating-point kernel must agree with on degenerate input (polymorphs, equal
// energies, coplanar points, points on facets, huge and tiny amounts): the lower hull at a
// composition, pymatgen's stability rules on top (lowest of a composition, below the elements,
// strictly below the hull of the others) and the exact E_hull / phase-separation energies.

/** A rational n/d, d > 0, in lowest terms. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
};

export function q(n: bigint, d = 1n): Q {
  if (d === 0n) throw new Error('rational with a zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

export const ZERO = q(0n);
export const ONE = q(1n);
export const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
export const cmp = (a: Q, b: Q): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const sign = (a: Q): number => (a.n < 0n ? -1 : a.n > 0n ? 1 : 0);
export const eq = (a: Q, b: Q): boolean => a.n === b.n && a.d === b.d;

/** The exact value of a finite double. */
export function fromDouble(x: number): Q {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  if (Number.isInteger(x)) return q(BigInt(x));
  let m = x;
  let e = 0n;
  while (!Number.isInteger(m)) {
    m *= 2; // exact: doubling a double only changes its exponent
    e++;
  }
  return q(BigInt(m), 1n << e);
}

/** The double nearest to a rational (exact to the last bit for these tests' purposes). */
export function toDouble(a: Q): number {
  if (a.n === 0n) return 0;
  // Scale so the quotient carries 64 significant bits, then divide once.
  const neg = a.n < 0n;
  const n = neg ? -a.n : a.n;
  const shift = BigInt(Math.max(0, 64 - (n.toString(2).length - a.d.toString(2).length)));
  const v = Number((n << shift) / a.d) / 2 ** Number(shift);
  return neg ? -v : v;
}

/** Result of `exactHull`: the optimum and one optimal mixture (column index → share). */
export interface ExactHullResult {
  readonly value: Q;
  readonly mixture: ReadonlyMap<number, Q>;
}

/**
 * min Σ λ_j c_j  s.t.  Σ λ_j a_j = b, λ ≥ 0 (columns a_j of length m, b ≥ 0), exactly.
 * Returns undefined when infeasible. Two phases with artificials, Bland's rule throughout.
 */
export function exactLp(cols: readonly (readonly Q[])[], costs: readonly Q[], b: readonly Q[]): ExactHullResult | undefined {
  const m = b.length;
  const n = cols.length;
  // Tableau rows: [a_1 .. a_n, art_1 .. art_m | rhs]; basis starts with the artificials.
  const width = n + m + 1;
  const T: Q[][] = [];
  for (let r = 0; r < m; r++) {
    const row: Q[] = new Array(width).fill(ZERO);
    for (let j = 0; j < n; j++) row[j] = cols[j]![r]!;
    row[n + r] = ONE;
    row[width - 1] = b[r]!;
    if (sign(b[r]!) < 0) throw new Error('exactLp: negative right-hand side');
    T.push(row);
  }
  const basis = Array.from({ length: m }, (_, r) => n + r);
  const pivot = (r: number, c: number): void => {
    const p = T[r]![c]!;
    T[r] = T[r]!.map((v) => div(v, p));
    for (let i = 0; i < m; i++) {
      if (i === r || sign(T[i]![c]!) === 0) continue;
      const f = T[i]![c]!;
      T[i] = T[i]!.map((v, k) => sub(v, mul(f, T[r]![k]!)));
    }
    basis[r] = c;
  };
  const optimise = (cost: (j: number) => Q, allowed: (j: number) => boolean): void => {
    for (;;) {
      // Bland: the lowest-index column with a negative reduced cost enters.
      let enter = -1;
      for (let j = 0; j < n + m && enter < 0; j++) {
        if (!allowed(j) || basis.includes(j)) continue;
        let red = cost(j);
        for (let r = 0; r < m; r++) red = sub(red, mul(cost(basis[r]!), T[r]![j]!));
        if (sign(red) < 0) enter = j;
      }
      if (enter < 0) return;
      // Minimum ratio; ties to the lowest basic index (Bland).
      let leave = -1;
      let best: Q | undefined;
      for (let r = 0; r < m; r++) {
        const a = T[r]![enter]!;
        if (sign(a) <= 0) continue;
        const t = div(T[r]![width - 1]!, a);
        const c = best === undefined ? -1 : cmp(t, best);
        if (c < 0 || (c === 0 && basis[r]! < basis[leave]!)) {
          best = t;
          leave = r;
        }
      }
      if (leave < 0) throw new Error('exactLp: unbounded (cannot happen for a hull LP)');
      pivot(leave, enter);
    }
  };
  // Phase 1: minimise the artificials.
  optimise(
    (j) => (j >= n ? ONE : ZERO),
    () => true,
  );
  for (let r = 0; r < m; r++) if (basis[r]! >= n && sign(T[r]![width - 1]!) !== 0) return undefined;
  // Phase 2: the real costs; artificials (all at zero now) never enter again.
  optimise(
    (j) => (j >= n ? ZERO : costs[j]!),
    (j) => j < n,
  );
  let value = ZERO;
  const mixture = new Map<number, Q>();
  for (let r = 0; r < m; r++) {
    const j = basis[r]!;
    const x = T[r]![width - 1]!;
    if (j >= n || sign(x) === 0) continue;
    mixture.set(j, x);
    value = add(value, mul(costs[j]!, x));
  }
  return { value, mixture };
}

/** A point of a chemical system: exact atomic amounts per element and an energy per atom. */
export interface ExactPoint {
  /** Amount of each element of the system (0 when absent), exactly as given. */
  readonly amounts: readonly Q[];
  /** Formation energy per atom, exactly. */
  readonly e: Q;
}

/** Exact atomic fractions of a point. */
export function fractionsOf(p: ExactPoint): Q[] {
  const total = p.amounts.reduce(add, ZERO);
  return p.amounts.map((a) => div(a, total));
}

/** The lower hull at `x` (exact fractions) over the points (only those made of x's elements take part). */
export function exactHullAt(points: readonly ExactPoint[], x: readonly Q[]): ExactHullResult | undefined {
  const active = x.map((v, k) => (sign(v) > 0 ? k : -1)).filter((k) => k >= 0);
  const usable: number[] = [];
  points.forEach((p, j) => {
    if (p.amounts.every((a, k) => sign(a) === 0 || sign(x[k]!) > 0)) usable.push(j);
  });
  const fr = usable.map((j) => fractionsOf(points[j]!));
  const r = exactLp(
    fr.map((f) => active.map((k) => f[k]!)),
    usable.map((j) => points[j]!.e),
    active.map((k) => x[k]!),
  );
  if (!r) return undefined;
  return { value: r.value, mixture: new Map([...r.mixture].map(([j, v]) => [usable[j]!, v])) };
}

/** Exact stability of one entry, pymatgen's rules. */
export interface ExactStability {
  readonly stable: boolean;
  /** E_hull ≥ 0 when unstable; the phase-separation energy (≤ 0, 0 for elements) when stable. */
  readonly signed: Q;
  /** The hull value at the entry's composition over the stable phases. */
  readonly hull: Q;
}

const FORMATION_TOL = fromDouble(1e-11);

/**
 * Every entry's exact stability in one chemical system (pymatgen's PhaseDiagram semantics):
 * compositions are grouped by `groupKey` (default: exact atomic fractions; tests pass
 * interphase's `Composition.key`, the definition of "the same composition", so that only the
 * numbers are compared); the references are each element's lowest point; candidates are the
 * references and the lowest (first of equals) of each composition lying below -1e-11 eV/atom; a
 * candidate compound is stable when strictly below the hull of the other compositions' candidates.
 */
export function exactStabilities(points: readonly ExactPoint[], groupKey?: readonly string[]): ExactStability[] {
  const fr = points.map(fractionsOf);
  const key = groupKey ?? fr.map((f) => f.map((v) => `${v.n}/${v.d}`).join(' '));
  const lowest = new Map<string, number>();
  points.forEach((p, i) => {
    const cur = lowest.get(key[i]!);
    if (cur === undefined || cmp(p.e, points[cur]!.e) < 0) lowest.set(key[i]!, i);
  });
  const isElement = fr.map((f) => f.filter((v) => sign(v) > 0).length === 1);
  const candidate = points.map((p, i) => lowest.get(key[i]!) === i && (isElement[i]! || cmp(p.e, sub(ZERO, FORMATION_TOL)) < 0));
  const signed: Q[] = [];
  const stable: boolean[] = [];
  points.forEach((p, i) => {
    if (candidate[i] && isElement[i]) {
      signed.push(ZERO);
      stable.push(true);
      return;
    }
    const others = points.filter((_, j) => candidate[j] && (!candidate[i] || key[j] !== key[i]));
    const h = exactHullAt(others, fr[i]!);
    if (!h) throw new Error(`exactStabilities: no hull at point ${i}`);
    const s = sub(p.e, h.value);
    const st = candidate[i]! && sign(s) < 0;
    stable.push(st);
    signed.push(st ? s : sign(s) > 0 ? s : ZERO);
  });
  const vertices = points.filter((_, j) => stable[j]);
  return points.map((_, i) => {
    const h = exactHullAt(vertices, fr[i]!);
    if (!h) throw new Error(`exactStabilities: no hull of the stable phases at point ${i}`);
    return { stable: stable[i]!, signed: signed[i]!, hull: h.value };
  });
}
