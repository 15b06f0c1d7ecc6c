// io/: how entries arrive — readers per format (CSV, pymatgen / formation records, Materials Project
// documents, streamed JSON), the embedded default table, files and Blobs, candidates as CSV chunks.
// Browser-safe; the Node file loaders are the surface io/node.ts.
export { csvCandidatesFromFile, entriesFromFile, type FileLoadOptions } from './blob-entries.js';
export { type CsvCandidates, csvCandidatesFromText, type CsvChunk, describeChunk, isCsvCandidates } from './csv-chunks.js';
export { DEFAULT_DATA_INFO, defaultDataCsv, type DefaultDataInfo, defaultEntries } from './default-data.js';
export { type CsvColumns, CsvEntryReader, entriesFromCsv, isDecimal } from './csv-reader.js';
export { LineSplitter } from './lines.js';
export { LoadError } from './load-error.js';
export { detectRecordFormat, type EntryFormat, entriesFromRecords, type ParseOptions } from './records.js';
