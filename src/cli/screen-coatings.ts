// `interphase screen coatings`: cathode-coating candidates judged by the criteria of Xiao et al. 2019 or this package's (screen/coatings.ts).
import { numberFlag, UsageError, VOLTAGE_LIMIT, type CliIO } from './args.js';
import { rankingSvg, type RankingRow } from '../plot/index.js';
import { screenCoatings, type CoatingOptions, type CoatingsResult } from '../screen/index.js';
import { screenCoatingsOnEngine } from '../screen/index.js';
import { formatTable } from './table.js';
import { bar, clean, common, csv, emit, engineData, f3, f4, hullEnergyFlag, hullEnergyNote, onEngineOrHere, workersFlag, writePlot } from './screen-common.js';
import { localEngine } from '../engine/index.js';
import { percent, samplingFlags } from './uncertainty.js';
import { QUEUE_VALUED } from './queue.js';

export async function coatingsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common(
    'coatings',
    args,
    io,
    ['cathode', 'electrolyte', 'range', 'max-ehull', 'max-reaction', 'min-gap', 'limit', 'criteria', 'workers', 'sigma', 'samples', 'seed', 'precision', ...QUEUE_VALUED],
    ['use-hull-energy', 'entry-energies', 'include-no-mixing-energy', 'closed-only', 'uncertainty', 'independent-corrections'],
  );
  const useHullEnergy = hullEnergyFlag(c.p);
  const workers = workersFlag(c.p, undefined);
  const sampling = samplingFlags(c.p);
  const criteria = c.p.flags.get('criteria') as string | undefined;
  if (criteria !== undefined && criteria !== 'default' && criteria !== 'xiao2019') throw new UsageError(`--criteria is default or xiao2019, got ${JSON.stringify(criteria)}`);
  let range: [number, number] | undefined;
  const rv = c.p.flags.get('range');
  if (rv !== undefined) {
    const parts = String(rv)
      .split(/[,:]|(?<=\d)-(?=\d)/)
      .map((s) => Number(s.trim()));
    if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v >= 0 && v <= VOLTAGE_LIMIT) || parts[0]! > parts[1]!)
      throw new UsageError(`--range needs LOW,HIGH voltages from 0 to ${VOLTAGE_LIMIT} (e.g. 2.5,4.3), got ${JSON.stringify(rv)}`);
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
      useHullEnergy,
      ...(c.p.flags.has('include-no-mixing-energy') ? { includeNoMixingEnergy: true } : {}),
      onProgress: (d, t) => b.update(d, t),
    };
    const uncertainty = sampling ? { uncertainty: sampling } : {};
    r = await onEngineOrHere(
      workers,
      (engine, signal) => (
        (where = engine.platform === 'queue' ? 'on the queue' : `${engine.size} worker${engine.size > 1 ? 's' : ''}`),
        screenCoatingsOnEngine(engine, { ...options, ...engineData(c), ...uncertainty, ...(signal ? { signal } : {}) })
      ),
      // Sampling runs as jobs: in this thread on the local engine.
      async () => (sampling ? screenCoatingsOnEngine(localEngine(), { ...options, ...engineData(c), ...uncertainty }) : screenCoatings(await c.data(), options)),
      { options: c.queue, io },
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
          ...(sampling ? ['p_pass', 'p_pass_se', 'pass_samples'] : []),
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
          ...(sampling ? [x.p_pass ?? null, x.p_pass_se ?? null, x.pass_samples ?? null] : []),
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
          ...(sampling ? ['P(pass all)'] : []),
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
          ...(sampling ? [x.p_pass === undefined ? '–' : `${percent(x.p_pass)} ± ${percent(x.p_pass_se!)}`] : []),
        ]),
        { align: sampling ? 'rlrrrrrrrrlr' : 'rlrrrrrrrrl' },
      ) +
      `\n${r.candidates} candidates${rows.length < r.rows.length ? `, best ${rows.length} shown (--limit N, --json for all)` : ''}; criteria (Xiao et al., Joule 3, 1252 (2019); thresholds are options):\n` +
      `  E_hull <= ${t.max_e_above_hull} eV/atom; window covers ${t.cathode_range_V[0]}–${t.cathode_range_V[1]} V vs Li/Li+; reaction energies with ${t.cathode_name} and ${t.electrolyte_name}\n` +
      `  >= -${t.max_reaction_energy} eV/atom (${t.open_reactions ? `closed: per atom of mixture; at ${t.cathode_range_V[1]} V open to Li: per non-Li atom, ${t.include_no_mixing_energy ? 'total (include_no_mixing_energy=true)' : 'interface alone (include_no_mixing_energy=false)'}` : 'closed only, per atom of mixture'}); ${gapNote}\n` +
      `  ${hullEnergyNote(t.use_hull_energy, c.name)}\n` +
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
