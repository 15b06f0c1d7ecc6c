// The command line as users expect it (issue 14): `COMMAND --help` / `-h` for every command and
// screening workflow, usage errors followed by that command's usage only, `--version`, `--` ending
// the options, and flags refused by name when out of range (--workers, --voltage, --mu, --to).
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseArgs, rejectDashed, UsageError } from '../src/cli/args.js';
import { COMMANDS, loadCommand, main } from '../src/cli/main.js';
import type { Command } from '../src/cli/command.js';
import { SCREEN_WORKFLOWS } from '../src/cli/screen-workflows.js';
import { createEngine } from '../src/engine/create.js';
import { EngineError } from '../src/engine/engine.js';
import { DATA } from './helpers/shared.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const LCO = `${DATA}alexandria-Li-Co-O.json.gz`;
// Every command, loaded (the CLI loads only the one named).
const LOADED: Record<string, Command> = Object.fromEntries(await Promise.all(Object.keys(COMMANDS).map(async (name) => [name, (await loadCommand(name))!] as const)));
const every: Array<[string[], string]> = [
  ...Object.entries(LOADED)
    .filter(([, c]) => !c.sub)
    .map(([name, c]): [string[], string] => [[name], c.usage]),
  [['screen'], LOADED.screen!.usage],
  ...Object.entries(SCREEN_WORKFLOWS).map(([name, c]): [string[], string] => [['screen', name], c.usage]),
];

describe('--help', () => {
  it.each(every)('%j --help and -h: that usage on stdout, exit 0', async (cmd, usage) => {
    for (const h of ['--help', '-h']) {
      const r = await run([...cmd, h]);
      expect(r.code, `${cmd.join(' ')} ${h}`).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toBe(usage);
      expect(r.out).toMatch(/^Usage: interphase /);
    }
  });

  it('the demo’s last line points at `screen windows --help`, which answers (not "unknown option --help")', async () => {
    const r = await run(['screen', 'windows', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: interphase screen windows \[FORMULA \.\.\.\]/);
    // Help wins over everything else on the line, even a bad flag before it.
    expect((await run(['react', '--frob', '-h'])).code).toBe(0);
    expect((await run(['help', 'screen', 'coatings'])).out).toBe(SCREEN_WORKFLOWS.coatings!.usage);
  });

  it('a usage error prints the error and that command’s usage only', async () => {
    const r = await run(['react', 'LiCoO2']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`interphase: react takes two reactants A B, got 1 (LiCoO2)\n\n${LOADED.react!.usage}`);
    const w = await run(['screen', 'windows', '--frob']);
    expect(w.err).toBe(`interphase: unknown option --frob for 'screen windows'\n\n${SCREEN_WORKFLOWS.windows!.usage}`);
    expect(w.err.split('\n').length).toBeLessThan(30);
    const s = await run(['screen', 'nope']);
    expect(s.code).toBe(2);
    expect(s.err).toBe(`interphase: unknown screen 'nope' (stability, windows, interfaces, coatings, anode, air)\n\n${LOADED.screen!.usage}`);
  });

  it('--version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^interphase \d+\.\d+\.\d+\n$/);
  });
});

describe('--', () => {
  it('ends the options: what follows is an argument even if it starts with -', async () => {
    const p = parseArgs(['--json', '--', '--data', '-x'], ['data']);
    expect(p.flags).toEqual(new Map([['json', true]]));
    expect(p.positional).toEqual(['--data', '-x']);
    expect(() => rejectDashed(p, 'hull')).not.toThrow();
    expect(() => rejectDashed(parseArgs(['-x'], []), 'hull')).toThrow(UsageError);
    // A file named "-x": read (and not found), not an unknown option.
    const r = await run(['hull', '--', '-x']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('interphase: cannot read -x: no such file\n');
    expect((await run(['hull', '-x'])).code).toBe(2);
  });
});

describe('flags out of range: exit 2 naming the flag, never a data entry', () => {
  const cores = availableParallelism();
  it.each([
    [['screen', 'stability', LCO, '--workers', '1000'], new RegExp(`--workers 1000: at most ${4 * cores} \\(4 per core, ${cores} cores here\\)`)],
    [['screen', 'coatings', '--workers', '1000'], /--workers 1000: at most/],
    [['screen', 'interfaces', '--workers', '1000'], /--workers 1000: at most/],
    [['screen', 'coatings', '--workers', '-1'], /--workers needs a whole number >= 0, got "-1"/],
    [['react', 'LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', '1e308'], /--voltage needs a number from -100 to 100 \(volts vs the metal\), got "1e308"/],
    [['react', 'LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--voltage', '1e200'], /--voltage needs a number from -100 to 100/],
    [['react', 'LiCoO2', 'Li2O', '--data', LCO, '--open', 'Li', '--mu', '-1e308'], /--mu needs a number from -100 to 100 \(eV\/atom relative to the element\), got "-1e308"/],
    [['react', 'LiCoO2', 'Li2O', '--data', LCO, '--map', '--to', '1e308'], /--to needs a number from -100 to 100/],
    [['screen', 'interfaces', '--voltage', '1e308'], /--voltage needs a number from 0 to 100/],
    [['screen', 'coatings', '--range', '2,1e308'], /--range needs LOW,HIGH voltages from 0 to 100/],
  ])('%j', async (argv, re) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(re);
    expect(r.err.split('\n')[0]).not.toMatch(/entry/);
  });

  it('the accepted ranges are said in --help', () => {
    expect(LOADED.react!.usage).toMatch(/-100 to 100/);
    expect(SCREEN_WORKFLOWS.stability!.usage).toMatch(/at most 4 per core/);
  });

  it('createEngine refuses more than 4 workers per core before starting any', async () => {
    const err = await createEngine({ workers: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/workers 1000: at most \d+ \(4 per core/);
  });
});

describe('outputs of any length', () => {
  it('a table of 300,000 rows (Math.max(...widths) overflowed the stack past ~170k)', async () => {
    const { formatTable, tableLine } = await import('../src/cli/table.js');
    const rows = Array.from({ length: 300_000 }, (_, i) => [`id${i}`, 'Li2O', (-2).toFixed(4)]);
    const t = formatTable(['id', 'formula', 'E'], rows, { align: 'llr' });
    expect(t.split('\n').length).toBe(300_003);
    expect(tableLine(['a', 'b'], [3, 3], 'rl')).toBe('  a  b\n');
  });

  it('hull --json --out FILE writes what stdout gets, the report of the library', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { hullReport } = await import('../src/thermo/hull-report.js');
    const { loadEntries } = await import('../src/io/node-loaders.js');
    const dir = mkdtempSync(join(tmpdir(), 'interphase-hull-'));
    try {
      const file = `${DATA}alexandria-Li-P-S.json.gz`;
      const stdout = await run(['hull', file, '--json']);
      const toFile = await run(['hull', file, '--json', '--out', join(dir, 'h.json')]);
      expect(stdout.code).toBe(0);
      expect(toFile.out).toBe('');
      expect(readFileSync(join(dir, 'h.json'), 'utf8')).toBe(stdout.out);
      expect(stdout.out).toBe(`${JSON.stringify(hullReport(await loadEntries(file)))}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
