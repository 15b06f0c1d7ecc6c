/**
 * `interphase demo`: in about a second, on the embedded Materials Project data, the
 * electrochemical windows of the common solid electrolytes and how they react with a Li metal
 * anode and a LiCoO2 cathode (chemically, and open to Li at 3.9 V for LiCoO2).
 */
import type { CliIO } from './args.js';
import { DEFAULT_DATA_INFO } from '../io/index.js';
import { screenData } from '../screen/index.js';
import { screenInterfaces } from '../screen/index.js';
import { screenWindows } from '../screen/index.js';
import { formatTable } from './table.js';

const f3 = (v: number | null) => (v === null ? '∞' : (Math.abs(v) < 5e-4 ? 0 : v).toFixed(2));
const f4 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3));

/** Prints the demo; returns the exit code. */
export async function demo(io: CliIO): Promise<number> {
  const t0 = performance.now();
  const data = await screenData();
  const w = screenWindows(data);
  const r = screenInterfaces(data, { electrodes: ['Li', 'LiCoO2'] });
  const byElectrolyte = new Map<string, { li?: (typeof r.rows)[number]; lco?: (typeof r.rows)[number] }>();
  for (const x of r.rows) {
    const m = byElectrolyte.get(x.electrolyte) ?? {};
    if (x.electrode === 'Li') m.li = x;
    else m.lco = x;
    byElectrolyte.set(x.electrolyte, m);
  }
  const rows = w.rows.map((row) => {
    const m = byElectrolyte.get(row.name) ?? {};
    return [
      row.name,
      `${f3(row.reduction_V)} – ${f3(row.oxidation_V)}${row.open_element !== 'Li' ? ` (vs ${row.open_element})` : ''}`,
      row.e_above_hull === null ? 'not in data' : f4(row.e_above_hull),
      f4(m.li?.chemical.energy),
      m.li ? m.li.chemical.products.join(' + ') : '',
      f4(m.lco?.chemical.energy),
      f4(m.lco?.at_voltage?.energy),
      m.lco ? m.lco.chemical.products.join(' + ') : '',
    ];
  });
  for (const row of w.rows) for (const m of row.warnings) io.stderr(`interphase: warning: ${m}\n`);
  const secs = (performance.now() - t0) / 1000;
  io.stdout(
    `interphase demo — solid electrolytes on the embedded Materials Project data (${DEFAULT_DATA_INFO.rows.toLocaleString('en-US')} compositions, ${DEFAULT_DATA_INFO.elements.length} elements; CC BY 4.0, Jain et al. 2013)\n\n` +
      formatTable(['electrolyte', 'window (V vs Li)', 'E_hull', 'E | Li', 'products with Li', 'E | LiCoO2', '@3.9 V', 'products with LiCoO2'], rows, { align: 'lrrrlrrl' }) +
      `\nwindow: thermodynamic electrochemical stability window (pymatgen element profile, exact); E_hull in eV/atom ("not in data": the window of its phase equilibrium)\n` +
      `E | Li, E | LiCoO2: minimum chemical reaction energy (eV/atom of mixture) and its products; @3.9 V: open to Li at 3.9 V, the interface alone\n` +
      `(eV per non-Li atom of mixture, include_no_mixing_energy=false); reactants at their hull energies (use_hull_energy=true)\n` +
      `${w.rows.length} windows and ${r.rows.length} interfaces in ${secs.toFixed(1)} s. More: interphase screen windows|interfaces|coatings|anode --help\n`,
  );
  return 0;
}
