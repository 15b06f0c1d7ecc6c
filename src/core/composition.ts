// Chemical compositions, with `formula` / `reducedFormula` reproducing pymatgen 2022.11's
// `Composition.formula` (spaces removed) and `Composition.reduced_formula` character for character.
import { electronegativity, isElementSymbol } from './elements.js';

export class FormulaError extends Error {
  override name = 'FormulaError';
}

/** pymatgen's `Composition.amount_tolerance`: it silently drops smaller amounts; we refuse them. */
const AMOUNT_TOL = 1e-8;

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

  private constructor(amounts: Map<string, number>) {
    if (amounts.size === 0) throw new FormulaError('empty composition');
    let n = 0;
    for (const [el, v] of amounts) {
      checkAmount(el, v);
      n += v; // same summation order as pymatgen's _natoms
    }
    this.#amounts = amounts;
    this.elements = Object.freeze([...amounts.keys()]);
    this.numAtoms = n;
    Object.freeze(this);
  }

  /**
   * Parses `Li6PS5Cl`, `Li10Ge(PS6)2`, `LiNi0.8Co0.15Al0.05O2`, `Ca3(Al(SiO4))2`, `[..]`,
   * `Li3 P S4`, `Li1e-05`; repeated elements are merged. Throws FormulaError naming the culprit.
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
    for (const [el, v] of amounts) {
      if (!Number.isFinite(v)) p.fail(`amount of '${el}' is not finite (${v})`);
      if (v < AMOUNT_TOL) p.fail(`amount of '${el}' (${v}) is below the tolerance ${AMOUNT_TOL}`);
    }
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
    return [...this.elements].sort().join('-');
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
      const whole = Number.isInteger(n) && n <= MAX_DEN && this.elements.every((el) => Number.isInteger(this.amount(el)));
      this.#key = [...this.elements]
        .sort()
        .map((el) => {
          if (!whole) return `${el}:${fractionKey(this.atomicFraction(el))}`;
          const a = this.amount(el);
          const g = gcd(a, n);
          return `${el}:${a / g}/${n / g}`;
        })
        .join(' ');
    }
    return this.#key;
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

// pymatgen sums group members one by one (amount × group factor), so do the same for equal floats.
function merge(terms: Array<[string, number]>, factor: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const [el, v] of terms) m.set(el, (m.get(el) ?? 0) + v * factor);
  return m;
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/y;

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new FormulaError(`${msg} in formula ${JSON.stringify(this.src)}`);
  }

  private ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i] as string)) this.i++;
  }

  /** Terms up to `closer` (or the end); a nested group contributes its merged totals. */
  terms(closer: ')' | ']' | null, openAt: number): Array<[string, number]> {
    const s = this.src;
    const out: Array<[string, number]> = [];
    for (;;) {
      this.ws();
      const at = this.i;
      const c = s[at];
      if (c === undefined) {
        if (closer !== null) this.fail(`unclosed '${closer === ')' ? '(' : '['}' at index ${openAt}`);
        return out;
      }
      if (c >= 'A' && c <= 'Z') {
        let j = at + 1;
        while (j < s.length && (s[j] as string) >= 'a' && (s[j] as string) <= 'z') j++;
        const sym = s.slice(at, j);
        if (!isElementSymbol(sym)) this.fail(`unknown element '${sym}' at index ${at}`);
        this.i = j;
        out.push([sym, this.amount(`'${sym}'`)]);
      } else if (c === '(' || c === '[') {
        this.i++;
        const inner = this.terms(c === '(' ? ')' : ']', at);
        if (inner.length === 0) this.fail(`empty group '${s.slice(at, this.i)}' at index ${at}`);
        out.push(...merge(inner, this.amount(`group at index ${at}`)));
      } else if (c === ')' || c === ']') {
        if (closer === null) this.fail(`unmatched '${c}' at index ${at}`);
        if (c !== closer) this.fail(`'${closer === ')' ? '(' : '['}' at index ${openAt} closed by '${c}' at index ${at}`);
        this.i++;
        return out;
      } else if ((c >= '0' && c <= '9') || c === '.') {
        NUMBER.lastIndex = at;
        const num = NUMBER.exec(s)?.[0] ?? c;
        this.fail(`amount '${num}' at index ${at} does not follow an element or group`);
      } else {
        this.fail(`unexpected character '${c}' at index ${at}`);
      }
    }
  }

  /** Optional amount after an element or group (whitespace allowed before it, as in pymatgen). */
  private amount(what: string): number {
    this.ws();
    const s = this.src;
    const at = this.i;
    const c = s[at];
    if (c === '-' || c === '+') {
      NUMBER.lastIndex = at + 1;
      const m = NUMBER.exec(s);
      if (m) this.fail(`${c === '-' ? 'negative' : 'signed'} amount '${c}${m[0]}' for ${what} at index ${at}`);
      return 1; // a lone sign is reported as an unexpected character by terms()
    }
    if (c === undefined || !((c >= '0' && c <= '9') || c === '.')) return 1;
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(s);
    if (!m) this.fail(`malformed amount '${c}' for ${what} at index ${at}`);
    const v = Number(m[0]);
    if (!Number.isFinite(v)) this.fail(`amount '${m[0]}' for ${what} at index ${at} is not finite`);
    if (v === 0) this.fail(`zero amount '${m[0]}' for ${what} at index ${at}`);
    this.i = at + m[0].length;
    return v;
  }
}

/**
 * CPython 3.11's list.sort for fewer than 64 items (one natural run, then binary insertion).
 * Element orders must be reproduced exactly even when `lt` is not a strict weak order: He, Ne,
 * Ar and Z >= 104 have NaN electronegativity, which compares false both ways, so where they
 * sit decides how (and whether) the other elements get sorted. For 64+ items, a stable sort
 * (identical to timsort whenever `lt` is a strict weak order).
 */
function pySort<T>(items: readonly T[], lt: (a: T, b: T) => boolean): T[] {
  const a = [...items];
  const n = a.length;
  if (n < 2) return a;
  if (n >= 64) return a.sort((x, y) => (lt(x, y) ? -1 : lt(y, x) ? 1 : 0));
  let run = 2;
  if (lt(a[1] as T, a[0] as T)) {
    while (run < n && lt(a[run] as T, a[run - 1] as T)) run++;
    a.splice(0, run, ...a.slice(0, run).reverse()); // strictly descending run: reversing is stable
  } else {
    while (run < n && !lt(a[run] as T, a[run - 1] as T)) run++;
  }
  for (let k = run; k < n; k++) {
    const pivot = a[k] as T;
    let l = 0;
    let r = k;
    while (l < r) {
      const p = l + ((r - l) >> 1);
      if (lt(pivot, a[p] as T)) r = p;
      else l = p + 1;
    }
    for (let p = k; p > l; p--) a[p] = a[p - 1] as T;
    a[l] = pivot;
  }
  return a;
}

// Exact gcd of integer-valued doubles (% is exact on doubles).
function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

/** pymatgen's reduce_formula(): divide by the gcd, write a trailing polyanion as `(PS6)2`. */
function reduceFormula(symAmt: ReadonlyMap<string, number>): [string, number] {
  const x = (s: string): number => electronegativity(s);
  // Python compares the keys [X, symbol]: NaN == NaN is false, so NaN keys never tie-break.
  let syms = pySort([...symAmt.keys()], (a, b) => (x(a) === x(b) ? a < b : x(a) < x(b)));
  const amts = [...symAmt.values()];
  const factor = amts.every(Number.isInteger) ? amts.reduce(gcd) : 1;
  let poly = '';
  const n = syms.length;
  if (n >= 3 && x(syms[n - 1] as string) - x(syms[n - 2] as string) < 1.65) {
    const pair = new Map(syms.slice(-2).map((s) => [s, (symAmt.get(s) as number) / factor] as [string, number]));
    const [polyForm, polyFactor] = reduceFormula(pair);
    if (polyFactor !== 1) {
      poly = `(${polyForm})${BigInt(polyFactor)}`;
      syms = syms.slice(0, -2);
    }
  }
  return [syms.map((s) => s + formatAmount((symAmt.get(s) as number) / factor, true)).join('') + poly, factor];
}

/** pymatgen.util.string.formula_double_format. */
function formatAmount(v: number, ignoreOnes: boolean): string {
  if (ignoreOnes && v === 1) return '';
  const t = Math.trunc(v);
  // Note: 2.999999999 truncates to 2, so it falls through and prints as "3.0", like pymatgen.
  if (Math.abs(v - t) < AMOUNT_TOL) return BigInt(t).toString();
  return pyRepr(pyRound8(v));
}

/** Python's round(v, 8): exact decimal rounding, ties to even (toFixed would round ties up). */
function pyRound8(v: number): number {
  let m = Math.abs(v);
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  const num = BigInt(m) * 100000000n;
  const den = 1n << BigInt(e);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const out = Number(`${q}e-8`);
  return v < 0 ? -out : out;
}

/** Python's repr(float): shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
function pyRepr(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = Math.abs(v).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  const decpt = exp + 1;
  let s: string;
  if (decpt <= -4 || decpt > 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    s = `${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (decpt <= 0) {
    s = `0.${'0'.repeat(-decpt)}${digits}`;
  } else if (decpt >= digits.length) {
    s = `${digits}${'0'.repeat(decpt - digits.length)}.0`;
  } else {
    s = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return v < 0 ? `-${s}` : s;
}

const MAX_DEN = 5000;
const SNAP_TOL = 1e-8;

/** `p/q` if f is within 1e-8 of a rational with q <= 5000 (found among continued-fraction convergents), else 8 decimals. */
function fractionKey(f: number): string {
  let h0 = 0;
  let h1 = 1;
  let k0 = 1;
  let k1 = 0;
  let y = f;
  for (;;) {
    const a = Math.floor(y);
    const h = a * h1 + h0;
    const k = a * k1 + k0;
    if (k > MAX_DEN) break;
    if (h > 0 && Math.abs(f - h / k) <= SNAP_TOL) return `${h}/${k}`; // never snap to 0/1
    const r = y - a;
    if (r === 0) break;
    y = 1 / r;
    h0 = h1;
    h1 = h;
    k0 = k1;
    k1 = k;
  }
  return f.toFixed(8);
}
