// Issue 15, defects 2, 4 and 5: the screens' reactant energies, one open-system convention
// everywhere, and absent compositions treated alike. Expected values: pymatgen 2022.11 on chemical
// systems cut out of the MP table (the embedded data are those rows), as written beside them.
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { interfaceReaction } from '../src/interface/index.js';
import { defaultEntries } from '../src/io/default-data.js';
import { prepareScreenData, type ScreenData, screenCoatings, screenInterfaces, screenWindows } from '../src/screen/index.js';
import { stabilityWindow } from '../src/thermo/index.js';

let data: ScreenData;
const ready = (async () => {
  data = prepareScreenData(await defaultEntries());
})();

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('defect 2: the coating screen does not count the cathode’s own instability as reactivity', () => {
  it('reactants at their hull energies by default, said in the thresholds; LiPO3 passes the cathode gate', async () => {
    await ready;
    const r = screenCoatings(data, { criteria: 'xiao2019', candidates: ['LiPO3', 'Li3PO4', 'LiNbO3'] });
    expect(r.thresholds.use_hull_energy).toBe(true);
    const lipo3 = r.rows.find((x) => x.formula === 'LiPO3')!;
    // pymatgen InterfacialReactivity(LiPO3, LiNi1/3Mn1/3Co1/3O2, use_hull_energy=True).minimum = (0.42553, −0.0840091574091284)
    expect(lipo3.cathode_chemical.energy).toBeCloseTo(-0.0840091574091284, 9);
    expect(lipo3.cathode_chemical.x).toBeCloseTo(0.4255319148936173, 9);
    expect(lipo3.criteria.cathode_reaction).toBe(true);
    // With the lowest entries (use_hull_energy=False): pymatgen (0.41935, −0.10873867681719918), fails |E| < 0.1.
    const entries = screenCoatings(data, { criteria: 'xiao2019', candidates: ['LiPO3'], useHullEnergy: false });
    expect(entries.thresholds.use_hull_energy).toBe(false);
    expect(entries.rows[0]!.cathode_chemical.energy).toBeCloseTo(-0.10873867681719918, 9);
    expect(entries.rows[0]!.criteria.cathode_reaction).toBe(false);
  });

  it('no candidate’s minimum is NMC111 decomposing alone at x = 0 (hundreds were, with entry energies)', async () => {
    await ready;
    const atZero = (rows: ReturnType<typeof screenCoatings>['rows']) => rows.filter((x) => x.cathode_chemical.x < 1e-9 && x.cathode_chemical.energy < -1e-6);
    const hull = screenCoatings(data, { criteria: 'xiao2019' });
    expect(atZero(hull.rows)).toEqual([]);
    const entries = screenCoatings(data, { criteria: 'xiao2019', useHullEnergy: false });
    const alone = atZero(entries.rows);
    // NMC111 (Co1Li3Mn1Ni1O6) lies 0.0429 eV/atom above the hull: that is every such minimum.
    expect(alone.length).toBeGreaterThan(100);
    for (const x of alone) expect(x.cathode_chemical.energy).toBeCloseTo(alone[0]!.cathode_chemical.energy, 9);
    expect(alone[0]!.cathode_chemical.energy).toBeCloseTo(-0.0429, 4);
  });

  it('the CLI says which reactant energies it used, and takes --entry-energies', async () => {
    const dflt = await cli('screen', 'coatings', 'LiPO3', '--criteria', 'xiao2019', '--workers', '0');
    expect(dflt.out).toMatch(/reactants at their hull energies \(use_hull_energy=true/);
    const ent = await cli('screen', 'coatings', 'LiPO3', '--criteria', 'xiao2019', '--workers', '0', '--entry-energies', '--json');
    expect(JSON.parse(ent.out).thresholds.use_hull_energy).toBe(false);
    const both = await cli('screen', 'coatings', 'LiPO3', '--use-hull-energy', '--entry-energies');
    expect(both.code).toBe(2);
  });
});

describe('defect 4: one open-system convention by default, named everywhere', () => {
  it('react, screen interfaces, the demo and the library give the same open energy (interface only)', async () => {
    await ready;
    const lib = interfaceReaction('LiCoO2', 'Li3PS4', data.index, { open: { element: 'Li', voltage: 3.9 } });
    expect(lib.includeNoMixingEnergy).toBe(false);
    const row = screenInterfaces(data, { electrolytes: ['Li3PS4'], electrodes: ['LiCoO2'] }).rows[0]!;
    expect(row.voltage).toBe(3.9);
    expect(row.at_voltage!.energy).toBeCloseTo(lib.minimum.energyPerAtom, 12);
    const react = JSON.parse((await cli('react', 'LiCoO2', 'Li3PS4', '--open', 'Li', '--voltage', '3.9', '--json')).out);
    expect(react.minimum.energy_per_atom).toBeCloseTo(lib.minimum.energyPerAtom, 12);
    expect(react.include_no_mixing_energy).toBe(false);
    const demo = (await cli('demo')).out;
    const line = demo.split('\n').find((l) => l.startsWith('Li3PS4 '))!;
    expect(line).toContain(lib.minimum.energyPerAtom.toFixed(3));
    expect(demo).toContain('include_no_mixing_energy=false');
    // The total is there too, in every screen row and behind --include-no-mixing-energy.
    const total = interfaceReaction('LiCoO2', 'Li3PS4', data.index, { open: { element: 'Li', voltage: 3.9 }, includeNoMixingEnergy: true });
    expect(row.at_voltage_total!.energy).toBeCloseTo(total.minimum.energyPerAtom, 12);
    expect(total.minimum.energyPerAtom).toBeLessThan(lib.minimum.energyPerAtom);
  });

  it('screen interfaces names its conventions in the JSON and the table', async () => {
    const r = await cli('screen', 'interfaces', '--electrolytes', 'Li3PS4', '--electrodes', 'LiCoO2', '--json');
    const j = JSON.parse(r.out);
    expect(j.use_hull_energy).toBe(true);
    expect(j.convention.at_voltage.open).toMatch(/^interface only/);
    expect(j.convention.at_voltage_total.open).toMatch(/^total/);
    expect(j.convention.chemical.energy).toBe('eV per atom of mixture');
    const t = await cli('screen', 'interfaces', '--electrolytes', 'Li3PS4', '--electrodes', 'LiCoO2');
    expect(t.out).toMatch(/include_no_mixing_energy=false, the default everywhere/);
    expect(t.out).toMatch(/use_hull_energy=true/);
  });
});

describe('defect 5: compositions absent from the data are all kept', () => {
  it('screen windows keeps Li3YCl6 (LiCl + YCl3), as window does, like LATP and LLTO', async () => {
    await ready;
    const r = screenWindows(data);
    const y = r.rows.find((x) => x.name === 'Li3YCl6')!;
    expect(y).toBeDefined();
    expect(y.in_data).toBe(false);
    expect(y.phase_equilibrium).toEqual(['LiCl', 'YCl3']);
    const w = stabilityWindow(data.index, 'Li3YCl6', { element: 'Li' });
    expect(y.reduction_V).toBe(w.reduction.voltage);
    expect(y.oxidation_V).toBe(w.oxidation.voltage);
    for (const name of ['Li1.3Al0.3Ti1.7(PO4)3', 'Li1/3La5/9TiO3']) expect(r.rows.find((x) => x.name === name)!.in_data).toBe(false);
    const out = (await cli('screen', 'windows')).out;
    expect(out).toMatch(/^Li3YCl6 /m);
  });
});
