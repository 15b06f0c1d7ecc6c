// `interphase hull FILE [--json]`: stable phases, E_hull, decompositions and phase-separation
// energies of every entry of a file, each within its own chemical system.
import { loadEntries } from '../io/node.js';
import { hullReport, type HullReport } from '../thermo/index.js';
import { checkFlags, type CliIO, fileErrorReason, parseArgs, UsageError } from './args.js';
import { formatTable } from './table.js';

/** Runs `hull`; returns the exit code (throws UsageError for a bad command line, Error for bad input). */
export async function hullCommand(args: readonly string[], io: CliIO): Promise<number> {
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
