// The formula grammar: elements with amounts (integers, decimals, exponents, and fractions `a/b`
// such as `LiNi1/3Mn1/3Co1/3O2`, which pymatgen lacks), nested groups in () and [] with factors,
// whitespace between terms. Kept apart from Composition so the grammar can be read (and fuzzed)
// on its own; amounts are merged as pymatgen merges them.
//
//   formula := term*        term := (element | '(' formula ')' | '[' formula ']') amount?
//   amount  := number ('/' number)?   (whitespace allowed before the amount and around '/')
//   number  := digits ['.' digits] | '.' digits, optionally followed by e[+-]digits
// A fraction's value is number / number in double precision (1/3 → 0.333…, exactly as 1 / 3 in
// JavaScript); a zero denominator and a '/' without a denominator are errors naming the amount.
import { isElementSymbol } from './elements.js';
import { FormulaError } from './formula-error.js';

// pymatgen sums group members one by one (amount × group factor), so do the same for equal floats.
export function merge(terms: Array<[string, number]>, factor: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const [el, v] of terms) m.set(el, (m.get(el) ?? 0) + v * factor);
  return m;
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/y;

/** Deeper nesting is refused (a recursion per level: the stack would overflow first). */
const MAX_DEPTH = 100;

export class Parser {
  i = 0;
  private depth = 0;
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
        if (++this.depth > MAX_DEPTH) this.fail(`groups nested deeper than ${MAX_DEPTH} at index ${at}`);
        this.i++;
        const inner = this.terms(c === '(' ? ')' : ']', at);
        this.depth--;
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
    return this.fraction(v, m[0], at, what);
  }

  /** `/ number` after an amount: the amount divided by it (none: the amount itself). */
  private fraction(numerator: number, text: string, at: number, what: string): number {
    const s = this.src;
    const back = this.i;
    this.ws();
    if (s[this.i] !== '/') {
      this.i = back;
      return numerator;
    }
    this.i++;
    this.ws();
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(s);
    if (!m) this.fail(`fraction '${s.slice(at, this.i).trim()}' for ${what} at index ${at} lacks a denominator`);
    const shown = `${text}/${m[0]}`;
    const den = Number(m[0]);
    if (den === 0) this.fail(`division by zero in the amount '${shown}' for ${what} at index ${at}`);
    const v = numerator / den;
    if (!Number.isFinite(v)) this.fail(`amount '${shown}' for ${what} at index ${at} is not finite`);
    if (v === 0) this.fail(`zero amount '${shown}' for ${what} at index ${at}`);
    this.i += m[0].length;
    return v;
  }
}
