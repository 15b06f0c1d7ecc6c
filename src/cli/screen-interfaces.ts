// `interphase screen interfaces`: every electrolyte × electrode pair, closed and open to Li at the electrode's voltage (screen/interfaces.ts).
import { numberFlag, UsageError, VOLTAGE_LIMIT, type CliIO } from './args.js';
import { rankingSvg, type RankingRow } from '../plot/index.js';
import { screenInterfaces, type InterfacesResult } from '../screen/index.js';
import { screenInterfacesOnEngine } from '../screen/index.js';
import { formatTable } from './table.js';
import { bar, common, csv, emit, engineData, f4, hullEnergyFlag, hullEnergyNote, listFlag, onEngineOrHere, workersFlag, writePlot } from './screen-common.js';
import { reactionConvention } from '../interface/index.js';
import { QUEUE_VALUED } from './queue.js';

export async function interfacesCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('interfaces', args, io, ['electrolytes', 'electrodes', 'voltage', 'workers', ...QUEUE_VALUED], ['use-hull-energy', 'entry-energies']);
  const useHullEnergy = hullEnergyFlag(c.p);
  const workers = workersFlag(c.p, 0);
  if (c.p.positional.length) throw new UsageError(`screen interfaces takes no positional arguments (got ${c.p.positional.join(' ')}): use --electrolytes A,B and --electrodes X,Y`);
  const voltage = numberFlag(c.p, 'voltage', 0, VOLTAGE_LIMIT, 'volts vs Li');
  const electrolytes = listFlag(c.p, 'electrolytes');
  const electrodes = listFlag(c.p, 'electrodes');
  const b = bar(io, 'pairs', 'interfaces');
  let r: InterfacesResult;
  try {
    const options = {
      ...(electrolytes ? { electrolytes } : {}),
      ...(electrodes ? { electrodes } : {}),
      ...(voltage !== undefined ? { voltage } : {}),
      useHullEnergy,
      onProgress: (d: number, t: number) => b.update(d, t),
    };
    r = await onEngineOrHere(
      workers,
      (engine, signal) => screenInterfacesOnEngine(engine, { ...options, ...engineData(c), ...(signal ? { signal } : {}) }),
      async () => screenInterfaces(await c.data(), options),
      { options: c.queue, io },
    );
  } finally {
    b.clear();
  }
  await emit(io, c, {
    json: () => ({
      workflow: 'interfaces',
      data: c.name,
      use_hull_energy: r.use_hull_energy,
      convention: {
        chemical: reactionConvention({ useHullEnergy: r.use_hull_energy }),
        at_voltage: reactionConvention({ open: 'Li', useHullEnergy: r.use_hull_energy, includeNoMixingEnergy: false }),
        at_voltage_total: reactionConvention({ open: 'Li', useHullEnergy: r.use_hull_energy, includeNoMixingEnergy: true }),
      },
      electrodes: r.electrodes,
      electrolytes: r.electrolytes,
      rows: r.rows,
    }),
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
          'at_voltage_total_energy',
          'at_voltage_total_products',
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
          x.at_voltage_total?.energy ?? null,
          x.at_voltage_total?.products.join(' + ') ?? null,
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
          f4(x.at_voltage?.energy ?? null),
          x.at_voltage ? x.at_voltage.products.join(' + ') : 'Li metal is the reservoir',
          x.at_voltage_total ? `${f4(x.at_voltage_total.energy)}${x.open_minimum_alone ? ` (${x.open_minimum_alone} alone)` : ''}` : '–',
        ]),
        { align: 'llrrlrlr' },
      ) +
      `\nminimum reaction energies: chemical in eV/atom of mixture; at V (open to Li) in eV per non-Li atom —\n` +
      `"@V (interface)" without each material's own decomposition at V (include_no_mixing_energy=false, the default everywhere),\n` +
      `"@V total" with it (include_no_mixing_energy=true); ${hullEnergyNote(r.use_hull_energy, c.name)}\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = r.rows.map((x) => ({
      name: `${x.electrolyte} | ${x.electrode}`,
      score: x.min_energy,
      values: { chem: Number(x.chemical.energy.toFixed(3)), '@V': x.at_voltage ? Number(x.at_voltage.energy.toFixed(3)) : '–' },
    }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'minimum reaction energy (eV/atom)', sort: 'desc', title: 'Interface reactivity', maxRows: 80 }));
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// coatings
