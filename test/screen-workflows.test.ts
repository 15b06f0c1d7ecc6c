import { beforeAll, describe, expect, it } from 'vitest';
import { prepareScreenData, screenData, ScreenWorkflowError, openElementFor, type ScreenData } from '../src/screen/common.js';
import { screenWindows, DEFAULT_ELECTROLYTES } from '../src/screen/windows.js';
import { screenInterfaces, DEFAULT_ELECTRODES } from '../src/screen/interfaces.js';
import { screenCoatings } from '../src/screen/coatings.js';
import { electronicCharacter, screenAnode } from '../src/screen/anode.js';
import { Composition } from '../src/core/composition.js';
import { Entry } from '../src/core/entry.js';
import { readReference } from './helpers/shared.js';

interface RefStep {
  mu: number;
  evolution: number;
  products: string[];
}
interface RefCase {
  system: string;
  profiles: Array<{ composition: string; open_element: string; steps: RefStep[] }>;
  interfaces: Array<{ c1: string; c2: string; open: [string, number] | null; use_hull_energy: boolean; minimum: { x: number; energy_per_atom: number } }>;
}

let data: ScreenData;
beforeAll(async () => {
  data = await screenData();
});

/** The window of a pymatgen element profile: the step without uptake and the next one. */
function refWindow(steps: RefStep[]): { red: number; ox: number; below: string[] | null; above: string[] | null } {
  const i = steps.findIndex((s) => Math.abs(s.evolution) < 1e-8);
  return {
    red: -steps[i]!.mu,
    ox: i + 1 < steps.length ? -steps[i + 1]!.mu : Infinity,
    below: i > 0 ? [...steps[i - 1]!.products].sort() : null,
    above: i + 1 < steps.length ? [...steps[i + 1]!.products].sort() : null,
  };
}

describe('screen windows (embedded data vs pymatgen on the MP table)', () => {
  it('agrees within 1e-6 V with every reference window of mp-legacy-ssb-cases.json', () => {
    const cases = readReference<RefCase[]>('mp-legacy-ssb-cases.json');
    const profiles = cases.flatMap((c) => c.profiles);
    const names = profiles.map((p) => p.composition);
    for (const want of ['Li3PS4', 'Li6PS5Cl', 'Li10GeP2S12', 'Li3PO4', 'Li3InCl6', 'LiNbO3']) expect(names).toContain(want);
    const r = screenWindows(data, names);
    profiles.forEach((p, k) => {
      const row = r.rows[k]!;
      const ref = refWindow(p.steps);
      expect(row.open_element).toBe(p.open_element);
      expect(Math.abs(row.reduction_V - ref.red), p.composition).toBeLessThan(1e-6);
      expect(Math.abs((row.oxidation_V ?? Infinity) - ref.ox) || 0, p.composition).toBeLessThan(1e-6);
      expect(row.reduction_products ? [...row.reduction_products].sort() : null).toEqual(ref.below);
      expect(row.oxidation_products ? [...row.oxidation_products].sort() : null).toEqual(ref.above);
    });
  });

  it('gives the published windows: Li3PS4 1.72–2.36 V, Li3PO4 0.69–4.21 V', () => {
    const [lps, lpo] = screenWindows(data, ['Li3PS4', 'Li3PO4']).rows;
    expect([lps!.reduction_V.toFixed(2), lps!.oxidation_V!.toFixed(2)]).toEqual(['1.72', '2.36']);
    expect([lpo!.reduction_V.toFixed(2), lpo!.oxidation_V!.toFixed(2)]).toEqual(['0.69', '4.21']);
    expect(lps!.reduction_products).toEqual(['Li2S', 'P']);
    expect(lps!.stable).toBe(true);
    expect(lps!.e_above_hull).toBeCloseTo(0, 9);
  });

  it('screens the default list; Na3PS4 is open to Na; absent compositions (LATP, Li3YCl6) get their phase equilibrium', () => {
    const seen: number[] = [];
    const r = screenWindows(data, undefined, { onProgress: (d) => seen.push(d) });
    const names = r.rows.map((x) => x.name);
    expect(names.length).toBe(DEFAULT_ELECTROLYTES.length);
    expect(seen.at(-1)).toBe(names.length);
    const na = r.rows.find((x) => x.name === 'Na3PS4')!;
    expect(na.open_element).toBe('Na');
    expect(openElementFor(Composition.parse('Na3PS4'))).toBe('Na');
    expect(openElementFor(Composition.parse('Li3PS4'))).toBe('Li');
    const latp = r.rows.find((x) => x.name === 'Li1.3Al0.3Ti1.7(PO4)3')!;
    expect(latp.in_data).toBe(false);
    expect(latp.e_above_hull).toBeNull();
    expect(latp.phase_equilibrium.length).toBeGreaterThan(1);
    expect(r.rows.find((x) => x.name === 'LiPON')!.formula).toBe('Li2PNO2');
    expect(r.rows.find((x) => x.name === 'LiF')!.reduction_V).toBe(0);
    expect(r.rows.find((x) => x.name === 'Li3YCl6')!.phase_equilibrium).toEqual(['LiCl', 'YCl3']);
  });

  it('refuses unknown formulas and elements outside the data, naming them', () => {
    expect(() => screenWindows(data, ['Li3Xx4'])).toThrow(ScreenWorkflowError);
    expect(() => screenWindows(data, ['Li3Xx4'])).toThrow(/unknown formula "Li3Xx4"/);
    expect(() => screenWindows(data, ['Li2Se'])).toThrow(/Se does not occur in the data mp-legacy-32/);
    expect(() => screenWindows(data, ['Li'])).toThrow(/open element Li itself/);
  });
});

describe('screen interfaces', () => {
  it('LiCoO2 | Li3PS4 and the Li | electrolyte minima agree with pymatgen within 1e-6 eV/atom', () => {
    const cases = readReference<RefCase[]>('mp-legacy-ssb-cases.json');
    const refs = cases.flatMap((c) => c.interfaces).filter((i) => i.use_hull_energy);
    const closed = screenInterfaces(data, { electrolytes: ['Li3PS4', 'Li6PS5Cl', 'Li10GeP2S12', 'Li3InCl6'], electrodes: ['Li', 'LiCoO2', 'Li0.5CoO2'], useHullEnergy: true });
    const at4 = screenInterfaces(data, { electrolytes: ['Li3PS4'], electrodes: ['LiCoO2'], voltage: 4, useHullEnergy: true });
    let n = 0;
    for (const ref of refs) {
      const pair = [ref.c1, ref.c2];
      const electrode = pair.find((c) => ['Li', 'LiCoO2', 'Li0.5CoO2'].includes(c));
      const electrolyte = pair.find((c) => c !== electrode);
      if (!electrode || !electrolyte) continue;
      const rows = ref.open ? at4.rows : closed.rows;
      const row = rows.find((x) => x.electrode === electrode && x.electrolyte === electrolyte);
      if (!row) continue;
      // The references count each reactant's own reaction with the reservoir (include_no_mixing_energy=True).
      const got = ref.open ? row.at_voltage_total! : row.chemical;
      expect(Math.abs(got.energy - ref.minimum.energy_per_atom), `${electrode}|${electrolyte} ${JSON.stringify(ref.open)}`).toBeLessThan(1e-6);
      if (ref.c1 === electrode) expect(Math.abs(got.x - ref.minimum.x)).toBeLessThan(1e-6);
      n++;
    }
    expect(n).toBe(7); // Li3PS4|Li, Li6PS5Cl|Li, LGPS|Li, Li3InCl6|Li, LiCoO2|Li3PS4 (closed, 4 V), Li0.5CoO2|Li3PS4
    const lco = closed.rows.find((x) => x.electrode === 'LiCoO2' && x.electrolyte === 'Li3PS4')!;
    expect(lco.chemical.products).toEqual(['Co3S4', 'Li2S', 'Li2SO4', 'Li3PO4']);
    expect(lco.at_voltage!.energy).toBeLessThan(0);
    expect(closed.rows.find((x) => x.electrode === 'Li')!.at_voltage).toBeNull();
  });

  it('screens the default matrix (every electrode, absent reactants at their hull energy)', () => {
    const r = screenInterfaces(data, { electrolytes: ['Li3PS4', 'Li7La3Zr2O12'] });
    expect(r.rows.length).toBe(2 * DEFAULT_ELECTRODES.length);
    expect(r.electrodes.map((e) => e.name)).toEqual(DEFAULT_ELECTRODES.map((e) => e.name));
    for (const x of r.rows) {
      expect(Number.isFinite(x.chemical.energy)).toBe(true);
      expect(x.min_energy).toBeLessThanOrEqual(0);
    }
    // Li7La3Zr2O12 barely reacts with Li metal; Li3PS4 does (Li2S + Li3P).
    const llzoLi = r.rows.find((x) => x.electrolyte === 'Li7La3Zr2O12' && x.electrode === 'Li')!;
    const lpsLi = r.rows.find((x) => x.electrolyte === 'Li3PS4' && x.electrode === 'Li')!;
    expect(llzoLi.chemical.energy).toBeGreaterThan(-0.05);
    expect(lpsLi.chemical.products).toEqual(['Li2S', 'Li3P']);
  });

  it('accepts FORMULA@V electrodes and refuses unknown ones', () => {
    const r = screenInterfaces(data, { electrolytes: ['Li3PS4'], electrodes: ['LiCoO2@4.3', 'LiMn2O4'] });
    expect(r.rows.map((x) => x.voltage)).toEqual([4.3, 4]);
    expect(() => screenInterfaces(data, { electrolytes: ['Li3PS4'], electrodes: ['LiXyz'] })).toThrow(/unknown electrode "LiXyz"/);
    expect(() => screenInterfaces(data, { electrolytes: ['Li3PS4'], electrodes: ['LiCoO2@-1'] })).toThrow(/voltage after @/);
    expect(() => screenInterfaces(data, { electrolytes: ['Qq2S'] })).toThrow(/unknown formula "Qq2S"/);
  });
});

describe('screen anode (review section 5.1)', () => {
  it('Li3PS4 | Li → Li2S + Li3P passivating; LGPS → Li–Ge alloy, mixed conducting; Na3PS4 | Na → Na3P conducting', () => {
    const rows = screenAnode(data, { electrolytes: ['Li3PS4', 'Li10GeP2S12', 'Na3PS4', 'Li6PS5Cl', 'LiF', 'Li7La3Zr2O12'] });
    const [lps, lgps, nps, lpsc, lif, llzo] = rows;
    expect(lps!.products.map((p) => p.formula)).toEqual(['Li2S', 'Li3P']);
    expect(lps!.products.every((p) => p.electronic === 'insulating' && p.inferred)).toBe(true);
    expect(lps!.interphase).toBe('passivating');
    expect(lgps!.interphase).toBe('mixed-conducting');
    expect(lgps!.conducting.length).toBe(1);
    expect([...Composition.parse(lgps!.conducting[0]!).elements].sort()).toEqual(['Ge', 'Li']);
    expect(nps!.metal).toBe('Na');
    expect(nps!.conducting).toEqual(['Na3P']);
    expect(nps!.interphase).toBe('mixed-conducting');
    expect(lpsc!.interphase).toBe('passivating');
    expect(lpsc!.products.map((p) => p.formula)).toContain('LiCl');
    expect(lif!.interphase).toBe('stable');
    expect(llzo!.interphase).toBe('kinetically-stable');
  });

  it('uses band gaps when the data carry them, else infers and says so', () => {
    expect(electronicCharacter('Li15Ge4', undefined)).toMatchObject({ electronic: 'conducting', inferred: true });
    expect(electronicCharacter('Li2S', undefined)).toMatchObject({ electronic: 'insulating', inferred: true });
    expect(electronicCharacter('Ti3P', undefined)).toMatchObject({ electronic: 'conducting', inferred: true });
    const gapped = prepareScreenData(
      [
        new Entry({ id: 'a', composition: 'Li3P', eFormPerAtom: -0.6, bandGap: 0.1 }),
        new Entry({ id: 'b', composition: 'Li2S', eFormPerAtom: -1.5, bandGap: 3.5 }),
        new Entry({ id: 'c', composition: 'Li3PS4', eFormPerAtom: -1.2, bandGap: 3 }),
      ],
      'gapped',
    );
    expect(gapped.hasBandGaps).toBe(true);
    expect(electronicCharacter('Li3P', gapped)).toMatchObject({ electronic: 'conducting', inferred: false, band_gap: 0.1 });
    const [row] = screenAnode(gapped, { electrolytes: ['Li3PS4'] });
    expect(row!.interphase).toBe('mixed-conducting');
  });
});

describe('screen coatings (Xiao et al. 2019 criteria)', () => {
  it('ranks LiNbO3 / Li3PO4-type coatings above obviously bad ones and reports every criterion', () => {
    const r = screenCoatings(data, { candidates: ['Li2S', 'LiNbO3', 'Li3N', 'Li3PO4', 'LiTi2(PO4)3'] });
    const rank = (f: string) => r.rows.find((x) => x.formula === f)!.rank;
    for (const good of ['LiNbO3', 'Li3PO4', 'LiTi2(PO4)3']) for (const bad of ['Li2S', 'Li3N']) expect(rank(good)).toBeLessThan(rank(bad));
    expect(r.thresholds).toMatchObject({ cathode: 'LiCoO2', electrolyte: 'Li3PS4', cathode_range_V: [2.5, 4.3], max_e_above_hull: 0.05, max_reaction_energy: 0.1, band_gaps_available: false });
    for (const x of r.rows) {
      expect(x.band_gap).toBeNull();
      expect(x.criteria.band_gap).toBeNull(); // not available, not passed
      expect(x.judged).toBe(4);
      for (const k of ['cathode_chemical', 'cathode_at_voltage', 'electrolyte_chemical', 'electrolyte_at_voltage'] as const) expect(Number.isFinite(x[k]!.energy)).toBe(true);
      expect(typeof x.criteria.window).toBe('boolean');
    }
    const ltp = r.rows.find((x) => x.formula === 'LiTi2(PO4)3')!;
    expect(ltp.pass_all).toBe(true);
    const lno = r.rows.find((x) => x.formula === 'LiNbO3')!;
    expect(lno.cathode_chemical.energy).toBeCloseTo(0, 6);
    expect(lno.criteria.cathode_reaction).toBe(true);
  });

  it('screens every Li compound of the embedded data within E_hull, ranked', () => {
    let last = 0;
    const r = screenCoatings(data, { onProgress: (d) => (last = d) });
    expect(r.candidates).toBeGreaterThan(1000);
    expect(last).toBe(r.candidates);
    expect(r.failed).toEqual([]);
    for (let i = 1; i < r.rows.length; i++) expect(r.rows[i - 1]!.passed).toBeGreaterThanOrEqual(r.rows[i]!.passed);
    expect(r.rows.every((x) => x.e_above_hull !== null && x.e_above_hull <= 0.05 + 1e-12 && x.formula.includes('Li'))).toBe(true);
    expect(r.rows.slice(0, 30).map((x) => x.formula)).toContain('LiTi2(PO4)3');
  });

  it('checks its options', () => {
    expect(() => screenCoatings(data, { candidates: ['LiNbO3'], cathodeRange: [4.3, 2.5] })).toThrow(/low <= high/);
    expect(() => screenCoatings(data, { candidates: ['LiNbO3'], maxEHull: -1 })).toThrow(/max E_hull/);
    expect(() => screenCoatings(data, { candidates: ['Li9Zz'] })).toThrow(/unknown formula/);
  });
});
