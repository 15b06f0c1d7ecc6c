// An electrolyte's own redox vs voltage (decomposition energy per atom of electrolyte, capacity)
// and the anode classification by onset voltage and that energy. Expected values: pymatgen
// 2022.11 on chemical systems cut out of the MP table — E_D(0 V) = [hull energy of
// electrolyte + n·Li (n = get_element_profile's first evolution) − its lowest entry] / N;
// masses from Composition.weight — written beside each.
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Entry } from '../src/core/index.js';
import { interfaceReaction } from '../src/interface/index.js';
import { loadEntries } from '../src/io/node.js';
import { anodeRow, prepareScreenData, resolveMaterial } from '../src/screen/index.js';
import { decompositionEnergyAt, electrolyteRedox, FARADAY_MAH_PER_MOL, PhaseDiagram, redoxCapacityAt } from '../src/thermo/index.js';
import { DATA } from './helpers/shared.js';

let table: Entry[];
const ready = (async () => {
  table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
})();
const cut = (system: string) => {
  const s = new Set(system.split('-'));
  return table.filter((e) => e.composition.elements.every((el) => s.has(el)));
};
const diagram = (system: string) => new PhaseDiagram(cut(system), { elements: system.split('-') });

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('electrolyteRedox: decomposition energy and capacity vs voltage', () => {
  it('agrees with pymatgen at 0 V, against the lowest entry and against the hull', async () => {
    await ready;
    const cases: Array<[string, string, number, number]> = [
      // formula, system, E_D(0 V) vs lowest entry, vs hull energy (pymatgen)
      ['Li3PS4', 'Li-P-S', -1.4242358821875005, -1.4242358821875005],
      ['Li10GeP2S12', 'Li-Ge-P-S', -1.2523952037, -1.2335756815000005],
      ['Li7La3Zr2O12', 'La-Li-O-Zr', -0.02074006135416795, -0.014090537291667834],
      ['LiAlO2', 'Al-Li-O', -0.1384275749999988, -0.1384275749999988],
      ['Li6PS5Cl', 'Cl-Li-P-S', -0.9595619661538449, -0.8764528505769238],
    ];
    for (const [f, sys, entry, hull] of cases) {
      const pd = diagram(sys);
      expect(decompositionEnergyAt(electrolyteRedox(pd, f), 0), f).toBeCloseTo(entry, 9);
      expect(decompositionEnergyAt(electrolyteRedox(pd, f, { reference: 'hull' }), 0), `${f} (hull)`).toBeCloseTo(hull, 9);
    }
  });

  it('is continuous, 0 inside the window of a stable phase, −E_hull inside that of a metastable one', async () => {
    await ready;
    for (const [f, sys] of [
      ['Li3PS4', 'Li-P-S'],
      ['Li10GeP2S12', 'Li-Ge-P-S'],
    ] as const) {
      const r = electrolyteRedox(diagram(sys), f);
      r.steps.forEach((s, i) => {
        if (i) expect(s.energyFrom, `${f} at ${s.fromV} V`).toBeCloseTo(r.steps[i - 1]!.energyTo, 9);
        expect(s.energyFrom).toBeLessThanOrEqual(1e-12); // never above the electrolyte itself
      });
      const mid = (r.window.reduction.voltage + r.window.oxidation.voltage) / 2;
      expect(decompositionEnergyAt(r, mid)).toBeCloseTo(-(r.window.eAboveHull ?? 0), 9);
      expect(redoxCapacityAt(r, mid)).toBe(0);
    }
  });

  it('agrees with the pseudo-binary Li | electrolyte: the fully reduced kink, per atom of electrolyte', async () => {
    await ready;
    const pd = diagram('Li-P-S');
    const r = electrolyteRedox(pd, 'Li3PS4');
    // InterfacialReactivity(Li3PS4, Li): at Li3PS4 + 8 Li the energy per atom of mixture × 16 / 8.
    const k = interfaceReaction('Li3PS4', 'Li', pd).minimum;
    expect(k.energyPerAtom * (8 + r.steps[0]!.evolution)).toBeCloseTo(decompositionEnergyAt(r, 0) * 8, 9);
  });

  it('capacity: |n|·z·F / M with pymatgen’s masses', async () => {
    await ready;
    const r = electrolyteRedox(diagram('Li-P-S'), 'Li3PS4');
    expect(r.molarMass).toBeCloseTo(180.056762, 6); // Composition('Li3PS4').weight
    expect(redoxCapacityAt(r, 0)).toBeCloseTo((8 * FARADAY_MAH_PER_MOL) / 180.056762, 6);
    const y = electrolyteRedox(diagram('Cl-Li-Y'), 'Li3YCl6');
    expect(y.molarMass).toBeCloseTo(322.44685, 5);
    expect(redoxCapacityAt(y, 0)).toBeCloseTo((3 * FARADAY_MAH_PER_MOL) / 322.44685, 6); // LiCl + Y: 249 mAh/g
    expect(redoxCapacityAt(y, 5)).toBeCloseTo((3 * FARADAY_MAH_PER_MOL) / 322.44685, 6); // YCl3 + Cl2
  });

  it('interphase redox prints the staircase, --json and --plot', async () => {
    const t = await cli('redox', 'Li3PS4');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/at 0 V: decomposition energy -1\.4242 eV\/atom of electrolyte, 1191 mAh\/g \(Li2S \+ Li3P\)/);
    const j = JSON.parse((await cli('redox', 'Li10GeP2S12', '--reference', 'hull', '--json')).out);
    expect(j.reference).toBe('hull');
    expect(j.decomposition_energy_at_0V).toBeCloseTo(-1.2335756815000005, 9);
    expect(j.units.energy).toBe('eV per atom of electrolyte');
    expect((await cli('redox', 'Li3PS4', '--reference', 'mixed')).code).toBe(2);
    expect((await cli('redox', 'Li3Xx')).code).toBe(1);
  });
});

describe('screen anode: onset voltage and decomposition energy', () => {
  it('LiAlO2 is kinetically stable (onset 0.168 V; the review: 0.17 V), Li3PS4 passivating, LGPS mixed-conducting', async () => {
    await ready;
    const data = prepareScreenData(cut('Al-Ge-La-Li-O-P-S-Zr'));
    const row = (f: string) => anodeRow(resolveMaterial(f, data), data);
    const lialo2 = row('LiAlO2');
    // pymatgen get_element_profile(Li, LiAlO2): the reduction limit at μ = −0.168 eV.
    expect(lialo2.reduction_V).toBeCloseTo(0.168, 3);
    expect(lialo2.conducting).toEqual(['Li9Al4']);
    expect(lialo2.interphase).toBe('kinetically-stable');
    expect(lialo2.decomposition_energy_0V).toBeCloseTo(-0.1384275749999988, 9);
    // By the reaction energy alone (its −0.06 eV/atom of mixture) it was mixed-conducting; a
    // lower onset threshold says so again.
    expect(anodeRow(resolveMaterial('LiAlO2', data), data, { maxOnset: 0.1 }).interphase).toBe('mixed-conducting');
    expect(row('Li3PS4').interphase).toBe('passivating');
    expect(row('Li10GeP2S12').interphase).toBe('mixed-conducting');
    expect(row('Li7La3Zr2O12').interphase).toBe('kinetically-stable');
  });

  it('--element Mg: MgAl2O4 against Mg metal (voltages vs Mg/Mg2+, z = 2)', async () => {
    await ready;
    const data = prepareScreenData(cut('Al-Mg-O'));
    const r = anodeRow(resolveMaterial('MgAl2O4', data), data, { element: 'Mg' });
    expect(r.metal).toBe('Mg');
    // pymatgen get_element_profile(Mg, MgAl2O4): limit at μ = −0.26669885333333543 eV → 0.1333 V.
    expect(r.reduction_V).toBeCloseTo(0.26669885333333543 / 2, 9);
    expect(r.interphase).toBe('kinetically-stable');
    expect(r.products.map((p) => p.formula)).toEqual(['MgO', 'Mg149Al'].sort());
  });
});
