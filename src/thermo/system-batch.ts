// The TS side of assembly/system-batch.ts: a SystemIndex's chemical systems as flat arrays (made once
// per index), laid out in the kernel's memory for one batch of systems, and the answers (stabilities,
// signed distances, decompositions) read back into the index. Every system's set-up runs in the
// kernel: a table has ~40,000 systems, and the set-up in TS cost as much as the scans, more while
// V8 was still warming up. A system the kernel declines is solved by the caller's fallback between
// two calls, the layout kept reserved meanwhile.
import type { CandidateRows } from './candidate-rows.js';
import type { SystemList } from './system-members.js';
import type { SolveContext } from './system-solve.js';
import { kernel } from './wasm.js';

/** The systems of an index in solve order (subsystems first), flat. */
export interface SystemTable {
  readonly count: number;
  /** System s's elements as indices of the candidate rows' element index: dims[dimsAt[s] .. dimsAt[s+1]), in the order of its sorted symbols. */
  readonly dimsAt: Int32Array;
  readonly dims: Int32Array;
  /** Its own entries: own[ownAt[s] .. ownAt[s+1]). */
  readonly ownAt: Int32Array;
  readonly own: Int32Array;
  /** Its hull candidates' rows: candStart[s] + [0, candCount[s]) (rows are laid out system by system). */
  readonly candStart: Int32Array;
  readonly candCount: Int32Array;
}

/**
 * The table of `systems` (solve order: their elements, alphabetical, and entries); `cands[s]` how
 * many of the rows laid out for system s (its candidates first, then its other compositions,
 * `rowsOf[s]`) are candidates; `byRank` the rows' element index by alphabetical rank.
 */
export function systemTable(systems: SystemList, cands: Int32Array, rowsOf: Int32Array, byRank: Int32Array): SystemTable {
  const count = systems.count;
  const dimsAt = new Int32Array(count + 1);
  const candStart = new Int32Array(count);
  let dims = new Int32Array(4 * count);
  let nDims = 0;
  let row = 0;
  for (let s = 0; s < count; s++) {
    if (nDims + 128 > dims.length) {
      const grown = new Int32Array(2 * dims.length + 128);
      grown.set(dims);
      dims = grown;
    }
    // The ranks first, then each turned into its element index, in place.
    const m = systems.writeRanks(s, dims, nDims);
    for (let k = nDims; k < nDims + m; k++) dims[k] = byRank[dims[k]!]!;
    nDims += m;
    dimsAt[s + 1] = nDims;
    candStart[s] = row;
    row += rowsOf[s]!;
  }
  return { count, dimsAt, dims: dims.slice(0, nDims), ownAt: systems.ownAt, own: systems.own, candStart, candCount: cands };
}

/** Where a laid-out batch keeps what is read back or written again (byte addresses): its descriptor, answers and bases. */
interface Layout {
  readonly desc: number;
  readonly isStable: number;
  readonly stableRow: number;
  readonly signed: number;
  readonly entryQuery: number;
  readonly qAt: number;
  readonly qMin: number;
  readonly qDims: number;
  readonly slotEntry: number;
  readonly slotFrac: number;
}

/**
 * Solves systems [s0, s1) of `table` into the index's arrays (isStable, signed, stableRow and the
 * basis store); `fallback(s)` solves a system the kernel declines (numerical trouble, fractions
 * below its range, more elements than its keys hold), writing the same arrays.
 */
export function solveBatch(ctx: SolveContext, table: SystemTable, s0: number, s1: number, tol: number, withDecomp: boolean, fallback: (s: number) => void): void {
  const k = kernel();
  const x = k.exports;
  const L = layOut(ctx, table, s0, s1);
  try {
    x.batchBind(L.desc);
    let at = s0;
    while (true) {
      const stop = x.batchSolve(at, s1, tol, withDecomp ? 1 : 0, ctx.basis.size);
      const { f64, i32, u8 } = k.heap();
      if (withDecomp) ctx.basis.addMany(x.batchQueries(), x.batchSlots(), i32, L.qAt >> 2, i32, L.qDims >> 2, f64, L.qMin >> 3, i32, L.slotEntry >> 2, f64, L.slotFrac >> 3);
      const E = ctx.entries.length;
      ctx.isStable.set(u8.subarray(L.isStable, L.isStable + E));
      ctx.signed.set(f64.subarray(L.signed >> 3, (L.signed >> 3) + E));
      ctx.basis.queryOf.set(i32.subarray(L.entryQuery >> 2, (L.entryQuery >> 2) + E));
      ctx.stableRow.set(u8.subarray(L.stableRow, L.stableRow + ctx.stableRow.length));
      if (stop >= s1) return;
      fallback(stop);
      writeState(ctx, L);
      at = stop + 1;
    }
  } finally {
    k.release();
  }
}

/** The index's answers so far into the layout (after a fallback wrote them in TS). */
function writeState(ctx: SolveContext, L: Layout): void {
  const { f64, i32, u8 } = kernel().heap();
  u8.set(ctx.isStable, L.isStable);
  u8.set(ctx.stableRow, L.stableRow);
  f64.set(ctx.signed, L.signed >> 3);
  i32.set(ctx.basis.queryOf, L.entryQuery >> 2);
}

// Slots of the descriptor assembly/system-batch.ts reads (batchBind), in its order.
const DESCRIPTOR_SLOTS = 38;

/** Reserves the kernel's memory for a batch of systems [s0, s1) and writes the index into it. */
function layOut(ctx: SolveContext, table: SystemTable, s0: number, s1: number): Layout {
  const k = kernel();
  const x = k.exports;
  const rows: CandidateRows = ctx.rows;
  const E = ctx.entries.length;
  const R = rows.entryOf.length;
  const S = table.count;
  const G = ctx.groups.lowest.length;
  const EL = rows.index.size;
  const slotsOf = rows.offsets[R]!;
  const limit = x.batchMaxDims();
  let maxD = 1;
  let maxOwn = 1;
  // A system's decompositions take d slots per query, at most one query per own entry.
  let slots = 0;
  for (let s = s0; s < s1; s++) {
    const d = table.dimsAt[s + 1]! - table.dimsAt[s]!;
    const own = table.ownAt[s + 1]! - table.ownAt[s]!;
    if (d <= limit && d > maxD) maxD = d;
    if (d <= limit) slots += d * own;
    maxOwn = Math.max(maxOwn, own);
  }
  // Byte offsets from the reservation's start, 8-aligned.
  let top = 0;
  const place = (bytes: number): number => {
    const p = top;
    top += (bytes + 7) & ~7;
    return p;
  };
  const o = {
    desc: place(4 * DESCRIPTOR_SLOTS),
    dimsAt: place(4 * (S + 1)),
    dims: place(4 * table.dims.length),
    ownAt: place(4 * (S + 1)),
    own: place(4 * table.own.length),
    candStart: place(4 * S),
    candCount: place(4 * S),
    rowAt: place(4 * (R + 1)),
    rowElem: place(4 * slotsOf),
    rowFrac: place(8 * slotsOf),
    rowE: place(8 * R),
    rowGroup: place(4 * R),
    rowRef: place(R),
    rowEntry: place(4 * R),
    entryRow: place(4 * E),
    entryGroup: place(4 * E),
    entryCand: place(E),
    entryRef: place(E),
    entryE: place(8 * E),
    isStable: place(E),
    stableRow: place(R),
    signed: place(8 * E),
    entryQuery: place(4 * E),
    stableAt: place(4 * S),
    stableCount: place(4 * S),
    stableRows: place(4 * R),
    qAt: place(4 * G),
    qMin: place(8 * G),
    qDims: place(4 * G),
    slotEntry: place(4 * slots),
    slotFrac: place(8 * slots),
    work: place(x.batchScratchBytes(S, E, R, G, EL, maxD, maxOwn)),
  };
  const base = k.reserve(top);
  const { f64, i32, u8 } = k.heap();
  const p = (name: keyof typeof o): number => base + o[name];
  i32.set(table.dimsAt, p('dimsAt') >> 2);
  i32.set(table.dims, p('dims') >> 2);
  i32.set(table.ownAt, p('ownAt') >> 2);
  i32.set(table.own, p('own') >> 2);
  i32.set(table.candStart, p('candStart') >> 2);
  i32.set(table.candCount, p('candCount') >> 2);
  i32.set(rows.offsets, p('rowAt') >> 2);
  i32.set(rows.elem, p('rowElem') >> 2);
  f64.set(rows.frac, p('rowFrac') >> 3);
  f64.set(rows.eForm, p('rowE') >> 3);
  i32.set(rows.group, p('rowGroup') >> 2);
  u8.set(rows.isRef, p('rowRef'));
  i32.set(rows.entryOf, p('rowEntry') >> 2);
  i32.set(rows.rowOf, p('entryRow') >> 2);
  i32.set(ctx.groups.group, p('entryGroup') >> 2);
  u8.set(ctx.isCandidate, p('entryCand'));
  u8.set(ctx.isRef, p('entryRef'));
  f64.set(ctx.eForm, p('entryE') >> 3);
  const L: Layout = {
    desc: p('desc'),
    isStable: p('isStable'),
    stableRow: p('stableRow'),
    signed: p('signed'),
    entryQuery: p('entryQuery'),
    qAt: p('qAt'),
    qMin: p('qMin'),
    qDims: p('qDims'),
    slotEntry: p('slotEntry'),
    slotFrac: p('slotFrac'),
  };
  writeState(ctx, L);
  const desc = [S, E, R, G, EL, maxD, maxOwn];
  for (const name of Object.keys(o) as (keyof typeof o)[]) if (name !== 'desc') desc.push(p(name));
  if (desc.length !== DESCRIPTOR_SLOTS) throw new Error(`system batch: ${desc.length} descriptor slots, the kernel reads ${DESCRIPTOR_SLOTS}`);
  i32.set(desc, L.desc >> 2);
  return L;
}
