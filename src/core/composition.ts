// Chemical compositions, with `formula` / `reducedFormula` reproducing pymatgen 2022.11's
// `Composition.formula` (spaces removed) and `Composition.reduced_formula` character for character.
import { FormulaError } from './formula-error.js';
import { electronegativity, isElementSymbol } from './elements.js';
import { AMOUNT_TOL, formatAmount, fractionKey, gcd, MAX_DEN, pySort, reduceFormula } from './formula-format.js';
import { merge, Parser } from './formula-parser.js';

export { FormulaError };

// pymatgen writes these reduced formulas as molecules/peroxides (and halves the factor).
// biome-ignore format: peroxides, then diatomic molecules
const SPECIAL_FORMULAS: Readonly<Record<string, string>> = {
  LiO: 'Li2O2', NaO: 'Na2O2', KO: 'K2O2', HO: 'H2O2', CsO: 'Cs2O2', RbO: 'Rb2O2',
  O: 'O2', N: 'N2', F: 'F2', Cl: 'Cl2', H: 'H2',
};

/** An immutable composition: element symbol -> positive amount, in order of first appearance. */
export class Composition {
  static readonly AMOUNT_TOLERANCE = AMOUNT_TOL;

  /** Element symbols in order of first appearance. */
  readonly elements: readonly string[];
  /** Total number of atoms (sum of amounts). */
  readonly numAtoms: number;
  readonly #amounts: ReadonlyMap<string, number>;
  #formula?: string;
  #reduced?: { formula: string; factor: number };
  #key?: string;
  #system?: string;
  #sorted?: readonly string[];
  #fractionArray?: Float64Array;

  private constructor(amounts: Map<string, number>) {
    if (amounts.size === 0) throw new FormulaError('empty composition');
    let n = 0;
    for (const [el, v] of amounts) {
      checkAmount(el, v);
      n += v; // same summation order as pymatgen's _natoms
    }
    // Finite amounts can still add up past the largest double (O1.8e308I1e308): no atom count, no fractions.
    if (!Number.isFinite(n)) throw new FormulaError(`total number of atoms is not finite: the amounts (${[...amounts].map(([el, v]) => `${el} ${v}`).join(', ')}) add up past ${Number.MAX_VALUE}`);
    this.#amounts = amounts;
    this.elements = Object.freeze([...amounts.keys()]);
    this.numAtoms = n;
    Object.freeze(this);
  }

  /**
   * Parses `Li6PS5Cl`, `Li10Ge(PS6)2`, `LiNi0.8Co0.15Al0.05O2`, `Ca3(Al(SiO4))2`, `[..]`,
   * `Li3 P S4`, `Li1e-05`, and fractions `LiNi1/3Mn1/3Co1/3O2` (an amount `a/b` is a / b; not in
   * pymatgen); repeated elements are merged. Throws FormulaError naming the culprit.
   */
  static parse(formula: string): Composition {
    if (typeof formula !== 'string') {
      throw new FormulaError(`formula must be a string, got ${typeof formula} ${String(formula)}`);
    }
    if (formula.trim() === '') throw new FormulaError('empty formula');
    // "NaN" is what a missing number stringifies to, so refuse it rather than read Na1N1.
    if (formula.trim() === 'NaN') {
      throw new FormulaError('formula "NaN" looks like a missing value; write the compound NaN as "NNa" or "Na1N1"');
    }
    const p = new Parser(formula);
    const amounts = merge(p.terms(null, -1), 1);
    let total = 0;
    for (const [el, v] of amounts) {
      if (!Number.isFinite(v)) p.fail(`amount of '${el}' is not finite (${v})`);
      if (v < AMOUNT_TOL) p.fail(`amount of '${el}' (${v}) is below the tolerance ${AMOUNT_TOL}`);
      total += v;
    }
    if (!Number.isFinite(total)) p.fail(`total number of atoms is not finite (the amounts add up past ${Number.MAX_VALUE})`);
    return new Composition(amounts);
  }

  /** From `{Li: 2, O: 1}`; every amount must be a finite number >= 1e-8 (nothing is dropped). */
  static fromDict(amounts: Record<string, number>): Composition {
    if (amounts === null || typeof amounts !== 'object') {
      throw new FormulaError(`composition must be an object of element amounts, got ${String(amounts)}`);
    }
    const m = new Map<string, number>();
    for (const [el, v] of Object.entries(amounts)) {
      if (!isElementSymbol(el)) throw new FormulaError(`unknown element '${el}'`);
      m.set(el, v);
    }
    return new Composition(m);
  }

  amount(el: string): number {
    return this.#amounts.get(el) ?? 0;
  }

  has(el: string): boolean {
    return this.#amounts.has(el);
  }

  atomicFraction(el: string): number {
    return this.amount(el) / this.numAtoms;
  }

  /**
   * Atomic fractions in the order of `elements` (the numbers `atomicFraction` gives), computed
   * once and shared: hull code reads them for every entry on every build. Do not modify.
   */
  get fractionArray(): Float64Array {
    if (this.#fractionArray === undefined) {
      const a = new Float64Array(this.elements.length);
      for (let k = 0; k < a.length; k++) a[k] = this.amount(this.elements[k]!) / this.numAtoms;
      this.#fractionArray = a;
    }
    return this.#fractionArray;
  }

  fractions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [el, v] of this.#amounts) out[el] = v / this.numAtoms;
    return out;
  }

  toDict(): Record<string, number> {
    return Object.fromEntries(this.#amounts);
  }

  toJSON(): Record<string, number> {
    return this.toDict();
  }

  toString(): string {
    return this.formula;
  }

  /** pymatgen's `formula` without spaces: `Li8P8`, `Li1`, `Li0.5Co1O2`. */
  get formula(): string {
    if (this.#formula === undefined) {
      const syms = pySort(this.elements, (a, b) => electronegativity(a) < electronegativity(b));
      this.#formula = syms.map((s) => s + formatAmount(this.amount(s), false)).join('');
    }
    return this.#formula;
  }

  /** pymatgen's `reduced_formula`: `LiFePO4`, `Li10Ge(PS6)2`, `O2`, `Li2O2`, `Li0.5Co1O2`. */
  get reducedFormula(): string {
    return this.#reducedFormulaAndFactor().formula;
  }

  /** pymatgen's `get_reduced_composition_and_factor()`: `this = composition × factor`. */
  reduced(): { composition: Composition; factor: number } {
    const { factor } = this.#reducedFormulaAndFactor();
    const m = new Map<string, number>();
    for (const [el, v] of this.#amounts) m.set(el, v / factor);
    return { composition: new Composition(m), factor };
  }

  /** Elements sorted alphabetically, joined by '-': `Cl-Li-P-S`. */
  get chemicalSystem(): string {
    this.#system ??= this.#sortedElements().join('-');
    return this.#system;
  }

  /**
   * Canonical string for grouping compositions by atomic fractions (alphabetical elements).
   * A fraction within 1e-8 of a rational p/q with q <= 5000 is written exactly as `p/q`: real
   * reduced formulas have well under 5000 atoms, so float noise never splits a group, and
   * distinct such rationals are >= 4e-8 apart, so it never merges two. Otherwise (rare) the
   * fraction is rounded to 8 decimals.
   */
  get key(): string {
    if (this.#key === undefined) {
      // Whole amounts and at most MAX_DEN atoms: the fraction a/N is exactly the rational that
      // fractionKey would find (lowest terms), without its continued-fraction search.
      const n = this.numAtoms;
      const sorted = this.#sortedElements();
      let whole = Number.isInteger(n) && n <= MAX_DEN;
      for (let k = 0; whole && k < sorted.length; k++) whole = Number.isInteger(this.amount(sorted[k]!));
      // Joined, not concatenated: a flat string hashes at once as a map key (a table groups 85k).
      const parts: string[] = [];
      for (let k = 0; k < sorted.length; k++) {
        const el = sorted[k]!;
        if (whole) {
          const a = this.amount(el);
          const g = gcd(a, n);
          parts.push(`${el}:${a / g}/${n / g}`);
        } else parts.push(`${el}:${fractionKey(this.atomicFraction(el))}`);
      }
      this.#key = parts.join(' ');
    }
    return this.#key;
  }

  /** Whether `key` was made already (grouping by keys is then the cheaper way). */
  get keyKnown(): boolean {
    return this.#key !== undefined;
  }

  /** The elements in alphabetical (code unit) order, kept: the key and the chemical system use them. */
  #sortedElements(): readonly string[] {
    this.#sorted ??= Object.freeze(sortedCopy(this.elements));
    return this.#sorted;
  }

  /** The elements in alphabetical (code unit) order (one frozen array, kept). */
  get sortedElements(): readonly string[] {
    return this.#sortedElements();
  }

  /** Same elements, and atomic fractions within `tol`. */
  equals(other: Composition, tol = AMOUNT_TOL): boolean {
    if (other.elements.length !== this.elements.length) return false;
    for (const el of this.elements) {
      if (!other.has(el) || Math.abs(this.atomicFraction(el) - other.atomicFraction(el)) > tol) return false;
    }
    return true;
  }

  scale(f: number): Composition {
    if (typeof f !== 'number' || !Number.isFinite(f) || f <= 0) {
      throw new FormulaError(`scale factor must be a finite number > 0, got ${String(f)}`);
    }
    const m = new Map<string, number>();
    for (const [el, v] of this.#amounts) m.set(el, v * f);
    return new Composition(m);
  }

  add(other: Composition): Composition {
    const m = new Map(this.#amounts);
    for (const [el, v] of other.#amounts) m.set(el, (m.get(el) ?? 0) + v);
    return new Composition(m);
  }

  // pymatgen get_reduced_formula_and_factor: non-integer amounts are not reduced at all.
  #reducedFormulaAndFactor(): { formula: string; factor: number } {
    if (this.#reduced === undefined) {
      const amts = [...this.#amounts.values()];
      if (!amts.every((x) => Math.abs(x - Math.round(x)) < AMOUNT_TOL)) {
        this.#reduced = { formula: this.formula, factor: 1 };
      } else {
        const ints = new Map([...this.#amounts].map(([el, v]) => [el, Math.round(v)] as [string, number]));
        let [formula, factor] = reduceFormula(ints);
        const special = SPECIAL_FORMULAS[formula];
        if (special !== undefined) {
          formula = special;
          factor /= 2;
        }
        this.#reduced = { formula, factor };
      }
    }
    return this.#reduced;
  }
}

function checkAmount(el: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    const shown = typeof v === 'string' ? JSON.stringify(v) : String(v);
    throw new FormulaError(`amount of '${el}' must be a finite number > 0, got ${shown}`);
  }
  if (v < AMOUNT_TOL) throw new FormulaError(`amount of '${el}' (${v}) is below the tolerance ${AMOUNT_TOL}`);
}

/**
 * A sorted copy of a few element symbols (code-unit order, as `Array.prototype.sort`'s default):
 * an insertion sort, since the built-in sort allocates its work state per call (~70 MB over the
 * 85,000 compositions of the MP table, whose systems and keys each need it once).
 */
function sortedCopy(els: readonly string[]): string[] {
  const out = new Array<string>(els.length);
  for (let i = 0; i < els.length; i++) {
    const v = els[i]!;
    let j = i;
    for (; j > 0 && out[j - 1]! > v; j--) out[j] = out[j - 1]!;
    out[j] = v;
  }
  return out;
}
