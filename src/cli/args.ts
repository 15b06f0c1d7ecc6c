// Command-line plumbing shared by every subcommand: flags and positionals (`--` ends the options),
// help requests, numbers within their ranges, --workers.

/** Where the CLI writes; tests pass buffers, the bin passes the process streams. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY?: boolean;
  /** Resolves when stdout can take more (the process stream's backpressure); absent: at once. */
  drain?: () => Promise<void>;
}

/** A problem with the command line itself (exit code 2). */
export class UsageError extends Error {}

export interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
  /** How many positionals came before `--` (those after it are never options). */
  beforeDashDash: number;
}

/** Whether the command line asks for help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Flags (`--name`, `--name=value`, `--name value` for `valued`) and positionals; `--` ends the options. */
export function parseArgs(argv: readonly string[], valued: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  let beforeDashDash = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (beforeDashDash >= 0) positional.push(a);
    else if (a === '--') beforeDashDash = positional.length;
    else if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (valued.includes(name)) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        flags.set(name, v);
      } else {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        flags.set(name, true);
      }
    } else positional.push(a);
  }
  return { positional, flags, beforeDashDash: beforeDashDash >= 0 ? beforeDashDash : positional.length };
}

/**
 * A positional before `--` that looks like an option (`-x`, `--`-less flags the command does not
 * know) is a usage error naming it; `allowNumbers` lets `-1.5` through.
 */
export function rejectDashed(p: Parsed, command: string, allowNumbers = false): void {
  for (let i = 0; i < p.beforeDashDash; i++) {
    const a = p.positional[i]!;
    if (a.length > 1 && a.startsWith('-') && !(allowNumbers && /^-\d/.test(a))) {
      throw new UsageError(`unknown option ${a} for '${command}' (after -- it would be read as an argument)`);
    }
  }
}

export function checkFlags(p: Parsed, allowed: readonly string[], command: string): void {
  for (const f of p.flags.keys()) if (!allowed.includes(f)) throw new UsageError(`unknown option --${f} for '${command}'`);
}

/** A plain reason for the file-system errors a user causes by naming the wrong FILE. */
export function fileErrorReason(err: unknown): string | undefined {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return undefined;
  }
}

/**
 * The number given to --name (undefined when absent); a usage error naming the flag when it is not
 * a number or lies outside [min, max] (`unit` is said in the message).
 */
export function numberFlag(p: Parsed, name: string, min = -Infinity, max = Infinity, unit = ''): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` >= ${min}` : max < Infinity ? ` <= ${max}` : '';
    throw new UsageError(`--${name} needs a number${range}${unit ? ` (${unit})` : ''}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/**
 * Voltages (vs the metal) and chemical potentials (eV/atom, relative to the element's reference)
 * accepted on the command line: ±100 covers every electrochemical question by far, and keeps the
 * grand potentials (Φ = E − μN) finite and meaningful (1e308 overflowed and blamed a data entry).
 */
export const VOLTAGE_LIMIT = 100;
export const MU_LIMIT = 100;

/** A voltage flag, within ±VOLTAGE_LIMIT. */
export function voltageFlag(p: Parsed, name: string): number | undefined {
  return numberFlag(p, name, -VOLTAGE_LIMIT, VOLTAGE_LIMIT, 'volts vs the metal');
}

/** A chemical-potential flag, within ±MU_LIMIT. */
export function muFlag(p: Parsed, name: string): number | undefined {
  return numberFlag(p, name, -MU_LIMIT, MU_LIMIT, 'eV/atom relative to the element');
}
