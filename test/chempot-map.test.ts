// Chemical-potential maps of a composition open to two elements (μ_Li–μ_O): the regions against
// pymatgen 2022.11's GrandPotentialPhaseDiagram with both chempots, on a grid of points
// (test/fixtures/make-pymatgen-chempot-map.py), on systems cut out of the MP table.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Entry } from '../src/core/index.js';
import { loadEntries } from '../src/io/node.js';
import { ChemicalPotentialMapError, chemicalPotentialMap, chempotRegionAt, PhaseDiagram } from '../src/thermo/index.js';
import { DATA } from './helpers/shared.js';

type Case = { composition: string; system: string; x: string; y: string; points: Array<[number, number, string[]]> };
const cases = JSON.parse(readFileSync(new URL('./fixtures/pymatgen-chempot-map.json', import.meta.url), 'utf8')) as Case[];

let table: Entry[];
const ready = (async () => {
  table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
})();
const diagram = (system: string) => {
  const s = new Set(system.split('-'));
  return new PhaseDiagram(
    table.filter((e) => e.composition.elements.every((el) => s.has(el))),
    { elements: [...s] },
  );
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('chemicalPotentialMap', () => {
  for (const c of cases) {
    it(`${c.composition} open to ${c.x} and ${c.y}: the region at every grid point has pymatgen's products`, async () => {
      await ready;
      const pd = diagram(c.system);
      const map = chemicalPotentialMap(pd, c.composition, { x: c.x, y: c.y, xRange: [-6, 0], yRange: [-7, 0] });
      let compared = 0;
      for (const [mx, my, want] of c.points) {
        const r = chempotRegionAt(map, mx, my);
        if (!r) {
          // Off the map only where the reservoirs themselves are unstable (a phase of x and y forms).
          expect(map.feasibleBy.length, `${mx}, ${my}`).toBeGreaterThan(0);
          continue;
        }
        expect([...r.products], `${c.composition} at μ_${c.x} = ${mx}, μ_${c.y} = ${my}`).toEqual(want);
        compared++;
      }
      expect(compared).toBeGreaterThan(c.points.length / 3);
      // The regions tile the feasible part of the box: their areas add up, none overlap.
      const area = (p: ReadonlyArray<readonly [number, number]>) => Math.abs(p.reduce((s, q, i) => s + q[0] * p[(i + 1) % p.length]![1] - p[(i + 1) % p.length]![0] * q[1], 0)) / 2;
      expect(new Set(map.regions.map((r) => r.products.join('+'))).size).toBe(map.regions.length);
      for (const r of map.regions) expect(area(r.polygon)).toBeGreaterThan(0);
    });
  }

  it('a stable phase has a region of its own; the reaction with the reservoirs balances', async () => {
    await ready;
    const map = chemicalPotentialMap(diagram('Co-Li-O'), 'LiCoO2', { x: 'Li', y: 'O' });
    const own = map.regions.find((r) => r.products.length === 1 && r.products[0] === 'LiCoO2')!;
    expect(own).toBeDefined();
    expect(own.uptake.x).toBeCloseTo(0, 12);
    expect(own.uptake.y).toBeCloseTo(0, 12);
    for (const r of map.regions) {
      // Atoms of Co conserved: Σ amounts × Co fraction = 1 per formula unit.
      const co = r.phases.reduce((s, p, i) => s + r.amounts[i]! * p.composition.atomicFraction('Co'), 0);
      expect(co).toBeCloseTo(1, 9);
    }
    expect(map.feasibleBy).toContain('Li2O');
  });

  it('names what it cannot map', async () => {
    await ready;
    const pd = diagram('Co-Li-O');
    expect(() => chemicalPotentialMap(pd, 'Li2O', { x: 'Li', y: 'O' })).toThrow(ChemicalPotentialMapError);
    expect(() => chemicalPotentialMap(pd, 'Li2O', { x: 'Li', y: 'O' })).toThrow(/made only of the open elements Li and O/);
    expect(() => chemicalPotentialMap(pd, 'LiCoO2', { x: 'Li', y: 'Li' })).toThrow(/both Li/);
    expect(() => chemicalPotentialMap(pd, 'LiCoO2', { x: 'Na', y: 'O' })).toThrow(/open element Na is not an element of the data/);
  });
});

describe('interphase chempot', () => {
  it('prints the regions, --json and an SVG map', async () => {
    const t = await cli('chempot', 'LLZO', '--x', 'Li', '--y', 'O');
    expect(t.code).toBe(0);
    // LLZO lies 7 meV/atom above the MP hull: no region of its own; Li2O leaves to the reservoirs.
    expect(t.out).toMatch(/^La2O3 \+ Li6Zr2O7 /m);
    expect(t.out).toMatch(/the map ends where Li2O2, Li2O would form/);
    const j = JSON.parse((await cli('chempot', 'LiCoO2', '--json')).out);
    expect(j.x).toBe('Li');
    expect(j.y).toBe('O');
    expect(j.regions.some((r: { products: string[] }) => r.products.join() === 'LiCoO2')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'interphase-chempot-'));
    const svg = join(dir, 'map.svg');
    expect((await cli('chempot', 'LiCoO2', '--plot', svg)).code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg /);
    expect((text.match(/<polygon /g) ?? []).length).toBe(j.regions.length);
    expect(text).toContain('data-products="LiCoO2"');
    expect((await cli('chempot', 'LiCoO2', '--x', 'Li', '--y', 'Li')).code).toBe(1);
  });
});
