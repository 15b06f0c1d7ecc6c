import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/args.js';
import { reactCommand } from '../src/cli/react.js';
import { DATA, readReference } from './helpers/shared.js';

const TABLE = `${DATA}mp-legacy-formation-energies.csv.gz`;
const LCO = `${DATA}alexandria-Li-Co-O.json.gz`;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await reactCommand(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

async function failure(args: string[]): Promise<Error> {
  try {
    await run(args);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`react ${args.join(' ')} did not fail`);
}

type RefInterface = { c1: string; c2: string; open: null | [string, number]; kinks: Array<{ x: number; energy_per_atom: number; reaction: string }>; minimum: { x: number; energy_per_atom: number } };

/** Reactant side exactly, product terms as a multiset (pymatgen orders them by Qhull's facet vertices). */
const canonical = (s: string) => {
  const [l, r] = s.split(' -> ');
  return `${l} -> ${r!.split(' + ').sort().join(' + ')}`;
};

function expectSameInterface(got: any, want: RefInterface) {
  expect(Object.keys(got)).toEqual(['c1', 'c2', 'open', 'use_hull_energy', 'include_no_mixing_energy', 'convention', 'kinks', 'minimum']);
  expect(got.c1).toBe(want.c1);
  expect(got.c2).toBe(want.c2);
  expect(got.open).toEqual(want.open);
  expect(got.kinks.length).toBe(want.kinks.length);
  got.kinks.forEach((k: any, i: number) => {
    const w = want.kinks[i]!;
    expect(Object.keys(k).slice(0, 4)).toEqual(['x', 'energy_per_atom', 'reaction', 'products']);
    expect(Math.abs(k.x - w.x)).toBeLessThan(1e-6);
    expect(Math.abs(k.energy_per_atom - w.energy_per_atom)).toBeLessThan(1e-6);
    expect(canonical(k.reaction)).toBe(canonical(w.reaction));
    // products: the phases formed, sorted reduced formulas (the open element released is not one).
    const right = w.reaction
      .split(' -> ')[1]!
      .split(' + ')
      .map((t) => t.split(' ').pop()!);
    expect(k.products).toEqual(right.filter((f) => !want.open || f !== want.open[0]).sort());
  });
  expect(Math.abs(got.minimum.energy_per_atom - want.minimum.energy_per_atom)).toBeLessThan(1e-6);
}

describe('interphase react', () => {
  it('--json reproduces every pymatgen interface of a dataset (use_hull_energy=False)', async () => {
    const ref = readReference<{ interfaces: RefInterface[] }>('alexandria-Li-Co-O.json');
    expect(ref.interfaces.length).toBe(3);
    for (const c of ref.interfaces) {
      // The references count each reactant's own reaction with the reservoir (include_no_mixing_energy=True).
      const args = [c.c1, c.c2, '--data', LCO, '--json', ...(c.open ? ['--open', c.open[0], '--voltage', String(c.open[1]), '--include-no-mixing-energy'] : [])];
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(out.endsWith('\n')).toBe(true);
      const got = JSON.parse(out);
      expect(got.use_hull_energy).toBe(false);
      expectSameInterface(got, c);
    }
  });

  it('cuts the chemical system of A + B out of the 85k-row MP table (--use-hull-energy, closed and at 4 V)', async () => {
    const cases = readReference<Array<{ system: string; interfaces: RefInterface[] }>>('mp-legacy-ssb-cases.json').find((s) => s.system === 'Li-Co-O-P-S')!.interfaces;
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const args = [c.c1, c.c2, '--data', TABLE, '--use-hull-energy', '--json', ...(c.open ? ['--open', c.open[0], '--voltage', String(c.open[1]), '--include-no-mixing-energy'] : [])];
      const got = JSON.parse((await run(args)).out);
      expect(got.use_hull_energy).toBe(true);
      expectSameInterface(got, c);
    }
    const lco = JSON.parse((await run(['LiCoO2', 'Li3PS4', '--data', TABLE, '--use-hull-energy', '--json'])).out);
    expect(Math.round(lco.minimum.energy_per_atom * 1000)).toBe(-402);
    const half = JSON.parse((await run(['Li0.5CoO2', 'Li3PS4', '--data', TABLE, '--use-hull-energy', '--json'])).out);
    expect(Math.round(half.minimum.energy_per_atom * 1000)).toBe(-565);
  });

  it('prints a table with the minimum', async () => {
    const { code, out } = await run(['LiCoO2', 'Li3PS4', '--data', TABLE]);
    expect(code).toBe(0);
    expect(out).toContain('LiCoO2 | Li3PS4: x·LiCoO2 + (1−x)·Li3PS4 over Co-Li-O-P-S (235 entries of');
    expect(out).toMatch(/^\s+x\s+E \(eV\/atom\)\s+reaction$/m);
    expect(out).toContain('minimum -0.4023 eV/atom at x = 0.5217: 0.6857 LiCoO2 + 0.3143 Li3PS4 -> ');
    const open = (await run(['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', '4'])).out;
    expect(open).toContain('open to Li at 4 V');
    expect(open).toContain('E (eV per non-Li atom)');
    const mu = (await run(['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--mu', '-4', '--json'])).out;
    expect(JSON.parse(mu).kinks).toEqual(JSON.parse((await run(['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', '4', '--json'])).out).kinks);
  });

  it('takes fractional formulas, a/b included', async () => {
    const a = JSON.parse((await run(['LiNi1/3Mn1/3Co1/3O2', 'Li3PS4', '--data', TABLE, '--json'])).out);
    const b = JSON.parse((await run(['LiNi0.3333333333333333Mn0.3333333333333333Co0.3333333333333333O2', 'Li3PS4', '--data', TABLE, '--json'])).out);
    expect(a.c1).toBe('LiNi1/3Mn1/3Co1/3O2');
    expect(a.minimum.energy_per_atom).toBeCloseTo(b.minimum.energy_per_atom, 12);
  });

  it('--map: the minimum over 0–5 V with exact breakpoints', async () => {
    const got = JSON.parse((await run(['LiCoO2', 'Li3PS4', '--data', TABLE, '--map', '--use-hull-energy', '--include-no-mixing-energy', '--json'])).out);
    expect(Object.keys(got)).toEqual(['c1', 'c2', 'open', 'use_hull_energy', 'include_no_mixing_energy', 'convention', 'from', 'to', 'breakpoints', 'pieces']);
    expect(got.include_no_mixing_energy).toBe(true);
    expect(got.open).toBe('Li');
    expect(got.pieces[0].from).toBe(0);
    expect(got.pieces.at(-1).to).toBe(5);
    expect(got.breakpoints).toEqual(got.pieces.slice(1).map((p: any) => p.from));
    const at4 = got.pieces.find((p: any) => p.from <= 4 && 4 <= p.to);
    expect(at4.energy_from + ((at4.energy_to - at4.energy_from) * (4 - at4.from)) / (at4.to - at4.from)).toBeCloseTo(-1.2058780279943517, 9);
    const text = (await run(['LiCoO2', 'Li3PS4', '--data', TABLE, '--map', '--from', '1', '--to', '2'])).out;
    expect(text).toContain('open to Li: minimum reaction energy vs voltage');
    expect(text).toMatch(/^1\.000–/m);
  });

  it('open: the interface alone by default, the total with --include-no-mixing-energy, each named (issue 15, defect 4)', async () => {
    // pymatgen 2022.11, GrandPotentialInterfacialReactivity(LiCoO2, Li3PS4, Li at 4 V) on Li-Co-O-P-S
    // cut out of the MP table: include_no_mixing_energy=False → (0.70833, −0.7310530913720354),
    // True → (0.44615, −1.2058780279943517), with use_hull_energy either way.
    const base = ['LiCoO2', 'Li3PS4', '--data', TABLE, '--open', 'Li', '--voltage', '4', '--json'];
    const dflt = JSON.parse((await run(base)).out);
    expect(dflt.include_no_mixing_energy).toBe(false);
    expect(dflt.minimum.energy_per_atom).toBeCloseTo(-0.7310530913720354, 9);
    expect(dflt.convention.open).toMatch(/^interface only \(include_no_mixing_energy=false\)/);
    expect(dflt.convention.energy).toBe('eV per non-Li atom of mixture');
    const total = JSON.parse((await run([...base, '--include-no-mixing-energy'])).out);
    expect(total.minimum.energy_per_atom).toBeCloseTo(-1.2058780279943517, 9);
    expect(total.convention.open).toMatch(/^total \(include_no_mixing_energy=true\)/);
    const text = (await run(base.slice(0, -1))).out;
    expect(text).toContain('energies in eV per non-Li atom of mixture');
    expect(text).toContain('open system: interface only (include_no_mixing_energy=false)');
    // The map from 0 to 0.61 V: the total's minimum is Li3PS4 reduced alone at x = 0 (−2.28 eV at 0 V);
    // the interface alone adds nothing at 0 V (both fully reduced) and reacts from 0.32 V on.
    const mapArgs = ['LiCoO2', 'Li3PS4', '--data', TABLE, '--map', '--to', '0.61', '--json'];
    const mTotal = JSON.parse((await run([...mapArgs, '--include-no-mixing-energy'])).out);
    expect(mTotal.pieces[0].x).toBe(0);
    expect(mTotal.pieces[0].energy_from).toBeLessThan(-1);
    const mInt = JSON.parse((await run(mapArgs)).out);
    expect(Math.abs(mInt.pieces[0].energy_from)).toBeLessThan(1e-9);
    expect(mInt.pieces.at(-1).energy_to).toBeLessThan(0);
    expect(mInt.pieces.at(-1).x).toBeGreaterThan(0);
    const closed = JSON.parse((await run(['LiCoO2', 'Li3PS4', '--data', TABLE, '--json'])).out);
    expect(closed.include_no_mixing_energy).toBeNull();
    expect(closed.convention).toEqual({ energy: 'eV per atom of mixture', reactants: expect.stringMatching(/use_hull_energy=false/) });
  });

  it('refuses bad command lines with a UsageError (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /react takes two reactants A B, got 0/],
      [['LiCoO2', '--data', LCO], /two reactants A B, got 1 \(LiCoO2\)/],
      [['LiCoO2', 'Li2O', '--data'], /--data needs a value/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--voltage', '3'], /--voltage needs --open EL/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li'], /--open Li needs --voltage V or --mu MU/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', 'three'], /--voltage needs a number from -100 to 100 \(volts vs the metal\), got "three"/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', '3', '--mu', '-3'], /--voltage or --mu, not both/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--frobnicate'], /unknown option --frobnicate for 'react'/],
      [['LiCoO2', 'Li2O', '--data', LCO, '-j'], /unknown option -j for 'react'/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--from', '1'], /--from\/--to need --map/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--map', '--voltage', '1'], /--map covers a voltage range/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--json=yes'], /--json takes no value/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--include-no-mixing-energy'], /--include-no-mixing-energy needs --open EL/],
    ];
    for (const [args, re] of cases) {
      const e = await failure(args);
      expect(e, args.join(' ')).toBeInstanceOf(UsageError);
      expect(e.message, args.join(' ')).toMatch(re);
    }
  });

  it('names the culprit for bad input (exit 1)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['LiCoO2', 'Li3PS4', '--data', LCO], /reactant B Li3PS4: P, S appear in no entry of .*alexandria-Li-Co-O\.json\.gz/],
      [['LiCoO2', 'LiCoO2', '--data', LCO], /the reactants LiCoO2 and LiCoO2 have the same composition \(LiCoO2\)/],
      [['LiCoO2', 'Li2Co2O4', '--data', LCO], /have the same composition/],
      [['LiCo0O2', 'Li2O', '--data', LCO], /reactant A "LiCo0O2": zero amount '0' for 'Co'/],
      [['LiCoO2', 'Li2O0.0', '--data', LCO], /reactant B "Li2O0.0": zero amount/],
      [['LiCoO2', 'Li2O', '--data', `${DATA}no-such-file.csv`], /cannot read .*no-such-file\.csv: no such file/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--open', 'Na', '--voltage', '1'], /open element Na appears in no entry of/],
      [['LiCoO2', 'Li', '--data', LCO, '--open', 'Li', '--voltage', '1'], /reactant B Li is the open element itself/],
      [['LiCoO2', 'Li2O', '--data', LCO, '--open', 'O', '--voltage', '1'], /no ion valence known for O/],
    ];
    for (const [args, re] of cases) {
      const e = await failure(args);
      expect(e, args.join(' ')).not.toBeInstanceOf(UsageError);
      expect(e.message, args.join(' ')).toMatch(re);
    }
  });
});
