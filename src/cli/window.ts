// `interphase window FORMULA --data FILE [--element Li] [--valence Z] [--json]`: the
// electrochemical stability window of a composition open to an element, its element profile
// (pymatgen get_element_profile) as a voltage staircase, and the window again by complete
// enumeration of its decomposition reactions (Binninger et al. 2020).
import { Composition, FormulaError } from '../core/index.js';
import { enumerateDecompositionReactions, type EnumeratedWindow } from '../thermo/index.js';
import { ElementProfileError, stabilityWindow, type StabilityWindow } from '../thermo/index.js';
import { isElementSymbol } from '../core/index.js';
import { loadEntries } from '../io/node.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import { PhaseDiagram } from '../thermo/index.js';
import { formatTable } from './table.js';
import { checkFlags, fileErrorReason, parseArgs, rejectDashed, UsageError, type CliIO } from './args.js';
import { windowPlotData } from '../thermo/index.js';
import { voltageStaircaseSvg } from '../plot/index.js';
import { sampledWindowOnEngine } from '../screen/index.js';
import type { SampledWindow, SamplingReport } from '../uncertainty/index.js';
import {
  bandText,
  distributionJson,
  percent,
  plotFlag,
  samplingFlags,
  samplingJson,
  samplingText,
  samplingWorkers,
  UNCERTAINTY_BOOLEAN,
  UNCERTAINTY_VALUED,
  withEngine,
  writeSvg,
} from './uncertainty.js';

export const WINDOW_USAGE = `interphase window FORMULA [--data FILE] [--element Li] [--valence Z] [--json] [--plot FILE.svg]
                  [--uncertainty [--sigma S] [--samples N] [--seed N] [--precision P] [--cover LO,HI]]

  Electrochemical stability window of FORMULA against the open element (default Li): the
  voltages (vs the metal) between which it neither takes up nor gives off the element, the
  products beyond each limit and at 0 V, and the whole staircase of uptake vs voltage
  (pymatgen's element profile, exact). For a composition above the hull, the window of its
  phase equilibrium. The window is computed a second way, by enumerating every balanced
  decomposition reaction (Binninger et al. 2020), and both are shown.

  --data FILE    entries in any format interphase reads; the phase diagram is the chemical
                 system of FORMULA and the element cut out of it (e.g. of the whole MP table);
                 default: the embedded Materials Project data (said on stderr)
  --element El   the open element (Li, Na, K, Mg, Ca, Zn, Al, O, ...)
  --valence Z    ion charge for voltages, V = -mu/Z (default 1 for Li/Na/K, 2 for Mg/Ca/Zn,
                 3 for Al; needed for other elements)
  --json         {"composition", "open_element", "window": {"reduction_V", "oxidation_V"},
                  "e_above_hull", "charge_balanced", "warnings",
                  "steps": [{"mu", "voltage", "evolution", "products", "reaction"}]}
                 mu in eV/atom relative to the element's reference; an infinite limit is null
  --plot FILE    the voltage staircase as SVG (with --uncertainty: the 5–95 % band of the
                 uptake and of each limit)
  --uncertainty  the limits' distributions (5–50–95 %), their linear error bars from the
                 limiting reactions, the products beyond them and how often, the staircase band;
                 --cover LO,HI adds P(window covers LO–HI V). JSON: "uncertainty": {"samples",
                 "seed", "sigma", …, "reduction_V"/"oxidation_V": {"mean", "std", "q05", "q50",
                 "q95", …_se, "linear_sigma", "beyond": [{"products", "p", "se"}]}, "covers",
                 "staircase": {"voltage", "q05", "q50", "q95"}}

  FORMULA may have fractional amounts (Li0.5CoO2, LiNi1/3Mn1/3Co1/3O2). A composition that is not
  charge balanced in common oxidation states (e.g. the rounded Li0.33La0.56TiO3) is warned
  about on stderr: its window is often an artefact of the rounding.
`;

/** The JSON report of `window --json`. */
export interface WindowReport {
  composition: string;
  open_element: string;
  window: { reduction_V: number; oxidation_V: number | null };
  e_above_hull: number | null;
  /** Charge balanced in common oxidation states (null: not judged); warnings about the question. */
  charge_balanced: boolean | null;
  warnings: string[];
  steps: Array<{ mu: number; voltage: number | null; evolution: number; products: string[]; reaction: string }>;
}

export function windowReport(formula: string, w: StabilityWindow): WindowReport {
  const num = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    composition: formula,
    open_element: w.element,
    window: { reduction_V: w.reduction.voltage, oxidation_V: num(w.oxidation.voltage) },
    e_above_hull: w.eAboveHull,
    charge_balanced: w.chargeBalanced,
    warnings: [...w.warnings],
    steps: w.profile.steps.map((s) => ({
      mu: s.mu,
      voltage: num(s.voltage),
      evolution: s.evolution,
      products: [...s.products],
      reaction: s.reaction.toString(),
    })),
  };
}

export async function windowCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['data', 'element', 'valence', 'plot', 'cover', ...UNCERTAINTY_VALUED]);
  checkFlags(p, ['data', 'element', 'valence', 'json', 'plot', 'cover', ...UNCERTAINTY_VALUED, ...UNCERTAINTY_BOOLEAN], 'window');
  const sampling = samplingFlags(p);
  const workers = samplingWorkers(p);
  if (workers && !sampling) throw new UsageError('--workers needs --uncertainty');
  const plot = plotFlag(p);
  const coverFlag = p.flags.get('cover');
  if (coverFlag !== undefined && !sampling) throw new UsageError('--cover needs --uncertainty');
  let cover: [number, number] | undefined;
  if (coverFlag !== undefined) {
    const parts = String(coverFlag)
      .split(/[,:]/)
      .map((x) => Number(x.trim()));
    if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0]! > parts[1]!) throw new UsageError(`--cover needs LO,HI voltages (e.g. 2.5,4.3), got ${JSON.stringify(coverFlag)}`);
    cover = [parts[0]!, parts[1]!];
  }
  rejectDashed(p, 'window');
  if (p.positional.length !== 1) throw new UsageError(`window takes exactly one FORMULA${p.positional.length ? `, got ${p.positional.length}: ${p.positional.join(' ')}` : ''}`);
  const formula = p.positional[0]!.trim();
  const dataFlag = p.flags.get('data');
  if (dataFlag === '' || dataFlag === true) throw new UsageError('--data needs a FILE');
  const file = dataFlag ?? DEFAULT_DATA_INFO.name;
  const element = (p.flags.get('element') as string | undefined) ?? 'Li';
  if (!isElementSymbol(element)) throw new UsageError(`--element ${JSON.stringify(element)} is not an element symbol`);
  let valence: number | undefined;
  const vz = p.flags.get('valence');
  if (vz !== undefined) {
    valence = Number(vz);
    if (!(typeof vz === 'string' && vz.trim() !== '' && Number.isFinite(valence) && valence > 0)) throw new UsageError(`--valence must be a number > 0, got ${JSON.stringify(vz)}`);
  }
  let comp: Composition;
  try {
    comp = Composition.parse(formula);
  } catch (e) {
    if (e instanceof FormulaError) throw new Error(`FORMULA: ${e.message}`, { cause: e });
    throw e;
  }
  if (dataFlag === undefined) io.stderr(`interphase: no --data given: using the embedded data (${DEFAULT_DATA_INFO.name}: Materials Project formation energies, CC BY 4.0)\n`);
  const entries =
    dataFlag === undefined
      ? await defaultEntries()
      : await loadEntries(file).catch((err: unknown) => {
          const reason = fileErrorReason(err);
          throw reason === undefined ? err : new Error(`cannot read ${file}: ${reason}`, { cause: err });
        });
  const present = new Set<string>();
  for (const e of entries) for (const el of e.composition.elements) present.add(el);
  const have = [...present].sort();
  const shown = have.length > 12 ? `${have.length} elements` : have.join('-');
  if (!present.has(element)) throw new ElementProfileError(`open element ${element} does not occur in ${file} (${shown})`);
  const missing = comp.elements.filter((el) => !present.has(el));
  if (missing.length)
    throw new ElementProfileError(`composition ${comp.reducedFormula} lies outside the data: ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not occur in ${file} (${shown})`);
  if (comp.elements.length === 1 && comp.elements[0] === element) {
    throw new ElementProfileError(`composition ${comp.reducedFormula} is made only of the open element ${element}: there is nothing left to react with it`);
  }
  // The chemical system of the composition and the open element, cut out of the data.
  const system = new Set([...comp.elements, element]);
  const cut = entries.filter((e) => e.composition.elements.every((el) => system.has(el)));
  const pd = new PhaseDiagram(cut, { elements: [...system] });
  const opts = valence !== undefined ? { element, valence } : { element };
  const w = stabilityWindow(pd, comp, opts);
  for (const m of w.warnings) io.stderr(`interphase: warning: ${m}\n`);
  let sampled: (SampledWindow & SamplingReport) | undefined;
  if (sampling) {
    sampled = await withEngine(workers, (engine) => sampledWindowOnEngine(engine, comp.toDict(), { ...sampling, ...opts, ...(cover ? { covers: cover } : {}), data: cut, dataName: file }));
  }
  if (plot !== undefined) {
    const data = windowPlotData(w);
    const band = sampled
      ? {
          band: { x: sampled.staircase.voltage, lo: sampled.staircase.q05, hi: sampled.staircase.q95, label: `5–95 % of ${sampled.samples} samples` },
          limitRanges: {
            reduction: [sampled.reduction.distribution.q05, sampled.reduction.distribution.q95] as [number, number],
            oxidation: [sampled.oxidation.distribution.q05, sampled.oxidation.distribution.q95] as [number, number],
          },
        }
      : {};
    await writeSvg(plot, voltageStaircaseSvg({ ...data, ...band }));
  }
  if (p.flags.has('json')) {
    io.stdout(`${JSON.stringify({ ...windowReport(formula, w), ...(sampled ? { uncertainty: uncertaintyJson(sampled) } : {}) })}\n`);
    return 0;
  }
  let en: EnumeratedWindow | undefined;
  let enError: string | undefined;
  try {
    en = Number.isNaN(w.valence) ? undefined : enumerateDecompositionReactions(pd, comp, { ...opts, maxReactions: 0 });
  } catch (e) {
    enError = e instanceof Error ? e.message : String(e);
  }
  io.stdout(windowTable(formula, w, pd, en, enError));
  if (sampled) io.stdout(uncertaintyText(sampled));
  return 0;
}

/** `window --uncertainty --json`: the "uncertainty" object. */
function uncertaintyJson(s: SampledWindow & SamplingReport) {
  const limit = (l: SampledWindow['reduction']) => ({
    ...distributionJson(l.distribution),
    linear_sigma: l.linearSigma,
    beyond: l.beyond.map((b) => ({ products: [...b.value], p: b.p, se: b.se })),
  });
  return {
    ...samplingJson(s),
    reduction_V: limit(s.reduction),
    oxidation_V: limit(s.oxidation),
    ...(s.covers ? { covers: { range: [...s.covers.range], p: s.covers.probability.p, se: s.covers.probability.se } } : {}),
    staircase: s.staircase,
  };
}

function uncertaintyText(s: SampledWindow & SamplingReport): string {
  const lines = ['', samplingText(s)];
  for (const [name, l] of [
    ['reduction', s.reduction],
    ['oxidation', s.oxidation],
  ] as const) {
    const lin = l.linearSigma === null ? '' : `, linear error bar ±${l.linearSigma.toFixed(3)} V`;
    lines.push(`  ${name} limit: ${bandText(l.distribution)} V, std ${Number.isFinite(l.distribution.std) ? l.distribution.std.toFixed(3) : '–'} V${lin}`);
    lines.push(`    beyond it: ${l.beyond.map((b) => `${b.value.join(' + ') || '(nothing)'} ${percent(b.p)}`).join(', ')}`);
  }
  if (s.covers) lines.push(`  P(window covers ${s.covers.range[0]}–${s.covers.range[1]} V) = ${percent(s.covers.probability.p)} ± ${percent(s.covers.probability.se)}`);
  return `${lines.join('\n')}\n`;
}

const v = (x: number) => (Number.isNaN(x) ? '?' : x === Infinity ? '∞' : x.toFixed(3));

function windowTable(formula: string, w: StabilityWindow, pd: PhaseDiagram, en: EnumeratedWindow | undefined, enError: string | undefined): string {
  const el = w.element;
  const couple = w.valence === 1 ? `${el}/${el}+` : Number.isNaN(w.valence) ? `${el}` : `${el}/${el}${w.valence}+`;
  const lines: string[] = [];
  const eq = w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula).join(' + ');
  lines.push(`${formula} open to ${el}: chemical system ${pd.elements.join('-')} (${pd.entries.length} entries, ${pd.stableEntries.length} stable)`);
  if (w.stable) lines.push(`${formula} is a stable phase`);
  else if (w.eAboveHull !== null) lines.push(`${formula} lies ${w.eAboveHull.toFixed(4)} eV/atom above the hull; its phase equilibrium: ${eq}`);
  else lines.push(`${formula} has no entry in the data; its phase equilibrium: ${eq}`);
  lines.push(`stability window: ${v(w.reduction.voltage)} – ${v(w.oxidation.voltage)} V vs ${couple}${w.stable ? '' : ' (of the phase equilibrium)'}`);
  if (w.reduction.beyond) lines.push(`  reduction below ${v(w.reduction.voltage)} V: ${w.reduction.beyond.reaction}`);
  else lines.push(`  stable against ${el} metal (0 V)`);
  if (w.oxidation.beyond) lines.push(`  oxidation above ${v(w.oxidation.voltage)} V: ${w.oxidation.beyond.reaction}`);
  else lines.push(`  no oxidation: it contains no ${el} to give off`);
  lines.push(`  at 0 V (against ${el} metal): ${w.atZeroVolts.reaction}`);
  if (en) {
    lines.push(`complete reaction enumeration (Binninger et al. 2020): ${v(en.reductionV)} – ${v(en.oxidationV)} V (${en.reactionCount} balanced reactions over ${en.phaseCount} phases)`);
  } else if (enError) lines.push(`complete reaction enumeration: ${enError}`);
  lines.push('');
  lines.push(`${el} uptake (+) / release (−) per formula unit vs voltage (element profile):`);
  const steps = w.profile.steps;
  const rows = steps.map((s, i) => [
    v(s.voltage),
    i + 1 < steps.length ? v(steps[i + 1]!.voltage) : '∞',
    s.mu.toFixed(4),
    s.evolution.toFixed(4).replace(/^-0\.0000$/, '0.0000'),
    s.products.join(' + '),
    s.reaction.toString(),
  ]);
  lines.push(formatTable(['from V', 'to V', `mu_${el} (eV)`, `${el}/f.u.`, 'phases', 'reaction'], rows, { align: 'rrrrll' }));
  return lines.join('\n');
}
