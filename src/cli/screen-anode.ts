// `interphase screen anode`: what each electrolyte becomes against its metal anode, and the interphase type (screen/anode.ts).
import { isElementSymbol } from '../core/index.js';
import { numberFlag, UsageError, type CliIO } from './args.js';
import { rankingSvg, type RankingRow } from '../plot/index.js';
import { screenAnode, type AnodeRow } from '../screen/index.js';
import { formatTable } from './table.js';
import { bar, common, csv, emit, f3, f4, writePlot } from './screen-common.js';

export async function anodeCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('anode', args, io, ['min-gap', 'small-energy', 'max-onset', 'element'], []);
  const element = c.p.flags.get('element') as string | undefined;
  if (element !== undefined && !isElementSymbol(element)) throw new UsageError(`--element ${JSON.stringify(element)} is not an element symbol`);
  const data = await c.data();
  const minBandGap = numberFlag(c.p, 'min-gap', 0);
  const smallEnergy = numberFlag(c.p, 'small-energy', 0);
  const maxOnset = numberFlag(c.p, 'max-onset', 0);
  const b = bar(io, 'materials', 'anode');
  let rows: AnodeRow[];
  try {
    rows = screenAnode(data, {
      ...(c.p.positional.length ? { electrolytes: c.p.positional } : {}),
      ...(minBandGap !== undefined ? { minBandGap } : {}),
      ...(smallEnergy !== undefined ? { smallEnergy } : {}),
      ...(maxOnset !== undefined ? { maxOnset } : {}),
      ...(element !== undefined ? { element } : {}),
      onProgress: (d, t) => b.update(d, t),
    });
  } finally {
    b.clear();
  }
  const prod = (x: AnodeRow) => x.products.map((p) => `${p.formula} (${p.electronic === 'insulating' ? 'ins' : 'cond'}${p.inferred ? '*' : ''})`).join(' + ');
  await emit(io, c, {
    json: () => ({
      workflow: 'anode',
      data: c.name,
      band_gaps_available: data.hasBandGaps,
      thresholds: { max_onset_V: maxOnset ?? 0.2, small_energy: smallEnergy ?? 0.05, min_band_gap: minBandGap ?? 0.5 },
      units: { decomposition_energy_0V: 'eV per atom of electrolyte', reaction_energy: 'eV per atom of mixture', capacity_0V: 'mAh per g of electrolyte' },
      rows,
    }),
    csv: () =>
      csv(
        ['electrolyte', 'formula', 'metal', 'reduction_V', 'products', 'conducting', 'decomposition_energy_0V', 'capacity_0V', 'reaction_energy', 'interphase', 'reaction'],
        rows.map((x) => [
          x.electrolyte,
          x.formula,
          x.metal,
          x.reduction_V,
          x.products.map((p) => `${p.formula}:${p.electronic}${p.inferred ? ':inferred' : ''}`).join(' '),
          x.conducting.join(' '),
          x.decomposition_energy_0V,
          x.capacity_0V,
          x.reaction_energy,
          x.interphase,
          x.reaction,
        ]),
      ),
    table: () =>
      formatTable(
        ['electrolyte', 'metal', 'onset (V)', 'products at 0 V', 'E_D 0 V', 'E_rxn', 'interphase'],
        rows.map((x) => [x.electrolyte, x.metal, f3(x.reduction_V), prod(x), f4(x.decomposition_energy_0V), f4(x.reaction_energy), x.interphase]),
        { align: 'llrlrrl' },
      ) +
      `\nins/cond: electronically insulating / conducting; * inferred from the chemistry (${data.hasBandGaps ? 'no band gap in the data for it' : `${c.name} carries no band gaps`});\n` +
      `onset: reduction limit (V vs the metal); E_D 0 V: decomposition energy at 0 V per atom of electrolyte (its E_hull counts);\n` +
      `E_rxn: minimum reaction energy with the metal per atom of mixture (reactants at their hull energies);\n` +
      `kinetically-stable: reacts, but the onset is <= ${maxOnset ?? 0.2} V or E_D 0 V > -${smallEnergy ?? 0.05} eV/atom (a small driving force)\n`,
  });
  if (c.plot !== undefined) {
    const ranking: RankingRow[] = rows.map((x) => ({ name: x.electrolyte, score: x.reaction_energy, pass: x.interphase !== 'mixed-conducting', values: { interphase: x.interphase } }));
    await writePlot(c, rankingSvg(ranking, { scoreLabel: 'reaction energy with the metal (eV/atom)', sort: 'desc', title: 'Anode interphases' }));
  }
  return 0;
}
