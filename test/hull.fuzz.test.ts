import { describe, expect, it } from 'vitest';
import { Composition } from '../src/core/composition.js';
import { Entry } from '../src/core/entry.js';
import { HullError, MIN_ATOMIC_FRACTION } from '../src/thermo/hull.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { type ExactPoint, exactHullAt, exactStabilities, fractionsOf, fromDouble, type Q, q, sub, toDouble } from './helpers/exact-hull.js';
import { mulberry32 } from './helpers/random.js';

// The hull against an independent exact method (test/helpers/exact-hull.ts: BigInt rationals, a
// simplex with Bland's rule), on seeded random small systems made of what breaks floating-point
// tolerances: polymorphs and scaled duplicates, equal energies, coplanar points and points on
// facets, elemental references away from 0, and huge and tiny amounts. Compositions with an
// element below MIN_ATOMIC_FRACTION must be refused, naming the entry; every other system must
// agree with the exact LP: stability, E_hull / phase-separation energy, decompositions.

interface Case {
  els: string[];
  /** Element amounts per entry (0: absent); energies are formation energies per atom as given. */
  amounts: number[][];
  energies: number[];
}

const SYMBOLS = ['Ti', 'S', 'Li', 'O'];

/** A random system of d elements with degenerate features. */
function randomCase(rnd: () => number, d: number): Case {
  const els = SYMBOLS.slice(0, d);
  const amounts: number[][] = [];
  const energies: number[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // Energies on a coarse grid half of the time (exact ties, coplanar points), else any double.
  const energy = () => (rnd() < 0.5 ? -Math.floor(rnd() * 64) / 32 : -2 * rnd() + (rnd() < 0.1 ? 2.2 : 0));
  const amount = (): number => {
    const r = rnd();
    if (r < 0.55) return 1 + Math.floor(rnd() * 6);
    if (r < 0.67) return pick([1e3, 2e4, 1e5, 1e6, 5e6, 3e7, 5e7 + 1, 1e8, 8e8]);
    if (r < 0.8) return pick([1e-3, 2e-4, 1e-5, 1e-6, 1e-7, 5e-8, 2e-8, 1e-8]);
    return pick([0.5, 0.25, 1.5, 1 / 3, 0.1]);
  };
  for (let k = 0; k < d; k++) {
    amounts.push(els.map((_, j) => (j === k ? 1 : 0)));
    energies.push(rnd() < 0.3 ? -Math.floor(rnd() * 8) / 16 : 0); // references, not always at 0
  }
  const n = 3 + Math.floor(rnd() * 8);
  for (let i = 0; i < n; i++) {
    const a = els.map(() => (rnd() < 0.7 ? amount() : 0));
    if (a.filter((v) => v > 0).length < 2) {
      a[0] = amount();
      a[1 % d] = amount();
    }
    amounts.push(a);
    energies.push(energy());
  }
  const base = amounts.length;
  for (let t = 0; t < 3; t++) {
    const i = d + Math.floor(rnd() * (base - d));
    const kind = rnd();
    if (kind < 0.25) {
      amounts.push(amounts[i]!); // a polymorph, maybe of equal energy
      energies.push(rnd() < 0.5 ? energies[i]! : energies[i]! + pick([0.01, -0.01, 1 / 64]));
    } else if (kind < 0.45) {
      amounts.push(amounts[i]!.map((v) => v * 2)); // the same composition, written twice as large
      energies.push(energies[i]!);
    } else {
      // Between two points, at the exact hull energy of what is there (on a facet, or as near as
      // a double gets).
      const j = Math.floor(rnd() * amounts.length);
      const mid = amounts[i]!.map((v, k) => v + amounts[j]![k]!);
      const h = exactHullAt(toExact(els, amounts, energies), fractionsOf({ amounts: mid.map(fromDouble), e: q(0n) }));
      amounts.push(mid);
      energies.push(toDouble(h!.value));
    }
  }
  return { els, amounts, energies };
}

/** The points exactly, formation energies against each element's lowest elemental point. */
function toExact(els: string[], amounts: number[][], energies: number[]): ExactPoint[] {
  const refs = els.map((_, k) => {
    let best: number | undefined;
    amounts.forEach((a, i) => {
      if (a.every((v, j) => (j === k ? v > 0 : v === 0)) && (best === undefined || energies[i]! < best)) best = energies[i]!;
    });
    return fromDouble(best ?? 0);
  });
  return amounts.map((a, i) => {
    const p = { amounts: a.map(fromDouble), e: fromDouble(energies[i]!) };
    let e: Q = p.e;
    fractionsOf(p).forEach((x, k) => (e = sub(e, q(x.n * refs[k]!.n, x.d * refs[k]!.d))));
    return { amounts: p.amounts, e };
  });
}

function entriesOf(c: Case): Entry[] {
  return c.amounts.map(
    (a, i) =>
      new Entry({
        id: `p${i}`,
        composition: Object.fromEntries(c.els.flatMap((el, k) => (a[k]! > 0 ? [[el, a[k]!]] : []))),
        eFormPerAtom: c.energies[i]!,
      }),
  );
}

/** Disagreements of interphase with the exact LP on a system (every composition resolvable). */
function check(c: Case, entries = entriesOf(c)): string[] {
  // "The same composition" is Composition.key's definition (equal fractions up to float noise):
  // the exact method groups by it too, so that only numbers are compared.
  const exact = exactStabilities(
    toExact(c.els, c.amounts, c.energies),
    entries.map((e) => e.composition.key),
  );
  const pd = new PhaseDiagram(entries);
  // Double-precision round-off grows with the chemical potentials (~1/smallest fraction).
  const fmin = Math.min(...entries.flatMap((e) => e.composition.elements.map((el) => e.composition.atomicFraction(el))));
  const tol = 1e-9 + 1e-15 / fmin;
  const problems: string[] = [];
  pd.analyze().forEach((r, i) => {
    const x = exact[i]!;
    const want = toDouble(x.signed);
    const got = r.stable ? (r.phaseSeparationEnergy ?? 0) : r.eAboveHull;
    const name = `${r.entry.id} ${r.entry.composition.formula}`;
    if (Math.abs(got - want) > tol) problems.push(`${name}: ${r.stable ? 'phase separation' : 'E_hull'} ${got}, exact ${want} (${x.stable ? 'stable' : 'unstable'})`);
    if (r.stable !== x.stable && Math.abs(want) > tol) problems.push(`${name}: stable ${r.stable}, exact ${x.stable} (${want})`);
    // The decomposition: stable phases adding up to the composition at the hull's energy, up to
    // the shares left out (pymatgen's 1e-8, less for compositions with tiny fractions).
    let e = 0;
    const sum = c.els.map(() => 0);
    for (const p of r.decomposition) {
      if (!pd.isStable(p.entry)) problems.push(`${name}: unstable ${p.entry.id} in its decomposition`);
      e += p.fraction * pd.formationEnergyPerAtom(p.entry);
      c.els.forEach((el, k) => (sum[k]! += p.fraction * p.entry.composition.atomicFraction(el)));
    }
    const own = c.els.map((el) => r.entry.composition.atomicFraction(el));
    const dropped = c.els.length * Math.min(1e-8, 1e-3 * Math.min(...own.filter((v) => v > 0)));
    if (sum.some((v, k) => Math.abs(v - own[k]!) > dropped + 1e-9 * own[k]!)) problems.push(`${name}: decomposition adds up to ${sum.join(' ')}`);
    const hull = r.stable ? pd.formationEnergyPerAtom(r.entry) : toDouble(x.hull);
    if (Math.abs(e - hull) > tol + 4 * dropped) problems.push(`${name}: decomposition energy ${e}, exact hull ${hull}`);
  });
  return problems;
}

const unresolvable = (entries: Entry[]) => entries.find((e) => e.composition.elements.some((el) => e.composition.atomicFraction(el) < MIN_ATOMIC_FRACTION));

describe('hull against an exact rational LP (seeded fuzz)', () => {
  it('issue 14 #1: an element below 1e-8 of the atoms (Ti800000000S1) is refused, naming the entry — not a wrong hull', () => {
    const ti = (n: number, e: number, id: string) => new Entry({ id, composition: { Ti: n, S: 1 }, eFormPerAtom: e });
    const refs = [new Entry({ id: 'Ti', composition: 'Ti', eFormPerAtom: 0 }), new Entry({ id: 'S', composition: 'S', eFormPerAtom: 0 })];
    const issue = [ti(800000000, -0.5046314787597213, 'a'), ti(400000000, -0.19004604799281, 'b'), ti(200000000, -1.032589953085972, 'c')];
    expect(() => new PhaseDiagram([...refs, ...issue])).toThrow(HullError);
    expect(() => new PhaseDiagram([...refs, ...issue])).toThrow(/entry "a" \(Ti800000000S1\): S is 1\.25e-9 of its atoms, below 1e-8/);
    const tiny = new Entry({ id: 't', composition: { Ti: 8, S: 1e-8 }, eFormPerAtom: -0.1 });
    expect(() => new PhaseDiagram([...refs, tiny])).toThrow(/entry "t" \(Ti8S1e-08\): S is 1\.25e-9 of its atoms/);
    // Asked of a diagram, too.
    const pd = new PhaseDiagram([...refs, ti(2, -0.5, 'TiS0.5')]);
    expect(() => pd.decomposition('Ti800000000S1')).toThrow(/Ti800000000S1: S is 1\.25e-9 of its atoms/);
    expect(() => pd.eAboveHull(tiny)).toThrow(/S is 1\.25e-9 of its atoms/);
  });

  it('issue 14 #1: S at 1.2e-8 and 1.4e-8 of the atoms are two compositions (they shared a key, so one was not a competitor)', () => {
    const c: Case = {
      els: ['Ti', 'S'],
      amounts: [
        [1, 0],
        [0, 1],
        [1, 12e-9 / (1 - 12e-9)],
        [1, 14e-9 / (1 - 14e-9)],
        [1, 2e-8 / (1 - 2e-8)],
      ],
      energies: [0, 0, -0.9, -0.85, -1.0],
    };
    const entries = entriesOf(c);
    expect(entries[2]!.composition.key).not.toBe(entries[3]!.composition.key);
    expect(check(c)).toEqual([]);
    // Exactly: the Ti–(S at 1.4e-8) line is at -0.7286 at 1.2e-8, so the phase separation is -0.1714, not -0.3.
    expect(new PhaseDiagram(entries).stability(entries[2]!).phaseSeparationEnergy).toBeCloseTo(-0.9 + 0.85 * (12 / 14), 9);
  });

  it('issue 14 #2: tiny amounts (Li1e-05Ti4S5) no longer stall the simplex into "no hull energy found"', () => {
    const c: Case = {
      els: ['Ti', 'S', 'Li'],
      amounts: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [4, 5, 0.00001],
        [0, 100000, 5],
        [6, 1.5, 0],
        [1.5, 0, 4],
        [1.5, 1e-7, 3],
        [6, 5000000, 0],
        [100000000, 0, 3],
        [200000000, 0, 6],
        [1.5, 0, 4],
        [6, 100001.5, 5],
      ],
      energies: [0, 0, 0, -1.25, -0.625, -0.3100038794800639, -0.6702654957771301, -1.5833377372473478, -0.46875, -0.24498078366741538, -0.24498078366741538, -0.6702654957771301, -0.6250843666408425],
    };
    expect(check(c)).toEqual([]);
  });

  it('a system solved by LPs (a point below the scan kernel’s fractions) hands its stable phases to the supersets the kernel solves after it', () => {
    // S-Ti holds Ti2000S (S at 5e-4 of the atoms: below the scan's MIN_FRACTION in
    // assembly/system-scan.ts, above MIN_ATOMIC_FRACTION), unstable, so S-Ti goes to the LP
    // fallback; its stable TiS2 then decides LiTiS2 and Li4TiS4 in Li-S-Ti, which the kernel
    // solves in the same batch from the fallback's answers.
    const c: Case = {
      els: ['Ti', 'S', 'Li'],
      amounts: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 1, 2],
        [1, 2, 0],
        [2000, 1, 0],
        [1, 2, 1],
        [1, 4, 4],
        [1, 3, 2],
      ],
      energies: [0, 0, 0, -1.5, -1.0, -0.0001, -1.4, -1.2, -1.3],
    };
    const pd = new PhaseDiagram(entriesOf(c));
    expect(check(c)).toEqual([]);
    const stable = pd.analyze().map((r) => r.stable);
    expect([stable[4], stable[5], stable[6]]).toEqual([true, false, true]);
    // LiTiS2's phase separation is against TiS2 (from the LPs' system) and the others.
    const sep = pd.phaseSeparation(pd.entries[6]!);
    expect(sep.decomposition.map((p) => p.entry.id).sort()).toContain('p4');
    expect(pd.analyze()[6]!.phaseSeparationEnergy).toBeCloseTo(sep.energy, 12);
  });

  it('random small systems with degenerate features agree with the exact LP, or are refused', () => {
    const rnd = mulberry32(14);
    const problems: string[] = [];
    let compared = 0;
    let refused = 0;
    for (let t = 0; t < 300; t++) {
      const c = randomCase(rnd, 2 + (t % 3));
      const entries = entriesOf(c);
      const culprit = unresolvable(entries);
      let p: string[];
      try {
        if (culprit) {
          p = [];
          expect(() => new PhaseDiagram(entries)).toThrow(/of its atoms, below 1e-8/);
          refused++;
        } else {
          p = check(c, entries);
          compared++;
        }
      } catch (e) {
        p = [`threw ${String(e)}`];
      }
      if (p.length) problems.push(`case ${t} ${JSON.stringify(c)}:\n  ${p.join('\n  ')}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(20);
  });

  it('Composition.key keeps tiny fractions apart (8 significant digits, not 8 decimals)', () => {
    const keys = ['Ti800000000S1', 'Ti400000000S1', 'Ti8S3e-8', 'Ti8S5e-8', 'Ti83333333S1', 'Ti71428571S1'].map((f) => Composition.parse(f).key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
