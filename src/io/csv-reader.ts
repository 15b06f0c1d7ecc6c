// CSV → entries: the header rules, one line at a time (CsvEntryReader), and lines of a string or of
// streamed pieces taken from a LineSplitter (lines.ts). Every CSV path — entriesFromCsv, the file
// and Blob loaders, csvChunks' header search, the screen's chunk reader — goes through these rules.
import { Composition, Entry } from '../core/index.js';
import { LineSplitter } from './lines.js';
import { errorMessage, fail, LoadError } from './load-error.js';
import type { ParseOptions } from './records.js';
import { UniqueIds } from './unique-ids.js';

const CSV_FORMULA = new Set(['formula', 'composition', 'formula_pretty']);
const CSV_EFORM = new Set(['e_form_per_atom', 'formation_energy_per_atom', 'e_form']);
const CSV_ENERGY = new Set(['energy']);
const CSV_ID = new Set(['id', 'entry_id', 'material_id']);
// The standard deviation of each row's energy (eV/atom), for uncertainty sampling.
const CSV_STD = new Set(['e_form_per_atom_std', 'uncertainty']);

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Splits one CSV line; RFC 4180 quotes within the line (no multi-line fields). */
export function splitCsvLine(line: string): string[] | string {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0) return 'unterminated quoted field';
        s += line.slice(i, j);
        if (line[j + 1] === '"') {
          s += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      out.push(s);
      if (i === n) return out;
      if (line[i] !== ',') return `unexpected character after a quoted field at column ${i + 1}`;
      i++;
    } else {
      const j = line.indexOf(',', i);
      if (j < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, j));
      i = j + 1;
    }
  }
}

/**
 * A line before the header as a header: without a BOM on line 1; `undefined` when blank (not the
 * header). A CR inside it means lines that end in CR only (classic Mac OS), which read as one
 * line: refused here, the one place every CSV path finds its header, so `hull` and `screen` say
 * the same.
 */
export function headerText(line: string, lineNo: number, source: string): string | undefined {
  const text = lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (text.trim() === '') return undefined;
  const cr = text.indexOf('\r');
  if (cr >= 0 && cr < text.length - 1) {
    fail({ source, line: lineNo }, undefined, 'lines end in a lone CR (classic Mac OS line ends), so the file reads as one line: convert it to LF or CRLF line ends');
  }
  return text;
}

/** Column indices of a read header (-1: absent) and the kind of energy it holds. */
export interface CsvColumns {
  readonly count: number;
  readonly formula: number;
  readonly energy: number;
  readonly id: number;
  readonly std: number;
  readonly kind: 'formation' | 'total';
}

/** Whether an energy cell is a plain decimal number (the reader's rule for every energy cell). */
export function isDecimal(raw: string): boolean {
  return DECIMAL.test(raw);
}

/**
 * Incremental CSV → entries, one line at a time (for streaming readers). The first non-blank
 * line is the header: a formula column (`formula`), exactly one energy column
 * (`e_form_per_atom` → formation entries, or `energy` = total energy of the formula as written,
 * uncorrected and without correction), and optionally an `id` column (`id`/`entry_id`/
 * `material_id`), and optionally the standard deviation of each energy in eV/atom
 * (`e_form_per_atom_std` or `uncertainty`; an empty cell gives none), for uncertainty sampling.
 * Without an id column — or for an empty id cell — the id is the formula exactly as written. Blank lines are not rows and are ignored; any other malformed line throws.
 */
export class CsvEntryReader {
  readonly source: string;
  private header: string[] | undefined;
  private iFormula = -1;
  private iEnergy = -1;
  private iId = -1;
  private iStd = -1;
  private kind: 'formation' | 'total' = 'formation';
  private count = 0;
  private readonly ids: UniqueIds | undefined;

  constructor(options: Pick<ParseOptions, 'source' | 'ids'> = {}) {
    this.source = options.source ?? 'CSV';
    this.ids = options.ids;
  }

  /** Number of entries built so far. */
  get entries(): number {
    return this.count;
  }

  /**
   * The header's columns once it was read (undefined before): for readers that take plain rows
   * on a fast path and hand every other line to `line` (screen/csv-candidates.ts).
   */
  get columns(): CsvColumns | undefined {
    if (this.header === undefined) return undefined;
    return { count: this.header.length, formula: this.iFormula, energy: this.iEnergy, id: this.iId, std: this.iStd, kind: this.kind };
  }

  /**
   * Reads every line `lines` has ready, appending their entries to `out`; `onProgress(out.length)`
   * whenever that reaches a multiple of 1000.
   */
  readLines(lines: LineSplitter, out: Entry[], onProgress?: (n: number) => void): void {
    for (let text = lines.next(); text !== undefined; text = lines.next()) {
      const e = this.line(text, lines.lineNo);
      if (e) {
        out.push(e);
        if (onProgress && out.length % 1000 === 0) onProgress(out.length);
      }
    }
  }

  /** Feed one line (without its newline; a trailing `\r` is tolerated). */
  line(text: string, lineNo: number): Entry | undefined {
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (this.header === undefined) {
      const header = headerText(text, lineNo, this.source);
      if (header !== undefined) this.readHeader(header, lineNo);
      return undefined;
    }
    if (text.trim() === '') return undefined;
    const cells = splitCsvLine(text);
    const loc = { source: this.source, line: lineNo };
    if (typeof cells === 'string') fail(loc, undefined, cells);
    const formula = cells[this.iFormula];
    let id = this.iId >= 0 ? cells[this.iId] : formula;
    if (id === undefined || id === '') id = formula;
    if (cells.length !== this.header.length) {
      fail(loc, id, `expected ${this.header.length} columns (${this.header.join(',')}), got ${cells.length}: ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`);
    }
    if (formula === undefined || formula.trim() === '') fail(loc, id, 'empty formula');
    const field = this.header[this.iEnergy];
    const raw = (cells[this.iEnergy] as string).trim();
    if (raw === '') fail(loc, id, `missing ${field}`);
    if (!DECIMAL.test(raw)) fail(loc, id, `${field} is not a number (${JSON.stringify(raw)})`);
    const value = Number(raw);
    if (!Number.isFinite(value)) fail(loc, id, `${field} is not a finite number (${raw})`);
    let composition: Composition;
    try {
      composition = Composition.parse(formula.trim());
    } catch (e) {
      fail(loc, id, `unparsable formula ${JSON.stringify(formula)}: ${errorMessage(e)}`, e);
    }
    let std: number | undefined;
    if (this.iStd >= 0) {
      const rawStd = (cells[this.iStd] as string).trim();
      const col = this.header[this.iStd];
      // An empty cell: no uncertainty given for this row.
      if (rawStd !== '') {
        if (!DECIMAL.test(rawStd)) fail(loc, id, `${col} is not a number (${JSON.stringify(rawStd)})`);
        std = Number(rawStd);
        if (!Number.isFinite(std) || std < 0) fail(loc, id, `${col} must be a finite number >= 0 (eV/atom), got ${rawStd}`);
      }
    }
    let entry: Entry;
    try {
      const base = { id: id as string, composition, ...(std !== undefined ? { uncertaintyPerAtom: std } : {}) };
      entry = this.kind === 'formation' ? new Entry({ ...base, eFormPerAtom: value }) : new Entry({ ...base, energy: value });
    } catch (e) {
      fail(loc, id, errorMessage(e), e);
    }
    this.ids?.check(entry, { line: lineNo });
    this.count++;
    return entry;
  }

  private readHeader(text: string, lineNo: number): void {
    const loc = { source: this.source, line: lineNo };
    const cells = splitCsvLine(text);
    if (typeof cells === 'string') fail(loc, undefined, `header: ${cells}`);
    const names = cells.map((c) => c.trim().toLowerCase());
    for (let i = 0; i < names.length; i++) {
      const c = names[i] as string;
      const set = (cur: number, what: string): number => {
        if (cur >= 0) fail(loc, undefined, `header has two ${what} columns: ${JSON.stringify(text)}`);
        return i;
      };
      if (CSV_FORMULA.has(c)) this.iFormula = set(this.iFormula, 'formula');
      else if (CSV_EFORM.has(c)) {
        this.iEnergy = set(this.iEnergy, 'energy');
        this.kind = 'formation';
      } else if (CSV_ENERGY.has(c)) {
        this.iEnergy = set(this.iEnergy, 'energy');
        this.kind = 'total';
      } else if (CSV_ID.has(c)) this.iId = set(this.iId, 'id');
      else if (CSV_STD.has(c)) this.iStd = set(this.iStd, 'uncertainty');
      else {
        fail(
          loc,
          undefined,
          `unknown format: unexpected CSV column ${JSON.stringify(cells[i])} in header ${JSON.stringify(text)}; expected formula,e_form_per_atom[,id][,e_form_per_atom_std] or formula,energy[,id][,uncertainty]`,
        );
      }
    }
    if (this.iFormula < 0 || this.iEnergy < 0) {
      fail(
        loc,
        undefined,
        `unknown format: CSV header ${JSON.stringify(text)} needs a formula column and an e_form_per_atom or energy column (expected formula,e_form_per_atom[,id] or formula,energy[,id])`,
      );
    }
    this.header = cells.map((c) => c.trim());
  }
}

/** Entries from CSV text (see `CsvEntryReader` for the accepted headers). */
export function entriesFromCsv(text: string, options: Pick<ParseOptions, 'source' | 'onProgress'> = {}): Entry[] {
  const source = options.source ?? 'CSV';
  const reader = new CsvEntryReader({ source, ids: new UniqueIds(source) });
  const lines = new LineSplitter();
  lines.push(text);
  lines.end();
  const out: Entry[] = [];
  reader.readLines(lines, out, options.onProgress);
  if (out.length === 0) throw new LoadError(`no entries in ${reader.source}`, { source: reader.source });
  options.onProgress?.(out.length);
  return out;
}
