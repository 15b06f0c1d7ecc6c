// Materials Project API documents (summary / thermo) → entry fields: which composition and which
// energy of a document to use, and how MP's corrected / uncorrected per-atom energies become a total
// energy and a correction. RecordConverter (records.ts) calls it for the `mp-api` format; the
// energy choice itself is documented at `MpEnergyChoice`.
import type { Composition, EntryInit } from '../core/index.js';
import { fail, type RecordLocation } from './load-error.js';
import { compositionOf, num, optNum } from './record-fields.js';

/** `auto` resolved on a list's first document: `total` if it has a total energy, else `formation`. */
export function mpEnergyOf(record: Record<string, unknown>): 'total' | 'formation' {
  return record.energy_per_atom != null || record.uncorrected_energy_per_atom != null ? 'total' : 'formation';
}

export function mpApiInit(record: Record<string, unknown>, id: string, loc: RecordLocation, mode: 'total' | 'formation'): EntryInit {
  // Composition: `composition` (the cell's amounts, pymatgen dict) is preferred; then
  // `composition_reduced` (note: totals are then per reduced formula unit — per-atom energies,
  // hence hulls, are unaffected); then `formula_pretty` (also a reduced formula).
  let composition: Composition;
  if (record.composition != null) composition = compositionOf(record.composition, 'composition', loc, id);
  else if (record.composition_reduced != null) composition = compositionOf(record.composition_reduced, 'composition_reduced', loc, id);
  else if (record.formula_pretty != null) composition = compositionOf(record.formula_pretty, 'formula_pretty', loc, id);
  else fail(loc, id, 'missing composition (composition, composition_reduced or formula_pretty)');
  const n = composition.numAtoms;
  let init: EntryInit;
  if (mode === 'formation') {
    init = { id, composition, eFormPerAtom: num(record, 'formation_energy_per_atom', loc, id) };
  } else {
    const e = optNum(record, 'energy_per_atom', loc, id);
    const u = optNum(record, 'uncorrected_energy_per_atom', loc, id);
    const cpa = optNum(record, 'correction_per_atom', loc, id);
    const ctot = optNum(record, 'correction', loc, id);
    if (cpa !== undefined && ctot !== undefined && Math.abs(cpa * n - ctot) > 1e-6 * Math.max(1, n)) {
      fail(loc, id, `correction_per_atom (${cpa}) × ${n} atoms disagrees with correction (${ctot}, taken as a total)`);
    }
    const given = cpa !== undefined ? cpa * n : ctot;
    let energy: number;
    let correction: number;
    if (e !== undefined && u !== undefined) {
      correction = (e - u) * n;
      if (given !== undefined && Math.abs(given - correction) > 1e-6 * Math.max(1, n)) {
        fail(
          loc,
          id,
          `energy_per_atom − uncorrected_energy_per_atom = ${e - u} eV/atom disagrees with the given correction ` +
            `(${cpa !== undefined ? `correction_per_atom ${cpa}` : `correction ${ctot}, taken as a total for ${n} atoms`})`,
        );
      }
      energy = u * n;
    } else if (e !== undefined) {
      correction = given ?? 0;
      energy = e * n - correction;
    } else if (u !== undefined) {
      correction = given ?? 0;
      energy = u * n;
    } else {
      fail(loc, id, 'missing energy_per_atom or uncorrected_energy_per_atom');
    }
    init = { id, composition, energy, correction };
    const uncPa = optNum(record, 'energy_uncertainy_per_atom', loc, id) ?? optNum(record, 'energy_uncertainty_per_atom', loc, id);
    const uncTot = optNum(record, 'correction_uncertainty', loc, id);
    if (uncPa !== undefined) init.correctionUncertainty = uncPa * n;
    else if (uncTot !== undefined) init.correctionUncertainty = uncTot;
  }
  const gap = optNum(record, 'band_gap', loc, id);
  if (gap !== undefined) init.bandGap = gap;
  const volume = optNum(record, 'volume', loc, id);
  const nsites = optNum(record, 'nsites', loc, id);
  if (volume !== undefined && nsites !== undefined && nsites > 0) init.volumePerAtom = volume / nsites;
  return init;
}
