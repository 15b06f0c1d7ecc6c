// Fractions a/b in formulas (issue 15, defect 3): one parser everywhere. `window` rejected
// `LiNi1/3Mn1/3Co1/3O2` while `react` accepted it; now Composition.parse reads it and every
// command, screen and library function parses formulas with it.
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { Composition, FormulaError } from '../src/core/composition.js';
import { parseReactant } from '../src/interface/reactants.js';

function fails(fn: () => unknown, ...fragments: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FormulaError);
  for (const f of fragments) expect((err as Error).message).toContain(f);
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('Composition.parse reads a/b amounts', () => {
  it('as a / b in double precision, after elements and groups, with or without spaces', () => {
    const nmc = Composition.parse('LiNi1/3Mn1/3Co1/3O2');
    expect(nmc.toDict()).toEqual({ Li: 1, Ni: 1 / 3, Mn: 1 / 3, Co: 1 / 3, O: 2 });
    expect(Composition.parse('Li1/3La5/9TiO3').toDict()).toEqual({ Li: 1 / 3, La: 5 / 9, Ti: 1, O: 3 });
    expect(Composition.parse('Li 1 / 2 CoO2').toDict()).toEqual({ Li: 0.5, Co: 1, O: 2 });
    expect(Composition.parse('(LiO)1/2').toDict()).toEqual({ Li: 0.5, O: 0.5 });
    expect(Composition.parse('Li0.5/2O').toDict()).toEqual({ Li: 0.25, O: 1 });
    // The same composition as its decimal spelling to the last digit that matters.
    expect(nmc.key).toBe(Composition.parse('Li3NiMnCoO6').key);
  });

  it('names a fraction without denominator, a zero denominator and a stray slash', () => {
    fails(() => Composition.parse('LiNi1/Mn'), "fraction '1/' for 'Ni' at index 4 lacks a denominator");
    fails(() => Composition.parse('Li1/0O'), "division by zero in the amount '1/0' for 'Li' at index 2");
    fails(() => Composition.parse('Li/3O'), "unexpected character '/' at index 2");
    fails(() => Composition.parse('Li1/3/2O'), "unexpected character '/' at index 5");
  });

  it('is the parser of reactants (the same composition object for the same text)', () => {
    expect(parseReactant('LiNi1/3Mn1/3Co1/3O2').toDict()).toEqual(Composition.parse('LiNi1/3Mn1/3Co1/3O2').toDict());
    expect(() => parseReactant('Li1/0O', 'reactant A')).toThrow(/reactant A "Li1\/0O": division by zero in the amount '1\/0'/);
  });
});

describe('every command takes the same formulas', () => {
  it('window "LiNi1/3Mn1/3Co1/3O2" gives the window of LiNi0.333…Mn0.333…Co0.333…O2', async () => {
    const slash = await cli('window', 'LiNi1/3Mn1/3Co1/3O2', '--json');
    expect(slash.err).not.toContain('unexpected character');
    expect(slash.code).toBe(0);
    const dec = await cli('window', 'Li3NiMnCoO6', '--json');
    const a = JSON.parse(slash.out);
    const b = JSON.parse(dec.out);
    expect(a.window.reduction_V).toBeCloseTo(b.window.reduction_V, 12);
    expect(a.window.oxidation_V).toBeCloseTo(b.window.oxidation_V, 12);
  });

  it('screen windows and react read it too', async () => {
    const s = await cli('screen', 'windows', 'Li1/3La5/9TiO3', '--json');
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out).rows[0].name).toBe('Li1/3La5/9TiO3');
    const r = await cli('react', 'LiNi1/3Mn1/3Co1/3O2', 'Li3PS4', '--json');
    expect(r.code).toBe(0);
  });
});
