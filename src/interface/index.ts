// interface/: what two materials do together — pseudo-binary interface reactions (closed or open to
// an element) and the minimum reaction energy against voltage.
export {
  type InterfaceKink,
  interfaceReaction,
  type InterfaceReaction,
  InterfaceReactionError,
  interfaceReactionMinimum,
  type InterfaceReactionOptions,
  type OpenElement,
  parseReactant,
  type ReactionDiagram,
  type ReactionProduct,
  type ReactionTerm,
} from './interface-reaction.js';
export { voltageMap, type VoltageMap, voltageMapAt, type VoltageMapOptions, type VoltageMapPiece } from './voltage-map.js';
