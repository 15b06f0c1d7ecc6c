// The API shared by the Node entry (index.ts) and the browser entry (browser.ts): everything
// that needs neither files nor a platform-specific worker or WASM loader.
export { Composition, FormulaError } from './core/index.js';
export { Entry, EntryError, toEntries, entryToData, entryFromData, type EntryInit, type EnergyKind, type EntryData } from './core/index.js';
export { PhaseDiagram, PhaseDiagramError, type EntryStability, type PhaseAmount, type PhaseDiagramOptions, type PhaseSeparation } from './thermo/index.js';
export { systemStabilities, SystemIndex, type SystemStability, type SystemHullOptions } from './thermo/index.js';
export { hullReport, type HullReport, type HullReportEntry, hullRows, type HullRows } from './thermo/index.js';
export { MissingReferenceError } from './thermo/index.js';
export { HullError } from './thermo/index.js';
export { entriesFromRecords, entriesFromCsv, detectRecordFormat, LoadError, type EntryFormat, type ParseOptions } from './io/index.js';
export { defaultEntries, defaultDataCsv, DEFAULT_DATA_INFO, type DefaultDataInfo } from './io/index.js';
export { EngineError, BatchFailedError, localEngine, type Engine, type EngineOptions, type EngineStats, type DataHandle, type RunOptions, type JobSpec } from './engine/index.js';
export { screenStability, screenStabilitySync, ScreenError, type ScreenRow, type ScreenOptions } from './screen/index.js';
export { csvCandidatesFromText, type CsvCandidates } from './io/index.js';
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
} from './interface/index.js';
export { voltageMap, voltageMapAt, type VoltageMap, type VoltageMapOptions, type VoltageMapPiece } from './interface/index.js';
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
export { Reaction, ReactionError, formatG, type CompositionLike } from './core/index.js';
export { GrandPotentialPhaseDiagram, GrandPotentialEntry, GrandPotentialError, absoluteChemicalPotential, type OpenPotential } from './thermo/index.js';
export {
  elementProfile,
  stabilityWindow,
  voltageStaircase,
  windowPlotData,
  ionValence,
  muFromVoltage,
  voltageFromMu,
  ElementProfileError,
  type ElementProfile,
  type ProfileStep,
  type ProfileOptions,
  type StabilityWindow,
  type WindowLimit,
  type WindowOptions,
  type VoltageStaircase,
  type StaircaseStep,
  type WindowPlotData,
  type ThermoSource,
} from './thermo/index.js';
export { PhaseEquilibria, PhaseEquilibriaError, transitionChemicalPotentials, type Facet, type StabilityRegion, type PhaseEquilibriaOptions } from './thermo/index.js';
export {
  enumerateDecompositionReactions,
  compareWindows,
  DecompositionReactionError,
  type DecompositionReaction,
  type EnumeratedWindow,
  type EnumerationOptions,
  type WindowComparison,
} from './thermo/index.js';
// Screening workflows (issue 5): windows, interfaces, coatings, anode; the demo.
export { screenData, prepareScreenData, resolveMaterial, openElementFor, ScreenWorkflowError, MATERIAL_ALIASES, type ScreenData, type Material } from './screen/index.js';
export { screenWindows, windowOf, windowRow, DEFAULT_ELECTROLYTES, type WindowRow, type WindowsOptions, type WindowsResult } from './screen/index.js';
export {
  screenInterfaces,
  planInterfaces,
  interfaceRow,
  parseElectrode,
  DEFAULT_ELECTRODES,
  type Electrode,
  type InterfaceRow,
  type InterfacesOptions,
  type InterfacesResult,
  type ReactionMinimum,
} from './screen/index.js';
export {
  screenCoatings,
  planCoatings,
  coatingRow,
  rankCoatings,
  XIAO_2019,
  type CoatingOptions,
  type CoatingPlan,
  type CoatingCandidate,
  type CoatingRow,
  type CoatingsResult,
  type CoatingThresholds,
} from './screen/index.js';
export { screenAnode, anodeRow, electronicCharacter, KNOWN_ELECTRONIC, type AnodeOptions, type AnodeRow, type AnodeProduct, type InterphaseType, type Electronic } from './screen/index.js';
export { screenCoatingsOnEngine, screenInterfacesOnEngine, type EngineScreenOptions } from './screen/index.js';
// Issue 15: conventions named, charge balance, an electrolyte's own redox, chemical-potential maps, air stability.
export { chargeBalance, chargeBalanceWarning, commonOxidationStates, atomicMass, type ChargeBalance } from './core/index.js';
export { reactionConvention, conventionLines, type ReactionConvention, type ConventionOptions } from './interface/index.js';
export { electrolyteRedox, decompositionEnergyAt, redoxCapacityAt, FARADAY_MAH_PER_MOL, type ElectrolyteRedox, type RedoxStep, type RedoxOptions } from './thermo/index.js';
export {
  chemicalPotentialMap,
  chempotRegionAt,
  ChemicalPotentialMapError,
  type ChemicalPotentialMap,
  type ChempotRegion,
  type ChempotMapOptions,
} from './thermo/index.js';
export { redoxSvg, chempotMapSvg, type RedoxPlotData, type RedoxPlotOptions, type ChempotMapPlotData } from './plot/index.js';
export { screenAir, AIR_GASES, HARMFUL_GASES, SCREEN_USE_HULL_ENERGY, type AirOptions, type AirResult, type AirRow, type AnodeThresholds } from './screen/index.js';
// Uncertainty (issue 12): probabilities and bands from the entries' errors, sampled in WASM.
export {
  sampledStabilities,
  sampledWindow,
  sampledInterfaceReaction,
  UncertaintyError,
  normalDeviate,
  type SamplingOptions,
  type UncertaintyOptions,
  type SamplingReport,
  type SampledStabilities,
  type SampledWindowOptions,
  type SampledWindowResult,
  type SampledReactionResult,
  type SampledWindow,
  type SampledReaction,
  type EntryUncertainty,
  type LimitUncertainty,
  type Distribution,
  type Probability,
  type Frequency,
} from './uncertainty/index.js';
export {
  sampledStabilitiesOnEngine,
  sampledWindowOnEngine,
  sampledReactionOnEngine,
  sampledCandidatesOnEngine,
  screenStabilityUncertain,
  type EngineUncertaintyOptions,
  type CandidateUncertainty,
  type UncertainScreenRow,
} from './screen/index.js';
