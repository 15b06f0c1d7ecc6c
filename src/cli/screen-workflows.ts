/**
 * `interphase screen windows|interfaces|coatings|anode`: the screening workflows of
 * screen-windows.ts, screen-interfaces.ts, screen-coatings.ts and screen-anode.ts from the shell.
 * Output: a text table (default), `--json`, `--csv`; `--out FILE`; `--plot FILE.svg`. Without
 * `--data` the embedded Materials Project data are used (said on stderr). Work runs in this thread
 * (each workflow is a few hundred small LPs per second; the worker engine is for `screen stability`).
 */
import { writeFile } from 'node:fs/promises';
import { checkFlags, fileErrorReason, numberFlag, parseArgs, UsageError, type CliIO, type Parsed } from './args.js';
import { DEFAULT_DATA_INFO } from '../io/index.js';
import { createEngine, type Engine } from '../engine/index.js';
import type { Entry } from '../core/index.js';
import { loadEntries } from '../io/node.js';
import { rankingSvg, voltageStaircaseSvg, type RankingRow } from '../plot/index.js';
import { progressBar, type ProgressBar } from './progress.js';
import { screenAnode, type AnodeRow } from '../screen/index.js';
import { screenCoatings, type CoatingOptions, type CoatingsResult } from '../screen/index.js';
import { screenData, type ScreenData } from '../screen/index.js';
import { DEFAULT_ELECTRODES, screenInterfaces, type InterfacesResult } from '../screen/index.js';
import { screenCoatingsOnEngine, screenInterfacesOnEngine } from '../screen/index.js';
import { screenWindows, windowStaircase, type WindowsResult } from '../screen/index.js';
import { formatTable } from './table.js';

export const SCREEN_WORKFLOWS_USAGE = `Screening workflows (without --data: the embedded Materials Project data, said on stderr):
  interphase screen windows [FORMULA ...] [--element EL]
      electrochemical windows (reduction, oxidation V), E_hull, phase equilibrium and products
      beyond each limit; default: 18 common electrolytes; each open to its working ion (Li if it
      contains Li, else Na, K, ...; --element forces one)
  interphase screen interfaces [--electrolytes A,B,...] [--electrodes X,Y@V,...] [--voltage V] [--use-hull-energy]
        [--workers N]
      minimum reaction energy and products of every electrolyte x electrode pair, chemical and
      open to Li at the electrode's operating voltage (default electrodes and voltages:
      ${DEFAULT_ELECTRODES.map((e) => `${e.name} ${e.voltage} V`).join(', ')});
      --workers N: on N worker threads (default: this thread)
  interphase screen coatings [FORMULA ...] [--cathode LiCoO2] [--electrolyte Li3PS4] [--range 2.5,4.3]
        [--max-ehull 0.05] [--max-reaction 0.1] [--min-gap 1] [--closed-only] [--criteria xiao2019]
        [--limit N] [--use-hull-energy] [--workers N]
      cathode coatings by the criteria of Xiao et al. (Joule 2019): every Li compound of the data
      (or the FORMULAs) with E_hull, window, reaction energies with cathode and electrolyte
      (closed and, unless --closed-only, at the top of the range) and band gap (when the data have
      band gaps), ranked. --criteria xiao2019: the paper's gates as a digest reports them (NMC111,
      Li3PS4, 2.7-4.0 V, E_hull 0.005, |reaction| 0.1 closed, gap 0.5; options still override).
      Runs on worker threads (--workers N; default: the cores; 0: this thread)
  interphase screen anode [FORMULA ...] [--min-gap 0.5] [--small-energy 0.05]
      products of each electrolyte with its metal (Li, or Na for Na electrolytes) at 0 V, their
      electronic character, and the interphase: stable, kinetically stable, passivating or
      mixed-conducting
  common options: --data FILE  --json | --csv  --out FILE  --plot FILE.svg
`;

type Format = 'table' | 'json' | 'csv';

const COMMON_VALUED = ['data', 'out', 'plot'];
const COMMON_BOOLEAN = ['json', 'csv'];

/** Runs `screen <workflow> ...`; returns the exit code (throws UsageError for a bad command line, Error for bad input). */
export async function screenCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [workflow, ...rest] = args;
  switch (workflow) {
    case 'windows':
      return windowsCommand(rest, io);
    case 'interfaces':
      return interfacesCommand(rest, io);
    case 'coatings':
      return coatingsCommand(rest, io);
    case 'anode':
      return anodeCommand(rest, io);
    default:
      throw new UsageError(
        workflow ? `unknown screening workflow '${workflow}' (windows, interfaces, coatings, anode, stability)` : 'screen needs a workflow: windows, interfaces, coatings, anode, stability',
      );
  }
}

interface Common {
  p: Parsed;
  format: Format;
  out: string | undefined;
  plot: string | undefined;
  /** The data's name in reports. */
  name: string;
  /** The entries of --data; undefined for the embedded table. */
  entries: readonly Entry[] | undefined;
  /** The data indexed in this thread (built on first call; not needed when an engine runs the job). */
  data: () => Promise<ScreenData>;
}

async function common(name: string, args: readonly string[], io: CliIO, valued: string[], boolean: string[]): Promise<Common> {
  const p = parseArgs(args, [...COMMON_VALUED, ...valued]);
  checkFlags(p, [...COMMON_VALUED, ...COMMON_BOOLEAN, ...valued, ...boolean], `screen ${name}`);
  const dashed = p.positional.find((a) => a.length > 1 && a.startsWith('-'));
  if (dashed !== undefined) throw new UsageError(`unknown option ${dashed} for 'screen ${name}'`);
  if (p.flags.has('json') && p.flags.has('csv')) throw new UsageError('give one of --json and --csv');
  const format: Format = p.flags.has('json') ? 'json' : p.flags.has('csv') ? 'csv' : 'table';
  const out = p.flags.get('out') as string | undefined;
  const plot = p.flags.get('plot') as string | undefined;
  if (plot !== undefined && !plot.toLowerCase().endsWith('.svg')) throw new UsageError(`--plot writes an SVG file: give a name ending in .svg, got ${JSON.stringify(plot)}`);
  const file = p.flags.get('data') as string | undefined;
  let entries: readonly Entry[] | undefined;
  if (file === undefined) {
    io.stderr(
      `interphase: no --data given: using the embedded data (${DEFAULT_DATA_INFO.name}: Materials Project formation energies, ` +
        `${DEFAULT_DATA_INFO.rows.toLocaleString('en-US')} compositions of ${DEFAULT_DATA_INFO.elements.length} elements; CC BY 4.0, Jain et al., APL Mater. 2013)\n`,
    );
  } else {
    entries = await loadEntries(file).catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot read ${file}: ${reason}`, { cause: err });
    });
  }
  const dataName = file ?? DEFAULT_DATA_INFO.name;
  let data: Promise<ScreenData> | undefined;
  return { p, format, out, plot, name: dataName, entries, data: () => (data ??= entries ? screenData(entries, file) : screenData()) };
}

/** --workers N (0: this thread); `dflt` undefined: the available cores. */
function workersFlag(p: Parsed, dflt: number | undefined): number | undefined {
  const w = numberFlag(p, 'workers', 0);
  if (w !== undefined && !Number.isInteger(w)) throw new UsageError(`--workers needs a whole number, got ${w}`);
  return w ?? dflt;
}

/** Runs `viaEngine` on an engine of `workers` (undefined: the cores) closed afterwards, or `here` for 0. */
async function onEngineOrHere<T>(workers: number | undefined, viaEngine: (engine: Engine) => Promise<T>, here: () => Promise<T>): Promise<T> {
  if (workers === 0) return here();
  const engine = await createEngine(workers === undefined ? {} : { workers });
  try {
    return await viaEngine(engine);
  } finally {
    await engine.close();
  }
}

/** The data of a command for an engine job. */
const engineData = (c: Common): { data?: readonly Entry[]; dataName: string } => (c.entries ? { data: c.entries, dataName: c.name } : { dataName: c.name });

const listFlag = (p: Parsed, name: string): string[] | undefined => {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const items = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new UsageError(`--${name} needs a comma-separated list`);
  return items;
};

function bar(io: CliIO, unit: string, label: string): ProgressBar {
  return progressBar(io.isTTY ? io.stderr : undefined, { unit, label });
}

async function emit(io: CliIO, c: Common, text: { table: () => string; json: () => unknown; csv: () => string }): Promise<void> {
  const s = c.format === 'json' ? `${JSON.stringify(text.json())}\n` : c.format === 'csv' ? text.csv() : text.table();
  if (c.out !== undefined) {
    await writeFile(c.out, s).catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot write ${c.out}: ${reason}`, { cause: err });
    });
  } else io.stdout(s);
}

async function writePlot(c: Common, svg: string): Promise<void> {
  await writeFile(c.plot!, svg).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot write ${c.plot}: ${reason}`, { cause: err });
  });
}

const f3 = (v: number | null) => (v === null ? '∞' : (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3));
const f4 = (v: number | null) => (v === null ? '–' : (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4));
/** Values within 1e-12 of zero (LP round-off) as 0. */
const clean = (v: number | null): number | null => (v !== null && Math.abs(v) < 1e-12 ? 0 : v);

function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  const cell = (v: string | number | boolean | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------------
// windows

async function windowsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('windows', args, io, ['element'], []);
  const element = c.p.flags.get('element') as string | undefined;
  const b = bar(io, 'materials', 'windows');
  let r: WindowsResult;
  try {
    r = screenWindows(await c.data(), c.p.positional.length ? c.p.positional : undefined, { onProgress: (d, t) => b.update(d, t), ...(element ? { element } : {}) });
  } finally {
    b.clear();
  }
  if (r.skipped.length) io.stderr(`interphase: left out (no entry in ${c.name}): ${r.skipped.join(', ')}\n`);
  const rows = r.rows.map((w) => ({ ...w, e_above_hull: clean(w.e_above_hull) }));
  await emit(io, c, {
    json: () => ({ workflow: 'windows', data: c.name, rows }),
    csv: () =>
      csv(
        ['name', 'formula', 'open_element', 'reduction_V', 'oxidation_V', 'e_above_hull', 'phase_equilibrium', 'reduction_products', 'oxidation_products'],
        rows.map((w) => [
          w.name,
          w.formula,
          w.open_element,
          w.reduction_V,
          w.oxidation_V,
          w.e_above_hull,
          w.phase_equilibrium.join(' + '),
          w.reduction_products?.join(' + ') ?? null,
          w.oxidation_products?.join(' + ') ?? null,
        ]),
      ),
    table: () =>
      formatTable(
        ['material', 'ion', 'window (V)', 'E_hull', 'phase equilibrium', 'below the window', 'above the window'],
        rows.map((w) => [
          w.name,
          w.open_element,
          `${f3(w.reduction_V)} – ${f3(w.oxidation_V)}`,
          w.e_above_hull === null ? 'not in data' : f4(w.e_above_hull),
          w.phase_equilibrium.join(' + '),
          w.reduction_products?.join(' + ') ?? (w.reduction_V === 0 ? `stable vs ${w.open_element}` : '–'),
          w.oxidation_products?.join(' + ') ?? '–',
        ]),
        { align: 'llrrlll' },
      ) +
      `\nwindows vs the open element's metal (Li/Li+, Na/Na+ for Na compounds), E_hull in eV/atom; ${c.name}` +
      (rows.some((w) => !w.in_data) ? '\n"not in data": the window of the composition\'s phase equilibrium' : '') +
      '\n',
  });
  if (c.plot !== undefined) {
    if (r.windows.length === 1) await writePlot(c, voltageStaircaseSvg(windowStaircase(r.windows[0]!)));
    else {
      const ranking: RankingRow[] = rows.map((w) => ({
        name: w.name,
        score: Math.min(w.oxidation_V ?? 10, 10) - w.reduction_V,
        values: { window: `${f3(w.reduction_V)}–${f3(w.oxidation_V)} V`, ion: w.open_element },
      }));
      await writePlot(c, rankingSvg(ranking, { scoreLabel: 'window width (V; ∞ capped at 10 V)', sort: 'desc', title: 'Electrochemical stability windows' }));
    }
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// interfaces

async function interfacesCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('interfaces', args, io, ['electrolytes', 'electrodes', 'voltage', 'workers'], ['use-hull-energy']);
  const workers = workersFlag(c.p, 0);
  if (c.p.positional.length) throw new UsageError(`screen interfaces takes no positional arguments (got ${c.p.positional.join(' ')}): use --electrolytes A,B and --electrodes X,Y`);
  const voltage = numberFlag(c.p, 'voltage', 0);
  const electrolytes = listFlag(c.p, 'electrolytes');
  const electrodes = listFlag(c.p, 'electrodes');
  const b = bar(io, 'pairs', 'interfaces');
  let r: InterfacesResult;
  try {
    const options = {
      ...(electrolytes ? { electrolytes } : {}),
      ...(electrodes ? { electrodes } : {}),
      ...(voltage !== undefined ? { voltage } : {}),
      useHullEnergy: c.p.flags.has('use-hull-energy'),
      onProgress: (d: number, t: number) => b.update(d, t),
    };
    r = await onEngineOrHere(
      workers,
      (engine) => screenInterfacesOnEngine(engine, { ...options, ...engineData(c) }),
      async () => screenInterfaces(await c.data(), options),
    );
  } finally {
    b.clear();
  }
  await emit(io, c, {
    json: () => ({ workflow: 'interfaces', data: c.name, electrodes: r.electrodes, electrolytes: r.electrolytes, rows: r.rows }),
    csv: () =>
      csv(
        [
          'electrolyte',
          'electrode',
          'voltage',
          'chemical_energy',
          'chemical_products',
          'at_voltage_energy',
          'at_voltage_products',
          'at_voltage_interface_energy',
          'at_voltage_interface_products',
          'min_energy',
        ],
        r.rows.map((x) => [
          x.electrolyte,
          x.electrode,
          x.voltage,
          x.chemical.energy,
          x.chemical.products.join(' + '),
          x.at_voltage?.energy ?? null,
          x.at_voltage?.products.join(' + ') ?? null,
          x.at_voltage_interface?.energy ?? null,
          x.at_voltage_interface?.products.join(' + ') ?? null,
          x.min_energy,
        ]),
      ),
    table: () =>
      formatTable(
        ['electrolyte', 'electrode', 'V', 'E chem', 'products (chemical)', 'E @V', 'products @V (interface)', 'E @V total'],
        r.rows.map((x) => [
          x.electrolyte,
          x.electrode,
          x.voltage.toFixed(2),
          f4(x.chemical.energy),
          x.chemical.products.join(' + '),
          f4(x.at_voltage_interface?.energy ?? null),
          x.at_voltage_interface ? x.at_voltage_interface.products.join(' + ') : 'Li metal is the reservoir',
          x.at_voltage ? `${f4(x.at_voltage.energy)}${x.open_minimum_alone ? ` (${x.open_minimum_alone} alone)` : ''}` : '–',
        ]),
        { align: 'llrrlrlr' },
      ) +
      `\nminimum reaction energies: chemical in eV/atom of mixture; at V (open to Li) in eV per non-Li atom —\n` +
      `"@V (interface)" without each material's own decomposition at V, "@V total" with it (pymatgen include_no_mixing_energy);\n` +
      `reactants absent from ${c.name} at their hull energy\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = r.rows.map((x) => ({
      name: `${x.electrolyte} | ${x.electrode}`,
      score: x.min_energy,
      values: { chem: Number(x.chemical.energy.toFixed(3)), '@V': x.at_voltage_interface ? Number(x.at_voltage_interface.energy.toFixed(3)) : '–' },
    }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'minimum reaction energy (eV/atom)', sort: 'desc', title: 'Interface reactivity', maxRows: 80 }));
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// coatings

async function coatingsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('coatings', args, io, ['cathode', 'electrolyte', 'range', 'max-ehull', 'max-reaction', 'min-gap', 'limit', 'criteria', 'workers'], ['use-hull-energy', 'closed-only']);
  const workers = workersFlag(c.p, undefined);
  const criteria = c.p.flags.get('criteria') as string | undefined;
  if (criteria !== undefined && criteria !== 'default' && criteria !== 'xiao2019') throw new UsageError(`--criteria is default or xiao2019, got ${JSON.stringify(criteria)}`);
  let range: [number, number] | undefined;
  const rv = c.p.flags.get('range');
  if (rv !== undefined) {
    const parts = String(rv)
      .split(/[,:]|(?<=\d)-(?=\d)/)
      .map((s) => Number(s.trim()));
    if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v >= 0) || parts[0]! > parts[1]!)
      throw new UsageError(`--range needs LOW,HIGH voltages (e.g. 2.5,4.3), got ${JSON.stringify(rv)}`);
    range = [parts[0]!, parts[1]!];
  }
  const limitV = numberFlag(c.p, 'limit', 1);
  if (limitV !== undefined && !Number.isInteger(limitV)) throw new UsageError(`--limit needs a whole number, got ${limitV}`);
  const maxEHull = numberFlag(c.p, 'max-ehull', 0);
  const maxReaction = numberFlag(c.p, 'max-reaction', 0);
  const minBandGap = numberFlag(c.p, 'min-gap', 0);
  const cathode = c.p.flags.get('cathode') as string | undefined;
  const electrolyte = c.p.flags.get('electrolyte') as string | undefined;
  const b = bar(io, 'candidates', 'coatings');
  const t0 = performance.now();
  let where = 'this thread';
  let r: CoatingsResult;
  try {
    const options: CoatingOptions = {
      ...(criteria ? { criteria: criteria as 'default' | 'xiao2019' } : {}),
      ...(c.p.flags.has('closed-only') ? { openReactions: false } : {}),
      ...(c.p.positional.length ? { candidates: c.p.positional } : {}),
      ...(cathode ? { cathode } : {}),
      ...(electrolyte ? { electrolyte } : {}),
      ...(range ? { cathodeRange: range } : {}),
      ...(maxEHull !== undefined ? { maxEHull } : {}),
      ...(maxReaction !== undefined ? { maxReaction } : {}),
      ...(minBandGap !== undefined ? { minBandGap } : {}),
      useHullEnergy: c.p.flags.has('use-hull-energy'),
      onProgress: (d, t) => b.update(d, t),
    };
    r = await onEngineOrHere(
      workers,
      (engine) => ((where = `${engine.size} worker${engine.size > 1 ? 's' : ''}`), screenCoatingsOnEngine(engine, { ...options, ...engineData(c) })),
      async () => screenCoatings(await c.data(), options),
    );
  } catch (e) {
    b.clear();
    throw e;
  }
  if (io.isTTY) {
    b.finish();
    io.stderr(`${r.candidates} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s (${where})\n`);
  }
  for (const f of r.failed.slice(0, 10)) io.stderr(`interphase: could not evaluate ${f.formula}: ${f.error}\n`);
  const t = r.thresholds;
  const gapNote = t.band_gaps_available ? `band gap >= ${t.min_band_gap} eV` : `band gap: not available (${c.name} carries no band gaps; criterion not judged)`;
  const shown = c.format === 'table' && limitV === undefined && c.p.positional.length === 0 ? 30 : limitV;
  const rows = (shown !== undefined ? r.rows.slice(0, shown) : r.rows).map((x) => ({ ...x, e_above_hull: clean(x.e_above_hull) }));
  const mark = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'no');
  await emit(io, c, {
    json: () => ({ workflow: 'coatings', data: c.name, thresholds: t, candidates: r.candidates, rows, failed: r.failed }),
    csv: () =>
      csv(
        [
          'rank',
          'formula',
          'e_above_hull',
          'reduction_V',
          'oxidation_V',
          'cathode_chemical',
          'cathode_at_voltage',
          'electrolyte_chemical',
          'electrolyte_at_voltage',
          'band_gap',
          'pass_e_above_hull',
          'pass_window',
          'pass_cathode_reaction',
          'pass_electrolyte_reaction',
          'pass_band_gap',
          'passed',
          'judged',
          'score',
        ],
        rows.map((x) => [
          x.rank,
          x.formula,
          x.e_above_hull,
          x.reduction_V,
          x.oxidation_V,
          x.cathode_chemical.energy,
          x.cathode_at_voltage?.energy ?? null,
          x.electrolyte_chemical.energy,
          x.electrolyte_at_voltage?.energy ?? null,
          x.band_gap,
          x.criteria.e_above_hull,
          x.criteria.window,
          x.criteria.cathode_reaction,
          x.criteria.electrolyte_reaction,
          x.criteria.band_gap,
          x.passed,
          x.judged,
          x.score,
        ]),
      ),
    table: () =>
      formatTable(
        [
          '#',
          'coating',
          'E_hull',
          'window (V)',
          `${t.cathode_name} chem`,
          `@${t.cathode_range_V[1]} V`,
          `${t.electrolyte_name} chem`,
          `@${t.cathode_range_V[1]} V`,
          'gap',
          'passed',
          'criteria E_hull/window/cathode/electrolyte/gap',
        ],
        rows.map((x) => [
          String(x.rank),
          x.formula,
          x.e_above_hull === null ? 'not in data' : f4(x.e_above_hull),
          `${f3(x.reduction_V)} – ${f3(x.oxidation_V)}`,
          f4(x.cathode_chemical.energy),
          x.cathode_at_voltage ? f4(x.cathode_at_voltage.energy) : 'n/a',
          f4(x.electrolyte_chemical.energy),
          x.electrolyte_at_voltage ? f4(x.electrolyte_at_voltage.energy) : 'n/a',
          x.band_gap === null ? 'n/a' : x.band_gap.toFixed(2),
          `${x.passed}/${x.judged}`,
          [x.criteria.e_above_hull, x.criteria.window, x.criteria.cathode_reaction, x.criteria.electrolyte_reaction, x.criteria.band_gap].map(mark).join('/'),
        ]),
        { align: 'rlrrrrrrrrl' },
      ) +
      `\n${r.candidates} candidates${rows.length < r.rows.length ? `, best ${rows.length} shown (--limit N, --json for all)` : ''}; criteria (Xiao et al., Joule 3, 1252 (2019); thresholds are options):\n` +
      `  E_hull <= ${t.max_e_above_hull} eV/atom; window covers ${t.cathode_range_V[0]}–${t.cathode_range_V[1]} V vs Li/Li+; reaction energies with ${t.cathode_name} and ${t.electrolyte_name}\n` +
      `  >= -${t.max_reaction_energy} eV/atom (${t.open_reactions ? `closed: per atom; at ${t.cathode_range_V[1]} V open to Li: per non-Li atom, interface alone` : 'closed only, per atom'}); ${gapNote}\n` +
      (t.criteria === 'xiao2019' ? `  thresholds: ${t.source}\n` : '') +
      `  ranked by criteria passed, then the most negative reaction energy\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = rows.slice(0, 60).map((x) => ({
      name: x.formula,
      score: x.score,
      pass: x.pass_all,
      values: { passed: `${x.passed}/${x.judged}`, window: `${f3(x.reduction_V)}–${f3(x.oxidation_V)} V`, E_hull: x.e_above_hull === null ? 'n/a' : Number(x.e_above_hull.toFixed(3)) },
    }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'most negative reaction energy (eV/atom)', threshold: -t.max_reaction_energy, title: `Coatings for ${t.cathode} | ${t.electrolyte}` }));
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// anode

async function anodeCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('anode', args, io, ['min-gap', 'small-energy'], []);
  const data = await c.data();
  const minBandGap = numberFlag(c.p, 'min-gap', 0);
  const smallEnergy = numberFlag(c.p, 'small-energy', 0);
  const b = bar(io, 'materials', 'anode');
  let rows: AnodeRow[];
  try {
    rows = screenAnode(data, {
      ...(c.p.positional.length ? { electrolytes: c.p.positional } : {}),
      ...(minBandGap !== undefined ? { minBandGap } : {}),
      ...(smallEnergy !== undefined ? { smallEnergy } : {}),
      onProgress: (d, t) => b.update(d, t),
    });
  } finally {
    b.clear();
  }
  const prod = (x: AnodeRow) => x.products.map((p) => `${p.formula} (${p.electronic === 'insulating' ? 'ins' : 'cond'}${p.inferred ? '*' : ''})`).join(' + ');
  await emit(io, c, {
    json: () => ({ workflow: 'anode', data: c.name, band_gaps_available: data.hasBandGaps, rows }),
    csv: () =>
      csv(
        ['electrolyte', 'formula', 'metal', 'reduction_V', 'products', 'conducting', 'reaction_energy', 'interphase', 'reaction'],
        rows.map((x) => [
          x.electrolyte,
          x.formula,
          x.metal,
          x.reduction_V,
          x.products.map((p) => `${p.formula}:${p.electronic}${p.inferred ? ':inferred' : ''}`).join(' '),
          x.conducting.join(' '),
          x.reaction_energy,
          x.interphase,
          x.reaction,
        ]),
      ),
    table: () =>
      formatTable(
        ['electrolyte', 'metal', 'reduction (V)', 'products at 0 V', 'E_rxn', 'interphase'],
        rows.map((x) => [x.electrolyte, x.metal, f3(x.reduction_V), prod(x), f4(x.reaction_energy), x.interphase]),
        { align: 'llrlrl' },
      ) +
      `\nins/cond: electronically insulating / conducting; * inferred from the chemistry (${data.hasBandGaps ? 'no band gap in the data for it' : `${c.name} carries no band gaps`});\n` +
      `E_rxn: minimum reaction energy with the metal (eV/atom); kinetically-stable: reacts with |E_rxn| below the small-energy threshold\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = rows.map((x) => ({ name: x.electrolyte, score: x.reaction_energy, pass: x.interphase !== 'mixed-conducting', values: { interphase: x.interphase } }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'reaction energy with the metal (eV/atom)', sort: 'desc', title: 'Anode interphases' }));
  }
  return 0;
}
