// Bad input through the public API gets an error naming the culprit: never a wrong number,
// never a silent skip. Every assertion checks both the error class and that the message names
// the offending entry / element / formula / option.
import { describe, expect, it } from 'vitest';
import { Composition, Entry, EntryError, FormulaError, MissingReferenceError, PhaseDiagram, PhaseDiagramError, type EntryInit } from '../src/index.js';

/** The error thrown by `f` (fails the test when nothing is thrown). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as Error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

// A small valid Li-O formation-energy system (elements at 0 eV/atom).
const LI_O: EntryInit[] = [
  { id: 'li2o', composition: 'Li2O', eFormPerAtom: -2.0 },
  { id: 'li2o2', composition: 'Li2O2', eFormPerAtom: -1.6 },
];

// The same kind of system with total energies and its own elemental entries.
const LI_O_TOTAL: EntryInit[] = [
  { id: 'Li-bcc', composition: 'Li', energy: -1.9 },
  { id: 'O2-gas', composition: 'O2', energy: -9.86 },
  { id: 'Li2O-mp', composition: 'Li2O', energy: -14.3, correction: -0.7 },
];

describe('PhaseDiagram input', () => {
  it('an empty entry list is an error, not an empty diagram', () => {
    const e = thrown(() => new PhaseDiagram([]));
    expect(e).toBeInstanceOf(PhaseDiagramError);
    expect(e.message).toMatch(/no entries/);
    // An empty iterable that is not an array, too.
    expect(() => new PhaseDiagram(new Set<EntryInit>())).toThrow(/no entries/);
  });

  it.each([
    ['NaN formation energy', { eFormPerAtom: NaN }, /e_form_per_atom is not a finite number \(NaN\)/],
    ['Infinity formation energy', { eFormPerAtom: Infinity }, /e_form_per_atom is not a finite number \(Infinity\)/],
    ['-Infinity formation energy', { eFormPerAtom: -Infinity }, /e_form_per_atom is not a finite number \(-Infinity\)/],
  ] as const)('%s names the entry', (_, energy, re) => {
    const bad = { id: 'mp-bad-17', composition: 'Li3O', ...energy };
    const e = thrown(() => new PhaseDiagram([...LI_O, bad]));
    expect(e).toBeInstanceOf(EntryError);
    expect(e.message).toContain('"mp-bad-17"');
    expect(e.message).toMatch(re);
  });

  it.each([
    ['NaN total energy', { energy: NaN }, /energy is not a finite number \(NaN\)/],
    ['Infinity total energy', { energy: Infinity }, /energy is not a finite number \(Infinity\)/],
    ['NaN correction', { energy: -10, correction: NaN }, /correction is not a finite number \(NaN\)/],
    ['-Infinity correction', { energy: -10, correction: -Infinity }, /correction is not a finite number \(-Infinity\)/],
    ['string energy', { energy: '-14.3' as unknown as number }, /energy is not a finite number \(string "-14\.3"\)/],
  ] as const)('%s (total-energy entry) names the entry', (_, energy, re) => {
    const bad = { id: 'Li2O-broken', composition: 'Li2O', ...energy };
    const e = thrown(() => new PhaseDiagram([...LI_O_TOTAL, bad]));
    expect(e).toBeInstanceOf(EntryError);
    expect(e.message).toContain('"Li2O-broken"');
    expect(e.message).toMatch(re);
  });

  it('an entry with neither or both energies is refused, naming it', () => {
    const neither = thrown(() => new PhaseDiagram([...LI_O, { id: 'no-energy', composition: 'LiO3' }]));
    expect(neither).toBeInstanceOf(EntryError);
    expect(neither.message).toMatch(/"no-energy".*exactly one of a total energy or a formation energy/);
    const both = thrown(() => new PhaseDiagram([...LI_O, { id: 'two-energies', composition: 'LiO3', energy: -3, eFormPerAtom: -1 }]));
    expect(both).toBeInstanceOf(EntryError);
    expect(both.message).toContain('"two-energies"');
  });

  it('total-energy entries lacking elemental entries: one error naming every missing element', () => {
    // Li2O and Li3PO4 with a P entry only: Li and O have none.
    const entries: EntryInit[] = [
      { id: 'a', composition: 'Li2O', energy: -14.3 },
      { id: 'b', composition: 'Li3PO4', energy: -50.1 },
      { id: 'p-black', composition: 'P', energy: -5.4 },
    ];
    const e = thrown(() => new PhaseDiagram(entries));
    expect(e).toBeInstanceOf(MissingReferenceError);
    expect(e.message).toMatch(/no elemental reference entry for Li, O\b/);
    expect(e.message).not.toMatch(/\bP\b.*:/); // P has its entry: not named as missing
  });

  it('a missing reference for a single element names it (the others present)', () => {
    const entries = LI_O_TOTAL.filter((e) => e.id !== 'O2-gas');
    const e = thrown(() => new PhaseDiagram(entries));
    expect(e).toBeInstanceOf(MissingReferenceError);
    expect(e.message).toMatch(/for O:/);
  });

  it('mixing formation- and total-energy entries names one of each', () => {
    const e = thrown(() => new PhaseDiagram([...LI_O_TOTAL, { id: 'form-LiO2', composition: 'LiO2', eFormPerAtom: -0.9 }]));
    expect(e).toBeInstanceOf(EntryError);
    expect(e.message).toMatch(/cannot mix/);
    expect(e.message).toContain('"form-LiO2"');
    expect(e.message).toMatch(/"(Li-bcc|O2-gas|Li2O-mp)"/);
  });

  it('`elements` narrower than the entries names the entry and the element outside', () => {
    const e = thrown(() => new PhaseDiagram(LI_O, { elements: ['Li'] }));
    expect(e).toBeInstanceOf(PhaseDiagramError);
    expect(e.message).toMatch(/"li2o".*\bO\b outside the diagram's elements Li/);
  });

  it('`elements` wider than formation-energy entries: the element no entry contains is named', () => {
    const e = thrown(() => new PhaseDiagram(LI_O, { elements: ['Li', 'O', 'S'] }));
    expect(e).toBeInstanceOf(MissingReferenceError);
    expect(e.message).toMatch(/\bS\b/);
    // The message must not blame total-energy data: these are formation energies.
    expect(e.message).not.toMatch(/total-energy/);
    expect(e.message).toMatch(/no entry contains/);
  });

  it('`elements` wider than total-energy entries: the element without an elemental entry is named', () => {
    const e = thrown(() => new PhaseDiagram(LI_O_TOTAL, { elements: ['Li', 'O', 'S'] }));
    expect(e).toBeInstanceOf(MissingReferenceError);
    expect(e.message).toMatch(/for S:/);
  });

  it('`elements` with an unknown symbol or a repeated element is refused, naming it', () => {
    const unknown = thrown(() => new PhaseDiagram(LI_O, { elements: ['Li', 'O', 'Xx'] }));
    expect(unknown).toBeInstanceOf(PhaseDiagramError);
    expect(unknown.message).toMatch(/unknown element "Xx"/);
    const twice = thrown(() => new PhaseDiagram(LI_O, { elements: ['O', 'Li', 'O'] }));
    expect(twice).toBeInstanceOf(PhaseDiagramError);
    expect(twice.message).toMatch(/\bO is listed twice/);
  });

  it.each([NaN, -1e-3, Infinity])('stabilityTolerance %s is refused (it would mislabel stable phases)', (tol) => {
    // With NaN, Li2O (-2 eV/atom, the only compound) used to come out unstable at E_hull 0.
    const e = thrown(() => new PhaseDiagram(LI_O, { stabilityTolerance: tol }));
    expect(e).toBeInstanceOf(PhaseDiagramError);
    expect(e.message).toMatch(new RegExp(`stabilityTolerance.*${String(tol).replace('+', '\\+')}`));
  });

  it('a composition given as an {element: amount} map with a bad amount names the entry', () => {
    const e = thrown(() => new PhaseDiagram([...LI_O, { id: 'dict-entry-3', composition: { Li: NaN, O: 1 }, eFormPerAtom: -1 }]));
    expect(e).toBeInstanceOf(FormulaError);
    expect(e.message).toContain('"dict-entry-3"');
    expect(e.message).toMatch(/amount of 'Li'.*NaN/);
    const unknown = thrown(() => new PhaseDiagram([...LI_O, { id: 'dict-entry-4', composition: { Li: 1, Qq: 1 }, eFormPerAtom: -1 }]));
    expect(unknown).toBeInstanceOf(FormulaError);
    expect(unknown.message).toMatch(/"dict-entry-4".*unknown element 'Qq'/);
  });
});

describe('PhaseDiagram queries outside the diagram', () => {
  const pd = new PhaseDiagram(LI_O);

  it.each([
    ['decomposition', (c: string) => pd.decomposition(c)],
    ['hullEnergyPerAtom', (c: string) => pd.hullEnergyPerAtom(c)],
    ['hullFormationEnergyPerAtom', (c: string) => pd.hullFormationEnergyPerAtom(c)],
    ['chemicalPotentials', (c: string) => pd.chemicalPotentials(c)],
  ] as const)('%s of a composition with an element outside names the element', (_, f) => {
    const e = thrown(() => f('Li2S'));
    expect(e).toBeInstanceOf(PhaseDiagramError);
    expect(e.message).toMatch(/\bS outside the diagram's elements Li-O/);
    const two = thrown(() => f('LiClO4S'));
    expect(two.message).toMatch(/Cl, S outside/);
    // and through a Composition object as well as a string
    expect(() => f(Composition.parse('Na2O') as unknown as string)).toThrow(/\bNa outside/);
  });

  it('eAboveHull / formationEnergyPerAtom / phaseSeparationEnergy of an entry with an element outside', () => {
    const foreign = new Entry({ id: 'LiCl-x', composition: 'LiCl', eFormPerAtom: -1.8 });
    for (const f of [() => pd.eAboveHull(foreign), () => pd.formationEnergyPerAtom(foreign), () => pd.phaseSeparationEnergy(foreign)]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(PhaseDiagramError);
      expect(e.message).toMatch(/\bCl outside/);
    }
  });

  it('an entry of the other energy kind is refused, not measured on the wrong scale', () => {
    // Li2O at -14.3 eV total is not -4.77 eV/atom of formation energy: before the fix this
    // returned E_hull = -2.77 for a formation-energy diagram, a wrong number.
    const total = new Entry({ id: 'Li2O-total', composition: 'Li2O', energy: -14.3 });
    for (const f of [() => pd.eAboveHull(total), () => pd.formationEnergyPerAtom(total), () => pd.phaseSeparationEnergy(total), () => pd.phaseSeparation(total)]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(PhaseDiagramError);
      expect(e.message).toMatch(/"Li2O-total".*total energy.*formation energies/);
    }
    const pdTotal = new PhaseDiagram(LI_O_TOTAL);
    const form = new Entry({ id: 'Li2O-form', composition: 'Li2O', eFormPerAtom: -2 });
    expect(() => pdTotal.eAboveHull(form)).toThrow(/"Li2O-form".*formation energy.*total energies/);
  });

  it('stability() of an entry that is not part of the diagram names it', () => {
    const lookalike = new Entry({ id: 'li2o', composition: 'Li2O', eFormPerAtom: -2.0 });
    const e = thrown(() => pd.stability(lookalike));
    expect(e).toBeInstanceOf(PhaseDiagramError);
    expect(e.message).toMatch(/"li2o" is not part of this phase diagram/);
  });

  it('a malformed formula in a query is a FormulaError naming it', () => {
    expect(() => pd.decomposition('Xx2O')).toThrow(FormulaError);
    expect(() => pd.decomposition('Xx2O')).toThrow(/unknown element 'Xx'/);
    expect(() => pd.hullEnergyPerAtom('Li(O2')).toThrow(/unclosed '\(' .*"Li\(O2"/);
  });
});

describe('formula errors surface through Entry', () => {
  it.each([
    ['Xx2O', /unknown element 'Xx' at index 0 in formula "Xx2O"/],
    ['Li-1', /negative amount '-1' for 'Li' .*in formula "Li-1"/],
    ['Li(PS4', /unclosed '\(' at index 2 in formula "Li\(PS4"/],
    ['', /empty formula/],
    ['   ', /empty formula/],
    ['NaN', /"NaN" looks like a missing value/],
    ['Li2O)', /unmatched '\)' at index 4/],
    ['2LiO', /amount '2' at index 0 does not follow an element/],
    ['Li0O', /zero amount '0' for 'Li'/],
    ['LiO$', /unexpected character '\$'/],
  ])('%j', (formula, re) => {
    const e = thrown(() => new Entry({ id: 'x', composition: formula, eFormPerAtom: -1 }));
    expect(e).toBeInstanceOf(FormulaError);
    expect(e.message).toMatch(re);
    // With an id, the entry is named as well; without one, the formula is the only name.
    expect(e.message).toContain('entry "x"');
    const anon = thrown(() => new Entry({ composition: formula, eFormPerAtom: -1 }));
    expect(anon).toBeInstanceOf(FormulaError);
    expect(anon.message).toMatch(re);
  });

  it('through PhaseDiagram, the bad entry among good ones is named', () => {
    const e = thrown(() => new PhaseDiagram([...LI_O, { id: 'typo-row', composition: 'Li3Xx', eFormPerAtom: -0.5 }]));
    expect(e).toBeInstanceOf(FormulaError);
    expect(e.message).toMatch(/"typo-row".*unknown element 'Xx'.*"Li3Xx"/);
  });

  it('a missing composition is an error, not an entry of nothing', () => {
    const e = thrown(() => new Entry({ id: 'no-comp', eFormPerAtom: -1 } as unknown as EntryInit));
    expect(e).toBeInstanceOf(FormulaError);
    expect(e.message).toMatch(/"no-comp".*composition must be/);
  });
});

describe('systemStabilities validates its tolerance', () => {
  it('rejects NaN and negative stabilityTolerance', async () => {
    const { systemStabilities } = await import('../src/thermo/system-hull.js');
    const { Entry } = await import('../src/core/entry.js');
    const e = [new Entry({ id: 'li2o', composition: 'Li2O', eFormPerAtom: -2 })];
    expect(() => [...systemStabilities(e, { stabilityTolerance: NaN })]).toThrow(/stabilityTolerance.*NaN/);
    expect(() => [...systemStabilities(e, { stabilityTolerance: -1 })]).toThrow(/stabilityTolerance.*-1/);
  });
});
