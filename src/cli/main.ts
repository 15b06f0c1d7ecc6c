// The bin's entry: it parses the command and loads only that command's module (dynamic imports),
// so `interphase hull FILE` never compiles the screens, plots or engine — start-up is most of a
// small command's time. The usage text is assembled from the command modules only when shown.
import { UsageError, type CliIO } from './args.js';

export type { CliIO } from './args.js';

async function usage(): Promise<string> {
  const [{ WINDOW_USAGE }, { REACT_USAGE }, { SCREEN_USAGE }, { SCREEN_WORKFLOWS_USAGE }] = await Promise.all([
    import('./window.js'),
    import('./react.js'),
    import('./screen-stability.js'),
    import('./screen-workflows.js'),
  ]);
  return `interphase — thermodynamic stability of solid electrolytes and interfaces

Usage:
  interphase demo                    windows of the common solid electrolytes and their reactivity
                                     with Li and LiCoO2, on the embedded Materials Project data
  interphase hull FILE [--json]      stable phases, E_hull, decompositions of every entry in FILE
  ${WINDOW_USAGE.trim()}
${REACT_USAGE.trimEnd()}
  interphase screen stability|windows|interfaces|coatings|anode ...   screening workflows (below)

FILE: pymatgen entry JSON (.json/.json.gz), records with composition + e_form_per_atom,
CSV formula,e_form_per_atom[,id] or formula,energy[,id] (.csv/.csv.gz), or Materials Project
API documents. Datasets spanning many elements are evaluated per chemical system.

${SCREEN_USAGE.trim()}

${SCREEN_WORKFLOWS_USAGE.trim()}
`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 bad input or failure, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'hull':
        return await (await import('./hull.js')).hullCommand(rest, io);
      case 'window':
        return await (await import('./window.js')).windowCommand(rest, io);
      case 'react':
        return await (await import('./react.js')).reactCommand(rest, io);
      case 'screen': {
        const [workflow, ...more] = rest;
        if (workflow === 'stability') return await (await import('./screen-stability.js')).screenStabilityCommand(more, io);
        return await (await import('./screen-workflows.js')).screenCommand(rest, io);
      }
      case 'demo':
        if (rest.length) throw new UsageError('demo takes no arguments');
        return await (await import('./demo.js')).demo(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(await usage());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`interphase: ${err.message}\n\n${await usage()}`);
      return 2;
    }
    io.stderr(`interphase: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export function processIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
