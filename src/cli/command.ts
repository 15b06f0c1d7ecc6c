// What a command of the CLI is: its usage text (printed by `COMMAND --help`, and after a usage
// error of that command) and how it runs. main.ts keeps the table; a new command adds a row.
import type { CliIO } from './args.js';

export interface Command {
  /** The whole usage of the command, ending in a newline. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; the exit code (UsageError: 2). */
  run(args: readonly string[], io: CliIO): Promise<number>;
  /** Sub-commands (`screen windows`): the first argument picks one; `usage` is then their overview. */
  readonly sub?: Readonly<Record<string, Command>>;
}
