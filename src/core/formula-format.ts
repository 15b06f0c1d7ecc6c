// pymatgen 2022.11's formula writing, reproduced exactly: its element ordering (by
// electronegativity, Python's stable sort), reduction by the gcd, amounts printed as Python's
// repr/round print them, and the key that identifies a composition up to scale.
import { electronegativity } from './elements.js';

/** pymatgen's `Composition.amount_tolerance`: it silently drops smaller amounts; Composition refuses them. */
export const AMOUNT_TOL = 1e-8;

/**
 * CPython 3.11's list.sort for fewer than 64 items (one natural run, then binary insertion).
 * Element orders must be reproduced exactly even when `lt` is not a strict weak order: He, Ne,
 * Ar and Z >= 104 have NaN electronegativity, which compares false both ways, so where they
 * sit decides how (and whether) the other elements get sorted. For 64+ items, a stable sort
 * (identical to timsort whenever `lt` is a strict weak order).
 */
export function pySort<T>(items: readonly T[], lt: (a: T, b: T) => boolean): T[] {
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
export function gcd(a: number, b: number): number {
  // A plain swap, not [a, b] = [b, a % b]: that allocates an array per step until optimised.
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return Math.abs(a);
}

/** pymatgen's reduce_formula(): divide by the gcd, write a trailing polyanion as `(PS6)2`. */
export function reduceFormula(symAmt: ReadonlyMap<string, number>): [string, number] {
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
export function formatAmount(v: number, ignoreOnes: boolean): string {
  if (ignoreOnes && v === 1) return '';
  const t = Math.trunc(v);
  // Note: 2.999999999 truncates to 2, so it falls through and prints as "3.0", like pymatgen.
  // String(t) is every digit only for safe integers (2^60 prints as 1152921504606847000); BigInt beyond.
  if (Math.abs(v - t) < AMOUNT_TOL) return Number.isSafeInteger(t) ? String(t) : BigInt(t).toString();
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

export const MAX_DEN = 5000;
const SNAP_TOL = 1e-8;

/**
 * `p/q` if f is within 1e-8 of a rational with q <= 5000 (found among continued-fraction
 * convergents), else f to 8 significant digits: relative, so that tiny fractions (Ti800000000S1,
 * S at 1.25e-9) stay apart instead of all rounding to 0 (which made them one composition).
 */
export function fractionKey(f: number): string {
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
  return f.toPrecision(8);
}
