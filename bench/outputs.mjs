#!/usr/bin/env node
// bench/outputs: peak memory of the CLI's streamed outputs against row count. Generates CSV files
// of N rows in the temp directory (hull: the MP table's rows again and again, each repeat 1 meV/atom
// higher; candidates: the embedded data's rows the same way), runs `node dist/cli.js`
// with stdout to /dev/null in a fresh process per measurement and reports its peak RSS
// (/usr/bin/time -f %M) and wall time. For hull, the same load and hull without any output is
// measured too: what a phase diagram must hold (every entry), against which the output adds nothing.
//   node bench/outputs.mjs [--rows 1000000,4000000] [--only hull|screen] [--cli PATH (another build)]
// Needs `npm run build`. Temp files are removed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const ROWS = opt('rows', '1000000,4000000').split(',').map(Number);
const ONLY = opt('only', '');
const CLI = opt('cli', here('../dist/cli.js'));
const dir = mkdtempSync(join(tmpdir(), 'interphase-outputs-'));

/** Formulas and formation energies of a CSV (first two columns, comments and header skipped). */
const rowsOf = (text) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split(',').slice(0, 2));

/** N rows: the source rows again and again, each repeat 1 meV/atom higher (polymorphs above them). */
async function writeRows(file, rows, n) {
  const out = createWriteStream(file);
  out.write('formula,e_form_per_atom,id\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const [f, e] = rows[i % rows.length];
    buf += `${f},${Number(e) + 0.001 * Math.floor(i / rows.length)},r${i}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

function measure(label, cliArgs, script) {
  const t0 = performance.now();
  const cmd = script ? ['--input-type=module', '-e', script, ...cliArgs] : [CLI, ...cliArgs];
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...cmd], { stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'], maxBuffer: 1 << 26 });
  const secs = (performance.now() - t0) / 1000;
  const err = r.stderr.toString().trim().split('\n');
  const kb = Number(err[err.length - 1]);
  if (r.status !== 0) {
    console.log(`${label.padEnd(44)} ${(kb / 1024).toFixed(0).padStart(6)} MB peak RSS  ${secs.toFixed(1).padStart(6)} s  FAILED (exit ${r.status}): ${err.slice(0, -1).join(' ').slice(0, 160)}`);
    return;
  }
  console.log(`${label.padEnd(44)} ${(kb / 1024).toFixed(0).padStart(6)} MB peak RSS  ${secs.toFixed(1).padStart(6)} s`);
}

try {
  const mp = rowsOf(gunzipSync(readFileSync(here('../../shared/data/mp-legacy-formation-energies.csv.gz'))).toString());
  const embedded = rowsOf(
    execFileSync(process.execPath, ['-e', "import('./dist/index.js').then(async (m) => process.stdout.write(await m.defaultDataCsv()))"], { cwd: here('..'), maxBuffer: 1 << 26 }).toString(),
  );
  console.log(`node ${process.version}; rows from ${mp.length} MP and ${embedded.length} embedded compositions`);
  for (const n of ROWS) {
    if (ONLY !== 'screen') {
      const file = join(dir, `hull-${n}.csv`);
      await writeRows(file, mp, n);
      // What any hull must hold: the entries and the index, no output at all.
      const noOutput = `const m = await import(${JSON.stringify(new URL('../dist/index.js', new URL(`file://${CLI}`)).href)}); const r = m.hullRows(await m.loadEntries(process.argv[1])); console.log(r.count);`;
      measure(`hull ${n.toLocaleString('en-US')} rows, load + hull, no output`, [file], noOutput);
      measure(`hull ${n.toLocaleString('en-US')} rows --json`, ['hull', file, '--json']);
      measure(`hull ${n.toLocaleString('en-US')} rows (table)`, ['hull', file]);
      rmSync(file);
    }
    if (ONLY !== 'hull') {
      const file = join(dir, `cand-${n}.csv`);
      await writeRows(file, embedded, n);
      for (const fmt of ['--json', '--csv', ''])
        measure(`screen stability ${n.toLocaleString('en-US')} rows ${fmt || '(table)'}`, ['screen', 'stability', file, '--workers', '1', ...(fmt ? [fmt] : [])]);
      rmSync(file);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
