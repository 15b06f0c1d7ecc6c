/**
 * What the `screen` workflows share on the command line: the common flags (--data, --out, --plot,
 * --json, --csv), loading the data, --workers and the choice between the engine and this thread,
 * progress bars, and writing tables, JSON, CSV and plots.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { checkFlags, fileErrorReason, parseArgs, rejectDashed, UsageError, type CliIO, type Parsed } from './args.js';
import { workersFlag as workersArg } from './workers-flag.js';
import { DEFAULT_DATA_INFO } from '../io/index.js';
import { createEngine, type Engine } from '../engine/index.js';
import type { Entry } from '../core/index.js';
import { loadEntries } from '../io/node.js';
import { progressBar, type ProgressBar } from './progress.js';
import { SCREEN_USE_HULL_ENERGY, screenData, type ScreenData } from '../screen/index.js';
import { QUEUE_VALUED, queueFlags, startQueueRun } from './queue.js';
import type { QueueOptions } from '../engine/index.js';

export type Format = 'table' | 'json' | 'csv';

export const COMMON_VALUED = ['data', 'out', 'plot'];
export const COMMON_BOOLEAN = ['json', 'csv'];

export interface Common {
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
  /** `--queue URL [--resume RUN]` (commands that take QUEUE_VALUED): run on the queue. */
  queue: QueueOptions | undefined;
}

export async function common(name: string, args: readonly string[], io: CliIO, valued: string[], boolean: string[]): Promise<Common> {
  const p = parseArgs(args, [...COMMON_VALUED, ...valued]);
  checkFlags(p, [...COMMON_VALUED, ...COMMON_BOOLEAN, ...valued, ...boolean], `screen ${name}`);
  rejectDashed(p, `screen ${name}`);
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
  const queue = valued.includes(QUEUE_VALUED[0]!) ? queueFlags(p) : undefined;
  return { p, format, out, plot, name: dataName, entries, queue, data: () => (data ??= entries ? screenData(entries, file) : screenData()) };
}

/**
 * The screens' reactant energies from the command line: hull energies by default
 * (SCREEN_USE_HULL_ENERGY); --entry-energies for the lowest entries; --use-hull-energy is accepted
 * (the default, said explicitly).
 */
export function hullEnergyFlag(p: Parsed): boolean {
  if (p.flags.has('entry-energies') && p.flags.has('use-hull-energy')) throw new UsageError('give one of --use-hull-energy and --entry-energies');
  return p.flags.has('entry-energies') ? false : SCREEN_USE_HULL_ENERGY;
}

/** One sentence naming the reactant energies of a screen. */
export function hullEnergyNote(useHullEnergy: boolean, data: string): string {
  return useHullEnergy
    ? 'reactants at their hull energies (use_hull_energy=true: a reactant above the hull counts as its equilibrium mixture; --entry-energies for their lowest entries)'
    : `reactants at their lowest entries in ${data} (use_hull_energy=false: a metastable reactant's own decomposition counts), absent ones at their hull energy`;
}

/** --workers N (0: this thread; at most WORKERS_PER_CORE per core); `dflt` undefined: the available cores. */
export function workersFlag(p: Parsed, dflt: number | undefined): number | undefined {
  return workersArg(p, dflt, availableParallelism());
}

/**
 * Runs `viaEngine` on an engine of `workers` (undefined: the cores) closed afterwards, or `here` for
 * 0; with `queue`, on the queue (Ctrl-C cancels: `viaEngine` gets the signal).
 */
export async function onEngineOrHere<T>(
  workers: number | undefined,
  viaEngine: (engine: Engine, signal?: AbortSignal) => Promise<T>,
  here: () => Promise<T>,
  queue?: { options: QueueOptions | undefined; io: CliIO },
): Promise<T> {
  if (queue?.options) {
    const run = await startQueueRun(queue.options, queue.io);
    try {
      return await viaEngine(run.engine, run.signal);
    } finally {
      await run.close();
    }
  }
  if (workers === 0) return here();
  const engine = await createEngine(workers === undefined ? {} : { workers });
  try {
    return await viaEngine(engine);
  } finally {
    await engine.close();
  }
}

/** The data of a command for an engine job. */
export const engineData = (c: Common): { data?: readonly Entry[]; dataName: string } => (c.entries ? { data: c.entries, dataName: c.name } : { dataName: c.name });

export const listFlag = (p: Parsed, name: string): string[] | undefined => {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const items = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new UsageError(`--${name} needs a comma-separated list`);
  return items;
};

export function bar(io: CliIO, unit: string, label: string): ProgressBar {
  return progressBar(io.isTTY ? io.stderr : undefined, { unit, label });
}

export async function emit(io: CliIO, c: Common, text: { table: () => string; json: () => unknown; csv: () => string }): Promise<void> {
  const s = c.format === 'json' ? `${JSON.stringify(text.json())}\n` : c.format === 'csv' ? text.csv() : text.table();
  if (c.out !== undefined) {
    await writeFile(c.out, s).catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot write ${c.out}: ${reason}`, { cause: err });
    });
  } else io.stdout(s);
}

export async function writePlot(c: Common, svg: string): Promise<void> {
  await writeFile(c.plot!, svg).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot write ${c.plot}: ${reason}`, { cause: err });
  });
}

export const f3 = (v: number | null) => (v === null ? '∞' : (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3));
export const f4 = (v: number | null) => (v === null ? '–' : (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4));
/** Values within 1e-12 of zero (LP round-off) as 0. */
export const clean = (v: number | null): number | null => (v !== null && Math.abs(v) < 1e-12 ? 0 : v);

export function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  const cell = (v: string | number | boolean | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------------
// windows
