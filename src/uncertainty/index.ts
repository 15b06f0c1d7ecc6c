// uncertainty/: what the errors do — entries' uncertainties (independent, and shared per MP2020
// correction name) sampled in WASM, and the probabilities and bands they give hulls, windows and
// interface reactions, each with its Monte Carlo standard error.
export { type EntryUncertainty, type HullLabels, hullLabels, hullSamples, type HullSamples, hullWorstSe, mergeHullSamples, summarizeHull } from './hull.js';
export { normalDeviate } from './kernel.js';
export { DEFAULT_SAMPLES, resolveSampling, type ResolvedSampling, type SamplingOptions, UncertaintyError, uncertaintyModel, type UncertaintyModel } from './model.js';
export { type AsyncSampler, drive, driveAsync, type DriveOptions, type Sampler } from './run.js';
export { type Distribution, distribution, type Frequency, type Probability, probability, quantile, rounds } from './stats.js';
export { closedPoints, grandPoints, groupSamples, hullAtSamples, type PointSet, scopeOf, segmentSamples } from './points.js';
export {
  coverProbability,
  type LimitUncertainty,
  linearSigma,
  mergeWindowSamples,
  type SampledWindow,
  summarizeWindow,
  windowSamples,
  type WindowSamples,
  type WindowInfo,
  windowInfo,
  type WindowSetup,
  windowSetup,
  windowWorstSe,
} from './window.js';
export {
  mergeReactionSamples,
  type ReactionInfo,
  reactionInfo,
  reactionSamples,
  type ReactionSamples,
  type ReactionSetup,
  reactionSetup,
  reactionWorstSe,
  type SampledReaction,
  summarizeReaction,
} from './reaction.js';
export {
  checkRange,
  indexOfSource,
  modelOf,
  type SampledReactionResult,
  type SampledStabilities,
  type SampledWindowOptions,
  type SampledWindowResult,
  sampledInterfaceReaction,
  sampledStabilities,
  sampledWindow,
  type SamplingReport,
  samplingReport,
  type UncertaintyOptions,
} from './api.js';
export { candidateDistances, compositionEHull, limitsSetup, type LimitsSetup, windowLimits } from './criteria.js';
export { minima } from './reaction.js';
export { sampleRange } from './kernel.js';
