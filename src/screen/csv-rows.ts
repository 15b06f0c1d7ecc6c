/**
 * A chunk of CSV lines → flat candidate rows (id, what the formula packs to, formation energy in
 * the reference's scale), without an Entry or a Composition per row: the hot loop of a CSV
 * screen's workers. Plain lines (unquoted, every cell bare) take the fast path, their formulas
 * parsed once per worker (`FormulaCache`); every other line — quotes, padded cells, bad numbers,
 * unknown elements, an uncertainty column — goes through `CsvEntryReader.line` and
 * `CandidatePacker`, so rows, errors and messages are exactly those of `streamEntries` +
 * `screenStability`. Browser-safe.
 */
import { type CandidatePacker, packComposition, type ScreenError } from './candidate-packer.js';
import { Composition, type Entry } from '../core/index.js';
import { type CsvColumns, type CsvEntryReader, isDecimal } from '../io/index.js';
import type { PackedReference } from '../thermo/index.js';

/** What a formula packs to against a reference (shared by every row of that formula). */
export interface FormulaInfo {
  /** pymatgen `formula` (the rows' `formula`). */
  readonly formula: string;
  /** False: an element the reference lacks or an unresolvable fraction (the row takes the slow path). */
  readonly ok: boolean;
  /** Chemical-system key (element indices ascending), fractions in that order, Σ x·E_ref, atoms. */
  readonly key: string;
  readonly fracs: Float64Array;
  readonly eRef: number;
  readonly numAtoms: number;
  /** The chunk that last used it and its place in that chunk's formula list (dedupes the wire). */
  stamp: number;
  slot: number;
  /**
   * The reference hull's answer at this composition, once found (it does not depend on a
   * candidate's energy): E_hull = eForm − hull; its phases and their shares, largest first.
   */
  hull: number;
  phases: number[] | undefined;
  shares: number[] | undefined;
  /** The formula as written (the cache's key; absent for rows read by CsvEntryReader). */
  readonly text?: string;
}

/** Hull answers at formulas (as written), as flat arrays: what one worker passes the others. */
export interface FormulaAnswers {
  /** The formulas, `\n`-joined. */
  readonly text: string;
  readonly hull: Float64Array;
  /** Formula i's phases and shares are [offsets[i], offsets[i+1]). */
  readonly offsets: Int32Array;
  readonly phases: Int32Array;
  readonly shares: Float64Array;
}

// Formulas kept per worker: a screen meets the same compositions again and again (polymorphs, a
// model's repeated predictions); past this many the cache starts over (memory stays bounded).
const MAX_FORMULAS = 1 << 14;
// Open addressing, at most half full.
const SLOTS = 2 * MAX_FORMULAS;

/**
 * Formulas (as written) → FormulaInfo, against one reference. Looked up by a range of the chunk's
 * text (hashed in place: no string per row); null for a formula that does not parse.
 */
export class FormulaCache {
  private readonly keys: Array<string | undefined> = new Array(SLOTS).fill(undefined);
  private readonly values: Array<FormulaInfo | null> = new Array(SLOTS).fill(null);
  private readonly hashes = new Int32Array(SLOTS);
  private size = 0;
  private readonly elIndex: Map<string, number>;
  /** Answers found here since `takeAnswers` (up to MAX_FORMULAS in all: memory stays bounded). */
  private found: FormulaInfo[] = [];
  private logged = 0;
  /** Answers other workers found, taken when their formula is first met here. */
  private readonly given = new Map<string, { hull: number; phases: number[]; shares: number[] }>();

  constructor(readonly ref: PackedReference) {
    this.elIndex = new Map(ref.elements.map((el, k) => [el, k]));
  }

  /** The info of the bare formula text[from, to); null when it does not parse (the slow path says why). */
  get(text: string, from: number, to: number): FormulaInfo | null {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    const { keys, hashes } = this;
    const mask = SLOTS - 1;
    let s = h & mask;
    for (let key = keys[s]; key !== undefined; s = (s + 1) & mask, key = keys[s]) {
      if (hashes[s] === h && key.length === to - from && sameText(key, text, from)) return this.values[s] ?? null;
    }
    const formula = text.slice(from, to);
    let info: FormulaInfo | null;
    try {
      info = this.of(Composition.parse(formula), formula);
      const answer = this.given.get(formula);
      if (answer) {
        this.given.delete(formula);
        info.hull = answer.hull;
        info.phases = answer.phases;
        info.shares = answer.shares;
      }
    } catch {
      info = null;
    }
    if (this.size >= MAX_FORMULAS) {
      keys.fill(undefined);
      this.values.fill(null);
      this.size = 0;
      s = h & mask;
    }
    keys[s] = formula;
    hashes[s] = h;
    this.values[s] = info;
    this.size++;
    return info;
  }

  /** Records an answer found here (for the other workers). */
  solved(info: FormulaInfo): void {
    if (info.text !== undefined && this.logged < MAX_FORMULAS) {
      this.logged++;
      this.found.push(info);
    }
  }

  /** The answers found since the last call, as flat arrays. */
  takeAnswers(): FormulaAnswers | undefined {
    const found = this.found;
    if (!found.length) return undefined;
    this.found = [];
    const offsets = new Int32Array(found.length + 1);
    found.forEach((f, i) => (offsets[i + 1] = offsets[i]! + f.phases!.length));
    const phases = new Int32Array(offsets[found.length]!);
    const shares = new Float64Array(phases.length);
    found.forEach((f, i) => {
      phases.set(f.phases!, offsets[i]!);
      shares.set(f.shares!, offsets[i]!);
    });
    return { text: found.map((f) => f.text).join('\n'), hull: Float64Array.from(found, (f) => f.hull), offsets, phases, shares };
  }

  /** Takes answers another worker found (kept until their formulas are met, up to MAX_FORMULAS). */
  applyAnswers(a: FormulaAnswers): void {
    const texts = a.text.split('\n');
    for (let i = 0; i < texts.length && this.given.size < MAX_FORMULAS; i++) {
      const phases = Array.from(a.phases.subarray(a.offsets[i]!, a.offsets[i + 1]!));
      this.given.set(texts[i]!, { hull: a.hull[i]!, phases, shares: Array.from(a.shares.subarray(a.offsets[i]!, a.offsets[i + 1]!)) });
    }
  }

  /** The screens' packing of one composition (packComposition): fractions by ascending element index. */
  of(comp: Composition, text?: string): FormulaInfo {
    const packed = packComposition(comp, this.elIndex, this.ref);
    const ok = 'fracs' in packed;
    return {
      formula: comp.formula,
      ok,
      key: ok ? packed.key : '',
      fracs: ok ? packed.fracs : new Float64Array(0),
      eRef: ok ? packed.eRef : 0,
      numAtoms: comp.numAtoms,
      stamp: -1,
      slot: 0,
      hull: Number.NaN,
      phases: undefined,
      shares: undefined,
      ...(text === undefined ? {} : { text }),
    };
  }
}

function sameText(key: string, text: string, from: number): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}

/**
 * A chunk's rows in input order; failed and skipped rows have no info. Ids are ranges of the
 * chunk's text (the calling thread has the text: no string per row crosses threads), except the
 * rows read by CsvEntryReader (quoted cells…), whose ids are given.
 */
export interface ChunkRows {
  /** Rows read. */
  n: number;
  /** Row r's id is text[idRanges[2r], idRanges[2r+1]) unless `ids` has it. */
  idRanges: Int32Array;
  readonly ids: Map<number, string>;
  readonly infos: Array<FormulaInfo | undefined>;
  eForm: Float64Array;
  /** Failed rows: position, message, entry. */
  readonly failures: Array<{ position: number; error: ScreenError }>;
  /** Rows left out without a failure (unknown elements, `skip`). */
  readonly skipped: number[];
}

export function chunkRows(): ChunkRows {
  return { n: 0, idRanges: new Int32Array(2048), ids: new Map(), infos: [], eForm: new Float64Array(1024), failures: [], skipped: [] };
}

/** Appends a row; its id is text[from, to) (from < 0: given in `ids`). */
function addRow(out: ChunkRows, info: FormulaInfo | undefined, eForm: number, from: number, to: number): void {
  const pos = out.n++;
  if (pos === out.eForm.length) {
    const e = new Float64Array(2 * pos);
    e.set(out.eForm);
    out.eForm = e;
    const r = new Int32Array(4 * pos);
    r.set(out.idRanges);
    out.idRanges = r;
  }
  out.infos.push(info);
  out.eForm[pos] = eForm;
  out.idRanges[2 * pos] = from;
  out.idRanges[2 * pos + 1] = to;
}

/**
 * Reads the lines of `text` (numbered from `firstLine`) into `out`; the reader has read the header.
 * A malformed line throws its LoadError (the rows before it are in `out`).
 */
export function readChunkRows(text: string, firstLine: number, reader: CsvEntryReader, cache: FormulaCache, packer: CandidatePacker, out: ChunkRows): void {
  const cols = reader.columns!;
  const ref = cache.ref;
  // Rows of the header's kind pack only against a reference of that kind (else: the slow path's message).
  const fast = cols.std < 0 && cols.kind === ref.kind;
  const formation = ref.kind === 'formation';
  const cells = new Int32Array(cols.count + 1);
  let quote = -1; // the next '"' at or after `start` (text.length: none)
  let lineNo = firstLine - 1;
  for (let start = 0; start < text.length; ) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    lineNo++;
    let end = nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const from = start;
    start = nl + 1;
    if (end === from) continue; // blank
    if (quote < from) {
      quote = text.indexOf('"', from);
      if (quote < 0) quote = text.length;
    }
    if (fast && quote >= end && splitCells(text, from, end, cols, cells)) {
      const f0 = cells[cols.formula]!;
      const f1 = cells[cols.formula + 1]! - 1;
      const raw = text.slice(cells[cols.energy]!, cells[cols.energy + 1]! - 1);
      // isDecimal admits no white space around the number (the formula is checked for it).
      if (bare(text, f0, f1) && isDecimal(raw)) {
        const value = Number(raw);
        const info = Number.isFinite(value) ? cache.get(text, f0, f1) : null;
        if (info?.ok) {
          // Entry's energy per atom: as given (formation), (energy + 0 correction) / atoms (total).
          const e = formation ? value : (value + 0) / info.numAtoms - info.eRef;
          // The id cell, or the formula as written when there is none or it is empty.
          const i0 = cols.id >= 0 ? cells[cols.id]! : 0;
          const i1 = cols.id >= 0 ? cells[cols.id + 1]! - 1 : 0;
          if (i1 > i0) addRow(out, info, e, i0, i1);
          else addRow(out, info, e, f0, f1);
          continue;
        }
      }
    }
    const entry = reader.line(text.slice(from, end), lineNo);
    if (entry) slowRow(entry, cache, packer, out);
  }
}

/** Cell starts of a line in `cells` (cells[k+1] - 1 = end of cell k); false unless it has exactly `cols.count` cells. */
function splitCells(text: string, from: number, end: number, cols: CsvColumns, cells: Int32Array): boolean {
  let at = from;
  for (let k = 0; k < cols.count - 1; k++) {
    cells[k] = at;
    const comma = text.indexOf(',', at);
    if (comma < 0 || comma >= end) return false;
    at = comma + 1;
  }
  cells[cols.count - 1] = at;
  const comma = text.indexOf(',', at);
  if (comma >= 0 && comma < end) return false;
  cells[cols.count] = end + 1;
  return true;
}

/** s[from, to) non-empty, with no white space or control character at either end (`trim` would change nothing). */
function bare(s: string, from: number, to: number): boolean {
  return to > from && s.charCodeAt(from) > 32 && s.charCodeAt(to - 1) > 32;
}

/** A row read by CsvEntryReader: packed as CandidatePacker packs it, or failed / skipped with its message. */
function slowRow(entry: Entry, cache: FormulaCache, packer: CandidatePacker, out: ChunkRows): void {
  const pos = out.n;
  const info = cache.of(entry.composition);
  out.ids.set(pos, entry.id);
  if (info.ok && entry.kind === cache.ref.kind) {
    addRow(out, info, cache.ref.kind === 'formation' ? entry.energyPerAtom : entry.energyPerAtom - info.eRef, -1, -1);
    return;
  }
  addRow(out, undefined, 0, -1, -1);
  let failed = false;
  packer.pack([entry], pos, (error) => {
    failed = true;
    out.failures.push({ position: pos, error });
  });
  if (!failed) out.skipped.push(pos);
}
