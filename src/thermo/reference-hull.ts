/**
 * The compute core of a stability screen, shared by the engine's workers and the in-thread path:
 * a packed reference (packed-reference.ts) indexed by chemical system, and the evaluation of
 * batches of candidate compositions against it. Browser-safe (no Node imports).
 *
 * Semantics are `SystemIndex`'s: the points are pymatgen's qhull_entries (lowest entry per
 * composition below its elements, and the elemental references); a point is stable when it lies
 * more than 1e-12 eV/atom below the hull of all other compositions of its chemical system; a
 * candidate is measured against the hull of the stable points of its chemical system's
 * subsystems, with the same point order as `SystemIndex`, so the linear programs are identical.
 */
import { allocHullBatch, HullError, shareTolerance } from './hull.js';
import type { PackedReference } from './packed-reference.js';
import { allocScan, runScan } from './system-scan.js';
import { kernel } from './wasm.js';

/**
 * Candidates of one batch, grouped by chemical system: group g has `counts[g]` consecutive
 * candidates of system `systems[g]` (element indices as char codes, ascending), each with its
 * formation energy and its atomic fractions over the system's elements (in that order).
 */
export interface CandidateBatch {
  readonly systems: readonly string[];
  readonly counts: Int32Array;
  readonly eForm: Float64Array;
  readonly fracs: Float64Array;
}

/** Per candidate of a batch: E_hull (signed) and decomposition into reference points. */
export interface BatchResult {
  readonly eAboveHull: Float64Array;
  /** Candidate c's phases are points[decompOffsets[c] .. decompOffsets[c+1]), largest share first. */
  readonly decompOffsets: Int32Array;
  readonly decompPoints: Int32Array;
  readonly decompFractions: Float64Array;
  /** Candidates that could not be evaluated (E_hull NaN): position in the batch and why. */
  readonly failures?: ReadonlyArray<{ readonly position: number; readonly message: string }>;
  /** With `screen(batch, true)`: the hull energy each E_hull was measured from (eForm − E_hull, exactly). */
  readonly hull?: Float64Array;
}

/** Stabilities of some reference points (all points of each chemical system they cover). */
export interface StabilityFlags {
  readonly points: Int32Array;
  readonly flags: Int8Array;
}

// SystemIndex's default stability tolerance.
const STABILITY_TOL = 1e-12;
// A decomposition of one phase within this of 1 is that phase (same composition).
const SINGLE_PHASE_TOL = 1e-9;
/** A system of more elements has too many subsystems to enumerate. */
export const MAX_SYSTEM_ELEMENTS = 20;

/**
 * Map key of the chemical system of element indices els[bits of mask] (ascending; all of them
 * without a mask): base-128 digits (index + 1) for up to 7 elements — an exact double — and a
 * string beyond. One number per system without building a string: the hot lookup of a screen.
 */
function mapKey(els: ArrayLike<number>, mask = -1): number | string {
  let k = 0;
  let n = 0;
  for (let b = 0; b < els.length; b++) {
    if (mask & (1 << b)) {
      k = k * 128 + els[b]! + 1;
      n++;
    }
  }
  if (n <= 7) return k;
  let s = '';
  for (let b = 0; b < els.length; b++) if (mask & (1 << b)) s += String.fromCharCode(els[b]!);
  return s;
}

/** A chemical system of the reference or of candidates. */
interface SystemRec {
  /** Element indices, ascending. */
  readonly els: Uint8Array;
  /** Reference points of exactly this system (ascending), if any. */
  own: number[] | undefined;
  /** The stable ones among them, once known. */
  stableOwn: number[] | undefined;
  /** Its subsystems that have points, masks ascending; found on first use. */
  subs: SystemRec[] | undefined;
  /** The stable points of all its subsystems (the hull's columns), kept for the reference's systems. */
  cols: number[] | undefined;
}

/**
 * A packed reference indexed by chemical system. Point stabilities are found lazily, one
 * chemical system at a time, the first time a candidate needs them, and kept.
 */
export class ReferenceHull {
  readonly ref: PackedReference;
  /** Per point: -1 not yet known, 0 unstable, 1 stable (a vertex of its system's hull). */
  readonly stable: Int8Array;
  private readonly systems = new Map<number | string, SystemRec>();
  /** The reference's systems met in batches, by their batch key (`systemKey`). */
  private readonly byBatchKey = new Map<string, SystemRec>();
  /** The system of each point. */
  private readonly systemOf: SystemRec[];
  private learned: number[] = [];

  constructor(ref: PackedReference) {
    this.ref = ref;
    const P = ref.eForm.length;
    this.stable = new Int8Array(P).fill(-1);
    this.systemOf = new Array(P);
    for (let p = 0; p < P; p++) {
      const els = ref.elems.subarray(ref.offsets[p]!, ref.offsets[p + 1]!);
      const rec = this.system(els, true);
      (rec.own ??= []).push(p);
      this.systemOf[p] = rec;
    }
  }

  /** Number of chemical systems of the reference. */
  get size(): number {
    return this.systems.size;
  }

  /** Takes stabilities found elsewhere (another worker's `learned`). */
  applyFlags(known: StabilityFlags): void {
    for (let i = 0; i < known.points.length; i++) this.stable[known.points[i]!] = known.flags[i]!;
  }

  /** The stabilities found since the last call. */
  takeLearned(): StabilityFlags | undefined {
    if (!this.learned.length) return undefined;
    const points = Int32Array.from(this.learned);
    this.learned = [];
    return { points, flags: Int8Array.from(points, (p) => this.stable[p]!) };
  }

  /**
   * Evaluates a batch of candidates; one that cannot be evaluated is listed in `failures` (NaN
   * E_hull). `withHull`: also the hull energies (a caller reusing them for other energies).
   */
  screen(batch: CandidateBatch, withHull = false): BatchResult {
    const n = batch.eForm.length;
    const eAboveHull = new Float64Array(n).fill(NaN);
    const hull = new Float64Array(withHull ? n : 0).fill(NaN);
    const decompOffsets = new Int32Array(n + 1);
    let points: Int32Array = new Int32Array(Math.max(16, 2 * n));
    let fractions: Float64Array = new Float64Array(points.length);
    let np = 0;
    const failures: Array<{ position: number; message: string }> = [];
    let c = 0;
    let at = 0;
    for (let g = 0; g < batch.systems.length; g++) {
      const key = batch.systems[g]!;
      const count = batch.counts[g]!;
      const d = key.length;
      let cols: readonly number[] | undefined;
      let rec: SystemRec | undefined = this.byBatchKey.get(key);
      try {
        if (!rec) {
          if (d > MAX_SYSTEM_ELEMENTS) throw new HullError(`a chemical system of ${d} elements is too large to enumerate its subsystems`);
          const els = new Uint8Array(d);
          for (let k = 0; k < d; k++) {
            els[k] = key.charCodeAt(k);
            if (els[k]! >= this.ref.elements.length || (k > 0 && els[k]! <= els[k - 1]!)) throw new HullError('an element outside the reference dataset');
          }
          rec = this.system(els);
          if (rec.own) this.byBatchKey.set(key, rec);
        }
        cols = this.stablePoints(rec);
      } catch (e) {
        for (let q = 0; q < count; q++) failures.push({ position: c + q, message: errorMessage(e) });
      }
      if (cols && rec) {
        const sol = this.scan(cols, rec.els, batch.fracs, at, count) ?? this.solve(cols, rec.els, batch.fracs, at, count, undefined);
        for (let q = 0; q < count; q++) {
          const v = sol.f64[sol.val + q]!;
          if (Number.isNaN(v)) failures.push({ position: c + q, message: 'no hull energy found (the reference phases cannot make this composition)' });
          else {
            eAboveHull[c + q] = batch.eForm[c + q]! - v;
            if (withHull) hull[c + q] = v;
            if (np + d > points.length) {
              points = grow(points, 2 * points.length + d);
              fractions = grow(fractions, points.length);
            }
            // Basis members above pymatgen's numerical tolerance (less for tiny fractions: shareTolerance), largest share first.
            const from = np;
            const minShare = shareTolerance(batch.fracs, at + q * d, d);
            for (let i = 0; i < d; i++) {
              const j = sol.i32[sol.idx + q * d + i]!;
              const f = sol.f64[sol.lam + q * d + i]!;
              if (j < 0 || !(f > minShare)) continue;
              let k = np++;
              while (k > from && fractions[k - 1]! < f) {
                points[k] = points[k - 1]!;
                fractions[k] = fractions[k - 1]!;
                k--;
              }
              points[k] = cols[j]!;
              fractions[k] = f;
            }
            // At a reference phase's own composition the hull is that phase: exactly, not up to
            // the LP's round-off (a reference screened against itself is at 0, not ±1e-16).
            if (np - from === 1 && Math.abs(fractions[from]! - 1) < SINGLE_PHASE_TOL) {
              fractions[from] = 1;
              eAboveHull[c + q] = batch.eForm[c + q]! - this.ref.eForm[points[from]!]!;
              if (withHull) hull[c + q] = this.ref.eForm[points[from]!]!;
            }
          }
          decompOffsets[c + q + 1] = np;
        }
      } else {
        for (let q = 0; q < count; q++) decompOffsets[c + q + 1] = np;
      }
      c += count;
      at += count * d;
    }
    if (c !== n || at !== batch.fracs.length) throw new HullError(`malformed candidate batch: ${n} energies, ${c} counted, ${batch.fracs.length} fractions for ${at}`);
    const r = { eAboveHull, decompOffsets, decompPoints: points.slice(0, np), decompFractions: fractions.slice(0, np), ...(withHull ? { hull } : {}) };
    return failures.length ? { ...r, failures } : r;
  }

  /** The stable points of the system of element indices `els` (ascending) and its subsystems. */
  stablePointsOf(els: ArrayLike<number>): readonly number[] {
    return this.stablePoints(this.system(Uint8Array.from(els)));
  }

  /**
   * The stable points of every subsystem of `rec` (SystemIndex's order), finding the stabilities
   * of subsystems not yet met. Kept per system of the reference: a screen meets the same systems
   * again and again, and the lists of unstable points are long.
   */
  private stablePoints(rec: SystemRec): readonly number[] {
    if (rec.cols) return rec.cols;
    const out: number[] = [];
    // Subsystems come in ascending masks: every subsystem of a subsystem is met before it.
    for (const sub of this.subsystems(rec)) for (const p of this.stableOwn(sub)) out.push(p);
    if (rec.own) rec.cols = out;
    return out;
  }

  /** The stable points of exactly system `sub` (which has points), finding them if needed. */
  private stableOwn(sub: SystemRec): readonly number[] {
    if (!sub.stableOwn) {
      const own = sub.own!;
      if (this.stable[own[0]!] === -1) this.findStabilities(sub);
      sub.stableOwn = own.filter((p) => this.stable[p] === 1);
    }
    return sub.stableOwn;
  }

  /**
   * SystemIndex.evaluate's first pass for one chemical system: each of its points against the
   * hull of all other compositions of the system (elemental references are stable). The hull
   * of the subsystems is that of their stable points (the others lie above it), whose
   * stabilities are known: those points and the system's own, the queries, last.
   */
  private findStabilities(rec: SystemRec): void {
    const own = rec.own!;
    const cols: number[] = [];
    for (const sub of this.subsystems(rec)) {
      if (sub === rec) for (const p of own) cols.push(p);
      else for (const p of this.stableOwn(sub)) cols.push(p);
    }
    const sol = this.solve(cols, rec.els, undefined, cols.length - own.length, own.length, this.ref.isRef);
    for (let q = 0; q < own.length; q++) {
      const p = own[q]!;
      const v = sol.f64[sol.val + q]!;
      if (this.ref.isRef[p]) this.stable[p] = 1;
      else if (Number.isNaN(v)) throw new HullError(`no hull energy found for reference ${JSON.stringify(this.ref.ids[p])}`);
      else this.stable[p] = this.ref.eForm[p]! - v < -STABILITY_TOL ? 1 : 0;
      this.learned.push(p);
    }
  }

  /**
   * Candidates by the scan kernel (system-scan.ts): the hull of the stable points `cols` at the
   * `nq` rows of `fracs` from `at` (every fraction > 0: a batch groups candidates by chemical
   * system), the basis kept from one candidate to the next. Undefined on numerical trouble (then
   * `solve` answers them one LP each). Results are read from the returned views before the next call.
   */
  private scan(cols: readonly number[], els: Uint8Array, fracs: Float64Array, at: number, nq: number) {
    const d = els.length;
    const n = cols.length;
    const kn = kernel();
    const L = allocScan(kn, n, d, 0, nq);
    const { f64, i32, u8 } = kn.heap();
    this.writeRows(f64, L.pts >> 3, i32, L.group >> 2, cols, els);
    const elems = L.elems >> 2;
    i32.fill(-1, elems, elems + d);
    for (let j = 0; j < n; j++) {
      const p = cols[j]!;
      u8[L.state + j] = 1;
      if (this.ref.isRef[p]) i32[elems + els.indexOf(this.ref.elems[this.ref.offsets[p]!]!)] = j;
    }
    for (let k = 0; k < d; k++) if (i32[elems + k]! < 0) return undefined;
    i32.fill(-1, L.qOfPoint >> 2, (L.qOfPoint >> 2) + n);
    f64.set(fracs.subarray(at, at + nq * d), L.queries >> 3);
    if (!runScan(kn, L, STABILITY_TOL)) return undefined;
    return { f64, i32, val: L.values >> 3, idx: L.index >> 2, lam: L.fraction >> 3 };
  }

  /** Rows of the points `cols` over the system `els` (fractions, formation energy), their ids as groups. */
  private writeRows(f64: Float64Array, pts: number, i32: Int32Array, group: number, cols: readonly number[], els: Uint8Array): void {
    const { offsets, elems, fracs: pf, eForm } = this.ref;
    const d = els.length;
    const stride = d + 1;
    f64.fill(0, pts, pts + cols.length * stride);
    for (let j = 0; j < cols.length; j++) {
      const p = cols[j]!;
      const row = pts + j * stride;
      let k = 0;
      for (let s = offsets[p]!; s < offsets[p + 1]!; s++) {
        const el = elems[s]!;
        while (els[k] !== el) k++;
        f64[row + k] = pf[s]!;
      }
      f64[row + d] = eForm[p]!;
      i32[group + j] = p;
    }
  }

  /**
   * One call of the WASM hull kernel over the points `cols` in the system of elements `els`,
   * written straight into the kernel's memory (what hull.ts's hullBatch does, without its
   * intermediate arrays and result copies: this is the hot loop of a screen). Queries are `nq`
   * rows of `fracs` from offset `at` (candidates), or — `fracs` undefined — the points
   * cols[at .. at+nq), each excluding itself unless `keep[point]` (stabilities). Results are read
   * from the returned views before the next call.
   */
  private solve(cols: readonly number[], els: Uint8Array, fracs: Float64Array | undefined, at: number, nq: number, keep: Uint8Array | undefined) {
    const d = els.length;
    const n = cols.length;
    const kn = kernel();
    // No duals (pPi 0): the kernel skips the chemical potentials.
    const { pPts, pAlive, pGroup, pQ, pEx, pVal, pIdx, pLam, pPi, pWork } = allocHullBatch(kn, n, d, nq, false);
    // Views of the whole memory, renewed only when it grew (a new buffer).
    const { f64, i32, u8 } = kn.heap();
    const stride = d + 1;
    const pts = pPts >> 3;
    this.writeRows(f64, pts, i32, pGroup >> 2, cols, els);
    u8.fill(1, pAlive, pAlive + n);
    const ex = pEx >> 2;
    if (fracs) {
      f64.set(fracs.subarray(at, at + nq * d), pQ >> 3);
      i32.fill(-1, ex, ex + nq);
    } else {
      for (let q = 0; q < nq; q++) {
        const row = pts + (at + q) * stride;
        for (let k = 0; k < d; k++) f64[(pQ >> 3) + q * d + k] = f64[row + k]!;
        const p = cols[at + q]!;
        i32[ex + q] = keep?.[p] ? -1 : p;
      }
    }
    kn.exports.hullBatch(n, d, pPts, pAlive, pGroup, nq, pQ, pEx, pVal, pIdx, pLam, pPi, pWork);
    return { f64, i32, val: pVal >> 3, idx: pIdx >> 2, lam: pLam >> 3 };
  }

  /**
   * The record of the system of element indices `els` (ascending). Only the reference's systems
   * are kept (created by the constructor): a screen of millions of candidates in as many new
   * systems does not grow the index.
   */
  private system(els: Uint8Array, keep = false): SystemRec {
    const key = mapKey(els);
    let rec = this.systems.get(key);
    if (!rec) {
      rec = { els: els.slice(), own: undefined, stableOwn: undefined, subs: undefined, cols: undefined };
      if (keep) this.systems.set(key, rec);
    }
    return rec;
  }

  /**
   * The point lists of the subsystems of `rec` that have points, masks ascending (SystemIndex's
   * order: bit b = the b-th element of the system); kept per system.
   */
  private subsystems(rec: SystemRec): readonly SystemRec[] {
    if (!rec.subs) {
      const subs: SystemRec[] = [];
      const d = rec.els.length;
      for (let mask = 1; mask < 1 << d; mask++) {
        const sub = mask === (1 << d) - 1 ? (rec.own ? rec : undefined) : this.systems.get(mapKey(rec.els, mask));
        if (sub?.own) subs.push(sub);
      }
      rec.subs = subs;
    }
    return rec.subs;
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
