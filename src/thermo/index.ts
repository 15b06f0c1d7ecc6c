// thermo/: what the hull says — the WASM kernel's bridge, hulls by chemical system, phase diagrams,
// grand potentials, element profiles and windows, phase equilibria, decomposition reactions, and the
// packed reference the stability screen runs on.
export {
  compareWindows,
  type DecompositionReaction,
  DecompositionReactionError,
  enumerateDecompositionReactions,
  type EnumeratedWindow,
  type EnumerationOptions,
  type WindowComparison,
} from './decomposition-reactions.js';
export {
  elementProfile,
  type ElementProfile,
  ElementProfileError,
  ionValence,
  muFromVoltage,
  type ProfileOptions,
  type ProfileStep,
  resolveValence,
  stabilityWindow,
  type StabilityWindow,
  type StaircaseStep,
  type ThermoSource,
  voltageFromMu,
  voltageStaircase,
  type VoltageStaircase,
  type WindowLimit,
  type WindowOptions,
  windowPlotData,
  type WindowPlotData,
} from './element-profile.js';
export { absoluteChemicalPotential, GrandPotentialEntry, GrandPotentialError, GrandPotentialPhaseDiagram, type OpenPotential } from './grand-potential.js';
export { hullReport, type HullReport, type HullReportEntry, hullRows, type HullRows } from './hull-report.js';
export { HullError, MIN_ATOMIC_FRACTION, unresolvedFraction } from './hull.js';
export { type EntryStability, type PhaseAmount, PhaseDiagram, PhaseDiagramError, type PhaseDiagramOptions, type PhaseSeparation } from './phase-diagram.js';
export { type Facet, PhaseEquilibria, PhaseEquilibriaError, type PhaseEquilibriaOptions, type StabilityRegion, transitionChemicalPotentials } from './phase-equilibria.js';
export { type PackedReference, packReference, systemKey } from './packed-reference.js';
export { type BatchResult, type CandidateBatch, ReferenceHull, type StabilityFlags } from './reference-hull.js';
export { MissingReferenceError } from './references.js';
export { type SystemHullOptions, SystemIndex, systemStabilities, type SystemStability } from './system-hull.js';
export { type SegmentPoint, segmentPoints } from './segment-points.js';
export { facetSegmentPoints } from './system-facets.js';
export { initWasm, kernel } from './wasm.js';
export {
  decompositionEnergyAt,
  type ElectrolyteRedox,
  electrolyteRedox,
  FARADAY_MAH_PER_MOL,
  type RedoxOptions,
  redoxCapacityAt,
  type RedoxStep,
} from './electrolyte-redox.js';
export {
  type ChemicalPotentialMap,
  ChemicalPotentialMapError,
  chemicalPotentialMap,
  type ChempotMapOptions,
  type ChempotRegion,
  chempotRegionAt,
} from './chempot-map.js';
