/**
 * The embedded default dataset: Materials Project formation energies of every composition of the
 * shared MP table (`mp-legacy-formation-energies.csv.gz`, 85,014 compositions) whose elements all
 * lie in 32 elements of solid-state-battery chemistry — 13,248 compositions. In Node it ships
 * inside the bundle (gzipped CSV as base64, generated at build time from
 * `src/data/mp-legacy-32.csv.gz`: default-data-bytes.ts), so it loads without a file path; browser
 * bundles fetch that file once (dist/interphase-data.csv.gz, web/default-data-source.ts).
 *
 * Materials Project data, CC BY 4.0: cite A. Jain et al., APL Materials 1, 011002 (2013).
 */
import type { Entry } from '../core/index.js';
import { entriesFromCsv } from './csv-reader.js';
import { DEFAULT_DATA_ELEMENTS, DEFAULT_DATA_ROWS } from '../generated/default-data-info.js';
import { defaultDataGzip } from './default-data-bytes.js';

export interface DefaultDataInfo {
  /** Short name, also the `source` of its entries' load errors. */
  readonly name: string;
  readonly source: string;
  readonly energy: string;
  readonly licence: string;
  readonly attribution: string;
  /** Elements every composition is made of (alphabetical). */
  readonly elements: readonly string[];
  readonly rows: number;
}

export const DEFAULT_DATA_INFO: DefaultDataInfo = Object.freeze({
  name: 'mp-legacy-32',
  source:
    'Materials Project formation energies (legacy pre-2020 corrections, ~2019) as in the CrabNet benchmark table ' +
    'mp-legacy-formation-energies.csv.gz (Bartel et al., npj Comput. Mater. 6, 97 (2020)): every composition made of the listed elements, ' +
    'one row per composition (lowest polymorph); entry ids are the formulas as written (e.g. Cl1Li6P1S5)',
  energy: 'e_form_per_atom (eV/atom) against elemental references at 0 eV/atom (the table has no elemental rows)',
  licence: 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
  attribution: 'Data from the Materials Project: A. Jain et al., "The Materials Project: A materials genome approach to accelerating materials innovation", APL Materials 1, 011002 (2013)',
  elements: Object.freeze([...DEFAULT_DATA_ELEMENTS].sort()),
  rows: DEFAULT_DATA_ROWS,
});

let cached: Promise<readonly Entry[]> | undefined;

/**
 * The embedded entries (formation energies), parsed on first call and cached: every call returns
 * the same frozen array (copy it to modify). Row order is the source table's.
 */
export function defaultEntries(): Promise<readonly Entry[]> {
  cached ??= decodeDefaultData().then((text) => Object.freeze(entriesFromCsv(stripComments(text), { source: DEFAULT_DATA_INFO.name })));
  cached.catch(() => (cached = undefined));
  return cached;
}

/** The embedded table as CSV text (with its `#` attribution header). */
export async function defaultDataCsv(): Promise<string> {
  return decodeDefaultData();
}

async function decodeDefaultData(): Promise<string> {
  const gz = await defaultDataGzip();
  if (typeof DecompressionStream === 'function') {
    const stream = new Blob([gz as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }
  // Runtimes without the Compression Streams API (Node < 18): zlib.
  const zlib = await import('node:zlib');
  return zlib.gunzipSync(gz).toString('utf8');
}

/** Drops the leading `#` comment lines (the attribution header) that CSV readers do not know. */
function stripComments(text: string): string {
  let start = 0;
  while (text.startsWith('#', start)) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  return text.slice(start);
}
