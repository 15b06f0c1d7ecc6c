import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import { formatG } from '../src/core/format-g.js';
import { Reaction, ReactionError, uniqueCoefficient } from '../src/core/reaction.js';
import { readReference, REFERENCE, type RefProfile } from './helpers/shared.js';

/** Every element profile of the pymatgen references, with where it came from. */
function referenceProfiles(): Array<{ where: string; profile: RefProfile }> {
  const out: Array<{ where: string; profile: RefProfile }> = [];
  for (const f of readdirSync(REFERENCE)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const data = readReference(f);
    const cases: any[] = Array.isArray(data) ? data : [data];
    for (const c of cases) for (const p of c.profiles ?? []) out.push({ where: `${f}${c.system ? ` ${c.system}` : ''}`, profile: p });
  }
  return out;
}

describe('formatG is Python format(x, ".4g")', () => {
  // Expected strings printed by CPython 3.11.
  const cases: Array<[number, string]> = [
    [1.0625, '1.062'],
    [2.0625, '2.062'],
    [0.03125, '0.03125'],
    [8.000000000000002, '8'],
    [5.428571428571426, '5.429'],
    [0.14285714285714285, '0.1429'],
    [1e-5, '1e-05'],
    [1.23456e-5, '1.235e-05'],
    [12345.6, '1.235e+04'],
    [123456789.0, '1.235e+08'],
    [0.0001, '0.0001'],
    [0.00012345, '0.0001234'],
    [9.99995, '10'],
    [9.99949, '9.999'],
    [-2.5, '-2.5'],
    [1234.5, '1234'],
    [1235.5, '1236'],
    [0.5, '0.5'],
    [100, '100'],
    [1e16, '1e+16'],
    [2.875, '2.875'],
    [0.03846153846153846, '0.03846'],
    [1e-7, '1e-07'],
    [4.455965397114081e-15, '4.456e-15'],
  ];
  it.each(cases)('%s -> %s', (x, want) => expect(formatG(x, 4)).toBe(want));
});

describe('Reaction.balance reproduces pymatgen Reaction', () => {
  it('balances and formats simple reactions', () => {
    const r = Reaction.balance(['Li', 'O2'], ['Li2O']);
    expect(r.toString()).toBe('2 Li + 0.5 O2 -> Li2O');
    expect(r.normalizeTo('Li').toString()).toBe('Li + 0.25 O2 -> 0.5 Li2O');
    expect(r.coefficient('Li2O')).toBeCloseTo(1, 12);
    expect(r.reactants.map((c) => c.formula)).toEqual(['Li1', 'O2']);
    expect(r.products.map((c) => c.formula)).toEqual(['Li2O1']);
    expect(r.elementAmount('Li')).toBeCloseTo(2, 12);
    expect(r.normalizeToElement('O', 1).toString()).toBe('2 Li + 0.5 O2 -> Li2O');
    expect(r.normalizedRepr).toBe('4 Li + O2 -> 2 Li2O');
    expect(r.calculateEnergy((c) => (c.reducedFormula === 'Li2O' ? -6.2 : 0))).toBeCloseTo(-6.2, 12);
  });

  it('moves a composition to the side where it ends up, as pymatgen', () => {
    // Expected strings printed by pymatgen 2022.11's str(Reaction([...], [...])).
    expect(Reaction.balance(['Li3PS4'], ['Li2S', 'P2S5']).toString()).toBe('0.6667 Li3PS4 -> Li2S + 0.3333 P2S5');
    expect(Reaction.balance(['Li3PS4'], ['Li3PS4', 'Li']).toString()).toBe('Li3PS4 -> Li3PS4');
    expect(Reaction.balance(['Li3PS4'], ['Li2S', 'Li3P', 'Li']).normalizeTo('Li3PS4').toString()).toBe('Li3PS4 + 8 Li -> 4 Li2S + Li3P');
  });

  it('picks the same solution of underdetermined balances as pymatgen', () => {
    expect(Reaction.balance(['LiCoO2', 'Li3PS4'], ['Li2S', 'CoS2', 'Li3PO4', 'Co3O4']).toString()).toBe('2 LiCoO2 + 0.5 Li3PS4 -> Li2S + 0.5 CoS2 + 0.5 Li3PO4 + 0.5 Co3O4');
    expect(Reaction.balance(['Li', 'Fe2O3'], ['Li2O', 'Fe', 'FeO', 'Li5FeO4']).toString()).toBe('4 Li + 1.2 Fe2O3 -> Li2O + Fe + FeO + 0.4 Li5FeO4');
  });

  it('keeps given coefficients with fromCoefficients and refuses unbalanced ones', () => {
    const r = Reaction.fromCoefficients(
      [
        ['Li3PS4', 1],
        ['Li', 8],
      ],
      [
        ['Li2S', 4],
        ['Li3P', 1],
      ],
    );
    expect(r.toString()).toBe('Li3PS4 + 8 Li -> 4 Li2S + Li3P');
    expect(() => Reaction.fromCoefficients([['Li3PS4', 1]], [['Li2S', 4]])).toThrow(ReactionError);
    expect(() => Reaction.balance(['Li'], ['O2'])).toThrow(/cannot be balanced/);
  });

  const profiles = referenceProfiles();
  it('finds reference profiles to compare against', () => expect(profiles.length).toBeGreaterThanOrEqual(25));

  // pymatgen builds each step as Reaction([comp], decomposition + [El]).normalize_to(comp); the
  // decomposition order is qhull's, which the reference string itself reveals (products in
  // order, the open element last). Rebuilding the reaction in that order must give the string
  // character for character and the same element evolution.
  it.each(profiles.map((p) => [`${p.where}: ${p.profile.composition} (${p.profile.open_element})`, p.profile] as const))('%s: every reaction string and evolution', (_, profile) => {
    const comp = Composition.parse(profile.composition);
    const el = Composition.parse(profile.open_element);
    const elFormula = el.reducedFormula;
    for (const step of profile.steps) {
      const right = step.reaction.split(' -> ')[1]!;
      const formulas = right
        .split(' + ')
        .map((t) => t.split(' ').pop()!)
        .filter((f) => f !== elFormula);
      const rxn = Reaction.balance([comp], [...formulas.map((f) => Composition.parse(f)), el]).normalizeTo(comp);
      expect(rxn.toString()).toBe(step.reaction);
      expect(Math.abs(-rxn.coefficients[rxn.indexOf(el)]! - step.evolution)).toBeLessThan(1e-9);
      // The quick path element profiles take for the evolution: the same coefficient, or none.
      const products = [...formulas.map((f) => Composition.parse(f)), el];
      const quick = uniqueCoefficient(comp, products, products.length - 1);
      if (quick !== undefined) expect(Math.abs(quick - rxn.coefficients[rxn.indexOf(el)]!)).toBeLessThan(1e-9);
    }
  });

  it('uniqueCoefficient: one coefficient when the stoichiometry fixes the reaction, none when it does not', () => {
    const c = (f: string) => Composition.parse(f);
    // Li3PS4 + 8 Li -> 4 Li2S + Li3P: Li's coefficient among the products is -8.
    expect(uniqueCoefficient(c('Li3PS4'), [c('Li2S'), c('Li3P'), c('Li')], 2)).toBeCloseTo(-8, 12);
    expect(uniqueCoefficient(c('Li3PS4'), [c('Li2S'), c('Li3P'), c('Li')], 0)).toBeCloseTo(4, 12);
    // The composition itself among the products: nothing taken up, exactly.
    expect(uniqueCoefficient(c('Li3PS4'), [c('Li3PS4'), c('Li')], 1)).toBe(0);
    // Two ways to balance (a two-dimensional null space), or none: undefined.
    expect(uniqueCoefficient(c('Li2S'), [c('Li'), c('Li'), c('S')], 2)).toBeUndefined();
    expect(uniqueCoefficient(c('Li2S'), [c('Li3P')], 0)).toBeUndefined();
  });
});
