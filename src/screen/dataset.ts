// The DATASET data kind: a dataset for the screening workflows and the uncertainty analyses, sent
// to each worker as plain entries (uncertainties included) or as "the embedded table", and prepared
// there once (one evaluated SystemIndex). Its own module so that jobs.ts and uncertainty-jobs.ts
// both declare jobs on it.
import { entryFromData, entryToData, type EntryData } from '../core/index.js';
import { defineDataKind } from '../engine/index.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import { prepareScreenData, type ScreenData } from './common.js';
import { checkDatasetWire } from './wire-checks.js';

/** What a screening dataset crosses threads as: its entries, or null for the embedded table. */
export interface DatasetWire {
  readonly name: string;
  readonly embedded: boolean;
  readonly entries: readonly EntryData[] | null;
}

/** A dataset for the screening workflows: each worker prepares it (index evaluated) once. */
export const DATASET = defineDataKind<DatasetWire, ScreenData>({
  name: 'dataset',
  pack: (entries, name) => (entries === null ? { name: name ?? DEFAULT_DATA_INFO.name, embedded: true, entries: null } : { name: name ?? 'data', embedded: false, entries: entries.map(entryToData) }),
  async open(w) {
    const entries = w.embedded ? await defaultEntries() : w.entries!.map(entryFromData);
    return prepareScreenData(entries, w.name, w.embedded);
  },
  validate: checkDatasetWire,
});
