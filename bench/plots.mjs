// Example plots from the Alexandria Li-P-S dataset, written to out/plots/ to look at:
//   npm run build && node bench/plots.mjs [DATASET]
// The voltage staircase and reaction curve inputs are computed here from the hull along a
// composition segment (SystemIndex.segment), only to have real data to draw.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Composition, PhaseDiagram, SystemIndex, binaryHullSvg, loadEntries, rankingSvg, reactionCurveSvg, ternaryHullSvg, voltageStaircaseSvg } from '../dist/index.js';

const file = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/alexandria-Li-P-S.json.gz', import.meta.url));
const outDir = fileURLToPath(new URL('../out/plots/', import.meta.url));
mkdirSync(outDir, { recursive: true });

const entries = await loadEntries(file);
const pd = new PhaseDiagram(entries);
const index = new SystemIndex(entries);
for (const _ of index.evaluate({ decompositions: false }));

const fractions = (els, c) => Float64Array.from(els, (el) => c.atomicFraction(el));
const formulas = (decomposition) => decomposition.map((p) => p.entry.composition.reducedFormula);

/**
 * Voltage profile of a composition against an open element: the hull along comp + n·El
 * (reduction, n > 0) and comp − n·El (oxidation, down to no El), as (n, G) kinks with G the
 * total formation energy per formula unit; a state is stable between the slopes on its sides
 * (μ_El), V = −μ_El (monovalent ions).
 */
function voltageProfile(formula, open) {
  const comp = Composition.parse(formula).reduced().composition;
  const els = [...new Set([...comp.elements, open])].sort();
  const N = comp.numAtoms;
  const nOpen = comp.amount(open);
  const a = fractions(els, comp);
  const pts = [];
  const red = index.segment(
    els,
    a,
    Float64Array.from(els, (el) => (el === open ? 1 : 0)),
  );
  for (const p of red.points) {
    if (p.t < 1) {
      const n = (N * p.t) / (1 - p.t);
      pts.push({ n, G: (N + n) * p.value, products: formulas(p.decomposition) });
    }
  }
  if (nOpen > 0) {
    const rest = Composition.fromDict(Object.fromEntries(comp.elements.filter((e) => e !== open).map((e) => [e, comp.amount(e)])));
    const ox = index.segment(els, a, fractions(els, rest));
    for (const p of ox.points) {
      if (p.t > 0) {
        const units = (p.t * N) / (rest.numAtoms + p.t * nOpen); // formula units of `rest` in the mixture
        const n = -units * nOpen;
        pts.push({ n, G: (N + n) * p.value, products: formulas(p.decomposition) });
      }
    }
  }
  pts.sort((x, y) => x.n - y.n);
  const slopes = pts.slice(1).map((p, j) => (p.G - pts[j].G) / (p.n - pts[j].n));
  slopes.push(0); // beyond the last kink: the pure element, μ = 0
  const steps = pts.map((p, j) => ({ voltageRange: [-slopes[j], j === 0 ? Infinity : -slopes[j - 1]], evolution: Math.abs(p.n) < 1e-9 ? 0 : p.n, products: p.products }));
  const own = steps.find((s) => s.evolution === 0);
  return { composition: formula, openElement: open, window: { reductionV: own.voltageRange[0], oxidationV: own.voltageRange[1] }, steps };
}

/** Reaction energy of x·c1 + (1−x)·c2 (per atom) at the kinks of the hull between them. */
function reactionCurve(c1, c2) {
  const a = Composition.parse(c1);
  const b = Composition.parse(c2);
  const els = [...new Set([...a.elements, ...b.elements])].sort();
  const seg = index.segment(els, fractions(els, b), fractions(els, a));
  const e2 = seg.points[0].value;
  const e1 = seg.points[seg.points.length - 1].value;
  return { c1, c2, kinks: seg.points.map((p) => ({ x: p.t, energy: p.value - (p.t * e1 + (1 - p.t) * e2), products: formulas(p.decomposition) })) };
}

const [A, B, C] = pd.elements;
const write = (name, svg) => {
  writeFileSync(`${outDir}${name}`, svg);
  console.log(`out/plots/${name}  ${(svg.length / 1024).toFixed(1)} kB`);
};

write(`hull-${A}-${C}.svg`, binaryHullSvg(pd, { elements: [A, C] }));
if (pd.elements.length === 3) write(`hull-${A}-${B}-${C}.svg`, ternaryHullSvg(pd));
if (pd.elements.join('-') === 'Li-P-S') {
  write('window-Li3PS4.svg', voltageStaircaseSvg(voltageProfile('Li3PS4', 'Li')));
  write('reaction-Li3PS4-Li.svg', reactionCurveSvg(reactionCurve('Li3PS4', 'Li')));
  write('reaction-Li2S-P2S5.svg', reactionCurveSvg(reactionCurve('Li2S', 'P2S5'), { unit: 'meV/atom' }));
}
const rows = pd
  .analyze()
  .filter((r) => r.entry.composition.elements.length === pd.elements.length && r.eAboveHull <= 0.05)
  .sort((x, y) => x.eAboveHull - y.eAboveHull)
  .map((r) => ({
    name: `${r.entry.composition.reducedFormula} (${r.entry.id})`,
    score: r.eAboveHull * 1000,
    pass: r.eAboveHull <= 0.025,
    values: { E_form: r.eFormPerAtom, [`x_${A}`]: r.entry.composition.atomicFraction(A) },
  }));
write('ranking-ehull.svg', rankingSvg(rows, { title: `${pd.elements.join('–')} compounds by energy above hull`, scoreLabel: 'E_hull (meV/atom)', threshold: 25 }));
