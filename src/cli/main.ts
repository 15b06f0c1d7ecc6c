// The `interphase` bin: the table of commands (each with its usage), `--help`/`-h` for any
// command or screening workflow, `--version`, and the exit codes: 0 done, 1 bad input, 2 bad
// command line (the error, then that command's usage only).
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError, wantsHelp, type CliIO } from './args.js';
import type { Command } from './command.js';
import { demo } from './demo.js';
import { HULL_USAGE, hullCommand } from './hull.js';
import { REACT_USAGE, reactCommand } from './react.js';
import { SCREEN_OVERVIEW, SCREEN_WORKFLOWS, screenCommand } from './screen-workflows.js';
import { WINDOW_USAGE, windowCommand } from './window.js';
import { REDOX_USAGE, redoxCommand } from './redox.js';
import { CHEMPOT_USAGE, chempotCommand } from './chempot.js';

export type { CliIO } from './args.js';

const DEMO_USAGE = `Usage: interphase demo

  Windows of the common solid electrolytes and their reactivity with Li metal and LiCoO2, on the
  embedded Materials Project data (about a second).
`;

/** The commands, by name; a new command is a new row. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  demo: {
    usage: DEMO_USAGE,
    run: (args, io) => {
      if (args.length) throw new UsageError(`demo takes no arguments, got ${args.join(' ')}`);
      return demo(io);
    },
  },
  hull: { usage: HULL_USAGE, run: hullCommand },
  window: { usage: `Usage: ${WINDOW_USAGE}`, run: windowCommand },
  react: { usage: `Usage: ${REACT_USAGE.trimStart()}`, run: reactCommand },
  redox: { usage: `Usage: ${REDOX_USAGE.trimStart()}`, run: redoxCommand },
  chempot: { usage: `Usage: ${CHEMPOT_USAGE.trimStart()}`, run: chempotCommand },
  screen: { usage: SCREEN_OVERVIEW, run: (args, io) => screenCommand(args, io), sub: SCREEN_WORKFLOWS },
};

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
  --version                 the version

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
    const cmd = topic === undefined ? undefined : COMMANDS[topic];
    const sub = cmd?.sub && rest[1] !== undefined ? cmd.sub[rest[1]] : undefined;
    io.stdout((sub ?? cmd)?.usage ?? USAGE);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`interphase ${version()}\n`);
    return 0;
  }
  // The command (or screening workflow) whose usage goes with help and usage errors.
  let cmd = COMMANDS[name];
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

// Run when executed as the bin (dist/cli.js), not when imported.
if (typeof process !== 'undefined' && process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

function processIO(): CliIO {
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
