// A dataset's entries by chemical system, flat: each entry's system found by a code made from its
// elements' alphabetical ranks (a number up to 7 elements), and the systems in the order a
// SystemIndex solves them (by number of elements: subsystems first) with their entries as one
// array. A table has ~40,000 systems met 85,000 times: no object, array or string per system or
// entry is made here (a system's key and elements are made when asked for, from its code).
import { ALPHABETICAL_RANK, ALPHABETICAL_SYMBOLS } from '../core/index.js';

/**
 * A chemical system as a code: its elements' alphabetical ranks (ALPHABETICAL_RANK) + 1, ascending
 * (`ranks[0, m)`), as base-128 digits — exact up to 7 elements — and beyond as a string of them.
 */
export function systemCode(ranks: ArrayLike<number>, m: number): number | string {
  if (m > 7) return String.fromCharCode(...Array.from({ length: m }, (_, k) => ranks[k]! + 1));
  let code = 0;
  for (let k = 0; k < m; k++) code = code * 128 + ranks[k]! + 1;
  return code;
}

/** The alphabetical ranks of a system code's elements, ascending, into `out` from `at`; how many. */
export function writeRanks(code: number | string, out: { [k: number]: number }, at = 0): number {
  if (typeof code === 'string') {
    for (let k = 0; k < code.length; k++) out[at + k] = code.charCodeAt(k) - 1;
    return code.length;
  }
  let m = 0;
  for (let c = code; c > 0; c = Math.floor(c / 128)) m++;
  for (let k = m - 1; k >= 0; k--, code = Math.floor(code / 128)) out[at + k] = (code % 128) - 1;
  return m;
}

const scratch = new Int32Array(128);

/** Entries met one at a time, each with its system's code. */
export class SystemMembers {
  private readonly idOf = new Map<number | string, number>();
  private readonly codes: (number | string)[] = [];
  private readonly sizes: number[] = [];
  private readonly counts: number[] = [];
  private sysOf = new Int32Array(1024);
  private n = 0;

  /** Entry i (entries come in order: i is the next one) belongs to the system of `code`, of m elements. */
  add(code: number | string, m: number, i: number): void {
    let s = this.idOf.get(code);
    if (s === undefined) {
      s = this.codes.length;
      this.idOf.set(code, s);
      this.codes.push(code);
      this.sizes.push(m);
      this.counts.push(0);
    }
    this.counts[s]!++;
    if (i >= this.sysOf.length) {
      const grown = new Int32Array(2 * this.sysOf.length + i);
      grown.set(this.sysOf);
      this.sysOf = grown;
    }
    this.sysOf[i] = s;
    this.n = i + 1;
  }

  /** Every element of the systems, alphabetical. */
  elements(): string[] {
    const seen = new Uint8Array(ALPHABETICAL_SYMBOLS.length);
    for (const code of this.codes) for (let k = 0, m = writeRanks(code, scratch); k < m; k++) seen[scratch[k]!] = 1;
    return ALPHABETICAL_SYMBOLS.filter((_, r) => seen[r] === 1);
  }

  /** The systems in solve order: by number of elements, in the order first met within each size. */
  solveOrder(): SystemList {
    const count = this.codes.length;
    let maxSize = 0;
    for (let s = 0; s < count; s++) maxSize = Math.max(maxSize, this.sizes[s]!);
    const bySize = new Int32Array(maxSize + 2);
    for (let s = 0; s < count; s++) bySize[this.sizes[s]! + 1]!++;
    for (let m = 1; m <= maxSize + 1; m++) bySize[m]! += bySize[m - 1]!;
    const position = new Int32Array(count);
    const codes = new Array<number | string>(count);
    for (let s = 0; s < count; s++) {
      const p = bySize[this.sizes[s]!]!++;
      position[s] = p;
      codes[p] = this.codes[s]!;
    }
    const ownAt = new Int32Array(count + 1);
    for (let s = 0; s < count; s++) ownAt[position[s]! + 1] = this.counts[s]!;
    for (let p = 0; p < count; p++) ownAt[p + 1]! += ownAt[p]!;
    const own = new Int32Array(this.n);
    // Each system's next free place, from its start.
    const next = new Int32Array(count);
    for (let p = 0; p < count; p++) next[p] = ownAt[p]!;
    for (let i = 0; i < this.n; i++) own[next[position[this.sysOf[i]!]!]!++] = i;
    // The single-element systems by element's rank (their references are looked up; -1: none).
    const elementAt = new Int32Array(ALPHABETICAL_SYMBOLS.length).fill(-1);
    for (let s = 0; s < count; s++) if (this.sizes[s] === 1) elementAt[(this.codes[s] as number) - 1] = position[s]!;
    return new SystemList(codes, ownAt, own, elementAt);
  }
}

/** The systems in solve order; system s's entries are own[ownAt[s] .. ownAt[s+1]), ascending. */
export class SystemList {
  private readonly keys: (string | undefined)[];

  constructor(
    private readonly codes: readonly (number | string)[],
    readonly ownAt: Int32Array,
    readonly own: Int32Array,
    /** The position of each element's own system, by alphabetical rank (-1: none). */
    private readonly elementAt: Int32Array,
  ) {
    this.keys = new Array(codes.length);
  }

  get count(): number {
    return this.codes.length;
  }

  /** System s's elements, alphabetical. */
  elementsOf(s: number): string[] {
    const m = writeRanks(this.codes[s]!, scratch);
    const out = new Array<string>(m);
    for (let k = 0; k < m; k++) out[k] = ALPHABETICAL_SYMBOLS[scratch[k]!]!;
    return out;
  }

  /** Its elements' alphabetical ranks, ascending, into `out` from `at`; how many. */
  writeRanks(s: number, out: { [k: number]: number }, at = 0): number {
    return writeRanks(this.codes[s]!, out, at);
  }

  /** Its key ('Li-O-P'), made once when first asked for. */
  keyOf(s: number): string {
    return (this.keys[s] ??= this.elementsOf(s).join('-'));
  }

  /** Its entries (a view). */
  ownOf(s: number): Int32Array {
    return this.own.subarray(this.ownAt[s]!, this.ownAt[s + 1]!);
  }

  /** The entries of element `el`'s own system (none: an empty view). */
  ownOfElement(el: string): Int32Array {
    const r = ALPHABETICAL_RANK.get(el);
    const s = r === undefined ? -1 : this.elementAt[r]!;
    return s < 0 ? this.own.subarray(0, 0) : this.ownOf(s);
  }
}
