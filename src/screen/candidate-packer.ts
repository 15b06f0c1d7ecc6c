/**
 * Candidates → batches for the stability screen: each candidate's chemical system (element
 * indices of the reference), formation energy in the reference's scale and atomic fractions,
 * grouped by chemical system so that one linear-programming call serves every candidate of a
 * system. Browser-safe; used in the main thread and in the engine's workers.
 */
import type { Composition, Entry } from '../core/index.js';
import { systemKey, type CandidateBatch, type PackedReference, unresolvedFraction } from '../thermo/index.js';

/** A candidate that cannot be screened; the message names it (id and formula). */
export class ScreenError extends Error {
  override name = 'ScreenError';
  constructor(
    message: string,
    readonly entry: Entry,
    /** Position of the candidate in the input (0-based). */
    readonly index: number,
  ) {
    super(message);
  }
}

export function describeEntry(e: Entry): string {
  return `${JSON.stringify(e.id)} (${e.composition.formula})`;
}

/** A batch ready to send, with the window positions of its candidates. */
export interface PackedBatch {
  readonly batch: CandidateBatch;
  readonly positions: Int32Array;
  readonly describe: () => string;
}

export interface PackedWindow {
  /** Candidates left out (skipped or failed while packing). */
  readonly excluded: number;
  batches(size: number): PackedBatch[];
}

/** A composition packed against a reference, or why it cannot be: unknown elements, or fractions too small. */
export type PackedComposition =
  | { readonly idx: readonly number[]; readonly key: string; readonly fracs: Float64Array; readonly eRef: number }
  | { readonly missing: readonly string[] }
  | { readonly why: string };

/**
 * One composition as the screens pack it: its elements' indices in the reference (`elIndex`)
 * ascending, its chemical-system key, its atomic fractions in that order and the reference
 * energy of those fractions (summed in that order). The one packing of both CSV and Entry rows.
 */
export function packComposition(comp: Composition, elIndex: ReadonlyMap<string, number>, ref: PackedReference): PackedComposition {
  const idx: number[] = [];
  let missing: string[] | undefined;
  for (const el of comp.elements) {
    const k = elIndex.get(el);
    if (k === undefined) (missing ??= []).push(el);
    else idx.push(k);
  }
  if (missing) return { missing };
  const why = unresolvedFraction(comp);
  if (why) return { why };
  idx.sort((a, b) => a - b);
  const n = comp.numAtoms;
  const fracs = new Float64Array(idx.length);
  let eRef = 0;
  for (let j = 0; j < idx.length; j++) {
    const x = comp.amount(ref.elements[idx[j]!]!) / n;
    fracs[j] = x;
    eRef += x * ref.refEnergy[idx[j]!]!;
  }
  return { idx, key: systemKey(idx), fracs, eRef };
}

/** Turns entries into batch rows: chemical-system key, formation energy, fractions. */
export class CandidatePacker {
  private readonly elIndex: Map<string, number>;

  constructor(
    private readonly ref: PackedReference,
    private readonly unknown: 'error' | 'skip',
  ) {
    this.elIndex = new Map(ref.elements.map((el, k) => [el, k]));
  }

  /** Groups a window by chemical system; candidates that cannot be packed go to `fail`. */
  pack(window: readonly Entry[], start: number, fail: (e: ScreenError) => void): PackedWindow {
    const { elIndex, ref } = this;
    const groups = new Map<string, number[]>();
    const eForm = new Float64Array(window.length);
    const fracStart = new Int32Array(window.length);
    const dims = new Uint8Array(window.length);
    const fracs: number[] = [];
    let excluded = 0;
    for (let pos = 0; pos < window.length; pos++) {
      const e = window[pos]!;
      const packed = packComposition(e.composition, elIndex, ref);
      if ('missing' in packed) {
        excluded++;
        if (this.unknown === 'error') {
          fail(new ScreenError(`candidate ${describeEntry(e)}: ${packed.missing.join(', ')} not in the reference dataset (elements ${ref.elements.join(' ')})`, e, start + pos));
        }
        continue;
      }
      if (e.kind !== ref.kind) {
        excluded++;
        fail(new ScreenError(`candidate ${describeEntry(e)} has a ${e.kind} energy, but the reference dataset has ${ref.kind} energies`, e, start + pos));
        continue;
      }
      if ('why' in packed) {
        excluded++;
        fail(new ScreenError(`candidate ${describeEntry(e)}: ${packed.why}`, e, start + pos));
        continue;
      }
      const { idx, fracs: x, eRef } = packed;
      fracStart[pos] = fracs.length;
      dims[pos] = idx.length;
      for (let j = 0; j < x.length; j++) fracs.push(x[j]!);
      eForm[pos] = ref.kind === 'formation' ? e.energyPerAtom : e.energyPerAtom - eRef;
      const key = packed.key;
      const list = groups.get(key);
      if (list) list.push(pos);
      else groups.set(key, [pos]);
    }
    // Neighbouring systems share subsystems: sorted keys keep them in the same batch.
    const keys = [...groups.keys()].sort();
    return {
      excluded,
      batches(size: number): PackedBatch[] {
        const out: PackedBatch[] = [];
        let systems: string[] = [];
        let counts: number[] = [];
        let positions: number[] = [];
        const flush = (): void => {
          if (!positions.length) return;
          let len = 0;
          for (const p of positions) len += dims[p]!;
          const bf = new Float64Array(len);
          let at = 0;
          for (const p of positions) {
            for (let k = 0; k < dims[p]!; k++) bf[at++] = fracs[fracStart[p]! + k]!;
          }
          const pos = Int32Array.from(positions);
          const batchEForm = Float64Array.from(positions, (p) => eForm[p]!);
          out.push({
            batch: { systems, counts: Int32Array.from(counts), eForm: batchEForm, fracs: bf },
            positions: pos,
            describe: () => describeBatch(window, pos),
          });
          systems = [];
          counts = [];
          positions = [];
        };
        for (const key of keys) {
          const list = groups.get(key)!;
          for (let i = 0; i < list.length; ) {
            const take = Math.min(list.length - i, Math.max(1, size - positions.length));
            systems.push(key);
            counts.push(take);
            for (let j = i; j < i + take; j++) positions.push(list[j]!);
            i += take;
            if (positions.length >= size) flush();
          }
        }
        flush();
        return out;
      },
    };
  }
}

function describeBatch(window: readonly Entry[], positions: Int32Array): string {
  const first = Array.from(positions.subarray(0, 3), (p) => describeEntry(window[p]!));
  return `batch of ${positions.length} candidate${positions.length === 1 ? '' : 's'} (${first.join(', ')}${positions.length > 3 ? ', …' : ''})`;
}
