// A dataset's entries as flat columns, made in one pass over their compositions: each entry's
// elements (alphabetical ranks) and atomic fractions, in the composition's own order (formation
// energies are summed in it), whether its amounts are whole, and its chemical system. Everything a
// SystemIndex needs per entry (formation energies, composition groups, candidate rows) is read
// from them: per-entry objects and strings (85,000 for the MP table: fraction arrays, sorted
// element lists, system keys) cost a third of the table's hull in allocation and garbage.
import { ALPHABETICAL_RANK, type Entry, MAX_DEN } from '../core/index.js';
import { fractionTooSmall, HullError, MIN_ATOMIC_FRACTION } from './hull.js';
import { withElementalReferences } from './references.js';
import { SystemMembers, systemCode } from './system-members.js';

/** The columns, grown as entries are added; callers read them (at, rank, frac) and do not write. */
export class EntryColumns {
  /** Entry i's slots are [at[i], at[i + 1]). */
  at: Int32Array;
  /** Per slot: the element's rank in ALPHABETICAL_SYMBOLS (core) and its atomic fraction. */
  rank: Uint8Array;
  frac: Float64Array;
  /** Whether every entry has whole amounts and at most MAX_DEN atoms (then fractions group it). */
  allWhole = true;
  /** The entries by chemical system. */
  readonly members = new SystemMembers();
  private n = 0;
  private readonly sorted = new Uint8Array(128);

  /** Room for `entries` entries of `slots` elements in all; `what` names an entry in errors. */
  constructor(
    entries: number,
    slots: number,
    private readonly what = 'entry',
  ) {
    this.at = new Int32Array(entries + 1);
    this.rank = new Uint8Array(slots);
    this.frac = new Float64Array(slots);
  }

  /** Room for the elements of `entries` and as many more entries of one element (references). */
  static for(entries: readonly Entry[], what?: string): EntryColumns {
    let slots = 0;
    for (let i = 0; i < entries.length; i++) slots += entries[i]!.composition.elements.length;
    return new EntryColumns(entries.length + 128, slots + 128, what);
  }

  /**
   * The columns of `input` and of the elemental references added for formation-energy data
   * (withElementalReferences), those entries, and the elements of their systems (alphabetical).
   */
  static withReferences(input: readonly Entry[], what?: string): { cols: EntryColumns; entries: Entry[]; elements: string[] } {
    const cols = EntryColumns.for(input, what);
    for (let i = 0; i < input.length; i++) cols.add(input[i]!);
    const elements = cols.members.elements();
    const entries = withElementalReferences([...input], elements);
    for (let i = input.length; i < entries.length; i++) cols.add(entries[i]!);
    return { cols, entries, elements };
  }

  /** Adds entry e as the next one (index n); a fraction below MIN_ATOMIC_FRACTION throws, naming it. */
  add(e: Entry): void {
    const c = e.composition;
    const els = c.elements;
    const m = els.length;
    const i = this.n;
    const t0 = this.at[i]!;
    if (i + 2 > this.at.length || t0 + m > this.rank.length) this.grow(m);
    const { rank, frac, sorted } = this;
    const n = c.numAtoms;
    let whole = Number.isInteger(n) && n <= MAX_DEN;
    for (let k = 0; k < m; k++) {
      const el = els[k]!;
      const a = c.amount(el);
      const f = a / n;
      if (f < MIN_ATOMIC_FRACTION) throw new HullError(`${this.what} ${JSON.stringify(e.id)} (${c.formula}): ${fractionTooSmall(el, f)}`);
      if (whole && !Number.isInteger(a)) whole = false;
      const r = ALPHABETICAL_RANK.get(el)!;
      rank[t0 + k] = r;
      frac[t0 + k] = f;
      // The ranks ascending (insertion: a handful of elements) for the system's code.
      let j = k;
      for (; j > 0 && sorted[j - 1]! > r; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = r;
    }
    if (!whole) this.allWhole = false;
    this.at[i + 1] = t0 + m;
    this.members.add(systemCode(sorted, m), m, i);
    this.n = i + 1;
  }

  /** Formation energy per atom of each entry: its energy per atom less its elements' references' (by fraction). */
  formationEnergies(entries: readonly Entry[], refs: ReadonlyMap<string, Entry>): Float64Array {
    const refE = new Float64Array(ALPHABETICAL_RANK.size);
    for (const [el, ref] of refs) refE[ALPHABETICAL_RANK.get(el)!] = ref.energyPerAtom;
    const { at, rank, frac } = this;
    const out = new Float64Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      let ref = 0;
      for (let t = at[i]!; t < at[i + 1]!; t++) ref += frac[t]! * refE[rank[t]!]!;
      out[i] = entries[i]!.energyPerAtom - ref;
    }
    return out;
  }

  /**
   * A number shared by entries of equal atomic fractions (the same elements, the fractions equal
   * doubles), whatever the order of their elements: for whole amounts of at most MAX_DEN atoms
   * these are the compositions of equal keys (distinct fractions p/q with q <= MAX_DEN lie >= 4e-8
   * apart). `sameFractions` settles an equal hash.
   */
  fractionHash(i: number): number {
    let h = 0;
    for (let t = this.at[i]!; t < this.at[i + 1]!; t++) h = (h + mixFraction(this.rank[t]!, this.frac[t]!)) | 0;
    return h;
  }

  /** Whether entries i and j have the same elements at the same atomic fractions, as doubles. */
  sameFractions(i: number, j: number): boolean {
    const { at, rank, frac } = this;
    const a = at[i]!;
    const b = at[j]!;
    const m = at[i + 1]! - a;
    if (at[j + 1]! - b !== m) return false;
    // Polymorphs usually list their elements in the same order: compared in place.
    let k = 0;
    while (k < m && rank[a + k] === rank[b + k] && frac[a + k] === frac[b + k]) k++;
    for (; k < m; k++) {
      let q = 0;
      while (q < m && rank[b + q] !== rank[a + k]) q++;
      if (q === m || frac[b + q] !== frac[a + k]) return false;
    }
    return true;
  }

  private grow(m: number): void {
    const at = new Int32Array(2 * this.at.length + 2);
    at.set(this.at);
    this.at = at;
    const rank = new Uint8Array(2 * this.rank.length + m);
    rank.set(this.rank);
    this.rank = rank;
    const frac = new Float64Array(rank.length);
    frac.set(this.frac);
    this.frac = frac;
  }
}

const mixF64 = new Float64Array(1);
const mixU32 = new Uint32Array(mixF64.buffer);

/** A 32-bit mix of an element's rank and its fraction's bits. */
function mixFraction(code: number, fraction: number): number {
  mixF64[0] = fraction;
  let h = Math.imul(mixU32[0]! ^ Math.imul(code + 1, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ mixU32[1]! ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
