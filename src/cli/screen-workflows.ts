/**
 * `interphase screen windows|interfaces|coatings|anode`: the screening workflows of
 * screen-windows.ts, screen-interfaces.ts, screen-coatings.ts and screen-anode.ts from the shell.
 * Output: a text table (default), `--json`, `--csv`; `--out FILE`; `--plot FILE.svg`. Without
 * `--data` the embedded Materials Project data are used (said on stderr). Work runs in this thread
 * (each workflow is a few hundred small LPs per second; the worker engine is for `screen stability`).
 */
import { DEFAULT_ELECTRODES } from '../screen/index.js';
import { UsageError, type CliIO } from './args.js';
import { anodeCommand } from './screen-anode.js';
import { coatingsCommand } from './screen-coatings.js';
import { interfacesCommand } from './screen-interfaces.js';
import { windowsCommand } from './screen-windows.js';

export const SCREEN_WORKFLOWS_USAGE = `Screening workflows (without --data: the embedded Materials Project data, said on stderr):
  interphase screen windows [FORMULA ...] [--element EL]
      electrochemical windows (reduction, oxidation V), E_hull, phase equilibrium and products
      beyond each limit; default: 18 common electrolytes; each open to its working ion (Li if it
      contains Li, else Na, K, ...; --element forces one)
  interphase screen interfaces [--electrolytes A,B,...] [--electrodes X,Y@V,...] [--voltage V] [--use-hull-energy]
        [--workers N]
      minimum reaction energy and products of every electrolyte x electrode pair, chemical and
      open to Li at the electrode's operating voltage (default electrodes and voltages:
      ${DEFAULT_ELECTRODES.map((e) => `${e.name} ${e.voltage} V`).join(', ')});
      --workers N: on N worker threads (default: this thread)
  interphase screen coatings [FORMULA ...] [--cathode LiCoO2] [--electrolyte Li3PS4] [--range 2.5,4.3]
        [--max-ehull 0.05] [--max-reaction 0.1] [--min-gap 1] [--closed-only] [--criteria xiao2019]
        [--limit N] [--use-hull-energy] [--workers N]
      cathode coatings by the criteria of Xiao et al. (Joule 2019): every Li compound of the data
      (or the FORMULAs) with E_hull, window, reaction energies with cathode and electrolyte
      (closed and, unless --closed-only, at the top of the range) and band gap (when the data have
      band gaps), ranked. --criteria xiao2019: the paper's gates as a digest reports them (NMC111,
      Li3PS4, 2.7-4.0 V, E_hull 0.005, |reaction| 0.1 closed, gap 0.5; options still override).
      Runs on worker threads (--workers N; default: the cores; 0: this thread)
  interphase screen anode [FORMULA ...] [--min-gap 0.5] [--small-energy 0.05]
      products of each electrolyte with its metal (Li, or Na for Na electrolytes) at 0 V, their
      electronic character, and the interphase: stable, kinetically stable, passivating or
      mixed-conducting
  common options: --data FILE  --json | --csv  --out FILE  --plot FILE.svg
  interfaces and coatings also: --queue URL [--resume RUN]  on the queue's workers (see screen stability)
`;

/** Runs `screen <workflow> ...`; returns the exit code (throws UsageError for a bad command line, Error for bad input). */
export async function screenCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [workflow, ...rest] = args;
  switch (workflow) {
    case 'windows':
      return windowsCommand(rest, io);
    case 'interfaces':
      return interfacesCommand(rest, io);
    case 'coatings':
      return coatingsCommand(rest, io);
    case 'anode':
      return anodeCommand(rest, io);
    default:
      throw new UsageError(
        workflow ? `unknown screening workflow '${workflow}' (windows, interfaces, coatings, anode, stability)` : 'screen needs a workflow: windows, interfaces, coatings, anode, stability',
      );
  }
}
