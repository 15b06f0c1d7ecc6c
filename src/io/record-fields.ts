// Typed reads of JSON record fields (numbers, compositions) that fail with a LoadError naming the
// field: shared by the pymatgen / formation readers (records.ts) and the Materials Project
// document reader (mp-documents.ts), which records.ts calls.
import { Composition } from '../core/index.js';
import { describeValue, errorMessage, fail, type RecordLocation } from './load-error.js';

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Number field: missing, non-numeric and non-finite values are errors naming the field. */
export function num(record: Record<string, unknown>, key: string, loc: RecordLocation, id: string): number {
  const v = record[key];
  if (v === undefined || v === null) fail(loc, id, `missing ${key}`);
  if (typeof v !== 'number') fail(loc, id, `${key} is not a number (${describeValue(v)})`);
  if (!Number.isFinite(v)) fail(loc, id, `${key} is not a finite number (${v})`);
  return v;
}

/** Optional number field: undefined when absent or null; errors when present but not a finite number. */
export function optNum(record: Record<string, unknown>, key: string, loc: RecordLocation, id: string): number | undefined {
  const v = record[key];
  if (v === undefined || v === null) return undefined;
  return num(record, key, loc, id);
}

/** A formula string or a pymatgen `Composition.as_dict()` map. */
export function compositionOf(value: unknown, field: string, loc: RecordLocation, id: string): Composition {
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
  fail(loc, id, `${field} must be a formula string or an {element: amount} object, got ${describeValue(value)}`);
}
