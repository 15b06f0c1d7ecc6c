// core/: what a material is — elements (with masses), compositions (pymatgen's formulas), common
// oxidation states and charge balance, entries (composition + energy) and balanced reactions.
// Depends on nothing.
export { Composition, FormulaError } from './composition.js';
export { ALPHABETICAL_RANK, ALPHABETICAL_SYMBOLS, atomicMass, ELEMENT_SYMBOLS, isElementSymbol } from './elements.js';
export { type EnergyKind, Entry, type EntryData, EntryError, entryFromData, type EntryInit, entryToData, toEntries } from './entry.js';
export { formatG } from './format-g.js';
export { MAX_DEN } from './formula-format.js';
export { type ChargeBalance, chargeBalance, chargeBalanceWarning, commonOxidationStates } from './oxidation-states.js';
export { type CompositionLike, Reaction, REACTION_TOLERANCE, ReactionError, sameAmounts, uniqueCoefficient } from './reaction.js';
