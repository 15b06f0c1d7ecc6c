// The flags of `interphase hull`, shared by hull.ts and hull-sampled.ts (its --plot and
// --uncertainty path, loaded only for those flags).
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
