// The decompositions a SystemIndex finds, kept flat: per hull query its basis (entry indices and
// atom fractions) in shared growing arrays, turned into PhaseAmount lists only when one is read.
// Solving a system then allocates nothing per system — the MP table has ~40,000 systems, a
// quaternary phase diagram a dozen, and per-system arrays were a large part of both.
import type { Entry } from '../core/index.js';

/** A phase and its share of atoms in a decomposition. */
export interface PhaseAmount {
  readonly entry: Entry;
  /** Fraction of the atoms of the decomposed composition that sit in this phase. */
  readonly fraction: number;
}

export class BasisStore {
  /** Per entry, the query its decomposition comes from (-1: none found). */
  readonly queryOf: Int32Array;
  private entry: Int32Array = new Int32Array(1024);
  private fraction: Float64Array = new Float64Array(1024);
  private top = 0;
  private at: Int32Array = new Int32Array(256);
  private dims: Int32Array = new Int32Array(256);
  private minShare: Float64Array = new Float64Array(256);
  private count = 0;
  private cache: Array<PhaseAmount[] | undefined> = [];

  constructor(entries: number) {
    this.queryOf = new Int32Array(entries).fill(-1);
  }

  /** Forgets every query (a new solve). */
  clear(): void {
    this.queryOf.fill(-1);
    this.top = 0;
    this.count = 0;
    this.cache = [];
  }

  /**
   * A new query: the basis of d slots at `index[ia ..]` (column j of the solve, -1 unused, mapped
   * to entries through `cols`, and through `entryOf` when `cols` holds candidate rows) and
   * `fraction[fa ..]`, dropping shares at or below `minShare`; its id.
   */
  add(d: number, minShare: number, index: ArrayLike<number>, ia: number, fraction: ArrayLike<number>, fa: number, cols: ArrayLike<number>, entryOf?: Int32Array): number {
    if (this.count === this.at.length) {
      this.at = grownInt(this.at, this.count);
      this.dims = grownInt(this.dims, this.count);
      const m = new Float64Array(2 * this.count);
      m.set(this.minShare);
      this.minShare = m;
    }
    if (this.top + d > this.entry.length) this.growSlots(this.top + d);
    const id = this.count++;
    const o = this.top;
    this.at[id] = o;
    this.dims[id] = d;
    this.minShare[id] = minShare;
    for (let c = 0; c < d; c++) {
      const j = index[ia + c]!;
      this.entry[o + c] = j < 0 ? -1 : entryOf ? entryOf[cols[j]!]! : cols[j]!;
      this.fraction[o + c] = fraction[fa + c]!;
    }
    this.top += d;
    return id;
  }

  /** The number of queries added. */
  get size(): number {
    return this.count;
  }

  /**
   * `n` queries solved elsewhere (assembly/system-batch.ts), ids from `size` on: query q's slots
   * start at at[atO + q] in the given slot arrays (`slots` in all), it has dims[dimsO + q] of them
   * and share tolerance minShare[msO + q]; slot entries are entry indices (-1 unused).
   */
  addMany(
    n: number,
    slots: number,
    at: Int32Array,
    atO: number,
    dims: Int32Array,
    dimsO: number,
    minShare: Float64Array,
    msO: number,
    entry: Int32Array,
    eO: number,
    fraction: Float64Array,
    fO: number,
  ): void {
    while (this.count + n > this.at.length) {
      this.at = grownInt(this.at, this.at.length);
      this.dims = grownInt(this.dims, this.dims.length);
      const m = new Float64Array(2 * this.minShare.length);
      m.set(this.minShare);
      this.minShare = m;
    }
    if (this.top + slots > this.entry.length) this.growSlots(this.top + slots);
    const c = this.count;
    const top = this.top;
    for (let q = 0; q < n; q++) this.at[c + q] = top + at[atO + q]!;
    this.dims.set(dims.subarray(dimsO, dimsO + n), c);
    this.minShare.set(minShare.subarray(msO, msO + n), c);
    this.entry.set(entry.subarray(eO, eO + slots), top);
    this.fraction.set(fraction.subarray(fO, fO + slots), top);
    this.count += n;
    this.top += slots;
  }

  private growSlots(need: number): void {
    const size = Math.max(2 * this.entry.length, need);
    const e = new Int32Array(size);
    e.set(this.entry.subarray(0, this.top));
    const f = new Float64Array(size);
    f.set(this.fraction.subarray(0, this.top));
    this.entry = e;
    this.fraction = f;
  }

  /**
   * The phases of query `id` with a share above its tolerance (pymatgen's numerical_tol, see
   * shareTolerance), largest share first; one list per query, shared by the entries it answers.
   */
  phases(entries: readonly Entry[], id: number): PhaseAmount[] {
    const hit = this.cache[id];
    if (hit) return hit;
    const out: PhaseAmount[] = [];
    const min = this.minShare[id]!;
    for (let s = this.at[id]!, end = s + this.dims[id]!; s < end; s++) {
      const i = this.entry[s]!;
      const f = this.fraction[s]!;
      if (i >= 0 && f > min) insertByShare(out, entries[i]!, f);
    }
    this.cache[id] = out;
    return out;
  }
}

/** Adds a phase to `out`, which stays largest share first (equal shares in the order added). */
export function insertByShare(out: PhaseAmount[], entry: Entry, fraction: number): void {
  // Shifted by hand: splice cost more than the rest of a decomposition.
  const phase = { entry, fraction };
  let at = out.length;
  out.push(phase);
  for (; at > 0 && out[at - 1]!.fraction < fraction; at--) out[at] = out[at - 1]!;
  out[at] = phase;
}

function grownInt(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(2 * n);
  b.set(a);
  return b;
}
