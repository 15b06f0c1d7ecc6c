// The entries as flat columns (src/thermo/entry-columns.ts): fractions, formation energies and
// chemical systems as the compositions give them, and the grouping of a large dataset without
// its keys (fractionHash, sameFractions), moved here from the Composition it used to live on.
import { describe, expect, it } from 'vitest';
import { Composition, Entry } from '../src/core/index.js';
import { EntryColumns } from '../src/thermo/entry-columns.js';
import { HullError } from '../src/thermo/hull.js';

const entry = (formula: string, eFormPerAtom = 0, id = formula) => new Entry({ id, composition: Composition.parse(formula), eFormPerAtom });

function columnsOf(entries: Entry[]): EntryColumns {
  const cols = EntryColumns.for(entries);
  for (const e of entries) cols.add(e);
  return cols;
}

describe('EntryColumns', () => {
  it('holds each entry’s fractions in its own element order, and its chemical system', () => {
    const es = [entry('OLi2'), entry('Li3PS4'), entry('Li'), entry('SPLi3O4')];
    const cols = columnsOf(es);
    es.forEach((e, i) => {
      const slots = Array.from({ length: cols.at[i + 1]! - cols.at[i]! }, (_, k) => cols.frac[cols.at[i]! + k]);
      expect(slots).toEqual(Array.from(e.composition.fractionArray));
    });
    const systems = cols.members.solveOrder();
    const keys = Array.from({ length: systems.count }, (_, s) => systems.keyOf(s));
    // Subsystems first (by number of elements), in the order first met within a size.
    expect(keys).toEqual(['Li', 'Li-O', 'Li-P-S', 'Li-O-P-S']);
    expect(keys.map((_, s) => Array.from(systems.ownOf(s)))).toEqual([[2], [0], [1], [3]]);
    expect(keys).toEqual(keys.map((_, s) => es[systems.ownOf(s)[0]!]!.composition.chemicalSystem));
    expect(Array.from(systems.ownOfElement('Li'))).toEqual([2]);
    expect(Array.from(systems.ownOfElement('O'))).toEqual([]);
    expect(cols.members.elements()).toEqual(['Li', 'O', 'P', 'S']);
    // Beyond 7 elements a system's code is a string: the same systems, keys and order.
    const big = [entry('ZrYNaKLiMnClCO'), entry('LiNaKYZrMnClOC'), entry('LiNaKYZrMnClO'), entry('OgHZr')];
    const list = columnsOf(big).members.solveOrder();
    const rows = Array.from({ length: list.count }, (_, s) => [list.keyOf(s), Array.from(list.ownOf(s))]);
    expect(rows).toEqual([
      ['H-Og-Zr', [3]],
      ['Cl-K-Li-Mn-Na-O-Y-Zr', [2]],
      ['C-Cl-K-Li-Mn-Na-O-Y-Zr', [0, 1]],
    ]);
    expect(rows.map(([key]) => key)).toEqual(rows.map(([, own]) => big[(own as number[])[0]!]!.composition.chemicalSystem));
    expect(list.elementsOf(2)).toEqual(['C', 'Cl', 'K', 'Li', 'Mn', 'Na', 'O', 'Y', 'Zr']);
  });

  it('sums formation energies in each composition’s own element order (bit for bit)', () => {
    const refs = new Map([
      ['Li', new Entry({ id: 'Li', composition: Composition.parse('Li'), energy: -1.9089 })],
      ['O', new Entry({ id: 'O', composition: Composition.parse('O2'), energy: -9.8653 })],
    ]);
    const es = [new Entry({ id: 'a', composition: Composition.parse('Li2O'), energy: -14.31 }), new Entry({ id: 'b', composition: Composition.parse('OLi2'), energy: -14.31 })];
    const cols = columnsOf(es);
    const eForm = cols.formationEnergies(es, refs);
    es.forEach((e, i) => {
      let ref = 0;
      for (const el of e.composition.elements) ref += e.composition.atomicFraction(el) * refs.get(el)!.energyPerAtom;
      expect(eForm[i]).toBe(e.energyPerAtom - ref);
    });
  });

  it('refuses a fraction below the hulls’ range, naming the entry', () => {
    const cols = EntryColumns.for([entry('Ti800000000S')]);
    expect(() => cols.add(entry('Ti800000000S', 0, 'tiny'))).toThrow(HullError);
    expect(() => cols.add(entry('Ti800000000S', 0, 'tiny'))).toThrow(/entry "tiny" \(.*\): S is 1\.25e-9 of its atoms/);
  });

  it('grows past the room it was made with', () => {
    const es = Array.from({ length: 300 }, (_, k) => entry(`Li${k + 1}O`));
    const cols = new EntryColumns(1, 1);
    for (const e of es) cols.add(e);
    expect(cols.at[300]).toBe(600);
    expect(cols.frac[599]).toBe(1 / 301);
  });
});

describe('grouping without keys (fractionHash, sameFractions)', () => {
  it('whole compositions of equal keys share the hash and the fractions; others differ or are not whole', () => {
    const [a, b] = [Composition.parse('Li2O2'), Composition.parse('OLi')];
    expect(a.key).toBe(b.key);
    const others = ['Li2O', 'LiO2', 'Li', 'LiOF'];
    const cols = columnsOf([a, b, ...others.map((f) => Composition.parse(f))].map((c, i) => new Entry({ id: String(i), composition: c, eFormPerAtom: 0 })));
    expect(cols.fractionHash(0)).toBe(cols.fractionHash(1));
    expect(cols.sameFractions(0, 1)).toBe(true);
    // Not the same fractions (the hashes may collide in principle; the fractions decide).
    others.forEach((f, k) => expect(cols.sameFractions(0, 2 + k), f).toBe(false));
    expect(cols.fractionHash(0)).not.toBe(cols.fractionHash(2));
    expect(cols.allWhole).toBe(true);
    // Amounts that are not whole, or more atoms than the exact fractions cover: not whole (keys group them).
    expect(columnsOf([entry('Li0.5O0.5')]).allWhole).toBe(false);
    expect(columnsOf([entry('Li2501O2500')]).allWhole).toBe(false);
    const big = columnsOf([entry('Li2500O2500'), entry('Li2O2')]);
    expect(big.allWhole).toBe(true);
    expect(big.fractionHash(0)).toBe(big.fractionHash(1));
  });
});
