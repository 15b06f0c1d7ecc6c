// Command-line plumbing shared by every subcommand.

/** Where the CLI writes; tests pass buffers, the bin passes the process streams. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY?: boolean;
}

/** A problem with the command line itself (exit code 2). */
export class UsageError extends Error {}

export interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], valued: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
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
  return { positional, flags };
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

/** The number given to --name (undefined when absent); a usage error when it is not one, or below min. */
export function numberFlag(p: Parsed, name: string, min = -Infinity): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} needs a number${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(v)}`);
  return n;
}
