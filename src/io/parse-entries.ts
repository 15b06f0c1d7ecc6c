/**
 * Environment-neutral entry parsing: already-parsed JSON records, CSV text, and an incremental
 * JSON-array reader for streamed text. No Node imports: usable in browsers (e.g. on a `fetch`
 * body through a TextDecoderStream). The Node file loaders live in `loaders.ts`.
 *
 * Formats:
 *  - `pymatgen`: `ComputedEntry` / `ComputedStructureEntry` / `PDEntry` dicts (`as_dict()`).
 *    id = `entry_id`, or `#<index>` when absent (what the pymatgen reference tool does).
 *    `energy` is the uncorrected total energy of the composition as written; the correction and
 *    its uncertainty follow `ComputedEntry.from_dict`: when `energy_adjustments` is non-empty the
 *    correction is the sum of the adjustments' values (pymatgen ignores the `correction` key then),
 *    otherwise the `correction` key. The correction uncertainty is pymatgen's
 *    `ComputedEntry.correction_uncertainty`: the adjustments are independent `ufloat`s, so their
 *    uncertainties add in quadrature (sqrt of the sum of squares), where a Composition adjustment's
 *    uncertainty is `uncertainty_per_atom × n_atoms`, a Constant/Manual one's is `uncertainty`,
 *    a Temperature one's `uncertainty_per_deg × temp × n_atoms`; NaN / null uncertainties count as
 *    0. (pymatgen reports NaN when a non-zero correction has zero uncertainty, e.g. legacy
 *    entries with a bare `correction`; we report 0, since entries need a finite number.)
 *  - `formation`: `{entry_id, composition, e_form_per_atom, volume_per_atom?, data?: {band_gap?}}`
 *    (Alexandria convex-hull records). Their `energy` field is ignored (ambiguous normalisation).
 *  - `mp-api`: Materials Project API summary / thermo documents, see `mpEnergy` below.
 *  - CSV: header `formula,e_form_per_atom[,id]` or `formula,energy[,id]`.
 */
import { Composition } from '../core/index.js';
import { Entry, EntryError, type EntryInit } from '../core/index.js';

// ---------------------------------------------------------------------------------------------
// Public types

/** Record (JSON) formats. */
export type RecordFormat = 'pymatgen' | 'formation' | 'mp-api';
/** Every format a loader understands; `auto` detects. */
export type EntryFormat = 'auto' | 'csv' | RecordFormat;

/**
 * Which energy of Materials Project API documents to use:
 *  - `total`: corrected total energy. MP's `energy_per_atom` IS the corrected energy per atom
 *    (emmet ThermoDoc: "The total corrected DFT energy of this material per atom"),
 *    `uncorrected_energy_per_atom` the raw DFT energy per atom; MP documents carry no correction
 *    field, so the correction is `energy_per_atom − uncorrected_energy_per_atom` (per atom).
 *    Hand-made documents may give `correction_per_atom` (eV/atom) or `correction`, which we take
 *    as a TOTAL for the composition given (pymatgen's `ComputedEntry.correction` convention, and
 *    MP's own per-atom quantities always carry a `_per_atom` suffix). Totals are per-atom values
 *    × the number of atoms of the document's composition. `energy_uncertainy_per_atom` (sic, MP's
 *    spelling) or `energy_uncertainty_per_atom` becomes the correction uncertainty (× atoms).
 *  - `formation`: `formation_energy_per_atom` (against MP's elemental references).
 *  - `auto` (default): `total` if the first document has `energy_per_atom` or
 *    `uncorrected_energy_per_atom`, else `formation`. The choice is made once per record list,
 *    and every document must then provide it (entries of one load never mix kinds).
 */
export type MpEnergyChoice = 'auto' | 'total' | 'formation';

export interface ParseOptions {
  /** Force a format instead of detecting it. */
  format?: EntryFormat;
  /** Materials Project documents: which energy to use (default `auto`). */
  mpEnergy?: MpEnergyChoice;
  /** Name used in error messages (a file name); default `records` / `CSV`. */
  source?: string;
  /** Called with the number of entries built so far: every 1000 entries (loaders: per chunk, once ≥ 1000 more), and once at the end. */
  onProgress?: (n: number) => void;
}

/** A malformed input; the message names the source, the record or line, and the id. */
export class LoadError extends EntryError {
  override name = 'LoadError';
  readonly source: string;
  readonly line?: number;
  readonly record?: number;
  readonly id?: string;
  constructor(message: string, where: { source: string; line?: number; record?: number; id?: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.source = where.source;
    if (where.line !== undefined) this.line = where.line;
    if (where.record !== undefined) this.record = where.record;
    if (where.id !== undefined) this.id = where.id;
  }
}

/** Where a record came from, for error messages. */
export interface RecordLocation {
  source: string;
  /** 0-based index in the record list. */
  index: number;
  /** 1-based line where the record starts, when known. */
  line?: number;
}

function locate(loc: { source: string; index?: number; line?: number }, id?: string): string {
  const parts: string[] = [];
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (id !== undefined) parts.push(`id ${JSON.stringify(id)}`);
  const rec = loc.index !== undefined ? ` record ${loc.index}` : '';
  return `${loc.source}${rec}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function fail(loc: { source: string; index?: number; line?: number }, id: string | undefined, msg: string, cause?: unknown): never {
  throw new LoadError(
    `${locate(loc, id)}: ${msg}`,
    {
      source: loc.source,
      ...(loc.line !== undefined ? { line: loc.line } : {}),
      ...(loc.index !== undefined ? { record: loc.index } : {}),
      ...(id !== undefined ? { id } : {}),
    },
    cause === undefined ? undefined : { cause },
  );
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Format detection

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const PYMATGEN_CLASSES = new Set(['ComputedEntry', 'ComputedStructureEntry', 'GibbsComputedStructureEntry', 'PDEntry', 'TransformedPDEntry']);

const MP_API_KEYS = ['material_id', 'thermo_id', 'formula_pretty', 'energy_per_atom', 'uncorrected_energy_per_atom', 'formation_energy_per_atom'];

/**
 * Format of a record list, from its first record: `pymatgen` (an `@class` of pymatgen's entry
 * classes, or `composition` + `energy` + `correction`/`energy_adjustments`, or bare
 * `composition` + `energy`), `formation` (`composition` + `e_form_per_atom`), `mp-api`
 * (`material_id`, `formula_pretty`, `energy_per_atom`, … keys). Throws a `LoadError` otherwise.
 */
export function detectRecordFormat(record: unknown, source = 'records'): RecordFormat {
  const r = detect(record);
  if (typeof r === 'object') return r.format;
  const id = isObject(record) && typeof record.entry_id === 'string' ? record.entry_id : undefined;
  fail({ source, index: 0 }, id, r);
}

function detect(record: unknown): { format: RecordFormat } | string {
  if (!isObject(record)) return `unknown format: records must be JSON objects, got ${describe(record)}`;
  const cls = record['@class'];
  if (typeof cls === 'string' && PYMATGEN_CLASSES.has(cls)) return { format: 'pymatgen' };
  const has = (k: string) => k in record;
  if (has('composition') && has('energy') && (has('correction') || has('energy_adjustments'))) return { format: 'pymatgen' };
  if (has('composition') && has('e_form_per_atom')) return { format: 'formation' };
  if (MP_API_KEYS.some(has)) return { format: 'mp-api' };
  if (has('composition') && has('energy')) return { format: 'pymatgen' };
  return (
    `unknown format: keys ${JSON.stringify(Object.keys(record).slice(0, 12))}; expected pymatgen entry dicts ` +
    `(composition, energy, correction), formation-energy records (composition, e_form_per_atom) or ` +
    `Materials Project documents (material_id, formula_pretty/composition, energy_per_atom/formation_energy_per_atom)`
  );
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `${typeof v} ${s.length > 40 ? `${s.slice(0, 40)}…` : s}`;
}

// ---------------------------------------------------------------------------------------------
// Records → entries

/** Converts records of one format; keeps the per-list decisions (format, MP energy). */
export class RecordConverter {
  readonly source: string;
  private format: RecordFormat | undefined;
  private mpEnergy: MpEnergyChoice;

  constructor(options: ParseOptions = {}) {
    this.source = options.source ?? 'records';
    if (options.format === 'csv') throw new LoadError(`${this.source}: format "csv" given for JSON records`, { source: this.source });
    this.format = options.format === 'auto' ? undefined : options.format;
    this.mpEnergy = options.mpEnergy ?? 'auto';
  }

  /** Detected (or forced) format, once the first record has been seen. */
  get detectedFormat(): RecordFormat | undefined {
    return this.format;
  }

  convert(record: unknown, index: number, line?: number): Entry {
    const loc: RecordLocation = { source: this.source, index, ...(line !== undefined ? { line } : {}) };
    if (this.format === undefined) {
      const r = detect(record);
      if (typeof r === 'string') {
        const id0 = isObject(record) && record.entry_id != null ? String(record.entry_id) : undefined;
        fail(loc, id0, r);
      }
      this.format = r.format;
    }
    if (!isObject(record)) fail(loc, undefined, `expected a JSON object, got ${describe(record)}`);
    const rawId = this.format === 'mp-api' ? (record.material_id ?? record.entry_id ?? record.thermo_id) : record.entry_id;
    const id = rawId === undefined || rawId === null ? `#${index}` : String(rawId);
    let init: EntryInit;
    switch (this.format) {
      case 'pymatgen':
        init = pymatgenInit(record, id, loc);
        break;
      case 'formation':
        init = formationInit(record, id, loc);
        break;
      case 'mp-api': {
        if (this.mpEnergy === 'auto') {
          this.mpEnergy = record.energy_per_atom != null || record.uncorrected_energy_per_atom != null ? 'total' : 'formation';
        }
        init = mpApiInit(record, id, loc, this.mpEnergy);
        break;
      }
    }
    try {
      return new Entry(init);
    } catch (e) {
      fail(loc, id, errorMessage(e), e);
    }
  }
}

/** Number field: missing, non-numeric and non-finite values are errors naming the field. */
function num(record: Record<string, unknown>, key: string, loc: RecordLocation, id: string): number {
  const v = record[key];
  if (v === undefined || v === null) fail(loc, id, `missing ${key}`);
  if (typeof v !== 'number') fail(loc, id, `${key} is not a number (${describe(v)})`);
  if (!Number.isFinite(v)) fail(loc, id, `${key} is not a finite number (${v})`);
  return v;
}

/** Optional number field: undefined when absent or null; errors when present but not a finite number. */
function optNum(record: Record<string, unknown>, key: string, loc: RecordLocation, id: string): number | undefined {
  const v = record[key];
  if (v === undefined || v === null) return undefined;
  return num(record, key, loc, id);
}

function compositionOf(value: unknown, field: string, loc: RecordLocation, id: string): Composition {
  if (value === undefined || value === null) fail(loc, id, `missing ${field}`);
  try {
    if (typeof value === 'string') return Composition.parse(value);
    if (isObject(value)) {
      // pymatgen Composition.as_dict() is a plain {El: amount} map.
      return Composition.fromDict(value as Record<string, number>);
    }
  } catch (e) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value).slice(0, 120);
    fail(loc, id, `unparsable ${field} ${shown}: ${errorMessage(e)}`, e);
  }
  fail(loc, id, `${field} must be a formula string or an {element: amount} object, got ${describe(value)}`);
}

interface Adjustment {
  value: number;
  uncertainty: number;
}

/** Value and uncertainty of one pymatgen EnergyAdjustment dict (as pymatgen computes them). */
function adjustmentOf(adj: unknown, k: number, loc: RecordLocation, id: string): Adjustment {
  if (!isObject(adj)) fail(loc, id, `energy_adjustments[${k}] is not an object`);
  const f = (key: string, required: boolean): number => {
    const v = adj[key];
    if (v === undefined || v === null) {
      if (required) fail(loc, id, `energy_adjustments[${k}] (${String(adj['@class'] ?? '?')}) lacks ${key}`);
      return NaN;
    }
    if (typeof v !== 'number') fail(loc, id, `energy_adjustments[${k}].${key} is not a number (${describe(v)})`);
    return v;
  };
  const unc = (x: number) => (Number.isNaN(x) ? 0 : x);
  let value: number;
  let uncertainty: number;
  if ('adj_per_atom' in adj) {
    // CompositionEnergyAdjustment
    const n = f('n_atoms', true);
    value = f('adj_per_atom', true) * n;
    uncertainty = unc(f('uncertainty_per_atom', false) * n);
  } else if ('adj_per_deg' in adj) {
    // TemperatureEnergyAdjustment
    const scale = f('temp', true) * f('n_atoms', true);
    value = f('adj_per_deg', true) * scale;
    uncertainty = unc(f('uncertainty_per_deg', false) * scale);
  } else if ('value' in adj) {
    // ConstantEnergyAdjustment, ManualEnergyAdjustment
    value = f('value', true);
    uncertainty = unc(f('uncertainty', false));
  } else {
    fail(loc, id, `energy_adjustments[${k}]: unrecognised adjustment (keys ${JSON.stringify(Object.keys(adj))})`);
  }
  if (!Number.isFinite(value)) fail(loc, id, `energy_adjustments[${k}] value is not finite`);
  if (!Number.isFinite(uncertainty)) uncertainty = 0;
  return { value, uncertainty };
}

function pymatgenInit(record: Record<string, unknown>, id: string, loc: RecordLocation): EntryInit {
  const composition = compositionOf(record.composition, 'composition', loc, id);
  const energy = num(record, 'energy', loc, id);
  const adjs = record.energy_adjustments;
  let correction: number;
  let correctionUncertainty = 0;
  if (Array.isArray(adjs) && adjs.length > 0) {
    correction = 0;
    let var2 = 0;
    adjs.forEach((a, k) => {
      const { value, uncertainty } = adjustmentOf(a, k, loc, id);
      correction += value;
      // pymatgen: ufloat(value, unc) only when value != 0 (else ufloat(value, 0)).
      if (value !== 0) var2 += uncertainty * uncertainty;
    });
    correctionUncertainty = Math.sqrt(var2);
  } else {
    if (adjs !== undefined && adjs !== null && !Array.isArray(adjs)) fail(loc, id, `energy_adjustments is not a list`);
    correction = optNum(record, 'correction', loc, id) ?? 0;
  }
  return { id, composition, energy, correction, correctionUncertainty };
}

function formationInit(record: Record<string, unknown>, id: string, loc: RecordLocation): EntryInit {
  const composition = compositionOf(record.composition, 'composition', loc, id);
  const init: EntryInit = { id, composition, eFormPerAtom: num(record, 'e_form_per_atom', loc, id) };
  const vol = optNum(record, 'volume_per_atom', loc, id);
  if (vol !== undefined) init.volumePerAtom = vol;
  const data = record.data;
  if (isObject(data)) {
    const gap = data.band_gap;
    if (gap !== undefined && gap !== null) {
      if (typeof gap !== 'number' || !Number.isFinite(gap)) fail(loc, id, `data.band_gap is not a finite number (${describe(gap)})`);
      init.bandGap = gap;
    }
  }
  return init;
}

function mpApiInit(record: Record<string, unknown>, id: string, loc: RecordLocation, mode: 'total' | 'formation'): EntryInit {
  // Composition: `composition` (the cell's amounts, pymatgen dict) is preferred; then
  // `composition_reduced` (note: totals are then per reduced formula unit — per-atom energies,
  // hence hulls, are unaffected); then `formula_pretty` (also a reduced formula).
  let composition: Composition;
  if (record.composition != null) composition = compositionOf(record.composition, 'composition', loc, id);
  else if (record.composition_reduced != null) composition = compositionOf(record.composition_reduced, 'composition_reduced', loc, id);
  else if (record.formula_pretty != null) composition = compositionOf(record.formula_pretty, 'formula_pretty', loc, id);
  else fail(loc, id, 'missing composition (composition, composition_reduced or formula_pretty)');
  const n = composition.numAtoms;
  let init: EntryInit;
  if (mode === 'formation') {
    init = { id, composition, eFormPerAtom: num(record, 'formation_energy_per_atom', loc, id) };
  } else {
    const e = optNum(record, 'energy_per_atom', loc, id);
    const u = optNum(record, 'uncorrected_energy_per_atom', loc, id);
    const cpa = optNum(record, 'correction_per_atom', loc, id);
    const ctot = optNum(record, 'correction', loc, id);
    if (cpa !== undefined && ctot !== undefined && Math.abs(cpa * n - ctot) > 1e-6 * Math.max(1, n)) {
      fail(loc, id, `correction_per_atom (${cpa}) × ${n} atoms disagrees with correction (${ctot}, taken as a total)`);
    }
    const given = cpa !== undefined ? cpa * n : ctot;
    let energy: number;
    let correction: number;
    if (e !== undefined && u !== undefined) {
      correction = (e - u) * n;
      if (given !== undefined && Math.abs(given - correction) > 1e-6 * Math.max(1, n)) {
        fail(
          loc,
          id,
          `energy_per_atom − uncorrected_energy_per_atom = ${e - u} eV/atom disagrees with the given correction ` +
            `(${cpa !== undefined ? `correction_per_atom ${cpa}` : `correction ${ctot}, taken as a total for ${n} atoms`})`,
        );
      }
      energy = u * n;
    } else if (e !== undefined) {
      correction = given ?? 0;
      energy = e * n - correction;
    } else if (u !== undefined) {
      correction = given ?? 0;
      energy = u * n;
    } else {
      fail(loc, id, 'missing energy_per_atom or uncorrected_energy_per_atom');
    }
    init = { id, composition, energy, correction };
    const uncPa = optNum(record, 'energy_uncertainy_per_atom', loc, id) ?? optNum(record, 'energy_uncertainty_per_atom', loc, id);
    const uncTot = optNum(record, 'correction_uncertainty', loc, id);
    if (uncPa !== undefined) init.correctionUncertainty = uncPa * n;
    else if (uncTot !== undefined) init.correctionUncertainty = uncTot;
  }
  const gap = optNum(record, 'band_gap', loc, id);
  if (gap !== undefined) init.bandGap = gap;
  const volume = optNum(record, 'volume', loc, id);
  const nsites = optNum(record, 'nsites', loc, id);
  if (volume !== undefined && nsites !== undefined && nsites > 0) init.volumePerAtom = volume / nsites;
  return init;
}

function unwrapRecords(records: unknown, source: string): unknown[] {
  if (Array.isArray(records)) return records;
  if (isObject(records) && Array.isArray(records.data)) return records.data;
  throw new LoadError(`${source}: unknown format: expected an array of records or {"data": [...]}, got ${describe(records)}`, { source });
}

/**
 * Entries from already-parsed JSON records (an array, or the Materials Project API's
 * `{data: [...]}` envelope). The format is detected from the first record unless forced.
 * Throws `LoadError` naming record index and id for any bad record, and
 * "no entries in <source>" for an empty list.
 */
export function entriesFromRecords(records: readonly unknown[] | { data: readonly unknown[] }, options: ParseOptions = {}): Entry[] {
  const source = options.source ?? 'records';
  const list = unwrapRecords(records, source);
  const conv = new RecordConverter({ ...options, source });
  const out: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    out.push(conv.convert(list[i], i));
    if (options.onProgress && out.length % 1000 === 0) options.onProgress(out.length);
  }
  if (out.length === 0) throw new LoadError(`no entries in ${source}`, { source });
  options.onProgress?.(out.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

const CSV_FORMULA = new Set(['formula', 'composition', 'formula_pretty']);
const CSV_EFORM = new Set(['e_form_per_atom', 'formation_energy_per_atom', 'e_form']);
const CSV_ENERGY = new Set(['energy']);
const CSV_ID = new Set(['id', 'entry_id', 'material_id']);

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Splits one CSV line; RFC 4180 quotes within the line (no multi-line fields). */
function splitCsvLine(line: string): string[] | string {
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
 * Incremental CSV → entries, one line at a time (for streaming readers). The first non-blank
 * line is the header: a formula column (`formula`), exactly one energy column
 * (`e_form_per_atom` → formation entries, or `energy` = total energy of the formula as written,
 * uncorrected and without correction), and optionally an `id` column (`id`/`entry_id`/
 * `material_id`). Without an id column — or for an empty id cell — the id is the formula
 * exactly as written. Blank lines are not rows and are ignored; any other malformed line throws.
 */
export class CsvEntryReader {
  readonly source: string;
  private header: string[] | undefined;
  private iFormula = -1;
  private iEnergy = -1;
  private iId = -1;
  private kind: 'formation' | 'total' = 'formation';
  private count = 0;

  constructor(options: Pick<ParseOptions, 'source'> = {}) {
    this.source = options.source ?? 'CSV';
  }

  /** Number of entries built so far. */
  get entries(): number {
    return this.count;
  }

  /** Feed one line (without its newline; a trailing `\r` is tolerated). */
  line(text: string, lineNo: number): Entry | undefined {
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (this.header === undefined) {
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') return undefined;
      this.readHeader(text, lineNo);
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
    let entry: Entry;
    try {
      entry = this.kind === 'formation' ? new Entry({ id: id as string, composition, eFormPerAtom: value }) : new Entry({ id: id as string, composition, energy: value });
    } catch (e) {
      fail(loc, id, errorMessage(e), e);
    }
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
      else {
        fail(loc, undefined, `unknown format: unexpected CSV column ${JSON.stringify(cells[i])} in header ${JSON.stringify(text)}; expected formula,e_form_per_atom[,id] or formula,energy[,id]`);
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
  const reader = new CsvEntryReader(options);
  const out: Entry[] = [];
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    const e = reader.line(text.slice(start, end), lineNo);
    if (e) {
      out.push(e);
      if (options.onProgress && out.length % 1000 === 0) options.onProgress(out.length);
    }
    start = end + 1;
  }
  if (out.length === 0) throw new LoadError(`no entries in ${reader.source}`, { source: reader.source });
  options.onProgress?.(out.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Streaming JSON array reader

/** One element of the streamed array, with its 0-based index and 1-based starting line. */
export interface JsonElement {
  value: unknown;
  index: number;
  line: number;
}

export interface JsonArrayReaderOptions {
  source?: string;
  /**
   * Keys whose values are skipped (scanned for balanced brackets only, never built) inside
   * elements, at any depth. Default: `structure`, `structures`, `initial_structures`, `entries`
   * (ComputedStructureEntry structures; the per-functional entries of MP thermo documents).
   */
  skipKeys?: Iterable<string>;
}

export const DEFAULT_SKIP_KEYS: readonly string[] = ['structure', 'structures', 'initial_structures', 'entries'];

enum S {
  Root,
  Value,
  ObjFirst,
  ObjKey,
  Colon,
  ObjNext,
  ArrFirst,
  ArrNext,
  Skip,
  Done,
}

enum K {
  Obj,
  Arr,
  /** the streamed array: its elements are emitted, not stored */
  Records,
  /** `{ "data": [...] , ...}` envelope: only `data` is read */
  Envelope,
}

interface Frame {
  kind: K;
  value: Record<string, unknown> | unknown[] | undefined;
  key: string;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Incremental reader of a JSON document that is an array of records (or an object whose
 * `data` member is one, as the Materials Project API returns): feed text chunks with `push`,
 * get back the elements completed so far; call `end` at the end of input. Only one element is
 * built at a time, and values of `skipKeys` are scanned without being built, so memory stays
 * bounded by one (trimmed) record plus one chunk. Accepts standard JSON plus Python's `NaN`,
 * `Infinity` and `-Infinity` (which `json.dump` writes for float NaN/inf).
 */
export class JsonArrayReader {
  readonly source: string;
  private readonly skipKeys: Set<string>;
  private buf = '';
  private pos = 0;
  private line = 1;
  private lineScan = 0;
  private state: S = S.Root;
  private stack: Frame[] = [];
  /** stack depth of the Records frame, or -1 */
  private recordsDepth = -1;
  private sawData = false;
  private expectRecordsArray = false;
  private index = 0;
  private elementLine = 0;
  private out: JsonElement[] = [];
  // skip state
  private skipDepth = 0;
  private skipStr = false;
  private skipEsc = false;
  private skipStarted = false;
  private skipScalar = false;
  private ended = false;

  constructor(options: JsonArrayReaderOptions = {}) {
    this.source = options.source ?? 'JSON';
    this.skipKeys = new Set(options.skipKeys ?? DEFAULT_SKIP_KEYS);
  }

  /** Number of elements emitted so far. */
  get count(): number {
    return this.index;
  }

  push(chunk: string): JsonElement[] {
    if (this.ended) throw new Error('JsonArrayReader: push after end');
    this.lineAt(this.pos);
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.pos = 0;
    this.lineScan = 0;
    this.run(false);
    return this.take();
  }

  end(): JsonElement[] {
    if (this.ended) return [];
    this.run(true);
    this.ended = true;
    if (this.state !== S.Done) {
      if (this.state === S.Root && this.stack.length === 0) {
        // empty (or whitespace-only) input: no entries
        return this.take();
      }
      this.error('unexpected end of input (truncated JSON?)', this.buf.length);
    }
    return this.take();
  }

  private take(): JsonElement[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private lineAt(p: number): number {
    const b = this.buf;
    let l = this.line;
    for (let i = this.lineScan; i < p; i++) if (b.charCodeAt(i) === 10) l++;
    this.line = l;
    this.lineScan = p;
    return l;
  }

  private error(msg: string, p: number): never {
    const line = this.lineAt(Math.min(p, this.buf.length));
    const inRecord = this.recordsDepth >= 0 && this.stack.length > this.recordsDepth + 1;
    const where = inRecord ? ` record ${this.index} (line ${line})` : ` line ${line}`;
    throw new LoadError(`${this.source}${where}: invalid JSON: ${msg}`, {
      source: this.source,
      line,
      ...(inRecord ? { record: this.index } : {}),
    });
  }

  private charAt(p: number): string {
    const c = this.buf[p];
    return c === undefined ? 'end of input' : JSON.stringify(c);
  }

  /** Called when a complete value is ready at the current stack top. */
  private complete(v: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.error('expected an array of records', this.pos);
    }
    switch (top.kind) {
      case K.Obj: {
        const o = top.value as Record<string, unknown>;
        if (top.key === '__proto__') Object.defineProperty(o, top.key, { value: v, enumerable: true, writable: true, configurable: true });
        else o[top.key] = v;
        this.state = S.ObjNext;
        break;
      }
      case K.Arr:
        (top.value as unknown[]).push(v);
        this.state = S.ArrNext;
        break;
      case K.Records:
        this.out.push({ value: v, index: this.index, line: this.elementLine });
        this.index++;
        this.state = S.ArrNext;
        break;
      case K.Envelope:
        this.state = S.ObjNext;
        break;
    }
  }

  private startSkip(): void {
    this.state = S.Skip;
    this.skipDepth = 0;
    this.skipStr = false;
    this.skipEsc = false;
    this.skipStarted = false;
    this.skipScalar = false;
  }

  private run(final: boolean): void {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    while (p < n) {
      let c = b.charCodeAt(p);
      if (this.state === S.Skip) {
        // fast scan of a skipped value: strings and bracket depth only
        let depth = this.skipDepth;
        let inStr = this.skipStr;
        let esc = this.skipEsc;
        let done = false;
        if (!this.skipStarted) {
          while (p < n && isWs(b.charCodeAt(p))) p++;
          if (p === n) break;
          c = b.charCodeAt(p);
          this.skipStarted = true;
          if (c === 34) {
            inStr = true;
            p++;
          } else if (c === 91 || c === 123) {
            depth = 1;
            p++;
          } else if (c === 44 || c === 93 || c === 125 || c === 58) {
            this.pos = p;
            this.error(`expected a value, got ${this.charAt(p)}`, p);
          } else this.skipScalar = true;
        }
        if (this.skipScalar) {
          while (p < n) {
            c = b.charCodeAt(p);
            if (c === 44 || c === 93 || c === 125 || isWs(c)) {
              done = true;
              break;
            }
            p++;
          }
          if (!done && final) done = true;
        } else {
          while (p < n) {
            c = b.charCodeAt(p++);
            if (inStr) {
              if (esc) esc = false;
              else if (c === 92) esc = true;
              else if (c === 34) {
                inStr = false;
                if (depth === 0) {
                  done = true;
                  break;
                }
              }
            } else if (c === 34) inStr = true;
            else if (c === 91 || c === 123) depth++;
            else if (c === 93 || c === 125) {
              if (--depth === 0) {
                done = true;
                break;
              }
            }
          }
        }
        this.skipDepth = depth;
        this.skipStr = inStr;
        this.skipEsc = esc;
        if (!done) break;
        // skipped value finished: the key is simply left out
        const top = this.stack[this.stack.length - 1] as Frame;
        this.state = top.kind === K.Obj || top.kind === K.Envelope ? S.ObjNext : S.ArrNext;
        continue;
      }
      if (isWs(c)) {
        p++;
        continue;
      }
      switch (this.state) {
        case S.Root:
          if (c === 0xfeff && p === 0) {
            p++;
            continue;
          }
          if (c === 91) {
            this.stack.push({ kind: K.Records, value: undefined, key: '' });
            this.recordsDepth = 0;
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          if (c === 123) {
            this.stack.push({ kind: K.Envelope, value: undefined, key: '' });
            this.state = S.ObjFirst;
            p++;
            continue;
          }
          this.pos = p;
          throw this.error(`unknown format: expected a JSON array of records or {"data": [...]}, got ${this.charAt(p)}`, p);
        case S.Done:
          this.pos = p;
          throw this.error(`unexpected ${this.charAt(p)} after the end of the JSON document`, p);
        case S.Colon:
          if (c !== 58) {
            this.pos = p;
            this.error(`expected ':' after key ${JSON.stringify((this.stack[this.stack.length - 1] as Frame).key)}, got ${this.charAt(p)}`, p);
          }
          p++;
          this.enterMemberValue();
          continue;
        case S.ObjNext:
        case S.ArrNext: {
          const closer = this.state === S.ObjNext ? 125 : 93;
          if (c === 44) {
            p++;
            this.state = this.state === S.ObjNext ? S.ObjKey : S.Value;
            continue;
          }
          if (c === closer) {
            p++;
            this.closeContainer();
            continue;
          }
          this.pos = p;
          throw this.error(`expected ',' or '${closer === 125 ? '}' : ']'}', got ${this.charAt(p)}`, p);
        }
        case S.ObjFirst:
        case S.ObjKey: {
          if (c === 125 && this.state === S.ObjFirst) {
            p++;
            this.closeContainer();
            continue;
          }
          if (c !== 34) {
            this.pos = p;
            this.error(`expected a string key, got ${this.charAt(p)}`, p);
          }
          const r = this.readString(p, final);
          if (r === undefined) break;
          (this.stack[this.stack.length - 1] as Frame).key = r.value;
          p = r.end;
          this.state = S.Colon;
          continue;
        }
        case S.ArrFirst:
        case S.Value: {
          if (c === 93 && this.state === S.ArrFirst) {
            p++;
            this.closeContainer();
            continue;
          }
          if (this.expectRecordsArray) {
            // the envelope's `data` member must be the records array
            if (c !== 91) {
              this.pos = p;
              this.error('unknown format: "data" is not an array of records', p);
            }
            this.expectRecordsArray = false;
            this.stack.push({ kind: K.Records, value: undefined, key: '' });
            this.recordsDepth = this.stack.length - 1;
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          const top = this.stack[this.stack.length - 1] as Frame;
          if (top.kind === K.Records) this.elementLine = this.lineAt(p);
          if (c === 123) {
            this.stack.push({ kind: K.Obj, value: {}, key: '' });
            this.state = S.ObjFirst;
            p++;
            continue;
          }
          if (c === 91) {
            this.stack.push({ kind: K.Arr, value: [], key: '' });
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          const r = this.readScalar(p, final);
          if (r === undefined) break;
          p = r.end;
          this.complete(r.value);
          continue;
        }
        default:
          break;
      }
      // a token is incomplete: wait for more input
      break;
    }
    this.pos = p;
  }

  /** After `key:` — decide whether to build, skip, or (envelope) descend into `data`. */
  private enterMemberValue(): void {
    const top = this.stack[this.stack.length - 1] as Frame;
    if (top.kind === K.Envelope) {
      if (top.key === 'data' && !this.sawData) {
        this.sawData = true;
        this.state = S.Value;
        this.expectRecordsArray = true;
        return;
      }
      this.startSkip();
      return;
    }
    if (this.recordsDepth >= 0 && this.skipKeys.has(top.key)) {
      this.startSkip();
      return;
    }
    this.state = S.Value;
  }

  private closeContainer(): void {
    const f = this.stack.pop() as Frame;
    if (f.kind === K.Records) {
      if (this.stack.length === 0) {
        this.state = S.Done;
      } else {
        this.recordsDepth = -1;
        this.state = S.ObjNext; // back in the envelope
      }
      return;
    }
    if (f.kind === K.Envelope) {
      if (!this.sawData) {
        this.error('unknown format: a JSON object without a "data" array of records', this.pos);
      }
      this.state = S.Done;
      return;
    }
    this.complete(f.value);
  }

  private readString(p: number, final: boolean): { value: string; end: number } | undefined {
    const b = this.buf;
    let j = p + 1;
    for (;;) {
      j = b.indexOf('"', j);
      if (j < 0) {
        if (final) {
          this.pos = p;
          this.error('unterminated string', p);
        }
        return undefined;
      }
      let k = j - 1;
      while (k > p && b.charCodeAt(k) === 92) k--;
      if ((j - 1 - k) % 2 === 0) break;
      j++;
    }
    const raw = b.slice(p + 1, j);
    if (raw.indexOf('\\') < 0) return { value: raw, end: j + 1 };
    try {
      return { value: JSON.parse(b.slice(p, j + 1)) as string, end: j + 1 };
    } catch (e) {
      this.pos = p;
      this.error(`bad string ${b.slice(p, Math.min(j + 1, p + 60))}: ${errorMessage(e)}`, p);
    }
  }

  private readScalar(p: number, final: boolean): { value: unknown; end: number } | undefined {
    const b = this.buf;
    const c = b.charCodeAt(p);
    if (c === 34) return this.readString(p, final);
    let j = p;
    const n = b.length;
    while (j < n) {
      const d = b.charCodeAt(j);
      // letters, digits, + - .
      if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 43 || d === 45 || d === 46) j++;
      else break;
    }
    if (j === n && !final) return undefined;
    const tok = b.slice(p, j);
    let value: unknown;
    switch (tok) {
      case 'true':
        value = true;
        break;
      case 'false':
        value = false;
        break;
      case 'null':
        value = null;
        break;
      case 'NaN':
        value = NaN;
        break;
      case 'Infinity':
        value = Infinity;
        break;
      case '-Infinity':
        value = -Infinity;
        break;
      default:
        if (!NUMBER.test(tok)) {
          this.pos = p;
          this.error(tok === '' ? `unexpected ${this.charAt(p)}` : `bad token ${JSON.stringify(tok.slice(0, 40))}`, p);
        }
        value = Number(tok);
    }
    return { value, end: j };
  }
}
