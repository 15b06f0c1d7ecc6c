import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError, type CliIO } from './args.js';
import { hullCommand, HULL_USAGE } from './hull.js';
import { reactCommand, REACT_USAGE } from './react.js';
import { screenStabilityCommand, SCREEN_USAGE } from './screen-stability.js';
import { screenCommand, SCREEN_WORKFLOWS_USAGE } from './screen-workflows.js';
import { demo } from './demo.js';
import { UNCERTAINTY_USAGE } from './uncertainty.js';
import { windowCommand, WINDOW_USAGE } from './window.js';

export type { CliIO } from './args.js';

const USAGE = `interphase — thermodynamic stability of solid electrolytes and interfaces

Usage:
  interphase demo                    windows of the common solid electrolytes and their reactivity
                                     with Li and LiCoO2, on the embedded Materials Project data
${HULL_USAGE}
  ${WINDOW_USAGE.trim()}
${REACT_USAGE.trimEnd()}
  interphase screen stability|windows|interfaces|coatings|anode ...   screening workflows (below)

FILE: pymatgen entry JSON (.json/.json.gz), records with composition + e_form_per_atom,
CSV formula,e_form_per_atom[,id] or formula,energy[,id] (.csv/.csv.gz), or Materials Project
API documents. Datasets spanning many elements are evaluated per chemical system.

${SCREEN_USAGE.trim()}

${SCREEN_WORKFLOWS_USAGE.trim()}

Uncertainty (hull, window, react, screen stability, screen coatings):
${UNCERTAINTY_USAGE}
`;

/** Runs the CLI; returns the exit code (0 ok, 1 bad input or failure, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'hull':
        return await hullCommand(rest, io);
      case 'window':
        return await windowCommand(rest, io);
      case 'react':
        return await reactCommand(rest, io);
      case 'screen': {
        const [workflow, ...more] = rest;
        if (workflow === 'stability') return await screenStabilityCommand(more, io);
        return await screenCommand(rest, io);
      }
      case 'demo':
        if (rest.length) throw new UsageError('demo takes no arguments');
        return await demo(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`interphase: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`interphase: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// Run when executed as the bin (dist/cli.js), not when imported.
if (typeof process !== 'undefined' && process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

function processIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
