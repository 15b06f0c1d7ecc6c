import { describe, expect, it } from 'vitest';
import { loadEntries } from '../src/io/node-loaders.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { DATA } from './helpers/shared.js';

// One phase diagram over 11 elements cut out of the MP table. Every E_hull is proven optimal
// without another solver: the decomposition adds up to the composition, its energy is the
// entry's minus E_hull, and the facet's chemical potentials put no candidate below their plane.
const ELEMENTS = ['Al', 'Ca', 'Cl', 'K', 'Li', 'Mg', 'Na', 'O', 'P', 'S', 'Si'];

describe('a phase diagram over 11 elements', () => {
  it('has an optimality certificate for every entry', async () => {
    const all = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
    const entries = all.filter((e) => e.composition.elements.every((el) => ELEMENTS.includes(el)));
    expect(entries.length).toBeGreaterThan(1000);
    const pd = new PhaseDiagram(entries);
    expect(pd.elements).toEqual(ELEMENTS);
    const candidates = pd.hullCandidates;
    const problems: string[] = [];
    for (const r of pd.analyze()) {
      const comp = r.entry.composition;
      const els = comp.elements;
      for (const el of els) {
        const x = r.decomposition.reduce((s, p) => s + p.fraction * p.entry.composition.atomicFraction(el), 0);
        if (Math.abs(x - comp.atomicFraction(el)) > 1e-9) problems.push(`${r.entry.id}: decomposition has ${x} ${el}`);
      }
      const eDecomp = r.decomposition.reduce((s, p) => s + p.fraction * pd.formationEnergyPerAtom(p.entry), 0);
      if (Math.abs(eDecomp - (r.eFormPerAtom - r.eAboveHull)) > 1e-9) problems.push(`${r.entry.id}: decomposition energy ${eDecomp}`);
      if (r.stable) continue;
      const mu = pd.chemicalPotentials(comp);
      for (const c of candidates) {
        if (!c.composition.elements.every((el) => els.includes(el))) continue;
        const plane = c.composition.elements.reduce((s, el) => s + mu[el]! * c.composition.atomicFraction(el), 0);
        if (pd.formationEnergyPerAtom(c) < plane - 1e-9) problems.push(`${r.entry.id}: ${c.id} below the facet plane`);
      }
    }
    expect(problems).toEqual([]);
  });
});
