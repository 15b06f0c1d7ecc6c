// screen/: what a screen computes — stability of candidates against a reference, windows,
// interfaces, coatings and the anode — and the jobs those screens run on an engine (jobs.ts).
export {
  type AnodeOptions,
  type AnodeProduct,
  anodeRow,
  type AnodeRow,
  type AnodeThresholds,
  type Electronic,
  electronicCharacter,
  type InterphaseType,
  KNOWN_ELECTRONIC,
  screenAnode,
} from './anode.js';
export {
  type CoatingCandidate,
  type CoatingOptions,
  type CoatingPlan,
  coatingRow,
  type CoatingRow,
  type CoatingsResult,
  type CoatingThresholds,
  planCoatings,
  rankCoatings,
  screenCoatings,
  XIAO_2019,
} from './coatings.js';
export { type Material, MATERIAL_ALIASES, openElementFor, prepareScreenData, resolveMaterial, SCREEN_USE_HULL_ENERGY, screenData, type ScreenData, ScreenWorkflowError } from './common.js';
export {
  DEFAULT_ELECTRODES,
  type Electrode,
  interfaceRow,
  type InterfaceRow,
  type InterfacesOptions,
  type InterfacesResult,
  parseElectrode,
  planInterfaces,
  type ReactionMinimum,
  screenInterfaces,
} from './interfaces.js';
export { SCREEN_JOBS } from './jobs.js';
export { type EngineScreenOptions, screenCoatingsOnEngine, screenInterfacesOnEngine } from './on-engine.js';
export { ScreenError, type ScreenOptions, type ScreenRow, screenStability, screenStabilitySync } from './stability.js';
export { DEFAULT_ELECTROLYTES, screenWindows, windowOf, windowRow, type WindowRow, type WindowsOptions, type WindowsResult, windowStaircase } from './windows.js';
export { AIR_GASES, type AirOptions, type AirResult, type AirRow, HARMFUL_GASES, screenAir } from './air.js';
export { type UncertainScreenRow, screenStabilityUncertain } from './stability-uncertain.js';
export {
  CANDIDATE_STREAMS,
  type CandidateUncertainty,
  coatingPassProbabilities,
  type EngineUncertaintyOptions,
  sampledCandidatesOnEngine,
  sampledReactionOnEngine,
  sampledStabilitiesOnEngine,
  sampledWindowOnEngine,
} from './uncertainty.js';
