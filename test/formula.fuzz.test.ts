import { describe, expect, it } from 'vitest';
import { Composition, FormulaError } from '../src/core/composition.js';
import { mulberry32 } from './helpers/random.js';

// The formula parser on 10^5 seeded random strings built from the pieces formulas are made of
// (symbols real and not, amounts from 0 to 1e308 and below 1e-8, brackets, signs, exponents,
// spaces, stray characters): every string either parses into a composition whose atom count,
// fractions, formulas and key are all finite and consistent, or throws FormulaError — never
// another error, never a hang, never an infinite or NaN total.

// biome-ignore format: a table of pieces
const PIECES = [
  'Li', 'O', 'P', 'S', 'Cl', 'Na', 'N', 'Co', 'Ti', 'He', 'Og', 'Xx', 'Q', 'l', 'i', 'o', 'NaN',
  '1', '2', '3', '10', '0', '00', '0.5', '.5', '5.', '1e-8', '1e-9', '2e-300', '1e308', '1.7976931348623157e308', '1e309',
  '9007199254740993', '1e16', '0.333333333', '1/3', 'e', 'e-', 'e+', 'E5', '-', '+', '-1', '+2', '.', '..',
  '(', ')', '[', ']', '((', '))', '()', '[]', ' ', '  ', '\t', '\n', ',', '·', '·H2O', 'µ', '\u0000', '\uFEFF', '𝐋𝐢', '"',
];

const SYMBOLS = ['Li', 'O', 'P', 'S', 'Cl', 'La', 'Zr', 'Ti', 'Ge', 'H', 'Og', 'He'];
const AMOUNTS = ['', '', '2', '3', '12', '0.5', '.25', '1e-8', '2e-8', '1e-9', '1e8', '8e8', '1e300', '1.7976931348623157e308', '1e-300', '0'];

/** Half of the strings: pieces at random; the other half: formulas by the grammar, sometimes with a piece spliced in. */
function randomFormula(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  if (rnd() < 0.5) {
    const n = Math.floor(rnd() * 14);
    let s = '';
    for (let i = 0; i < n; i++) s += pick(PIECES);
    return s;
  }
  const term = (depth: number): string => {
    if (depth < 3 && rnd() < 0.2) {
      const [o, c] = pick([
        ['(', ')'],
        ['[', ']'],
      ] as const);
      let inner = '';
      for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) inner += term(depth + 1);
      return `${o}${inner}${c}${pick(AMOUNTS)}`;
    }
    return `${pick(SYMBOLS)}${pick(AMOUNTS)}`;
  };
  let s = '';
  for (let i = 1 + Math.floor(rnd() * 4); i > 0; i--) s += term(0);
  if (rnd() < 0.3) {
    const at = Math.floor(rnd() * (s.length + 1));
    s = s.slice(0, at) + pick(PIECES) + s.slice(at);
  }
  return s;
}

/** What must hold of any composition the parser returns. */
function invariants(c: Composition): string | undefined {
  if (!(Number.isFinite(c.numAtoms) && c.numAtoms > 0)) return `numAtoms ${c.numAtoms}`;
  let sum = 0;
  for (const el of c.elements) {
    const a = c.amount(el);
    const f = c.atomicFraction(el);
    if (!(Number.isFinite(a) && a >= Composition.AMOUNT_TOLERANCE)) return `amount of ${el} ${a}`;
    if (!(Number.isFinite(f) && f > 0 && f <= 1)) return `fraction of ${el} ${f}`;
    sum += f;
  }
  if (Math.abs(sum - 1) > 1e-12) return `fractions add up to ${sum}`;
  for (const s of [c.formula, c.reducedFormula, c.chemicalSystem]) if (typeof s !== 'string' || s === '' || /Infinity/.test(s)) return `a formula ${JSON.stringify(s)}`;
  // The key: El:p/q or El:fraction per element, every number finite.
  for (const part of c.key.split(' ')) {
    const v = part.split(':')[1] ?? '';
    const [p, q = '1'] = v.split('/');
    if (!(Number.isFinite(Number(p)) && Number.isFinite(Number(q)) && Number(q) > 0)) return `key ${c.key}`;
  }
  return undefined;
}

describe('formula parser fuzz (seeded)', () => {
  it('10^5 random strings: a consistent finite composition or FormulaError, nothing else', () => {
    const rnd = mulberry32(1414);
    const bad: string[] = [];
    let parsed = 0;
    for (let t = 0; t < 100_000; t++) {
      const f = randomFormula(rnd);
      try {
        const c = Composition.parse(f);
        parsed++;
        const why = invariants(c);
        if (why) bad.push(`${JSON.stringify(f)}: ${why}`);
      } catch (e) {
        if (!(e instanceof FormulaError)) bad.push(`${JSON.stringify(f)}: ${String(e)}`);
      }
      if (bad.length > 10) break;
    }
    expect(bad).toEqual([]);
    expect(parsed).toBeGreaterThan(5000); // the generator does reach valid formulas
  });

  it('refuses amounts that add up past the largest double (issue 14: an infinite atom count was accepted)', () => {
    for (const f of ['O1.7976931348623157e308I1e308', '(O1e308)2', 'Li1e308Li1e308', 'H1.7976931348623157e308He1.7976931348623157e308']) {
      expect(() => Composition.parse(f), f).toThrow(FormulaError);
      expect(() => Composition.parse(f), f).toThrow(/not finite/);
    }
    expect(() => Composition.fromDict({ O: 1.7976931348623157e308, I: 1e308 })).toThrow(/total number of atoms is not finite/);
    expect(() => Composition.parse('O1e308').add(Composition.parse('O1e308I1e308'))).toThrow(FormulaError);
    expect(() => Composition.parse('O1e308I1e307').scale(10)).toThrow(FormulaError);
    // The largest total that is still finite parses, with finite fractions.
    const big = Composition.parse('O1e308I7e307');
    expect(invariants(big)).toBeUndefined();
  });

  it('refuses deep nesting with FormulaError instead of overflowing the stack', () => {
    const deep = `${'('.repeat(100_000)}Li${')'.repeat(100_000)}`;
    expect(() => Composition.parse(deep)).toThrow(/nested deeper than 100/);
    expect(Composition.parse(`${'('.repeat(100)}Li${')2'.repeat(100)}`).amount('Li')).toBe(2 ** 100);
  });
});
