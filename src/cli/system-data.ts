// The phase diagram of one chemical system for a command: --data FILE (or the embedded data,
// said on stderr), every element of the question checked against it, the system cut out.
import type { Composition, Entry } from '../core/index.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import { loadEntries } from '../io/node.js';
import { PhaseDiagram } from '../thermo/index.js';
import { type CliIO, fileErrorReason, type Parsed, UsageError } from './args.js';

/** The entries of --data FILE, or the embedded data (said on stderr), and the data's name. */
export async function commandEntries(p: Parsed, io: CliIO): Promise<{ entries: readonly Entry[]; name: string }> {
  const flag = p.flags.get('data');
  if (flag === '' || flag === true) throw new UsageError('--data needs a FILE');
  if (flag === undefined) {
    io.stderr(`interphase: no --data given: using the embedded data (${DEFAULT_DATA_INFO.name}: Materials Project formation energies, CC BY 4.0)\n`);
    return { entries: await defaultEntries(), name: DEFAULT_DATA_INFO.name };
  }
  const entries = await loadEntries(flag).catch((err: unknown) => {
    const reason = fileErrorReason(err);
    throw reason === undefined ? err : new Error(`cannot read ${flag}: ${reason}`, { cause: err });
  });
  return { entries, name: flag };
}

/**
 * The phase diagram of the chemical system of `compositions` and `elements`, cut out of the
 * entries; an element absent from the data is an error naming it and what it is for.
 */
export function systemDiagram(entries: readonly Entry[], name: string, compositions: ReadonlyArray<readonly [string, Composition]>, elements: ReadonlyArray<readonly [string, string]>): PhaseDiagram {
  const present = new Set<string>();
  for (const e of entries) for (const el of e.composition.elements) present.add(el);
  const have = [...present].sort();
  const shown = have.length > 12 ? `${have.length} elements` : have.join('-');
  for (const [what, el] of elements) if (!present.has(el)) throw new Error(`${what} ${el} does not occur in ${name} (${shown})`);
  for (const [what, c] of compositions) {
    const missing = c.elements.filter((el) => !present.has(el));
    if (missing.length) throw new Error(`${what} ${c.reducedFormula} lies outside the data: ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not occur in ${name} (${shown})`);
  }
  const system = new Set([...compositions.flatMap(([, c]) => c.elements), ...elements.map(([, el]) => el)]);
  const cut = entries.filter((e) => e.composition.elements.every((el) => system.has(el)));
  return new PhaseDiagram(cut, { elements: [...system] });
}
