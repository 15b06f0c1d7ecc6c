// --workers N, apart from args.ts: its limit is the engine's, and args.ts is loaded by every
// command — `interphase hull` must not load the engine (and comlink) to parse its flags.
import { WORKERS_PER_CORE } from '../engine/index.js';
import { type Parsed, UsageError } from './args.js';

/**
 * --workers N: a whole number from 0 (this thread) to WORKERS_PER_CORE × `cores`; `dflt` when
 * absent (undefined: the engine's default, the cores).
 */
export function workersFlag(p: Parsed, dflt: number | undefined, cores: number): number | undefined {
  const v = p.flags.get('workers');
  if (v === undefined) return dflt;
  const max = WORKERS_PER_CORE * cores;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--workers needs a whole number >= 0, got ${JSON.stringify(v)}`);
  if (n > max) throw new UsageError(`--workers ${n}: at most ${max} (${WORKERS_PER_CORE} per core, ${cores} cores here); each worker holds its own copy of the data, so more only cost memory`);
  return n;
}
