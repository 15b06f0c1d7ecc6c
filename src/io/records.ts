/**
 * JSON records → entries: which format a record list is in (detected from its first record), and
 * the conversion of pymatgen entry dicts and formation-energy records (Materials Project documents
 * in mp-documents.ts). Both `entriesFromRecords` (records already parsed) and the streaming loaders
 * (entry-stream.ts, one record at a time) convert through `RecordConverter`.
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
 *    The named parts are kept too (`correctionUncertainties`, by adjustment `name`): uncertainty
 *    sampling draws one error per name, shared by every entry carrying it. Without adjustments,
 *    a `correction_uncertainty` key is the entry's whole uncertainty.
 *  - `formation`: `{entry_id, composition, e_form_per_atom, volume_per_atom?, data?: {band_gap?},
 *    e_form_per_atom_std? | uncertainty?}` (Alexandria convex-hull records; the optional standard
 *    deviation in eV/atom). Their `energy` field is ignored (ambiguous normalisation).
 *  - `mp-api`: Materials Project API summary / thermo documents, see `MpEnergyChoice` below.
 *  - CSV (csv-reader.ts): header `formula,e_form_per_atom[,id]` or `formula,energy[,id]`.
 */
import { Entry, type EntryInit } from '../core/index.js';
import { describeValue, errorMessage, fail, LoadError, type RecordLocation } from './load-error.js';
import { mpApiInit, mpEnergyOf } from './mp-documents.js';
import { compositionOf, isObject, num, optNum } from './record-fields.js';
import { UniqueIds } from './unique-ids.js';

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
  /** Refuse an id given to two compositions (unique-ids.ts); whole-dataset parsers pass one. */
  ids?: UniqueIds;
}

// ---------------------------------------------------------------------------------------------
// Format detection

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
  if (!isObject(record)) return `unknown format: records must be JSON objects, got ${describeValue(record)}`;
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

// ---------------------------------------------------------------------------------------------
// Records → entries

/** Converts records of one format; keeps the per-list decisions (format, MP energy). */
export class RecordConverter {
  readonly source: string;
  private format: RecordFormat | undefined;
  private mpEnergy: MpEnergyChoice;
  private readonly ids: UniqueIds | undefined;

  constructor(options: ParseOptions = {}) {
    this.source = options.source ?? 'records';
    this.ids = options.ids;
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
    if (!isObject(record)) fail(loc, undefined, `expected a JSON object, got ${describeValue(record)}`);
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
        if (this.mpEnergy === 'auto') this.mpEnergy = mpEnergyOf(record);
        init = mpApiInit(record, id, loc, this.mpEnergy);
        break;
      }
    }
    let entry: Entry;
    try {
      entry = new Entry(init);
    } catch (e) {
      fail(loc, id, errorMessage(e), e);
    }
    this.ids?.check(entry, line !== undefined ? { index, line } : { index });
    return entry;
  }
}

interface Adjustment {
  value: number;
  uncertainty: number;
  /** pymatgen's adjustment `name` (e.g. "MP2020 anion correction (oxide)"), when it has one. */
  name: string | undefined;
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
    if (typeof v !== 'number') fail(loc, id, `energy_adjustments[${k}].${key} is not a number (${describeValue(v)})`);
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
  const name = typeof adj.name === 'string' && adj.name !== '' ? adj.name : undefined;
  return { value, uncertainty, name };
}

function pymatgenInit(record: Record<string, unknown>, id: string, loc: RecordLocation): EntryInit {
  const composition = compositionOf(record.composition, 'composition', loc, id);
  const energy = num(record, 'energy', loc, id);
  const adjs = record.energy_adjustments;
  let correction: number;
  let correctionUncertainty = 0;
  // Named parts of the uncertainty: one error per adjustment name, shared by every entry with that
  // name (uncertainty sampling draws it once); an unnamed adjustment's is the entry's own.
  const named: Record<string, number> = {};
  let unnamed2 = 0;
  if (Array.isArray(adjs) && adjs.length > 0) {
    correction = 0;
    let var2 = 0;
    adjs.forEach((a, k) => {
      const { value, uncertainty, name } = adjustmentOf(a, k, loc, id);
      correction += value;
      // pymatgen: ufloat(value, unc) only when value != 0 (else ufloat(value, 0)).
      if (value === 0 || uncertainty === 0) return;
      var2 += uncertainty * uncertainty;
      if (name === undefined) unnamed2 += uncertainty * uncertainty;
      else named[name] = (named[name] ?? 0) + uncertainty; // the same name twice: one error, added
    });
    correctionUncertainty = Math.sqrt(var2);
  } else {
    if (adjs !== undefined && adjs !== null && !Array.isArray(adjs)) fail(loc, id, `energy_adjustments is not a list`);
    correction = optNum(record, 'correction', loc, id) ?? 0;
    correctionUncertainty = optNum(record, 'correction_uncertainty', loc, id) ?? 0;
    if (correctionUncertainty < 0) fail(loc, id, `correction_uncertainty must be >= 0, got ${correctionUncertainty}`);
  }
  const init: EntryInit = { id, composition, energy, correction, correctionUncertainty };
  if (Object.keys(named).length) {
    init.correctionUncertainties = named;
    // Unnamed parts stay the entry's own error (per atom), beside the named ones.
    if (unnamed2 > 0) init.uncertaintyPerAtom = Math.sqrt(unnamed2) / composition.numAtoms;
  }
  return init;
}

function formationInit(record: Record<string, unknown>, id: string, loc: RecordLocation): EntryInit {
  const composition = compositionOf(record.composition, 'composition', loc, id);
  const init: EntryInit = { id, composition, eFormPerAtom: num(record, 'e_form_per_atom', loc, id) };
  const vol = optNum(record, 'volume_per_atom', loc, id);
  if (vol !== undefined) init.volumePerAtom = vol;
  const std = uncertaintyField(record, loc, id);
  if (std !== undefined) init.uncertaintyPerAtom = std;
  const data = record.data;
  if (isObject(data)) {
    const gap = data.band_gap;
    if (gap !== undefined && gap !== null) {
      if (typeof gap !== 'number' || !Number.isFinite(gap)) fail(loc, id, `data.band_gap is not a finite number (${describeValue(gap)})`);
      init.bandGap = gap;
    }
  }
  return init;
}

/** Standard deviation fields of a formation-energy record (eV/atom): the first present of these. */
export const UNCERTAINTY_FIELDS = ['e_form_per_atom_std', 'uncertainty'] as const;

function uncertaintyField(record: Record<string, unknown>, loc: RecordLocation, id: string): number | undefined {
  for (const key of UNCERTAINTY_FIELDS) {
    const v = optNum(record, key, loc, id);
    if (v === undefined) continue;
    if (v < 0) fail(loc, id, `${key} must be >= 0 eV/atom, got ${v}`);
    return v;
  }
  return undefined;
}

function unwrapRecords(records: unknown, source: string): unknown[] {
  if (Array.isArray(records)) return records;
  if (isObject(records) && Array.isArray(records.data)) return records.data;
  throw new LoadError(`${source}: unknown format: expected an array of records or {"data": [...]}, got ${describeValue(records)}`, { source });
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
  const conv = new RecordConverter({ ...options, source, ids: options.ids ?? new UniqueIds(source) });
  const out: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    out.push(conv.convert(list[i], i));
    if (options.onProgress && out.length % 1000 === 0) options.onProgress(out.length);
  }
  if (out.length === 0) throw new LoadError(`no entries in ${source}`, { source });
  options.onProgress?.(out.length);
  return out;
}
