// LoadError and the helpers that word its messages: every reader (records, CSV, streamed JSON) names
// the source, the record or line and the id the same way, so the wording lives here once.
import { EntryError } from '../core/index.js';

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

/** `<source>[ record <index>][ (line <line>, id "<id>")]`. */
function locate(loc: { source: string; index?: number; line?: number }, id?: string): string {
  const parts: string[] = [];
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (id !== undefined) parts.push(`id ${JSON.stringify(id)}`);
  const rec = loc.index !== undefined ? ` record ${loc.index}` : '';
  return `${loc.source}${rec}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Throws a `LoadError` for `msg` at `loc` (a record or a line) and the entry `id`. */
export function fail(loc: { source: string; index?: number; line?: number }, id: string | undefined, msg: string, cause?: unknown): never {
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

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A value as messages show it: its kind, and a short scalar. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `${typeof v} ${s.length > 40 ? `${s.slice(0, 40)}…` : s}`;
}
