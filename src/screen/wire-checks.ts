/**
 * Checks of what the screens' jobs receive from elsewhere — a queue worker's jobs come from Redis,
 * which anyone who can write to it may fill: the packed reference, a candidate batch, a CSV chunk,
 * a screening dataset. Each check names the field at fault; none trusts a length it has not
 * compared. (Within one machine the engine's own threads pass these on unchecked.) Browser-safe.
 */
import type { CsvChunk } from '../io/index.js';
import type { CandidateBatch, PackedReference } from '../thermo/index.js';

export class WireError extends TypeError {
  override name = 'WireError';
}

type Fields = Record<string, unknown>;

function object(v: unknown, what: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) throw new WireError(`${what} must be an object`);
  return v as Fields;
}

function typed<T>(v: unknown, type: { new (n: number): T; name: string }, what: string, length?: number): T {
  if (!(v instanceof type)) throw new WireError(`${what} must be a ${type.name}`);
  if (length !== undefined && (v as unknown as ArrayLike<number>).length !== length) throw new WireError(`${what} must have ${length} values, has ${(v as unknown as ArrayLike<number>).length}`);
  return v;
}

function strings(v: unknown, what: string, length?: number): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new WireError(`${what} must be an array of strings`);
  if (length !== undefined && v.length !== length) throw new WireError(`${what} must have ${length} items, has ${v.length}`);
  return v as string[];
}

function wholeNumber(v: unknown, what: string, min: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) throw new WireError(`${what} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
  return v as number;
}

/** A packed reference (thermo/packed-reference.ts): array lengths and element indices agree. */
export function checkPackedReference(wire: unknown): asserts wire is PackedReference {
  const r = object(wire, 'reference');
  if (r.kind !== 'formation' && r.kind !== 'total') throw new WireError(`reference.kind must be formation or total, got ${JSON.stringify(r.kind)}`);
  const elements = strings(r.elements, 'reference.elements');
  if (elements.length > 255) throw new WireError('reference.elements: more than 255 elements');
  typed(r.refEnergy, Float64Array, 'reference.refEnergy', elements.length);
  const ids = strings(r.ids, 'reference.ids');
  const P = ids.length;
  typed(r.eForm, Float64Array, 'reference.eForm', P);
  typed(r.isRef, Uint8Array, 'reference.isRef', P);
  const offsets = typed(r.offsets, Int32Array, 'reference.offsets', P + 1);
  if (offsets[0] !== 0) throw new WireError('reference.offsets must start at 0');
  for (let p = 0; p < P; p++) if (offsets[p + 1]! < offsets[p]!) throw new WireError(`reference.offsets must not decrease (point ${p})`);
  const elems = typed(r.elems, Uint8Array, 'reference.elems', offsets[P]!);
  typed(r.fracs, Float64Array, 'reference.fracs', offsets[P]!);
  for (let k = 0; k < elems.length; k++) if (elems[k]! >= elements.length) throw new WireError(`reference.elems[${k}] is not an element of the reference`);
  wholeNumber(r.entries, 'reference.entries', 0);
}

/** A candidate batch (thermo/reference-hull.ts): counts add up to the candidates, fractions to their systems. */
export function checkCandidateBatch(args: unknown): asserts args is CandidateBatch {
  const b = object(args, 'batch');
  const systems = strings(b.systems, 'batch.systems');
  const counts = typed(b.counts, Int32Array, 'batch.counts', systems.length);
  let n = 0;
  let fracs = 0;
  for (let g = 0; g < systems.length; g++) {
    if (counts[g]! < 0) throw new WireError(`batch.counts[${g}] is negative`);
    n += counts[g]!;
    fracs += counts[g]! * systems[g]!.length;
  }
  typed(b.eForm, Float64Array, 'batch.eForm', n);
  typed(b.fracs, Float64Array, 'batch.fracs', fracs);
}

/** A stability.csv job's arguments: a chunk of CSV lines and what to do with unknown elements. */
export function checkCsvJob(args: unknown): asserts args is { chunk: CsvChunk; unknownElements: 'error' | 'skip' } {
  const a = object(args, 'arguments');
  if (a.unknownElements !== 'error' && a.unknownElements !== 'skip') throw new WireError(`unknownElements must be error or skip, got ${JSON.stringify(a.unknownElements)}`);
  const c = object(a.chunk, 'chunk');
  for (const k of ['source', 'header', 'text'] as const) if (typeof c[k] !== 'string') throw new WireError(`chunk.${k} must be a string`);
  wholeNumber(c.headerLine, 'chunk.headerLine', 1);
  wholeNumber(c.firstLine, 'chunk.firstLine', 1);
}

/** A screening dataset's wire form: its name, and its entries or the embedded table. */
export function checkDatasetWire(wire: unknown): void {
  const w = object(wire, 'dataset');
  if (typeof w.name !== 'string') throw new WireError('dataset.name must be a string');
  if (typeof w.embedded !== 'boolean') throw new WireError('dataset.embedded must be true or false');
  if (w.embedded ? w.entries !== null : !Array.isArray(w.entries)) throw new WireError('dataset.entries must be an array of entries (null for the embedded table)');
}

/** Any workflow job's arguments: an object (its own functions check the rest as bad input). */
export function checkArgsObject(args: unknown): void {
  object(args, 'arguments');
}
