// The hull along a window's segment two ways: walking the facets the segment crosses
// (segment-walk.ts, the first choice) and the envelope of known facets (the fallback; the LPs
// where it gives up): the same stretches, planes, kinks and breakpoint phases for every Li
// composition of the embedded data. (The steps it gets right where the envelope's kinks are badly
// conditioned: element-profile.test.ts, steps a hair apart.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { DATA } from './helpers/shared.js';
import { defaultEntries } from '../src/io/default-data.js';
import { facetSegmentPoints, phasesIn, facetSegment, systemFacets } from '../src/thermo/system-facets.js';
import { segmentPoints } from '../src/thermo/segment-points.js';
import { SystemIndex } from '../src/thermo/system-hull.js';

describe('segment walk vs envelope', () => {
  it('every Li window segment of the embedded data: same stretches, planes, kinks and phases', async () => {
    const entries = await defaultEntries();
    const index = new SystemIndex(entries);
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const li = entries.filter((e) => e.composition.has('Li') && e.composition.elements.length > 1);
    let compared = 0;
    let kinks = 0;
    let viaLP = 0;
    for (const e of li) {
      const comp = e.composition;
      const els = [...comp.elements].sort();
      const d = els.length;
      // As openProfile: from pure Li (t = 0) to the composition without Li (t = 1).
      const a = Float64Array.from(els, (el) => (el === 'Li' ? 1 : 0));
      const rest = comp.numAtoms - comp.amount('Li');
      const b = Float64Array.from(els, (el) => (el === 'Li' ? 0 : comp.amount(el) / rest));
      const h = systemFacets(index, els);
      if (!h) continue;
      const walked = facetSegment(index, h, a, b, true)!;
      expect(walked).toBeDefined();
      const x = new Float64Array(d);
      const envelope = facetSegment(index, h, a, b, false);
      if (!envelope) {
        // A few the envelope leaves to the LPs (SystemIndex.segment): the walk must agree with them.
        const lp = index.segment(els, a, b);
        expect(lp.points.map((p) => p.t).length).toBe(walked.ts.length);
        lp.points.forEach((p, i) => {
          expect(Math.abs(p.t - walked.ts[i]!)).toBeLessThan(1e-9);
          const t = walked.ts[i]!;
          for (let k = 0; k < d; k++) x[k] = (1 - t) * a[k]! + t * b[k]!;
          expect(
            phasesIn(index.entries, h, walked.at[i]!, x)
              .map((q) => q.entry.id)
              .sort(),
          ).toEqual(p.decomposition.map((q) => q.entry.id).sort());
        });
        viaLP++;
        compared++;
        continue;
      }
      expect(walked.facets.length).toBe(envelope.facets.length);
      for (let j = 0; j < walked.facets.length; j++) {
        for (const p of [a, b]) expect(Math.abs(h.planeAt(walked.facets[j]!, p) - h.planeAt(envelope.facets[j]!, p))).toBeLessThan(1e-11);
      }
      for (let i = 0; i < walked.ts.length; i++) {
        // The walk's kink is where the segment crosses a ridge; the envelope's where two lines
        // meet, a point known to (round-off of the lines) / (their slope difference): the two
        // agree to 1e-13 eV/atom along the lines (to 1.7e-11 in t, at slope differences of 3e-4).
        const dt = Math.abs(walked.ts[i]! - envelope.ts[i]!);
        expect(dt).toBeLessThan(1e-10);
        if (i > 0 && i + 1 < walked.ts.length) {
          const [l, r] = [walked.facets[i - 1]!, walked.facets[i]!];
          expect(dt * (h.planeAt(r, b) - h.planeAt(r, a) - (h.planeAt(l, b) - h.planeAt(l, a)))).toBeLessThan(1e-13);
        } else expect(dt).toBe(0);
        const t = walked.ts[i]!;
        for (let k = 0; k < d; k++) x[k] = (1 - t) * a[k]! + t * b[k]!;
        const ids = (f: number) =>
          phasesIn(index.entries, h, f, x)
            .map((p) => p.entry.id)
            .sort()
            .join(' ');
        expect(ids(walked.at[i]!)).toBe(ids(envelope.at[i]!));
      }
      compared++;
      kinks += walked.ts.length - 2;
    }
    expect(compared).toBe(li.length);
    expect(kinks).toBeGreaterThan(10_000);
    expect(viaLP).toBeLessThan(20);
  });
});

describe('steps a hair apart in mu: the envelope (the fallback) finds the phases the walk finds', () => {
  // Two stretches of nearly one plane: their lines meet ~1e-9 off the ridge between their facets,
  // where a phase of the next facet has a 1e-8 share (element-profile.test.ts has the pymatgen
  // side). The walk's kinks are ridge crossings; the envelope's must be put there too.
  it('every breakpoint of the close-kink cases (test/fixtures/pymatgen-close-kinks.json)', async () => {
    const cases = JSON.parse(readFileSync(new URL('./fixtures/pymatgen-close-kinks.json', import.meta.url), 'utf8')) as Array<{ system: string; composition: string; open_element: string }>;
    const table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
    const systems = new Set(cases.map((c) => c.system));
    const index = new SystemIndex(table.filter((e) => [...systems].some((s) => e.composition.elements.every((el) => s.split('-').includes(el)))));
    for (const _ of index.evaluate({ decompositions: false })) void _;
    let compared = 0;
    for (const c of cases) {
      const comp = Composition.parse(c.composition);
      const els = [...comp.elements].sort();
      const el = c.open_element;
      const a = Float64Array.from(els, (e) => (e === el ? 1 : 0));
      const rest = comp.numAtoms - comp.amount(el);
      const b = Float64Array.from(els, (e) => (e === el ? 0 : comp.amount(e) / rest));
      const h = systemFacets(index, els)!;
      const phases = (seg: { ts: readonly number[]; at: readonly number[] }) =>
        seg.ts.map((t, i) => {
          const x = Float64Array.from(a, (ak, k) => (1 - t) * ak + t * b[k]!);
          return phasesIn(index.entries, h, seg.at[i]!, x)
            .map((p) => p.entry.id)
            .sort()
            .join(' ');
        });
      const walked = facetSegment(index, h, a, b, true)!;
      const envelope = facetSegment(index, h, a, b, false);
      // Where the envelope gives up, its fallback: the LPs.
      const other = envelope
        ? phases(envelope)
        : index.segment(els, a, b).points.map((p) =>
            p.decomposition
              .map((q) => q.entry.id)
              .sort()
              .join(' '),
          );
      expect(other, `${c.composition} open to ${el} (${envelope ? 'envelope' : 'LPs'})`).toEqual(phases(walked));
      compared++;
    }
    expect(compared).toBe(12);
  });

  it("at the point where the stretches' lines meet, a kink's phases are those on both stretches' planes", async () => {
    // What the envelope does (its kinks are where lines meet): Mn3Fe2Sb(PO4)6 open to O has two
    // kinks 1.8e-5 eV apart, and the lines' meeting point lies ~1e-9 off the ridge.
    const table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
    const els = ['Fe', 'Mn', 'O', 'P', 'Sb'];
    const index = new SystemIndex(table.filter((e) => e.composition.elements.every((el) => els.includes(el))));
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const comp = Composition.parse('Mn3Fe2Sb(PO4)6');
    const a = Float64Array.from(els, (e) => (e === 'O' ? 1 : 0));
    const rest = comp.numAtoms - comp.amount('O');
    const b = Float64Array.from(els, (e) => (e === 'O' ? 0 : comp.amount(e) / rest));
    const h = systemFacets(index, els)!;
    const walked = facetSegment(index, h, a, b, true)!;
    const ids = (p: { entry: { id: string } }[]) =>
      p
        .map((q) => q.entry.id)
        .sort()
        .join(' ');
    let without = 0;
    for (let i = 1; i + 1 < walked.ts.length; i++) {
      const [l, r] = [walked.facets[i - 1]!, walked.facets[i]!];
      const cl = h.planeAt(l, a);
      const cr = h.planeAt(r, a);
      const meet = (cl - cr) / (h.planeAt(r, b) - cr - (h.planeAt(l, b) - cl));
      const xw = Float64Array.from(a, (ak, k) => (1 - walked.ts[i]!) * ak + walked.ts[i]! * b[k]!);
      const want = ids(phasesIn(index.entries, h, walked.at[i]!, xw));
      // The meeting point, and 1e-9 either side of it: how far off the ridge it lands depends on
      // the last bits of the planes (it did land 1e-9 off with an earlier vertex order).
      for (const t of [meet, meet - 1e-9, meet + 1e-9]) {
        const x = Float64Array.from(a, (ak, k) => (1 - t) * ak + t * b[k]!);
        const at = h.walk(r, x);
        expect(ids(phasesIn(index.entries, h, at, x, [l, r])), `kink ${i} at t ${t}`).toBe(want);
        if (ids(phasesIn(index.entries, h, at, x)) !== want) without++;
      }
    }
    // Without the planes, a point that close to the kink takes in a phase of one side only.
    expect(without).toBeGreaterThan(0);
  });
});

describe("an interface reaction's segment: facets (first choice) vs LPs (fallback)", () => {
  it('the same breakpoints, energies and phases between 300 pairs of the embedded data', async () => {
    const entries = await defaultEntries();
    const index = new SystemIndex(entries);
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const ids = (p: readonly { entry: { id: string } }[]) =>
      p
        .map((q) => q.entry.id)
        .sort()
        .join(' ');
    // Stable Li compounds of 3+ elements against cathodes and an anode, as a screen pairs them.
    const seen = new Set<string>();
    const solids: Composition[] = [];
    for (let i = 0; i < index.entries.length && solids.length < 100; i++) {
      const c = index.entries[i]!.composition;
      if (index.isStable[i] && c.has('Li') && c.elements.length >= 3 && !seen.has(c.key)) solids.push(c), seen.add(c.key);
    }
    let points = 0;
    let viaFacets = 0;
    for (const other of ['LiCoO2', 'LiFePO4', 'Li3PS4'].map((f) => Composition.parse(f))) {
      for (const c of solids) {
        const els = [...new Set([...c.elements, ...other.elements])].sort();
        const a = Float64Array.from(els, (el) => other.atomicFraction(el));
        const b = Float64Array.from(els, (el) => c.atomicFraction(el));
        const lp = segmentPoints(index, els, a, b);
        const facets = facetSegmentPoints(index, els, a, b);
        if (!facets) continue;
        viaFacets++;
        const what = `${other.formula} → ${c.formula}`;
        expect(facets.length, what).toBe(lp.length);
        facets.forEach((p, i) => {
          expect(Math.abs(p.t - lp[i]!.t), `${what} t`).toBeLessThan(1e-9);
          expect(Math.abs(p.value - lp[i]!.value), `${what} energy`).toBeLessThan(1e-9);
          expect(ids(p.decomposition), `${what} at t ${p.t}`).toBe(ids(lp[i]!.decomposition));
          points++;
        });
      }
    }
    expect(viaFacets).toBe(300);
    expect(points).toBeGreaterThan(1000);
  });
});
