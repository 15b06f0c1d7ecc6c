// The API shared by the Node entry (index.ts) and the browser entry (browser.ts): everything
// that needs neither files nor a platform-specific worker or WASM loader.
export { Composition, FormulaError } from './core/composition.js';
export { Entry, EntryError, toEntries, entryToData, entryFromData, type EntryInit, type EnergyKind, type EntryData } from './core/entry.js';
export { PhaseDiagram, PhaseDiagramError, type EntryStability, type PhaseAmount, type PhaseDiagramOptions, type PhaseSeparation } from './thermo/phase-diagram.js';
export { systemStabilities, SystemIndex, type SystemStability, type SystemHullOptions } from './thermo/system-hull.js';
export { hullReport, type HullReport, type HullReportEntry } from './thermo/hull-report.js';
export { MissingReferenceError } from './thermo/references.js';
export { HullError } from './thermo/hull.js';
export { entriesFromRecords, entriesFromCsv, detectRecordFormat, LoadError, type EntryFormat, type ParseOptions } from './io/parse-entries.js';
export { defaultEntries, defaultDataCsv, DEFAULT_DATA_INFO, type DefaultDataInfo } from './io/default-data.js';
export { EngineError, BatchFailedError, localEngine, type Engine, type EngineOptions, type EngineStats, type DataHandle, type RunOptions, type JobSpec } from './engine/index.js';
export { screenStability, screenStabilitySync, ScreenError, csvCandidatesFromText, type CsvCandidates, type ScreenRow, type ScreenOptions } from './screen/stability.js';
export {
  interfaceReaction,
  interfaceReactionMinimum,
  parseReactant,
  InterfaceReactionError,
  type InterfaceReaction,
  type InterfaceKink,
  type InterfaceReactionOptions,
  type OpenElement,
  type ReactionDiagram,
  type ReactionProduct,
  type ReactionTerm,
} from './interface/interface-reaction.js';
export { voltageMap, voltageMapAt, type VoltageMap, type VoltageMapOptions, type VoltageMapPiece } from './interface/voltage-map.js';
export {
  binaryHullSvg,
  ternaryHullSvg,
  tieLines,
  voltageStaircaseSvg,
  reactionCurveSvg,
  rankingSvg,
  PlotError,
  type HullPlotOptions,
  type VoltageProfile,
  type StaircaseOptions,
  type ReactionCurve,
  type ReactionCurveOptions,
  type RankingRow,
  type RankingOptions,
  type PlotOptions,
  type Theme,
} from './plot/index.js';
export { Reaction, ReactionError, formatG, type CompositionLike } from './core/reaction.js';
export { GrandPotentialPhaseDiagram, GrandPotentialEntry, GrandPotentialError, absoluteChemicalPotential, type OpenPotential } from './thermo/grand-potential.js';
export {
  elementProfile, stabilityWindow, voltageStaircase, windowPlotData, ionValence, muFromVoltage, voltageFromMu, ElementProfileError,
  type ElementProfile, type ProfileStep, type ProfileOptions, type StabilityWindow, type WindowLimit, type WindowOptions,
  type VoltageStaircase, type StaircaseStep, type WindowPlotData, type ThermoSource,
} from './thermo/element-profile.js';
export { PhaseEquilibria, PhaseEquilibriaError, transitionChemicalPotentials, type Facet, type StabilityRegion, type PhaseEquilibriaOptions } from './thermo/phase-equilibria.js';
export {
  enumerateDecompositionReactions, compareWindows, DecompositionReactionError,
  type DecompositionReaction, type EnumeratedWindow, type EnumerationOptions, type WindowComparison,
} from './thermo/decomposition-reactions.js';
// Screening workflows (issue 5): windows, interfaces, coatings, anode; the demo.
export { screenData, prepareScreenData, resolveMaterial, openElementFor, ScreenWorkflowError, MATERIAL_ALIASES, type ScreenData, type Material } from './screen/common.js';
export { screenWindows, windowOf, windowRow, DEFAULT_ELECTROLYTES, type WindowRow, type WindowsOptions, type WindowsResult } from './screen/windows.js';
export { screenInterfaces, planInterfaces, interfaceRow, parseElectrode, DEFAULT_ELECTRODES, type Electrode, type InterfaceRow, type InterfacesOptions, type InterfacesResult, type ReactionMinimum } from './screen/interfaces.js';
export { screenCoatings, planCoatings, coatingRow, rankCoatings, XIAO_2019, type CoatingOptions, type CoatingPlan, type CoatingCandidate, type CoatingRow, type CoatingsResult, type CoatingThresholds } from './screen/coatings.js';
export { screenAnode, anodeRow, electronicCharacter, KNOWN_ELECTRONIC, type AnodeOptions, type AnodeRow, type AnodeProduct, type InterphaseType, type Electronic } from './screen/anode.js';
export { screenCoatingsOnEngine, screenInterfacesOnEngine, type EngineScreenOptions } from './screen/on-engine.js';
