import { describe, expect, it } from 'vitest';
import { loadEntries } from '../src/io/node-loaders.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { phaseSeparationCertificate } from './helpers/certificate.js';
import { DATA, readReference, referenceDatasets } from './helpers/shared.js';

interface RefEntry {
  id: string;
  formula: string;
  e_form_per_atom: number;
  e_above_hull: number;
  stable: boolean;
  decomposition: Record<string, number>;
  phase_separation_energy?: number;
}

const TOL = 1e-6;

describe.each(referenceDatasets())('%s agrees with pymatgen', (name) => {
  it('stable set, E_hull, decompositions and phase-separation energies', async () => {
    const ref = readReference<{ elements: string[]; entries: RefEntry[] }>(`${name}.json`);
    const pd = new PhaseDiagram(await loadEntries(`${DATA}${name}.json.gz`));
    expect([...pd.elements]).toEqual(ref.elements);
    const rows = pd.analyze();
    expect(rows.map((r) => r.entry.id)).toEqual(ref.entries.map((r) => r.id));
    const problems: string[] = [];
    const slsqpShort: string[] = [];
    rows.forEach((r, i) => {
      const want = ref.entries[i]!;
      const where = `${want.id} ${want.formula}`;
      if (Math.abs(r.eFormPerAtom - want.e_form_per_atom) > TOL) problems.push(`${where}: e_form ${r.eFormPerAtom} vs ${want.e_form_per_atom}`);
      if (r.stable !== want.stable) problems.push(`${where}: stable ${r.stable} vs ${want.stable}`);
      if (Math.abs(r.eAboveHull - want.e_above_hull) > TOL) problems.push(`${where}: e_above_hull ${r.eAboveHull} vs ${want.e_above_hull}`);
      const got = Object.fromEntries(r.decomposition.map((p) => [p.entry.id, p.fraction]));
      const keys = (o: object) => Object.keys(o).sort().join(' ');
      if (keys(got) !== keys(want.decomposition)) problems.push(`${where}: decomposition ${keys(got)} vs ${keys(want.decomposition)}`);
      else for (const [k, f] of Object.entries(want.decomposition)) if (Math.abs(got[k]! - f) > TOL) problems.push(`${where}: fraction of ${k} ${got[k]} vs ${f}`);
      if ((r.phaseSeparationEnergy === undefined) !== (want.phase_separation_energy === undefined))
        problems.push(`${where}: phase separation ${r.phaseSeparationEnergy} vs ${want.phase_separation_energy}`);
      else if (want.phase_separation_energy !== undefined && Math.abs(r.phaseSeparationEnergy! - want.phase_separation_energy) > TOL) {
        // pymatgen finds this energy with SLSQP, which can stop short of the optimum. A
        // disagreement passes only when ours is proven optimal and pymatgen's mixture is worse.
        const proof = phaseSeparationCertificate(pd, r.entry);
        if (proof.length || want.phase_separation_energy > r.phaseSeparationEnergy!)
          problems.push(`${where}: phase separation ${r.phaseSeparationEnergy} vs ${want.phase_separation_energy} (${proof.join('; ') || 'pymatgen lower'})`);
        else slsqpShort.push(`${where}: ${want.phase_separation_energy} (pymatgen) vs ${r.phaseSeparationEnergy} (exact)`);
      }
    });
    expect(problems).toEqual([]);
    // Few entries, and each proven above: a regression that broke many would show here.
    expect(slsqpShort.length).toBeLessThanOrEqual(2);
    if (slsqpShort.length) console.info(`${name}: pymatgen's SLSQP phase-separation energy is short of the LP optimum for\n  ${slsqpShort.join('\n  ')}`);
  });
});
