// PhaseDiagram on small hand-made systems whose answers are worked out by hand (in the comments),
// then on real data against answers that do not come from this code: the pymatgen reference
// files, formation energies read straight from the CSV, and LP-duality certificates.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Composition, Entry, PhaseDiagram, loadEntries, type EntryInit, type PhaseAmount } from '../src/index.js';

const SHARED = new URL('../../shared/', import.meta.url);
const dataPath = (f: string) => fileURLToPath(new URL(`data/${f}`, SHARED));
const referencePath = (f: string) => fileURLToPath(new URL(`reference/${f}`, SHARED));

const EXACT = 12; // toBeCloseTo digits for hand-computed answers (LP round-off only)

/** Decomposition as {id: fraction}. */
const byId = (d: readonly PhaseAmount[]) => Object.fromEntries(d.map((p) => [p.entry.id, p.fraction]));

function expectFractions(got: readonly PhaseAmount[], want: Record<string, number>, digits = EXACT): void {
  expect(Object.keys(byId(got)).sort()).toEqual(Object.keys(want).sort());
  for (const p of got) expect(p.fraction, p.entry.id).toBeCloseTo(want[p.entry.id]!, digits);
}

/** The phases of a decomposition add up to the composition (atom fractions, element by element). */
function expectAddsUpTo(d: readonly PhaseAmount[], comp: Composition, tol = 1e-9): void {
  expect(Math.abs(d.reduce((s, p) => s + p.fraction, 0) - 1)).toBeLessThanOrEqual(tol);
  const els = new Set([...comp.elements, ...d.flatMap((p) => p.entry.composition.elements)]);
  for (const el of els) {
    const x = d.reduce((s, p) => s + p.fraction * p.entry.composition.atomicFraction(el), 0);
    expect(Math.abs(x - comp.atomicFraction(el)), `${el} in ${comp.formula}`).toBeLessThanOrEqual(tol);
  }
}

function entry(pd: PhaseDiagram, id: string): Entry {
  const e = pd.entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

describe('one element: polymorphs', () => {
  // Li-a at -1.90 eV/atom, Li-b (written Li2) at -3.70/2 = -1.85 eV/atom: Li-a is the reference,
  // Li-b lies 0.05 eV/atom above it and "decomposes" into Li-a.
  const pd = new PhaseDiagram([
    { id: 'Li-b', composition: 'Li2', energy: -3.7 },
    { id: 'Li-a', composition: 'Li', energy: -1.9 },
  ]);

  it('the lowest polymorph is the reference and the only stable phase', () => {
    expect([...pd.elements]).toEqual(['Li']);
    expect(pd.elRefs.get('Li')!.id).toBe('Li-a');
    expect(pd.stableEntries.map((e) => e.id)).toEqual(['Li-a']);
    expect(pd.entries).toHaveLength(2); // total energies: no references added
  });

  it('the higher polymorph: E_hull 0.05, decomposition into the lower one', () => {
    const b = pd.stability(entry(pd, 'Li-b'));
    expect(b.stable).toBe(false);
    expect(b.eFormPerAtom).toBeCloseTo(0.05, EXACT);
    expect(b.eAboveHull).toBeCloseTo(0.05, EXACT);
    expectFractions(b.decomposition, { 'Li-a': 1 });
    expect(b.phaseSeparationEnergy).toBeUndefined();
    // For elements, pymatgen's phase-separation energy is the energy above hull.
    expect(pd.phaseSeparationEnergy(entry(pd, 'Li-b'))).toBeCloseTo(0.05, EXACT);
    const a = pd.stability(entry(pd, 'Li-a'));
    expect(a).toMatchObject({ stable: true, eAboveHull: 0, eFormPerAtom: 0 });
    expect(a.phaseSeparationEnergy).toBeUndefined(); // elements have none
  });

  it('the hull of the element is the reference energy', () => {
    expect(pd.hullEnergyPerAtom('Li3')).toBeCloseTo(-1.9, EXACT);
    expect(pd.hullFormationEnergyPerAtom('Li')).toBeCloseTo(0, EXACT);
    expectFractions(pd.decomposition('Li'), { 'Li-a': 1 });
    // A new polymorph at -1.95 eV/atom would lie 0.05 below the hull.
    expect(pd.eAboveHull(new Entry({ composition: 'Li4', energy: -7.8 }))).toBeCloseTo(-0.05, EXACT);
  });
});

describe('two elements (Li-S, formation energies)', () => {
  // x = atom fraction of S. Stable: Li (0, 0), LiS (1/2, -1.0), S (1, 0).
  // Li3S (x = 1/4) at -0.5 lies exactly on the Li-LiS tie-line: -1.0 × (1/4)/(1/2) = -0.5.
  // LiS-dup is a duplicate of LiS (same energy), Li2S2 the same composition written twice as big
  // and also at -1.0; LiS-beta a polymorph 0.1 above; LiS2 (x = 2/3) at +0.3 lies above the elements.
  const pd = new PhaseDiagram([
    { id: 'LiS', composition: 'LiS', eFormPerAtom: -1.0 },
    { id: 'Li3S', composition: 'Li3S', eFormPerAtom: -0.5 },
    { id: 'LiS-dup', composition: 'LiS', eFormPerAtom: -1.0 },
    { id: 'Li2S2', composition: 'Li2S2', eFormPerAtom: -1.0 },
    { id: 'LiS-beta', composition: 'LiS', eFormPerAtom: -0.9 },
    { id: 'LiS2', composition: 'LiS2', eFormPerAtom: 0.3 },
  ]);
  const st = (id: string) => pd.stability(entry(pd, id));

  it('adds the 0 eV/atom references last and finds the stable set', () => {
    expect(pd.entries.map((e) => e.id)).toEqual(['LiS', 'Li3S', 'LiS-dup', 'Li2S2', 'LiS-beta', 'LiS2', 'ref-Li', 'ref-S']);
    expect(pd.stableEntries.map((e) => e.id)).toEqual(['LiS', 'ref-Li', 'ref-S']);
    expect(pd.analyze().map((r) => r.entry.id)).toEqual(pd.entries.map((e) => e.id));
  });

  it('a compound exactly on the tie-line is not stable: E_hull 0, decomposes into its two neighbours', () => {
    const r = st('Li3S');
    expect(r.stable).toBe(false);
    expect(r.eAboveHull).toBeCloseTo(0, EXACT);
    // x = 1/4 = f(LiS) × 1/2  =>  f(LiS) = 1/2, f(Li) = 1/2.
    expectFractions(r.decomposition, { 'ref-Li': 0.5, LiS: 0.5 });
    expect(r.phaseSeparationEnergy).toBeUndefined();
  });

  it('duplicates: the first is stable, the others sit at E_hull 0 and decompose into the first', () => {
    expect(st('LiS').stable).toBe(true);
    for (const id of ['LiS-dup', 'Li2S2']) {
      const r = st(id);
      expect(r.stable, id).toBe(false);
      expect(r.eAboveHull, id).toBeCloseTo(0, EXACT);
      expectFractions(r.decomposition, { LiS: 1 });
    }
  });

  it('a polymorph above the stable phase: E_hull = the energy difference', () => {
    const r = st('LiS-beta');
    expect(r.eAboveHull).toBeCloseTo(0.1, EXACT);
    expectFractions(r.decomposition, { LiS: 1 });
  });

  it('an entry above its elements: E_hull against the hull, not against the elements', () => {
    // Hull at x = 2/3 on the LiS-S line: -1.0 × (1 - 2/3)/(1 - 1/2) = -2/3, so E_hull = 0.3 + 2/3.
    // Mixture: x = 2/3 = f(LiS)/2 + (1 - f(LiS))  =>  f(LiS) = 2/3, f(S) = 1/3.
    const r = st('LiS2');
    expect(r.stable).toBe(false);
    expect(r.eFormPerAtom).toBeCloseTo(0.3, EXACT);
    expect(r.eAboveHull).toBeCloseTo(0.3 + 2 / 3, EXACT);
    expectFractions(r.decomposition, { LiS: 2 / 3, 'ref-S': 1 / 3 });
    // Entries above their elements never enter the hull (pymatgen's qhull_entries).
    expect(pd.hullCandidates.map((e) => e.id)).toEqual(['LiS', 'Li3S', 'ref-Li', 'ref-S']);
  });

  it('phase-separation energy of LiS: against every other composition (duplicates excluded)', () => {
    // pymatgen compares with all lowest-per-composition entries below the elements, Li3S included
    // (on the hull but not a vertex), never with LiS's own composition (LiS-dup, Li2S2, LiS-beta).
    // Hull of the others at x = 1/2, on the Li3S-S line: -0.5 × (1 - 1/2)/(1 - 1/4) = -1/3.
    // So E_psep = -1.0 - (-1/3) = -2/3 (not 0, which counting its own twin would give).
    expect(st('LiS').phaseSeparationEnergy).toBeCloseTo(-2 / 3, EXACT);
    const ps = pd.phaseSeparation(entry(pd, 'LiS'));
    // x = 1/2 = f(Li3S)/4 + (1 - f(Li3S))  =>  f(Li3S) = 2/3, f(S) = 1/3
    expectFractions(ps.decomposition, { Li3S: 2 / 3, 'ref-S': 1 / 3 });
  });

  it('hull queries at compositions without an entry', () => {
    // Li7S3: x = 0.3 lies between Li (0) and LiS (1/2): f(LiS) = 0.3/0.5 = 0.6, energy -0.6.
    expect(pd.hullFormationEnergyPerAtom('Li7S3')).toBeCloseTo(-0.6, EXACT);
    expectFractions(pd.decomposition('Li7S3'), { 'ref-Li': 0.4, LiS: 0.6 });
    // x = 0.8 between LiS and S: f(LiS) = (1 - 0.8)/(1 - 0.5) = 0.4, energy -0.4
    expect(pd.hullEnergyPerAtom('LiS4')).toBeCloseTo(-0.4, EXACT);
    expectFractions(pd.decomposition('LiS4'), { LiS: 0.4, 'ref-S': 0.6 });
    // Chemical potentials of the Li-LiS facet: mu_Li = 0 (Li is a vertex), and
    // (mu_Li + mu_S)/2 = -1  =>  mu_S = -2.
    const mu = pd.chemicalPotentials('Li7S3');
    expect(mu.Li).toBeCloseTo(0, EXACT);
    expect(mu.S).toBeCloseTo(-2, EXACT);
  });

  it('a new entry not in the diagram is measured against its hull', () => {
    expect(pd.eAboveHull(new Entry({ composition: 'Li3S', eFormPerAtom: -0.45 }))).toBeCloseTo(0.05, EXACT);
    expect(pd.eAboveHull(new Entry({ composition: 'LiS', eFormPerAtom: -1.25 }))).toBeCloseTo(-0.25, EXACT);
  });
});

describe('phase-separation energy = energy minus the tie-line of its stable neighbours', () => {
  // Li-S: Li2S (x = 1/3) at -1.2, LiS (x = 1/2) at -1.0, S at 0.
  // LiS: tie-line Li2S-S at x = 1/2: -1.2 × (1 - 1/2)/(1 - 1/3) = -0.9  =>  E_psep = -0.1.
  // Li2S: tie-line Li-LiS at x = 1/3: -1.0 × (1/3)/(1/2) = -2/3  =>  E_psep = -1.2 + 2/3.
  const pd = new PhaseDiagram([
    { id: 'Li2S', composition: 'Li2S', eFormPerAtom: -1.2 },
    { id: 'LiS', composition: 'LiS', eFormPerAtom: -1.0 },
  ]);
  it('both stable, with the hand-computed phase-separation energies and competing mixtures', () => {
    expect(pd.stableEntries.map((e) => e.id).sort()).toEqual(['Li2S', 'LiS', 'ref-Li', 'ref-S']);
    expect(pd.stability(entry(pd, 'LiS')).phaseSeparationEnergy).toBeCloseTo(-0.1, EXACT);
    expect(pd.stability(entry(pd, 'Li2S')).phaseSeparationEnergy).toBeCloseTo(-1.2 + 2 / 3, EXACT);
    // LiS competes with Li2S + S: x = 1/2 = f/3 + (1 - f)  =>  f(Li2S) = 3/4
    expectFractions(pd.phaseSeparation(entry(pd, 'LiS')).decomposition, { Li2S: 0.75, 'ref-S': 0.25 });
    // Li2S competes with Li + LiS: f(LiS) = 2/3
    expectFractions(pd.phaseSeparation(entry(pd, 'Li2S')).decomposition, { 'ref-Li': 1 / 3, LiS: 2 / 3 });
    expect(pd.phaseSeparationEnergy(entry(pd, 'LiS'))).toBeCloseTo(-0.1, EXACT);
  });
});

describe('three elements with collinear stable points (Li-O-S)', () => {
  // Li2O (Li 2/3, O 1/3) at -2.0, Li2S (Li 2/3, S 1/3) at -1.5, and Li4OS (Li 2/3, O 1/6, S 1/6),
  // the midpoint of the Li2O-Li2S line, at -1.8: 0.05 below the tie-line (-1.75), so the three
  // are collinear stable points. Li9O2S (Li 3/4, O 1/6, S 1/12) at -1.3 lies in the facet
  // Li / Li2O / Li4OS: S 1/12 = f(Li4OS)/6 => 1/2; O 1/6 = f(Li2O)/3 + 1/12 => f(Li2O) = 1/4;
  // f(Li) = 1/4; hull = -2.0/4 - 1.8/2 = -1.4, E_hull = 0.1.
  const pd = new PhaseDiagram([
    { id: 'Li2O', composition: 'Li2O', eFormPerAtom: -2.0 },
    { id: 'Li2S', composition: 'Li2S', eFormPerAtom: -1.5 },
    { id: 'Li4OS', composition: 'Li4OS', eFormPerAtom: -1.8 },
    { id: 'Li9O2S', composition: 'Li9O2S', eFormPerAtom: -1.3 },
  ]);

  it('all three collinear points are stable', () => {
    expect(pd.stableEntries.map((e) => e.id).sort()).toEqual(['Li2O', 'Li2S', 'Li4OS', 'ref-Li', 'ref-O', 'ref-S']);
    // Li4OS against everything else: only Li2O + Li2S reach Li 2/3 without Li or O/S excess: -1.75.
    expect(pd.stability(entry(pd, 'Li4OS')).phaseSeparationEnergy).toBeCloseTo(-0.05, EXACT);
    expectFractions(pd.phaseSeparation(entry(pd, 'Li4OS')).decomposition, { Li2O: 0.5, Li2S: 0.5 });
    // Li2O has no S: only Li and O compete.
    expect(pd.stability(entry(pd, 'Li2O')).phaseSeparationEnergy).toBeCloseTo(-2.0, EXACT);
  });

  it('an unstable compound decomposes into three phases of its facet', () => {
    const r = pd.stability(entry(pd, 'Li9O2S'));
    expect(r.stable).toBe(false);
    expect(r.eAboveHull).toBeCloseTo(0.1, EXACT);
    expectFractions(r.decomposition, { 'ref-Li': 0.25, Li2O: 0.25, Li4OS: 0.5 });
  });

  it('compositions on the collinear line decompose into the two nearest points only', () => {
    // Li6O2S (Li 2/3, O 2/9, S 1/9): f(Li2O)/3 + (1 - f)/6 = 2/9  =>  f(Li2O) = 1/3.
    // Hull: -2.0/3 - 1.8 × 2/3 = -1.8667.
    expectFractions(pd.decomposition('Li6O2S'), { Li2O: 1 / 3, Li4OS: 2 / 3 });
    expect(pd.hullEnergyPerAtom('Li6O2S')).toBeCloseTo(-2.0 / 3 - 1.2, EXACT);
    // Li6OS2 (Li 2/3, O 1/9, S 2/9): f(Li2S) = 1/3, hull -1.5/3 - 1.8 × 2/3 = -1.7.
    expectFractions(pd.decomposition('Li6OS2'), { Li2S: 1 / 3, Li4OS: 2 / 3 });
    expect(pd.hullEnergyPerAtom('Li6OS2')).toBeCloseTo(-1.7, EXACT);
    // The chemical potentials of the facet (not unique here: the point lies on an edge) give a
    // plane through both phases of the decomposition with every candidate on or above it.
    const mu = pd.chemicalPotentials('Li6O2S');
    const plane = (c: Composition) => c.elements.reduce((s, el) => s + mu[el]! * c.atomicFraction(el), 0);
    expect(plane(Composition.parse('Li6O2S'))).toBeCloseTo(-2.0 / 3 - 1.2, 9);
    expect(plane(Composition.parse('Li2O'))).toBeCloseTo(-2.0, 9);
    expect(plane(Composition.parse('Li4OS'))).toBeCloseTo(-1.8, 9);
    const eForm: Record<string, number> = { Li2O: -2.0, Li2S: -1.5, Li4OS: -1.8, Li9O2S: -1.3, 'ref-Li': 0, 'ref-O': 0, 'ref-S': 0 };
    for (const c of pd.hullCandidates) expect(eForm[c.id]!, c.id).toBeGreaterThanOrEqual(plane(c.composition) - 1e-9);
  });

  it('a point exactly on the tie-line of two collinear phases is not stable', () => {
    // Same system, but Li4OS at exactly -1.75 = (-2.0 - 1.5)/2: on the Li2O-Li2S line.
    const flat = new PhaseDiagram([
      { id: 'Li2O', composition: 'Li2O', eFormPerAtom: -2.0 },
      { id: 'Li2S', composition: 'Li2S', eFormPerAtom: -1.5 },
      { id: 'Li4OS', composition: 'Li4OS', eFormPerAtom: -1.75 },
    ]);
    const r = flat.stability(entry(flat, 'Li4OS'));
    expect(r.stable).toBe(false);
    expect(r.eAboveHull).toBeCloseTo(0, EXACT);
    expectFractions(r.decomposition, { Li2O: 0.5, Li2S: 0.5 });
  });
});

describe('total energies (ComputedEntry style) give the formation-energy answers', () => {
  // References: Li-bcc -1.90 eV/atom, S8 -32.8/8 = -4.10 eV/atom (Li-hcp -1.88 and S-alt -4.05
  // are higher polymorphs). Compounds built from formation energies:
  //   Li2S  e_form -1.2: per atom -1.2 + (2/3)(-1.9) + (1/3)(-4.1) = -3.8333, × 3 = -11.5
  //   LiS   e_form -1.0: per atom -1.0 - 0.95 - 2.05 = -4.0, × 4 (Li2S2) = -16.0
  //   LiS3  e_form -0.3: per atom -0.3 - 0.475 - 3.075 = -3.85, × 4 = -15.4
  // each given as an uncorrected energy plus a correction.
  const total: EntryInit[] = [
    { id: 'Li-bcc', composition: 'Li', energy: -1.9 },
    { id: 'Li-hcp', composition: 'Li', energy: -1.88 },
    { id: 'S8', composition: 'S8', energy: -32.8 },
    { id: 'S-alt', composition: 'S', energy: -4.05 },
    { id: 'Li2S', composition: 'Li2S', energy: -11.2, correction: -0.3 },
    { id: 'LiS', composition: 'Li2S2', energy: -15.5, correction: -0.5 },
    { id: 'LiS3', composition: 'LiS3', energy: -15.0, correction: -0.4 },
  ];
  const formation: EntryInit[] = [
    { id: 'Li2S', composition: 'Li2S', eFormPerAtom: -1.2 },
    { id: 'LiS', composition: 'Li2S2', eFormPerAtom: -1.0 },
    { id: 'LiS3', composition: 'LiS3', eFormPerAtom: -0.3 },
  ];
  const pdT = new PhaseDiagram(total);
  const pdF = new PhaseDiagram(formation);

  it('hand-computed answers on the total-energy diagram', () => {
    expect(pdT.elRefs.get('Li')!.id).toBe('Li-bcc');
    expect(pdT.elRefs.get('S')!.id).toBe('S8');
    const st = (id: string) => pdT.stability(entry(pdT, id));
    expect(st('Li2S').eFormPerAtom).toBeCloseTo(-1.2, EXACT);
    expect(st('LiS').eFormPerAtom).toBeCloseTo(-1.0, EXACT);
    // LiS3 (x = 3/4) on the LiS-S line: -1.0 × (1/4)/(1/2) = -0.5, E_hull = -0.3 + 0.5 = 0.2
    expect(st('LiS3').eAboveHull).toBeCloseTo(0.2, EXACT);
    expectFractions(st('LiS3').decomposition, { LiS: 0.5, S8: 0.5 });
    expect(st('Li-hcp').eAboveHull).toBeCloseTo(0.02, EXACT);
    expect(st('S-alt').eAboveHull).toBeCloseTo(0.05, EXACT);
    // LiS: Li2S-S tie-line at 1/2 is -0.9 => -0.1. Li2S: Li-LiS tie-line at 1/3 is -2/3.
    expect(st('LiS').phaseSeparationEnergy).toBeCloseTo(-0.1, EXACT);
    expect(st('Li2S').phaseSeparationEnergy).toBeCloseTo(-1.2 + 2 / 3, EXACT);
    // Total-energy hull at LiS3: -0.5 + (1/4)(-1.9) + (3/4)(-4.1) = -4.05 eV/atom.
    expect(pdT.hullEnergyPerAtom('LiS3')).toBeCloseTo(-4.05, EXACT);
    expect(pdT.hullFormationEnergyPerAtom('LiS3')).toBeCloseTo(-0.5, EXACT);
  });

  it('the same E_hull, stability and decompositions as the equivalent formation energies (consistency)', () => {
    for (const id of ['Li2S', 'LiS', 'LiS3']) {
      const t = pdT.stability(entry(pdT, id));
      const f = pdF.stability(entry(pdF, id));
      expect(t.stable, id).toBe(f.stable);
      expect(t.eFormPerAtom, id).toBeCloseTo(f.eFormPerAtom, EXACT);
      expect(t.eAboveHull, id).toBeCloseTo(f.eAboveHull, EXACT);
      expect(t.phaseSeparationEnergy ?? 0, id).toBeCloseTo(f.phaseSeparationEnergy ?? 0, EXACT);
      const rename = (d: Record<string, number>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k === 'Li-bcc' ? 'ref-Li' : k === 'S8' ? 'ref-S' : k, v]));
      expect(rename(byId(t.decomposition))).toEqual(byId(f.decomposition));
    }
    // Formation scale: elements at 0, so the hull energy is the formation energy.
    expect(pdF.hullEnergyPerAtom('LiS3')).toBeCloseTo(-0.5, EXACT);
  });
});

// ---------------------------------------------------------------------------------------------
// Real data

interface RefRow {
  id: string;
  formula: string;
  e_form_per_atom: number;
  stable: boolean;
}

describe('a composition absent from the data (alexandria Li-P-S)', () => {
  let pd: PhaseDiagram;
  let refEform: Map<string, number>;
  beforeAll(async () => {
    pd = new PhaseDiagram(await loadEntries(dataPath('alexandria-Li-P-S.json.gz')));
    const ref = JSON.parse(readFileSync(referencePath('alexandria-Li-P-S.json'), 'utf8')) as { entries: RefRow[] };
    refEform = new Map(ref.entries.map((r) => [r.id, r.e_form_per_atom]));
  });

  it('Li6PS5Cl is outside Li-P-S: an error naming Cl, not a number', () => {
    expect(() => pd.decomposition('Li6PS5Cl')).toThrow(/\bCl outside the diagram's elements Li-P-S/);
    expect(() => pd.hullEnergyPerAtom('Li6PS5Cl')).toThrow(/\bCl outside/);
    expect(() => pd.chemicalPotentials('Li6PS5Cl')).toThrow(/\bCl outside/);
  });

  it.each(['Li5PS5', 'Li4P2S7', 'Li11P3S10'])('%s: decomposition adds up, its energy is the hull, and the chemical potentials prove it optimal', (formula) => {
    const comp = Composition.parse(formula);
    expect(pd.entries.some((e) => e.composition.key === comp.key)).toBe(false); // really absent
    const d = pd.decomposition(formula);
    expect(d.length).toBeGreaterThan(0);
    expect(d.length).toBeLessThanOrEqual(3);
    expectAddsUpTo(d, comp);
    for (const p of d) expect(pd.isStable(p.entry), p.entry.id).toBe(true);
    // Energy of the mixture from pymatgen's formation energies of its phases (not ours).
    const mixture = d.reduce((s, p) => s + p.fraction * refEform.get(p.entry.id)!, 0);
    const hull = pd.hullEnergyPerAtom(formula);
    expect(Math.abs(hull - mixture)).toBeLessThanOrEqual(1e-6);
    expect(hull).toBeLessThan(0);
    // Duality: the facet's plane passes through every phase of the decomposition and the query,
    // and no stable phase lies below it, so no other mixture can be lower.
    const mu = pd.chemicalPotentials(formula);
    const plane = (c: Composition) => c.elements.reduce((s, el) => s + mu[el]! * c.atomicFraction(el), 0);
    expect(Math.abs(plane(comp) - hull)).toBeLessThanOrEqual(1e-9);
    for (const p of d) expect(Math.abs(plane(p.entry.composition) - refEform.get(p.entry.id)!)).toBeLessThanOrEqual(1e-6);
    for (const s of pd.stableEntries) expect(refEform.get(s.id)!, s.id).toBeGreaterThanOrEqual(plane(s.composition) - 1e-6);
    // And a hypothetical entry 25 meV above that hull.
    expect(pd.eAboveHull(new Entry({ composition: formula, eFormPerAtom: hull + 0.025 }))).toBeCloseTo(0.025, 9);
  });
});

interface SsbCase {
  system: string;
  compositions: { composition: string; hull_energy_per_atom: number; decomposition: string[] }[];
}

describe('Materials Project table (85,014 compositions, one diagram) vs pymatgen on its chemical systems', () => {
  const csvPath = dataPath('mp-legacy-formation-energies.csv.gz');
  let pd: PhaseDiagram;
  let eForm: Map<string, number>; // straight from the CSV, parsed here
  const cases = JSON.parse(readFileSync(referencePath('mp-legacy-ssb-cases.json'), 'utf8')) as SsbCase[];
  beforeAll(async () => {
    pd = new PhaseDiagram(await loadEntries(csvPath));
    eForm = new Map();
    const lines = gunzipSync(readFileSync(csvPath)).toString('utf8').split('\n');
    expect(lines[0]!.trim()).toBe('formula,e_form_per_atom');
    for (const line of lines.slice(1)) {
      if (!line.trim()) continue;
      const [f, v] = line.split(',');
      eForm.set(f!, Number(v));
    }
  });

  it('holds every row plus one 0 eV/atom reference per element', () => {
    expect(eForm.size).toBe(85_014);
    expect(pd.entries.length).toBe(85_014 + pd.elements.length);
    expect(pd.entries.filter((e) => e.id.startsWith('ref-')).length).toBe(pd.elements.length);
  });

  it("decomposition('Li6PS5Cl') and hullEnergyPerAtom agree with pymatgen on Li-P-S-Cl", () => {
    const want = cases.find((c) => c.system === 'Li-P-S-Cl')!.compositions.find((c) => c.composition === 'Li6PS5Cl')!;
    const d = pd.decomposition('Li6PS5Cl');
    expect(d.map((p) => p.entry.composition.reducedFormula).sort()).toEqual(want.decomposition); // Li2S, Li3PS4, LiCl
    expectAddsUpTo(d, Composition.parse('Li6PS5Cl'));
    expect(Math.abs(pd.hullEnergyPerAtom('Li6PS5Cl') - want.hull_energy_per_atom)).toBeLessThanOrEqual(1e-9);
    // The mixture's energy from the CSV rows of its phases.
    const mixture = d.reduce((s, p) => s + p.fraction * eForm.get(p.entry.id)!, 0);
    expect(Math.abs(mixture - want.hull_energy_per_atom)).toBeLessThanOrEqual(1e-9);
  });

  it("eAboveHull of the Li6PS5Cl entry (id Cl1Li6P1S5) is its CSV energy minus pymatgen's hull energy", () => {
    const want = cases.find((c) => c.system === 'Li-P-S-Cl')!.compositions.find((c) => c.composition === 'Li6PS5Cl')!;
    const e = pd.entries.find((x) => x.id === 'Cl1Li6P1S5')!;
    expect(e).toBeDefined();
    const expected = eForm.get('Cl1Li6P1S5')! - want.hull_energy_per_atom; // ≈ 0.0831 eV/atom
    expect(expected).toBeGreaterThan(0.05);
    expect(Math.abs(pd.eAboveHull(e) - expected)).toBeLessThanOrEqual(1e-9);
    const s = pd.stability(e);
    expect(s.stable).toBe(false);
    expect(s.decomposition.map((p) => p.entry.composition.reducedFormula).sort()).toEqual(want.decomposition);
  });

  it('every composition of the pymatgen cases (systems of up to 6 elements)', () => {
    const problems: string[] = [];
    let n = 0;
    for (const c of cases) {
      for (const want of c.compositions) {
        n++;
        const d = pd.decomposition(want.composition);
        const got = d.map((p) => p.entry.composition.reducedFormula).sort();
        if (got.join(' ') !== want.decomposition.join(' ')) problems.push(`${c.system} ${want.composition}: ${got} vs ${want.decomposition}`);
        const h = pd.hullEnergyPerAtom(want.composition);
        if (Math.abs(h - want.hull_energy_per_atom) > 1e-9) problems.push(`${c.system} ${want.composition}: hull ${h} vs ${want.hull_energy_per_atom}`);
      }
    }
    expect(problems).toEqual([]);
    expect(n).toBeGreaterThanOrEqual(8);
  });
});

describe('composition groups', () => {
  it('are the same whether the compositions are grouped by fractions (whole amounts) or by keys', () => {
    // Large enough to be grouped by fractions (GROUP_BY_FRACTIONS_FROM, hull-points.ts): Li_nO_m for
    // n, m < 70 (Li2O2 and LiO, …, one group each) after six entries, one of which decides the way.
    const data = (lio: string): EntryInit[] => [
      { id: 'a', composition: 'Li2O', eFormPerAtom: -2 },
      { id: 'b', composition: lio, eFormPerAtom: -1.5 },
      { id: 'c', composition: 'Li2O2', eFormPerAtom: -1.6 },
      { id: 'd', composition: 'LiO2', eFormPerAtom: -1 },
      { id: 'e', composition: 'Li4O4', eFormPerAtom: -1.55 },
      { id: 'f', composition: 'OLi2', eFormPerAtom: -1.9 },
      ...Array.from({ length: 69 * 69 }, (_, t) => ({ id: `x${t}`, composition: `Li${1 + (t % 69)}O${1 + Math.floor(t / 69)}`, eFormPerAtom: -1 - ((t * 7919) % 1000) / 1e4 })),
    ];
    // LiO: all amounts whole (grouped by fractions); Li0.5O0.5: not (grouped by keys).
    const whole = new PhaseDiagram(data('LiO'));
    const keyed = new PhaseDiagram(data('Li0.5O0.5'));
    const groups = (pd: PhaseDiagram) => Array.from(pd.systemIndex.groups.group);
    expect(groups(whole)).toEqual(groups(keyed));
    expect(groups(whole).slice(0, 6)).toEqual([0, 1, 1, 2, 1, 0]);
    expect(new Set(groups(whole)).size).toBe(new Set(whole.entries.map((e) => e.composition.key)).size);
    expect(whole.systemIndex.groups.lowest.slice(0, 2)).toEqual([0, 2]);
    expect(whole.systemIndex.groups.byKey.get(Composition.parse('Li3O3').key)).toBe(1);
    expect(whole.analyze().map((r) => r.eAboveHull)).toEqual(keyed.analyze().map((r) => r.eAboveHull));
    // An id shared by two compositions is refused on both paths, naming both.
    const clash = (lio: string) => () => new PhaseDiagram([...data(lio), { id: 'a', composition: 'LiO3', eFormPerAtom: -0.5 }]);
    expect(clash('LiO')).toThrow(/entries 0 and 4767 \(0-based\) share the id "a" but are different compositions \(Li2O1 and Li1O3\)/);
    expect(clash('Li0.5O0.5')).toThrow(/entries 0 and 4767 \(0-based\) share the id "a" but are different compositions \(Li2O1 and Li1O3\)/);
  });
});

describe('progress', () => {
  it('is reported once per chemical system, entries done so far, ending with every entry', async () => {
    const entries = await loadEntries(fileURLToPath(new URL('../../shared/data/mp-Li-Fe-P-O.json.gz', import.meta.url)));
    const calls: [number, number][] = [];
    const pd = new PhaseDiagram(entries, { onProgress: (done, total) => calls.push([done, total]) });
    const systems = new Set(pd.entries.map((e) => e.composition.chemicalSystem));
    expect(calls.length).toBe(systems.size);
    expect(calls.every(([, total]) => total === pd.entries.length)).toBe(true);
    expect(calls.every(([done], k) => k === 0 || done > calls[k - 1]![0])).toBe(true);
    expect(calls.at(-1)![0]).toBe(pd.entries.length);
  });
});
