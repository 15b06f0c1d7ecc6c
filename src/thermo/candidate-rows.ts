// Hull candidates as flat arrays (elements by index, atomic fractions): a chemical system's point
// rows are gathered from them for every system a candidate belongs to — the whole MP table does
// that ~10^6 times, so no objects are visited — and written straight into the kernel's memory.
import type { Entry } from '../core/index.js';
import type { CompositionGroups } from './hull-points.js';

/** Hull candidates' elements (indices into `index`) and atomic fractions: entry i's are [offsets[i], offsets[i+1]). */
export interface CandidateRows {
  readonly index: ReadonlyMap<string, number>;
  readonly offsets: Int32Array;
  readonly elem: Int32Array;
  readonly frac: Float64Array;
}

export function packCandidateRows(entries: readonly Entry[], isCandidate: Uint8Array): CandidateRows {
  const index = new Map<string, number>();
  const offsets = new Int32Array(entries.length + 1);
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    if (isCandidate[i]) total += entries[i]!.composition.elements.length;
    offsets[i + 1] = total;
  }
  const elem = new Int32Array(total);
  const frac = new Float64Array(total);
  for (let i = 0; i < entries.length; i++) {
    if (!isCandidate[i]) continue;
    const c = entries[i]!.composition;
    const fr = c.fractionArray;
    for (let k = 0, t = offsets[i]!; k < fr.length; k++, t++) {
      const el = c.elements[k]!;
      let e = index.get(el);
      if (e === undefined) index.set(el, (e = index.size));
      elem[t] = e;
      frac[t] = fr[k]!;
    }
  }
  return { index, offsets, elem, frac };
}

/** What `writePoints` reads. */
export interface PointSource {
  readonly rows: CandidateRows;
  readonly eForm: Float64Array;
  readonly groups: CompositionGroups;
}

let dimScratch = new Int32Array(0);

/**
 * Rows of d atomic fractions (over `els`) and a formation energy for the candidates `cols`, into
 * `pts` from `at` (stride d + 1, zeroed first), their composition groups into `group` from `gAt`.
 */
export function writePoints(src: PointSource, cols: ArrayLike<number>, els: readonly string[], pts: Float64Array, at: number, group: Int32Array, gAt: number): void {
  const d = els.length;
  const { offsets, elem, frac, index } = src.rows;
  if (dimScratch.length < index.size) dimScratch = new Int32Array(index.size);
  const dimOf = dimScratch;
  for (let k = 0; k < d; k++) dimOf[index.get(els[k]!)!] = k;
  pts.fill(0, at, at + cols.length * (d + 1));
  const eForm = src.eForm;
  const g = src.groups.group;
  for (let j = 0; j < cols.length; j++) {
    const i = cols[j]!;
    const row = at + j * (d + 1);
    // Only the point's own elements: the other fractions stay 0.
    for (let t = offsets[i]!; t < offsets[i + 1]!; t++) pts[row + dimOf[elem[t]!]!] = frac[t]!;
    pts[row + d] = eForm[i]!;
    group[gAt + j] = g[i]!;
  }
}
