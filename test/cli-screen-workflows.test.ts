import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../src/cli/args.js';
import { screenCommand } from '../src/cli/screen-workflows.js';
import { windowCommand } from '../src/cli/window.js';
import { reactCommand } from '../src/cli/react.js';
import { demo } from '../src/cli/demo.js';

/** Runs a command the way `main` does: 0 ok, 2 usage error, 1 bad input. */
async function run(fn: (args: readonly string[], io: CliIO) => Promise<number>, args: string[], isTTY = false) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY };
  let code: number;
  try {
    code = await fn(args, io);
  } catch (e) {
    code = e instanceof UsageError ? 2 : 1;
    err += `interphase: ${(e as Error).message}\n`;
  }
  return { code, out, err };
}
const screen = (...args: string[]) => run(screenCommand, args);
const tmp = mkdtempSync(join(tmpdir(), 'interphase-screen-'));

describe('interphase screen windows|interfaces|coatings|anode', () => {
  it('windows: table by default, on the embedded data (said on stderr)', async () => {
    const r = await screen('windows');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/no --data given: using the embedded data \(mp-legacy-32/);
    expect(r.out).toMatch(/Li3PS4\s+Li\s+1\.721 – 2\.361/);
    expect(r.out).toMatch(/Na3PS4\s+Na/);
  });

  it('windows --json schema', async () => {
    const r = await screen('windows', 'Li3PS4', 'Li3PO4', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.workflow).toBe('windows');
    expect(j.data).toBe('mp-legacy-32');
    expect(j.rows).toHaveLength(2);
    expect(Object.keys(j.rows[0]).sort()).toEqual([
      'charge_balanced',
      'e_above_hull',
      'formula',
      'in_data',
      'name',
      'open_element',
      'oxidation_V',
      'oxidation_products',
      'oxidation_reaction',
      'phase_equilibrium',
      'products_at_0V',
      'reaction_at_0V',
      'reduction_V',
      'reduction_products',
      'reduction_reaction',
      'stable',
      'warnings',
    ]);
    expect(j.rows[1].reduction_V).toBeCloseTo(0.689, 3);
    expect(j.rows[0].e_above_hull).toBe(0);
  });

  it('windows --csv --out FILE, and --plot (ranking; staircase of one)', async () => {
    const out = join(tmp, 'w.csv');
    const svg = join(tmp, 'w.svg');
    const r = await screen('windows', 'Li3PS4', 'LiF', '--csv', '--out', out, '--plot', svg);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('name,formula,open_element,reduction_V,oxidation_V,e_above_hull,phase_equilibrium,reduction_products,oxidation_products');
    expect(lines).toHaveLength(3);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*LiF[\s\S]*<\/svg>\s*$/);
    const one = join(tmp, 'one.svg');
    expect((await screen('windows', 'Li3PS4', '--plot', one)).code).toBe(0);
    expect(readFileSync(one, 'utf8')).toMatch(/<svg/);
  });

  it('interfaces: json rows per pair, custom electrodes', async () => {
    const r = await screen('interfaces', '--electrolytes', 'Li3PS4,LiPON', '--electrodes', 'Li,LiCoO2@4.3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rows).toHaveLength(4);
    const lco = j.rows.find((x: any) => x.electrolyte === 'Li3PS4' && x.electrode === 'LiCoO2');
    expect(lco.voltage).toBe(4.3);
    expect(lco.chemical.energy).toBeCloseTo(-0.40228, 4);
    expect(Object.keys(lco).sort()).toEqual([
      'at_voltage',
      'at_voltage_total',
      'chemical',
      'electrode',
      'electrode_formula',
      'electrolyte',
      'electrolyte_formula',
      'min_energy',
      'open_minimum_alone',
      'voltage',
    ]);
    const t = await screen('interfaces', '--electrolytes', 'Li3PS4', '--electrodes', 'Li,LiCoO2', '--plot', join(tmp, 'i.svg'));
    expect(t.out).toMatch(/Li3PS4\s+LiCoO2\s+3\.90\s+-0\.4023/);
  });

  it('anode and coatings tables', async () => {
    const a = await screen('anode', 'Li3PS4', 'Li10GeP2S12', 'Na3PS4');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/Li3PS4\s+Li\s+.*Li2S \(ins\*\) \+ Li3P \(ins\*\).*passivating/);
    expect(a.out).toMatch(/Na3PS4\s+Na\s+.*Na3P \(cond\*\).*mixed-conducting/);
    const c = await screen('coatings', 'LiNbO3', 'Li3PO4', 'Li2S', '--json');
    expect(c.code).toBe(0);
    const j = JSON.parse(c.out);
    expect(j.thresholds.band_gaps_available).toBe(false);
    expect(j.rows.map((x: any) => x.formula).indexOf('Li2S')).toBe(2);
    const t = await screen('coatings', 'LiNbO3', 'Li2S', '--range', '3,4.2', '--max-reaction', '0.2');
    expect(t.out).toMatch(/band gap: not available/);
    expect(t.out).toMatch(/window covers 3–4\.2 V/);
  });

  it('bad input: exit 1 with the culprit named; bad usage: exit 2', async () => {
    let r = await screen('windows', 'Li3Qq4');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown formula "Li3Qq4"/);
    r = await screen('interfaces', '--electrodes', 'Unobtainium');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown electrode "Unobtainium"/);
    r = await screen('windows', '--data', join(tmp, 'missing.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read .*missing\.csv: no such file/);
    expect((await screen('bogus')).code).toBe(2);
    expect((await screen()).code).toBe(2);
    expect((await screen('windows', '--json', '--csv')).code).toBe(2);
    expect((await screen('windows', '--frobnicate')).code).toBe(2);
    expect((await screen('coatings', '--range', '4,2')).code).toBe(2);
    expect((await screen('interfaces', '--voltage', 'x')).code).toBe(2);
    expect((await screen('windows', '--plot', 'x.png')).code).toBe(2);
  });

  it('coatings and interfaces: the same JSON on worker threads as in this thread; --criteria xiao2019; --closed-only', async () => {
    const args = ['coatings', 'LiNbO3', 'Li3PO4', 'LiPO3', 'Li2S', '--criteria', 'xiao2019', '--json'];
    const here = await screen(...args, '--workers', '0');
    const pool = await screen(...args, '--workers', '2');
    expect(here.code).toBe(0);
    expect(pool.out).toBe(here.out);
    const j = JSON.parse(here.out);
    expect(j.thresholds).toMatchObject({ criteria: 'xiao2019', open_reactions: false, cathode_range_V: [2.7, 4], min_band_gap: 0.5 });
    expect(j.rows[0].cathode_at_voltage).toBeNull();
    const closed = JSON.parse((await screen('coatings', 'LiNbO3', '--closed-only', '--json', '--workers', '0')).out);
    expect(closed.thresholds).toMatchObject({ criteria: 'default', open_reactions: false, cathode_range_V: [2.5, 4.3] });
    const ia = await screen('interfaces', '--electrolytes', 'Li3PS4,LLZO', '--json');
    const ib = await screen('interfaces', '--electrolytes', 'Li3PS4,LLZO', '--json', '--workers', '2');
    expect(ib.out).toBe(ia.out);
    expect((await screen('coatings', '--criteria', 'bogus')).code).toBe(2);
    expect((await screen('coatings', '--workers', '1.5')).code).toBe(2);
    expect((await screen('interfaces', '--workers', '-1')).code).toBe(2);
  });

  it('progress on a TTY goes to stderr, never to stdout', async () => {
    const r = await run(screenCommand, ['coatings', 'LiNbO3', 'Li3PO4'], true);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/coatings .*candidates/);
    expect(r.out).not.toMatch(/\r/);
  });
});

describe('window and react without --data use the embedded data', () => {
  it('window Li3PS4', async () => {
    const r = await run(windowCommand, ['Li3PS4', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/embedded data/);
    expect(JSON.parse(r.out).window.reduction_V).toBeCloseTo(1.7207, 4);
  });
  it('react LiCoO2 Li3PS4', async () => {
    const r = await run(reactCommand, ['LiCoO2', 'Li3PS4', '--use-hull-energy', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/embedded data/);
    expect(JSON.parse(r.out).minimum.energy_per_atom).toBeCloseTo(-0.4022831017255434, 9);
  });
});

describe('demo', () => {
  it('prints the windows and the reactivity with Li and LiCoO2 in seconds', async () => {
    const t0 = performance.now();
    const r = await run((_a, io) => demo(io), []);
    expect(r.code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.out).toMatch(/Li3PS4\s+1\.72 – 2\.36/);
    expect(r.out).toMatch(/E \| Li/);
    expect(r.out).toMatch(/LiCoO2/);
  });
});
