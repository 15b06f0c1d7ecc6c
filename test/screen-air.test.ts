// Air and moisture stability as a workflow (issue 15): each material against H2O, CO2, O2.
// Expected values: pymatgen 2022.11 InterfacialReactivity(material, gas, use_hull_energy=True)
// `minimum` on chemical systems cut out of the MP table, written beside each.
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Entry } from '../src/core/index.js';
import { loadEntries } from '../src/io/node.js';
import { prepareScreenData, screenAir, ScreenWorkflowError } from '../src/screen/index.js';
import { DATA } from './helpers/shared.js';

let table: Entry[];
const ready = (async () => {
  table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
})();
const cut = (system: string) => {
  const s = new Set(system.split('-'));
  return table.filter((e) => e.composition.elements.every((el) => s.has(el)));
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('screen air', () => {
  it('Li3PS4 + H2O → H2S + Li3PO4, flagged; LLZO + CO2 → Li2CO3 (pymatgen minima)', async () => {
    await ready;
    const data = prepareScreenData(cut('C-H-La-Li-O-P-S-Zr'));
    const r = screenAir(data, { materials: ['Li3PS4', 'LLZO'] });
    expect(r.gases).toEqual(['H2O', 'CO2', 'O2']);
    const row = (m: string, g: string) => r.rows.find((x) => x.material === m && x.gas === g)!;
    const h2o = row('Li3PS4', 'H2O');
    // pymatgen: (0.4, −0.04919929787499977), 0.8 H2O + 0.2 Li3PS4 -> 0.8 H2S + 0.2 Li3PO4
    expect(h2o.minimum.energy).toBeCloseTo(-0.04919929787499977, 9);
    expect(h2o.minimum.x).toBeCloseTo(0.4, 9);
    expect(h2o.minimum.products).toEqual(['H2S', 'Li3PO4']);
    expect(h2o.harmful).toEqual(['H2S: toxic']);
    expect(h2o.stable).toBe(false);
    const co2 = row('LLZO', 'CO2');
    // pymatgen: (0.6153846153846156, −0.19962508314102334) -> Li2CO3 + ZrO2 + La2CO5
    expect(co2.minimum.energy).toBeCloseTo(-0.19962508314102334, 9);
    expect(co2.minimum.products).toEqual(['La2CO5', 'Li2CO3', 'ZrO2']);
    // pymatgen: Li3PS4 | O2 (0.3333, −1.764928662517363)
    expect(row('Li3PS4', 'O2').minimum.energy).toBeCloseTo(-1.764928662517363, 9);
  });

  it('leaves out a gas the data cannot hold, and says so; a given gas must be there', async () => {
    const none = await cli('screen', 'air', 'Li3PS4');
    expect(none.code).toBe(0);
    expect(none.err).toMatch(/left out H2O: gas H2O: H does not occur in the data mp-legacy-32/);
    expect(none.out).toMatch(/^Li3PS4 +CO2/m);
    await ready;
    const data = prepareScreenData(cut('Li-O-P-S'));
    expect(() => screenAir(data, { materials: ['Li3PS4'], gases: ['H2O'] })).toThrow(ScreenWorkflowError);
    expect(() => screenAir(data, { materials: ['Li3PS4'], gases: ['H2O'] })).toThrow(/gas H2O: H does not occur/);
  });
});
