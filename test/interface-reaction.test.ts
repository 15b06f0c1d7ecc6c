import { beforeAll, describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import type { Entry } from '../src/core/entry.js';
import { interfaceReaction, interfaceReactionMinimum } from '../src/interface/interface-reaction.js';
import { InterfaceReactionError } from '../src/interface/phase-source.js';
import { pyFormatG4, pySetOrder } from '../src/interface/py-compat.js';
import { type InterfaceReactionOptions, parseReactant } from '../src/interface/reactants.js';
import type { InterfaceReaction } from '../src/interface/reaction-report.js';
import { GrandPotentialPhaseDiagram } from '../src/thermo/grand-potential.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { formatG } from '../src/core/format-g.js';
import { Reaction } from '../src/core/reaction.js';
import { SystemIndex } from '../src/thermo/system-hull.js';
import { voltageMap, voltageMapAt } from '../src/interface/voltage-map.js';
import { DATA, readReference, referenceDatasets } from './helpers/shared.js';

type RefKink = { x: number; energy_per_atom: number; reaction: string };
type RefInterface = { c1: string; c2: string; open: null | [string, number]; kinks: RefKink[]; minimum: { x: number; energy_per_atom: number } };

/**
 * pymatgen's `str(Reaction)` lists the products in the vertex order of the Qhull facet holding the
 * mixture — an artefact of Qhull's incremental construction, not of the chemistry. Reactants
 * (CPython set order, then the open element), coefficients and formulas must match exactly; the
 * product terms as a multiset.
 */
function sameReaction(got: string, want: string): boolean {
  const [gl, gr] = got.split(' -> ');
  const [wl, wr] = want.split(' -> ');
  if (gr === undefined || wr === undefined || gl !== wl) return false;
  const terms = (s: string) => (s === '' ? [] : s.split(' + ')).sort().join(' + ');
  return terms(gr) === terms(wr);
}

function kinkProblems(tag: string, got: InterfaceReaction, want: RefInterface): string[] {
  const out: string[] = [];
  if (got.kinks.length !== want.kinks.length) out.push(`${tag}: ${got.kinks.length} kinks, pymatgen ${want.kinks.length}`);
  want.kinks.forEach((w, i) => {
    const g = got.kinks[i];
    if (!g) return;
    if (Math.abs(g.x - w.x) > 1e-6) out.push(`${tag} kink ${i + 1}: x ${g.x} vs ${w.x}`);
    if (Math.abs(g.energyPerAtom - w.energy_per_atom) > 1e-6) out.push(`${tag} kink ${i + 1}: energy ${g.energyPerAtom} vs ${w.energy_per_atom}`);
    if (!sameReaction(g.reaction, w.reaction)) out.push(`${tag} kink ${i + 1}: ${g.reaction}\n    pymatgen: ${w.reaction}`);
  });
  if (Math.abs(got.minimum.x - want.minimum.x) > 1e-6) {
    // A tie (no reaction: both ends at 0, pymatgen choosing by 1e-16 round-off) is no difference.
    const there = got.kinks.find((k) => Math.abs(k.x - want.minimum.x) <= 1e-6);
    if (!there || Math.abs(there.energyPerAtom - got.minimum.energyPerAtom) > 1e-9) out.push(`${tag}: minimum at x ${got.minimum.x} vs ${want.minimum.x}`);
  }
  if (Math.abs(got.minimum.energyPerAtom - want.minimum.energy_per_atom) > 1e-6) out.push(`${tag}: minimum ${got.minimum.energyPerAtom} vs ${want.minimum.energy_per_atom}`);
  return out;
}

// The shared references were made with include_no_mixing_energy=True (tools/pmg_reference*.py).
const optionsOf = (open: RefInterface['open'], useHullEnergy: boolean): InterfaceReactionOptions =>
  open ? { useHullEnergy, open: { element: open[0], voltage: open[1] }, includeNoMixingEnergy: true } : { useHullEnergy };

describe('pymatgen reaction strings', () => {
  it('compares reactants exactly and products as a multiset', () => {
    expect(sameReaction('0.5 A + 0.5 B -> C + 2 D', '0.5 A + 0.5 B -> 2 D + C')).toBe(true);
    expect(sameReaction('0.5 B + 0.5 A -> C + 2 D', '0.5 A + 0.5 B -> C + 2 D')).toBe(false);
    expect(sameReaction('0.5 A + 0.5 B -> C + 2 D', '0.5 A + 0.5 B -> C + 2.001 D')).toBe(false);
    expect(sameReaction('A -> A', 'A -> A')).toBe(true);
  });

  it('formats coefficients as Python\'s format(x, ".4g") (fast path = reaction.ts formatG everywhere)', () => {
    const xs = [1, 2, 0.5, 1 / 3, 2 / 3, 0.015625, 1.0625, 0.03125, 1234.5, 12345, 9.9995, 9.99951, 0.00012345, 1.5e-5, 0.0001, 99999.5, 1e-7, 123456789];
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) xs.push((rnd() - 0.5) * 10 ** Math.floor(rnd() * 14 - 7));
    for (let i = 0; i < 2000; i++) xs.push(Math.round(rnd() * 2 ** 20) / 2 ** Math.floor(rnd() * 24)); // dyadic: exact ties occur
    const bad = xs.filter((x) => x !== 0 && pyFormatG4(x) !== formatG(x, 4)).map((x) => `${x}: ${pyFormatG4(x)} vs ${formatG(x, 4)}`);
    expect(bad).toEqual([]);
    expect(pyFormatG4(0.015625)).toBe('0.01562'); // half to even, as Python
    expect(pyFormatG4(1.0625)).toBe('1.062');
    expect(pyFormatG4(12345)).toBe('1.234e+04');
    expect(pyFormatG4(1.5e-5)).toBe('1.5e-05');
  });

  it('orders the two reactants as CPython 3.11 orders the set {c1, c2} of pymatgen Compositions', () => {
    // /usr/bin/python3 -c "from pymatgen.core import Composition as C; print(list({C(a), C(b)}))"
    const cases: Array<[string, string, string[]]> = [
      ['Li3PS4', 'Li', ['Li', 'Li3PS4']],
      ['LiCoO2', 'Li3PS4', ['LiCoO2', 'Li3PS4']],
      ['Li6PS5Cl', 'Li', ['Li6PS5Cl', 'Li']],
      ['LiNbO3', 'Li6PS5Cl', ['Li6PS5Cl', 'LiNbO3']],
      ['Li0.5CoO2', 'Li3PS4', ['Li0.5CoO2', 'Li3PS4']],
      ['CoO2', 'Li2O', ['Li2O', 'CoO2']],
      ['LiCoO2', 'Li0.5CoO2', ['LiCoO2', 'Li0.5CoO2']], // same element set: the second probes
      ['Li0.5CoO2', 'LiCoO2', ['Li0.5CoO2', 'LiCoO2']],
    ];
    for (const [a, b, want] of cases) {
      expect(
        pySetOrder(Composition.parse(a), Composition.parse(b)).map((c) => c.formula),
        `${a} ${b}`,
      ).toEqual(want.map((f) => Composition.parse(f).formula));
    }
  });
});

describe('interface reactions against pymatgen on every shared dataset (use_hull_energy=False)', () => {
  for (const name of referenceDatasets()) {
    const ref = readReference<{ interfaces: RefInterface[] }>(`${name}.json`);
    if (!ref.interfaces.length) continue;
    it(`${name}: ${ref.interfaces.map((c) => `${c.c1}|${c.c2}${c.open ? ` (${c.open[0]} ${c.open[1]} V)` : ''}`).join(', ')}`, async () => {
      const pd = new PhaseDiagram(await loadEntries(`${DATA}${name}.json.gz`));
      const problems: string[] = [];
      for (const c of ref.interfaces) {
        const got = interfaceReaction(c.c1, c.c2, pd, optionsOf(c.open, false));
        problems.push(...kinkProblems(`${c.c1}|${c.c2}`, got, c));
        problems.push(...balanceProblems(got));
        // The minimum alone (what screens compute) is the full reaction's minimum, kink and all.
        for (const useHullEnergy of [false, true]) {
          const o = optionsOf(c.open, useHullEnergy);
          const full = useHullEnergy ? interfaceReaction(c.c1, c.c2, pd, o) : got;
          const alone = interfaceReactionMinimum(c.c1, c.c2, pd, o);
          if (JSON.stringify(alone) !== JSON.stringify(full.minimum)) problems.push(`${c.c1}|${c.c2} minimum alone: ${JSON.stringify(alone)} vs ${JSON.stringify(full.minimum)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

/** Every kink's reaction equals the one pymatgen's own balancing gives for the same compositions. */
function balanceProblems(r: InterfaceReaction): string[] {
  const out: string[] = [];
  for (const k of r.kinks) {
    const open = r.open ? [Composition.fromDict({ [r.open.element]: 1 })] : [];
    const atEnd = k.x === 0 || k.x === 1 || Math.abs(k.x) < 1e-8 || Math.abs(k.x - 1) < 1e-5;
    const pair = atEnd ? [Math.abs(k.x) < 0.5 ? r.c2 : r.c1] : pySetOrder(r.c1, r.c2);
    let rx = Reaction.balance(
      [...pair, ...open],
      k.products.map((p) => Composition.parse(p.formula)),
    );
    const c1 = rx.reactants.some((c) => c.formula === r.c1.formula) ? rx.coefficient(r.c1) : 0;
    const c2 = rx.reactants.some((c) => c.formula === r.c2.formula) ? rx.coefficient(r.c2) : 0;
    const xo = c1 / (c1 + c2);
    rx = Math.abs(xo - 1) <= 1e-8 + 1e-5 ? rx.normalizeTo(r.c1, xo) : rx.normalizeTo(r.c2, 1 - xo);
    if (rx.toString() !== k.reaction) out.push(`kink ${k.index} of ${r.c1.formula}|${r.c2.formula}: ${k.reaction} vs pymatgen balancing ${rx.toString()}`);
  }
  return out;
}

let table: Entry[];
const cut = (system: string) => {
  const els = system.split('-');
  return new PhaseDiagram(table.filter((e) => e.composition.elements.every((el) => els.includes(el))));
};

describe('on the 85k-row MP formation-energy table', () => {
  beforeAll(async () => {
    table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  });

  it('agrees with pymatgen on every interface of mp-legacy-ssb-cases.json (use_hull_energy=True)', () => {
    const problems: string[] = [];
    let n = 0;
    for (const sys of readReference<Array<{ system: string; interfaces: Array<RefInterface & { use_hull_energy: boolean }> }>>('mp-legacy-ssb-cases.json')) {
      if (!sys.interfaces.length) continue;
      const pd = cut(sys.system);
      for (const c of sys.interfaces) {
        expect(c.use_hull_energy).toBe(true);
        const got = interfaceReaction(c.c1, c.c2, pd, optionsOf(c.open, true));
        problems.push(...kinkProblems(`${sys.system} ${c.c1}|${c.c2}`, got, c), ...balanceProblems(got));
        n++;
      }
    }
    expect(n).toBe(10);
    expect(problems).toEqual([]);
  });

  it('LiCoO2 | Li3PS4 reacts at −402 meV/atom, charged Li0.5CoO2 | Li3PS4 at −565 (review Fig. 10: −405, −564 on older data)', () => {
    const pd = cut('Li-Co-O-P-S');
    const lco = interfaceReaction('LiCoO2', 'Li3PS4', pd, { useHullEnergy: true });
    expect(Math.round(lco.minimum.energyPerAtom * 1000)).toBe(-402);
    expect(lco.minimum.kink.products.map((p) => p.formula).sort()).toEqual(['Co3S4', 'Li2S', 'Li2SO4', 'Li3PO4']);
    const half = interfaceReaction('Li0.5CoO2', 'Li3PS4', pd, { useHullEnergy: true });
    expect(Math.round(half.minimum.energyPerAtom * 1000)).toBe(-565);
    // Charging makes the interface more reactive.
    expect(half.minimum.energyPerAtom).toBeLessThan(lco.minimum.energyPerAtom - 0.15);
    // Li0.5CoO2 is not in the table: its energy is the hull's, whatever use_hull_energy says.
    const noHull = interfaceReaction('Li0.5CoO2', 'Li3PS4', pd);
    expect(noHull.reactantEnergies[0]).toBeCloseTo(half.reactantEnergies[0], 12);
    expect(noHull.minimum.energyPerAtom).toBeCloseTo(half.minimum.energyPerAtom, 12);
  });

  it('agrees with pymatgen for the options the shared references do not cover (norm, include_no_mixing_energy, absent and fractional reactants)', () => {
    const problems: string[] = [];
    for (const c of EXTRA) {
      const got = interfaceReaction(c.c1, c.c2, cut(c.system), c.options);
      const tag = `${c.c1}|${c.c2} ${JSON.stringify(c.options)}`;
      problems.push(
        ...kinkProblems(tag, got, { ...c, open: null, kinks: c.kinks.map(([x, e, reaction]) => ({ x, energy_per_atom: e, reaction })), minimum: { x: c.minimum[0], energy_per_atom: c.minimum[1] } }),
      );
      got.kinks.forEach((k, i) => {
        const want = c.kinks[i]?.[3];
        if (want !== undefined && Math.abs(k.energyKjPerMol - want) > 1e-6 * Math.max(1, Math.abs(want))) problems.push(`${tag} kink ${i + 1}: ${k.energyKjPerMol} kJ/mol vs ${want}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('takes fractional formulas, also written as a/b', () => {
    expect(parseReactant('LiNi1/3Mn1/3Co1/3O2').amount('Ni')).toBeCloseTo(1 / 3, 15);
    expect(parseReactant('Li0.5CoO2').reducedFormula).toBe('Li0.5Co1O2');
    const pd = cut('Li-Ni-Mn-Co-O-P-S');
    const a = interfaceReaction('LiNi1/3Mn1/3Co1/3O2', 'Li3PS4', pd);
    const b = interfaceReaction('LiNi0.333333333333333333Mn0.333333333333333333Co0.333333333333333333O2', 'Li3PS4', pd);
    expect(a.minimum.energyPerAtom).toBeCloseTo(b.minimum.energyPerAtom, 12);
    expect(a.minimum.energyPerAtom).toBeLessThan(-0.2);
  });

  it('gives the same answer from an evaluated SystemIndex over many systems as from a PhaseDiagram of the system', () => {
    const els = new Set(['Li', 'Co', 'O', 'P', 'S', 'Ni', 'Mn', 'Cl']);
    const index = new SystemIndex(table.filter((e) => e.composition.elements.every((el) => els.has(el))));
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const pd = cut('Li-Co-O-P-S');
    for (const options of [{}, { useHullEnergy: true }, { open: { element: 'Li', voltage: 3.3 } }] as InterfaceReactionOptions[]) {
      const a = interfaceReaction('LiCoO2', 'Li3PS4', index, options);
      const b = interfaceReaction('LiCoO2', 'Li3PS4', pd, options);
      expect(a.kinks.map((k) => [k.x, k.reaction])).toEqual(b.kinks.map((k) => [k.x, k.reaction]));
      a.kinks.forEach((k, i) => expect(k.energyPerAtom).toBeCloseTo(b.kinks[i]!.energyPerAtom, 12));
    }
    expect(() => interfaceReaction('LiCoO2', 'Li3PS4', new SystemIndex(table.slice(0, 10)))).toThrow(/not been evaluated/);
  });

  describe('voltage map', () => {
    it('is the exact minimum over 0–5 V: pieces agree with direct reactions anywhere, breakpoints are where the reaction changes', () => {
      const pd = cut('Li-Co-O-P-S');
      // include_no_mixing_energy: the minimum of affine functions of V, concave over the whole range.
      const map = voltageMap('LiCoO2', 'Li3PS4', pd, { useHullEnergy: true, includeNoMixingEnergy: true });
      expect(map.includeNoMixingEnergy).toBe(true);
      expect(map.pieces[0]!.from).toBe(0);
      expect(map.pieces[map.pieces.length - 1]!.to).toBe(5);
      expect(map.pieces.length).toBeGreaterThan(5);
      map.pieces.forEach((p, i) => {
        if (i) expect(p.from).toBe(map.pieces[i - 1]!.to);
        // Continuous and concave: the neighbours meet at the breakpoint, slopes decrease.
        if (i) expect(p.energyFrom).toBeCloseTo(map.pieces[i - 1]!.energyTo, 9);
        if (i) expect(p.slope).toBeLessThan(map.pieces[i - 1]!.slope);
      });
      const at = (v: number) => interfaceReaction('LiCoO2', 'Li3PS4', pd, { useHullEnergy: true, open: { element: 'Li', voltage: v }, includeNoMixingEnergy: true });
      for (let k = 0; k <= 100; k++) {
        const v = (5 * k) / 100 + (k % 7) * 1e-3 * (k < 100 ? 1 : 0);
        const direct = at(v);
        const piece = voltageMapAt(map, v);
        expect(piece.energy).toBeCloseTo(direct.minimum.energyPerAtom, 9);
      }
      for (const p of map.pieces) {
        const mid = at((p.from + p.to) / 2);
        expect(sameReaction(mid.minimum.kink.reaction, p.kink.reaction), `${p.from}–${p.to} V`).toBe(true);
      }
      // Just either side of a breakpoint the reactions differ.
      for (const b of map.breakpoints) {
        expect(at(b - 1e-6).minimum.kink.reaction).not.toBe(at(b + 1e-6).minimum.kink.reaction);
      }
      // pymatgen's 4 V minimum (mp-legacy-ssb-cases.json): −1.2058780279943517 eV/atom.
      expect(voltageMapAt(map, 4).energy).toBeCloseTo(-1.2058780279943517, 9);
    });

    it('the interface alone (the default, include_no_mixing_energy false): exact too, cut where a reactant itself reacts', () => {
      const pd = cut('Li-Co-O-P-S');
      const map = voltageMap('LiCoO2', 'Li3PS4', pd);
      expect(map.includeNoMixingEnergy).toBe(false);
      const at = (v: number) => interfaceReaction('LiCoO2', 'Li3PS4', pd, { open: { element: 'Li', voltage: v } });
      for (let k = 0; k <= 100; k++) {
        const v = (5 * k) / 100 + (k % 7) * 1e-3 * (k < 100 ? 1 : 0);
        expect(voltageMapAt(map, v).energy, `${v} V`).toBeCloseTo(at(v).minimum.energyPerAtom, 9);
      }
      map.pieces.forEach((p, i) => {
        if (i) expect(p.energyFrom).toBeCloseTo(map.pieces[i - 1]!.energyTo, 9); // continuous
        expect(sameReaction(at((p.from + p.to) / 2).minimum.kink.reaction, p.kink.reaction), `${p.from}–${p.to} V`).toBe(true);
      });
      // Below Li3PS4's reduction limit (1.72 V) the total convention's minimum is Li3PS4 reduced
      // alone at x = 0; the interface alone is 0 at both ends (a minimum at an end is 0: no
      // reaction beyond what each reactant does by itself).
      for (const p of map.pieces) {
        if (p.kink.x > 0 && p.kink.x < 1) continue;
        expect(Math.abs(p.energyFrom) + Math.abs(p.energyTo), `${p.from}–${p.to} V`).toBeLessThan(1e-9);
      }
      expect(voltageMapAt(map, 1).energy).toBeLessThan(-0.2); // −0.237: the two react with each other at 1 V
      const total = voltageMap('LiCoO2', 'Li3PS4', pd, { includeNoMixingEnergy: true });
      expect(voltageMapAt(total, 0.3).kink.x).toBe(0);
      // pymatgen 2022.11, GrandPotentialInterfacialReactivity(LiCoO2, Li3PS4, Li at 4 V,
      // include_no_mixing_energy=False) on Li-Co-O-P-S cut out of the MP table: (0.70833, −0.7310530913720354).
      expect(voltageMapAt(map, 4).energy).toBeCloseTo(-0.7310530913720354, 9);
    });

    it('refuses what it cannot map', () => {
      const pd = cut('Li-P-S');
      expect(() => voltageMap('Li3PS4', 'Li2S', pd, { from: 3, to: 1 })).toThrow(/empty/);
      expect(() => voltageMap('Li3PS4', 'Li2S', pd, { element: 'S' })).toThrow(/valence/);
      expect(() => voltageMap('Li', 'Li3PS4', pd)).toThrow(/reactant c1 Li is the open element itself/);
    });
  });
});

describe('volume change', () => {
  it('is ΔV/V of the solids from the entries’ volumes per atom', async () => {
    const entries = await loadEntries(`${DATA}alexandria-Li-P-S.json.gz`);
    const pd = new PhaseDiagram(entries);
    const r = interfaceReaction('Li2S', 'P2S5', pd);
    const k = r.kinks.find((q) => q.products.length === 1 && q.products[0]!.formula === 'Li3PS4')!;
    expect(k).toBeDefined();
    // By hand: x Li2S + (1−x) P2S5 atoms → Li3PS4 atoms, volumes of the lowest entries.
    const lowest = (f: string) => entries.filter((e) => e.composition.reducedFormula === f).sort((a, b) => pd.formationEnergyPerAtom(a) - pd.formationEnergyPerAtom(b))[0]!;
    const v = (f: string) => lowest(f).volumePerAtom!;
    const want = (v('Li3PS4') - (k.x * v('Li2S') + (1 - k.x) * v('P2S5'))) / (k.x * v('Li2S') + (1 - k.x) * v('P2S5'));
    expect(k.volumeChange).toBeCloseTo(want, 12);
    // Elemental references added to formation-energy data carry no volume: then there is none…
    const li = interfaceReaction('Li3PS4', 'Li', pd);
    expect(li.kinks[1]!.volumeChange).toBeUndefined();
    // …unless given.
    const withLi = interfaceReaction('Li3PS4', 'Li', pd, { volumes: { Li: 20.3 } });
    expect(withLi.kinks[1]!.volumeChange).toBeTypeOf('number');
    expect(withLi.kinks[1]!.volumeChange).toBeGreaterThan(-0.9);
  });

  it('counts the open element exchanged with the reservoir as no volume', async () => {
    const pd = new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-Co-O.json.gz`));
    const r = interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'Li', voltage: 4 }, volumes: { Li: 20.3, O2: 11.0, Co: 11.1 } });
    for (const k of r.kinks) expect(k.volumeChange).toBeTypeOf('number');
    // At x = 1 LiCoO2 alone loses Li to the reservoir: the solids shrink.
    expect(r.kinks[r.kinks.length - 1]!.volumeChange).toBeLessThan(0);
  });
});

describe('results', () => {
  it('carry pymatgen’s extras: index, kJ/mol, products with amounts, curve', async () => {
    const pd = new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-Co-O.json.gz`));
    const r = interfaceReaction('LiCoO2', 'Li', pd);
    expect(r.kinks.map((k) => k.index)).toEqual([1, 2, 3, 4]);
    const k = r.kinks[1]!; // 0.75 Li + 0.25 LiCoO2 -> 0.5 Li2O + 0.25 Co
    expect(k.products.map((p) => [p.formula, p.amount]).sort()).toEqual(
      [
        ['Co', 0.25],
        ['Li2O', 0.5],
      ]
        .map(([f, a]) => [f, expect.closeTo(a as number, 12)])
        .sort(),
    );
    expect(k.products.reduce((s, p) => s + p.fraction, 0)).toBeCloseTo(1, 12);
    expect(r.curve.x).toEqual(r.kinks.map((q) => q.x));
    expect(r.curve.energyPerAtom).toEqual(r.kinks.map((q) => q.energyPerAtom));
    expect([...r.products].sort()).toEqual(['Co', 'Li', 'Li2O', 'Li6CoO4', 'LiCoO2']);
    // Open, with unequal non-open shares: x is not linear in the mixture, the curve is sampled.
    const o = interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'Li', voltage: 2 } });
    expect(o.curve.x.length).toBeGreaterThan(o.kinks.length);
    for (const q of o.kinks) expect(o.curve.x).toContain(q.x);
    for (let i = 1; i < o.curve.x.length; i++) expect(o.curve.x[i]!).toBeGreaterThan(o.curve.x[i - 1]!);
    expect(o.open).toEqual({ element: 'Li', mu: -2, voltage: 2 });
  });
});

describe('open systems with reactants of the same non-open composition', () => {
  it('reports the two ends, as pymatgen (Li2O | Li2O2 with Li open at 3 V)', async () => {
    // pymatgen 2022.11, alexandria-Li-Co-O (pmg_reference.py's loading), GrandPotentialInterfacialReactivity(
    //   Li2O, Li2O2, gpd(Li: ref − 3.0), pd, norm, include_no_mixing_energy=True, use_hull_energy=False).get_kinks()
    const want = {
      true: [
        [0, -0.36192412500000026, 'Li2O2 -> 1.75 Li + 0.25 LiO8'],
        [1, -0.4550678250000004, 'Li2O -> 1.875 Li + 0.125 LiO8'],
      ],
      false: [
        [0, -0.7238482500000005, 'Li2O2 -> 1.75 Li + 0.25 LiO8'],
        [1, -0.4550678250000004, 'Li2O -> 1.875 Li + 0.125 LiO8'],
      ],
    } as const;
    const pd = new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-Co-O.json.gz`));
    for (const norm of [true, false]) {
      const r = interfaceReaction('Li2O', 'Li2O2', pd, { norm, open: { element: 'Li', voltage: 3 }, includeNoMixingEnergy: true });
      const w = want[`${norm}`];
      expect(r.kinks.length).toBe(2);
      r.kinks.forEach((k, i) => {
        expect(k.x).toBe(w[i]![0]);
        expect(k.energyPerAtom).toBeCloseTo(w[i]![1], 12);
        expect(k.reaction).toBe(w[i]![2]);
      });
    }
  });
});

describe('errors name the culprit', () => {
  let pd: PhaseDiagram;
  beforeAll(async () => {
    pd = new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-Co-O.json.gz`));
  });
  const fails = (f: () => unknown, re: RegExp) => {
    expect(f).toThrow(InterfaceReactionError);
    expect(f).toThrow(re);
  };
  it('reactants outside the diagram', () => {
    fails(() => interfaceReaction('LiCoO2', 'Li3PS4', pd), /reactant c2 Li3PS4: P, S are outside the diagram's elements Co-Li-O/);
    fails(() => interfaceReaction('LiFePO4', 'Li2O', pd), /reactant c1 .*Fe, P are outside/);
  });
  it('identical reactants', () => {
    fails(() => interfaceReaction('LiCoO2', 'LiCoO2', pd), /the reactants LiCoO2 and LiCoO2 have the same composition \(LiCoO2\)/);
    fails(() => interfaceReaction('LiCoO2', 'Li2Co2O4', pd), /LiCoO2 and Li2Co2O4 have the same composition/);
  });
  it('zero and malformed amounts', () => {
    fails(() => interfaceReaction('LiCo0O2', 'Li2O', pd), /reactant c1 "LiCo0O2": zero amount '0' for 'Co'/);
    fails(() => interfaceReaction('LiCoO2', 'Li0O', pd), /reactant c2 "Li0O": zero amount/);
    fails(() => interfaceReaction('LiCo1/0O2', 'Li2O', pd), /reactant c1 "LiCo1\/0O2": division by zero/);
    fails(() => interfaceReaction('LiXxO2', 'Li2O', pd), /reactant c1 "LiXxO2": unknown element 'Xx'/);
    fails(() => interfaceReaction(Composition.parse('LiCoO2'), '', pd), /reactant c2 "": empty formula/);
  });
  it('open element problems', () => {
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'Na', voltage: 1 } }), /open element Na is outside the diagram's elements Co-Li-O/);
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'Li' } }), /give exactly one of a voltage or a chemical potential/);
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'Li', voltage: Number.NaN } }), /voltage must be a finite number, got NaN/);
    fails(() => interfaceReaction('LiCoO2', 'Li', pd, { open: { element: 'Li', voltage: 1 } }), /reactant c2 Li is the open element itself/);
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'O', voltage: 1 } }), /open element O: no ion valence known for O/);
    // A chemical potential works for any element.
    expect(interfaceReaction('LiCoO2', 'Li2O', pd, { open: { element: 'O', mu: -1 } }).open).toEqual({ element: 'O', mu: -1, voltage: Number.NaN });
  });
  it('a grand-potential diagram instead of options.open', () => {
    const gpd = new GrandPotentialPhaseDiagram(pd.entries, { Li: { voltage: 3 } });
    fails(() => interfaceReaction('CoO2', 'Co3O4', gpd), /give the closed phase diagram and options.open = \{ element: 'Li', voltage \} .* instead of a GrandPotentialPhaseDiagram/);
  });
  it('bad options', () => {
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { useHullEnergy: 'yes' as unknown as boolean }), /option useHullEnergy must be a boolean/);
    fails(() => interfaceReaction('LiCoO2', 'Li2O', pd, { volumes: { Li: -1 } }), /option volumes: Li must be a finite volume > 0/);
  });
});

// pymatgen 2022.11 on chemical systems cut out of the MP table (elements at 0 eV/atom), for the
// options the shared references do not exercise. Made with (pmg_reference_chemsys.py's loading):
//   run('Li-Co-O-P-S', 'LiCoO2', 'Li3PS4', norm=False, uhe=True)   # InterfacialReactivity(..., norm, use_hull_energy)
//   run(..., opn=['Li', 4.0], norm=False, uhe=True)                  # GrandPotentialInterfacialReactivity(..., include_no_mixing_energy)
//   run(..., opn=['Li', 3.0], uhe=True, nomix=False); run('Li-Co-O-P-S', 'Li0.5CoO2', 'Li3PS4', uhe=False)
//   run(..., 'Li0.5CoO2', 'Li3PS4', opn=['Li', 2.0], uhe=False); run('Li-Ni-Co-Al-O-P-S', 'LiNi0.8Co0.15Al0.05O2', 'Li3PS4', uhe=True)
//   run('Li-P-S-Cl', 'Li2S', 'Li6PS5Cl', opn=['Li', 0.0], uhe=True)
// kinks: [x, energy per atom, str(reaction), energy per reaction formula (kJ/mol)].
interface ExtraCase {
  system: string;
  c1: string;
  c2: string;
  options: InterfaceReactionOptions;
  minimum: [number, number];
  kinks: Array<[number, number, string, number]>;
}
const EXTRA: ExtraCase[] = [
  {
    system: 'Li-Co-O-P-S',
    c1: 'LiCoO2',
    c2: 'Li3PS4',
    options: { norm: false, useHullEnergy: true },
    minimum: [0.6666666666666666, -2.128218369999999],
    kinks: [
      [1.5050946919993648e-16, 1.7763568394002505e-15, 'Li3PS4 -> Li3PS4', 1.7139232255658498e-13],
      [0.6666666666666666, -2.128218369999999, '0.6667 LiCoO2 + 0.3333 Li3PS4 -> 0.1667 CoS2 + 0.3333 Li2S + 0.1667 Co3S4 + 0.3333 Li3PO4', -205.34178789496082],
      [0.6857142857142859, -2.1148597347857137, '0.6857 LiCoO2 + 0.3143 Li3PS4 -> 0.02857 Li2SO4 + 0.3143 Li2S + 0.2286 Co3S4 + 0.3143 Li3PO4', -204.05287596871997],
      [0.7422680412371134, -2.0218531263144315, '0.7423 LiCoO2 + 0.2577 Li3PS4 -> 0.1134 Li2SO4 + 0.08247 Co9S8 + 0.2577 Li2S + 0.2577 Li3PO4', -195.07910544838577],
      [0.7933884297520662, -1.755989357637742, '0.7934 LiCoO2 + 0.2066 Li3PS4 -> 0.1212 Li2SO4 + 0.08815 Co9S8 + 0.2755 Li2O + 0.2066 Li3PO4', -169.42715996848472],
      [0.9142857142857146, -1.0059653063571452, '0.9143 LiCoO2 + 0.08571 Li3PS4 -> 0.3429 Li2SO4 + 0.1143 Li2O + 0.08571 Li3PO4 + 0.9143 Co', -97.06086437346102],
      [0.9166666666666669, -0.9864524562500663, '0.9167 LiCoO2 + 0.08333 Li3PS4 -> 0.04167 Li6CoO4 + 0.3333 Li2SO4 + 0.08333 Li3PO4 + 0.875 Co', -95.17816117702448],
      [1.0000000000000002, -2.2483021502079586e-15, 'LiCoO2 -> LiCoO2', -2.1692810745345993e-13],
    ],
  },
  {
    system: 'Li-Co-O-P-S',
    c1: 'LiCoO2',
    c2: 'Li3PS4',
    options: { open: { element: 'Li', voltage: 4.0 }, norm: false, useHullEnergy: true, includeNoMixingEnergy: true },
    minimum: [0.02702702702702733, -4.976673853648658],
    kinks: [
      [0.0, -4.743036109218756, 'Li3PS4 -> 3 Li + 0.5 S + 0.5 P2S7', -457.63326190880434],
      [0.02702702702702733, -4.976673853648658, '0.02703 LiCoO2 + 0.973 Li3PS4 -> 2.946 Li + 0.05405 S8O + 0.4865 P2S7 + 0.02703 CoS2', -480.17586977144697],
      [0.5955056179775287, -4.571732418258437, '0.5955 LiCoO2 + 0.4045 Li3PS4 -> 1.809 Li + 0.1011 CoP4O11 + 0.07865 S8O + 0.4944 CoS2', -441.10497389539074],
      [0.6170212765957448, -4.5412853394680885, '0.617 LiCoO2 + 0.383 Li3PS4 -> 1.766 Li + 0.08511 S8O + 0.1915 Co(PO3)2 + 0.4255 CoS2', -438.16727836418045],
      [0.7391304347826086, -3.9798124976087066, '0.7391 LiCoO2 + 0.2609 Li3PS4 -> 1.522 Li + 0.1304 Co(PO3)2 + 0.1739 CoSO4 + 0.4348 CoS2', -383.99340277552534],
      [0.7735849056603775, -3.800547956603763, '0.7736 LiCoO2 + 0.2264 Li3PS4 -> 1.453 Li + 0.1132 Co2P2O7 + 0.1887 CoSO4 + 0.3585 CoS2', -366.6970097573009],
      [0.8000000000000004, -3.6603693204999925, '0.8 LiCoO2 + 0.2 Li3PS4 -> 1.4 Li + 0.1 Co3(PO4)2 + 0.2 CoSO4 + 0.3 CoS2', -353.17183199923807],
      [0.829268292682927, -3.5045310242682977, '0.8293 LiCoO2 + 0.1707 Li3PS4 -> 1.341 Li + 0.1098 Co3S4 + 0.08537 Co3(PO4)2 + 0.2439 CoSO4', -338.13572723583394],
      [0.8521739130434786, -3.3572612779130524, '0.8522 LiCoO2 + 0.1478 Li3PS4 -> 1.296 Li + 0.03913 Co9S8 + 0.07391 Co3(PO4)2 + 0.2783 CoSO4', -323.92636157782414],
      [0.9354838709677423, -2.541818394516051, '0.9355 LiCoO2 + 0.06452 Li3PS4 -> 1.129 Li + 0.5806 CoO + 0.03226 Co3(PO4)2 + 0.2581 CoSO4', -245.24811034039936],
      [0.9500000000000003, -2.2942619218750164, '0.95 LiCoO2 + 0.05 Li3PS4 -> 1.1 Li + 0.025 Co3(PO4)2 + 0.225 Co3O4 + 0.2 CoSO4', -221.36254981068743],
      [0.964285714285715, -1.81975082276794, '0.9643 LiCoO2 + 0.03571 Li3PS4 -> 0.7857 Li + 0.1429 Li2SO4 + 0.01786 Co3(PO4)2 + 0.3036 Co3O4', -175.57920406001173],
      [0.9655172413793108, -1.7777878825433224, '0.9655 LiCoO2 + 0.03448 Li3PS4 -> 0.7586 Li + 0.03448 LiCoPO4 + 0.1379 Li2SO4 + 0.3103 Co3O4', -171.53039718355728],
      [0.9677419354838716, -1.6858234844353872, '0.9677 LiCoO2 + 0.03226 Li3PS4 -> 0.7097 Li + 0.129 Li2SO4 + 0.03226 Li3PO4 + 0.3226 Co3O4', -162.65718464279385],
      [1.0, -0.30383075625000266, 'LiCoO2 -> 0.5 Li + 0.5 Li(CoO2)2', -29.315201666008363],
    ],
  },
  {
    system: 'Li-Co-O-P-S',
    c1: 'LiCoO2',
    c2: 'Li3PS4',
    options: { open: { element: 'Li', voltage: 3.0 }, useHullEnergy: true, includeNoMixingEnergy: false },
    minimum: [0.5707317073170732, -0.6083656351838929],
    kinks: [
      [2.9971456760222174e-17, 0.0, 'Li3PS4 -> 2.875 Li + 0.5 P2S7 + 0.125 LiS4', 0.0],
      [0.01369863013698646, -0.04901966483606668, '0.02703 LiCoO2 + 0.973 Li3PS4 -> 2.946 Li + 0.05405 S8O + 0.4865 P2S7 + 0.02703 CoS2', -23.392727118166054],
      [0.43750000000000006, -0.5814934195689676, '0.6087 LiCoO2 + 0.3913 Li3PS4 -> 1.391 Li + 0.3913 LiPO3 + 0.04348 S8O + 0.6087 CoS2', -212.22540574160786],
      [0.47058823529411775, -0.5961822610887135, '0.64 LiCoO2 + 0.36 Li3PS4 -> Li + 0.02 S8O + 0.64 CoS2 + 0.18 Li4P2O7', -213.98490645486098],
      [0.4936708860759496, -0.6038336392396344, '0.661 LiCoO2 + 0.339 Li3PS4 -> 0.9322 Li + 0.0339 Li2SO4 + 0.661 CoS2 + 0.1695 Li4P2O7', -214.2822398910467],
      [0.5707317073170732, -0.6083656351838929, '0.7267 LiCoO2 + 0.2733 Li3PS4 -> 0.7516 Li + 0.2422 Co3S4 + 0.1242 Li2SO4 + 0.1366 Li4P2O7', -208.17858763014416],
      [0.6333333333333335, -0.6051182726405364, '0.7755 LiCoO2 + 0.2245 Li3PS4 -> 0.898 Li + 0.2245 LiCoPO4 + 0.1837 Co3S4 + 0.1633 Li2SO4', -201.36873579660127],
      [0.6794871794871801, -0.5954836029091182, '0.8092 LiCoO2 + 0.1908 Li3PS4 -> 0.7634 Li + 0.1908 LiCoPO4 + 0.0687 Co9S8 + 0.2137 Li2SO4', -194.2957895709378],
      [0.6951219512195133, -0.5836620134475925, '0.8201 LiCoO2 + 0.1799 Li3PS4 -> 0.8993 Li + 0.08993 Co3(PO4)2 + 0.06115 Co9S8 + 0.2302 Li2SO4', -189.20153730695236],
      [0.7424242424242437, -0.543113017730894, '0.8522 LiCoO2 + 0.1478 Li3PS4 -> 1.296 Li + 0.2783 CoSO4 + 0.07391 Co3(PO4)2 + 0.03913 Co9S8', -172.70015746456667],
      [0.8787878787878792, -0.41361301845359993, '0.9355 LiCoO2 + 0.06452 Li3PS4 -> 1.129 Li + 0.2581 CoSO4 + 0.5806 CoO + 0.03226 Co3(PO4)2', -124.87209317522283],
      [0.9024390243902503, -0.3861445681811818, '0.9487 LiCoO2 + 0.05128 Li3PS4 -> 0.6923 Li + 0.8718 CoO + 0.02564 Co3(PO4)2 + 0.2051 Li2SO4', -115.59308243651657],
      [0.9047619047619114, -0.38296432626991406, '0.95 LiCoO2 + 0.05 Li3PS4 -> 0.65 Li + 0.9 CoO + 0.05 LiCoPO4 + 0.2 Li2SO4', -114.54632651929643],
      [0.9333333333333359, -0.3114370210532693, '0.9655 LiCoO2 + 0.03448 Li3PS4 -> 0.7586 Li + 0.03448 LiCoPO4 + 0.3103 Co3O4 + 0.1379 Li2SO4', -92.21963456073652],
      [0.937500000000001, -0.29918499260523507, '0.9677 LiCoO2 + 0.03226 Li3PS4 -> 0.7097 Li + 0.3226 Co3O4 + 0.03226 Li3PO4 + 0.129 Li2SO4', -88.4632454150427],
      [1.0, 0.0, 'LiCoO2 -> LiCoO2', 0.0],
    ],
  },
  {
    system: 'Li-Co-O-P-S',
    c1: 'Li0.5CoO2',
    c2: 'Li3PS4',
    options: { useHullEnergy: false },
    minimum: [0.6057692307692308, -0.5651614341015623],
    kinks: [
      [1.3941611539365576e-16, 2.220446049250313e-16, 'Li3PS4 -> Li3PS4', 1.7139232255658498e-13],
      [0.4666666666666667, -0.5194739907499998, '0.6667 Li0.5Co1O2 + 0.3333 Li3PS4 -> 0.4167 CoS2 + 0.1667 Li2S + 0.08333 Co3S4 + 0.3333 Li3PO4', -250.60801919855476],
      [0.525, -0.5438493239296877, '0.7164 Li0.5Co1O2 + 0.2836 Li3PS4 -> 0.07463 Li2SO4 + 0.1045 Li2S + 0.2388 Co3S4 + 0.2836 Li3PO4', -250.61953516013426],
      [0.6057692307692308, -0.5651614341015623, '0.7784 Li0.5Co1O2 + 0.2216 Li3PS4 -> 0.1676 Li2SO4 + 0.08649 Co9S8 + 0.02703 Li2S + 0.2216 Li3PO4', -245.2365895715818],
      [0.613138686131387, -0.5630919335317823, '0.7837 Li0.5Co1O2 + 0.2163 Li3PS4 -> 0.1687 Li2SO4 + 0.08707 Co9S8 + 0.02721 Li2O + 0.2163 Li3PO4', -243.04401294406497],
      [0.6363636363636364, -0.5528017501704543, '0.8 Li0.5Co1O2 + 0.2 Li3PS4 -> 0.2 Li2SO4 + 0.075 Co9S8 + 0.2 Li3PO4 + 0.125 Co', -234.68386790517368],
      [0.875, -0.380226700429687, '0.9412 Li0.5Co1O2 + 0.05882 Li3PS4 -> 0.2353 Li2SO4 + 0.7059 CoO + 0.05882 Li3PO4 + 0.2353 Co', -138.1130814455284],
      [0.9130434782608697, -0.33209691105978134, '0.96 Li0.5Co1O2 + 0.04 Li3PS4 -> 0.16 LiCoO2 + 0.16 Li2SO4 + 0.8 CoO + 0.04 Li3PO4', -117.91628994104897],
      [0.9506172839506173, -0.24007391816357943, '0.9778 Li0.5Co1O2 + 0.02222 Li3PS4 -> 0.3111 LiCoO2 + 0.08889 Li2SO4 + 0.2222 Co3O4 + 0.02222 Li3PO4', -83.38897445827867],
      [1.0000000000000002, -2.5014838180263078e-15, 'Li0.5Co1O2 -> 0.5 Li(CoO2)2', -8.447474581959479e-13],
    ],
  },
  {
    system: 'Li-Co-O-P-S',
    c1: 'Li0.5CoO2',
    c2: 'Li3PS4',
    options: { open: { element: 'Li', voltage: 2.0 }, useHullEnergy: false, includeNoMixingEnergy: true },
    minimum: [0.6116504854368936, -0.7400941023417719],
    kinks: [
      [2.6225024665194402e-17, 0.0, 'Li3PS4 -> Li3PS4', 0.0],
      [0.46666666666666673, -0.7097478295454547, '0.6667 Li0.5Co1O2 + 0.3333 Li3PS4 -> 0.3333 Li + 0.6667 CoS2 + 0.3333 Li3PO4', -251.09418494615426],
      [0.5440414507772022, -0.7352026162413792, '0.7317 Li0.5Co1O2 + 0.2683 Li3PS4 -> 0.1707 Li + 0.2439 Co3S4 + 0.09756 Li2SO4 + 0.2683 Li3PO4', -250.8720859361215],
      [0.6116504854368936, -0.7400941023417719, '0.7826 Li0.5Co1O2 + 0.2174 Li3PS4 -> 0.04348 Li + 0.08696 Co9S8 + 0.1739 Li2SO4 + 0.2174 Li3PO4', -245.2716486052803],
      [0.8139534883720932, -0.5481118229999995, '0.9091 Li0.5Co1O2 + 0.09091 Li3PS4 + 0.2727 Li -> 0.3636 Li2SO4 + 0.09091 Li3PO4 + 0.9091 Co', -168.26960714996036],
      [0.8974358974358976, -0.4272036744999974, '0.9524 Li0.5Co1O2 + 0.04762 Li3PS4 -> 0.09524 Li + 0.9524 CoO + 0.1905 Li2SO4 + 0.04762 Li3PO4', -127.58223119953573],
      [1.0, -0.23205641458333215, 'Li0.5Co1O2 + 0.5 Li -> LiCoO2', -67.17009833399153],
    ],
  },
  {
    system: 'Li-Ni-Co-Al-O-P-S',
    c1: 'LiNi0.8Co0.15Al0.05O2',
    c2: 'Li3PS4',
    options: { useHullEnergy: true },
    minimum: [0.636604774535809, -0.5695170877362415],
    kinks: [
      [5.365893652783438e-16, 8.881784197001252e-16, 'Li3PS4 -> Li3PS4', 6.855692902263399e-13],
      [
        0.5102040816326531,
        -0.5430174571747449,
        '0.6757 Li1Al0.05Co0.15Ni0.8O2 + 0.3243 Li3PS4 -> 0.1605 NiS2 + 0.006757 LiAl5O8 + 0.1014 Co(NiS2)2 + 0.05912 Ni3S4 + 0.3345 Li2S + 0.3243 Li3PO4',
        -277.5423687325815,
      ],
      [
        0.5128205128205128,
        -0.5450829021554483,
        '0.678 Li1Al0.05Co0.15Ni0.8O2 + 0.322 Li3PS4 -> 0.161 NiS2 + 0.1017 Co(NiS2)2 + 0.0339 LiAlO2 + 0.05932 Ni3S4 + 0.322 Li2S + 0.322 Li3PO4',
        -278.1162042351491,
      ],
      [
        0.534521158129176,
        -0.5585223712785359,
        '0.6967 Li1Al0.05Co0.15Ni0.8O2 + 0.3033 Li3PS4 -> 0.1045 Co(NiS2)2 + 0.03483 LiAlO2 + 0.1161 Ni3S4 + 0.3033 Li2S + 0.02758 Li2SO4 + 0.3033 Li3PO4',
        -280.9433979533804,
      ],
      [
        0.5682715074980269,
        -0.5640967117104875,
        '0.7247 Li1Al0.05Co0.15Ni0.8O2 + 0.2753 Li3PS4 -> 0.04026 Ni9S8 + 0.1087 Co(NiS2)2 + 0.03624 LiAlO2 + 0.2753 Li2S + 0.06895 Li2SO4 + 0.2753 Li3PO4',
        -277.6409069382694,
      ],
      [
        0.5867970660146702,
        -0.565995455113845,
        '0.7396 Li1Al0.05Co0.15Ni0.8O2 + 0.2604 Li3PS4 -> 0.1109 Co(NiS2)2 + 0.03698 LiAlO2 + 0.2604 Li2S + 0.1233 Ni3S2 + 0.09091 Li2SO4 + 0.2604 Li3PO4',
        -275.32312709628377,
      ],
      [
        0.6138107416879797,
        -0.5686278901366687,
        '0.7607 Li1Al0.05Co0.15Ni0.8O2 + 0.2393 Li3PS4 -> 0.03803 LiAlO2 + 0.2393 Li2S + 0.05705 Co2NiS4 + 0.1838 Ni3S2 + 0.122 Li2SO4 + 0.2393 Li3PO4',
        -271.9735649339789,
      ],
      [
        0.636604774535809,
        -0.5695170877362415,
        '0.778 Li1Al0.05Co0.15Ni0.8O2 + 0.222 Li3PS4 -> 0.0389 LiAlO2 + 0.222 Li2S + 0.01297 Co9S8 + 0.2075 Ni3S2 + 0.1475 Li2SO4 + 0.222 Li3PO4',
        -268.6049945366587,
      ],
      [
        0.6575342465753425,
        -0.5661828783022262,
        '0.7934 Li1Al0.05Co0.15Ni0.8O2 + 0.2066 Li3PS4 -> 0.1471 Li2S + 0.01322 Co9S8 + 0.2116 Ni3S2 + 0.1504 Li2SO4 + 0.03967 Li5AlO4 + 0.2066 Li3PO4',
        -263.66067539526125,
      ],
      [
        0.7002188183807442,
        -0.5552061140903096,
        '0.8237 Li1Al0.05Co0.15Ni0.8O2 + 0.1763 Li3PS4 -> 0.1527 Li2O + 0.01373 Co9S8 + 0.2196 Ni3S2 + 0.1562 Li2SO4 + 0.04118 Li5AlO4 + 0.1763 Li3PO4',
        -252.05804288582604,
      ],
      [
        0.8142493638676845,
        -0.5200533577589594,
        '0.8976 Li1Al0.05Co0.15Ni0.8O2 + 0.1024 Li3PS4 -> 0.04675 Li2O + 0.01496 Co9S8 + 0.2899 Li2SO4 + 0.04488 Li5AlO4 + 0.1024 Li3PO4 + 0.7181 Ni',
        -221.25956988585173,
      ],
      [
        0.8488063660477454,
        -0.5076251990741059,
        '0.9182 Li1Al0.05Co0.15Ni0.8O2 + 0.08178 Li3PS4 -> 0.04591 Co3Ni + 0.01722 Li2O + 0.3271 Li2SO4 + 0.04591 Li5AlO4 + 0.08178 Li3PO4 + 0.6887 Ni',
        -211.9350972375869,
      ],
      [
        0.8494208494208495,
        -0.5071814009978352,
        '0.9186 Li1Al0.05Co0.15Ni0.8O2 + 0.08142 Li3PS4 -> 0.04384 Co3Ni + 0.3257 Li2SO4 + 0.006263 Li6CoO4 + 0.04593 Li5AlO4 + 0.08142 Li3PO4 + 0.691 Ni',
        -211.67945476561812,
      ],
      [0.8695652173913045, -0.4832109526222792, '0.9302 Li1Al0.05Co0.15Ni0.8O2 + 0.06977 Li3PS4 -> 0.1395 LiCoO2 + 0.2791 Li2SO4 + 0.04651 Li5AlO4 + 0.06977 Li3PO4 + 0.7442 Ni', -199.50201594829167],
      [
        0.9523809523809526,
        -0.23266503531250032,
        '0.9756 Li1Al0.05Co0.15Ni0.8O2 + 0.02439 Li3PS4 -> 0.04878 LiCoO2 + 0.09756 Li2SO4 + 0.7805 NiO + 0.04878 Li5AlO4 + 0.09756 Li5CoO4 + 0.02439 Li3PO4',
        -91.98514543695256,
      ],
      [
        0.9536082474226808,
        -0.22679209899124722,
        '0.9763 Li1Al0.05Co0.15Ni0.8O2 + 0.02375 Li3PS4 -> 0.01055 Li7Co5O12 + 0.09499 Li2SO4 + 0.781 NiO + 0.04881 Li5AlO4 + 0.09367 Li5CoO4 + 0.02375 Li3PO4',
        -89.60692600542986,
      ],
      [
        0.9722222222222224,
        -0.13691465089626342,
        '0.9859 Li1Al0.05Co0.15Ni0.8O2 + 0.01408 Li3PS4 -> 0.1127 Li4CoNi3O8 + 0.05634 Li2SO4 + 0.4507 NiO + 0.0493 Li5AlO4 + 0.03521 Li5CoO4 + 0.01408 Li3PO4',
        -53.585244166801616,
      ],
      [
        0.9836065573770492,
        -0.08176552831455057,
        '0.9917 Li1Al0.05Co0.15Ni0.8O2 + 0.008264 Li3PS4 -> 0.01377 Li10CoNi9O20 + 0.135 Li4CoNi3O8 + 0.03306 Li2SO4 + 0.2645 NiO + 0.04959 Li5AlO4 + 0.008264 Li3PO4',
        -31.81748517516472,
      ],
      [1.0000000000000002, -2.8103776877599487e-16, 'Li1Al0.05Co0.15Ni0.8O2 -> 0.05 LiAlO2 + 0.05833 Li10CoNi9O20 + 0.09167 Li4CoNi3O8', -1.0846405372672999e-13],
    ],
  },
  {
    system: 'Li-P-S-Cl',
    c1: 'Li2S',
    c2: 'Li6PS5Cl',
    options: { open: { element: 'Li', voltage: 0.0 }, useHullEnergy: true, includeNoMixingEnergy: true },
    minimum: [3.1385150888441927e-16, -1.6276981510714288],
    kinks: [
      [3.1385150888441927e-16, -1.6276981510714288, 'Li6PS5Cl + 8 Li -> Li3P + LiCl + 5 Li2S', -1099.3426109090049],
      [1.0, 8.881784197001252e-16, 'Li2S -> Li2S', 8.569616127829249e-14],
    ],
  },
];

describe('many reactions at one voltage share one grand-potential hull', () => {
  it('gives exactly what each reaction gets from the hull of its own chemical system', async () => {
    const { defaultEntries } = await import('../src/io/default-data.js');
    const entries = await defaultEntries();
    const fresh = () => {
      const index = new SystemIndex(entries);
      for (const _ of index.evaluate({ decompositions: false })) void _;
      return index;
    };
    const index = fresh();
    // Li compounds of the data with LiCoO2 open to Li at 4.3 V, as a coating screen does.
    const seen = new Set<string>();
    const coatings: Composition[] = [];
    for (let i = 0; i < index.entries.length && coatings.length < 160; i++) {
      const c = index.entries[i]!.composition;
      if (!index.isStable[i] || !c.has('Li') || c.elements.length < 3 || seen.has(c.key)) continue;
      seen.add(c.key);
      coatings.push(c);
    }
    const open = { open: { element: 'Li', voltage: 4.3 } };
    const run = () => coatings.map((c) => JSON.stringify(interfaceReaction(c, 'LiCoO2', index, open)));
    // First pass: the early reactions build the hull of their own system, until those hulls have
    // cost as much as one over every stable phase; the rest and the second pass use that one.
    const first = run();
    const second = run();
    let spent = 0;
    let stable = 0;
    index.isStable.forEach((s) => (stable += s));
    for (const c of coatings) {
      const els = new Set([...c.elements, 'Li', 'Co', 'O']);
      index.entries.forEach((e, i) => {
        if (index.isStable[i] && e.composition.elements.every((el) => els.has(el)) && !(e.isElement && e.composition.has('Li'))) spent++;
      });
    }
    expect(spent).toBeGreaterThan(stable); // so the shared hull was built during the first pass
    expect(second).toEqual(first);
    // And against a diagram of each pair's own system (a source of its own).
    for (const c of coatings.slice(0, 12)) {
      const els = new Set([...c.elements, 'Li', 'Co', 'O']);
      const pd = new PhaseDiagram(entries.filter((e) => e.composition.elements.every((el) => els.has(el))));
      expect(JSON.stringify(interfaceReaction(c, 'LiCoO2', pd, open))).toBe(first[coatings.indexOf(c)]);
    }
  });
});
