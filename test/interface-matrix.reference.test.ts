// The interface matrix of the speed benchmark (bench/jobs.mjs: 17 electrolytes × 12 electrodes on
// the MP table, closed and open to Li at 0, 2 and 4 V) against pymatgen, reaction by reaction:
// every kink's x, energy and reaction, and the minimum. One SystemIndex over every pair's
// chemical systems answers all of them, as in the benchmark (the shared grand hulls, the small
// ones kept per voltage and system, the walks): what is timed is what is checked.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { interfaceReaction } from '../src/interface/interface-reaction.js';
import type { InterfaceKink } from '../src/interface/reaction-report.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { SystemIndex } from '../src/thermo/system-hull.js';
import { byFormula, roundsTo, term } from './helpers/reaction-strings.js';
import { DATA } from './helpers/shared.js';

type RefKink = { x: number; energy_per_atom: number; reaction: string };
type RefReaction = { c1: string; c2: string; open: null | [string, number]; kinks: RefKink[]; minimum: { x: number; energy_per_atom: number } };

/**
 * pymatgen's reaction string against ours: reactants in order, products as a multiset (pymatgen
 * lists them in Qhull's facet order). A coefficient may differ only where its exact value (ours,
 * from the kink's terms) rounds to pymatgen's string too — a tie at 4 digits, 10.625 written
 * 10.62 or 10.63 with the last bit of round-off; the open element released (not among the terms)
 * by one unit of the 4th digit, its amount being fixed by x and the energy, checked apart.
 */
function reactionProblems(k: InterfaceKink, want: string): string[] {
  const exact = new Map<string, number>();
  for (const t of [...k.reactants, ...k.products]) exact.set(t.formula, t.amount);
  const [gl, gr] = k.reaction.split(' -> ');
  const [wl, wr] = want.split(' -> ');
  if (gr === undefined || wr === undefined) return [`malformed: ${k.reaction} | ${want}`];
  const side = (g: string, w: string, ordered: boolean): string[] => {
    const split = (x: string) => (x === '' ? [] : x.split(' + '));
    const gt = (ordered ? split(g) : byFormula(split(g))).map(term);
    const wt = (ordered ? split(w) : byFormula(split(w))).map(term);
    if (gt.map((t) => t[0]).join(' ') !== wt.map((t) => t[0]).join(' ')) return [`terms: ${k.reaction} | ${want}`];
    const out: string[] = [];
    gt.forEach(([formula, gc], i) => {
      const wc = wt[i]![1];
      if (gc === wc) return;
      const value = exact.get(formula);
      const unit = 10 ** (Math.floor(Math.log10(Math.abs(Number(gc)))) - 3);
      const ok = value !== undefined ? roundsTo(value, gc) && roundsTo(value, wc) : Math.abs(Number(gc) - Number(wc)) <= unit * (1 + 1e-9);
      if (!ok) out.push(`${formula} ${gc} vs ${wc}: ${k.reaction} | ${want}`);
    });
    return out;
  };
  return [...side(gl!, wl!, true), ...side(gr, wr, false)];
}

describe('the interface matrix of the benchmark agrees with pymatgen (test/fixtures/make-pymatgen-interface-matrix.py)', () => {
  it('765 reactions: every kink (x, energy, reaction) and the minimum', async () => {
    const ref = JSON.parse(gunzipSync(readFileSync(new URL('./fixtures/pymatgen-interface-matrix.json.gz', import.meta.url))).toString('utf8')) as RefReaction[];
    expect(ref.length).toBe(765);
    const table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
    const needed = new Set<string>();
    for (const c of ref) {
      const els = [...new Set(['Li', ...[c.c1, c.c2].flatMap((f) => [...f.matchAll(/[A-Z][a-z]?/g)].map((m) => m[0]))])].sort();
      for (let m = 1; m < 1 << els.length; m++) needed.add(els.filter((_, b) => m & (1 << b)).join('-'));
    }
    const index = new SystemIndex(table.filter((e) => needed.has(e.composition.chemicalSystem)));
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const problems: string[] = [];
    let kinks = 0;
    let ties = 0;
    for (const c of ref) {
      const tag = `${c.c1}|${c.c2}${c.open ? ` at ${c.open[1]} V` : ''}`;
      const got = interfaceReaction(c.c1, c.c2, index, c.open ? { useHullEnergy: true, open: { element: 'Li', voltage: c.open[1] }, includeNoMixingEnergy: true } : { useHullEnergy: true });
      if (got.kinks.length !== c.kinks.length) {
        problems.push(`${tag}: ${got.kinks.length} kinks, pymatgen ${c.kinks.length}`);
        continue;
      }
      c.kinks.forEach((w, i) => {
        const g = got.kinks[i]!;
        kinks++;
        if (Math.abs(g.x - w.x) > 1e-6) problems.push(`${tag} kink ${i + 1}: x ${g.x} vs ${w.x}`);
        if (Math.abs(g.energyPerAtom - w.energy_per_atom) > 1e-6) problems.push(`${tag} kink ${i + 1}: energy ${g.energyPerAtom} vs ${w.energy_per_atom}`);
        const rp = reactionProblems(g, w.reaction);
        problems.push(...rp.map((p) => `${tag} kink ${i + 1}: ${p}`));
        if (!rp.length && g.reaction !== w.reaction && [...g.reaction.split(' ')].sort().join(' ') !== [...w.reaction.split(' ')].sort().join(' ')) ties++;
      });
      if (Math.abs(got.minimum.energyPerAtom - c.minimum.energy_per_atom) > 1e-6) problems.push(`${tag}: minimum ${got.minimum.energyPerAtom} vs ${c.minimum.energy_per_atom}`);
    }
    expect(problems).toEqual([]);
    expect(kinks).toBe(5283);
    // A handful of strings differ only by a rounding tie (23 kinks when the fixture was made).
    expect(ties).toBeLessThan(60);
  });
});
