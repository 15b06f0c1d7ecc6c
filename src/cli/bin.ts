// dist/cli.js, the package's bin: runs the command line when executed (not when imported). It
// imports main.ts dynamically so that this file stays its own entry chunk (a static import would
// let the bundler move it into a shared chunk, whose URL is not the bin's).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CliIO } from './args.js';

/** Runs the CLI; returns the exit code (see main.ts). */
export async function main(argv: readonly string[], io?: CliIO): Promise<number> {
  return (await import('./main.js')).main(argv, io);
}

if (typeof process !== 'undefined' && process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
