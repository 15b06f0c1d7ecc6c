// Uncertainty sampling: with no error it gives today's deterministic answers (and pymatgen's) on
// every reference; a seed gives one answer wherever and in however many pieces it is drawn; the
// normals are normal; bad input is refused with the culprit named.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/core/index.js';
import { createEngine, localEngine } from '../src/engine/index.js';
import { entriesFromCsv, entriesFromRecords } from '../src/io/index.js';
import { loadEntries } from '../src/io/node.js';
import { interfaceReaction } from '../src/interface/index.js';
import { sampledReactionOnEngine, sampledStabilitiesOnEngine, sampledWindowOnEngine } from '../src/screen/index.js';
import { hullReport, PhaseDiagram, stabilityWindow } from '../src/thermo/index.js';
import { normalDeviate, sampledInterfaceReaction, sampledStabilities, sampledWindow, UncertaintyError } from '../src/uncertainty/index.js';
import { DATA, readReference, referenceDatasets } from './helpers/shared.js';

interface RefEntry {
  id: string;
  e_above_hull: number;
  stable: boolean;
  decomposition: Record<string, number>;
}
type RefProfile = { composition: string; open_element: string; steps: Array<{ mu: number; evolution: number }> };
type RefInterface = { c1: string; c2: string; open: null | [string, number]; minimum: { x: number; energy_per_atom: number } };
type SsbCase = { system: string; profiles: RefProfile[]; interfaces: RefInterface[] };

const EXACT = { sigma: 0, dataUncertainties: false, samples: 3 } as const;

let table: Entry[] | undefined;
async function mpSystem(system: string): Promise<PhaseDiagram> {
  table ??= await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  const els = new Set(system.split('-'));
  return new PhaseDiagram(
    table.filter((e) => e.composition.elements.every((el) => els.has(el))),
    { elements: [...els] },
  );
}

describe('σ = 0 reproduces the deterministic answers (and pymatgen’s)', () => {
  it.each(referenceDatasets())('%s: P(stable) is 0 or 1 as pymatgen says, E_hull and decompositions its own', async (name) => {
    const ref = readReference<{ entries: RefEntry[] }>(`${name}.json`);
    const entries = await loadEntries(`${DATA}${name}.json.gz`);
    const det = hullReport(entries).entries;
    const u = sampledStabilities(entries, EXACT);
    expect(u.samples).toBe(3);
    expect(u.entries.map((e) => e.id)).toEqual(ref.entries.map((e) => e.id));
    const problems: string[] = [];
    u.entries.forEach((e, i) => {
      const want = ref.entries[i]!;
      const d = det[i]!;
      if (e.pStable.p !== (want.stable ? 1 : 0)) problems.push(`${want.id}: P(stable) ${e.pStable.p}, pymatgen stable ${want.stable}`);
      // Every sample is the deterministic answer: no spread at all.
      if (e.eAboveHull.q05 !== e.eAboveHull.q95) problems.push(`${want.id}: E_hull varies (${e.eAboveHull.q05} … ${e.eAboveHull.q95})`);
      // The samples are solved by per-query LPs, the deterministic report by the system scan (issue
      // 11): two exact methods whose round-off differs by a few 1e-12 eV/atom (3.2e-12 measured).
      if (Math.abs(e.eAboveHull.q50 - d.e_above_hull) > 1e-10) problems.push(`${want.id}: E_hull ${e.eAboveHull.q50} vs deterministic ${d.e_above_hull}`);
      if (Math.abs(e.eAboveHull.q50 - want.e_above_hull) > 1e-6) problems.push(`${want.id}: E_hull ${e.eAboveHull.q50} vs pymatgen ${want.e_above_hull}`);
      const phases = e.decompositions.map((x) => [...x.value].sort().join(' '));
      if (phases.length !== 1 || phases[0] !== Object.keys(want.decomposition).sort().join(' '))
        problems.push(`${want.id}: decompositions ${phases.join(' | ')} vs ${Object.keys(want.decomposition).join(' ')}`);
    });
    expect(problems).toEqual([]);
  });

  it('windows and interface reactions of the solid-electrolyte cases on the MP table', async () => {
    const problems: string[] = [];
    let profiles = 0;
    let interfaces = 0;
    for (const c of readReference<SsbCase[]>('mp-legacy-ssb-cases.json')) {
      const pd = await mpSystem(c.system);
      for (const p of c.profiles) {
        const w = sampledWindow(pd, p.composition, { ...EXACT, element: p.open_element });
        const det = stabilityWindow(pd, p.composition, { element: p.open_element });
        const zero = p.steps.findIndex((s) => Math.abs(s.evolution) < 1e-6);
        const red = -p.steps[zero]!.mu;
        const ox = zero + 1 < p.steps.length ? -p.steps[zero + 1]!.mu : Infinity;
        for (const [what, got, d, ref] of [
          ['reduction', w.reduction, det.reduction.voltage, red],
          ['oxidation', w.oxidation, det.oxidation.voltage, ox],
        ] as const) {
          if (got.distribution.q05 !== got.distribution.q95) problems.push(`${p.composition} ${what} varies`);
          if (!(Math.abs(got.distribution.q50 - d) <= 1e-9 || got.distribution.q50 === d)) problems.push(`${p.composition} ${what} ${got.distribution.q50} vs deterministic ${d}`);
          if (!(Math.abs(got.distribution.q50 - ref) <= 1e-6 || got.distribution.q50 === ref)) problems.push(`${p.composition} ${what} ${got.distribution.q50} vs pymatgen ${ref}`);
        }
        const beyond = (b: typeof w.reduction) => b.beyond[0]!.value.join(' + ');
        if (det.reduction.beyond && beyond(w.reduction) !== [...det.reduction.beyond.products].sort().join(' + ')) problems.push(`${p.composition}: reduction products ${beyond(w.reduction)}`);
        if (det.oxidation.beyond && beyond(w.oxidation) !== [...det.oxidation.beyond.products].sort().join(' + ')) problems.push(`${p.composition}: oxidation products ${beyond(w.oxidation)}`);
        profiles++;
      }
      for (const i of c.interfaces) {
        // The shared references were made with include_no_mixing_energy=True (as interface-reaction.test.ts).
        const options = { useHullEnergy: true, ...(i.open ? { open: { element: i.open[0], voltage: i.open[1] }, includeNoMixingEnergy: true } : {}) };
        const r = sampledInterfaceReaction(i.c1, i.c2, pd, { ...options, ...EXACT });
        const det = interfaceReaction(i.c1, i.c2, pd, options).minimum;
        if (r.minimum.q05 !== r.minimum.q95) problems.push(`${i.c1}|${i.c2}: minimum varies`);
        if (Math.abs(r.minimum.q50 - det.energyPerAtom) > 1e-12) problems.push(`${i.c1}|${i.c2}: minimum ${r.minimum.q50} vs deterministic ${det.energyPerAtom}`);
        if (Math.abs(r.minimum.q50 - i.minimum.energy_per_atom) > 1e-6) problems.push(`${i.c1}|${i.c2}: minimum ${r.minimum.q50} vs pymatgen ${i.minimum.energy_per_atom}`);
        if (Math.abs(r.x.q50 - det.x) > 1e-12) problems.push(`${i.c1}|${i.c2}: x ${r.x.q50} vs ${det.x}`);
        if (
          r.products[0]!.value.join(' + ') !==
          det.kink.products
            .map((x) => x.formula)
            .sort()
            .join(' + ')
        )
          problems.push(`${i.c1}|${i.c2}: products ${r.products[0]!.value}`);
        interfaces++;
      }
    }
    expect(problems).toEqual([]);
    expect([profiles, interfaces]).toEqual([7, 10]);
  }, 60_000);
});

describe('one seed, one answer', () => {
  const csv = `formula,e_form_per_atom,e_form_per_atom_std\nLi2S,-1.5,0.01\nLiS4,-0.45,0.02\nLiS2,-0.76,0.02\nLi3S2,-1.3,\n`;

  it('the same seed gives the same numbers; another seed others', () => {
    const entries = entriesFromCsv(csv);
    const a = sampledStabilities(entries, { samples: 400, seed: 7 });
    const b = sampledStabilities(entries, { samples: 400, seed: 7 });
    const c = sampledStabilities(entries, { samples: 400, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.entries)).not.toBe(JSON.stringify(c.entries));
    const lis2 = a.entries.find((e) => e.formula === 'LiS2')!;
    expect(lis2.pStable.p).toBeGreaterThan(0.05);
    expect(lis2.pStable.p).toBeLessThan(0.95);
    // A row without a standard deviation (Li3S2) moves only through the others.
    expect(a.entries.find((e) => e.formula === 'Li3S2')!.pStable.p).toBeLessThan(0.5);
  });

  it('on two workers, in pieces, as in this thread', async () => {
    const entries = await loadEntries(`${DATA}alexandria-Li-P-S.json.gz`);
    const here = sampledStabilities(entries, { sigma: 0.02, samples: 300, seed: 3 });
    const hereWindow = sampledWindow(new PhaseDiagram(entries), 'Li3PS4', { sigma: 0.02, samples: 300, seed: 3 });
    const hereReaction = sampledInterfaceReaction('Li3PS4', 'Li', new PhaseDiagram(entries), { sigma: 0.02, samples: 300, seed: 3 });
    const engine = await createEngine({ workers: 2 });
    try {
      const there = await sampledStabilitiesOnEngine(engine, { data: entries, sigma: 0.02, samples: 300, seed: 3 });
      expect(there.entries).toEqual(here.entries);
      const w = await sampledWindowOnEngine(engine, 'Li3PS4', { data: entries, sigma: 0.02, samples: 300, seed: 3 });
      expect(w.reduction).toEqual(hereWindow.reduction);
      expect(w.staircase).toEqual(hereWindow.staircase);
      const r = await sampledReactionOnEngine(engine, 'Li3PS4', 'Li', { data: entries, sigma: 0.02, samples: 300, seed: 3 });
      expect(r.minimum).toEqual(hereReaction.minimum);
      expect(r.products).toEqual(hereReaction.products);
    } finally {
      await engine.close();
    }
    const local = await sampledStabilitiesOnEngine(localEngine(), { data: entries, sigma: 0.02, samples: 300, seed: 3 });
    expect(local.entries).toEqual(here.entries);
  }, 60_000);

  it('reports progress and stops when cancelled', async () => {
    const entries = entriesFromCsv(csv);
    const seen: number[] = [];
    sampledStabilities(entries, { samples: 600, onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(600);
    expect(seen.length).toBeGreaterThan(1);
    const stop = new AbortController();
    const run = sampledStabilitiesOnEngine(localEngine(), {
      data: entries,
      samples: 100_000,
      signal: stop.signal,
      onProgress: (done) => {
        if (done >= 256) stop.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
  });

  it('stops early at the requested precision, in rounds that do not depend on the workers', () => {
    const entries = entriesFromCsv(csv);
    const loose = sampledStabilities(entries, { samples: 4000, precision: 0.05, seed: 2 });
    expect(loose.samples).toBe(250);
    expect(Math.max(...loose.entries.map((e) => e.pStable.se))).toBeLessThanOrEqual(0.05);
    const tight = sampledStabilities(entries, { samples: 4000, precision: 0.01, seed: 2 });
    expect(tight.samples).toBeGreaterThan(250);
    expect(Math.max(...tight.entries.map((e) => e.pStable.se))).toBeLessThanOrEqual(0.01);
    // The first 250 samples of the long run are the short run's.
    expect(loose.entries[0]!.pStable.p).toBe(sampledStabilities(entries, { samples: 250, seed: 2 }).entries[0]!.pStable.p);
  });
});

describe('the normals', () => {
  it('are standard normal: mean, variance, tails, and independent between streams', () => {
    const n = 200_000;
    let s1 = 0;
    let s2 = 0;
    let tail = 0;
    let cross = 0;
    for (let i = 0; i < n; i++) {
      const z = normalDeviate(11, i, 4);
      const w = normalDeviate(11, i, 5);
      s1 += z;
      s2 += z * z;
      if (Math.abs(z) > 1.959964) tail++;
      cross += z * w;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(5 * Math.sqrt(1 / n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(tail / n - 0.05)).toBeLessThan(5 * Math.sqrt((0.05 * 0.95) / n));
    expect(Math.abs(cross / n)).toBeLessThan(5 * Math.sqrt(1 / n));
  });
});

describe('bad input names the culprit', () => {
  const entries = () => entriesFromCsv('formula,e_form_per_atom\nLi2S,-1.5\n');
  it('σ, samples, seed, precision, corrections', () => {
    expect(() => sampledStabilities(entries(), { sigma: -0.01 })).toThrow(new UncertaintyError('sigma must be a finite number >= 0 (eV/atom), got -0.01'));
    expect(() => sampledStabilities(entries(), { sigma: Number.NaN })).toThrow(/sigma must be a finite number >= 0 \(eV\/atom\), got NaN/);
    expect(() => sampledStabilities(entries(), { samples: 0 })).toThrow(/samples must be a whole number >= 1, got 0/);
    expect(() => sampledStabilities(entries(), { samples: 2.5 })).toThrow(/samples must be a whole number >= 1, got 2.5/);
    expect(() => sampledStabilities(entries(), { seed: -1 })).toThrow(/seed must be a whole number 0 … 4294967295, got -1/);
    expect(() => sampledStabilities(entries(), { precision: 0 })).toThrow(/precision must be a standard error between 0 and 0.5/);
    expect(() => sampledStabilities(entries(), { corrections: 'once' as 'shared' })).toThrow(/corrections must be 'shared' or 'independent', got "once"/);
    expect(() => sampledWindow(new PhaseDiagram(entries()), 'Li2S', { covers: [3, 2] })).toThrow(/covers must be a voltage range \[lo, hi\] with lo <= hi, got \[3,2\]/);
  });

  it('an uncertainty column with text, a negative one, and uncertainties of records', () => {
    expect(() => entriesFromCsv('formula,e_form_per_atom,e_form_per_atom_std\nLi2S,-1.5,0.01\nLiS4,-0.4,big\n', { source: 'c.csv' })).toThrow(
      'c.csv (line 3, id "LiS4"): e_form_per_atom_std is not a number ("big")',
    );
    expect(() => entriesFromCsv('formula,energy,uncertainty\nLi,-1.9,-0.1\n', { source: 'c.csv' })).toThrow('c.csv (line 2, id "Li"): uncertainty must be a finite number >= 0 (eV/atom), got -0.1');
    expect(() => entriesFromCsv('formula,e_form_per_atom,uncertainty,e_form_per_atom_std\nLi2S,-1,0,0\n', { source: 'c.csv' })).toThrow(/header has two uncertainty columns/);
    expect(() => entriesFromRecords([{ entry_id: 'a-1', composition: { Li: 2, S: 1 }, e_form_per_atom: -1.5, e_form_per_atom_std: '0.01' }])).toThrow(
      'records record 0 (id "a-1"): e_form_per_atom_std is not a number (string "0.01")',
    );
  });
});

describe('uncertainties of entries', () => {
  it('MP2020 adjustments: one named error per adjustment, uncertainty_per_atom × n_atoms', () => {
    const [e] = entriesFromRecords([
      {
        '@class': 'ComputedEntry',
        entry_id: 'mp-x',
        composition: { K: 1, Mn: 2, O: 4 },
        energy: -46.9,
        energy_adjustments: [
          { '@class': 'CompositionEnergyAdjustment', adj_per_atom: -0.687, n_atoms: 4, uncertainty_per_atom: 0.002, name: 'MP2020 anion correction (oxide)' },
          { '@class': 'CompositionEnergyAdjustment', adj_per_atom: -1.668, n_atoms: 2, uncertainty_per_atom: 0.0053, name: 'MP2020 GGA/GGA+U mixing correction (Mn)' },
        ],
      },
    ]);
    expect(e!.correctionUncertainties).toEqual({ 'MP2020 anion correction (oxide)': 0.008, 'MP2020 GGA/GGA+U mixing correction (Mn)': 0.0106 });
    expect(e!.correctionUncertainty).toBeCloseTo(Math.hypot(0.008, 0.0106), 15);
    expect(e!.uncertaintyPerAtom).toBe(0);
  });
});

describe('limits', () => {
  it('the stability of every entry of a dataset too large to set up at once is refused with the way out', async () => {
    const { defaultEntries } = await import('../src/io/index.js');
    const entries = await defaultEntries();
    expect(() => sampledStabilities(entries, { samples: 10 })).toThrow(/this one is too large \(13280 compositions of 32 elements\): cut the data to the chemical systems/);
  }, 30_000);
});
