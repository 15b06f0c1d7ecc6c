import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import { elementProfile, ElementProfileError, stabilityWindow, voltageStaircase, windowPlotData } from '../src/thermo/element-profile.js';
import { voltageStaircaseSvg } from '../src/plot/index.js';
import type { Entry } from '../src/core/entry.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { defaultEntries } from '../src/io/default-data.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { SystemIndex } from '../src/thermo/system-hull.js';
import { byFormula, roundsTo, term } from './helpers/reaction-strings.js';
import { DATA, readReference, referenceDatasets, type RefProfile } from './helpers/shared.js';

const TOL = 1e-6;

/**
 * pymatgen lists a step's products in qhull's vertex order of the facet it found, an internal
 * order of its convex-hull library that nothing else determines; interphase lists them
 * alphabetically. Everything else must match character for character: the reactant side, every
 * product term (coefficient and formula), and the released element last — except a coefficient
 * exactly halfway between two 4-digit strings (6.0625), which rounds either way with the last
 * bit of round-off: given the reaction's exact coefficients (`exact`, by reduced formula), both
 * neighbours of such a tie are accepted.
 */
function sameReaction(got: string, want: string, exact?: ReadonlyMap<string, number>): boolean {
  if (got === want) return true;
  const [gl, gr] = got.split(' -> ');
  const [wl, wr] = want.split(' -> ');
  if (gl === undefined || wl === undefined || gr === undefined || wr === undefined) return false;
  const same = (g: string[], w: string[]) => g.length === w.length && g.every((t, i) => t === w[i] || (exact !== undefined && tieRounded(t, w[i]!, exact)));
  return same(gl.split(' + '), wl.split(' + ')) && same(byFormula(gr.split(' + ')), byFormula(wr.split(' + ')));
}

/** Two terms of one formula whose coefficients are both roundings of its exact coefficient (a tie). */
function tieRounded(a: string, b: string, exact: ReadonlyMap<string, number>): boolean {
  const [fa, ca] = term(a);
  const [fb, cb] = term(b);
  const c = exact.get(fa);
  return fa === fb && c !== undefined && roundsTo(c, ca) && roundsTo(c, cb);
}

/** Compares a profile with pymatgen's; returns the differences (empty when equal) and exact-string count. */
function compareProfile(pd: PhaseDiagram | SystemIndex, ref: RefProfile): { problems: string[]; exact: number; steps: number } {
  const problems: string[] = [];
  const prof = elementProfile(pd, ref.composition, ref.open_element);
  const where = `${ref.composition} (${ref.open_element})`;
  if (prof.steps.length !== ref.steps.length) {
    problems.push(`${where}: ${prof.steps.length} steps vs ${ref.steps.length}: ${prof.steps.map((s) => s.reaction.toString()).join(' | ')}`);
    return { problems, exact: 0, steps: ref.steps.length };
  }
  let exact = 0;
  prof.steps.forEach((s, i) => {
    const w = ref.steps[i]!;
    const at = `${where} step ${i}`;
    if (Math.abs(s.mu - w.mu) > TOL) problems.push(`${at}: mu ${s.mu} vs ${w.mu}`);
    if (Math.abs(s.evolution - w.evolution) > TOL) problems.push(`${at}: evolution ${s.evolution} vs ${w.evolution}`);
    if (s.products.join(' ') !== w.products.join(' ')) problems.push(`${at}: products ${s.products.join(' ')} vs ${w.products.join(' ')}`);
    const rxn = s.reaction.toString();
    const coefficients = new Map(s.reaction.compositions.map((c, k) => [c.reducedFormula, s.reaction.coefficients[k]! * c.reduced().factor] as const));
    if (!sameReaction(rxn, w.reaction, coefficients)) problems.push(`${at}: reaction "${rxn}" vs "${w.reaction}"`);
    if (rxn === w.reaction) exact++;
    if (['Li', 'Na', 'K'].includes(ref.open_element) && Math.abs(s.voltage + s.mu) > 1e-12) problems.push(`${at}: voltage ${s.voltage} is not -mu for a monovalent ion`);
  });
  return { problems, exact, steps: ref.steps.length };
}

const datasetsWithProfiles = referenceDatasets().filter((n) => (readReference<{ profiles?: RefProfile[] }>(`${n}.json`).profiles ?? []).length > 0);

describe('sameReaction', () => {
  it('accepts a permutation of product terms only', () => {
    expect(sameReaction('A + 2 Li -> B + 3 C', 'A + 2 Li -> 3 C + B')).toBe(true);
    expect(sameReaction('A + 2 Li -> B + 3 C', 'A + 2 Li -> 2 C + B')).toBe(false);
    expect(sameReaction('A -> B + 3 C', 'A + 2 Li -> B + 3 C')).toBe(false);
    expect(sameReaction('A -> B + C', 'A -> B + C + 2 Li')).toBe(false);
  });
  it('accepts either rounding of a coefficient exactly halfway between two 4-digit strings, and only that', () => {
    const exact = new Map([
      ['B', 6.0625],
      ['C', 0.0078125],
      ['D', 6.0626],
    ]);
    expect(sameReaction('A -> 6.062 B + C', 'A -> C + 6.063 B', exact)).toBe(true);
    expect(sameReaction('A -> 0.007812 C', 'A -> 0.007813 C', exact)).toBe(true);
    expect(sameReaction('A -> 6.062 B', 'A -> 6.063 B')).toBe(false);
    expect(sameReaction('A -> 6.062 D', 'A -> 6.063 D', exact)).toBe(false);
    expect(sameReaction('A -> 6.061 B', 'A -> 6.063 B', exact)).toBe(false);
    expect(sameReaction('A -> 6.062 B', 'A -> 6.063 C', exact)).toBe(false);
    // The reactant side too (the open element taken up), in order.
    expect(sameReaction('A + 6.062 B -> C', 'A + 6.063 B -> C', exact)).toBe(true);
    expect(sameReaction('A + 6.062 B -> C', '6.063 B + A -> C', exact)).toBe(false);
    expect(sameReaction('A + 6.062 D -> C', 'A + 6.063 D -> C', exact)).toBe(false);
  });
});

describe.each(datasetsWithProfiles)('%s: element profiles agree with pymatgen', (name) => {
  it('same steps, products, mu, evolution and reactions', async () => {
    const ref = readReference<{ profiles: RefProfile[] }>(`${name}.json`);
    const pd = new PhaseDiagram(await loadEntries(`${DATA}${name}.json.gz`));
    const problems: string[] = [];
    for (const p of ref.profiles) problems.push(...compareProfile(pd, p).problems);
    expect(problems).toEqual([]);
  });
});

interface SsbCase {
  system: string;
  profiles: RefProfile[];
}

let mpTable: Entry[] | undefined;
/** The MP formation-energy table, loaded once. */
async function mpEntries(): Promise<Entry[]> {
  mpTable ??= await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  return mpTable;
}

/** The chemical system cut out of the MP table, as pmg_reference_chemsys.py does. */
async function mpSystem(system: string): Promise<PhaseDiagram> {
  const els = new Set(system.split('-'));
  const entries = (await mpEntries()).filter((e) => e.composition.elements.every((el) => els.has(el)));
  return new PhaseDiagram(entries, { elements: [...els] });
}

describe('MP legacy table: element profiles of the solid-electrolyte cases agree with pymatgen', () => {
  const cases = readReference<SsbCase[]>('mp-legacy-ssb-cases.json').filter((c) => c.profiles.length);
  it.each(cases.map((c) => [c.system, c] as const))('%s', async (_, c) => {
    const pd = await mpSystem(c.system);
    const problems: string[] = [];
    for (const p of c.profiles) problems.push(...compareProfile(pd, p).problems);
    expect(problems).toEqual([]);
  });
});

describe('steps a hair apart in mu agree with pymatgen (test/fixtures/make-pymatgen-close-kinks.py)', () => {
  // Two adjacent stretches of nearly one plane: their lines meet at a badly conditioned point.
  // The kink is where the tie line crosses the ridge between the facets; placed where the lines
  // meet instead, Mn3Fe2Sb(PO4)6 open to O took a 1e-8 share of MnPO4 into a step's phases and
  // released 0.069 O2 instead of pymatgen's 0.143.
  const cases = JSON.parse(readFileSync(new URL('./fixtures/pymatgen-close-kinks.json', import.meta.url), 'utf8')) as Array<RefProfile & { system: string }>;
  it('fixture: every case has steps within 1e-4 eV of each other', () => {
    for (const c of cases) expect(Math.min(...c.steps.slice(1).map((s, i) => Math.abs(s.mu - c.steps[i]!.mu)))).toBeLessThan(1e-4);
  });
  it.each(cases.map((c) => [`${c.composition} open to ${c.open_element}`, c] as const))('%s', async (_, c) => {
    const pd = await mpSystem(c.system);
    expect(compareProfile(pd, c).problems).toEqual([]);
  });
});

describe('1,500 profiles drawn at random from the MP table agree with pymatgen (test/fixtures/make-pymatgen-profile-sample.py)', () => {
  // Compositions of 2 to 5 elements open to one of 13 (Li, Na, K, Mg, Ca, Zn, Al, O, S, F, Cl, N,
  // H), all answered by one SystemIndex over the whole table (its facets, walks and kept systems).
  it('same steps, products, mu, evolution and reactions', async () => {
    const cases = JSON.parse(gunzipSync(readFileSync(new URL('./fixtures/pymatgen-profile-sample.json.gz', import.meta.url))).toString('utf8')) as RefProfile[];
    expect(cases.length).toBe(1500);
    const index = new SystemIndex(await mpEntries());
    const problems: string[] = [];
    let steps = 0;
    for (const c of cases) {
      const r = compareProfile(index, c);
      problems.push(...r.problems);
      steps += r.steps;
    }
    expect(problems).toEqual([]);
    expect(steps).toBeGreaterThan(10_000);
    expect(new Set(cases.map((c) => c.open_element)).size).toBe(13);
  });
});

describe('a SystemIndex over many chemical systems works as a source', () => {
  it('gives the same profiles as the diagram of the cut system', async () => {
    const els = new Set('Li P S Cl Ge O In Nb'.split(' '));
    const index = new SystemIndex((await mpEntries()).filter((e) => e.composition.elements.every((el) => els.has(el))));
    expect(index.isStable.some((v) => v === 1)).toBe(false); // not evaluated yet: the profile does it
    for (const [sys, f] of [
      ['Li-P-S', 'Li3PS4'],
      ['Li-Ge-P-S', 'Li10GeP2S12'],
      ['Li-In-Cl', 'Li3InCl6'],
    ] as const) {
      const a = elementProfile(index, f, 'Li').steps;
      const b = elementProfile(await mpSystem(sys), f, 'Li').steps;
      expect(a.map((s) => s.reaction.toString())).toEqual(b.map((s) => s.reaction.toString()));
      a.forEach((s, i) => expect(Math.abs(s.mu - b[i]!.mu)).toBeLessThan(1e-12));
    }
    expect(() => elementProfile(index, 'Li3PS4', 'Na')).toThrow(/open element Na is not an element of the phase diagram \(Cl-Ge-In-Li-Nb-O-P-S\)/);
  });
});

describe("a window's numbers do not depend on what its system was asked before", () => {
  // The facets a window meets (of several holding a stretch: a segment along a face between them)
  // must not depend on which facets earlier questions found, or a window computed in a worker that
  // asked other systems first would differ in the last bits (system-facets.ts, canonical).
  it('all Li compositions of the embedded data: forward, backward and on fresh indexes, to the bit', async () => {
    const entries = await defaultEntries();
    const li = entries.filter((e) => e.composition.has('Li') && e.composition.elements.length > 1);
    const evaluated = () => {
      const index = new SystemIndex(entries);
      for (const _ of index.evaluate({ decompositions: false })) void _;
      return index;
    };
    const dump = (index: SystemIndex, e: Entry) => {
      const w = stabilityWindow(index, e.composition);
      return JSON.stringify([w.reduction.voltage, w.oxidation.voltage, w.profile.steps.map((s) => [s.mu, s.evolution, s.reaction.toString()])]);
    };
    const forward = evaluated();
    const backward = evaluated();
    const a = li.map((e) => dump(forward, e));
    const b = [...li]
      .reverse()
      .map((e) => dump(backward, e))
      .reverse();
    expect(li.length).toBeGreaterThan(3000);
    expect(a.filter((x, i) => x !== b[i]).length).toBe(0);
    for (let i = 0; i < li.length; i += 211) expect(dump(evaluated(), li[i]!)).toBe(a[i]);
  });
});

describe('stability windows on the MP table (Zhu, He, Mo 2015)', () => {
  it('Li3PS4: 1.72-2.36 V', async () => {
    const w = stabilityWindow(await mpSystem('Li-P-S'), 'Li3PS4');
    expect(w.reduction.voltage).toBeCloseTo(1.72, 2);
    expect(w.oxidation.voltage).toBeCloseTo(2.36, 2);
    expect(w.stable).toBe(true);
    expect(w.eAboveHull).toBe(0);
    expect(w.reduction.beyond!.products).toEqual(['Li2S', 'P']);
    expect(w.oxidation.beyond!.products).toEqual(['LiS4', 'P2S7']);
    expect(w.atZeroVolts.products).toEqual(['Li2S', 'Li3P']);
    expect(w.atZeroVolts.evolution).toBeCloseTo(8, 9);
  });

  it('Li3PO4: 0.69-4.21 V', async () => {
    const w = stabilityWindow(await mpSystem('Li-P-O'), 'Li3PO4');
    expect(w.reduction.voltage).toBeCloseTo(0.69, 2);
    expect(w.oxidation.voltage).toBeCloseTo(4.21, 2);
    expect(w.oxidation.beyond!.products).toEqual(['Li4P2O7', 'O2']);
    expect(w.reduction.beyond!.products).toEqual(['Li2O', 'Li3P']);
  });

  it('Li10GeP2S12 (above the hull): the window of its phase equilibrium, with E_hull', async () => {
    const w = stabilityWindow(await mpSystem('Li-Ge-P-S'), 'Li10GeP2S12');
    expect(w.stable).toBe(false);
    expect(w.eAboveHull!).toBeGreaterThan(0.001);
    expect(w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula).sort()).toEqual(['Li3PS4', 'Li4GeS4']);
    expect(w.reduction.voltage).toBeCloseTo(1.7207352900714301, 9);
    expect(w.oxidation.voltage).toBeCloseTo(2.291444020535715, 9);
    expect(w.oxidation.beyond!.products).toEqual(['GeS2', 'Li3PS4', 'LiS4']);
  });

  it('Li6PS5Cl (above the hull)', async () => {
    const w = stabilityWindow(await mpSystem('Li-P-S-Cl'), 'Li6PS5Cl');
    expect(w.stable).toBe(false);
    expect(w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula).sort()).toEqual(['Li2S', 'Li3PS4', 'LiCl']);
    expect(w.reduction.voltage).toBeCloseTo(1.7207352900714301, 9);
    expect(w.oxidation.voltage).toBeCloseTo(2.1385411842857147, 9);
  });

  it('a composition without the open element has no oxidation limit', async () => {
    const w = stabilityWindow(await mpSystem('Li-P-S'), 'P2S5');
    expect(w.oxidation.voltage).toBe(Infinity);
    expect(w.oxidation.beyond).toBeNull();
    expect(w.reduction.voltage).toBeGreaterThan(2);
  });

  it('a composition inside a facet crossed by the tie line has a zero-width window', async () => {
    // Li4P2S6 is not on Alexandria's Li-P-S hull and its point lies inside a facet of the tie line.
    const pd = new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-P-S.json.gz`));
    const w = stabilityWindow(pd, 'Li4P2S6');
    expect(w.profile.steps.some((s) => Math.abs(s.evolution) < 1e-6)).toBe(false);
    expect(w.stable).toBe(false);
    expect(w.reduction.voltage).toBe(w.oxidation.voltage);
    expect(w.reduction.voltage).toBeGreaterThan(2);
    expect(w.reduction.beyond!.evolution).toBeGreaterThan(0);
    expect(w.oxidation.beyond!.evolution).toBeLessThan(0);
  });

  it('a composition whose phase equilibrium holds the metal itself: window closed at 0 V', async () => {
    // MP: Li3HfO3 -> Li6Hf2O7 + Hf + Li: it gives off Li even against Li metal.
    const w = stabilityWindow(await mpSystem('Li-Hf-O'), 'Li3HfO3');
    expect(w.reduction.voltage).toBe(0);
    expect(w.oxidation.voltage).toBe(0);
    expect(w.reduction.beyond).toBeNull();
    expect(w.oxidation.beyond!.products).toEqual(['Hf', 'Li6Hf2O7']);
    expect(w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula).sort()).toEqual(['Hf', 'Li', 'Li6Hf2O7']);
  });
});

describe('voltage staircase', () => {
  it('is flat between transitions and spans 0 V to the last transition and beyond', async () => {
    const prof = elementProfile(await mpSystem('Li-P-S'), 'Li3PS4', 'Li');
    const st = voltageStaircase(prof, { maxVoltage: 5 });
    expect(st.steps.length).toBe(prof.steps.length);
    expect(st.steps[0]!.fromV).toBe(0);
    expect(st.steps.at(-1)!.toV).toBe(5);
    st.steps.forEach((s, i) => {
      expect(s.evolution).toBe(prof.steps[i]!.evolution);
      if (i > 0) expect(s.fromV).toBe(st.steps[i - 1]!.toV);
      expect(s.toV).toBeGreaterThan(s.fromV);
    });
    expect(st.voltage.length).toBe(2 * st.steps.length);
    // uptake decreases with voltage (the profile is monotone)
    for (let i = 1; i < st.steps.length; i++) expect(st.steps[i]!.evolution).toBeLessThan(st.steps[i - 1]!.evolution);
  });
});

describe('window plot data', () => {
  it('is what voltageStaircaseSvg draws', async () => {
    const w = stabilityWindow(await mpSystem('Li-P-S'), 'Li3PS4');
    const data = windowPlotData(w);
    expect(data.window).toEqual({ reductionV: w.reduction.voltage, oxidationV: w.oxidation.voltage });
    expect(data.steps.length).toBe(w.profile.steps.length);
    expect(data.steps.find((s) => s.evolution === 0)!.voltageRange).toEqual([w.reduction.voltage, w.oxidation.voltage]);
    expect(data.steps.at(-1)!.voltageRange[1]).toBe(Infinity);
    const svg = voltageStaircaseSvg(data);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/Li3PS4/);
  });
});

describe('voltages of multivalent ions', () => {
  it('Mg: V = -mu / 2', async () => {
    const pd = new PhaseDiagram([
      { composition: 'MgO', eFormPerAtom: -3.0 },
      { composition: 'MgS', eFormPerAtom: -1.8 },
      { composition: 'MgSO4', eFormPerAtom: -2.1 },
      { composition: 'SO3', eFormPerAtom: -1.2 },
    ]);
    const prof = elementProfile(pd, 'MgSO4', 'Mg');
    for (const s of prof.steps) expect(s.voltage).toBeCloseTo(-s.mu / 2, 12);
    expect(prof.valence).toBe(2);
    const w = stabilityWindow(pd, 'MgSO4', { element: 'Mg' });
    expect(w.reduction.voltage).toBeCloseTo(-w.reduction.mu / 2, 12);
  });

  it('O as the open element needs an explicit valence for voltages', async () => {
    const pd = new PhaseDiagram([
      { composition: 'Li2O', eFormPerAtom: -2.0 },
      { composition: 'Li2O2', eFormPerAtom: -1.6 },
    ]);
    const prof = elementProfile(pd, 'Li2O', 'O');
    expect(prof.steps.length).toBeGreaterThan(0);
    expect(Number.isNaN(prof.steps[0]!.voltage)).toBe(true);
    expect(prof.steps[0]!.reaction.toString()).toMatch(/O2/);
    expect(() => voltageStaircase(prof)).toThrow(ElementProfileError);
    const prof2 = elementProfile(pd, 'Li2O', 'O', { valence: 2 });
    expect(prof2.steps.every((s) => Number.isFinite(s.voltage))).toBe(true);
  });
});

describe('errors name the culprit', () => {
  const pd = new PhaseDiagram([
    { composition: 'Li3PS4', eFormPerAtom: -1.0 },
    { composition: 'Li2S', eFormPerAtom: -1.5 },
  ]);
  it('open element absent from the system', () => {
    expect(() => elementProfile(pd, 'Li3PS4', 'Na')).toThrow(/open element Na is not an element of the phase diagram \(Li-P-S\)/);
    expect(() => stabilityWindow(pd, 'Li3PS4', { element: 'Mg' })).toThrow(ElementProfileError);
  });
  it('composition outside the system', () => {
    expect(() => stabilityWindow(pd, 'Li6PS5Cl')).toThrow(/Li6PS5Cl lies outside the phase diagram: Cl is not among its elements \(Li-P-S\)/);
  });
  it('composition made only of the open element', () => {
    expect(() => stabilityWindow(pd, 'Li2')).toThrow(/made only of the open element Li/);
    expect(() => elementProfile(pd, Composition.parse('Li'), 'Li')).toThrow(ElementProfileError);
  });
  it('bad valence', () => {
    expect(() => stabilityWindow(pd, 'Li3PS4', { valence: 0 })).toThrow(/valence of Li must be a finite number > 0/);
  });
});
