// The `interphase` CLI: the table of commands, `--help`/`-h` for any command or screening
// workflow, `--version`, and the exit codes: 0 done, 1 bad input, 2 bad command line (the error,
// then that command's usage only). Each command's module (its usage and its run) is loaded only
// when that command is named (dynamic imports), so `interphase hull FILE` never compiles the
// screens, plots or engine — start-up is most of a small command's time. bin.ts is the entry.
import { readFileSync } from 'node:fs';
import { UsageError, wantsHelp, type CliIO } from './args.js';
import type { Command } from './command.js';

export type { CliIO } from './args.js';

const DEMO_USAGE = `Usage: interphase demo

  Windows of the common solid electrolytes and their reactivity with Li metal and LiCoO2, on the
  embedded Materials Project data (about a second).
`;

/** The commands, by name, each loaded on demand; a new command is a new row. */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  demo: async () => ({
    usage: DEMO_USAGE,
    run: async (args, io) => {
      if (args.length) throw new UsageError(`demo takes no arguments, got ${args.join(' ')}`);
      return (await import('./demo.js')).demo(io);
    },
  }),
  hull: async () => {
    const m = await import('./hull.js');
    return { usage: m.HULL_USAGE, run: m.hullCommand };
  },
  window: async () => {
    const m = await import('./window.js');
    return { usage: `Usage: ${m.WINDOW_USAGE}`, run: m.windowCommand };
  },
  react: async () => {
    const m = await import('./react.js');
    return { usage: `Usage: ${m.REACT_USAGE.trimStart()}`, run: m.reactCommand };
  },
  redox: async () => {
    const m = await import('./redox.js');
    return { usage: `Usage: ${m.REDOX_USAGE.trimStart()}`, run: m.redoxCommand };
  },
  chempot: async () => {
    const m = await import('./chempot.js');
    return { usage: `Usage: ${m.CHEMPOT_USAGE.trimStart()}`, run: m.chempotCommand };
  },
  worker: async () => {
    const m = await import('./worker.js');
    return { usage: m.WORKER_HELP, run: m.workerCommand };
  },
  screen: async () => {
    const m = await import('./screen-workflows.js');
    return { usage: m.SCREEN_OVERVIEW, run: m.screenCommand, sub: m.SCREEN_WORKFLOWS };
  },
};

/** The command of that name, loaded (undefined: no such command). */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!() : undefined;
}

const USAGE = `interphase — thermodynamic stability of solid electrolytes and interfaces

Usage: interphase COMMAND [options]       (interphase COMMAND --help for its options)

  demo                      windows of the common solid electrolytes and their reactivity with Li
                            and LiCoO2, on the embedded Materials Project data
  hull FILE                 stable phases, E_hull, decompositions of every entry in FILE
  window FORMULA            electrochemical stability window and voltage staircase
  react A B                 interface reaction of two materials (closed, open to Li, or over 0–5 V)
  redox FORMULA             its own decomposition energy and capacity vs voltage
  chempot FORMULA           its equilibria over a two-element chemical-potential plane
  screen WORKFLOW           screens: stability CANDIDATES, windows, interfaces, coatings, anode, air
  worker --queue URL        serve screening jobs from a Redis queue (README: More than one machine)
  --version                 the version

hull, window, react, screen stability and screen coatings take --uncertainty [--sigma S] …:
probabilities and 5–95 % bands from the energies' errors (COMMAND --help for the flags).

FILE: pymatgen entry JSON (.json/.json.gz), records with composition + e_form_per_atom,
CSV formula,e_form_per_atom[,id] or formula,energy[,id] (.csv/.csv.gz), or Materials Project
API documents. Without --data, commands use the embedded Materials Project data (said on stderr).
\`--\` ends the options (a FORMULA or FILE starting with '-' after it).
Exit codes: 0 done, 1 bad input (the message names the entry, file and line, formula or element),
2 bad command line.
`;

/** This package's version (its package.json, beside dist/ or two levels above src/cli/). */
function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'interphase' && pkg.version) return pkg.version;
    } catch {
      // not there: the other layout
    }
  }
  return 'unknown';
}

/** Runs the CLI; returns the exit code (0 ok, 1 bad input or failure, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic === undefined ? undefined : await loadCommand(topic);
    const sub = cmd?.sub && rest[1] !== undefined ? cmd.sub[rest[1]] : undefined;
    io.stdout((sub ?? cmd)?.usage ?? USAGE);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`interphase ${version()}\n`);
    return 0;
  }
  // The command (or screening workflow) whose usage goes with help and usage errors.
  let cmd = await loadCommand(name);
  let args = rest;
  let usage = cmd?.usage ?? USAGE;
  try {
    if (!cmd) throw new UsageError(`unknown command '${name}'`);
    if (cmd.sub) {
      const [subName, ...more] = rest;
      const sub = subName === undefined ? undefined : cmd.sub[subName];
      if (!sub) {
        if (subName === '--help' || subName === '-h') {
          io.stdout(cmd.usage);
          return 0;
        }
        throw new UsageError(subName === undefined ? `${name} needs one of: ${Object.keys(cmd.sub).join(', ')}` : `unknown ${name} '${subName}' (${Object.keys(cmd.sub).join(', ')})`);
      }
      cmd = sub;
      args = more;
      usage = sub.usage;
    }
    if (wantsHelp(args)) {
      io.stdout(usage);
      return 0;
    }
    return await cmd.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`interphase: ${err.message}\n\n${usage}`);
      return 2;
    }
    io.stderr(`interphase: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export function processIO(): CliIO {
  let full = false;
  return {
    stdout: (s) => {
      full = !process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    drain: () =>
      full
        ? new Promise<void>((resolve) => {
            const done = () => {
              full = false;
              process.stdout.off('drain', done);
              process.stdout.off('error', done);
              resolve();
            };
            process.stdout.once('drain', done);
            process.stdout.once('error', done);
          })
        : Promise.resolve(),
  };
}
