// Hull candidates (and each composition's first entry, for the scan's queries) as flat rows (elements
// by index, atomic fractions, formation energy, group): a chemical system's points are gathered
// from them for every system a candidate belongs to — the whole MP table does that ~10^6 times, so
// no objects are visited — and written straight into the kernel's memory. The rows are laid out
// system by system in the order the systems are solved (not in entry order): a system's scan then
// reads its subsystems' points as blocks (the table's point gathering ran twice as fast laid out so).
import type { EntryColumns } from './entry-columns.js';
import { ALPHABETICAL_SYMBOLS } from '../core/index.js';

/**
 * Rows of atomic fractions — row r's elements (indices into `index`) and fractions are
 * [offsets[r], offsets[r+1]) — with what a hull point needs besides them.
 */
export interface CandidateRows {
  readonly index: ReadonlyMap<string, number>;
  /** The same by alphabetical rank (ALPHABETICAL_RANK): the index of each element, -1 for those the rows lack. */
  readonly indexByRank: Int32Array;
  /** Per entry its row (-1 for entries without one); per row its entry. */
  readonly rowOf: Int32Array;
  readonly entryOf: Int32Array;
  readonly offsets: Int32Array;
  readonly elem: Int32Array;
  readonly frac: Float64Array;
  /** Per row: formation energy, composition group, 1 for an elemental reference. */
  readonly eForm: Float64Array;
  readonly group: Int32Array;
  readonly isRef: Uint8Array;
}

/**
 * Rows of the entries `order` (entry indices, in the order wanted; of `n` entries in all), with
 * their formation energy, composition group and reference flag, from the entries' columns. The
 * entries are read in their own order; only the writes go to the rows' places.
 */
export function packCandidateRows(cols: EntryColumns, n: number, order: ArrayLike<number>, eForm: Float64Array, group: Int32Array, isRef: Uint8Array): CandidateRows {
  const rowOf = new Int32Array(n).fill(-1);
  const rows = order.length;
  for (let r = 0; r < rows; r++) rowOf[order[r]!] = r;
  const { at, rank, frac } = cols;
  const entryOf = new Int32Array(rows);
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i < n; i++) {
    const r = rowOf[i]!;
    if (r < 0) continue;
    entryOf[r] = i;
    offsets[r + 1] = at[i + 1]! - at[i]!;
  }
  for (let r = 0; r < rows; r++) offsets[r + 1] += offsets[r]!;
  const elem = new Int32Array(offsets[rows]!);
  const rowFrac = new Float64Array(offsets[rows]!);
  const rowE = new Float64Array(rows);
  const rowG = new Int32Array(rows);
  const rowRef = new Uint8Array(rows);
  // Elements numbered in the order first met (entries in order, each's elements in its order).
  const index = new Map<string, number>();
  const byRank = new Int32Array(ALPHABETICAL_SYMBOLS.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = rowOf[i]!;
    if (r < 0) continue;
    for (let s = at[i]!, t = offsets[r]!; s < at[i + 1]!; s++, t++) {
      let e = byRank[rank[s]!]!;
      if (e < 0) index.set(ALPHABETICAL_SYMBOLS[rank[s]!]!, (e = byRank[rank[s]!] = index.size));
      elem[t] = e;
      rowFrac[t] = frac[s]!;
    }
    rowE[r] = eForm[i]!;
    rowG[r] = group[i]!;
    rowRef[r] = isRef[i]!;
  }
  return { index, indexByRank: byRank, rowOf, entryOf, offsets, elem, frac: rowFrac, eForm: rowE, group: rowG, isRef: rowRef };
}

let dimScratch = new Int32Array(0);

/** Per element index of `rows.index`, its position in `els` (a shared scratch: valid until the next call). */
export function dimsOf(rows: CandidateRows, els: readonly string[]): Int32Array {
  const index = rows.index;
  if (dimScratch.length < index.size) dimScratch = new Int32Array(index.size);
  for (let k = 0; k < els.length; k++) dimScratch[index.get(els[k]!)!] = k;
  return dimScratch;
}

/**
 * Point rows of d atomic fractions (over `els`) and a formation energy for the candidate rows
 * `cols`, into `pts` from `at` (stride d + 1, zeroed first), their composition groups into
 * `group` from `gAt`.
 */
export function writePoints(rows: CandidateRows, cols: ArrayLike<number>, els: readonly string[], pts: Float64Array, at: number, group: Int32Array, gAt: number): void {
  const d = els.length;
  const { offsets, elem, frac, eForm } = rows;
  const dimOf = dimsOf(rows, els);
  pts.fill(0, at, at + cols.length * (d + 1));
  const g = rows.group;
  for (let j = 0; j < cols.length; j++) {
    const r = cols[j]!;
    const row = at + j * (d + 1);
    // Only the point's own elements: the other fractions stay 0.
    for (let t = offsets[r]!; t < offsets[r + 1]!; t++) pts[row + dimOf[elem[t]!]!] = frac[t]!;
    pts[row + d] = eForm[r]!;
    group[gAt + j] = g[r]!;
  }
}

/** The atomic fractions (over `els`, d of them) of rows `list[0, n)` into `out` from `at` (stride d, zeroed first). */
export function writeFractions(rows: CandidateRows, list: ArrayLike<number>, n: number, els: readonly string[], out: Float64Array, at: number): void {
  const d = els.length;
  const { offsets, elem, frac } = rows;
  const dimOf = dimsOf(rows, els);
  out.fill(0, at, at + n * d);
  for (let q = 0; q < n; q++) {
    const r = list[q]!;
    for (let t = offsets[r]!; t < offsets[r + 1]!; t++) out[at + q * d + dimOf[elem[t]!]!] = frac[t]!;
  }
}
