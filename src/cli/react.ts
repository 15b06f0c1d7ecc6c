// `interphase react A B --data FILE`: the interface reaction between two materials.
import { checkFlags, fileErrorReason, muFlag, numberFlag, parseArgs, rejectDashed, UsageError, voltageFlag, type CliIO } from './args.js';
import type { Entry } from '../core/index.js';
import { conventionLines, interfaceReaction, parseReactant, reactionConvention, type InterfaceReaction, type InterfaceReactionOptions } from '../interface/index.js';
import { streamEntries } from '../io/node.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import { PhaseDiagram } from '../thermo/index.js';
import { formatTable } from './table.js';
import { voltageMap, type VoltageMap } from '../interface/index.js';
import { reactionCurveSvg } from '../plot/index.js';
import { sampledReactionOnEngine } from '../screen/index.js';
import type { SampledReaction, SamplingReport } from '../uncertainty/index.js';
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

export const REACT_USAGE = `  interphase react A B [--data FILE] [--open EL (--voltage V | --mu MU)] [--use-hull-energy]
        [--include-no-mixing-energy] [--json] [--plot FILE.svg]
        [--uncertainty [--sigma S] [--samples N] [--seed N] [--precision P]]
  interphase react A B [--data FILE] --map [--open EL] [--from V] [--to V] [--include-no-mixing-energy] [--json]
      interface reaction of x·A + (1−x)·B: every kink (x, reaction energy per atom of mixture,
      balanced reaction, products) and the minimum; with --open the system is open to EL at a
      voltage vs EL metal (or at μ relative to its reference, eV/atom), energies per non-EL atom;
      --map gives the minimum over a voltage range (default Li, 0 to 5 V) with its breakpoints.
      Open: by default the interface alone (pymatgen include_no_mixing_energy=false, as the
      screens and the demo); --include-no-mixing-energy counts each reactant's own reaction with
      the reservoir too (the total). --use-hull-energy: reactants at their hull energies (default:
      their lowest entries). Every report names its conventions. The phase diagram is the
      chemical system of A + B (+ EL) cut out of FILE (e.g. the MP formation-energy table);
      without --data, of the embedded Materials Project data (said on stderr).
      A and B may have fractional amounts (Li0.5CoO2, LiNi1/3Mn1/3Co1/3O2). --plot: the reaction
      curve as SVG. --uncertainty: the minimum's and x's distributions, the products at the
      minimum and how often, the curve's 5–95 % band (JSON "uncertainty": {"minimum", "x",
      "products": [{"products", "p", "se"}], "curve": {"x", "q05", "q50", "q95"}, …}).
      Accepted: --voltage, --from, --to from -100 to 100 (V vs the metal); --mu from -100 to
      100 (eV/atom relative to the element); --valence from 0.1 to 10.
`;

const VALUED = ['data', 'open', 'voltage', 'mu', 'from', 'to', 'valence', 'plot', ...UNCERTAINTY_VALUED];
const BOOLEAN = ['json', 'use-hull-energy', 'include-no-mixing-energy', 'map', ...UNCERTAINTY_BOOLEAN];

/** Runs `react`; returns the exit code (throws UsageError for a bad command line, Error for bad input). */
export async function reactCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, VALUED);
  checkFlags(p, [...VALUED, ...BOOLEAN], 'react');
  rejectDashed(p, 'react', true);
  if (p.positional.length !== 2) throw new UsageError(`react takes two reactants A B, got ${p.positional.length}${p.positional.length ? ` (${p.positional.join(' ')})` : ''}`);
  const [a, b] = p.positional as [string, string];
  const dataFlag = p.flags.get('data');
  if (dataFlag === true) throw new UsageError('--data needs a FILE');
  const file = dataFlag ?? DEFAULT_DATA_INFO.name;
  const map = p.flags.has('map');
  const voltage = voltageFlag(p, 'voltage');
  const mu = muFlag(p, 'mu');
  const valence = numberFlag(p, 'valence', 0.1, 10, 'the ion charge z');
  const from = voltageFlag(p, 'from');
  const to = voltageFlag(p, 'to');
  let open = p.flags.get('open') as string | undefined;
  if (map) {
    if (voltage !== undefined || mu !== undefined) throw new UsageError('--map covers a voltage range: give --from/--to, not --voltage/--mu');
    open ??= 'Li';
  } else {
    if (from !== undefined || to !== undefined) throw new UsageError('--from/--to need --map');
    if (open !== undefined && voltage === undefined && mu === undefined) throw new UsageError(`--open ${open} needs --voltage V or --mu MU`);
    if (open === undefined && (voltage !== undefined || mu !== undefined))
      throw new UsageError(`--${voltage !== undefined ? 'voltage' : 'mu'} needs --open EL (the element exchanged with the reservoir)`);
    if (voltage !== undefined && mu !== undefined) throw new UsageError('give --voltage or --mu, not both');
  }
  if (valence !== undefined && open === undefined) throw new UsageError('--valence needs --open EL');
  const includeNoMixingEnergy = p.flags.has('include-no-mixing-energy');
  if (includeNoMixingEnergy && open === undefined) throw new UsageError('--include-no-mixing-energy needs --open EL (it decides how an open system counts each reactant)');
  const sampling = samplingFlags(p);
  const workers = samplingWorkers(p);
  if (workers && !sampling) throw new UsageError('--workers needs --uncertainty');
  const plot = plotFlag(p);
  if (map && (sampling || plot !== undefined)) throw new UsageError(`--${sampling ? 'uncertainty' : 'plot'} is for one reaction, not --map`);

  const c1 = parseReactant(a, 'reactant A');
  const c2 = parseReactant(b, 'reactant B');
  const system = new Set([...c1.elements, ...c2.elements, ...(open ? [open] : [])]);
  if (dataFlag === undefined) io.stderr(`interphase: no --data given: using the embedded data (${DEFAULT_DATA_INFO.name}: Materials Project formation energies, CC BY 4.0)\n`);
  const { entries, seen } = await systemEntries(dataFlag === undefined ? await defaultEntries() : file, system);
  for (const [name, given, c] of [
    ['A', a, c1],
    ['B', b, c2],
  ] as const) {
    const missing = c.elements.filter((el) => !seen.has(el));
    if (missing.length) throw new Error(`reactant ${name} ${given}: ${missing.join(', ')} ${missing.length > 1 ? 'appear' : 'appears'} in no entry of ${file}`);
  }
  if (open !== undefined && !seen.has(open)) throw new Error(`open element ${open} appears in no entry of ${file}`);
  const pd = new PhaseDiagram(entries);
  const useHullEnergy = p.flags.has('use-hull-energy');

  if (map) {
    const m = voltageMap(a, b, pd, {
      element: open!,
      names: ['A', 'B'],
      useHullEnergy,
      includeNoMixingEnergy,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(valence !== undefined ? { valence } : {}),
    });
    io.stdout(p.flags.has('json') ? `${JSON.stringify(mapJson(a, b, m, useHullEnergy))}\n` : mapText(a, b, m, pd, file, useHullEnergy));
    return 0;
  }
  const options: InterfaceReactionOptions = { useHullEnergy, names: ['A', 'B'], includeNoMixingEnergy };
  if (open !== undefined) {
    options.open = voltage !== undefined ? { element: open, voltage } : { element: open, mu: mu! };
    if (valence !== undefined) options.open.valence = valence;
  }
  const r = interfaceReaction(a, b, pd, options);
  let sampled: (SampledReaction & SamplingReport) | undefined;
  if (sampling) {
    const { useHullEnergy: u, open: o } = options;
    sampled = await withEngine(workers, (engine) =>
      sampledReactionOnEngine(engine, c1.toDict(), c2.toDict(), { ...sampling, useHullEnergy: u ?? false, includeNoMixingEnergy, ...(o ? { open: o } : {}), data: entries, dataName: file }),
    );
  }
  if (plot !== undefined) {
    const band = sampled ? { band: { x: sampled.curve.x, lo: sampled.curve.q05, hi: sampled.curve.q95, label: `5–95 % of ${sampled.samples} samples` } } : {};
    await writeSvg(
      plot,
      reactionCurveSvg({
        c1: a,
        c2: b,
        ...(r.open && Number.isFinite(r.open.voltage) ? { open: { element: r.open.element, voltage: r.open.voltage } } : {}),
        kinks: r.kinks.map((k) => ({ x: k.x, energy: k.energyPerAtom, products: sortedProducts(k) })),
        ...(r.curve.x.length > r.kinks.length ? { curve: { x: [...r.curve.x], energy: [...r.curve.energyPerAtom] } } : {}),
        ...band,
      }),
    );
  }
  if (p.flags.has('json')) io.stdout(`${JSON.stringify({ ...reactionJson(a, b, r), ...(sampled ? { uncertainty: uncertaintyJson(sampled) } : {}) })}\n`);
  else io.stdout(reactionText(a, b, r, pd, file) + (sampled ? uncertaintyText(sampled, r) : ''));
  return 0;
}

function uncertaintyJson(s: SampledReaction & SamplingReport) {
  return {
    ...samplingJson(s),
    minimum: distributionJson(s.minimum),
    x: distributionJson(s.x),
    products: s.products.map((q) => ({ products: [...q.value], p: q.p, se: q.se })),
    curve: s.curve,
  };
}

function uncertaintyText(s: SampledReaction & SamplingReport, r: InterfaceReaction): string {
  const scale = r.open ? `eV per non-${r.open.element} atom` : 'eV/atom';
  return (
    `\n${samplingText(s)}\n` +
    `  minimum ${bandText(s.minimum, 4)} ${scale}, std ${s.minimum.std.toFixed(4)}; at x = ${bandText(s.x, 4)}\n` +
    `  products at the minimum: ${s.products.map((q) => `${q.value.join(' + ')} ${percent(q.p)}`).join(', ')}\n`
  );
}

/** Entries of FILE whose elements all lie in `system`, and every element FILE mentions. */
async function systemEntries(file: string | readonly Entry[], system: ReadonlySet<string>): Promise<{ entries: Entry[]; seen: Set<string> }> {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  try {
    for await (const e of typeof file === 'string' ? streamEntries(file) : file) {
      let inside = true;
      for (const el of e.composition.elements) {
        seen.add(el);
        if (!system.has(el)) inside = false;
      }
      if (inside) entries.push(e);
    }
  } catch (err) {
    const reason = fileErrorReason(err);
    if (reason !== undefined) throw new Error(`cannot read ${String(file)}: ${reason}`, { cause: err });
    throw err;
  }
  return { entries, seen };
}

const sortedProducts = (k: InterfaceReaction['kinks'][number]) => k.products.map((q) => q.formula).sort();

/** `--json`: the keys of /work/shared/reference (`interfaces` items), plus products per kink. */
export function reactionJson(a: string, b: string, r: InterfaceReaction) {
  return {
    c1: a,
    c2: b,
    open: r.open ? [r.open.element, r.open.voltage] : null,
    use_hull_energy: r.useHullEnergy,
    include_no_mixing_energy: r.open ? r.includeNoMixingEnergy : null,
    convention: reactionConvention({ open: r.open?.element, norm: r.norm, useHullEnergy: r.useHullEnergy, includeNoMixingEnergy: r.includeNoMixingEnergy }),
    kinks: r.kinks.map((k) => ({
      x: k.x,
      energy_per_atom: k.energyPerAtom,
      reaction: k.reaction,
      products: sortedProducts(k),
      ...(k.volumeChange !== undefined ? { volume_change: k.volumeChange } : {}),
    })),
    minimum: { x: r.minimum.x, energy_per_atom: r.minimum.energyPerAtom },
  };
}

function mapJson(a: string, b: string, m: VoltageMap, useHullEnergy: boolean) {
  return {
    c1: a,
    c2: b,
    open: m.element,
    use_hull_energy: useHullEnergy,
    include_no_mixing_energy: m.includeNoMixingEnergy,
    convention: reactionConvention({ open: m.element, useHullEnergy, includeNoMixingEnergy: m.includeNoMixingEnergy }),
    from: m.from,
    to: m.to,
    breakpoints: m.breakpoints,
    pieces: m.pieces.map((q) => ({
      from: q.from,
      to: q.to,
      energy_from: q.energyFrom,
      energy_to: q.energyTo,
      x: q.kink.x,
      reaction: q.kink.reaction,
      products: [...q.products].sort(),
    })),
  };
}

const f4 = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4);

function header(a: string, b: string, pd: PhaseDiagram, file: string): string {
  return `${a} | ${b}: x·${a} + (1−x)·${b} over ${pd.elements.join('-')} (${pd.entries.length} entries of ${file})`;
}

function reactionText(a: string, b: string, r: InterfaceReaction, pd: PhaseDiagram, file: string): string {
  const rows = r.kinks.map((k) => [f4(k.x), f4(k.energyPerAtom), k.reaction]);
  const scale = r.open ? `eV per non-${r.open.element} atom` : 'eV/atom';
  const where = r.open ? `open to ${r.open.element} at ${Number.isNaN(r.open.voltage) ? `μ = ${r.open.mu} eV/atom` : `${r.open.voltage} V`}` : 'closed';
  const m = r.minimum;
  const conv = conventionLines({ open: r.open?.element, norm: r.norm, useHullEnergy: r.useHullEnergy, includeNoMixingEnergy: r.includeNoMixingEnergy });
  return (
    `${header(a, b, pd, file)}, ${where}\n\n` +
    formatTable(['x', `E (${scale})`, 'reaction'], rows, { align: 'rrl' }) +
    `\nminimum ${f4(m.energyPerAtom)} ${scale} at x = ${f4(m.x)}: ${m.kink.reaction}\n` +
    conv.map((l) => `${l}\n`).join('')
  );
}

function mapText(a: string, b: string, m: VoltageMap, pd: PhaseDiagram, file: string, useHullEnergy: boolean): string {
  const rows = m.pieces.map((q) => [`${q.from.toFixed(3)}–${q.to.toFixed(3)}`, `${f4(q.energyFrom)} → ${f4(q.energyTo)}`, f4(q.kink.x), q.kink.reaction]);
  const conv = conventionLines({ open: m.element, useHullEnergy, includeNoMixingEnergy: m.includeNoMixingEnergy });
  return (
    `${header(a, b, pd, file)}, open to ${m.element}: minimum reaction energy vs voltage (exact breakpoints)\n\n` +
    formatTable(['V', `E_min (eV per non-${m.element} atom)`, 'x', 'reaction at the minimum'], rows, { align: 'rrrl' }) +
    conv.map((l) => `${l}\n`).join('')
  );
}
