// `interphase chempot FORMULA --x Li --y O`: the chemical-potential map of a composition open to
// two elements (thermo/chempot-map.ts) — its equilibria over the (μ_x, μ_y) plane — as a table of
// regions, JSON or an SVG map.
import { writeFile } from 'node:fs/promises';
import { Composition, FormulaError, isElementSymbol } from '../core/index.js';
import { chempotMapSvg } from '../plot/index.js';
import { MATERIAL_ALIASES } from '../screen/index.js';
import { type ChemicalPotentialMap, chemicalPotentialMap } from '../thermo/index.js';
import { type CliIO, checkFlags, fileErrorReason, type Parsed, parseArgs, UsageError } from './args.js';
import { commandEntries, systemDiagram } from './system-data.js';
import { formatTable } from './table.js';

export const CHEMPOT_USAGE = `  interphase chempot FORMULA [--x Li] [--y O] [--x-range LOW,HIGH] [--y-range LOW,HIGH] [--data FILE]
        [--json] [--plot FILE.svg]
      chemical-potential map: the phases FORMULA equilibrates into when open to two elements (the
      axes, μ relative to each element's reference, eV/atom; μ_Li = −V vs Li), region by region,
      exactly (pymatgen's GrandPotentialPhaseDiagram open to both). FORMULA may be a common name
      (LLZO, LGPS, ...). Where a phase of the two elements alone (Li2O) would form from the
      reservoirs the map ends.
`;

const VALUED = ['data', 'x', 'y', 'x-range', 'y-range', 'plot'];

function rangeFlag(p: Parsed, name: string): [number, number] | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const parts = String(v)
    .split(',')
    .map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! < parts[1]!))
    throw new UsageError(`--${name} needs LOW,HIGH chemical potentials (eV/atom, e.g. -6,0), got ${JSON.stringify(v)}`);
  return [parts[0]!, parts[1]!];
}

export async function chempotCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, VALUED);
  checkFlags(p, [...VALUED, 'json'], 'chempot');
  const dashed = p.positional.find((a) => a.length > 1 && a.startsWith('-') && !/^-\d/.test(a));
  if (dashed !== undefined) throw new UsageError(`unknown option ${dashed} for 'chempot'`);
  if (p.positional.length !== 1) throw new UsageError(`chempot takes exactly one FORMULA${p.positional.length ? `, got ${p.positional.length}: ${p.positional.join(' ')}` : ''}`);
  const given = p.positional[0]!.trim();
  const x = (p.flags.get('x') as string | undefined) ?? 'Li';
  const y = (p.flags.get('y') as string | undefined) ?? 'O';
  for (const [flag, el] of [
    ['--x', x],
    ['--y', y],
  ] as const) {
    if (!isElementSymbol(el)) throw new UsageError(`${flag} ${JSON.stringify(el)} is not an element symbol`);
  }
  const xRange = rangeFlag(p, 'x-range');
  const yRange = rangeFlag(p, 'y-range');
  const plot = p.flags.get('plot') as string | undefined;
  if (plot !== undefined && !plot.toLowerCase().endsWith('.svg')) throw new UsageError(`--plot writes an SVG file: give a name ending in .svg, got ${JSON.stringify(plot)}`);
  let comp: Composition;
  try {
    comp = Composition.parse(MATERIAL_ALIASES[given] ?? given);
  } catch (e) {
    if (e instanceof FormulaError) throw new Error(`FORMULA: ${e.message}`, { cause: e });
    throw e;
  }
  const { entries, name } = await commandEntries(p, io);
  const pd = systemDiagram(
    entries,
    name,
    [['composition', comp]],
    [
      ['open element', x],
      ['open element', y],
    ],
  );
  const map = chemicalPotentialMap(pd, comp, { x, y, ...(xRange ? { xRange } : {}), ...(yRange ? { yRange } : {}) });
  if (plot !== undefined) {
    const svg = chempotMapSvg({
      composition: comp.reducedFormula,
      x,
      y,
      xRange: map.xRange,
      yRange: map.yRange,
      regions: map.regions.map((r) => ({ products: r.products, polygon: r.polygon, center: r.center })),
      feasibleBy: map.feasibleBy,
    });
    await writeFile(plot, svg).catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot write ${plot}: ${reason}`, { cause: err });
    });
  }
  io.stdout(p.flags.has('json') ? `${JSON.stringify(chempotJson(given, map))}\n` : chempotText(given, map, name));
  return 0;
}

export function chempotJson(given: string, m: ChemicalPotentialMap) {
  return {
    composition: given,
    x: m.x,
    y: m.y,
    x_range: m.xRange,
    y_range: m.yRange,
    units: { mu: 'eV/atom relative to the element reference', uptake: `atoms of ${m.x} / ${m.y} taken up per formula unit (− given off)` },
    feasible_by: m.feasibleBy,
    regions: m.regions.map((r) => ({
      products: r.products,
      amounts: r.amounts,
      uptake: r.uptake,
      center: r.center,
      polygon: r.polygon,
    })),
  };
}

function chempotText(given: string, m: ChemicalPotentialMap, data: string): string {
  const f = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(3);
  const span = (r: ChemicalPotentialMap['regions'][number], k: 0 | 1) => `${f(Math.min(...r.polygon.map((q) => q[k])))} … ${f(Math.max(...r.polygon.map((q) => q[k])))}`;
  const rows = m.regions.map((r) => [r.products.join(' + '), span(r, 0), span(r, 1), f(r.uptake.x), f(r.uptake.y)]);
  return (
    `${given} open to ${m.x} and ${m.y} (${data}): ${m.regions.length} regions over μ_${m.x} ${f(m.xRange[0])} … ${f(m.xRange[1])}, μ_${m.y} ${f(m.yRange[0])} … ${f(m.yRange[1])} eV/atom\n\n` +
    formatTable(['phases', `μ_${m.x} range`, `μ_${m.y} range`, `${m.x}/f.u.`, `${m.y}/f.u.`], rows, { align: 'lrrrr' }) +
    `\nμ relative to each element's reference (eV/atom); ${m.x}/f.u., ${m.y}/f.u.: taken up (+) or given off (−) per formula unit` +
    (m.feasibleBy.length ? `; the map ends where ${m.feasibleBy.join(', ')} would form from the reservoirs` : '') +
    '\n'
  );
}
