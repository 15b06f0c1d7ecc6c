/**
 * The bits of numpy and CPython that pymatgen's reaction strings rest on, reproduced exactly:
 * Python's `format(x, '.4g')` of the coefficients, numpy.isclose of the end-point tests, and the
 * order of the set {c1, c2} that decides the order of the reactants. Apart from the balancing
 * because they are about Python, not chemistry.
 */
import { type Composition, ELEMENT_SYMBOLS, formatG, sameAmounts } from '../core/index.js';

/**
 * Python's `format(x, '.4g')` for finite x ≠ 0. JavaScript's toExponential/toFixed round the
 * exact binary value correctly too, except on an exact tie (they round half up, Python half to
 * even). A tie needs x to equal a 5-significant-digit decimal ending in 5, whose shortest repr is
 * then those 5 digits: such values go to core's exact `formatG`.
 */
export function pyFormatG4(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatG(x, 4);
  const shortest = Math.abs(x).toExponential(); // shortest round-trip digits
  const digits = shortest.slice(0, shortest.indexOf('e')).replace('.', '');
  if (digits.length === 5 && digits[4] === '5') return formatG(x, 4);
  const ex = x.toExponential(3); // d.ddde±E, correctly rounded
  const cut = ex.indexOf('e');
  const e = Number(ex.slice(cut + 1));
  if (e < -4 || e >= 4) {
    const mant = ex.slice(0, cut).replace(/\.?0+$/, '');
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(3 - e);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** numpy.isclose(a, b) with its defaults (rtol 1e-5, atol 1e-8). */
export function pyIsClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

const U64 = (1n << 64n) - 1n;

/** CPython 3.11's hash of a frozenset of small ints (hash(i) = i): pymatgen's Composition hash (Element hash = Z). */
function frozensetHash(items: readonly number[]): bigint {
  const shuffle = (h: bigint) => ((h ^ 89869747n ^ ((h << 16n) & U64)) * 3644798167n) & U64;
  let h = 0n;
  for (const i of items) h ^= shuffle(BigInt(i));
  h ^= (BigInt(items.length + 1) * 1927868237n) & U64;
  h ^= (h >> 11n) ^ (h >> 25n);
  h = (h * 69069n + 907133923n) & U64;
  if (h === U64) h = 590923713n;
  return h;
}

/** The order of `list({a, b})` for two pymatgen Compositions (CPython 3.11 set of 8 slots, equal ones merged). */
export function pySetOrder(a: Composition, b: Composition): Composition[] {
  if (sameAmounts(a, b)) return [a];
  const key = `${a.formula} ${b.formula}`;
  let first = setOrderCache.get(key);
  if (first === undefined) {
    first = pySetOrderUncached(a, b)[0] === a ? 0 : 1;
    if (setOrderCache.size >= 4096) setOrderCache.clear();
    setOrderCache.set(key, first);
  }
  return first === 0 ? [a, b] : [b, a];
}

const setOrderCache = new Map<string, 0 | 1>();

function pySetOrderUncached(a: Composition, b: Composition): Composition[] {
  const slots: Array<Composition | undefined> = new Array(8);
  for (const c of [a, b]) {
    const h = frozensetHash(c.elements.map(atomicNumber));
    let i = h & 7n;
    let perturb = h;
    while (slots[Number(i)] !== undefined) {
      perturb >>= 5n;
      i = (i * 5n + 1n + perturb) & 7n;
    }
    slots[Number(i)] = c;
  }
  return slots.filter((c): c is Composition => c !== undefined);
}

const Z = new Map(ELEMENT_SYMBOLS.map((s, i) => [s, i + 1]));
function atomicNumber(el: string): number {
  return Z.get(el)!;
}
