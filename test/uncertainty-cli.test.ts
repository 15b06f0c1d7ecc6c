// `--uncertainty` on the command line and in the page's worker service: the documented JSON keys,
// σ = 0 giving the deterministic answer, plots with bands, and bad flags named.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { WebService } from '../src/web/index.js';
import { DATA } from './helpers/shared.js';

const LPS = `${DATA}alexandria-Li-P-S.json.gz`;
const MP2020 = `${DATA}mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz`;
const dir = mkdtempSync(join(tmpdir(), 'interphase-u-'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const DIST = ['mean', 'mean_se', 'std', 'q05', 'q50', 'q95', 'q05_se', 'q50_se', 'q95_se'];
const SAMPLING = ['samples', 'seed', 'sigma', 'precision', 'corrections', 'shared_errors'];

describe('hull --uncertainty', () => {
  it('adds P(stable), E_hull bands and decompositions per entry; the MP2020 corrections are shared errors', async () => {
    const r = await run(['hull', MP2020, '--uncertainty', '--samples', '200', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['elements', 'uncertainty', 'entries']);
    expect(Object.keys(j.uncertainty)).toEqual(SAMPLING);
    expect(j.uncertainty.shared_errors).toContain('MP2020 anion correction (oxide)');
    const e = j.entries[0];
    expect(Object.keys(e.uncertainty)).toEqual(['p_stable', 'p_stable_se', 'e_above_hull', 'decompositions']);
    expect(Object.keys(e.uncertainty.e_above_hull)).toEqual(DIST);
    expect(Object.keys(e.uncertainty.decompositions[0])).toEqual(['phases', 'p', 'se']);
  }, 30_000);

  it('σ = 0 on data without uncertainties: P(stable) is 0 or 1 as the deterministic verdict', async () => {
    const j = JSON.parse((await run(['hull', LPS, '--uncertainty', '--samples', '5', '--json'])).out);
    for (const e of j.entries) {
      expect(e.uncertainty.p_stable).toBe(e.stable ? 1 : 0);
      expect(Math.abs(e.uncertainty.e_above_hull.q50 - e.e_above_hull)).toBeLessThan(1e-12);
    }
  });

  it('prints a table with P(stable) and draws the hull coloured by it', async () => {
    const svg = join(dir, 'hull.svg');
    const r = await run(['hull', LPS, '--uncertainty', '--sigma', '0.01', '--samples', '200', '--plot', svg]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/P\(stable\)\s+E_hull 50 % \[5–95 %\]/);
    expect(r.out).toMatch(/uncertainty: 200 samples, seed 1, σ = 0.01 eV\/atom per entry/);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('data-p-stable=');
    expect(text).toContain('P(stable)');
  });
});

describe('window and react --uncertainty', () => {
  it('window: limits with linear error bars, products beyond, P(covers), staircase band, plot', async () => {
    const svg = join(dir, 'w.svg');
    const r = await run(['window', 'Li3PS4', '--data', LPS, '--uncertainty', '--sigma', '0.01', '--samples', '300', '--cover', '1.9,2.2', '--json', '--plot', svg]);
    expect(r.code).toBe(0);
    const u = JSON.parse(r.out).uncertainty;
    expect(Object.keys(u)).toEqual([...SAMPLING, 'reduction_V', 'oxidation_V', 'covers', 'staircase']);
    expect(Object.keys(u.reduction_V)).toEqual([...DIST, 'linear_sigma', 'beyond']);
    expect(u.reduction_V.linear_sigma).toBeGreaterThan(0);
    expect(u.covers.range).toEqual([1.9, 2.2]);
    expect(u.staircase.voltage.length).toBe(u.staircase.q50.length);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('class="band"');
    expect(text).toContain('class="limit-band"');
  });

  it('react: minimum, x, products and the curve band; σ = 0 is the deterministic minimum', async () => {
    const svg = join(dir, 'r.svg');
    const r = await run(['react', 'Li3PS4', 'Li', '--data', LPS, '--uncertainty', '--samples', '3', '--json', '--plot', svg]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.uncertainty)).toEqual([...SAMPLING, 'minimum', 'x', 'products', 'curve']);
    // The minimum from the system's facets, the samples' from the LP kernel: equal to round-off.
    expect(j.uncertainty.minimum.q50).toBeCloseTo(j.minimum.energy_per_atom, 12);
    expect(j.uncertainty.minimum.std).toBeLessThan(1e-12);
    expect(readFileSync(svg, 'utf8')).toContain('class="band"');
  });
});

describe('screens --uncertainty', () => {
  it('screen stability: P(stable) columns, the uncertainty column of the candidates used', async () => {
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'formula,e_form_per_atom,e_form_per_atom_std\nLi3PS4,-1.2657,0.02\nLi4P2S7,-1.0,0.0\n');
    const r = await run(['screen', 'stability', csv, '--data', LPS, '--workers', '0', '--uncertainty', '--samples', '300', '--csv']);
    expect(r.code).toBe(0);
    const [header, a, b] = r.out.trim().split('\n');
    expect(header).toBe('id,formula,e_form_per_atom,e_above_hull,decomposition,p_stable,p_stable_se,e_above_hull_std,e_above_hull_q05,e_above_hull_q50,e_above_hull_q95,samples');
    const p = (line: string) => Number(line.split(',')[5]);
    expect(p(a!)).toBeGreaterThan(0);
    expect(p(a!)).toBeLessThan(1);
    expect([0, 1]).toContain(p(b!)); // no error of its own, none in the reference: a certain verdict
  });

  it('screen coatings: P(pass all) per row', async () => {
    const r = await run(['screen', 'coatings', 'LiNbO3', 'Li3PO4', '--workers', '0', '--uncertainty', '--sigma', '0.02', '--samples', '250', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out).rows;
    for (const row of rows) {
      expect(row.p_pass).toBeGreaterThanOrEqual(0);
      expect(row.p_pass).toBeLessThanOrEqual(1);
      expect(row.pass_samples).toBe(250);
    }
  }, 60_000);
});

describe('bad flags name the culprit', () => {
  it.each([
    [['hull', LPS, '--uncertainty', '--sigma', '-0.1'], /--sigma needs a number >= 0, got "-0.1"/],
    [['hull', LPS, '--uncertainty', '--sigma', 'nan'], /--sigma needs a number >= 0, got "nan"/],
    [['hull', LPS, '--uncertainty', '--samples', '0'], /--samples needs a number >= 1, got "0"/],
    [['hull', LPS, '--uncertainty', '--samples', '2.5'], /--samples needs a whole number >= 1, got 2.5/],
    [['hull', LPS, '--sigma', '0.01'], /--sigma needs --uncertainty/],
    [['window', 'Li3PS4', '--data', LPS, '--cover', '2,3'], /--cover needs --uncertainty/],
    [['window', 'Li3PS4', '--data', LPS, '--uncertainty', '--cover', '3,2'], /--cover needs LO,HI voltages/],
    [['react', 'Li3PS4', 'Li', '--map', '--uncertainty'], /--uncertainty is for one reaction, not --map/],
  ])('%j', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('an uncertainty column with text: exit 1, file, line and id named', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'formula,e_form_per_atom,uncertainty\nLi2S,-1.5,0.01\nLi3PS4,-1.2,about 0.02\n');
    const r = await run(['hull', csv, '--uncertainty']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${csv} (line 3, id "Li3PS4"): uncertainty is not a number ("about 0.02")`);
  });
});

describe("the page's worker service", () => {
  it('answers hull, window and interface under uncertainty with plots', async () => {
    const s = new WebService(Promise.resolve());
    await s.useDefault();
    const w = s.uncertain('window', ['Li3PS4', 'Li'], { sigma: 0.01, samples: 200 });
    expect(w.kind).toBe('window');
    if (w.kind !== 'window') return;
    expect(w.reduction.distribution.q50).toBeCloseTo(1.72, 1);
    expect(w.svg).toContain('class="band"');
    const i = s.uncertain('interface', ['LiCoO2', 'Li3PS4'], { sigma: 0.01, samples: 100 });
    expect(i.kind === 'interface' && i.minimum.q50 < -0.3).toBe(true);
    const h = s.uncertain('hull', ['Li3PS4'], { sigma: 0.01, samples: 100 });
    expect(h.kind === 'hull' && h.entries.some((e) => e.pStable.p > 0 && e.pStable.p < 1)).toBe(true);
    await s.close();
  }, 60_000);
});
