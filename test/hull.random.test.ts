import { describe, expect, it } from 'vitest';
import { Entry } from '../src/core/entry.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { mulberry32 } from './helpers/random.js';

// An independent hull method: the optimum of min Σλe s.t. Σλx = q, λ ≥ 0 sits at a basic feasible
// solution, so enumerating every m-subset of points (m = elements present in q), solving the
// m×m system and keeping non-negative solutions finds it without any pivoting rule.

const SYMBOLS = ['Li', 'O', 'P', 'S', 'Co', 'Ni', 'Mn', 'Fe'];

interface Pt {
  x: number[];
  e: number;
}

function solve(a: number[][], b: number[]): number[] | null {
  const m = b.length;
  const M = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-12) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= m; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[m]! / row[i]!);
}

function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= n - (k - acc.length); i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

/** Brute-force lower hull at q over the points; returns the value. */
function bruteHull(points: Pt[], q: number[]): number {
  const act = q.map((v, k) => (v > 0 ? k : -1)).filter((k) => k >= 0);
  const elig = points.filter((p) => p.x.every((v, k) => v === 0 || q[k]! > 0));
  let best = Infinity;
  for (const s of subsets(elig.length, act.length)) {
    const a = act.map((k) => s.map((j) => elig[j]!.x[k]!));
    const lam = solve(
      a,
      act.map((k) => q[k]!),
    );
    if (!lam || lam.some((l) => l < -1e-12)) continue;
    best = Math.min(
      best,
      lam.reduce((acc, l, i) => acc + l * elig[s[i]!]!.e, 0),
    );
  }
  return best;
}

function fractions(amounts: number[]): number[] {
  const n = amounts.reduce((a, b) => a + b, 0);
  return amounts.map((a) => a / n);
}

function randomSystem(seed: number, d: number, nCompounds: number) {
  const rnd = mulberry32(seed);
  const els = SYMBOLS.slice(0, d);
  const amounts: number[][] = [];
  const energies: number[] = [];
  for (let i = 0; i < nCompounds; i++) {
    const a = els.map(() => (rnd() < 0.55 ? 1 + Math.floor(rnd() * 4) : 0));
    if (a.filter((v) => v > 0).length < 2) (a[Math.floor(rnd() * d) % d] = 1), (a[(Math.floor(rnd() * d) + 1) % d] = 2);
    amounts.push(a);
    energies.push(rnd() < 0.1 ? rnd() * 0.3 : -rnd()); // some above the elements
  }
  // Elemental polymorphs above the references.
  amounts.push(els.map((_, k) => (k === 0 ? 2 : 0)));
  energies.push(0.05);
  return { els, amounts, energies, rnd };
}

function toEntries(els: string[], amounts: number[][], energies: number[]): Entry[] {
  return amounts.map(
    (a, i) =>
      new Entry({
        id: `c${i}`,
        composition: Object.fromEntries(els.flatMap((el, k) => (a[k]! > 0 ? [[el, a[k]!]] : []))),
        eFormPerAtom: energies[i]!,
      }),
  );
}

describe('WASM hull agrees with brute-force enumeration (seeded)', () => {
  const cases: Array<[number, number, number]> = [];
  for (let d = 1; d <= 8; d++) for (let s = 0; s < 3; s++) cases.push([d, 1000 * d + s, d <= 4 ? 14 : d <= 6 ? 11 : 10]);

  it.each(cases)('d=%i seed=%i (%i compounds + degenerate points)', (d, seed, nComp) => {
    const { els, amounts, energies, rnd } = d === 1 ? { els: ['Li'], amounts: [[2], [3]], energies: [0.1, 0.2], rnd: mulberry32(seed) } : randomSystem(seed, d, nComp);
    const base = toEntries(els, amounts, energies);
    const pts0: Pt[] = [...els.map((_, k) => ({ x: els.map((__, j) => (j === k ? 1 : 0)), e: 0 })), ...amounts.map((a, i) => ({ x: fractions(a), e: energies[i]! }))];
    // Degenerate additions: exact duplicates, a polymorph, and points placed exactly on the hull.
    const extraA: number[][] = [];
    const extraE: number[] = [];
    if (d > 1) {
      for (let t = 0; t < 3; t++) {
        const i = Math.floor(rnd() * amounts.length);
        extraA.push(amounts[i]!);
        extraE.push(energies[i]!); // duplicate
        extraA.push(amounts[i]!);
        extraE.push(energies[i]! + 0.01); // polymorph
        const j = Math.floor(rnd() * amounts.length);
        const mid = amounts[i]!.map((v, k) => v + amounts[j]![k]!);
        extraA.push(mid);
        extraE.push(bruteHull(pts0, fractions(mid))); // on the hull
      }
    }
    const all = [...base, ...toEntries(els, extraA, extraE).map((e, k) => new Entry({ id: `x${k}`, composition: e.composition, eFormPerAtom: extraE[k]! }))];
    const pd = new PhaseDiagram(all);
    const pts: Pt[] = pd.entries.map((e) => ({ x: els.map((el) => e.composition.atomicFraction(el)), e: pd.formationEnergyPerAtom(e) }));

    const problems: string[] = [];
    pd.analyze().forEach((r, i) => {
      const p = pts[i]!;
      const hull = bruteHull(pts, p.x);
      if (Math.abs(r.eAboveHull - (p.e - hull)) > 1e-9) problems.push(`${r.entry.id}: E_hull ${r.eAboveHull} vs brute ${p.e - hull}`);
      // Stability: lowest of its composition (first of equals) and strictly below the others' hull.
      const others = pts.filter((o, j) => pd.entries[j]!.composition.key !== r.entry.composition.key && (pd.entries[j]!.isElement || o.e < -1e-11));
      const firstLowest = pd.entries.findIndex(
        (e, j) => e.composition.key === r.entry.composition.key && pts[j]!.e === Math.min(...pts.filter((_, k) => pd.entries[k]!.composition.key === r.entry.composition.key).map((o) => o.e)),
      );
      const gap = r.entry.isElement ? -Infinity : p.e - bruteHull(others, p.x);
      const shouldBeStable =
        firstLowest === i && (r.entry.isElement ? p.e === Math.min(...pts.filter((_, k) => pd.entries[k]!.composition.key === r.entry.composition.key).map((o) => o.e)) : gap < -1e-9);
      if (Math.abs(gap) > 1e-11 && Math.abs(gap) < 1e-9) return; // too close to call either way
      if (r.stable !== shouldBeStable) problems.push(`${r.entry.id}: stable ${r.stable}, brute ${shouldBeStable} (gap ${gap})`);
      if (r.stable && !r.entry.isElement && Math.abs(r.phaseSeparationEnergy! - gap) > 1e-9) problems.push(`${r.entry.id}: phase separation ${r.phaseSeparationEnergy} vs ${gap}`);
      // Decomposition reproduces composition and hull energy, from stable phases only.
      const x = els.map(() => 0);
      let e = 0;
      for (const ph of r.decomposition) {
        if (!pd.isStable(ph.entry)) problems.push(`${r.entry.id}: unstable ${ph.entry.id} in decomposition`);
        const j = pd.entries.indexOf(ph.entry);
        pts[j]!.x.forEach((v, k) => (x[k]! += ph.fraction * v));
        e += ph.fraction * pts[j]!.e;
      }
      if (x.some((v, k) => Math.abs(v - p.x[k]!) > 1e-9)) problems.push(`${r.entry.id}: decomposition does not add up to its composition`);
      if (Math.abs(e - (r.stable ? p.e : hull)) > 1e-9) problems.push(`${r.entry.id}: decomposition energy ${e} vs ${hull}`);
    });
    expect(problems).toEqual([]);
  });
});
