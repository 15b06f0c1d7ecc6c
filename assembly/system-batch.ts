// Every chemical system of an index solved in one call: for each system (subsystems first) its
// scan's columns (the stable phases of its subsystems, found by numeric system keys in a hash
// table, then its own candidates), its points gathered from the candidate rows, its queries (one
// per composition group) and the points to decide by energy, then scanSystem (system-scan.ts, which
// orders the queries and declines tiny fractions) and the answers written per entry. The TS side (src/thermo/system-batch.ts) lays the index out once per call and reads
// the answers back; it solves a system this call declines (numerical trouble, tiny fractions, more
// than MAX_DIMS elements) by its LP fallback and calls again from the next one. The steps and
// their order are those of scanOneSystem's former TS set-up, so the answers are the same bits.
import { scanSystem, scanWorkBytes } from './system-scan';
import { ld, ldi, st, sti } from './memory';

// Systems of more elements go to the TS fallback: their key would not fit 63 bits (7 per element).
const MAX_DIMS: i32 = 9;
// pymatgen's numerical_tol, as shareTolerance (src/thermo/hull.ts).
const NUMERICAL_TOL: f64 = 1e-8;

// The descriptor's slots (i32 each): counts, then pointers; see DESCRIPTOR in system-batch.ts (TS).
let nSys: i32 = 0;
let nEntries: i32 = 0;
let nRows: i32 = 0;
let nGroups: i32 = 0;
let nElements: i32 = 0;
let maxD: i32 = 0; // the most elements of a system solved here (at most MAX_DIMS)
let maxOwn: i32 = 0; // the most entries of one system
let dimsAt: usize = 0; // i32[nSys+1]
let dimsFlat: usize = 0; // i32[]: element indices of each system, in its element order
let ownAt: usize = 0; // i32[nSys+1]
let ownFlat: usize = 0; // i32[]: entries of each system
let candStart: usize = 0; // i32[nSys]: first row of its candidates (consecutive)
let candCount: usize = 0; // i32[nSys]
let rowAt: usize = 0; // i32[nRows+1]
let rowElem: usize = 0; // i32[]
let rowFrac: usize = 0; // f64[]
let rowE: usize = 0; // f64[nRows]
let rowGroup: usize = 0; // i32[nRows]
let rowRef: usize = 0; // u8[nRows]
let rowEntry: usize = 0; // i32[nRows]
let entryRow: usize = 0; // i32[nEntries]
let entryGroup: usize = 0; // i32[nEntries]
let entryCand: usize = 0; // u8[nEntries]
let entryRef: usize = 0; // u8[nEntries]
let entryE: usize = 0; // f64[nEntries]
let isStable: usize = 0; // u8[nEntries] in/out
let stableRow: usize = 0; // u8[nRows] in/out
let signed: usize = 0; // f64[nEntries] out
let entryQuery: usize = 0; // i32[nEntries] in/out: global query id of an unstable entry's decomposition
let stableAt: usize = 0; // i32[nSys]: its stable rows in stableRows
let stableCount: usize = 0; // i32[nSys]
let stableRows: usize = 0; // i32[nRows]
let qAt: usize = 0; // i32[nGroups] per query of this call: first slot
let qMin: usize = 0; // f64[nGroups]: share tolerance
let qDims: usize = 0; // i32[nGroups]
let slotEntry: usize = 0; // i32[]: d slots per query (the caller sizes them: d per own entry)
let slotFrac: usize = 0; // f64[], as slotEntry
let hashKeys: usize = 0; // i64[hashSize]
let hashVals: usize = 0; // i32[hashSize]
let hashMask: i32 = 0;
let work: usize = 0; // scratch, laid out by batchScratchBytes

let qCount: i32 = 0;
let slotTop: i32 = 0;
let stableTop: i32 = 0;

/**
 * Bytes of scratch (and key table) batchBind needs: sys systems, entries, candidate rows, composition
 * groups, elements; d the most elements of a system (at most MAX_DIMS), own the most entries of one.
 */
export function batchScratchBytes(sys: i32, entries: i32, rows: i32, groups: i32, elements: i32, d: i32, own: i32): i32 {
  return hashBytes(sys) + 8 * rows * (d + 1) + 4 * rows * 6 + rows + 8 * own * d * 2 + 4 * own * (d + 3) + 4 * entries + 8 * own + 4 * groups + 4 * elements + 8 * (1 << d) + scanWorkBytes(rows, d, own) + 256;
}

/** Systems of more elements are declined (their keys would not fit). */
export function batchMaxDims(): i32 {
  return MAX_DIMS;
}

function hashSize(sys: i32): i32 {
  let size = 16;
  while (size < 2 * sys) size <<= 1;
  return size;
}

function hashBytes(sys: i32): i32 {
  return hashSize(sys) * 12 + 16;
}

/** Binds the layout (descriptor of i32 slots) and builds the systems' key table. */
export function batchBind(desc: usize): void {
  let at = 0;
  nSys = ldi(desc, at++);
  nEntries = ldi(desc, at++);
  nRows = ldi(desc, at++);
  nGroups = ldi(desc, at++);
  nElements = ldi(desc, at++);
  maxD = ldi(desc, at++);
  maxOwn = ldi(desc, at++);
  dimsAt = <usize>ldi(desc, at++);
  dimsFlat = <usize>ldi(desc, at++);
  ownAt = <usize>ldi(desc, at++);
  ownFlat = <usize>ldi(desc, at++);
  candStart = <usize>ldi(desc, at++);
  candCount = <usize>ldi(desc, at++);
  rowAt = <usize>ldi(desc, at++);
  rowElem = <usize>ldi(desc, at++);
  rowFrac = <usize>ldi(desc, at++);
  rowE = <usize>ldi(desc, at++);
  rowGroup = <usize>ldi(desc, at++);
  rowRef = <usize>ldi(desc, at++);
  rowEntry = <usize>ldi(desc, at++);
  entryRow = <usize>ldi(desc, at++);
  entryGroup = <usize>ldi(desc, at++);
  entryCand = <usize>ldi(desc, at++);
  entryRef = <usize>ldi(desc, at++);
  entryE = <usize>ldi(desc, at++);
  isStable = <usize>ldi(desc, at++);
  stableRow = <usize>ldi(desc, at++);
  signed = <usize>ldi(desc, at++);
  entryQuery = <usize>ldi(desc, at++);
  stableAt = <usize>ldi(desc, at++);
  stableCount = <usize>ldi(desc, at++);
  stableRows = <usize>ldi(desc, at++);
  qAt = <usize>ldi(desc, at++);
  qMin = <usize>ldi(desc, at++);
  qDims = <usize>ldi(desc, at++);
  slotEntry = <usize>ldi(desc, at++);
  slotFrac = <usize>ldi(desc, at++);
  work = <usize>ldi(desc, at++);
  // The key table: every system of at most MAX_DIMS elements, key -> system.
  const size = hashSize(nSys);
  hashMask = size - 1;
  hashKeys = (work + 7) & ~7;
  hashVals = hashKeys + (<usize>size << 3);
  work = hashVals + (<usize>size << 2);
  for (let h = 0; h < size; h++) sti(hashVals, h, -1);
  for (let s = 0; s < nSys; s++) {
    const k = ldi(dimsAt, s + 1) - ldi(dimsAt, s);
    if (k > MAX_DIMS) continue;
    let key: i64 = 0;
    for (let c = 0; c < k; c++) key = key * 128 + <i64>(ldi(dimsFlat, ldi(dimsAt, s) + c) + 1);
    let h = hashOf(key);
    while (ldi(hashVals, h) >= 0) h = (h + 1) & hashMask;
    store<i64>(hashKeys + (<usize>h << 3), key);
    sti(hashVals, h, s);
  }
}

@inline function hashOf(key: i64): i32 {
  return <i32>((<u64>key * 0x9e3779b97f4a7c15) >> 40) & hashMask;
}

function lookup(key: i64): i32 {
  let h = hashOf(key);
  while (true) {
    const s = ldi(hashVals, h);
    if (s < 0 || load<i64>(hashKeys + (<usize>h << 3)) == key) return s;
    h = (h + 1) & hashMask;
  }
}

// Scratch of one system (pointers into `work`, set by layScratch).
let wPts: usize = 0;
let wGroup: usize = 0;
let wState: usize = 0;
let wElems: usize = 0;
let wOrder: usize = 0;
let wQueries: usize = 0;
let wQorder: usize = 0;
let wQOfPoint: usize = 0;
let wSigned: usize = 0;
let wValues: usize = 0;
let wIndex: usize = 0;
let wFraction: usize = 0;
let wCols: usize = 0;
let wPointOf: usize = 0; // i32[nEntries]
let wQueryOf: usize = 0; // i32[nEntries]: per own entry (by position) its query
let wReps: usize = 0; // i32[nEntries]
let wSlot: usize = 0; // i32[nGroups], -1 between systems
let wDimOf: usize = 0; // i32[nElements]
let wKeys: usize = 0; // i64[2^d]: the key of each subsystem, by mask
let wScan: usize = 0;

function layScratch(): void {
  const d = maxD;
  const own = maxOwn;
  let p = (work + 7) & ~7;
  wPts = p; p += <usize>(8 * nRows * (d + 1));
  wSigned = p; p += <usize>(8 * nRows);
  wQueries = p; p += <usize>(8 * own * d);
  wFraction = p; p += <usize>(8 * own * d);
  wValues = p; p += <usize>(8 * own);
  wKeys = p; p += <usize>(8 * (1 << d));
  wGroup = p; p += <usize>(4 * nRows);
  wOrder = p; p += <usize>(4 * nRows);
  wQOfPoint = p; p += <usize>(4 * nRows);
  wCols = p; p += <usize>(4 * nRows);
  wIndex = p; p += <usize>(4 * own * d);
  wQorder = p; p += <usize>(4 * own);
  wPointOf = p; p += <usize>(4 * nEntries);
  wQueryOf = p; p += <usize>(4 * own);
  wReps = p; p += <usize>(4 * own);
  wSlot = p; p += <usize>(4 * nGroups);
  wDimOf = p; p += <usize>(4 * nElements);
  wElems = p; p += <usize>(4 * d);
  wState = p; p += <usize>(nRows);
  wScan = (p + 7) & ~7;
  for (let g = 0; g < nGroups; g++) sti(wSlot, g, -1);
}

/**
 * Solves systems s0, s0+1, … up to s1 (exclusive); returns the first system it declines (the caller
 * solves that one and calls again from the next), or s1. Query ids of decompositions start at qBase.
 * Stable rows of the systems before s0 are gathered afresh from isStable (the caller may have
 * solved some of them).
 */
export function batchSolve(s0: i32, s1: i32, tol: f64, withDecomp: bool, qBase: i32): i32 {
  layScratch();
  qCount = 0;
  slotTop = 0;
  stableTop = 0;
  for (let s = 0; s < s0; s++) listStable(s);
  for (let s = s0; s < s1; s++) {
    if (!solveOne(s, tol, withDecomp, qBase)) return s;
    listStable(s);
  }
  return s1;
}

/** Queries (decompositions) written by the last batchSolve, and their slots. */
export function batchQueries(): i32 {
  return qCount;
}
export function batchSlots(): i32 {
  return slotTop;
}

function listStable(s: i32): void {
  sti(stableAt, s, stableTop);
  for (let q = ldi(ownAt, s), end = ldi(ownAt, s + 1); q < end; q++) {
    const i = ldi(ownFlat, q);
    if (load<u8>(isStable + <usize>i) == 1) sti(stableRows, stableTop++, ldi(entryRow, i));
  }
  sti(stableCount, s, stableTop - ldi(stableAt, s));
}

/** Appends rows [from, from+count) of `list` to the columns; the new length. */
@inline function append(n: i32, list: usize, from: i32, count: i32): i32 {
  for (let t = 0; t < count; t++) sti(wCols, n++, ldi(list, from + t));
  return n;
}

function solveOne(s: i32, tol: f64, withDecomp: bool, qBase: i32): bool {
  const d0 = ldi(dimsAt, s);
  const d = ldi(dimsAt, s + 1) - d0;
  if (d > maxD || d < 1) return false;
  const own0 = ldi(ownAt, s);
  const nOwnEntries = ldi(ownAt, s + 1) - own0;
  for (let c = 0; c < d; c++) sti(wDimOf, ldi(dimsFlat, d0 + c), c);
  // Columns: the stable rows of every proper subsystem (mask order), then the own candidates.
  const full = (1 << d) - 1;
  store<i64>(wKeys, 0);
  let n = 0;
  for (let mask = 1; mask <= full; mask++) {
    const high = 31 - clz(mask);
    const key = load<i64>(wKeys + (<usize>(mask ^ (1 << high)) << 3)) * 128 + <i64>(ldi(dimsFlat, d0 + high) + 1);
    store<i64>(wKeys + (<usize>mask << 3), key);
    if (mask == full) {
      for (let t = 0, c0 = ldi(candStart, s), cn = ldi(candCount, s); t < cn; t++) sti(wCols, n++, c0 + t);
    } else {
      const t = lookup(key);
      if (t >= 0 && t < s) n = append(n, stableRows, ldi(stableAt, t), ldi(stableCount, t));
    }
  }
  const nOwn = ldi(candCount, s);
  let nu = 0;
  for (let j = n - nOwn; j < n; j++) if (load<u8>(rowRef + <usize>ldi(wCols, j)) == 0) nu++;
  // One query per composition group of the system's entries, in the order first met.
  let nq = 0;
  for (let q = 0; q < nOwnEntries; q++) {
    const i = ldi(ownFlat, own0 + q);
    const g = ldi(entryGroup, i);
    let t = ldi(wSlot, g);
    if (t < 0) {
      t = nq;
      sti(wSlot, g, t);
      sti(wReps, nq++, i);
    }
    sti(wQueryOf, q, t);
  }
  for (let t = 0; t < nq; t++) sti(wSlot, ldi(entryGroup, ldi(wReps, t)), -1);
  // Points: fractions over the system's elements and the formation energy; composition groups.
  const stride = d + 1;
  memory.fill(wPts, 0, <usize>(8 * n * stride));
  for (let j = 0; j < n; j++) {
    const r = ldi(wCols, j);
    const row = j * stride;
    for (let t = ldi(rowAt, r), end = ldi(rowAt, r + 1); t < end; t++) st(wPts, row + ldi(wDimOf, ldi(rowElem, t)), ld(rowFrac, t));
    st(wPts, row + d, ld(rowE, r));
    sti(wGroup, j, ldi(rowGroup, r));
  }
  for (let c = 0; c < d; c++) sti(wElems, c, -1);
  for (let j = 0; j < n; j++) sti(wQOfPoint, j, -1);
  let u = 0;
  for (let j = 0; j < n; j++) {
    const r = ldi(wCols, j);
    if (load<u8>(rowRef + <usize>r) != 0) {
      store<u8>(wState + <usize>j, 1);
      sti(wElems, ldi(wDimOf, ldi(rowElem, ldi(rowAt, r))), j);
    } else if (j < n - nOwn) store<u8>(wState + <usize>j, load<u8>(stableRow + <usize>r));
    else {
      store<u8>(wState + <usize>j, 2);
      sti(wOrder, u++, j);
      sti(wPointOf, ldi(rowEntry, r), j);
    }
  }
  for (let q = 0; q < nOwnEntries; q++) {
    const i = ldi(ownFlat, own0 + q);
    if (load<u8>(entryCand + <usize>i) == 1 && load<u8>(entryRef + <usize>i) == 0) sti(wQOfPoint, ldi(wPointOf, i), ldi(wQueryOf, q));
  }
  for (let c = 0; c < d; c++) if (ldi(wElems, c) < 0) return false;
  sortByEnergy(nu, stride);
  // Each query's fractions from its representative's row.
  memory.fill(wQueries, 0, <usize>(8 * nq * d));
  for (let t = 0; t < nq; t++) {
    const r = ldi(entryRow, ldi(wReps, t));
    for (let e = ldi(rowAt, r), end = ldi(rowAt, r + 1); e < end; e++) st(wQueries, t * d + ldi(wDimOf, ldi(rowElem, e)), ld(rowFrac, e));
  }
  const rc = scanSystem(n, d, wPts, wGroup, wState, wElems, nu, wOrder, tol, nq, wQueries, wQorder, wQOfPoint, wSigned, wValues, wIndex, wFraction, wScan);
  if (rc != 0) return false;
  // The answers, per own entry.
  for (let q = 0; q < nOwnEntries; q++) {
    const i = ldi(ownFlat, own0 + q);
    const cand = load<u8>(entryCand + <usize>i) == 1;
    const ref = load<u8>(entryRef + <usize>i) == 1;
    const j = cand && !ref ? ldi(wPointOf, i) : -1;
    const stable = ref || (j >= 0 && load<u8>(wState + <usize>j) == 1);
    store<u8>(isStable + <usize>i, stable ? 1 : 0);
    if (cand) store<u8>(stableRow + <usize>ldi(entryRow, i), stable ? 1 : 0);
    st(signed, i, ref ? 0.0 : stable ? ld(wSigned, j) : ld(entryE, i) - ld(wValues, ldi(wQueryOf, q)));
  }
  if (!withDecomp) return true;
  // Each query's basis as entries, with its share tolerance; unstable entries point at theirs.
  const first = qBase + qCount;
  for (let t = 0; t < nq; t++) {
    let min = 1.0;
    for (let c = 0; c < d; c++) {
      const v = ld(wQueries, t * d + c);
      if (v > 0.0 && v < min) min = v;
    }
    sti(qAt, qCount, slotTop);
    sti(qDims, qCount, d);
    st(qMin, qCount, Math.min(NUMERICAL_TOL, 1e-3 * min));
    qCount++;
    for (let c = 0; c < d; c++) {
      const j = ldi(wIndex, t * d + c);
      sti(slotEntry, slotTop, j < 0 ? -1 : ldi(rowEntry, ldi(wCols, j)));
      st(slotFrac, slotTop, ld(wFraction, t * d + c));
      slotTop++;
    }
  }
  for (let q = 0; q < nOwnEntries; q++) {
    const i = ldi(ownFlat, own0 + q);
    if (load<u8>(isStable + <usize>i) == 0) sti(entryQuery, i, first + ldi(wQueryOf, q));
  }
  return true;
}

@inline function before(a: i32, b: i32, stride: i32): bool {
  const ea = ld(wPts, a * stride + stride - 1);
  const eb = ld(wPts, b * stride + stride - 1);
  return ea < eb || (ea == eb && a < b);
}

/** The points to decide (wOrder[0, len)) by formation energy ascending, ties by position: a total order, so any sort gives the same. */
function sortByEnergy(len: i32, stride: i32): void {
  if (len <= 64) {
    for (let a = 1; a < len; a++) {
      const v = ldi(wOrder, a);
      let b = a - 1;
      while (b >= 0 && before(v, ldi(wOrder, b), stride)) {
        sti(wOrder, b + 1, ldi(wOrder, b));
        b--;
      }
      sti(wOrder, b + 1, v);
    }
    return;
  }
  // Heap sort (largest at the root, moved to the end).
  for (let start = (len >> 1) - 1; start >= 0; start--) siftDown(start, len, stride);
  for (let end = len - 1; end > 0; end--) {
    const top = ldi(wOrder, 0);
    sti(wOrder, 0, ldi(wOrder, end));
    sti(wOrder, end, top);
    siftDown(0, end, stride);
  }
}

function siftDown(start: i32, len: i32, stride: i32): void {
  let root = start;
  while (true) {
    let child = 2 * root + 1;
    if (child >= len) return;
    if (child + 1 < len && before(ldi(wOrder, child), ldi(wOrder, child + 1), stride)) child++;
    if (!before(ldi(wOrder, root), ldi(wOrder, child), stride)) return;
    const t = ldi(wOrder, root);
    sti(wOrder, root, ldi(wOrder, child));
    sti(wOrder, child, t);
    root = child;
  }
}
