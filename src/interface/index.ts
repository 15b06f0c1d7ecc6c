// interface/: what two materials do together — pseudo-binary interface reactions (closed or open to
// an element) and the minimum reaction energy against voltage.
export { interfaceReaction, interfaceReactionMinimum } from './interface-reaction.js';
export type { ReactionProduct, ReactionTerm } from './kink-reaction.js';
export { InterfaceReactionError, type ReactionDiagram } from './phase-source.js';
export { type InterfaceReactionOptions, type InterfaceSetup, interfaceSetup, type OpenElement, parseReactant } from './reactants.js';
export type { InterfaceKink, InterfaceReaction } from './reaction-report.js';
export { voltageMap, type VoltageMap, voltageMapAt, type VoltageMapOptions, type VoltageMapPiece } from './voltage-map.js';
export { type ConventionOptions, conventionLines, type ReactionConvention, reactionConvention } from './conventions.js';
