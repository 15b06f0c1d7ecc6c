/**
 * `interphase screen windows|interfaces|coatings|anode|air|stability`: the screening workflows of
 * screen-windows.ts, screen-interfaces.ts, screen-coatings.ts, screen-anode.ts, screen-air.ts and
 * screen-stability.ts from the shell, each with its usage (`interphase screen WORKFLOW --help`).
 * Output: a text table (default), `--json`, `--csv`; `--out FILE`; `--plot FILE.svg`. Without
 * `--data` the embedded Materials Project data are used (said on stderr).
 */
import { DEFAULT_ELECTRODES } from '../screen/index.js';
import { UsageError, VOLTAGE_LIMIT, type CliIO } from './args.js';
import type { Command } from './command.js';
import { QUEUE_USAGE } from './queue.js';
import { airCommand } from './screen-air.js';
import { anodeCommand } from './screen-anode.js';
import { coatingsCommand } from './screen-coatings.js';
import { interfacesCommand } from './screen-interfaces.js';
import { SCREEN_USAGE, screenStabilityCommand } from './screen-stability.js';
import { windowsCommand } from './screen-windows.js';

const COMMON = `  --data FILE      entries in any format interphase reads (default: the embedded Materials
                   Project data, said on stderr)
  --json | --csv   output format (default: a text table)
  --out FILE       write the output to FILE instead of stdout
  --plot FILE.svg  a ranking plot`;

const ENERGIES = `  Reactant energies: their hull energies (pymatgen use_hull_energy=true), so that a reactant's own
  distance above the hull never counts as reactivity; --entry-energies for their lowest entries.`;

const WINDOWS_USAGE = `Usage: interphase screen windows [FORMULA ...] [--element EL] [common options]

  Electrochemical windows (reduction, oxidation V), E_hull, phase equilibrium and products beyond
  each limit; default: 18 common electrolytes, each open to its working ion (Li if it contains Li,
  else Na, K, ...).

  --element EL     force the open element
${COMMON}
`;

const INTERFACES_USAGE = `Usage: interphase screen interfaces [--electrolytes A,B,...] [--electrodes X,Y@V,...] [--voltage V]
         [--entry-energies] [--workers N] [common options]

  Minimum reaction energy and products of every electrolyte × electrode pair, chemical and open to
  Li at the electrode's operating voltage (default electrodes and voltages:
  ${DEFAULT_ELECTRODES.map((e) => `${e.name} ${e.voltage} V`).join(', ')}).
  Open: the interface alone and the total (include_no_mixing_energy false / true), both shown.

  --electrodes X@V   an electrode at V volts vs Li (0 to 100)
  --voltage V        one voltage for every electrode (0 to ${VOLTAGE_LIMIT} V vs Li)
  --entry-energies   reactants at their lowest entries (default: their hull energies)
  --workers N        worker threads (default: this thread; at most 4 per core)
${QUEUE_USAGE}
${COMMON}
${ENERGIES}
`;

const COATINGS_USAGE = `Usage: interphase screen coatings [FORMULA ...] [--cathode LiCoO2] [--electrolyte Li3PS4] [--range 2.5,4.3]
         [--max-ehull 0.05] [--max-reaction 0.1] [--min-gap 1] [--closed-only] [--criteria xiao2019]
         [--limit N] [--entry-energies] [--include-no-mixing-energy] [--workers N] [common options]

  Cathode coatings by the criteria of Xiao et al. (Joule 2019): every Li compound of the data (or
  the FORMULAs) with E_hull, window, reaction energies with cathode and electrolyte (closed and,
  unless --closed-only, at the top of the range) and band gap (when the data have band gaps),
  ranked. --criteria xiao2019: the paper's gates as a digest reports them (NMC111, Li3PS4,
  2.7-4.0 V, E_hull 0.005, |reaction| 0.1 closed, gap 0.5; options still override).

  --range LOW,HIGH   the cathode's voltage range (0 to ${VOLTAGE_LIMIT} V vs Li)
  --entry-energies   reactants at their lowest entries (default: their hull energies)
  --workers N        worker threads (default: the cores; 0: this thread; at most 4 per core)
${QUEUE_USAGE}
${COMMON}
${ENERGIES}
`;

const ANODE_USAGE = `Usage: interphase screen anode [FORMULA ...] [--element Li|Na|Mg|Ca ...] [--min-gap 0.5]
         [--small-energy 0.05] [--max-onset 0.2] [common options]

  Products of each electrolyte with its metal (Li, or Na for Na electrolytes; --element forces one,
  e.g. Mg or Ca with --data holding them) at 0 V, their electronic character, the reduction onset
  and the decomposition energy at 0 V, and the interphase: stable, kinetically stable (onset <=
  --max-onset V or E_D > -small-energy eV/atom), passivating or mixed-conducting.

${COMMON}
`;

const AIR_USAGE = `Usage: interphase screen air [FORMULA ...] [--gases H2O,CO2,O2] [--small-energy 0.01] [common options]

  Air and moisture stability: the minimum reaction of each material with each gas (eV/atom of
  mixture), its products and the harmful gases among them (H2S from sulfides and water); a gas
  whose elements the data lack is left out and said (H2O needs --data with H).

${COMMON}
`;

/** The screening workflows, by name. */
export const SCREEN_WORKFLOWS: Readonly<Record<string, Command>> = {
  stability: { usage: SCREEN_USAGE, run: screenStabilityCommand },
  windows: { usage: WINDOWS_USAGE, run: windowsCommand },
  interfaces: { usage: INTERFACES_USAGE, run: interfacesCommand },
  coatings: { usage: COATINGS_USAGE, run: coatingsCommand },
  anode: { usage: ANODE_USAGE, run: anodeCommand },
  air: { usage: AIR_USAGE, run: airCommand },
};

/** `interphase screen` without a workflow, or `screen --help`: one line per workflow. */
export const SCREEN_OVERVIEW = `Usage: interphase screen WORKFLOW [options]    (interphase screen WORKFLOW --help for its options)

  stability CANDIDATES   E_hull (signed) and decomposition of every candidate, streamed
  windows [FORMULA ...]  electrochemical windows of electrolytes
  interfaces             reaction energies of every electrolyte × electrode pair
  coatings [FORMULA ...] cathode coatings ranked by the criteria of Xiao et al. 2019
  anode [FORMULA ...]    what each electrolyte becomes against its metal anode
  air [FORMULA ...]      reactions with H2O, CO2 and O2, and the harmful gases they give off
`;

/** Runs `screen WORKFLOW ...` (main dispatches through SCREEN_WORKFLOWS; tests call this). */
export async function screenCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [workflow, ...rest] = args;
  const w = workflow === undefined ? undefined : SCREEN_WORKFLOWS[workflow];
  if (!w) {
    throw new UsageError(workflow ? `unknown screening workflow '${workflow}' (${Object.keys(SCREEN_WORKFLOWS).join(', ')})` : `screen needs a workflow: ${Object.keys(SCREEN_WORKFLOWS).join(', ')}`);
  }
  return w.run(rest, io);
}
