import type { Entry } from '../../src/core/entry.js';
import type { PhaseDiagram } from '../../src/thermo/phase-diagram.js';

/**
 * Proves that `entry`'s phase-separation energy from interphase is the exact LP optimum, with no
 * solver of our own: the competing decomposition is feasible (adds up to the composition), the
 * chemical potentials are dual-feasible (no candidate lies below their plane) and both give the
 * same energy. Returns the reasons it is not a proof (empty = proven).
 */
export function phaseSeparationCertificate(pd: PhaseDiagram, entry: Entry, tol = 1e-9): string[] {
  const why: string[] = [];
  const ps = pd.phaseSeparation(entry);
  const els = entry.composition.elements;
  const eform = (e: Entry) => pd.formationEnergyPerAtom(e);
  const plane = (e: Entry) => e.composition.elements.reduce((s, el) => s + (ps.chemicalPotentials[el] ?? NaN) * e.composition.atomicFraction(el), 0);
  for (const el of els) {
    const x = ps.decomposition.reduce((s, p) => s + p.fraction * p.entry.composition.atomicFraction(el), 0);
    if (Math.abs(x - entry.composition.atomicFraction(el)) > tol) why.push(`decomposition has ${x} ${el}, composition ${entry.composition.atomicFraction(el)}`);
  }
  for (const p of ps.decomposition) {
    if (p.fraction <= 0) why.push(`negative share of ${p.entry.id}`);
    if (p.entry.composition.key === entry.composition.key) why.push(`decomposition uses its own composition ${p.entry.id}`);
  }
  for (const c of pd.hullCandidates) {
    if (c.composition.key === entry.composition.key || !c.composition.elements.every((el) => els.includes(el))) continue;
    if (eform(c) < plane(c) - tol) why.push(`${c.id} lies ${plane(c) - eform(c)} below the dual plane`);
  }
  const primal = ps.decomposition.reduce((s, p) => s + p.fraction * eform(p.entry), 0);
  if (Math.abs(primal - plane(entry)) > tol) why.push(`primal ${primal} and dual ${plane(entry)} energies differ`);
  if (Math.abs(eform(entry) - primal - ps.energy) > tol) why.push(`energy ${ps.energy} is not e_form - primal`);
  return why;
}
