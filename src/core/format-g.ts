// Python's `format(x, '.{p}g')`, exactly (round-half-even on the exact binary value): how
// pymatgen prints reaction coefficients and energies, so strings compare character for character.
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
