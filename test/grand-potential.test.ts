import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elementProfile } from '../src/thermo/element-profile.js';
import type { Entry } from '../src/core/entry.js';
import { type GrandPotentialEntry, GrandPotentialError, GrandPotentialPhaseDiagram } from '../src/thermo/grand-potential.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { DATA } from './helpers/shared.js';

const PY = '/usr/bin/python3';

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
const havePymatgen = existsSync(PY) && spawnSync(PY, ['-c', 'import pymatgen.analysis.phase_diagram'], { stdio: 'ignore' }).status === 0;

// pymatgen's GrandPotentialPhaseDiagram on the very same (composition, energy) pairs: for every
// grand entry its E_hull (per non-open atom), stability and decomposition (entry indices).
const PMG_GPD = `
import json, sys, warnings
warnings.filterwarnings("ignore")
from pymatgen.core import Composition, Element
from pymatgen.analysis.phase_diagram import PDEntry, GrandPotentialPhaseDiagram
d = json.load(sys.stdin)
entries = []
for i, (comp, energy) in enumerate(d["entries"]):
    e = PDEntry(Composition(comp), energy); e.entry_id = str(i); entries.append(e)
out = []
for chempots in d["chempots"]:
    gpd = GrandPotentialPhaseDiagram(entries, {Element(k): v for k, v in chempots.items()})
    stable = set(gpd.stable_entries)
    rows = {}
    for e in gpd.all_entries:
        dec, eh = gpd.get_decomp_and_e_above_hull(e, allow_negative=True)
        rows[e.original_entry.entry_id] = {"e_above_hull": eh, "stable": e in stable, "decomposition": sorted(x.original_entry.entry_id for x in dec)}
    out.append({"elements": sorted(str(x) for x in gpd.elements), "rows": rows})
print(json.dumps(out))
`;

interface PmgGpd {
  elements: string[];
  rows: Record<string, { e_above_hull: number; stable: boolean; decomposition: string[] }>;
}

function pymatgenGpd(entries: readonly Entry[], chempots: Array<Record<string, number>>): PmgGpd[] {
  const input = JSON.stringify({ entries: entries.map((e) => [e.composition.toDict(), e.energy]), chempots });
  return JSON.parse(execFileSync(PY, ['-c', PMG_GPD], { input, encoding: 'utf8', maxBuffer: 1 << 28 }));
}

/** Compares our grand diagrams with pymatgen's at each set of (absolute) chemical potentials. */
function compareWithPymatgen(entries: readonly Entry[], chempots: Array<Record<string, number>>): string[] {
  const problems: string[] = [];
  const refs = pymatgenGpd(entries, chempots);
  chempots.forEach((cp, k) => {
    const gpd = new GrandPotentialPhaseDiagram(entries, cp);
    const ref = refs[k]!;
    const at = JSON.stringify(cp);
    if (gpd.elements.join('-') !== ref.elements.join('-')) problems.push(`${at}: elements ${gpd.elements.join('-')} vs ${ref.elements.join('-')}`);
    const idOf = new Map(entries.map((e, i) => [e, String(i)]));
    const rows = gpd.analyze();
    if (rows.length !== Object.keys(ref.rows).length) problems.push(`${at}: ${rows.length} grand entries vs ${Object.keys(ref.rows).length}`);
    for (const r of rows) {
      const g = r.entry as GrandPotentialEntry;
      const id = idOf.get(g.originalEntry)!;
      const want = ref.rows[id];
      const where = `${at} ${g.originalEntry.id} ${g.originalEntry.composition.formula}`;
      if (!want) {
        problems.push(`${where}: not in pymatgen's diagram`);
        continue;
      }
      if (r.stable !== want.stable) problems.push(`${where}: stable ${r.stable} vs ${want.stable}`);
      const eh = r.stable ? 0 : r.eAboveHull;
      const wantEh = want.stable ? 0 : want.e_above_hull;
      if (Math.abs(eh - wantEh) > 1e-6) problems.push(`${where}: grand E_hull ${eh} vs ${wantEh}`);
      const dec = r.decomposition.map((p) => idOf.get((p.entry as GrandPotentialEntry).originalEntry)!).sort();
      if (!r.stable && dec.join(' ') !== want.decomposition.join(' ')) problems.push(`${where}: decomposition ${dec} vs ${want.decomposition}`);
    }
  });
  return problems;
}

describe.skipIf(!havePymatgen)('GrandPotentialPhaseDiagram agrees with pymatgen', () => {
  it('Li open over Li-Fe-P-O (total energies, legacy MP corrections)', async () => {
    const entries = await loadEntries(`${DATA}mp-Li-Fe-P-O.json.gz`);
    const ref = new PhaseDiagram(entries).elRefs.get('Li')!.energyPerAtom;
    expect(
      compareWithPymatgen(
        entries,
        [-0.3, -1.5, -3.0, -4.5].map((v) => ({ Li: ref + v })),
      ),
    ).toEqual([]);
  });

  it('O open over Li-Fe-P-O', async () => {
    const entries = await loadEntries(`${DATA}mp-Li-Fe-P-O.json.gz`);
    const ref = new PhaseDiagram(entries).elRefs.get('O')!.energyPerAtom;
    expect(
      compareWithPymatgen(
        entries,
        [-1, -3].map((v) => ({ O: ref + v })),
      ),
    ).toEqual([]);
  });

  it('Na open over Na-Fe-P-O and K open over C-Cl-K-Li-Mn-Na-O-Y (MP2020)', async () => {
    const na = await loadEntries(`${DATA}mp-Na-Fe-P-O.json.gz`);
    const naRef = new PhaseDiagram(na).elRefs.get('Na')!.energyPerAtom;
    expect(compareWithPymatgen(na, [{ Na: naRef - 1.0 }, { Na: naRef - 2.5 }])).toEqual([]);
    const k = await loadEntries(`${DATA}mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz`);
    const kRef = new PhaseDiagram(k).elRefs.get('K')!.energyPerAtom;
    expect(compareWithPymatgen(k, [{ K: kRef - 2.0 }])).toEqual([]);
  });

  it('Mg open over Mg-P-S-O cut out of the MP table (formation energies), and two open elements', async () => {
    const pd = await mpSystem('Mg-P-S-O');
    const entries = pd.entries as Entry[];
    expect(compareWithPymatgen(entries, [{ Mg: -0.5 }, { Mg: -2.2 }, { Mg: -1.0, O: -2.0 }])).toEqual([]);
  });
});

describe('chemical potentials: absolute, relative, voltage', () => {
  const entries = [
    { id: 'li', composition: 'Li', energy: -1.9 },
    { id: 'li-b', composition: 'Li2', energy: -3.0 }, // a worse Li polymorph: not the reference
    { id: 'mg', composition: 'Mg', energy: -1.5 },
    { id: 's', composition: 'S', energy: -4.1 },
    { id: 'li2s', composition: 'Li2S', energy: -3 * 1.9 - 4.1 - 4.5 },
    { id: 'mgs', composition: 'MgS', energy: -1.5 - 4.1 - 3.6 },
  ];
  it('all three forms give the same absolute μ', () => {
    const a = new GrandPotentialPhaseDiagram(entries, { Li: -1.9 - 2.0 });
    const b = new GrandPotentialPhaseDiagram(entries, { Li: { muRelative: -2.0 } });
    const c = new GrandPotentialPhaseDiagram(entries, { Li: { voltage: 2.0 } });
    const d = new GrandPotentialPhaseDiagram(entries, { Li: { mu: -3.9 } });
    for (const g of [a, b, c, d]) {
      expect(g.chempots.Li).toBeCloseTo(-3.9, 12);
      expect(g.chempotsRelative.Li).toBeCloseTo(-2.0, 12);
      expect(g.openReferences.Li).toBe(-1.9);
      expect(g.openElements).toEqual(['Li']);
    }
  });
  it('Mg voltages are per two electrons', () => {
    const g = new GrandPotentialPhaseDiagram(entries, { Mg: { voltage: 1.0 } });
    expect(g.chempotsRelative.Mg).toBeCloseTo(-2.0, 12);
    const h = new GrandPotentialPhaseDiagram(entries, { S: { voltage: 1.0, valence: 2 } });
    expect(h.chempotsRelative.S).toBeCloseTo(-2.0, 12);
    expect(() => new GrandPotentialPhaseDiagram(entries, { S: { voltage: 1.0 } })).toThrow(/no ion valence known for S/);
  });
  it('Φ = E − μN per non-open atom; open-only entries dropped', () => {
    const g = new GrandPotentialPhaseDiagram(entries, { Li: { muRelative: -2.0 } });
    const li2s = g.entries.find((e) => e.id === 'li2s') as GrandPotentialEntry;
    expect(li2s.composition.formula).toBe('S1');
    expect(li2s.chemicalEnergy).toBeCloseTo(2 * -3.9, 12);
    expect(li2s.energyPerAtom).toBeCloseTo(-3 * 1.9 - 4.1 - 4.5 - 2 * -3.9, 12);
    expect(g.entries.some((e) => e.id === 'li' || e.id === 'li-b')).toBe(false);
    expect(g.grandEntry(entries.length ? (li2s.originalEntry as Entry) : (undefined as never))).toBe(li2s);
  });
});

describe('grand diagrams agree with the element profile', () => {
  it('at μ inside each step, the grand decomposition of the closed part is the step’s products', async () => {
    const pd = await mpSystem('Li-P-S-Cl');
    const prof = elementProfile(pd, 'Li6PS5Cl', 'Li');
    const problems: string[] = [];
    prof.steps.forEach((s, i) => {
      const lo = i + 1 < prof.steps.length ? prof.steps[i + 1]!.mu : s.mu - 1;
      const mu = (s.mu + lo) / 2;
      const gpd = new GrandPotentialPhaseDiagram(pd.entries, { Li: { muRelative: mu } });
      const phases = gpd
        .decomposition('PS5Cl')
        .map((p) => (p.entry as GrandPotentialEntry).originalEntry.composition.reducedFormula)
        .sort();
      if (phases.join(' ') !== s.products.join(' ')) problems.push(`μ=${mu}: ${phases.join(' ')} vs ${s.products.join(' ')}`);
    });
    expect(problems).toEqual([]);
  });
});

describe('errors', () => {
  const entries = [
    { composition: 'Li2S', eFormPerAtom: -1.5 },
    { composition: 'Li3PS4', eFormPerAtom: -1.0 },
  ];
  it('name the culprit', () => {
    expect(() => new GrandPotentialPhaseDiagram(entries, { Na: -1 })).toThrow(/open element Na is absent from the entries \(elements Li-P-S\)/);
    expect(() => new GrandPotentialPhaseDiagram(entries, { Xx: -1 })).toThrow(/"Xx" is not an element/);
    expect(() => new GrandPotentialPhaseDiagram([{ composition: 'Li', eFormPerAtom: 0 }], { Li: -1 })).toThrow(/every element of the entries is open \(Li\)/);
    expect(() => new GrandPotentialPhaseDiagram(entries, {})).toThrow(/no open element/);
    expect(() => new GrandPotentialPhaseDiagram(entries, { Li: Number.NaN })).toThrow(/chemical potential of Li must be a finite number/);
    expect(() => new GrandPotentialPhaseDiagram(entries, { Li: { voltage: Infinity } })).toThrow(/voltage for Li must be a finite number/);
    expect(() => new GrandPotentialPhaseDiagram(entries, { Li: 'x' as never })).toThrow(GrandPotentialError);
  });
});

// ---- phase equilibria: facets, chempot range map, transition chemical potentials ----

// pymatgen's facets of the same diagram (entry indices), their chemical potentials, transition
// chempots and chempot range map (elements = all but the last), all relative to the references.
const PMG_FACETS = `
import json, sys, warnings
warnings.filterwarnings("ignore")
from pymatgen.core import Composition, Element
from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram, GrandPotentialPhaseDiagram
d = json.load(sys.stdin)
entries = []
for i, (comp, energy) in enumerate(d["entries"]):
    e = PDEntry(Composition(comp), energy); e.entry_id = i; entries.append(e)
if d.get("chempots"):
    pd = GrandPotentialPhaseDiagram(entries, {Element(k): v for k, v in d["chempots"].items()})
    pd.elements = sorted(pd.elements)
    for e in pd.all_entries: e.entry_id = e.original_entry.entry_id
else:
    pd = PhaseDiagram(entries)
ref = {el: pd.el_refs[el].energy_per_atom for el in pd.elements}
facets = []
for f in pd.facets:
    cp = pd._get_facet_chempots(f)
    facets.append({"ids": sorted(pd.qhull_entries[i].entry_id for i in f), "mu": {str(el): cp[el] - ref[el] for el in pd.elements}})
trans = {str(el): [c - ref[el] for c in pd.get_transition_chempots(el)] for el in pd.elements}
els = list(pd.elements)[:-1]
crm = {}
if d["range_map"]:
    for e, sims in pd.get_chempot_range_map(els).items():
        crm[str(e.entry_id)] = [s.coords.tolist() for s in sims]
print(json.dumps({"elements": [str(x) for x in pd.elements], "facets": facets, "transitions": trans, "range_map_elements": [str(x) for x in els], "range_map": crm}))
`;

async function comparePhaseEquilibria(entries: readonly Entry[], rangeMap = true, chempots?: Record<string, number>): Promise<string[]> {
  const { PhaseEquilibria } = await import('../src/thermo/phase-equilibria.js');
  const closed = new PhaseDiagram(entries);
  const all = closed.entries;
  const pd = chempots ? new GrandPotentialPhaseDiagram(all, chempots) : closed;
  const input = JSON.stringify({ entries: all.map((e) => [e.composition.toDict(), e.energy]), range_map: rangeMap, chempots });
  const ref = JSON.parse(execFileSync(PY, ['-c', PMG_FACETS], { input, encoding: 'utf8', maxBuffer: 1 << 28 }));
  const problems: string[] = [];
  const pe = new PhaseEquilibria(pd);
  const idOf = new Map<Entry, number>();
  all.forEach((e, i) => idOf.set(e, i));
  if (chempots) for (const g of pd.entries) idOf.set(g, idOf.get((g as GrandPotentialEntry).originalEntry)!);
  const key = (ids: number[]) => [...ids].sort((a, b) => a - b).join(',');
  const mine = new Map(pe.facets.map((f) => [key(f.phases.map((p) => idOf.get(p)!)), f]));
  if (pe.facets.length !== ref.facets.length) problems.push(`${pe.facets.length} facets vs ${ref.facets.length}`);
  for (const f of ref.facets as Array<{ ids: number[]; mu: Record<string, number> }>) {
    const m = mine.get(key(f.ids));
    if (!m) {
      problems.push(`facet ${f.ids.map((i) => all[i]!.composition.reducedFormula).join('+')} missing`);
      continue;
    }
    for (const [el, v] of Object.entries(f.mu)) if (Math.abs(m.mu[el]! - v) > 1e-6) problems.push(`facet ${key(f.ids)}: mu ${el} ${m.mu[el]} vs ${v}`);
  }
  for (const [el, list] of Object.entries(ref.transitions as Record<string, number[]>)) {
    const got = pe.transitionChemicalPotentials(el);
    if (got.length !== list.length || got.some((v, i) => Math.abs(v - list[i]!) > 1e-6)) problems.push(`transition chempots of ${el}: ${got.length} vs ${list.length}`);
  }
  const crm = pe.chempotRangeMap(ref.range_map_elements);
  if (!rangeMap) crm.clear();
  const segKey = (s: number[][]) =>
    s
      .map((p) => p.map((v) => v.toFixed(5)).join(' '))
      .sort()
      .join(' | ');
  for (const [id, sims] of Object.entries(ref.range_map as Record<string, number[][][]>)) {
    const want = new Set(sims.map(segKey));
    const got = new Set((crm.get(all[Number(id)]!) ?? []).map((s) => segKey(s)));
    if ([...want].sort().join('\n') !== [...got].sort().join('\n')) problems.push(`chempot range of ${all[Number(id)]!.composition.reducedFormula}: ${got.size} segments vs ${want.size}`);
  }
  if (crm.size !== Object.keys(ref.range_map).length) problems.push(`range map over ${crm.size} entries vs ${Object.keys(ref.range_map).length}`);
  console.info(`${pd.elements.join('-')}: ${pe.facets.length} facets over ${pe.phases.length} stable phases (pymatgen ${ref.facets.length}), range map over ${crm.size} phases`);
  return problems;
}

describe.skipIf(!havePymatgen)('phase equilibria agree with pymatgen (facets, chempot range map, transition chempots)', () => {
  it.each(['alexandria-Li-P-S', 'alexandria-Li-Co-O', 'alexandria-Ca-C-O', 'mp-Li-Fe-P-O', 'mp-Li-Co-Ni-O', 'mp-Na-Fe-P-O'])('%s', async (name) => {
    expect(await comparePhaseEquilibria(await loadEntries(`${DATA}${name}.json.gz`))).toEqual([]);
  });
  it("mp2020-C-Cl-K-Li-Mn-Na-O-Y: the facets of an 8-element hull (pymatgen's range map takes too long there)", async () => {
    expect(await comparePhaseEquilibria(await loadEntries(`${DATA}mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz`), false)).toEqual([]);
  });
  it('grand-potential diagrams: Li open over Li-Fe-P-O and Li-P-S-Cl (MP table)', async () => {
    const lfpo = await loadEntries(`${DATA}mp-Li-Fe-P-O.json.gz`);
    const ref = new PhaseDiagram(lfpo).elRefs.get('Li')!.energyPerAtom;
    expect(await comparePhaseEquilibria(lfpo, false, { Li: ref - 2.0 })).toEqual([]);
    expect(await comparePhaseEquilibria((await mpSystem('Li-P-S-Cl')).entries as Entry[], false, { Li: -2.2 })).toEqual([]);
  });
  it('Li-P-S-Cl and Li-Ge-P-S cut out of the MP table', async () => {
    for (const sys of ['Li-P-S-Cl', 'Li-Ge-P-S']) expect(await comparePhaseEquilibria((await mpSystem(sys)).entries as Entry[])).toEqual([]);
  });
});

describe('phase equilibria: facets tile the composition simplex and support the hull', () => {
  it.each(['alexandria-Li-Ti-O', 'mp-Li-Fe-P-O', 'mp2020-C-Cl-K-Li-Mn-Na-O-Y'])('%s', async (name) => {
    const { PhaseEquilibria } = await import('../src/thermo/phase-equilibria.js');
    const pd = new PhaseDiagram(await loadEntries(`${DATA}${name}.json.gz`));
    const pe = new PhaseEquilibria(pd);
    const els = pe.elements;
    const d = els.length;
    const det = (m: number[][]): number => {
      const a = m.map((r) => [...r]);
      let s = 1;
      for (let c = 0; c < d; c++) {
        let p = c;
        for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
        if (a[p]![c] === 0) return 0;
        if (p !== c) [a[p], a[c], s] = [a[c]!, a[p]!, -s];
        s *= a[c]![c]!;
        for (let r = c + 1; r < d; r++) {
          const f = a[r]![c]! / a[c]![c]!;
          for (let k = c; k < d; k++) a[r]![k]! -= f * a[c]![k]!;
        }
      }
      return s;
    };
    let volume = 0;
    let worstGap = 0;
    let worstOn = 0;
    let asymmetric = 0;
    const stable = pd.stableEntries;
    const eForm = new Map(stable.map((p) => [p, pd.formationEnergyPerAtom(p)]));
    pe.facets.forEach((f, i) => {
      volume += Math.abs(det(f.phases.map((p) => els.map((el) => p.composition.atomicFraction(el)))));
      for (const p of stable) {
        const gap = eForm.get(p)! - els.reduce((s, el) => s + f.mu[el]! * p.composition.atomicFraction(el), 0);
        if (f.phases.includes(p)) worstOn = Math.max(worstOn, Math.abs(gap));
        else worstGap = Math.min(worstGap, gap);
      }
      for (const g of pe.neighbours[i]!) if (g >= 0 && !pe.neighbours[g]!.includes(i)) asymmetric++;
    });
    expect(Math.abs(volume - 1)).toBeLessThan(1e-9);
    expect(worstGap).toBeGreaterThan(-1e-9);
    expect(worstOn).toBeLessThan(1e-9);
    expect(asymmetric).toBe(0);
    for (const el of els) {
      const t = pe.transitionChemicalPotentials(el);
      expect(t[0]).toBeCloseTo(0, 12); // the facets at the element itself
      for (let i = 1; i < t.length; i++) expect(t[i]!).toBeLessThan(t[i - 1]! - 1e-8);
    }
    // Regions: every stable phase lies in some facet, and its ranges contain its facets' μ.
    let outside = 0;
    for (const r of pe.stabilityRegions()) {
      expect(r.facets.length).toBeGreaterThan(0);
      for (const f of r.facets)
        for (const el of els) {
          const m = pe.facets[f]!.mu[el]!;
          if (m < r.ranges[el]![0] || m > r.ranges[el]![1]) outside++;
        }
    }
    expect(outside).toBe(0);
  });

  it('errors name the culprit', async () => {
    const { PhaseEquilibria, transitionChemicalPotentials } = await import('../src/thermo/phase-equilibria.js');
    const pd = new PhaseDiagram([{ composition: 'Li2S', eFormPerAtom: -1 }]);
    expect(() => new PhaseEquilibria(pd.systemIndex)).toThrow(/give \{ elements \}/);
    expect(() => new PhaseEquilibria(pd, { elements: ['Li', 'Na'] })).toThrow(/element Na is not an element of the data \(Li-S\)/);
    expect(() => transitionChemicalPotentials(pd, 'O')).toThrow(/element O is not in the system Li-S/);
    expect(() => new PhaseEquilibria(pd).chempotRangeMap(['Li', 'S'])).toThrow(/needs all but one element of Li-S \(1 elements\), got 2/);
    expect(transitionChemicalPotentials(pd, 'Li')).toEqual([0, -1.5]);
    expect(new PhaseEquilibria(pd, { elements: ['Li'] }).facets.length).toBe(1);
  });
});
