// The flags and table columns of `interphase hull`, shared by hull.ts and hull-sampled.ts (its
// --plot and --uncertainty path, loaded only for those flags).
import type { HullReportEntry } from '../thermo/index.js';
import { type Parsed, UsageError } from './args.js';
import { UNCERTAINTY_BOOLEAN, UNCERTAINTY_VALUED } from './uncertainty-flags.js';

export const HULL_VALUED = ['out', 'plot', ...UNCERTAINTY_VALUED];
export const HULL_FLAGS = ['json', ...HULL_VALUED, ...UNCERTAINTY_BOOLEAN];

/** --out FILE. */
export function outFlag(p: Parsed): string | undefined {
  const outFile = p.flags.get('out');
  if (outFile === true || outFile === '') throw new UsageError('--out needs a FILE');
  return outFile;
}

export const HULL_HEADER = ['id', 'formula', 'E_form', 'E_hull', 'stable', 'decomposition'];
export const HULL_ALIGN = 'llrrll';
const fmt = (v: number) => v.toFixed(4);

/** A report row's cells in the text table. */
export function hullCells(e: HullReportEntry): string[] {
  return [
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
  ];
}
