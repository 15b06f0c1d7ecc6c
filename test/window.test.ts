import { describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import { compareWindows, DecompositionReactionError, enumerateDecompositionReactions } from '../src/thermo/decomposition-reactions.js';
import { stabilityWindow } from '../src/thermo/element-profile.js';
import type { Entry } from '../src/core/entry.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { pinvSolve } from '../src/core/linear-algebra.js';
import { DATA, readReference, referenceDatasets } from './helpers/shared.js';

interface RefProfile {
  composition: string;
  open_element: string;
}

let mpTable: Entry[] | undefined;
/** A chemical system cut out of the MP formation-energy table (as pmg_reference_chemsys.py does). */
async function mpSystem(system: string): Promise<PhaseDiagram> {
  mpTable ??= await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  const els = new Set(system.split('-'));
  return new PhaseDiagram(
    mpTable.filter((e) => e.composition.elements.every((el) => els.has(el))),
    { elements: [...els] },
  );
}

/** Every reference profile composition with the diagram it was computed on. */
async function referenceCases(): Promise<Array<{ where: string; pd: PhaseDiagram; profile: RefProfile }>> {
  const out: Array<{ where: string; pd: PhaseDiagram; profile: RefProfile }> = [];
  for (const name of referenceDatasets()) {
    const profiles = readReference<{ profiles?: RefProfile[] }>(`${name}.json`).profiles ?? [];
    if (!profiles.length) continue;
    const pd = new PhaseDiagram(await loadEntries(`${DATA}${name}.json.gz`));
    for (const p of profiles) out.push({ where: name, pd, profile: p });
  }
  for (const c of readReference<Array<{ system: string; profiles: RefProfile[] }>>('mp-legacy-ssb-cases.json')) {
    if (!c.profiles.length) continue;
    const pd = await mpSystem(c.system);
    for (const p of c.profiles) out.push({ where: `MP ${c.system}`, pd, profile: p });
  }
  return out;
}

describe('the two window methods agree on every reference composition', () => {
  it('element profile (grand potential) vs complete reaction enumeration (Binninger 2020)', async () => {
    const cases = await referenceCases();
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const problems: string[] = [];
    const table: string[] = [];
    for (const { where, pd, profile } of cases) {
      const cmp = compareWindows(pd, profile.composition, { element: profile.open_element });
      const p = cmp.profile;
      const en = cmp.enumeration;
      const at = `${where} ${profile.composition} (${profile.open_element})`;
      table.push(
        `${at.padEnd(48)} profile ${p.reduction.voltage.toFixed(4)}–${p.oxidation.voltage.toFixed(4)} V  enumeration ${en.reductionV.toFixed(4)}–${en.oxidationV.toFixed(4)} V  (${en.reactionCount} reactions over ${en.phaseCount} phases)`,
      );
      if (!(cmp.maxDifferenceV < 1e-6)) problems.push(`${at}: profile ${p.reduction.voltage}–${p.oxidation.voltage} vs enumeration ${en.reductionV}–${en.oxidationV}`);
      // The limiting reactions are made of the phases the profile finds beyond each limit (and,
      // for compositions off the hull, of their phase equilibrium).
      const allowed = (beyond: typeof p.oxidation.beyond) => new Set([...(beyond?.phases ?? []), ...p.phaseEquilibrium].map((x) => x.entry));
      if (en.oxidationReaction) {
        const ok = allowed(p.oxidation.beyond);
        if (!en.oxidationReaction.phases.every((e) => ok.has(e))) problems.push(`${at}: oxidation ${en.oxidationReaction.reaction()} vs ${p.oxidation.beyond?.reaction}`);
      } else if (p.oxidation.voltage !== Infinity) problems.push(`${at}: no oxidation found by enumeration`);
      if (en.reductionReaction) {
        const ok = allowed(p.reduction.beyond);
        if (!en.reductionReaction.phases.every((e) => ok.has(e))) problems.push(`${at}: reduction ${en.reductionReaction.reaction()} vs ${p.reduction.beyond?.reaction}`);
      } else if (p.reduction.voltage !== 0) problems.push(`${at}: no reduction found by enumeration`);
    }
    console.info(table.join('\n'));
    expect(problems).toEqual([]);
  });
});

describe('windows as published (Zhu, He, Mo, ACS Appl. Mater. Interfaces 2015) on the MP table, both methods', () => {
  it('Li3PS4 1.72–2.36 V', async () => {
    const cmp = compareWindows(await mpSystem('Li-P-S'), 'Li3PS4');
    for (const [red, ox] of [
      [cmp.profile.reduction.voltage, cmp.profile.oxidation.voltage],
      [cmp.enumeration.reductionV, cmp.enumeration.oxidationV],
    ]) {
      expect(Math.abs(red! - 1.72)).toBeLessThan(0.005);
      expect(Math.abs(ox! - 2.36)).toBeLessThan(0.005);
    }
    expect(cmp.enumeration.oxidationReaction!.reaction().toString()).toBe('Li3PS4 -> 0.125 LiS4 + 0.5 P2S7 + 2.875 Li');
    expect(cmp.enumeration.reductionReaction!.reaction().toString()).toBe('Li3PS4 + 5 Li -> 4 Li2S + P');
  });
  it('Li3PO4 0.69–4.21 V', async () => {
    const cmp = compareWindows(await mpSystem('Li-P-O'), 'Li3PO4');
    for (const [red, ox] of [
      [cmp.profile.reduction.voltage, cmp.profile.oxidation.voltage],
      [cmp.enumeration.reductionV, cmp.enumeration.oxidationV],
    ]) {
      expect(Math.abs(red! - 0.69)).toBeLessThan(0.005);
      expect(Math.abs(ox! - 4.21)).toBeLessThan(0.005);
    }
  });
});

describe('the enumeration is complete and its reactions are right', () => {
  it('every reaction is balanced, and no reaction beats the limits', async () => {
    const pd = await mpSystem('Li-Ge-P-S');
    const en = enumerateDecompositionReactions(pd, 'Li10GeP2S12');
    expect(en.truncated).toBe(false);
    expect(en.reactions.length).toBe(en.reactionCount);
    expect(en.oxidationCount + en.reductionCount).toBeLessThanOrEqual(en.reactionCount);
    for (const r of en.reactions) {
      r.reaction(); // throws when unbalanced
      if (r.released > 1e-6) expect(r.potential).toBeGreaterThanOrEqual(en.oxidationV - 1e-9);
      if (r.released < -1e-6) expect(r.potential).toBeLessThanOrEqual(en.reductionV + 1e-9);
      expect(r.atoms.every((x) => x > 0)).toBe(true);
    }
  });

  it('finds exactly the reactions a brute-force search over all phase subsets finds', async () => {
    const pd = await mpSystem('Li-P-S');
    const comp = Composition.parse('Li7P3S11');
    const en = enumerateDecompositionReactions(pd, comp);
    // Brute force: every subset of at most 2 phases (3 elements − 1), with Li: unique balance by
    // least squares, exact, positive.
    const els = ['Li', 'P', 'S'];
    const phases = pd.stableEntries.filter((e) => !(e.composition.elements.length === 1 && e.composition.elements[0] === 'Li'));
    const a = els.map((el) => comp.atomicFraction(el));
    const keys = new Set<string>();
    const cols = (set: Entry[]) => [els.map((el) => (el === 'Li' ? 1 : 0)), ...set.map((p) => els.map((el) => p.composition.atomicFraction(el)))];
    const rank = (c: number[][]) => {
      // rank of the 3×k matrix by Gaussian elimination
      const m = els.map((_, r) => c.map((col) => col[r]!));
      let rk = 0;
      for (let col = 0; col < c.length && rk < 3; col++) {
        let piv = -1;
        for (let r = rk; r < 3; r++) if (Math.abs(m[r]![col]!) > 1e-9 && (piv < 0 || Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!))) piv = r;
        if (piv < 0) continue;
        [m[rk], m[piv]] = [m[piv]!, m[rk]!];
        for (let r = 0; r < 3; r++)
          if (r !== rk) {
            const f = m[r]![col]! / m[rk]![col]!;
            for (let k = 0; k < c.length; k++) m[r]![k]! -= f * m[rk]![k]!;
          }
        rk++;
      }
      return rk;
    };
    const subsets: Entry[][] = [];
    for (let i = 0; i < phases.length; i++) {
      subsets.push([phases[i]!]);
      for (let j = i + 1; j < phases.length; j++) subsets.push([phases[i]!, phases[j]!]);
    }
    for (const set of subsets) {
      const c = cols(set);
      if (rank(c) < c.length) continue;
      const A = els.map((_, r) => c.map((col) => col[r]!));
      const x = pinvSolve(A, 3, c.length, a);
      const resid = Math.max(...els.map((_, r) => Math.abs(c.reduce((s, col, k) => s + col[r]! * x[k]!, 0) - a[r]!)));
      if (resid > 1e-9 || x.slice(1).some((v) => v <= 1e-9)) continue;
      keys.add(
        set
          .map((p) => p.id)
          .sort()
          .join('+'),
      );
    }
    const got = new Set(
      en.reactions.map((r) =>
        r.phases
          .map((p) => p.id)
          .sort()
          .join('+'),
      ),
    );
    expect(got.size).toBe(en.reactions.length);
    expect([...got].sort()).toEqual([...keys].sort());
    expect(keys.size).toBeGreaterThan(10);
  });

  it('agree where the window is closed (Li3HfO3 gives off Li at 0 V; Li4P2S6 inside a facet)', async () => {
    for (const [pd, f] of [
      [await mpSystem('Li-Hf-O'), 'Li3HfO3'],
      [new PhaseDiagram(await loadEntries(`${DATA}alexandria-Li-P-S.json.gz`)), 'Li4P2S6'],
    ] as const) {
      const cmp = compareWindows(pd, f);
      expect(cmp.maxDifferenceV).toBeLessThan(1e-6);
      expect(cmp.profile.reduction.voltage).toBe(cmp.profile.oxidation.voltage);
    }
  });

  it('with the entry energy, a metastable composition decomposes without exchange (ΔG < 0)', async () => {
    const pd = await mpSystem('Li-Ge-P-S');
    const hull = enumerateDecompositionReactions(pd, 'Li10GeP2S12');
    const entry = enumerateDecompositionReactions(pd, 'Li10GeP2S12', { reactantEnergy: 'entry' });
    const w = stabilityWindow(pd, 'Li10GeP2S12');
    expect(hull.minNeutralEnergy).toBeCloseTo(0, 9);
    expect(entry.minNeutralEnergy).toBeCloseTo(-w.eAboveHull! * 25, 6);
    // The metastable compound oxidises earlier and reduces later than its equilibrium.
    expect(entry.oxidationV).toBeLessThan(hull.oxidationV);
    expect(entry.reductionV).toBeGreaterThan(hull.reductionV);
  });

  it('errors name the culprit', async () => {
    const pd = await mpSystem('Li-P-S');
    expect(() => enumerateDecompositionReactions(pd, 'Li3PS4', { element: 'Na' })).toThrow(/open element Na is not an element of the phase diagram \(Li-P-S\)/);
    expect(() => enumerateDecompositionReactions(pd, 'Li3PS4Cl')).toThrow(/Cl is not among its elements/);
    expect(() => enumerateDecompositionReactions(pd, 'Li')).toThrow(/made only of the open element Li/);
    expect(() => enumerateDecompositionReactions(pd, 'Li2P3S9', { reactantEnergy: 'entry' })).toThrow(DecompositionReactionError);
    expect(() => enumerateDecompositionReactions(pd, 'P2S5', { element: 'S' })).toThrow(/no ion valence known for S/);
  });
});

describe('a window as JSON', () => {
  // The window's parts are built when read (its steps, phases, charge balance); JSON.stringify
  // must still write every part the StabilityWindow interface lists, in its order.
  it('writes every part: the limits with the steps beyond them, the profile, the phase equilibrium, the warnings', async () => {
    const pd = await mpSystem('Li-P-S');
    for (const f of ['Li3PS4', 'Li7P3S11', 'LiPS']) {
      const w = stabilityWindow(pd, f);
      const json = JSON.parse(JSON.stringify(w));
      expect(Object.keys(json)).toEqual([
        'composition',
        'element',
        'valence',
        'reduction',
        'oxidation',
        'atZeroVolts',
        'stable',
        'eAboveHull',
        'phaseEquilibrium',
        'profile',
        'chargeBalanced',
        'warnings',
      ]);
      expect(Object.keys(json.reduction)).toEqual(['mu', 'voltage', 'beyond']);
      expect(json.reduction.voltage).toBe(w.reduction.voltage);
      expect(json.oxidation.beyond?.products ?? null).toEqual(w.oxidation.beyond?.products ?? null);
      expect(json.reduction.beyond?.evolution ?? null).toBe(w.reduction.beyond?.evolution ?? null);
      expect(json.atZeroVolts.products).toEqual(w.atZeroVolts.products);
      expect(json.profile.steps.map((s: { reaction: { reaction: string } }) => s.reaction.reaction)).toEqual(w.profile.steps.map((s) => s.reaction.toString()));
      expect(json.phaseEquilibrium.map((p: { entry: { id: string } }) => p.entry.id)).toEqual(w.phaseEquilibrium.map((p) => p.entry.id));
      expect([json.stable, json.eAboveHull, json.chargeBalanced, json.warnings]).toEqual([w.stable, w.eAboveHull, w.chargeBalanced, [...w.warnings]]);
    }
  });
});
