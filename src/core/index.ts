// core/: what a material is — elements, compositions (pymatgen's formulas), entries (composition +
// energy) and balanced reactions. Depends on nothing.
export { Composition, FormulaError } from './composition.js';
export { ELEMENT_SYMBOLS, isElementSymbol } from './elements.js';
export { type EnergyKind, Entry, type EntryData, EntryError, entryFromData, type EntryInit, entryToData, toEntries } from './entry.js';
export { formatG } from './format-g.js';
export { type CompositionLike, Reaction, REACTION_TOLERANCE, ReactionError, sameAmounts } from './reaction.js';
