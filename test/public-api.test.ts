// The public API README documents: every name it shows imported from 'interphase' or calls as a
// function exists in the Node entry (src/index.ts) and, unless it reads files, in the browser
// entry (src/browser.ts). Refactors move modules; these names stay.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

// Backticked `name(` in README that are methods of documented classes or of the browser worker's
// api, not exports.
const METHODS = new Set([
  'phaseSeparation', // PhaseDiagram#phaseSeparation
  'transitionChemicalPotentials', // PhaseEquilibria#transitionChemicalPotentials
  'decomposition',
  'hullFormationEnergyPerAtom',
  'hullEnergyPerAtom',
  'chemicalPotentials',
  'atomicFraction',
  'useDefault', // api.useDefault() … of startWorker()
  'useFile',
  'hull',
  'window',
  'interface',
  'screenJob',
  'cancel',
  'close',
  'analyze',
  'parse',
  'get_decomp_and_e_above_hull', // pymatgen's, named for comparison
  'URL', // new URL(…) in an example
]);

// Node-only: they read files.
const NODE_ONLY = new Set(['loadEntries', 'streamEntries', 'csvCandidates', 'candidatesOf']);
// Browser-only additions.
const BROWSER_ONLY = new Set(['entriesFromFile', 'csvCandidatesFromFile', 'startWorker', 'wasmUrl', 'defaultDataUrl', 'proxy']);

function documentedNames(): Set<string> {
  const names = new Set<string>();
  for (const m of README.matchAll(/import \{([^}]+)\} from 'interphase'/g)) for (const n of m[1]!.split(',')) names.add(n.trim().replace(/^type\s+/, ''));
  for (const m of README.matchAll(/`(?:new )?([A-Za-z_$][\w$]*)\(/g)) if (!METHODS.has(m[1]!)) names.add(m[1]!);
  return names;
}

describe('public API', () => {
  const names = documentedNames();

  it('README documents the API (the parse finds its names)', () => {
    for (const n of ['PhaseDiagram', 'stabilityWindow', 'interfaceReaction', 'createEngine', 'screenStability', 'startWorker']) expect(names).toContain(n);
  });

  it('every documented name is exported by the Node entry', async () => {
    const node = (await import('../src/index.js')) as Record<string, unknown>;
    const missing = [...names].filter((n) => !BROWSER_ONLY.has(n) && !(n in node));
    expect(missing).toEqual([]);
  });

  it('every documented name but the file loaders is exported by the browser entry', async () => {
    const web = (await import('../src/browser.js')) as Record<string, unknown>;
    const missing = [...names].filter((n) => !NODE_ONLY.has(n) && !(n in web));
    expect(missing).toEqual([]);
  });
});
