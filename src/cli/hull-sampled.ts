// `interphase hull FILE … --plot FILE.svg | --uncertainty …` (hull.ts loads this module only for
// those flags): the hull plot (coloured by P(stable) when sampled), and with --uncertainty
// P(stable), E_hull's 5–95 % band and the decompositions seen. The whole report is held: the plot
// and the sampling need every entry anyway.
import { loadEntries } from '../io/node.js';
import { binaryHullSvg, ternaryHullSvg } from '../plot/index.js';
import { sampledStabilitiesOnEngine } from '../screen/index.js';
import { hullReport, type HullReport, PhaseDiagram } from '../thermo/index.js';
import type { EntryUncertainty, SamplingReport } from '../uncertainty/index.js';
import { checkFlags, type CliIO, fileErrorReason, parseArgs, UsageError } from './args.js';
import { HULL_ALIGN, HULL_FLAGS, HULL_HEADER, HULL_VALUED, hullCells, outFlag } from './hull-flags.js';
import { openOutput } from './output.js';
import { formatTable } from './table.js';
import { bandText, distributionJson, percent, plotFlag, samplingFlags, samplingJson, samplingText, samplingWorkers, withEngine, writeSvg } from './uncertainty.js';

/** `hull` with --plot or --uncertainty (flags as hull.ts checked them). */
export async function hullSampledCommand(args: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, HULL_VALUED);
  checkFlags(p, HULL_FLAGS, 'hull');
  const sampling = samplingFlags(p);
  const workers = samplingWorkers(p);
  if (workers && !sampling) throw new UsageError('--workers needs --uncertainty');
  const plot = plotFlag(p);
  const file = p.positional[0]!;
  const entries = await loadEntries(file).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot read ${file}: ${reason}`, { cause: err });
  });
  const progress = io.isTTY ? (done: number, total: number) => io.stderr(`\r${done}/${total} entries`) : undefined;
  const report = hullReport(entries, progress ? { onProgress: progress } : {});
  if (progress) io.stderr('\n');
  let sampled: (SamplingReport & { entries: EntryUncertainty[] }) | undefined;
  if (sampling) {
    const onProgress = io.isTTY ? (done: number, total: number) => io.stderr(`\r${done}/${total} samples`) : undefined;
    sampled = await withEngine(workers, (engine) => sampledStabilitiesOnEngine(engine, { ...sampling, data: entries, dataName: file, ...(onProgress ? { onProgress } : {}) }));
    if (onProgress) io.stderr('\n');
  }
  if (plot !== undefined) {
    if (report.elements.length !== 2 && report.elements.length !== 3)
      throw new Error(`--plot draws binary and ternary hulls: ${file} spans ${report.elements.length} elements (${report.elements.join('-')})`);
    const pd = new PhaseDiagram(entries);
    const pStable = sampled ? Object.fromEntries(sampled.entries.map((e) => [e.id, e.pStable.p])) : undefined;
    const options = pStable ? { pStable } : {};
    await writeSvg(plot, report.elements.length === 2 ? binaryHullSvg(pd, options) : ternaryHullSvg(pd, options));
  }
  const out = await openOutput(io, outFlag(p));
  try {
    await out.write(p.flags.has('json') ? `${JSON.stringify(sampled ? uncertainJson(report, sampled) : report)}\n` : sampled ? uncertainTable(report, sampled) : hullTable(report));
  } finally {
    await out.close();
  }
  return 0;
}

/** `hull --uncertainty --json`: the report, each entry with its `uncertainty`, and how it was sampled. */
function uncertainJson(report: HullReport, s: SamplingReport & { entries: EntryUncertainty[] }) {
  const byId = new Map(s.entries.map((e) => [e.id, e]));
  return {
    elements: report.elements,
    uncertainty: samplingJson(s),
    entries: report.entries.map((e) => {
      const u = byId.get(e.id)!;
      return {
        ...e,
        uncertainty: {
          p_stable: u.pStable.p,
          p_stable_se: u.pStable.se,
          e_above_hull: distributionJson(u.eAboveHull),
          decompositions: u.decompositions.map((d) => ({ phases: [...d.value], p: d.p, se: d.se })),
        },
      };
    }),
  };
}

function uncertainTable(report: HullReport, s: SamplingReport & { entries: EntryUncertainty[] }): string {
  const byId = new Map(s.entries.map((e) => [e.id, e]));
  const rows = report.entries.map((e) => {
    const u = byId.get(e.id)!;
    const top = u.decompositions[0]!;
    return [
      e.id,
      e.formula,
      e.e_above_hull.toFixed(4),
      e.stable ? 'yes' : '',
      `${percent(u.pStable.p)} ± ${percent(u.pStable.se)}`,
      bandText(u.eAboveHull, 4),
      `${top.value.join(' + ')} (${percent(top.p)})`,
    ];
  });
  const sure = s.entries.filter((e) => e.pStable.p > 0 && e.pStable.p < 1).length;
  return (
    formatTable(['id', 'formula', 'E_hull', 'stable', 'P(stable)', 'E_hull 50 % [5–95 %]', 'most frequent decomposition'], rows, { align: 'llrrrrl' }) +
    `\n${report.entries.length} entries over ${report.elements.join('-')}; ${sure} with 0 < P(stable) < 1 (energies in eV/atom)\n${samplingText(s)}\n`
  );
}

function hullTable(report: HullReport): string {
  const nStable = report.entries.filter((e) => e.stable).length;
  const table = formatTable(HULL_HEADER, report.entries.map(hullCells), { align: HULL_ALIGN });
  return `${table}\n${report.entries.length} entries over ${report.elements.join('-')}, ${nStable} stable (energies in eV/atom)\n`;
}
