// `interphase screen air`: air and moisture stability of each material against H2O, CO2, O2 (screen/air.ts).
import { numberFlag, type CliIO } from './args.js';
import { rankingSvg, type RankingRow } from '../plot/index.js';
import { reactionConvention } from '../interface/index.js';
import { type AirResult, screenAir } from '../screen/index.js';
import { formatTable } from './table.js';
import { bar, common, csv, emit, f4, hullEnergyFlag, hullEnergyNote, listFlag, writePlot } from './screen-common.js';

export async function airCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('air', args, io, ['gases', 'small-energy'], ['use-hull-energy', 'entry-energies']);
  const useHullEnergy = hullEnergyFlag(c.p);
  const gases = listFlag(c.p, 'gases');
  const smallEnergy = numberFlag(c.p, 'small-energy', 0);
  const data = await c.data();
  const b = bar(io, 'pairs', 'air');
  let r: AirResult;
  try {
    r = screenAir(data, {
      ...(c.p.positional.length ? { materials: c.p.positional } : {}),
      ...(gases ? { gases } : {}),
      ...(smallEnergy !== undefined ? { smallEnergy } : {}),
      useHullEnergy,
      onProgress: (d, t) => b.update(d, t),
    });
  } finally {
    b.clear();
  }
  for (const s of r.skipped) io.stderr(`interphase: left out ${s.gas}: ${s.reason} (give --data with it, e.g. the MP table)\n`);
  await emit(io, c, {
    json: () => ({
      workflow: 'air',
      data: c.name,
      use_hull_energy: r.use_hull_energy,
      convention: reactionConvention({ useHullEnergy: r.use_hull_energy }),
      gases: r.gases,
      skipped: r.skipped,
      rows: r.rows,
    }),
    csv: () =>
      csv(
        ['material', 'formula', 'gas', 'x', 'energy', 'products', 'harmful', 'stable', 'reaction'],
        r.rows.map((x) => [x.material, x.formula, x.gas, x.minimum.x, x.minimum.energy, x.minimum.products.join(' + '), x.harmful.join('; '), x.stable, x.minimum.reaction]),
      ),
    table: () =>
      formatTable(
        ['material', 'gas', 'E_rxn', 'x', 'products', 'harmful', 'verdict'],
        r.rows.map((x) => [x.material, x.gas, f4(x.minimum.energy), f4(x.minimum.x), x.minimum.products.join(' + '), x.harmful.join(', '), x.stable ? 'stable' : 'reacts']),
        { align: 'llrrlll' },
      ) +
      `\nE_rxn: minimum reaction energy of x·material + (1−x)·gas (eV per atom of mixture, 0 K, the gas as its entry in ${c.name});\n` +
      `${hullEnergyNote(r.use_hull_energy, c.name)}\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = r.rows.map((x) => ({ name: `${x.material} + ${x.gas}`, score: x.minimum.energy, pass: x.stable, values: { products: x.minimum.products.join(' + ') } }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'minimum reaction energy with the gas (eV/atom)', sort: 'desc', title: 'Air and moisture stability', maxRows: 80 }));
  }
  return 0;
}
