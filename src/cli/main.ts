import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadEntries } from '../io/node.js';
import { hullReport, type HullReport } from '../thermo/index.js';
import { formatTable } from './table.js';
import { checkFlags, parseArgs, UsageError, type CliIO, fileErrorReason } from './args.js';
import { reactCommand, REACT_USAGE } from './react.js';
import { screenStabilityCommand, SCREEN_USAGE } from './screen-stability.js';
import { screenCommand, SCREEN_WORKFLOWS_USAGE } from './screen-workflows.js';
import { demo } from './demo.js';
import { windowCommand, WINDOW_USAGE } from './window.js';
import { workerCommand, WORKER_USAGE } from './worker.js';

export type { CliIO } from './args.js';

const USAGE = `interphase — thermodynamic stability of solid electrolytes and interfaces

Usage:
  interphase demo                    windows of the common solid electrolytes and their reactivity
                                     with Li and LiCoO2, on the embedded Materials Project data
  interphase hull FILE [--json]      stable phases, E_hull, decompositions of every entry in FILE
  ${WINDOW_USAGE.trim()}
${REACT_USAGE.trimEnd()}
  interphase screen stability|windows|interfaces|coatings|anode ...   screening workflows (below)
${WORKER_USAGE}

FILE: pymatgen entry JSON (.json/.json.gz), records with composition + e_form_per_atom,
CSV formula,e_form_per_atom[,id] or formula,energy[,id] (.csv/.csv.gz), or Materials Project
API documents. Datasets spanning many elements are evaluated per chemical system.

${SCREEN_USAGE.trim()}

${SCREEN_WORKFLOWS_USAGE.trim()}
`;

async function hullCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, []);
  checkFlags(p, ['json'], 'hull');
  const dashed = p.positional.find((a) => a.length > 1 && a.startsWith('-'));
  if (dashed !== undefined) throw new UsageError(`unknown option ${dashed} for 'hull'`);
  if (p.positional.length !== 1) throw new UsageError('hull takes exactly one FILE');
  const file = p.positional[0]!;
  const entries = await loadEntries(file).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot read ${file}: ${reason}`, { cause: err });
  });
  const progress = io.isTTY ? (done: number, total: number) => io.stderr(`\r${done}/${total} entries`) : undefined;
  const report = hullReport(entries, progress ? { onProgress: progress } : {});
  if (progress) io.stderr('\n');
  if (p.flags.has('json')) io.stdout(`${JSON.stringify(report)}\n`);
  else io.stdout(hullTable(report));
  return 0;
}

function hullTable(report: HullReport): string {
  const fmt = (v: number) => v.toFixed(4);
  const rows = report.entries.map((e) => [
    e.id,
    e.formula,
    fmt(e.e_form_per_atom),
    fmt(e.e_above_hull),
    e.stable ? 'yes' : '',
    e.stable
      ? e.phase_separation_energy !== undefined
        ? `(phase separation ${fmt(e.phase_separation_energy)})`
        : ''
      : Object.entries(e.decomposition)
          .map(([id, f]) => `${f.toFixed(3)} ${id}`)
          .join(' + '),
  ]);
  const nStable = report.entries.filter((e) => e.stable).length;
  return (
    formatTable(['id', 'formula', 'E_form', 'E_hull', 'stable', 'decomposition'], rows, { align: 'llrrll' }) +
    `\n${report.entries.length} entries over ${report.elements.join('-')}, ${nStable} stable (energies in eV/atom)\n`
  );
}

/** Runs the CLI; returns the exit code (0 ok, 1 bad input or failure, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'hull':
        return await hullCommand(rest, io);
      case 'window':
        return await windowCommand(rest, io);
      case 'react':
        return await reactCommand(rest, io);
      case 'screen': {
        const [workflow, ...more] = rest;
        if (workflow === 'stability') return await screenStabilityCommand(more, io);
        return await screenCommand(rest, io);
      }
      case 'worker':
        return await workerCommand(rest, io);
      case 'demo':
        if (rest.length) throw new UsageError('demo takes no arguments');
        return await demo(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`interphase: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`interphase: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// Run when executed as the bin (dist/cli.js), not when imported.
if (typeof process !== 'undefined' && process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

function processIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
