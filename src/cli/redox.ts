// `interphase redox FORMULA`: an electrolyte's own redox against its working ion — the
// decomposition energy per atom of electrolyte and the capacity of its uptake or release of the
// ion, voltage by voltage (thermo/electrolyte-redox.ts), as a table, JSON or SVG.
import { writeFile } from 'node:fs/promises';
import { Composition, FormulaError, isElementSymbol } from '../core/index.js';
import { redoxSvg } from '../plot/index.js';
import { decompositionEnergyAt, electrolyteRedox, type ElectrolyteRedox } from '../thermo/index.js';
import { type CliIO, checkFlags, fileErrorReason, numberFlag, parseArgs, UsageError } from './args.js';
import { commandEntries, systemDiagram } from './system-data.js';
import { formatTable } from './table.js';

export const REDOX_USAGE = `  interphase redox FORMULA [--data FILE] [--element Li] [--valence Z] [--reference entry|hull]
        [--json] [--plot FILE.svg]
      the electrolyte's own redox against the open element, step by step over the voltage: the
      phases it forms, the ion taken up (+) or given off (−) per formula unit, the capacity that
      carries (mAh/g of electrolyte) and its decomposition energy per atom of electrolyte
      (eV/atom, Zhu et al. 2015: 0 inside the window for a stable phase). --reference: the
      electrolyte's own energy is its lowest entry (default: its E_hull counts) or its hull energy.
`;

const VALUED = ['data', 'element', 'valence', 'reference', 'plot'];

export async function redoxCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, VALUED);
  checkFlags(p, [...VALUED, 'json'], 'redox');
  const dashed = p.positional.find((a) => a.length > 1 && a.startsWith('-'));
  if (dashed !== undefined) throw new UsageError(`unknown option ${dashed} for 'redox'`);
  if (p.positional.length !== 1) throw new UsageError(`redox takes exactly one FORMULA${p.positional.length ? `, got ${p.positional.length}: ${p.positional.join(' ')}` : ''}`);
  const formula = p.positional[0]!.trim();
  const element = (p.flags.get('element') as string | undefined) ?? 'Li';
  if (!isElementSymbol(element)) throw new UsageError(`--element ${JSON.stringify(element)} is not an element symbol`);
  const valence = numberFlag(p, 'valence', Number.MIN_VALUE);
  const reference = (p.flags.get('reference') as string | undefined) ?? 'entry';
  if (reference !== 'entry' && reference !== 'hull') throw new UsageError(`--reference is entry or hull, got ${JSON.stringify(reference)}`);
  const plot = p.flags.get('plot') as string | undefined;
  if (plot !== undefined && !plot.toLowerCase().endsWith('.svg')) throw new UsageError(`--plot writes an SVG file: give a name ending in .svg, got ${JSON.stringify(plot)}`);
  let comp: Composition;
  try {
    comp = Composition.parse(formula);
  } catch (e) {
    if (e instanceof FormulaError) throw new Error(`FORMULA: ${e.message}`, { cause: e });
    throw e;
  }
  const { entries, name } = await commandEntries(p, io);
  const pd = systemDiagram(entries, name, [['composition', comp]], [['open element', element]]);
  const r = electrolyteRedox(pd, comp, { element, reference, ...(valence !== undefined ? { valence } : {}) });
  for (const m of r.window.warnings) io.stderr(`interphase: warning: ${m}\n`);
  if (plot !== undefined) {
    const svg = redoxSvg({
      composition: r.composition.reducedFormula,
      element,
      window: { reductionV: r.window.reduction.voltage, oxidationV: r.window.oxidation.voltage },
      steps: [...r.steps].map((s) => ({ ...s, products: [...s.products] })),
    });
    await writeFile(plot, svg).catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot write ${plot}: ${reason}`, { cause: err });
    });
  }
  io.stdout(p.flags.has('json') ? `${JSON.stringify(redoxJson(formula, r))}\n` : redoxText(formula, r, name));
  return 0;
}

const fin = (v: number) => (Number.isFinite(v) ? v : null);

export function redoxJson(formula: string, r: ElectrolyteRedox) {
  return {
    composition: formula,
    open_element: r.element,
    valence: r.valence,
    molar_mass: r.molarMass,
    reference: r.reference,
    reference_energy_per_atom: r.referenceEnergy,
    e_above_hull: r.window.eAboveHull,
    window: { reduction_V: r.window.reduction.voltage, oxidation_V: fin(r.window.oxidation.voltage) },
    decomposition_energy_at_0V: decompositionEnergyAt(r, 0),
    units: { energy: 'eV per atom of electrolyte', capacity: 'mAh per g of electrolyte', evolution: `${r.element} per formula unit (+ taken up, − given off)` },
    steps: r.steps.map((s) => ({
      from_V: s.fromV,
      to_V: fin(s.toV),
      evolution: s.evolution,
      capacity: s.capacity,
      energy_from: s.energyFrom,
      energy_to: Number.isFinite(s.toV) ? s.energyTo : null,
      slope: s.slope,
      products: s.products,
      reaction: s.reaction,
    })),
  };
}

function redoxText(formula: string, r: ElectrolyteRedox, data: string): string {
  const v = (x: number) => (x === Infinity ? '∞' : x.toFixed(3));
  const e = (x: number) => (Math.abs(x) < 5e-5 ? 0 : x).toFixed(4);
  const w = r.window;
  const rows = r.steps.map((s) => [
    v(s.fromV),
    v(s.toV),
    s.evolution.toFixed(4).replace(/^-0\.0000$/, '0.0000'),
    s.capacity.toFixed(0),
    `${e(s.energyFrom)} → ${Number.isFinite(s.toV) ? e(s.energyTo) : `${e(s.slope)}/V`}`,
    s.products.join(' + '),
  ]);
  const ref = r.reference === 'entry' ? (w.eAboveHull === null ? 'its hull energy (no entry in the data)' : `its lowest entry (E_hull ${w.eAboveHull.toFixed(4)} eV/atom counts)`) : 'its hull energy';
  return (
    `${formula} against ${r.element} (${data}): window ${v(w.reduction.voltage)} – ${v(w.oxidation.voltage)} V; M = ${r.molarMass.toFixed(2)} g/mol\n` +
    `at 0 V: decomposition energy ${e(decompositionEnergyAt(r, 0))} eV/atom of electrolyte, ${r.steps[0]!.capacity.toFixed(0)} mAh/g (${r.steps[0]!.products.join(' + ')})\n\n` +
    formatTable(['from V', 'to V', `${r.element}/f.u.`, 'mAh/g', 'E_D (eV/atom)', 'phases'], rows, { align: 'rrrrrl' }) +
    `\nE_D: decomposition energy per atom of electrolyte, from ${ref}, linear within each step; ` +
    `mAh/g: the ${r.element} taken up (+) or given off (−) there, per gram of electrolyte\n`
  );
}
