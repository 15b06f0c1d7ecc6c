/**
 * The conventions an interface reaction energy is stated in, named for reports: what it is per
 * (atom of mixture, non-open atom of mixture, formula unit), which reactant energies the mixing
 * line joins (pymatgen use_hull_energy) and, open to an element, whether each reactant's own
 * reaction with the reservoir counts (pymatgen include_no_mixing_energy). Papers differ in all
 * three; every command and screen prints these with its numbers.
 */

/** The options of a reaction that decide what its energies mean. */
export interface ConventionOptions {
  /** The open element, if any. */
  readonly open?: string | undefined;
  readonly norm?: boolean;
  readonly useHullEnergy: boolean;
  readonly includeNoMixingEnergy?: boolean;
}

/** The conventions in words (JSON: `convention`). */
export interface ReactionConvention {
  /** `eV/atom of mixture`, `eV per non-Li atom of mixture` or `eV per formula unit of mixture`. */
  readonly energy: string;
  /** Which energies the reactants have. */
  readonly reactants: string;
  /** Open systems: interface only, or total (each reactant's own reaction included); absent when closed. */
  readonly open?: string;
}

/** The conventions of a reaction with these options. */
export function reactionConvention(o: ConventionOptions): ReactionConvention {
  const per = o.norm === false ? 'formula unit of mixture' : o.open ? `non-${o.open} atom of mixture` : 'atom of mixture';
  const reactants = o.useHullEnergy
    ? 'reactants at their hull energies (use_hull_energy=true): a metastable reactant counts as its equilibrium mixture'
    : "reactants at their lowest entries (use_hull_energy=false; the hull energy where the data have none): a metastable reactant's own decomposition counts";
  if (!o.open) return { energy: `eV per ${per}`, reactants };
  if (!o.includeNoMixingEnergy) {
    return {
      energy: `eV per ${per}`,
      reactants: `reactants at their grand-potential hull energies at this ${o.open} chemical potential (use_hull_energy does not apply)`,
      open: `interface only (include_no_mixing_energy=false): each reactant's own reaction with the ${o.open} reservoir does not count; 0 at both ends`,
    };
  }
  const open = `total (include_no_mixing_energy=true): each reactant's own reaction with the ${o.open} reservoir counts, so the ends x = 0 and 1 need not be 0`;
  return { energy: `eV per ${per}`, reactants, open };
}

/** The conventions as lines for a text report. */
export function conventionLines(o: ConventionOptions): string[] {
  const c = reactionConvention(o);
  return [`energies in ${c.energy}; ${c.reactants}`, ...(c.open ? [`open system: ${c.open}`] : [])];
}
