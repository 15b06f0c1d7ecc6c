// Reaction strings as pymatgen writes them (`str(Reaction)`: coefficients `{:.4g}`, 1 unwritten),
// read term by term for the comparisons with pymatgen's references.

/** "2.5 Li2S" → ["Li2S", "2.5"]; "Li2S" → ["Li2S", "1"]. */
export function term(t: string): [formula: string, coefficient: string] {
  const m = /^(\S+) (\S+)$/.exec(t);
  return m ? [m[2]!, m[1]!] : [t, '1'];
}

/** Terms ordered by formula (pymatgen lists products in Qhull's facet order). */
export function byFormula(terms: readonly string[]): string[] {
  return [...terms].sort((a, b) => {
    const fa = term(a)[0];
    const fb = term(b)[0];
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
}

/**
 * Whether `written` is a 4-significant-digit rounding of the coefficient `exact` (its magnitude):
 * within half a unit of the 4th digit. Both neighbours of an exact tie (10.625: "10.62", "10.63")
 * are, and pymatgen's last bit of round-off picks one.
 */
export function roundsTo(exact: number, written: string): boolean {
  const c = Math.abs(exact);
  const unit = 10 ** (Math.floor(Math.log10(c)) - 3);
  return Math.abs(c - Number(written)) <= 0.5 * unit * (1 + 1e-6);
}
