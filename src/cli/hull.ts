// `interphase hull FILE [--json] [--out FILE]`: stable phases, E_hull, decompositions and
// phase-separation energies of every entry of a file, each within its own chemical system.
// --plot and --uncertainty are hull-sampled.ts, loaded only when asked for (start-up).
// Rows are made one at a time and written as they are made (output.ts): the text table takes its
// column widths in a first pass over the rows, then writes them in a second.
import { loadEntries } from '../io/node.js';
import { hullRows, initWasm } from '../thermo/index.js';
import { checkFlags, fileErrorReason, parseArgs, rejectDashed, UsageError, type CliIO } from './args.js';
import { HULL_ALIGN as ALIGN, HULL_FLAGS, HULL_HEADER as HEADER, HULL_VALUED, hullCells as cells, outFlag } from './hull-flags.js';
import { UNCERTAINTY_USAGE } from './uncertainty-flags.js';
import { openOutput } from './output.js';
import { tableLine } from './table.js';

export const HULL_USAGE = `Usage: interphase hull FILE [--json] [--out FILE] [--plot FILE.svg]
         [--uncertainty [--sigma S] [--samples N] [--seed N] [--precision P] [--workers N]]

  Stable phases, E_hull, decompositions (and the phase-separation energies of stable compounds)
  of every entry in FILE, each within its own chemical system — one phase diagram for a ternary,
  the whole periodic table for the MP table.

  FILE         pymatgen entry JSON (.json/.json.gz), records with composition + e_form_per_atom,
               CSV formula,e_form_per_atom[,id] or formula,energy[,id] (.csv/.csv.gz), or
               Materials Project API documents
  --json       {"elements", "entries": [{"id", "formula", "e_form_per_atom", "e_above_hull",
               "stable", "decomposition", "phase_separation_energy"?}]} (pymatgen's keys)
  --out FILE   write to FILE instead of stdout
  --plot FILE.svg  the hull of a binary or ternary FILE (coloured by P(stable) with --uncertainty)
${UNCERTAINTY_USAGE}
`;

export async function hullCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, HULL_VALUED);
  checkFlags(p, HULL_FLAGS, 'hull');
  rejectDashed(p, 'hull');
  if (p.positional.length !== 1) throw new UsageError(`hull takes exactly one FILE${p.positional.length ? `, got ${p.positional.length}: ${p.positional.join(' ')}` : ''}`);
  const outFile = outFlag(p);
  // Any flag beyond --json and --out is the plot's or the sampling's (which also checks them).
  if ([...p.flags.keys()].some((f) => f !== 'json' && f !== 'out')) return (await import('./hull-sampled.js')).hullSampledCommand(args, io);
  const file = p.positional[0]!;
  initWasm().catch(() => {}); // compiles while the file loads (the hull finds it ready)
  const entries = await loadEntries(file).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot read ${file}: ${reason}`, { cause: err });
  });
  const progress = io.isTTY ? (done: number, total: number) => io.stderr(`\r${done}/${total} entries`) : undefined;
  const report = hullRows(entries, progress ? { onProgress: progress } : {});
  if (progress) io.stderr('\n');
  const out = await openOutput(io, outFile);
  try {
    if (p.flags.has('json')) {
      await out.write(`{"elements":${JSON.stringify(report.elements)},"entries":[`);
      let first = true;
      for (const row of report.rows()) {
        await out.write(first ? JSON.stringify(row) : `,${JSON.stringify(row)}`);
        first = false;
      }
      await out.write(']}\n');
    } else {
      const width = HEADER.map((h) => h.length);
      for (const row of report.rows()) cells(row).forEach((c, k) => (width[k] = Math.max(width[k]!, c.length)));
      await out.write(tableLine(HEADER, width, ALIGN));
      await out.write(
        tableLine(
          width.map((w) => '-'.repeat(w)),
          width,
          ALIGN,
        ),
      );
      for (const row of report.rows()) await out.write(tableLine(cells(row), width, ALIGN));
      await out.write(`\n${report.count} entries over ${report.elements.join('-')}, ${report.stableCount} stable (energies in eV/atom)\n`);
    }
  } finally {
    await out.close();
  }
  return 0;
}
