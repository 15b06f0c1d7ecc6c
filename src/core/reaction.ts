// Balanced chemical reactions with pymatgen 2022.11's semantics (pymatgen.analysis.reaction_calculator):
// `Reaction.balance(reactants, products)` is pymatgen's `Reaction(reactants, products)` — the same
// least-squares balancing, the same choice among sign patterns — and `toString()` is its
// `str(reaction)` character for character, given the compositions in the same order.
import { Composition } from './composition.js';
import { formatG } from './format-g.js';
import { combinations, pinvSolve, rankAndNullVector, rankAndNullVectorFlat } from './linear-algebra.js';

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

/**
 * The coefficient of `products[k]` in `reactant → products`, normalised to one `reactant`, when
 * the stoichiometry alone fixes the reaction (a one-dimensional null space — always so for the
 * phases of a hull facet); undefined otherwise. One coefficient without `Reaction.balance`'s
 * search over pinned coefficients (most of a stability window's time went there).
 */
export function uniqueCoefficient(reactant: Composition, products: readonly Composition[], k: number): number | undefined {
  // rankAndNullVector's elimination on one reused flat matrix, elements (sorted) by compositions:
  // windows call this for every step of every profile.
  const n = products.length + 1;
  // The reactant's sorted elements (kept by the composition) when they hold every product's.
  let els: readonly string[] = reactant.sortedElements;
  if (products.some((c) => c.elements.some((el) => !reactant.has(el)))) {
    const all = [...reactant.elements];
    for (const c of products) for (const el of c.elements) if (!all.includes(el)) all.push(el);
    els = all.sort();
  }
  const m = els.length;
  if (scratch.length < m * n) scratch = new Float64Array(2 * m * n);
  const a = scratch;
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) a[r * n + c] = (c === 0 ? reactant : products[c - 1]!).amount(els[r]!);
  const { nullVec: v } = rankAndNullVectorFlat(a, m, n);
  if (!v) return undefined;
  const v0 = v[0]!;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (!(Math.abs(v0) > 1e-9 * norm)) return undefined;
  return -v[k + 1]! / v0 + 0;
}

let scratch = new Float64Array(64);
