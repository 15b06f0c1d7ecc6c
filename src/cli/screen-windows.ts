// `interphase screen windows`: electrochemical windows of a list of electrolytes (screen/windows.ts).
import type { CliIO } from './args.js';
import { rankingSvg, voltageStaircaseSvg, type RankingRow } from '../plot/index.js';
import { screenWindows, windowStaircase, type WindowsResult } from '../screen/index.js';
import { formatTable } from './table.js';
import { bar, clean, common, csv, emit, f3, f4, writePlot } from './screen-common.js';

export async function windowsCommand(args: readonly string[], io: CliIO): Promise<number> {
  const c = await common('windows', args, io, ['element'], []);
  const element = c.p.flags.get('element') as string | undefined;
  const b = bar(io, 'materials', 'windows');
  let r: WindowsResult;
  try {
    r = screenWindows(await c.data(), c.p.positional.length ? c.p.positional : undefined, { onProgress: (d, t) => b.update(d, t), ...(element ? { element } : {}) });
  } finally {
    b.clear();
  }
  for (const w of r.rows) for (const m of w.warnings) io.stderr(`interphase: warning: ${m}\n`);
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
