// The CLI in-process (main(argv, io) with buffer IO) and once as the built bin. Exit codes:
// 0 ok, 1 bad input, 2 usage. Numbers are checked against pymatgen's reference file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// `hull --json` has the keys of pymatgen's reference files: one schema for both.
import type { HullReport as Report } from '../src/thermo/hull-report.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DATASET = fileURLToPath(new URL('../../shared/data/alexandria-Li-P-S.json.gz', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../shared/reference/alexandria-Li-P-S.json', import.meta.url));
const TOL = 1e-6;

async function run(argv: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY });
  return { code, out, err };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'interphase-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const reference = (): Report => JSON.parse(readFileSync(REFERENCE, 'utf8')) as Report;

/** Differences between a `hull --json` report and pymatgen's reference (empty = agreement). */
function compareWithReference(report: Report): string[] {
  const ref = reference();
  const problems: string[] = [];
  if (JSON.stringify(report.elements) !== JSON.stringify(ref.elements)) problems.push(`elements ${report.elements} vs ${ref.elements}`);
  if (report.entries.map((r) => r.id).join(' ') !== ref.entries.map((r) => r.id).join(' ')) problems.push('entry ids or their order differ');
  const got = new Map(report.entries.map((r) => [r.id, r]));
  for (const want of ref.entries) {
    const r = got.get(want.id);
    if (!r) continue;
    const where = `${want.id} ${want.formula}`;
    if (r.formula !== want.formula) problems.push(`${where}: formula ${r.formula}`);
    if (r.stable !== want.stable) problems.push(`${where}: stable ${r.stable}`);
    if (!(Math.abs(r.e_form_per_atom - want.e_form_per_atom) <= TOL)) problems.push(`${where}: e_form ${r.e_form_per_atom} vs ${want.e_form_per_atom}`);
    if (!(Math.abs(r.e_above_hull - want.e_above_hull) <= TOL)) problems.push(`${where}: e_above_hull ${r.e_above_hull} vs ${want.e_above_hull}`);
    const keys = (o: object) => Object.keys(o).sort().join(' ');
    if (keys(r.decomposition) !== keys(want.decomposition)) problems.push(`${where}: decomposition ${keys(r.decomposition)} vs ${keys(want.decomposition)}`);
    else for (const [k, f] of Object.entries(want.decomposition)) if (!(Math.abs(r.decomposition[k]! - f) <= TOL)) problems.push(`${where}: fraction of ${k} ${r.decomposition[k]} vs ${f}`);
    if ('phase_separation_energy' in r !== 'phase_separation_energy' in want) problems.push(`${where}: phase_separation_energy present ${'phase_separation_energy' in r}`);
    // agm003219912 (Li8P8): pymatgen's SLSQP stops short of the optimum for this one; that ours is
    // the exact LP optimum is proven by the certificate in phase-diagram.reference.test.ts.
    else if (want.phase_separation_energy !== undefined && want.id !== 'agm003219912') {
      if (!(Math.abs(r.phase_separation_energy! - want.phase_separation_energy) <= TOL)) problems.push(`${where}: phase separation ${r.phase_separation_energy} vs ${want.phase_separation_energy}`);
    }
  }
  return problems;
}

function expectSchema(report: unknown): asserts report is Report {
  expect(Object.keys(report as object).sort()).toEqual(['elements', 'entries']);
  const rep = report as Report;
  expect(Array.isArray(rep.elements) && rep.elements.every((e) => typeof e === 'string')).toBe(true);
  const required = ['decomposition', 'e_above_hull', 'e_form_per_atom', 'formula', 'id', 'stable'];
  for (const r of rep.entries) {
    const keys = Object.keys(r).sort();
    const isCompound = r.formula.match(/[A-Z]/g)!.length > 1;
    // phase_separation_energy exactly for stable compounds (not elements, not unstable entries)
    expect(keys, r.id).toEqual(r.stable && isCompound ? [...required.slice(0, 3), 'formula', 'id', 'phase_separation_energy', 'stable'] : required);
    expect(typeof r.id).toBe('string');
    expect(typeof r.formula).toBe('string');
    expect(typeof r.e_form_per_atom).toBe('number');
    expect(typeof r.e_above_hull).toBe('number');
    expect(typeof r.stable).toBe('boolean');
    for (const f of Object.values(r.decomposition)) expect(typeof f).toBe('number');
  }
}

describe('interphase hull FILE --json', () => {
  it("prints exactly the report schema, with pymatgen's values", async () => {
    const { code, out, err } = await run(['hull', DATASET, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.endsWith('\n')).toBe(true);
    const report = JSON.parse(out) as unknown;
    expectSchema(report);
    expect(report.entries).toHaveLength(181); // 178 records + ref-Li, ref-P, ref-S
    expect(report.entries.filter((r) => r.stable)).toHaveLength(16);
    expect(compareWithReference(report)).toEqual([]);
  });

  it('the option may come first; with a TTY, progress goes to stderr and stdout stays JSON', async () => {
    const { code, out, err } = await run(['hull', '--json', DATASET], true);
    expect(code).toBe(0);
    expect(compareWithReference(JSON.parse(out) as Report)).toEqual([]);
    expect(err).toMatch(/181\/181 entries/);
  });

  it('a CSV of formation energies (ids = formulas as written)', async () => {
    // Li-S by hand, x = atom fraction of S: Li2S (x = 1/3) at -1.0, Li2S2 (x = 1/2) at -0.5.
    // Li2S2: hull on the Li2S-S line is -1.0 × (1 - 1/2)/(1 - 1/3) = -0.75, so E_hull 0.25, mixture
    // f(Li2S) = 3/4, f(S) = 1/4. Li2S is stable; its competitors are Li and Li2S2 (below 0, so a
    // pymatgen qhull entry): -0.5 × (1/3)/(1/2) = -1/3 at x = 1/3, phase separation -1.0 + 1/3.
    const file = join(tmp, 'li-s.csv');
    writeFileSync(file, 'formula,e_form_per_atom\nLi2S,-1.0\nLi2S2,-0.5\n');
    const { code, out } = await run(['hull', file, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expectSchema(report);
    expect(report.elements).toEqual(['Li', 'S']);
    const row = (id: string) => report.entries.find((r) => r.id === id)!;
    expect(row('Li2S')).toMatchObject({ formula: 'Li2S1', stable: true, e_above_hull: 0, decomposition: { Li2S: 1 } });
    expect(row('Li2S').phase_separation_energy).toBeCloseTo(-2 / 3, 12);
    expect(row('Li2S2').stable).toBe(false);
    expect(row('Li2S2').e_above_hull).toBeCloseTo(0.25, 12);
    expect(row('Li2S2').decomposition.Li2S).toBeCloseTo(0.75, 12);
    expect(row('Li2S2').decomposition['ref-S']).toBeCloseTo(0.25, 12);
    expect(report.entries.map((r) => r.id)).toEqual(['Li2S', 'Li2S2', 'ref-Li', 'ref-S']);
  });
});

describe('interphase hull FILE (table)', () => {
  it('a header, a rule, one line per entry and a summary', async () => {
    const { code, out, err } = await run(['hull', DATASET]);
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['id', 'formula', 'E_form', 'E_hull', 'stable', 'decomposition']);
    expect(lines[1]).toMatch(/^[- ]+$/);
    const ref = reference();
    const body = lines.slice(2, 2 + ref.entries.length);
    expect(body.map((l) => l.split(/\s+/)[0])).toEqual(ref.entries.map((r) => r.id));
    // then a blank line and the summary, nothing else
    expect(lines.slice(2 + ref.entries.length)).toEqual(['', '181 entries over Li-P-S, 16 stable (energies in eV/atom)']);
    // Each line shows the entry's numbers (4 decimals) and its stable flag.
    body.forEach((line, i) => {
      const want = ref.entries[i]!;
      const cells = line.split(/\s+/);
      expect(cells[1]).toBe(want.formula);
      expect(Number(cells[2])).toBeCloseTo(want.e_form_per_atom, 4);
      expect(Number(cells[3])).toBeCloseTo(want.e_above_hull, 4);
      expect(cells[4] === 'yes').toBe(want.stable);
    });
  });
});

describe('usage and input errors', () => {
  it('help: usage on stdout, exit 0; no command: usage, exit 2', async () => {
    for (const h of ['help', '--help', '-h']) {
      const r = await run([h]);
      expect(r.code, h).toBe(0);
      expect(r.out).toMatch(/Usage: interphase COMMAND[\s\S]*\n\s+hull FILE/);
    }
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.out + none.err).toMatch(/Usage:/);
  });

  it('unknown command: exit 2, names it, prints usage', async () => {
    const r = await run(['hul', DATASET]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^interphase: unknown command 'hul'\n/);
    expect(r.err).toMatch(/Usage:/);
  });

  it.each([
    [['hull', DATASET, '--frob'], /unknown option --frob for 'hull'/],
    [['hull', '--jsn', DATASET], /unknown option --jsn for 'hull'/],
    [['hull', DATASET, '-j'], /unknown option -j for 'hull'/],
    [['hull', DATASET, '--json=yes'], /--json takes no value/],
  ])('bad option %j: exit 2 naming it', async (argv, re) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(re);
  });

  it.each([[['hull']], [['hull', '--json']], [['hull', DATASET, DATASET]]])('FILE missing or repeated %j: exit 2', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/hull takes exactly one FILE/);
  });

  it('a file that does not exist: exit 1, "cannot read FILE: no such file"', async () => {
    const file = join(tmp, 'nope.json.gz');
    const r = await run(['hull', file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`interphase: cannot read ${file}: no such file\n`);
  });

  it('a directory instead of a file: exit 1, named', async () => {
    const dir = join(tmp, 'a-directory.csv');
    mkdirSync(dir, { recursive: true });
    const r = await run(['hull', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`interphase: cannot read ${dir}: is a directory\n`);
  });

  it('an unparsable formula in a CSV: exit 1, names the file, the line and the formula', async () => {
    const file = join(tmp, 'typo.csv');
    writeFileSync(file, 'formula,e_form_per_atom\nLi2S,-1.0\n\nLi3PXx4,-1.2\nLi2S2,-0.5\n');
    const r = await run(['hull', file, '--json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(''); // no partial report
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/line 4\b/); // the blank line 3 counts
    expect(r.err).toMatch(/"Li3PXx4"/);
    expect(r.err).toMatch(/unknown element 'Xx'/);
  });

  it('a non-numeric energy in a CSV: exit 1, names the line and the value', async () => {
    const file = join(tmp, 'nan.csv');
    writeFileSync(file, 'formula,e_form_per_atom\nLi2S,-1.0\nLi2S2,NaN\n');
    const r = await run(['hull', file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/line 3\b.*e_form_per_atom is not a number \("NaN"\)/);
  });

  it('a CSV with a header and no rows: exit 1, "no entries in FILE"', async () => {
    const file = join(tmp, 'empty.csv');
    writeFileSync(file, 'formula,e_form_per_atom\n');
    const r = await run(['hull', file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`interphase: no entries in ${file}\n`);
  });

  it('total-energy entries without elemental entries: exit 1, names the missing elements', async () => {
    const file = join(tmp, 'no-refs.json');
    writeFileSync(file, JSON.stringify([{ entry_id: 'x', composition: { Li: 2, S: 1 }, energy: -11.5, correction: 0 }]));
    const r = await run(['hull', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no elemental reference entry for Li, S\b/);
  });

  it('a corrupt gzip file: exit 1, names the file', async () => {
    const file = join(tmp, 'corrupt.json.gz');
    const gz = gzipSync(Buffer.from(JSON.stringify([{ composition: 'Li2S', e_form_per_atom: -1 }])));
    writeFileSync(file, gz.subarray(0, gz.length - 12));
    const r = await run(['hull', file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(file);
  });
});

describe('the built bin', () => {
  // The package's bin as package.json declares it (dist/cli.js), run the way npm would link it.
  const bin = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.interphase!;
  const built = existsSync(join(REPO, 'dist', 'cli.js')) && existsSync(join(REPO, bin));
  if (!built) console.warn(`test/cli.test.ts: skipping the bin tests: ${bin} or dist/cli.js is missing; run \`npm run build\` first (npm test does)`);
  const spawn = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

  it.skipIf(!built)('node <bin> hull FILE --json: exit 0 and the reference JSON', () => {
    const r = spawn(['hull', DATASET, '--json']);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as unknown;
    expectSchema(report);
    expect(compareWithReference(report)).toEqual([]);
  });

  it.skipIf(!built)('node <bin>: exit 2 for a bad command, 1 for a missing file', () => {
    const bad = spawn(['frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown command 'frobnicate'/);
    const missing = spawn(['hull', join(tmp, 'absent.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/absent\.csv/);
  });
});
