// interphase: thermodynamic stability of solid electrolytes and their interfaces.
export { Composition, FormulaError } from './composition.js';
export { Entry, EntryError, toEntries, type EntryInit, type EnergyKind } from './entry.js';
export { PhaseDiagram, PhaseDiagramError, type EntryStability, type PhaseAmount, type PhaseDiagramOptions, type PhaseSeparation } from './phase-diagram.js';
export { systemStabilities, SystemIndex, type SystemStability, type SystemHullOptions } from './system-hull.js';
export { hullReport, type HullReport, type HullReportEntry } from './hull-report.js';
export { MissingReferenceError } from './references.js';
export { HullError } from './hull.js';
export { initWasm } from './wasm.js';
export { entriesFromRecords, entriesFromCsv, detectRecordFormat, LoadError, type EntryFormat, type ParseOptions } from './parse-entries.js';
export { loadEntries, streamEntries, type LoadOptions } from './loaders.js';
