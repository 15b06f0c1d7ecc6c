// Text pieces → entries, whatever the format: the one streaming reader behind the Node file loaders
// (node-loaders.ts: fs + zlib) and the Blob loader (blob-entries.ts: Blob stream +
// DecompressionStream), which differ only in how they obtain the pieces. The format comes from the
// options, else the name, else the first non-blank character: `[` or `{` → JSON (JsonArrayReader +
// RecordConverter), anything else → CSV (LineSplitter + CsvEntryReader).
import type { Entry } from '../core/index.js';
import { CsvEntryReader } from './csv-reader.js';
import { JsonArrayReader } from './json-reader.js';
import { LineSplitter } from './lines.js';
import { LoadError } from './load-error.js';
import { type EntryFormat, type MpEnergyChoice, RecordConverter } from './records.js';
import { UniqueIds } from './unique-ids.js';

export interface EntryStreamOptions {
  /** `auto` (default): by name (`.csv`, `.json`, `.gz` stripped), else by the first non-blank character. */
  format?: EntryFormat;
  /** Materials Project documents: which energy to use. */
  mpEnergy?: MpEnergyChoice;
  /** JSON keys whose values are skipped unbuilt (default `DEFAULT_SKIP_KEYS`). */
  skipKeys?: Iterable<string>;
  /**
   * Refuse an id given to entries of two compositions, naming both lines (unique-ids.ts): for
   * whole-dataset loads, which hold every entry anyway; not for streamed candidates.
   */
  uniqueIds?: boolean;
}

/** `csv` or `json` by a file name's extension (`.gz` stripped), `undefined` for other names. */
export function formatByName(name: string): 'csv' | 'json' | undefined {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.json')) return 'json';
  return undefined;
}

/** Not whitespace (nor a BOM: `\s` includes U+FEFF). */
const NON_BLANK = /\S/;

/**
 * Entries from text arriving in pieces of any size: `push` each piece, then `end`; each call
 * appends the entries it completed to `out`. `end` throws "no entries in <source>" when there
 * were none. Errors are the readers' `LoadError`s, naming `source`.
 */
export class EntryStream {
  readonly source: string;
  private readonly options: EntryStreamOptions;
  private kind: 'csv' | 'json' | undefined;
  /** Blank text before the format is known (read once it is, for the line numbers). */
  private blank = '';
  private lines: LineSplitter | undefined;
  private csv: CsvEntryReader | undefined;
  private json: JsonArrayReader | undefined;
  private conv: RecordConverter | undefined;
  private count = 0;

  constructor(source: string, options: EntryStreamOptions = {}) {
    this.source = source;
    this.options = options;
    const format = options.format ?? 'auto';
    this.start(format === 'csv' ? 'csv' : format === 'auto' ? formatByName(source) : 'json');
  }

  /** Entries completed so far. */
  get entries(): number {
    return this.count;
  }

  push(piece: string, out: Entry[]): void {
    if (this.kind === undefined) {
      const i = piece.search(NON_BLANK);
      if (i < 0) {
        this.blank += piece;
        return;
      }
      const c = piece.charCodeAt(i);
      this.start(c === 91 || c === 123 ? 'json' : 'csv');
      if (this.blank.length) this.read(this.blank, out);
      this.blank = '';
    }
    this.read(piece, out);
  }

  end(out: Entry[]): void {
    this.read(undefined, out);
    if (this.count === 0) throw new LoadError(`no entries in ${this.source}`, { source: this.source });
  }

  private start(kind: 'csv' | 'json' | undefined): void {
    this.kind = kind;
    const { source, options } = this;
    const ids = options.uniqueIds ? new UniqueIds(source) : undefined;
    if (kind === 'csv') {
      this.lines = new LineSplitter();
      this.csv = new CsvEntryReader({ source, ...(ids ? { ids } : {}) });
    } else if (kind === 'json') {
      this.json = new JsonArrayReader({ source, skipKeys: options.skipKeys });
      this.conv = new RecordConverter({ source, format: options.format, mpEnergy: options.mpEnergy, ...(ids ? { ids } : {}) });
    }
  }

  /** Reads a piece, or the end of the input (`undefined`). */
  private read(piece: string | undefined, out: Entry[]): void {
    const before = out.length;
    if (this.lines && this.csv) {
      if (piece === undefined) this.lines.end();
      else this.lines.push(piece);
      this.csv.readLines(this.lines, out);
    } else if (this.json && this.conv) {
      const elements = piece === undefined ? this.json.end() : this.json.push(piece);
      for (const el of elements) out.push(this.conv.convert(el.value, el.index, el.line));
    }
    this.count += out.length - before;
  }
}
