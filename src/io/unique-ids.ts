// Ids of one dataset: decompositions and screen rows name phases by id, so two entries of different
// compositions sharing an id would merge under one name. A whole-file load (loadEntries, a dropped
// file, entriesFromCsv/Records) refuses that at the second one, naming both lines or records;
// streamed candidates (streamEntries) are not held, so not checked. Entries of one composition may
// share an id (polymorphs of a CSV without an id column are named by their formula).
import type { Entry } from '../core/index.js';
import { LoadError } from './load-error.js';

/** Where an entry was read: a line, or a record (with the line it starts on). */
export interface EntryPlace {
  line?: number;
  index?: number;
}

function describe(p: EntryPlace): string {
  if (p.index !== undefined) return `record ${p.index}${p.line !== undefined ? ` (line ${p.line})` : ''}`;
  return `line ${p.line}`;
}

export class UniqueIds {
  /** Id → position in `first` (numbers, not objects: a million ids cost one Map). */
  private readonly seen = new Map<string, number>();
  private readonly first: Entry[] = [];
  private readonly lines: number[] = [];
  private readonly records: number[] = [];

  constructor(readonly source: string) {}

  /** Registers `e` read at `place`; throws a LoadError naming both places when its id names another composition. */
  check(e: Entry, place: EntryPlace): void {
    const k = this.seen.get(e.id);
    if (k === undefined) {
      this.seen.set(e.id, this.first.length);
      this.first.push(e);
      this.lines.push(place.line ?? -1);
      this.records.push(place.index ?? -1);
      return;
    }
    const f = this.first[k]!;
    if (f.composition.key === e.composition.key) return;
    const firstPlace: EntryPlace = {};
    if (this.lines[k]! >= 0) firstPlace.line = this.lines[k]!;
    if (this.records[k]! >= 0) firstPlace.index = this.records[k]!;
    throw new LoadError(
      `${this.source} ${describe(place)} (id ${JSON.stringify(e.id)}): the id of ${describe(firstPlace)} too, a different composition (${f.composition.formula}, here ${e.composition.formula}); ids must be unique in a dataset — decompositions name phases by id`,
      { source: this.source, ...(place.line !== undefined ? { line: place.line } : {}), ...(place.index !== undefined ? { record: place.index } : {}), id: e.id },
    );
  }
}
