/**
 * Interface reactions: the pseudo-binary x·c1 + (1−x)·c2 between two materials (electrode,
 * electrolyte, coating), closed or open to one element at a fixed chemical potential (a voltage),
 * with pymatgen 2022.11's InterfacialReactivity / GrandPotentialInterfacialReactivity semantics
 * (norm, use_hull_energy, include_no_mixing_energy). The public functions, composed of the
 * steps pymatgen takes: the set-up (reactants.ts, over phase-source.ts), the kinks along the
 * mixing line (kinks.ts), and their report — balanced reactions, products, minimum
 * (reaction-report.ts, kink-reaction.ts).
 *
 * Open systems use the grand potential Φ = E − μ·N_open per non-open atom: the hull over the
 * phases' non-open compositions at their Φ (pymatgen's GrandPotentialPhaseDiagram).
 */
import type { Composition } from '../core/index.js';
import { getKinks } from './kinks.js';
import type { ReactionDiagram } from './phase-source.js';
import { type InterfaceReactionOptions, type InterfaceSetup, interfaceSetup } from './reactants.js';
import { type InterfaceReaction, reportMinimum, reportReaction } from './reaction-report.js';

/**
 * The interface reaction between c1 and c2 (formulas — fractional amounts allowed — or
 * Compositions) over the phases of `diagram`: every kink of x·c1 + (1−x)·c2 with its reaction
 * energy, balanced reaction and products, the minimum and the curve. With `options.open` the
 * system is open to that element at the given voltage (pymatgen GrandPotentialInterfacialReactivity).
 * Reactants need not be in the data (their hull energy is used then).
 */
export function interfaceReaction(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions = {}): InterfaceReaction {
  return reportReaction(getKinks(interfaceSetup(c1, c2, diagram, options)));
}

/**
 * Only the minimum of `interfaceReaction` (the same x, energy and kink, reaction included),
 * without balancing the other kinks' reactions: what a screen over thousands of pairs needs.
 */
export function interfaceReactionMinimum(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions = {}): InterfaceReaction['minimum'] {
  return minimumOf(interfaceSetup(c1, c2, diagram, options));
}

/** `interfaceReactionMinimum` of reactants already set up (the voltage map's, at each voltage). */
export function minimumOf(setup: InterfaceSetup): InterfaceReaction['minimum'] {
  return reportMinimum(getKinks(setup));
}
