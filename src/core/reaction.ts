// Balanced chemical reactions with pymatgen 2022.11's semantics (pymatgen.analysis.reaction_calculator):
// `Reaction.balance(reactants, products)` is pymatgen's `Reaction(reactants, products)` — the same
// least-squares balancing, the same choice among sign patterns — and `toString()` is its
// `str(reaction)` character for character, given the compositions in the same order.
import { Composition } from './composition.js';

export class ReactionError extends Error {
  override name = 'ReactionError';
}

export type CompositionLike = Composition | string;

/** pymatgen's BalancedReaction.TOLERANCE: smaller coefficients are zero (dropped from strings). */
export const REACTION_TOLERANCE = 1e-6;
/** pymatgen's Composition.amount_tolerance, used by its `==` on compositions. */
const AMOUNT_TOL = 1e-8;

/**
 * A balanced reaction: compositions with net coefficients, negative for reactants and positive
 * for products (pymatgen's `all_comp` and `coeffs`). Immutable: normalising returns a new one.
 */
export class Reaction {
  /** Every composition, reactants first, in the order given (pymatgen `all_comp`). */
  readonly compositions: readonly Composition[];
  /** Net coefficient of each composition: < 0 consumed, > 0 produced (pymatgen `coeffs`). */
  readonly coefficients: readonly number[];
  private constructor(compositions: readonly Composition[], coefficients: readonly number[]) {
    this.compositions = Object.freeze([...compositions]);
    this.coefficients = Object.freeze([...coefficients]);
  }

  /** Elements of the reaction, alphabetical. */
  get elements(): string[] {
    return [...new Set(this.compositions.flatMap((c) => c.elements))].sort();
  }

  /**
   * Balances `reactants -> products` exactly like pymatgen's `Reaction`: coefficients are the
   * least-squares (pseudo-inverse) solution of the element balance with some coefficients pinned
   * to ±1 (product pins before reactant pins, more pins before fewer); the first solution where
   * every reactant is consumed and every product made is taken, otherwise the first one with the
   * fewest compositions on the wrong side or at zero.
   * Compositions may change sides (then the string shows them where they end up).
   */
  static balance(reactants: readonly CompositionLike[], products: readonly CompositionLike[]): Reaction {
    const all = [...reactants, ...products].map(toComposition);
    if (all.length === 0) throw new ReactionError('a reaction needs at least one composition');
    const nR = reactants.length;
    const nC = all.length;
    const els = [...new Set(all.flatMap((c) => c.elements))].sort();
    const nE = els.length;
    // comp_matrix: rows = elements, columns = compositions.
    const comp = els.map((el) => all.map((c) => c.amount(el)));
    const { rank, nullVec } = rankAndNullVector(comp, nE, nC);
    const diff = nC - rank;
    // With a one-dimensional null space v (the usual case), pinning coefficient i to ±1 has the
    // exact solution v·(±1/v_i) — what the pseudo-inverse gives — unless v_i is (nearly) zero.
    const nullNorm = nullVec ? Math.sqrt(nullVec.reduce((a, x) => a + x * x, 0)) : 0;
    const maxConstraints = diff >= 2 ? diff : 1;
    const expected = all.map((_, i) => (i < nR ? -1 : 1));
    const constraintSets: number[][] = [];
    for (let k = maxConstraints; k >= 1; k--) for (const c of combinations(nR, nC, k)) constraintSets.push(c);
    for (let k = maxConstraints; k >= 1; k--) for (const c of combinations(0, nR, k)) constraintSets.push(c);
    let best: number[] | undefined;
    let bestErrors = Infinity;
    let balanced = false;
    for (const cons of constraintSets) {
      const pin = Math.min(...cons) >= nR ? 1 : -1;
      let x: number[];
      if (nullVec && cons.length === 1 && Math.abs(nullVec[cons[0]!]!) > 1e-6 * nullNorm) {
        const f = pin / nullVec[cons[0]!]!;
        x = nullVec.map((v) => v * f);
      } else {
        const rows = nE + cons.length;
        const A: number[][] = comp.map((r) => [...r]);
        const b = new Array<number>(rows).fill(0);
        cons.forEach((idx, k) => {
          const row = new Array<number>(nC).fill(0);
          row[idx] = 1;
          A.push(row);
          b[nE + k] = pin;
        });
        x = pinvSolve(A, rows, nC, b);
      }
      // np.allclose(comp_matrix @ coeffs, 0): |residual| <= 1e-8 for every element.
      let ok = true;
      for (let r = 0; r < nE && ok; r++) {
        let s = 0;
        for (let c = 0; c < nC; c++) s += comp[r]![c]! * x[c]!;
        if (!(Math.abs(s) <= 1e-8)) ok = false;
      }
      if (!ok) continue;
      balanced = true;
      let errors = 0;
      for (let c = 0; c < nC; c++) if (expected[c]! * x[c]! < REACTION_TOLERANCE) errors++;
      if (errors === 0) return new Reaction(all, x);
      if (errors < bestErrors) {
        bestErrors = errors;
        best = x;
      }
    }
    if (!balanced || !best) {
      throw new ReactionError(
        `reaction cannot be balanced: ${all
          .slice(0, nR)
          .map((c) => c.reducedFormula)
          .join(' + ')} -> ${all
          .slice(nR)
          .map((c) => c.reducedFormula)
          .join(' + ')}`,
      );
    }
    return new Reaction(all, best);
  }

  /**
   * A reaction with given coefficients (pymatgen's BalancedReaction; compositions keep the order
   * given, reactants first, and each is merged with an equal one). Throws when unbalanced.
   */
  static fromCoefficients(reactants: ReadonlyArray<readonly [CompositionLike, number]>, products: ReadonlyArray<readonly [CompositionLike, number]>): Reaction {
    const comps: Composition[] = [];
    const coeffs: number[] = [];
    const add = (c: CompositionLike, v: number, sign: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ReactionError(`coefficient of ${String(c)} is not a finite number (${String(v)})`);
      const comp = toComposition(c);
      const i = comps.findIndex((x) => sameAmounts(x, comp));
      if (i >= 0) coeffs[i]! += sign * v;
      else {
        comps.push(comp);
        coeffs.push(sign * v);
      }
    };
    for (const [c, v] of reactants) add(c, v, -1);
    for (const [c, v] of products) add(c, v, 1);
    const els = [...new Set(comps.flatMap((c) => c.elements))];
    for (const el of els) {
      let s = 0;
      comps.forEach((c, i) => (s += coeffs[i]! * c.amount(el)));
      if (Math.abs(s) > REACTION_TOLERANCE) throw new ReactionError(`reaction is unbalanced in ${el} by ${s}`);
    }
    const keep = coeffs.map((v) => Math.abs(v) > REACTION_TOLERANCE);
    return new Reaction(
      comps.filter((_, i) => keep[i]),
      coeffs.filter((_, i) => keep[i]),
    );
  }

  /** Index of the first composition equal to `comp` (pymatgen `all_comp.index`: amounts within 1e-8). */
  indexOf(comp: CompositionLike): number {
    const c = toComposition(comp);
    return this.compositions.findIndex((x) => sameAmounts(x, c));
  }

  /** Coefficient of a composition (pymatgen `get_coeff`). */
  coefficient(comp: CompositionLike): number {
    const i = this.indexOf(comp);
    if (i < 0) throw new ReactionError(`${String(comp)} is not part of the reaction ${this.toString()}`);
    return this.coefficients[i]!;
  }

  /** Same reaction scaled so that `comp` has coefficient magnitude `factor` (pymatgen `normalize_to`). */
  normalizeTo(comp: CompositionLike, factor = 1): Reaction {
    const c = this.coefficient(comp);
    if (c === 0) throw new ReactionError(`cannot normalise to ${String(comp)}: its coefficient is 0`);
    const s = Math.abs((1 / c) * factor);
    return new Reaction(
      this.compositions,
      this.coefficients.map((v) => v * s),
    );
  }

  /** Same reaction scaled so that `factor` atoms of `element` react (pymatgen `normalize_to_element`). */
  normalizeToElement(element: string, factor = 1): Reaction {
    const cur = this.elementAmount(element);
    if (cur === 0) throw new ReactionError(`cannot normalise to ${element}: the reaction moves none of it`);
    const s = factor / cur;
    return new Reaction(
      this.compositions,
      this.coefficients.map((v) => v * s),
    );
  }

  /** Atoms of `element` that react (half the sum over both sides; pymatgen `get_el_amount`). */
  elementAmount(element: string): number {
    let s = 0;
    this.compositions.forEach((c, i) => (s += c.amount(element) * Math.abs(this.coefficients[i]!)));
    return s / 2;
  }

  /** Compositions consumed (coefficient < 0), in order. */
  get reactants(): Composition[] {
    return this.compositions.filter((_, i) => this.coefficients[i]! < 0);
  }

  /** Compositions produced (coefficient > 0), in order. */
  get products(): Composition[] {
    return this.compositions.filter((_, i) => this.coefficients[i]! > 0);
  }

  /** Σ coefficient × energy (pymatgen `calculate_energy`); `energy` gives each composition's energy. */
  calculateEnergy(energy: (composition: Composition, index: number) => number): number {
    let s = 0;
    this.compositions.forEach((c, i) => (s += this.coefficients[i]! * energy(c, i)));
    return s;
  }

  /** pymatgen `str(reaction)`: reduced formulas, coefficients `{:.4g}`, ±1 unwritten, zeros dropped. */
  toString(): string {
    return formatReaction(this.compositions, this.coefficients, false).text;
  }

  /** pymatgen `normalized_repr`: coefficients divided by their greatest common (float) divisor. */
  get normalizedRepr(): string {
    return formatReaction(this.compositions, this.coefficients, true).text;
  }

  toJSON(): { reaction: string; compositions: string[]; coefficients: number[] } {
    return { reaction: this.toString(), compositions: this.compositions.map((c) => c.formula), coefficients: [...this.coefficients] };
  }
}

function toComposition(c: CompositionLike): Composition {
  return typeof c === 'string' ? Composition.parse(c) : c;
}

/** pymatgen's Composition `==`: same elements, amounts within 1e-8. */
export function sameAmounts(a: Composition, b: Composition): boolean {
  if (a.elements.length !== b.elements.length) return false;
  for (const el of a.elements) if (!b.has(el) || Math.abs(a.amount(el) - b.amount(el)) > AMOUNT_TOL) return false;
  return true;
}

function formatReaction(comps: readonly Composition[], coeffs: readonly number[], reduce: boolean): { text: string; factor: number } {
  const r = comps.map((c, i) => {
    const { factor } = c.reduced();
    return coeffs[i]! * factor;
  });
  let factor = 1;
  if (reduce) {
    factor = 1 / gcdFloat(r.map(Math.abs));
    for (let i = 0; i < r.length; i++) r[i]! *= factor;
  }
  const left: string[] = [];
  const right: string[] = [];
  comps.forEach((c, i) => {
    const amt = r[i]!;
    const f = c.reducedFormula;
    if (Math.abs(amt + 1) < REACTION_TOLERANCE) left.push(f);
    else if (Math.abs(amt - 1) < REACTION_TOLERANCE) right.push(f);
    else if (amt < -REACTION_TOLERANCE) left.push(`${formatG(-amt, 4)} ${f}`);
    else if (amt > REACTION_TOLERANCE) right.push(`${formatG(amt, 4)} ${f}`);
  });
  return { text: `${left.join(' + ')} -> ${right.join(' + ')}`, factor };
}

/** monty's gcd_float (tolerance 1e-8). */
function gcdFloat(xs: readonly number[], tol = 1e-8): number {
  const pair = (a: number, b: number) => {
    while (b > tol) [a, b] = [b, a % b];
    return a;
  };
  let n = xs[0]!;
  for (const x of xs) n = pair(n, x);
  return n;
}

// ---- Python's format(x, '.{p}g'), exactly (round-half-even on the exact binary value) ----

/** The exact value of a finite double as num / den (BigInt, den a power of two). */
function exactRational(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  return e >= 0 ? { num: mant << BigInt(e), den: 1n } : { num: mant, den: 1n << BigInt(-e) };
}

/** Python's `format(x, '.{p}g')` (p >= 1). */
export function formatG(x: number, p = 4): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { num, den } = exactRational(x);
  // Decimal exponent E with 10^E <= |x| < 10^(E+1), starting from the float estimate.
  let E = Math.floor(Math.log10(Math.abs(x)));
  const ge = (e: number) => (e >= 0 ? num >= den * 10n ** BigInt(e) : num * 10n ** BigInt(-e) >= den);
  while (!ge(E)) E--;
  while (ge(E + 1)) E++;
  // q = round_half_even(|x| * 10^(p-1-E))
  const shift = p - 1 - E;
  let n = num;
  let d = den;
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else d *= 10n ** BigInt(-shift);
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  if (q === 10n ** BigInt(p)) {
    q /= 10n;
    E += 1;
  }
  const digits = q.toString();
  if (E >= -4 && E < p) {
    let s: string;
    if (E >= 0) {
      const intPart = digits.slice(0, E + 1);
      const frac = digits.slice(E + 1);
      s = frac.length ? `${intPart}.${frac}` : intPart;
    } else {
      s = `0.${'0'.repeat(-E - 1)}${digits}`;
    }
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return sign + s;
  }
  let mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
  return `${sign}${mant}e${E < 0 ? '-' : '+'}${String(Math.abs(E)).padStart(2, '0')}`;
}

// ---- small dense linear algebra: pseudo-inverse solves via one-sided Jacobi SVD ----

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
function rankAndNullVector(A: readonly (readonly number[])[], m: number, n: number): { rank: number; nullVec?: number[] } {
  const a = A.map((r) => [...r]);
  let amax = 0;
  for (const r of a) for (const x of r) amax = Math.max(amax, Math.abs(x));
  const tol = 1e-12 * amax;
  const colOf: number[] = []; // pivot column of each pivot row
  const used = new Array<boolean>(n).fill(false);
  let rank = 0;
  while (rank < m) {
    let br = -1;
    let bc = -1;
    let best = tol;
    for (let r = rank; r < m; r++)
      for (let c = 0; c < n; c++)
        if (!used[c] && Math.abs(a[r]![c]!) > best) {
          best = Math.abs(a[r]![c]!);
          br = r;
          bc = c;
        }
    if (br < 0) break;
    [a[rank], a[br]] = [a[br]!, a[rank]!];
    const prow = a[rank]!;
    const p = prow[bc]!;
    for (let c = 0; c < n; c++) prow[c]! /= p;
    for (let r = 0; r < m; r++) {
      if (r === rank) continue;
      const f = a[r]![bc]!;
      if (f === 0) continue;
      for (let c = 0; c < n; c++) a[r]![c]! -= f * prow[c]!;
    }
    used[bc] = true;
    colOf.push(bc);
    rank++;
  }
  if (n - rank !== 1) return { rank };
  const free = used.indexOf(false);
  const v = new Array<number>(n).fill(0);
  v[free] = 1;
  colOf.forEach((c, r) => (v[c] = -a[r]![free]!));
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
function* combinations(lo: number, hi: number, k: number): Generator<number[]> {
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
